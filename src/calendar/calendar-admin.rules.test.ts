import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildCalendar } from "./calendar.ts";
import {
  type NoticeInput,
  type OverrideInput,
  overrideConflicts,
  parseNoticeLine,
  parseOverrideInput,
  validateNoticeInput,
} from "./calendar-admin.rules.ts";
import { OFFICIAL_YEAR_FILES } from "./data/index.ts";

const calendar = buildCalendar({ years: OFFICIAL_YEAR_FILES });
const bundledYears = new Set(OFFICIAL_YEAR_FILES.map((f) => f.year));

const NOTICE: NoticeInput = {
  year: "2027",
  title: "国务院办公厅关于2027年部分节假日安排的通知",
  docNumber: "国办发明电〔2026〕99号",
  date: "2026-11-20",
  days: "2026-12-31至2027-01-02 休 元旦\n2027-02-06至2027-02-12 休 春节\n2027-02-20 班 春节",
};

describe("parseNoticeLine", () => {
  it("expands a range", () => {
    assert.deepEqual(parseNoticeLine("2027-02-06至2027-02-08 休 春节"), {
      days: [
        { date: "2027-02-06", kind: "rest", name: "春节" },
        { date: "2027-02-07", kind: "rest", name: "春节" },
        { date: "2027-02-08", kind: "rest", name: "春节" },
      ],
    });
    assert.deepEqual(parseNoticeLine("2027-02-20 work 春节"), {
      days: [{ date: "2027-02-20", kind: "work", name: "春节" }],
    });
    assert.deepEqual(parseNoticeLine("2027-10-01..2027-10-01 rest 国庆节、中秋节"), {
      days: [{ date: "2027-10-01", kind: "rest", name: "国庆节、中秋节" }],
    });
  });
  const bad: [string, RegExp][] = [
    ["2027-02-06 休", /每行格式/],
    ["2027-02-30 休 春节", /日期格式/],
    ["2027-02-06 放 春节", /类型须为/],
    ["2027-02-08至2027-02-06 休 春节", /结束日期不能早于起始日期/],
    ["2027-01-01至2027-03-01 休 春节", /一行最多/],
  ];
  for (const [line, message] of bad) {
    it(`rejects ${JSON.stringify(line)}`, () => {
      const r = parseNoticeLine(line);
      assert.ok("error" in r);
      assert.match(r.error, message);
    });
  }
});

describe("validateNoticeInput", () => {
  const ctx = { bundledYears, noticeExists: false };
  it("accepts a consistent notice (元旦 may start in the previous December)", () => {
    const { value, errors } = validateNoticeInput(NOTICE, ctx);
    assert.deepEqual(errors, []);
    assert.equal(value?.year, 2027);
    assert.equal(value?.days.length, 3 + 7 + 1);
  });
  it("accepts days as a list", () => {
    const { value } = validateNoticeInput(
      { ...NOTICE, days: [{ date: "2027-01-01", kind: "rest", name: "元旦" }] },
      ctx,
    );
    assert.equal(value?.days.length, 1);
  });
  // [change, field, message]
  const cases: [Partial<NoticeInput>, string, RegExp][] = [
    [{ year: "27" }, "year", /2000至2200/],
    [{ year: "2026" }, "year", /已随系统发布/],
    [{ title: "节假日安排" }, "title", /通知/],
    [{ docNumber: "国办发〔2026〕1号" }, "docNumber", /国办发明电/],
    [{ date: "2026-11-31" }, "date", /YYYY-MM-DD/],
    [{ url: "javascript:alert(1)" }, "url", /http/],
    [{ days: "" }, "days", /请逐行填写/],
    [{ days: "2027-02-21 班 春节" }, "days", /没有放假日期/],
    [{ days: "2027-02-06 休 春节\n2027-02-17 班 春节" }, "days", /星期六或星期日/],
    [{ days: "2027-02-06 休 春节\n2027-02-08 休 春节" }, "days", /放假日期须连续/],
    [{ days: "2027-02-06 休 春节\n2027-02-06 休 春节" }, "days", /重复登记/],
    [{ days: "2027-02-06 休 春节\n2027-04-03 班 春节" }, "days", /超过14天/],
    [{ days: "2028-01-01 休 元旦" }, "days", /不在2027年/],
    [{ days: "2026-11-30 休 元旦" }, "days", /不在2027年/],
  ];
  for (const [change, field, message] of cases) {
    it(`${JSON.stringify(change)} → ${field}`, () => {
      const { value, errors } = validateNoticeInput({ ...NOTICE, ...change }, ctx);
      assert.equal(value, undefined);
      const e = errors.find((x) => x.field === field);
      assert.ok(e, JSON.stringify(errors));
      assert.match(e.message, message);
    });
  }
  it("reports an already entered notice as a duplicate", () => {
    const { errors } = validateNoticeInput(NOTICE, { bundledYears, noticeExists: true });
    assert.equal(errors[0]?.field, "duplicate");
  });
});

describe("override rules", () => {
  const ctx = { calendar, bundledYears, noticeYears: new Set<number>() };
  const check = (input: OverrideInput, extra: Partial<Parameters<typeof overrideConflicts>[1]> = {}) => {
    const parsed = parseOverrideInput(input);
    if (!parsed.value) return parsed.errors;
    return overrideConflicts(parsed.value, { ...ctx, ...extra });
  };
  // [input, context, expected error field or null, message]
  const cases: [OverrideInput, Partial<Parameters<typeof overrideConflicts>[1]>, string | null, RegExp?][] = [
    [{ date: "2026-03-18", kind: "rest", name: "三月三", regionId: "r1" }, {}, null],
    [{ date: "2026-03-18", kind: "rest", name: "临时闭馆", category: "closure" }, {}, null],
    [{ date: "2026-03-21", kind: "work", name: "补班", category: "closure" }, {}, null],
    [{ date: "2026-3-18", kind: "rest", name: "x" }, {}, "date", /YYYY-MM-DD/],
    [{ date: "2026-03-18", kind: "off", name: "x" }, {}, "kind", /休息日/],
    [{ date: "2026-03-18", kind: "rest", name: " " }, {}, "name", /名称/],
    [{ date: "2026-03-18", kind: "rest", name: "x".repeat(51) }, {}, "name", /名称/],
    [{ date: "2026-03-18", kind: "rest", name: "x", category: "other" }, {}, "category", /类别/],
    [{ date: "2026-03-18", kind: "rest", name: "x", note: "n".repeat(501) }, {}, "note", /500/],
    [{ date: "2026-03-18", kind: "work", name: "x" }, {}, "kind", /星期六或星期日/],
    [{ date: "2026-10-01", kind: "rest", name: "x" }, {}, "date", /已是休息日（国庆节）/],
    [{ date: "2028-05-04", kind: "rest", name: "x" }, {}, "date", /请先录入该年度国务院放假通知/],
    [{ date: "2028-05-04", kind: "rest", name: "x" }, { noticeYears: new Set([2028]) }, null],
    [{ date: "2028-05-04", kind: "rest", name: "x", regionId: "r1" }, {}, null],
    [
      { date: "2027-02-14", kind: "work", name: "春节", category: "notice" },
      {},
      "category",
      /请先录入2027年/,
    ],
    [
      { date: "2027-02-14", kind: "work", name: "春节", category: "notice" },
      { noticeYears: new Set([2027]) },
      null,
    ],
    [
      { date: "2026-12-31", kind: "rest", name: "元旦", category: "notice" },
      { noticeYears: new Set([2027]) },
      null,
    ],
    [{ date: "2026-02-02", kind: "rest", name: "x", category: "notice" }, {}, "category", /已随系统发布/],
    [
      { date: "2027-02-14", kind: "work", name: "x", category: "notice", regionId: "r1" },
      {},
      "regionId",
      /全国性/,
    ],
    [
      { date: "2026-03-18", kind: "rest", name: "x" },
      { duplicateName: "三月三" },
      "duplicate",
      /已有调整记录（三月三）/,
    ],
    [{ date: "1999-01-04", kind: "rest", name: "x" }, {}, "date", /超出工作日历范围/],
  ];
  for (const [input, extra, field, message] of cases) {
    it(`${JSON.stringify(input)} ${JSON.stringify(extra, (_k, v) => (v instanceof Set ? [...v] : v))} → ${field ?? "ok"}`, () => {
      const errors = check(input, extra);
      if (field === null) assert.deepEqual(errors, []);
      else {
        const e = errors.find((x) => x.field === field);
        assert.ok(e, JSON.stringify(errors));
        if (message) assert.match(e.message, message);
      }
    });
  }
  it("a notice day in late December belongs to next year's notice", () => {
    assert.equal(
      parseOverrideInput({ date: "2026-12-31", kind: "rest", name: "元旦", category: "notice" }).value
        ?.noticeYear,
      2027,
    );
    assert.equal(
      parseOverrideInput({ date: "2026-12-31", kind: "rest", name: "x", category: "closure" }).value
        ?.noticeYear,
      2026,
    );
  });
});
