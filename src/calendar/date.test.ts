import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  addDays,
  addMonthsClamped,
  chineseWeekday,
  daysInMonth,
  diffDays,
  formatChineseDate,
  fromDayNumber,
  isValidDate,
  nextFixedYearlyDate,
  nextPeriod,
  periodContaining,
  periodEnd,
  periodOf,
  toDayNumber,
  weekday,
} from "./date.ts";

describe("day numbers", () => {
  it("round-trips every day from 1999 to 2061 and agrees with UTC milliseconds", () => {
    // Verification only: Date.UTC is an independent implementation of the same proleptic calendar.
    const start = toDayNumber("1999-01-01");
    for (let n = start; n < start + 365 * 63; n++) {
      const s = fromDayNumber(n);
      assert.equal(toDayNumber(s), n);
      assert.equal(new Date(n * 86_400_000).toISOString().slice(0, 10), s);
    }
  });

  it("rejects malformed and non-existent dates", () => {
    for (const bad of [
      "2025-2-01",
      "2025-02-29",
      "2024-13-01",
      "2024-00-10",
      "2024-04-31",
      "20250101",
      "abcd-ef-gh",
      "",
    ]) {
      assert.throws(() => toDayNumber(bad), RangeError, bad);
      assert.equal(isValidDate(bad), false);
    }
    assert.equal(isValidDate("2024-02-29"), true);
    assert.equal(isValidDate(20250101), false);
  });

  it("computes weekdays (0 = Sunday)", () => {
    assert.equal(weekday("1970-01-01"), 4);
    assert.equal(weekday("2025-10-10"), 5);
    assert.equal(weekday("2025-09-28"), 0);
    assert.equal(weekday("2026-02-14"), 6);
    assert.equal(chineseWeekday("2025-10-11"), "星期六");
  });

  it("adds and diffs days across month and year ends", () => {
    assert.equal(addDays("2024-02-28", 1), "2024-02-29");
    assert.equal(addDays("2025-12-31", 1), "2026-01-01");
    assert.equal(addDays("2025-01-01", -1), "2024-12-31");
    assert.equal(diffDays("2025-01-01", "2026-01-01"), 365);
  });
});

describe("months and periods", () => {
  it("clamps to the end of a shorter month", () => {
    const cases: [string, number, string][] = [
      ["2025-01-31", 1, "2025-02-28"],
      ["2024-01-31", 1, "2024-02-29"],
      ["2025-03-31", 1, "2025-04-30"],
      ["2025-08-31", 1, "2025-09-30"],
      ["2025-12-15", 1, "2026-01-15"],
      ["2025-11-30", 3, "2026-02-28"],
      ["2025-03-31", -1, "2025-02-28"],
    ];
    for (const [d, n, expected] of cases) assert.equal(addMonthsClamped(d, n), expected, `${d} + ${n}`);
  });

  it("knows month lengths including leap years", () => {
    assert.equal(daysInMonth(2024, 2), 29);
    assert.equal(daysInMonth(2100, 2), 28);
    assert.equal(daysInMonth(2000, 2), 29);
    assert.equal(daysInMonth(2025, 11), 30);
  });

  it("finds period ends and labels", () => {
    assert.equal(periodEnd("2025-02-10", "month"), "2025-02-28");
    assert.equal(periodEnd("2025-05-10", "quarter"), "2025-06-30");
    assert.equal(periodEnd("2025-05-10", "year"), "2025-12-31");
    const q = periodContaining("2025-11-03", "quarter");
    assert.deepEqual([q.start, q.end, q.label], ["2025-10-01", "2025-12-31", "2025年第四季度"]);
    assert.equal(nextPeriod(q).label, "2026年第一季度");
    assert.equal(nextPeriod(periodOf("month", 2025, 12)).label, "2026年1月");
    assert.equal(periodOf("year", 2025, 1).label, "2025年度");
    assert.throws(() => periodOf("quarter", 2025, 5), RangeError);
  });

  it("finds the next fixed yearly date on or after a day", () => {
    assert.equal(nextFixedYearlyDate("2025-06-01", 1, 31), "2026-01-31");
    assert.equal(nextFixedYearlyDate("2025-01-31", 1, 31), "2025-01-31");
    assert.equal(nextFixedYearlyDate("2025-03-01", 2, 29), "2026-02-28");
  });

  it("formats Chinese dates without leading zeros", () => {
    assert.equal(formatChineseDate("2025-01-05"), "2025年1月5日");
  });
});
