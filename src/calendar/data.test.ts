// Checks of the reviewed holiday data (src/calendar/data/YYYY.json).
//
// NOTICES below is a second, independent transcription of the State Council notices (one line per holiday,
// as the notice states it). The data files and the calendar built from them must agree with it day by day,
// so a typing error in either copy fails a test.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildCalendar } from "./calendar.ts";
import { OFFICIAL_YEAR_FILES } from "./data/index.ts";
import { fromDayNumber, toDayNumber, weekday } from "./date.ts";
import type { YearFile } from "./types.ts";
import { netWeekdayRestDays, statutoryHolidayDays, validateYearFile } from "./validate.ts";

interface NoticeLine {
  name: string;
  /** Inclusive rest range, "YYYY-MM-DD..YYYY-MM-DD". */
  rest: string;
  work: string[];
}

const NOTICES: Record<number, { docNumber: string; date: string; lines: NoticeLine[] }> = {
  2019: {
    docNumber: "国办发明电〔2018〕15号",
    date: "2018-12-04",
    lines: [
      { name: "元旦", rest: "2018-12-30..2019-01-01", work: ["2018-12-29"] },
      { name: "春节", rest: "2019-02-04..2019-02-10", work: ["2019-02-02", "2019-02-03"] },
      { name: "清明节", rest: "2019-04-05..2019-04-07", work: [] },
      // 国办发明电〔2019〕3号 (2019-03-22) changed Labour Day from 5月1日 to 5月1日至4日.
      { name: "劳动节", rest: "2019-05-01..2019-05-04", work: ["2019-04-28", "2019-05-05"] },
      { name: "端午节", rest: "2019-06-07..2019-06-09", work: [] },
      { name: "中秋节", rest: "2019-09-13..2019-09-15", work: [] },
      { name: "国庆节", rest: "2019-10-01..2019-10-07", work: ["2019-09-29", "2019-10-12"] },
    ],
  },
  2020: {
    docNumber: "国办发明电〔2019〕16号",
    date: "2019-11-21",
    lines: [
      { name: "元旦", rest: "2020-01-01..2020-01-01", work: [] },
      // 国办发明电〔2020〕1号 extended 春节 to 2月2日; the 2月1日 make-up day lapsed.
      { name: "春节", rest: "2020-01-24..2020-02-02", work: ["2020-01-19"] },
      { name: "清明节", rest: "2020-04-04..2020-04-06", work: [] },
      { name: "劳动节", rest: "2020-05-01..2020-05-05", work: ["2020-04-26", "2020-05-09"] },
      { name: "端午节", rest: "2020-06-25..2020-06-27", work: ["2020-06-28"] },
      { name: "国庆节、中秋节", rest: "2020-10-01..2020-10-08", work: ["2020-09-27", "2020-10-10"] },
    ],
  },
  2021: {
    docNumber: "国办发明电〔2020〕27号",
    date: "2020-11-25",
    lines: [
      { name: "元旦", rest: "2021-01-01..2021-01-03", work: [] },
      { name: "春节", rest: "2021-02-11..2021-02-17", work: ["2021-02-07", "2021-02-20"] },
      { name: "清明节", rest: "2021-04-03..2021-04-05", work: [] },
      { name: "劳动节", rest: "2021-05-01..2021-05-05", work: ["2021-04-25", "2021-05-08"] },
      { name: "端午节", rest: "2021-06-12..2021-06-14", work: [] },
      { name: "中秋节", rest: "2021-09-19..2021-09-21", work: ["2021-09-18"] },
      { name: "国庆节", rest: "2021-10-01..2021-10-07", work: ["2021-09-26", "2021-10-09"] },
    ],
  },
  2022: {
    docNumber: "国办发明电〔2021〕11号",
    date: "2021-10-25",
    lines: [
      { name: "元旦", rest: "2022-01-01..2022-01-03", work: [] },
      { name: "春节", rest: "2022-01-31..2022-02-06", work: ["2022-01-29", "2022-01-30"] },
      { name: "清明节", rest: "2022-04-03..2022-04-05", work: ["2022-04-02"] },
      { name: "劳动节", rest: "2022-04-30..2022-05-04", work: ["2022-04-24", "2022-05-07"] },
      { name: "端午节", rest: "2022-06-03..2022-06-05", work: [] },
      { name: "中秋节", rest: "2022-09-10..2022-09-12", work: [] },
      { name: "国庆节", rest: "2022-10-01..2022-10-07", work: ["2022-10-08", "2022-10-09"] },
    ],
  },
  2023: {
    docNumber: "国办发明电〔2022〕16号",
    date: "2022-12-08",
    lines: [
      { name: "元旦", rest: "2022-12-31..2023-01-02", work: [] },
      { name: "春节", rest: "2023-01-21..2023-01-27", work: ["2023-01-28", "2023-01-29"] },
      { name: "清明节", rest: "2023-04-05..2023-04-05", work: [] },
      { name: "劳动节", rest: "2023-04-29..2023-05-03", work: ["2023-04-23", "2023-05-06"] },
      { name: "端午节", rest: "2023-06-22..2023-06-24", work: ["2023-06-25"] },
      { name: "中秋节、国庆节", rest: "2023-09-29..2023-10-06", work: ["2023-10-07", "2023-10-08"] },
    ],
  },
  2024: {
    docNumber: "国办发明电〔2023〕7号",
    date: "2023-10-25",
    lines: [
      { name: "元旦", rest: "2023-12-30..2024-01-01", work: [] },
      { name: "春节", rest: "2024-02-10..2024-02-17", work: ["2024-02-04", "2024-02-18"] },
      { name: "清明节", rest: "2024-04-04..2024-04-06", work: ["2024-04-07"] },
      { name: "劳动节", rest: "2024-05-01..2024-05-05", work: ["2024-04-28", "2024-05-11"] },
      { name: "端午节", rest: "2024-06-08..2024-06-10", work: [] },
      { name: "中秋节", rest: "2024-09-15..2024-09-17", work: ["2024-09-14"] },
      { name: "国庆节", rest: "2024-10-01..2024-10-07", work: ["2024-09-29", "2024-10-12"] },
    ],
  },
  2025: {
    docNumber: "国办发明电〔2024〕12号",
    date: "2024-11-12",
    lines: [
      { name: "元旦", rest: "2025-01-01..2025-01-01", work: [] },
      { name: "春节", rest: "2025-01-28..2025-02-04", work: ["2025-01-26", "2025-02-08"] },
      { name: "清明节", rest: "2025-04-04..2025-04-06", work: [] },
      { name: "劳动节", rest: "2025-05-01..2025-05-05", work: ["2025-04-27"] },
      { name: "端午节", rest: "2025-05-31..2025-06-02", work: [] },
      { name: "国庆节、中秋节", rest: "2025-10-01..2025-10-08", work: ["2025-09-28", "2025-10-11"] },
    ],
  },
  2026: {
    docNumber: "国办发明电〔2025〕7号",
    date: "2025-11-04",
    lines: [
      { name: "元旦", rest: "2026-01-01..2026-01-03", work: ["2026-01-04"] },
      { name: "春节", rest: "2026-02-15..2026-02-23", work: ["2026-02-14", "2026-02-28"] },
      { name: "清明节", rest: "2026-04-04..2026-04-06", work: [] },
      { name: "劳动节", rest: "2026-05-01..2026-05-05", work: ["2026-05-09"] },
      { name: "端午节", rest: "2026-06-19..2026-06-21", work: [] },
      { name: "中秋节", rest: "2026-09-25..2026-09-27", work: [] },
      { name: "国庆节", rest: "2026-10-01..2026-10-07", work: ["2026-09-20", "2026-10-10"] },
    ],
  },
};

/** Working days per calendar year, hand-computed: weekdays − weekday rest days + make-up days. */
const WORKING_DAYS_PER_YEAR: Record<number, number> = {
  2019: 250, // 261 − 17 + 6
  2020: 249, // 262 − 19 + 6 (251 before the Spring Festival extension)
  2021: 250, // 261 − 18 + 7
  2022: 249, // 260 − 18 + 7
  2023: 249, // 260 − 18 + 7
  2024: 251, // 262 − 19 + 8
  2025: 248, // 261 − 18 + 5
  2026: 248, // 261 − 19 + 6
};

function expand(range: string): string[] {
  const [a, b] = range.split("..") as [string, string];
  const out: string[] = [];
  for (let n = toDayNumber(a); n <= toDayNumber(b); n++) out.push(fromDayNumber(n));
  return out;
}

const files = new Map<number, YearFile>(OFFICIAL_YEAR_FILES.map((f) => [f.year, f]));

describe("year data files", () => {
  it("cover 2019–2026, one file per year", () => {
    assert.deepEqual(
      [...files.keys()].sort((a, b) => a - b),
      [2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026],
    );
  });

  for (const [yearText, notice] of Object.entries(NOTICES)) {
    const year = Number(yearText);
    it(`${year} matches the notice ${notice.docNumber} holiday by holiday`, () => {
      const file = files.get(year);
      assert.ok(file, `missing ${year}.json`);
      assert.deepEqual(validateYearFile(file), []);
      assert.equal(file.notice.docNumber, notice.docNumber);
      assert.equal(file.notice.date, notice.date);
      assert.equal(file.notice.title, `国务院办公厅关于${year}年部分节假日安排的通知`);
      assert.deepEqual(
        file.holidays.map((h) => ({ name: h.name, restDays: h.restDays, workDays: h.workDays })),
        notice.lines.map((l) => ({ name: l.name, restDays: expand(l.rest), workDays: l.work })),
      );
    });
  }

  it("records the two amending notices (2019 劳动节, 2020 春节)", () => {
    assert.deepEqual(
      files.get(2019)?.amendments?.map((a) => [a.docNumber, a.date]),
      [["国办发明电〔2019〕3号", "2019-03-22"]],
    );
    assert.deepEqual(
      files.get(2020)?.amendments?.map((a) => [a.docNumber, a.date]),
      [["国办发明电〔2020〕1号", "2020-01-26"]],
    );
    for (const y of [2021, 2022, 2023, 2024, 2025, 2026])
      assert.deepEqual(files.get(y)?.amendments ?? [], []);
  });

  it("has every make-up working day on a Saturday or Sunday", () => {
    for (const f of OFFICIAL_YEAR_FILES) {
      for (const h of f.holidays) {
        for (const d of h.workDays) assert.ok([0, 6].includes(weekday(d)), `${f.year} ${h.name} ${d}`);
      }
    }
  });

  it("balances weekday rest days against make-up days: the difference is the statutory holiday count", () => {
    // 《全国年节及纪念日放假办法》: 11 days until 2024, 13 from 2025; 2020 has 2 more from the 春节 extension
    // (Friday 31 January off, Saturday 1 February no longer worked).
    for (const f of OFFICIAL_YEAR_FILES) {
      const expected = statutoryHolidayDays(f.year) + (f.year === 2020 ? 2 : 0);
      assert.equal(netWeekdayRestDays(f), expected, String(f.year));
    }
  });

  it("has holiday blocks of at most 10 days that contain a weekend day unless they are one day long", () => {
    // One-day holidays on a weekday are 不调休 (2020 and 2025 元旦, 2023 清明); longer breaks join a weekend.
    for (const f of OFFICIAL_YEAR_FILES) {
      const rest = new Set(f.holidays.flatMap((h) => h.restDays));
      const work = new Set(f.holidays.flatMap((h) => h.workDays));
      for (const d of work) assert.ok(!rest.has(d), `${d} both rest and work`);
      for (const h of f.holidays) {
        assert.ok(h.restDays.length <= 10, `${f.year} ${h.name} too long`);
        const hasWeekend = h.restDays.some((d) => [0, 6].includes(weekday(d)));
        assert.ok(hasWeekend || h.restDays.length === 1, `${f.year} ${h.name}`);
      }
    }
  });

  it("rejects inconsistent data", () => {
    const good = files.get(2025)!;
    const broken = (mut: (f: YearFile) => void): string[] => {
      const copy = structuredClone(good) as YearFile;
      mut(copy);
      return validateYearFile(copy);
    };
    assert.match(
      broken((f) => f.holidays[1]!.workDays.push("2025-01-27")).join(),
      /not a Saturday or Sunday/,
    );
    assert.match(broken((f) => f.holidays[1]!.restDays.splice(2, 1)).join(), /not contiguous/);
    assert.match(broken((f) => f.holidays[2]!.restDays.push("2025-04-09")).join(), /not contiguous/);
    assert.match(broken((f) => f.holidays[3]!.restDays.push("2025-05-31")).join(), /listed twice|contiguous/);
    assert.match(broken((f) => f.holidays[5]!.workDays.push("2025-10-01")).join(), /listed twice|Saturday/);
    assert.match(
      broken((f) => f.holidays[0]!.restDays.splice(0, 1, "2025-02-30")).join(),
      /invalid rest day/,
    );
    assert.match(broken((f) => (f.notice.docNumber = "国办发〔2024〕12号")).join(), /docNumber/);
    assert.match(broken((f) => f.holidays[0]!.restDays.splice(0, 1, "2023-06-01")).join(), /outside/);
    assert.throws(() => buildCalendar({ years: [good, good] }), /重复/);
  });
});

describe("official calendar, every day of 2019–2026", () => {
  const calendar = buildCalendar({ years: OFFICIAL_YEAR_FILES });

  for (const yearText of Object.keys(NOTICES)) {
    const year = Number(yearText);
    it(`${year}: each day is a working day iff (weekday and not a listed rest day) or a listed make-up day`, () => {
      // All notices: the next year's 元旦 break can start in this December (2022-12-31, 2023-12-30/31).
      const rest = new Map<string, string>();
      const work = new Map<string, string>();
      for (const l of Object.values(NOTICES).flatMap((x) => x.lines)) {
        for (const d of expand(l.rest)) rest.set(d, l.name);
        for (const d of l.work) work.set(d, l.name);
      }
      let working = 0;
      for (let n = toDayNumber(`${year}-01-01`); n <= toDayNumber(`${year}-12-31`); n++) {
        const d = fromDayNumber(n);
        const wd = weekday(d);
        const expected = work.has(d) || (wd !== 0 && wd !== 6 && !rest.has(d));
        assert.equal(calendar.isWorkingDay(d), expected, d);
        const info = calendar.dayInfo(d);
        assert.equal(info.working, expected, d);
        assert.equal(info.official, true, d);
        assert.equal(info.name, rest.get(d) ?? work.get(d), d);
        if (expected) working++;
      }
      assert.equal(working, WORKING_DAYS_PER_YEAR[year]);
      assert.equal(calendar.workingDaysInYear(year).count, WORKING_DAYS_PER_YEAR[year]);
    });
  }

  it("has official data exactly for 2019–2026", () => {
    assert.deepEqual(calendar.officialYears(), [2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]);
    assert.equal(calendar.hasOfficialData(2018), false);
    assert.equal(calendar.hasOfficialData(2027), false);
    // Days of the 2019 notice that fall in December 2018 are applied, but 2018 itself stays unofficial.
    assert.deepEqual(
      [
        calendar.dayInfo("2018-12-29").kind,
        calendar.dayInfo("2018-12-31").kind,
        calendar.dayInfo("2018-12-31").official,
      ],
      ["makeupWorkday", "holiday", false],
    );
  });
});
