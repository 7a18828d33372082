import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classifyInternalPath, formatRate, lastMonths, onTimeStats, staleSince } from "./compliance.rules.ts";

describe("on-time statistics (条例第26条)", () => {
  const records = [
    { publishedDate: "2025-01-10", late: false },
    { publishedDate: "2025-02-10", late: true },
    { publishedDate: "2025-03-10", late: null }, // no due date: published, not measured
    { publishedDate: "2024-12-31", late: true }, // before the window
    { publishedDate: null, late: null }, // never published
  ];
  it("counts records first published in (from, to]", () => {
    assert.deepEqual(onTimeStats(records, "2024-12-31", "2025-12-31"), {
      published: 3,
      measured: 2,
      onTime: 1,
      late: 1,
      rate: 0.5,
    });
  });
  it("rate is null when nothing was measured", () => {
    assert.equal(onTimeStats([], "2025-01-01", "2025-12-31").rate, null);
    assert.equal(formatRate(null), "—");
    assert.equal(formatRate(2 / 3), "66.7%");
    assert.equal(formatRate(1), "100.0%");
  });
});

describe("months of the trend", () => {
  it("ends with the month of asOf, across a year boundary", () => {
    const m = lastMonths("2026-02-15", 3);
    assert.deepEqual(
      m.map((x) => [x.key, x.label, x.start, x.end]),
      [
        ["2025-12", "2025年12月", "2025-12-01", "2025-12-31"],
        ["2026-01", "2026年1月", "2026-01-01", "2026-01-31"],
        ["2026-02", "2026年2月", "2026-02-01", "2026-02-28"],
      ],
    );
  });
});

describe("长期未更新", () => {
  const p = (label: string, start: string, due: string, done: boolean) => ({ label, start, due, done });
  const cases: { why: string; periods: ReturnType<typeof p>[]; expect: string | null }[] = [
    { why: "no closed period", periods: [], expect: null },
    {
      why: "latest closed period done",
      periods: [p("Q1", "2025-01-01", "2025-04-22", false), p("Q2", "2025-04-01", "2025-07-21", true)],
      expect: null,
    },
    {
      why: "latest closed period not done",
      periods: [p("Q1", "2025-01-01", "2025-04-22", true), p("Q2", "2025-04-01", "2025-07-21", false)],
      expect: "Q2",
    },
    {
      why: "order does not matter",
      periods: [p("Q2", "2025-04-01", "2025-07-21", false), p("Q1", "2025-01-01", "2025-04-22", true)],
      expect: "Q2",
    },
  ];
  for (const c of cases) it(c.why, () => assert.equal(staleSince(c.periods)?.label ?? null, c.expect));
});

describe("internal link targets", () => {
  const id = "0b6f8a3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
  const aid = "1b6f8a3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
  const cases: [string, string][] = [
    [`/agencies/qi-hrss/records/${id}`, "record"],
    [`/agencies/qi-hrss/records/${id}?from=list`, "record"],
    [`/agencies/qi-hrss/records/${id}/files/${aid}`, "attachment"],
    ["/static/site.css", "static"],
    ["/agencies/qi-hrss/guide", "other"],
    ["/agencies/qi-hrss/records/not-a-uuid", "other"],
  ];
  for (const [p, kind] of cases) it(`${p} → ${kind}`, () => assert.equal(classifyInternalPath(p).kind, kind));
});
