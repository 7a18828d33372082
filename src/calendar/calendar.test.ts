import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildCalendar, missingYearReason } from "./calendar.ts";
import { OFFICIAL_YEAR_FILES } from "./data/index.ts";
import { addDays, fromDayNumber, toDayNumber } from "./date.ts";
import { foldIcsLine, toIcs } from "./ics.ts";
import type { CalendarOverride } from "./types.ts";

const calendar = buildCalendar({ years: OFFICIAL_YEAR_FILES });

describe("addWorkingDays", () => {
  it("skips the 2025 National Day block and counts make-up days (issue example)", () => {
    assert.deepEqual(calendar.addWorkingDays("2025-09-26", 5), {
      date: "2025-10-10",
      provisional: false,
      reasons: [],
    });
  });

  // Hand-computed, one row per holiday block of 2024–2026: from the last working day before the block,
  // +1 working day lands on the first working day after it (a make-up Saturday/Sunday when there is one).
  const aroundBlocks: [string, string, string][] = [
    ["2024 元旦", "2023-12-29", "2024-01-02"],
    ["2024 春节 (除夕2月9日 is a working day)", "2024-02-09", "2024-02-18"],
    ["2024 清明节", "2024-04-03", "2024-04-07"],
    ["2024 劳动节", "2024-04-30", "2024-05-06"],
    ["2024 端午节", "2024-06-07", "2024-06-11"],
    ["2024 中秋节 (from the make-up Saturday)", "2024-09-14", "2024-09-18"],
    ["2024 国庆节", "2024-09-30", "2024-10-08"],
    ["2025 元旦", "2024-12-31", "2025-01-02"],
    ["2025 春节", "2025-01-27", "2025-02-05"],
    ["2025 清明节", "2025-04-03", "2025-04-07"],
    ["2025 劳动节", "2025-04-30", "2025-05-06"],
    ["2025 端午节", "2025-05-30", "2025-06-03"],
    ["2025 国庆节、中秋节", "2025-09-30", "2025-10-09"],
    ["2026 元旦 (lands on the make-up Sunday)", "2025-12-31", "2026-01-04"],
    ["2026 春节 (from the make-up Saturday)", "2026-02-14", "2026-02-24"],
    ["2026 清明节", "2026-04-03", "2026-04-07"],
    ["2026 劳动节", "2026-04-30", "2026-05-06"],
    ["2026 端午节", "2026-06-18", "2026-06-22"],
    ["2026 中秋节", "2026-09-24", "2026-09-28"],
    ["2026 国庆节", "2026-09-30", "2026-10-08"],
  ];
  for (const [label, before, after] of aroundBlocks) {
    it(`${label}: ${before} + 1 working day = ${after}`, () => {
      const r = calendar.addWorkingDays(before, 1);
      assert.equal(r.date, after);
      assert.equal(r.provisional, false);
      assert.equal(calendar.addWorkingDays(after, -1).date, before);
      assert.equal(calendar.countWorkingDays(before, after).count, 1);
    });
  }

  // 条例第33条: 20 working days from receipt, hand-counted through each kind of block.
  const replyDeadlines: [string, string][] = [
    ["2025-09-26", "2025-10-30"], // 9-28 and 10-11 make-up days count, 10-01..10-08 do not
    ["2025-01-20", "2025-02-21"], // 春节 with make-up days 1-26 and 2-8
    ["2024-02-05", "2024-03-08"], // 春节 2024
    ["2024-04-30", "2024-05-30"], // 劳动节 2024 with make-up 5-11
    ["2026-02-13", "2026-03-19"], // 9-day 春节 2026 with make-up 2-14 and 2-28
    ["2026-09-18", "2026-10-22"], // 中秋节 then 国庆节 2026, make-up 9-20 and 10-10
  ];
  for (const [received, due] of replyDeadlines) {
    it(`20 working days from ${received} = ${due}`, () => {
      assert.equal(calendar.addWorkingDays(received, 20).date, due);
      assert.equal(calendar.countWorkingDays(received, due).count, 20);
    });
  }

  it("returns the start date for 0 and counts backwards for negative N", () => {
    assert.equal(calendar.addWorkingDays("2025-10-04", 0).date, "2025-10-04");
    assert.equal(calendar.addWorkingDays("2025-10-09", -1).date, "2025-09-30");
    assert.equal(calendar.addWorkingDays("2025-10-09", -2).date, "2025-09-29");
    assert.throws(() => calendar.addWorkingDays("2025-10-09", 1.5), RangeError);
    assert.throws(() => calendar.addWorkingDays("2025-13-01", 1), RangeError);
    assert.throws(() => calendar.addWorkingDays("1990-01-01", 1), /超出工作日历范围/);
  });

  it("is provisional while 2027 has no data, official once a national 2027 override set is given", () => {
    const r = calendar.addWorkingDays("2026-12-15", 20);
    assert.equal(r.date, "2027-01-13"); // statutory 元旦 and Monday–Friday counting in 2027
    assert.equal(r.provisional, true);
    assert.deepEqual(r.reasons, [missingYearReason(2027)]);
    assert.match(r.reasons[0]!, /^2027年放假安排尚未发布/);

    const with2027 = buildCalendar({
      years: OFFICIAL_YEAR_FILES,
      overrides: [{ date: "2027-01-01", kind: "rest", name: "元旦" }],
    });
    assert.equal(with2027.hasOfficialData(2027), true);
    assert.deepEqual(with2027.addWorkingDays("2026-12-15", 20), {
      date: "2027-01-13",
      provisional: false,
      reasons: [],
    });
  });

  it("is not provisional when the counted days stay inside official years", () => {
    assert.equal(calendar.addWorkingDays("2026-12-01", 20).provisional, false); // ends 2026-12-29
    assert.equal(calendar.addWorkingDays("2026-12-01", 20).date, "2026-12-29");
    assert.equal(calendar.addWorkingDays("2027-03-01", -300).provisional, true);
  });

  it("round-trips with countWorkingDays for random starts (property)", () => {
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const lo = toDayNumber("2019-01-01");
    for (let k = 0; k < 5000; k++) {
      const d = fromDayNumber(lo + Math.floor(rand() * 365 * 8));
      const n = 1 + Math.floor(rand() * 60);
      const r = calendar.addWorkingDays(d, n);
      assert.equal(calendar.countWorkingDays(d, r.date).count, n);
      assert.equal(calendar.isWorkingDay(r.date), true);
      assert.equal(calendar.countWorkingDays(d, addDays(r.date, -1)).count, n - 1);
    }
  });
});

describe("calendar days and months", () => {
  it("adds calendar days and rolls a last day that is a rest day to the next working day", () => {
    assert.deepEqual(calendar.addCalendarDays("2025-09-11", 20), {
      date: "2025-10-09",
      provisional: false,
      reasons: [],
      rolledFrom: "2025-10-01",
    });
    // A make-up Sunday is a working day: no roll.
    assert.deepEqual(calendar.addCalendarDays("2025-09-08", 20), {
      date: "2025-09-28",
      provisional: false,
      reasons: [],
    });
    assert.equal(calendar.addCalendarDays("2025-09-11", 20, { roll: "none" }).date, "2025-10-01");
    assert.equal(calendar.addCalendarDays("2026-12-20", 12).provisional, true); // 2027-01-01, no 2027 data
  });

  it("adds months: same day next month, clamped, then rolled to a working day", () => {
    const cases: [string, string][] = [
      ["2025-08-31", "2025-09-30"],
      ["2025-01-31", "2025-02-28"],
      ["2024-01-31", "2024-02-29"],
      ["2025-09-01", "2025-10-09"], // 10-01 is 国庆节
      ["2024-09-01", "2024-10-08"],
      ["2026-01-31", "2026-02-28"], // clamped to Saturday 2-28, a make-up working day
      ["2025-12-14", "2026-01-14"],
    ];
    for (const [d, expected] of cases) assert.equal(calendar.addMonths(d, 1).date, expected, d);
  });

  it("finds next and previous working days", () => {
    assert.equal(calendar.nextWorkingDay("2025-09-30").date, "2025-10-09");
    assert.equal(calendar.nextWorkingDay("2025-10-11", true).date, "2025-10-11");
    assert.equal(calendar.previousWorkingDay("2025-02-01").date, "2025-01-27");
    assert.equal(calendar.previousWorkingDay("2025-01-27", true).date, "2025-01-27");
  });
});

describe("countWorkingDays", () => {
  it("counts (from, to] and is negative backwards", () => {
    assert.equal(calendar.countWorkingDays("2025-09-30", "2025-10-09").count, 1);
    assert.equal(calendar.countWorkingDays("2025-10-09", "2025-09-30").count, -1);
    assert.equal(calendar.countWorkingDays("2025-01-01", "2025-12-31").count, 248);
    assert.equal(calendar.countWorkingDays("2025-05-05", "2025-05-05").count, 0);
  });

  it("marks counts that reach into a year without data as provisional", () => {
    const r = calendar.countWorkingDays("2026-12-31", "2027-12-31");
    assert.equal(r.count, 248); // 261 Monday–Friday days minus 13 statutory rest days on weekdays
    assert.equal(r.provisional, true);
    assert.deepEqual(r.reasons, [missingYearReason(2027)]);
  });
});

describe("dayInfo and holidays", () => {
  it("describes each kind of day", () => {
    assert.deepEqual(calendar.dayInfo("2025-10-11"), {
      date: "2025-10-11",
      working: true,
      kind: "makeupWorkday",
      official: true,
      name: "国庆节、中秋节",
      source: "notice",
    });
    assert.equal(calendar.dayInfo("2025-10-04").kind, "holiday"); // a Saturday inside the block
    assert.equal(calendar.dayInfo("2025-10-12").kind, "weekend");
    assert.deepEqual(calendar.dayInfo("2024-02-09"), {
      date: "2024-02-09",
      working: true,
      kind: "workday",
      official: true,
    }); // 除夕 2024: only "encouraged" as leave, officially a working day
    assert.equal(calendar.dayInfo("2027-01-01").official, false);
  });

  it("lists holidays skipped in a range by name", () => {
    assert.deepEqual(calendar.holidaysBetween("2025-09-26", "2025-10-30"), [
      {
        name: "国庆节、中秋节",
        dates: [
          "2025-10-01",
          "2025-10-02",
          "2025-10-03",
          "2025-10-04",
          "2025-10-05",
          "2025-10-06",
          "2025-10-07",
          "2025-10-08",
        ],
      },
    ]);
    assert.deepEqual(
      calendar.holidaysBetween("2025-12-20", "2026-02-28").map((h) => [h.name, h.dates.length]),
      [
        ["元旦", 3],
        ["春节", 9],
      ],
    );
  });
});

describe("overrides", () => {
  const regional = {
    date: "2025-07-15",
    kind: "rest" as const,
    name: "地方民族节日",
    scope: { regionId: "r-1" },
  };

  it("applies regional rest days only to that region's calendar", () => {
    const r1 = buildCalendar({ years: OFFICIAL_YEAR_FILES, overrides: [regional], regionId: "r-1" });
    const r2 = buildCalendar({ years: OFFICIAL_YEAR_FILES, overrides: [regional], regionId: "r-2" });
    const national = buildCalendar({ years: OFFICIAL_YEAR_FILES, overrides: [regional] });
    assert.equal(r1.isWorkingDay("2025-07-15"), false);
    assert.deepEqual(
      [r1.dayInfo("2025-07-15").kind, r1.dayInfo("2025-07-15").source, r1.dayInfo("2025-07-15").name],
      ["holiday", "regionalOverride", "地方民族节日"],
    );
    assert.equal(r2.isWorkingDay("2025-07-15"), true);
    assert.equal(national.isWorkingDay("2025-07-15"), true);
    assert.equal(r1.addWorkingDays("2025-07-14", 1).date, "2025-07-16");
    assert.equal(national.addWorkingDays("2025-07-14", 1).date, "2025-07-15");
  });

  it("does not make a year official through a regional override", () => {
    const r = buildCalendar({
      years: OFFICIAL_YEAR_FILES,
      overrides: [{ date: "2027-03-01", kind: "rest", name: "地方节日", scope: { regionId: "r-1" } }],
      regionId: "r-1",
    });
    assert.equal(r.hasOfficialData(2027), false);
    assert.equal(r.addWorkingDays("2027-02-26", 1).provisional, true);
  });

  it("lets a national override correct a notice day and a regional one win over a national one", () => {
    const c = buildCalendar({
      years: OFFICIAL_YEAR_FILES,
      overrides: [
        { date: "2025-10-11", kind: "rest", name: "更正" },
        { date: "2025-10-11", kind: "work", name: "地方补班", scope: { regionId: "r-1" } },
      ],
      regionId: "r-1",
    });
    assert.equal(c.dayInfo("2025-10-11").source, "regionalOverride");
    assert.equal(c.isWorkingDay("2025-10-11"), true);
    const n = buildCalendar({
      years: OFFICIAL_YEAR_FILES,
      overrides: [{ date: "2025-10-11", kind: "rest", name: "更正" }],
    });
    assert.equal(n.isWorkingDay("2025-10-11"), false);
  });

  it("rejects invalid overrides", () => {
    const bad = [
      { date: "2025-02-30", kind: "rest", name: "x" },
      { date: "2025-02-03", kind: "off", name: "x" },
      { date: "2025-02-03", kind: "rest", name: " " },
      { date: "2025-02-03", kind: "rest", name: "x", scope: { regionId: "" } },
    ];
    for (const o of bad) {
      assert.throws(
        () => buildCalendar({ years: OFFICIAL_YEAR_FILES, overrides: [o as unknown as CalendarOverride] }),
        /日历调整数据有误/,
      );
    }
  });

  it("works without any data: every year provisional, statutory holidays and Monday–Friday", () => {
    const empty = buildCalendar({ years: [] });
    const r = empty.addWorkingDays("2025-09-26", 5);
    assert.equal(r.date, "2025-10-09"); // 10-01..10-03 国庆节, 10-06 中秋节
    assert.equal(r.provisional, true);
  });
});

describe("toIcs", () => {
  const ics = toIcs(calendar, 2025);

  it("exports one event per rest block and per make-up day", () => {
    assert.equal(ics.match(/BEGIN:VEVENT/g)?.length, 6 + 5);
    assert.ok(ics.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert.ok(ics.endsWith("END:VCALENDAR\r\n"));
    const unfolded = ics.replace(/\r\n /g, "");
    assert.match(
      unfolded,
      /UID:gongkai-cn-20250128-rest@gongkai\r\nDTSTAMP:20241112T000000Z\r\nDTSTART;VALUE=DATE:20250128\r\nDTEND;VALUE=DATE:20250205\r\nSUMMARY:春节（休）/,
    );
    assert.match(
      unfolded,
      /DTSTART;VALUE=DATE:20251011\r\nDTEND;VALUE=DATE:20251012\r\nSUMMARY:国庆节、中秋节调休上班（班）/,
    );
    assert.match(
      unfolded,
      /DESCRIPTION:依据：国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）/,
    );
  });

  it("folds lines at 75 octets without splitting characters and is deterministic", () => {
    for (const line of ics.split("\r\n")) assert.ok(Buffer.byteLength(line, "utf8") <= 75, line);
    assert.equal(toIcs(calendar, 2025), ics);
    const folded = foldIcsLine(`SUMMARY:${"节".repeat(40)}`);
    assert.equal(folded.replace(/\r\n /g, ""), `SUMMARY:${"节".repeat(40)}`);
  });

  it("escapes text and labels regional days and years without data", () => {
    const c = buildCalendar({
      years: OFFICIAL_YEAR_FILES,
      overrides: [{ date: "2027-07-15", kind: "rest", name: "节日,甲;乙", scope: { regionId: "r-1" } }],
      regionId: "r-1",
    });
    const out = toIcs(c, 2027).replace(/\r\n /g, "");
    assert.match(out, /SUMMARY:节日\\,甲\\;乙（休）（本地区）/);
    assert.match(out, /X-WR-CALNAME:法定节假日及调休上班（2027年）（2027年放假安排尚未发布/);
    assert.match(out, /DTSTAMP:20270101T000000Z/);
  });
});
