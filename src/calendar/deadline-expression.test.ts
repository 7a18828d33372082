import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildCalendar } from "./calendar.ts";
import { OFFICIAL_YEAR_FILES } from "./data/index.ts";
import { explainDeadline, parseDeadlineExpression } from "./deadline-expression.ts";

const calendar = buildCalendar({ years: OFFICIAL_YEAR_FILES });

describe("parseDeadlineExpression", () => {
  const valid: [string, number, string, string][] = [
    ["20wd", 20, "workingDays", "20wd"],
    [" 5WD ", 5, "workingDays", "5wd"],
    ["20个工作日", 20, "workingDays", "20wd"],
    ["10d", 10, "calendarDays", "10d"],
    ["15日", 15, "calendarDays", "15d"],
    ["15天", 15, "calendarDays", "15d"],
    ["1m", 1, "months", "1m"],
    ["3个月", 3, "months", "3m"],
  ];
  for (const [text, amount, unit, canonical] of valid) {
    it(`parses ${JSON.stringify(text)}`, () => {
      assert.deepEqual(parseDeadlineExpression(text), { amount, unit, text: canonical });
    });
  }
  for (const text of ["", "wd", "0wd", "-5wd", "5w", "5 working days", "1.5m", "1001wd", "121m", "20wd20"]) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      assert.throws(() => parseDeadlineExpression(text), RangeError);
    });
  }
});

describe("explainDeadline", () => {
  // [start, expression, due, provisional]
  const cases: [string, string, string, boolean][] = [
    // 国庆节、中秋节 2025: 10-01..10-08 rest, 09-28 (Sun) and 10-11 (Sat) make-up working days.
    ["2025-09-26", "5wd", "2025-10-10", false],
    ["2025-09-26", "20wd", "2025-10-30", false],
    // 条例第33条 across 春节 2026 (02-15..02-23 rest; 02-14 and 02-28 make-up).
    ["2026-02-10", "20wd", "2026-03-16", false],
    // 2027 has no data: counted Monday–Friday and provisional.
    ["2026-12-15", "20wd", "2027-01-13", true], // 元旦 2027 a statutory rest day,
    // Calendar days: last day 2025-10-06 is a holiday → next working day.
    ["2025-09-26", "10d", "2025-10-09", false],
    ["2025-09-26", "3d", "2025-09-29", false],
    // Months: same day next month, clamped; rolled forward when a rest day.
    ["2025-01-31", "1m", "2025-02-28", false],
    ["2025-09-01", "1m", "2025-10-09", false],
    ["2026-11-30", "1m", "2026-12-30", false],
    ["2026-12-31", "1m", "2027-02-01", true],
  ];
  for (const [start, expression, due, provisional] of cases) {
    it(`${start} + ${expression} = ${due}${provisional ? " (provisional)" : ""}`, () => {
      const r = explainDeadline(calendar, start, expression);
      assert.equal(r.due, due);
      assert.equal(r.provisional, provisional);
      assert.equal(r.steps[0]?.kind, "start");
      assert.equal(r.steps.at(-1)?.kind, "due");
      assert.equal(
        r.steps.some((s) => s.kind === "provisional"),
        provisional,
      );
      assert.equal(r.reasons.length > 0, provisional);
    });
  }

  it("explains skipped holidays, weekends and counted make-up days", () => {
    const r = explainDeadline(calendar, "2025-09-26", "5wd");
    const counted = r.steps.find((s) => s.kind === "counted");
    assert.ok(counted && counted.kind === "counted");
    assert.equal(counted.weekendDays, 1); // 2025-09-27 (10-04/05 are inside the holiday block)
    assert.deepEqual(counted.holidays, [
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
    assert.deepEqual(counted.makeupWorkdays, [{ date: "2025-09-28", name: "国庆节、中秋节" }]);
    assert.match(counted.text, /跳过国庆节、中秋节假期8天/);
    assert.match(counted.text, /2025年9月28日（星期日）为国庆节、中秋节调休上班日，计入/);
  });

  it("explains a roll-forward", () => {
    const r = explainDeadline(calendar, "2025-09-26", "10d");
    const rolled = r.steps.find((s) => s.kind === "rolled");
    assert.ok(rolled && rolled.kind === "rolled");
    assert.equal(rolled.from, "2025-10-06");
    assert.match(rolled.text, /国庆节、中秋节放假/);
  });

  it("rejects an invalid start date", () => {
    assert.throws(() => explainDeadline(calendar, "2025-02-29", "5wd"), RangeError);
  });
});
