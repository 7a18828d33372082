import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DisclosureAttribute } from "./record.table.ts";
import { addMonths, needsRereview, nextRereviewDate, rereviewState } from "./record-rereview.rules.ts";

describe("needsRereview (条例第18条)", () => {
  const cases: [DisclosureAttribute, boolean][] = [
    ["不予公开", true],
    ["依申请公开", true],
    ["主动公开", false],
  ];
  for (const [d, expected] of cases) it(d, () => assert.equal(needsRereview(d), expected));
});

describe("addMonths", () => {
  const cases: [string, number, string][] = [
    ["2025-03-16", 12, "2026-03-16"],
    ["2025-11-30", 3, "2026-02-28"],
    ["2023-02-28", 12, "2024-02-28"],
    ["2024-02-29", 12, "2025-02-28"],
    ["2025-01-31", 1, "2025-02-28"],
    ["2025-12-01", 1, "2026-01-01"],
    ["2025-06-15", 24, "2027-06-15"],
  ];
  for (const [date, n, expected] of cases)
    it(`${date} + ${n} → ${expected}`, () => assert.equal(addMonths(date, n), expected));
});

describe("nextRereviewDate", () => {
  const cases: [string, string, string | null, number, string][] = [
    ["never reviewed: from 成文日期", "2025-03-01", null, 12, "2026-03-01"],
    ["reviewed: from the last review", "2020-01-01", "2025-09-10", 12, "2026-09-10"],
    ["agency interval of 6 months", "2025-03-01", null, 6, "2025-09-01"],
  ];
  for (const [name, formed, last, months, expected] of cases)
    it(name, () => assert.equal(nextRereviewDate(formed, last, months), expected));
  it("rejects a zero interval", () => assert.throws(() => nextRereviewDate("2025-01-01", null, 0)));
});

describe("rereviewState", () => {
  const cases: [string, string, string][] = [
    ["2026-03-15", "2026-03-16", "overdue"],
    ["2026-03-16", "2026-03-16", "due_soon"],
    ["2026-04-15", "2026-03-16", "due_soon"],
    ["2026-04-16", "2026-03-16", "scheduled"],
  ];
  for (const [next, today, expected] of cases)
    it(`${next} on ${today} → ${expected}`, () => assert.equal(rereviewState(next, today), expected));
});
