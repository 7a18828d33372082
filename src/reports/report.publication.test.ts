/**
 * Service tests of round 2: the compiled report over sub-regions, its publication, and corrections (更正) of
 * published agency reports.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRegion } from "../../test/factories.ts";
import { withEvents } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { type Actor, staffActor, systemActor } from "../accounts/policy.ts";
import type { Db } from "../db/database.ts";
import { isAppError } from "../errors.ts";
import { getPublishedReport, getPublishedRevision, listPublishedReports } from "./published-reports.read.ts";
import { createReportFixture, type ReportFixture } from "./report.fixtures.ts";
import { getReport } from "./report.service.ts";
import {
  generateRegionalReport,
  getPublishedRegionalReport,
  listPublishedRegionalReports,
  publishRegionalReport,
  updateRegionalNarratives,
} from "./report-compiled.service.ts";
import { generateReport, updateCells } from "./report-edit.service.ts";
import { correctReport, transitionReport } from "./report-workflow.service.ts";

const TODAY = "2026-03-16";
const NOW = new Date("2026-03-16T02:00:00Z");
const db: Db = (await createTestDatabase()).db;
const dbDeps = withEvents(db);

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isAppError(e), String(e));
    assert.equal(e.code, code, e.message);
    return true;
  });
}

/** Generates the 2025 report (optionally with one manual cell) and moves it to `last`. */
async function reportUpTo(
  f: ReportFixture,
  last: "approve" | "publish",
  licensing?: string,
  today = TODAY,
): Promise<void> {
  const actor: Actor = staffActor(f.boss);
  const view = await generateReport(dbDeps, { agency: f.agency, year: 2025, actor, today, now: NOW });
  if (licensing !== undefined) {
    await updateCells(dbDeps, {
      agency: f.agency,
      year: 2025,
      version: view.version,
      section: "proactive",
      values: { "proactive.item5.licensing.decisions": licensing },
      actor,
      today,
    });
  }
  const steps = ["submit", "review", "approve", "publish"] as const;
  for (const t of steps.slice(0, steps.indexOf(last) + 1)) {
    await transitionReport(dbDeps, { agency: f.agency, year: 2025, transition: t, actor, today, now: NOW });
  }
}

async function auditActions(entityType: string, entityId?: string): Promise<string[]> {
  let q = db.selectFrom("audit_events").select("action").where("entity_type", "=", entityType);
  if (entityId) q = q.where("entity_id", "=", entityId);
  return (await q.orderBy("seq").execute()).map((r) => r.action);
}

describe("the compiled report covers sub-regions (recursive over regions.parent_id)", () => {
  it("a province includes its city's and county's agencies; a city its county's; a county only its own", async () => {
    const province = await createRegion(db, { name: "递归测试省", level: "province" });
    const city = await createRegion(db, { name: "递归测试市", level: "city", parentId: province.id });
    const county = await createRegion(db, { name: "递归测试县", level: "county", parentId: city.id });
    const other = await createRegion(db, { name: "无关测试县", level: "county" });
    const cityAgency = await createReportFixture(db, { name: "递归测试市民政局", regionId: city.id });
    const countyAgency = await createReportFixture(db, { name: "递归测试县民政局", regionId: county.id });
    const draftOnly = await createReportFixture(db, { name: "递归测试县医疗保障局", regionId: county.id });
    const outside = await createReportFixture(db, { name: "无关测试县民政局", regionId: other.id });
    await reportUpTo(cityAgency, "approve", "4");
    await reportUpTo(countyAgency, "publish", "6");
    await reportUpTo(outside, "publish", "100");
    await generateReport(dbDeps, {
      agency: draftOnly.agency,
      year: 2025,
      actor: staffActor(draftOnly.boss),
      today: TODAY,
      now: NOW,
    });

    const gen = (regionId: string) =>
      generateRegionalReport(dbDeps, {
        regionId,
        year: 2025,
        actor: systemActor("测试"),
        today: TODAY,
        now: NOW,
      });
    const p = await gen(province.id);
    assert.deepEqual(
      p.sources.map((s) => s.agencyName).sort(),
      ["递归测试县民政局", "递归测试市民政局"].sort(),
    );
    assert.deepEqual(
      p.missing.map((m) => [m.agencyName, m.status]),
      [["递归测试县医疗保障局", "draft"]],
    );
    assert.equal(
      p.data.proactive.item5.licensing.decisions,
      10,
      "4 (city) + 6 (county); the outside 100 excluded",
    );
    const c = await gen(city.id);
    assert.equal(c.sources.length, 2);
    assert.equal(c.data.proactive.item5.licensing.decisions, 10);
    const k = await gen(county.id);
    assert.deepEqual(
      k.sources.map((s) => s.agencyName),
      ["递归测试县民政局"],
    );
    assert.equal(k.data.proactive.item5.licensing.decisions, 6);
  });
});

describe("publishing the compiled report", () => {
  it("publishes a snapshot, refuses before the year has ended, republishes keeping the first date, audited", async () => {
    const region = await createRegion(db, { name: "发布测试县" });
    const f = await createReportFixture(db, { name: "发布测试县民政局", regionId: region.id });
    await reportUpTo(f, "approve", "3");
    await rejects(
      publishRegionalReport(dbDeps, {
        regionId: region.id,
        year: 2025,
        actor: systemActor("测试"),
        today: TODAY,
        now: NOW,
      }),
      "regional_report_not_found",
    );
    await generateRegionalReport(dbDeps, {
      regionId: region.id,
      year: 2025,
      actor: systemActor("测试"),
      today: TODAY,
      now: NOW,
    });
    assert.deepEqual((await listPublishedRegionalReports(db, region.id)).reports, []);
    await rejects(getPublishedRegionalReport(db, region.id, 2025), "regional_report_not_found");

    const published = await publishRegionalReport(dbDeps, {
      regionId: region.id,
      year: 2025,
      actor: systemActor("监督"),
      today: TODAY,
      now: NOW,
    });
    assert.equal(published.publishedOn, TODAY);
    const list = await listPublishedRegionalReports(db, region.id);
    assert.deepEqual(list.reports, [
      { year: 2025, title: "发布测试县人民政府2025年政府信息公开工作年度报告", publishedOn: TODAY },
    ]);
    const pub = await getPublishedRegionalReport(db, region.id, 2025);
    assert.equal(pub.data.proactive.item5.licensing.decisions, 3);

    // An edit is not public until republished; republishing keeps the first publication date.
    await updateRegionalNarratives(dbDeps, {
      regionId: region.id,
      year: 2025,
      name: "发布测试县人民政府办公室",
      values: { otherMatters: "考核结果：优秀。" },
      actor: systemActor("测试"),
    });
    assert.equal(
      (await getPublishedRegionalReport(db, region.id, 2025)).data.agencyName,
      "发布测试县人民政府",
    );
    await publishRegionalReport(dbDeps, {
      regionId: region.id,
      year: 2025,
      actor: systemActor("测试"),
      today: "2026-04-02",
      now: NOW,
    });
    const again = await getPublishedRegionalReport(db, region.id, 2025);
    assert.equal(again.data.agencyName, "发布测试县人民政府办公室");
    assert.equal(again.data.otherMatters, "考核结果：优秀。");
    assert.equal(again.publishedOn, TODAY);

    // The statistics year must have ended; unknown regions are 404.
    await generateRegionalReport(dbDeps, {
      regionId: region.id,
      year: 2026,
      actor: systemActor("测试"),
      today: TODAY,
      now: NOW,
    });
    await rejects(
      publishRegionalReport(dbDeps, {
        regionId: region.id,
        year: 2026,
        actor: systemActor("测试"),
        today: TODAY,
        now: NOW,
      }),
      "report_year_not_ended",
    );
    await rejects(listPublishedRegionalReports(db, "not-a-uuid"), "region_not_found");
    await rejects(
      listPublishedRegionalReports(db, "00000000-0000-4000-8000-000000000000"),
      "region_not_found",
    );
    const actions = await auditActions("regional_annual_report", `${region.id}/2025`);
    assert.equal(actions.filter((a) => a === "report.aggregate_publish").length, 2);
  });
});

describe("correcting a published report (更正)", () => {
  it("reopens a new revision in draft, keeps the published one public until the correction is published", async () => {
    const f = await createReportFixture(db, { name: "更正测试局" });
    const actor: Actor = staffActor(f.boss);
    await reportUpTo(f, "approve", "2", "2026-01-20");
    await transitionReport(dbDeps, {
      agency: f.agency,
      year: 2025,
      transition: "publish",
      actor,
      today: "2026-01-20",
      now: NOW,
    });
    const base = { agency: f.agency, year: 2025, actor, today: TODAY, now: NOW };

    await assert.rejects(correctReport(dbDeps, { ...base, reason: "  " }), (e: unknown) => {
      assert.ok(isAppError(e) && e.code === "validation_failed");
      assert.equal(e.fields[0]?.field, "reason");
      return true;
    });
    const stale = await getReport(db, f.agency, 2025, TODAY);
    await rejects(
      correctReport(dbDeps, { ...base, reason: "数据有误", version: stale.version - 1 }),
      "report_conflict",
    );

    const draft = await correctReport(dbDeps, { ...base, reason: "行政许可数量统计有误" });
    assert.equal(draft.status, "draft");
    assert.equal(draft.revision, 2);
    assert.equal(draft.publishedOn, "2026-01-20", "the first publication date is kept");
    assert.equal(draft.lateness.publishedLate, false);
    await rejects(correctReport(dbDeps, { ...base, reason: "再次更正" }), "report_invalid_transition");

    // While the correction is in the workflow the portal still shows revision 1.
    const during = await getPublishedReport(db, f.agency.id, 2025);
    assert.equal(during.revision, 1);
    assert.equal(during.correctedOn, null);
    assert.equal(during.data.proactive.item5.licensing.decisions, 2);
    assert.deepEqual(during.previous, []);
    assert.equal((await listPublishedReports(db, f.agency.id, f.agency.slug)).length, 1);

    await updateCells(dbDeps, {
      agency: f.agency,
      year: 2025,
      version: draft.version,
      section: "proactive",
      values: { "proactive.item5.licensing.decisions": "5" },
      actor,
      today: TODAY,
    });
    await rejects(transitionReport(dbDeps, { ...base, transition: "publish" }), "report_invalid_transition");
    for (const t of ["submit", "review", "approve", "publish"] as const) {
      await transitionReport(dbDeps, { ...base, transition: t });
    }

    const after = await getPublishedReport(db, f.agency.id, 2025);
    assert.equal(after.revision, 2);
    assert.equal(after.publishedOn, "2026-01-20");
    assert.equal(after.correctedOn, TODAY);
    assert.equal(after.data.proactive.item5.licensing.decisions, 5);
    assert.deepEqual(after.previous, [
      { revision: 1, publishedOn: "2026-01-20", reason: "行政许可数量统计有误" },
    ]);
    assert.equal(
      (await getPublishedRevision(db, f.agency.id, 2025, 1)).proactive.item5.licensing.decisions,
      2,
    );
    assert.equal(
      (await getPublishedRevision(db, f.agency.id, 2025, 2)).proactive.item5.licensing.decisions,
      5,
    );
    await rejects(getPublishedRevision(db, f.agency.id, 2025, 3), "report_not_found");
    const view = await getReport(db, f.agency, 2025, TODAY);
    assert.equal(view.lateness.publishedLate, false, "judged on the first publication (条例第49条)");

    // A second correction keeps both earlier revisions, each with the date it was published.
    await correctReport(dbDeps, { ...base, today: "2026-04-01", reason: "错别字" });
    const during2 = await getPublishedReport(db, f.agency.id, 2025);
    assert.equal(during2.revision, 2);
    assert.equal(during2.correctedOn, TODAY);
    assert.deepEqual(
      during2.previous.map((p) => [p.revision, p.publishedOn]),
      [[1, "2026-01-20"]],
    );

    const actions = await auditActions("annual_report", draft.id);
    assert.equal(actions.filter((a) => a === "report.correct").length, 2);
    assert.equal(actions.filter((a) => a === "report.publish").length, 2);
  });
});
