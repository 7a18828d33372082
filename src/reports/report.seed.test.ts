import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createTestDeps } from "../../test/test-app.ts";
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import { DEMO_AGENCIES } from "../agencies/demo-agencies.ts";
import { seedDemo } from "../seed.ts";
import { fixedClock } from "../shared/clock.ts";
import { checkAnnualReport } from "./annual-report.rules.ts";
import { listPublishedReports } from "./published-reports.read.ts";
import { EXPORT_FORMATS, type ExportFormat, renderExport } from "./report.exports.ts";
import { DEMO_REPORT_YEAR, seedDemoReportsFor } from "./report.seed.ts";
import { getReport } from "./report.service.ts";

// The whole demo seed (every feature's demo data), then the 2025 reports generated from it.
const deps = await createTestDeps({ clock: fixedClock("2026-03-16T10:00:00+08:00") });
const first = await seedDemo(deps);

describe("demo annual reports", () => {
  it("the 2025 report of every seed agency generates from the demo data, passes its checks and is published", async () => {
    assert.deepEqual(first.reports?.failed, []);
    assert.deepEqual([...(first.reports?.published ?? [])].sort(), DEMO_AGENCIES.map((a) => a.slug).sort());
    for (const demo of DEMO_AGENCIES) {
      const agency = await getAgencyBySlug(deps.db, demo.slug);
      const view = await getReport(deps.db, agency, DEMO_REPORT_YEAR, deps.clock.today());
      assert.equal(view.status, "published", demo.slug);
      // Seeded in March 2026, the demo report still counts as published on time (条例第49条: by 31 January).
      assert.equal(view.publishedOn, "2026-01-20", demo.slug);
      assert.equal(view.lateness.publishedLate, false, demo.slug);
      assert.deepEqual(
        checkAnnualReport(view.data).filter((f) => f.severity === "error"),
        [],
        demo.slug,
      );
      assert.equal(view.title, `${demo.name}2025年政府信息公开工作年度报告`);
      const listed = await listPublishedReports(deps.db, agency.id, agency.slug);
      assert.deepEqual(
        listed.map((r) => r.year),
        [2025],
      );
      for (const format of Object.keys(EXPORT_FORMATS) as ExportFormat[]) {
        const file = await renderExport(view.data, format);
        assert.ok(file.body.length > 1000, `${demo.slug} ${format}`);
      }
    }
  });

  it("is idempotent", async () => {
    const again = await seedDemo(deps);
    assert.deepEqual(again.reports?.published, []);
    assert.deepEqual([...(again.reports?.existing ?? [])].sort(), DEMO_AGENCIES.map((a) => a.slug).sort());
  });

  it("does nothing before the statistics year has ended", async () => {
    const early = await createTestDeps({ db: deps.db, clock: fixedClock("2025-12-31T10:00:00+08:00") });
    assert.deepEqual(await seedDemoReportsFor(early, DEMO_REPORT_YEAR), {
      published: [],
      existing: [],
      failed: [],
    });
  });
});
