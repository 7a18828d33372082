import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildCalendar } from "./calendar.ts";
import { OFFICIAL_YEAR_FILES } from "./data/index.ts";
import { periodOf } from "./date.ts";
import {
  dueDateFor,
  listPeriodicDeadlines,
  PERIODIC_DEFAULTS,
  periodicDue,
  summarizeDue,
} from "./deadline-due.ts";
import { type DeadlineRule, parseDeadlinePhrase } from "./deadline-rules.ts";

const calendar = buildCalendar({ years: OFFICIAL_YEAR_FILES });

describe("dueDateFor", () => {
  // Hand-computed due dates, one or more per rule kind.
  const cases: [string, DeadlineRule, string, string | null][] = [
    [
      "条例第26条 20 working days",
      { kind: "workingDaysFromFormation", days: 20 },
      "2025-09-26",
      "2025-10-30",
    ],
    [
      "5 working days through 春节",
      { kind: "workingDaysFromFormation", days: 5 },
      "2025-01-24",
      "2025-02-07",
    ],
    [
      "decision + 7 working days",
      { kind: "workingDaysFromDecision", days: 7, trigger: "decision" },
      "2025-04-30",
      "2025-05-14",
    ],
    [
      "result + 20 working days",
      { kind: "workingDaysFromDecision", days: 20, trigger: "result" },
      "2024-04-30",
      "2024-05-30",
    ],
    [
      "approval + 20 working days",
      { kind: "afterApproval", amount: 20, unit: "workingDays" },
      "2024-02-05",
      "2024-03-08",
    ],
    [
      "approval + 20 calendar days, rolled",
      { kind: "afterApproval", amount: 20, unit: "calendarDays" },
      "2025-09-11",
      "2025-10-09",
    ],
    [
      "approval + 20 calendar days on a make-up Sunday",
      { kind: "afterApproval", amount: 20, unit: "calendarDays" },
      "2025-09-08",
      "2025-09-28",
    ],
    [
      "linked document + 3 working days",
      { kind: "afterLinkedPublication", days: 3, linkedDocument: "政策文件" },
      "2025-09-30",
      "2025-10-11",
    ],
    [
      "with linked document, same day",
      { kind: "withLinkedPublication", linkedDocument: "政策文件" },
      "2025-06-03",
      "2025-06-03",
    ],
    ["notice period + 1 month, rolled", { kind: "afterNoticePeriod", months: 1 }, "2024-09-01", "2024-10-08"],
    [
      "notice period + 1 month, clamped",
      { kind: "afterNoticePeriod", months: 1 },
      "2025-01-31",
      "2025-02-28",
    ],
    ["realtime on a working day", { kind: "realtime", wording: "实时" }, "2025-10-10", "2025-10-10"],
    ["realtime on a make-up Saturday", { kind: "realtime", wording: "实时" }, "2025-10-11", "2025-10-11"],
    [
      "realtime on a holiday rolls forward",
      { kind: "realtime", wording: "及时" },
      "2025-10-03",
      "2025-10-09",
    ],
    ["on change, prompt", { kind: "onChange", promptness: "prompt" }, "2025-05-03", "2025-05-06"],
    ["on change, as needed: no date", { kind: "onChange", promptness: "asNeeded" }, "2025-05-03", null],
    ["fixed 1月31日, next year", { kind: "fixedYearly", month: 1, day: 31 }, "2025-06-01", "2026-01-31"],
    ["fixed 1月31日, same day", { kind: "fixedYearly", month: 1, day: 31 }, "2025-01-31", "2025-01-31"],
    ["keep published: no date", { kind: "keepPublished" }, "2025-01-31", null],
    ["no statutory deadline: no date", { kind: "noStatutoryDeadline" }, "2025-01-31", null],
    ["monthly update for September", { kind: "periodic", unit: "month" }, "2025-09-15", "2025-10-21"],
    ["quarterly update for Q3", { kind: "periodic", unit: "quarter" }, "2025-08-01", "2025-10-28"],
    ["yearly update for 2025", { kind: "periodic", unit: "year" }, "2025-03-01", "2026-01-29"],
  ];
  for (const [label, rule, trigger, due] of cases) {
    it(`${label}: ${trigger} → ${due}`, () => {
      const r = dueDateFor(calendar, rule, { triggerDate: trigger });
      assert.equal(r.due, due);
      assert.equal(r.provisional, false);
      assert.ok(r.explanation.length > 0);
    });
  }

  it("explains working-day counts with the holidays skipped and the article", () => {
    const r = dueDateFor(
      calendar,
      { kind: "workingDaysFromFormation", days: 20 },
      { triggerDate: "2025-09-26" },
    );
    assert.equal(
      r.explanation,
      "自信息形成或者变更之日（2025年9月26日）次日起算20个工作日，期间国庆节、中秋节休息日不计入，截止2025年10月30日。",
    );
    assert.equal(r.basis, "《政府信息公开条例》第二十六条");
  });

  it("explains rolled dates", () => {
    const r = dueDateFor(
      calendar,
      { kind: "afterApproval", amount: 20, unit: "calendarDays" },
      { triggerDate: "2025-09-11" },
    );
    assert.match(r.explanation, /最后一日2025年10月1日为休息日，顺延至下一个工作日，截止2025年10月9日/);
    const t = dueDateFor(calendar, { kind: "realtime", wording: "及时" }, { triggerDate: "2025-10-03" });
    assert.match(t.explanation, /2025年10月3日（休息日），顺延至下一个工作日2025年10月9日/);
  });

  it("keeps 1月31日 when it falls on a rest day and points to the last working day before it (条例第49条)", () => {
    const r = dueDateFor(calendar, { kind: "fixedYearly", month: 1, day: 31 }, { triggerDate: "2025-01-02" });
    assert.equal(r.due, "2025-01-31"); // inside the 2025 春节 break
    assert.match(r.explanation, /该日为休息日，最后一个工作日为2025年1月27日/);
    assert.equal(r.basis, "《政府信息公开条例》第四十九条");
    const future = dueDateFor(
      calendar,
      { kind: "fixedYearly", month: 1, day: 31 },
      { triggerDate: "2026-06-01" },
    );
    assert.equal(future.due, "2027-01-31");
    assert.equal(future.provisional, false);
    assert.match(future.explanation, /放假安排尚未发布/);
  });

  it("is provisional when the count runs into a year without data", () => {
    const r = dueDateFor(calendar, { kind: "periodic", unit: "year" }, { triggerDate: "2026-05-01" });
    assert.equal(r.due, "2027-01-29"); // statutory 元旦 2027 not counted
    assert.equal(r.provisional, true);
    assert.match(r.reasons[0]!, /^2027年放假安排尚未发布/);
    assert.match(summarizeDue({ kind: "periodic", unit: "year" }, r), /截止2027年1月29日（临时）/);
  });

  it("computes every rule of a parsed multi-element cell", () => {
    const parsed = parseDeadlinePhrase(
      "1. 办事指南：实时公开 2. 办理结果：办理结果出来后20个工作日内公开，保持长期公开",
    );
    const dues = parsed.rules.map((r) => [
      r.element,
      dueDateFor(calendar, r.rule, { triggerDate: "2025-09-26" }).due,
    ]);
    assert.deepEqual(dues, [
      ["办事指南", "2025-09-26"],
      ["办理结果", "2025-10-30"],
      ["办理结果", null],
    ]);
  });

  it("rejects an invalid trigger date", () => {
    assert.throws(
      () => dueDateFor(calendar, { kind: "keepPublished" }, { triggerDate: "2025-02-30" }),
      RangeError,
    );
  });
});

describe("periodic updates", () => {
  it("uses 10 / 15 / 20 working days after the period by default, overridable", () => {
    assert.deepEqual(PERIODIC_DEFAULTS, { month: 10, quarter: 15, year: 20 });
    const sep = periodOf("month", 2025, 9);
    assert.equal(periodicDue(calendar, sep).due, "2025-10-21");
    assert.equal(periodicDue(calendar, sep, { month: 5 }).due, "2025-10-14");
    const r = dueDateFor(
      calendar,
      { kind: "periodic", unit: "month" },
      { triggerDate: "2025-01-01", period: sep },
    );
    assert.equal(r.due, "2025-10-21");
    assert.equal(r.period?.label, "2025年9月");
  });

  it("lists every period overlapping a range with its due date", () => {
    const list = listPeriodicDeadlines(calendar, "month", { from: "2025-01-15", to: "2025-03-01" });
    assert.deepEqual(
      list.map((d) => [d.period?.label, d.due]),
      [
        ["2025年1月", "2025-02-17"], // January ends inside 春节; make-up Saturday 2-8 counts
        ["2025年2月", "2025-03-14"],
        ["2025年3月", "2025-04-15"], // 清明节 4-4..4-6 skipped
      ],
    );
    const quarters = listPeriodicDeadlines(calendar, "quarter", { from: "2025-01-01", to: "2025-12-31" });
    assert.equal(quarters.length, 4);
    assert.deepEqual(
      listPeriodicDeadlines(calendar, "year", { from: "2024-06-01", to: "2025-06-01" }).map((d) => d.due),
      ["2025-02-05", "2026-01-29"],
    );
    assert.throws(
      () => listPeriodicDeadlines(calendar, "month", { from: "2025-03-01", to: "2025-01-01" }),
      RangeError,
    );
  });
});
