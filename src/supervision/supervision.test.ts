import assert from "node:assert/strict";
import { describe, test } from "node:test";
import ExcelJS from "exceljs";
import { signIn } from "../../test/auth.ts";
import { createAgency, createUser } from "../../test/factories.ts";
import { createTestApp, createTestDeps } from "../../test/test-app.ts";
import { staffActor } from "../accounts/policy.ts";
import { getAgencyBySlug, regionTree } from "../agencies/agency.service.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { complianceReport } from "../publishing/compliance.service.ts";
import {
  attestObligation,
  ensureObligations,
  listAgencyObligations,
} from "../publishing/obligation.service.ts";
import { seedDemo } from "../seed.ts";
import { fixedClock } from "../shared/clock.ts";
import { BLANK_COLUMNS_VETO, type InspectionFigures, inspect, summarize } from "./inspection.rules.ts";
import { regionDashboard } from "./supervision.service.ts";

function figures(overrides: Partial<InspectionFigures> = {}): InspectionFigures {
  return {
    asOf: "2026-03-16",
    blankColumns: 0,
    attestedColumns: 0,
    staleColumns: 0,
    brokenLinks: 0,
    checkedLinks: 100,
    externalLinks: { checked: 20, lapsedDomains: 0, lapsedLinks: 0 },
    lateRecords: 0,
    publishedRecords: 40,
    overdueRecords: 0,
    missing: { title: 0, indexNumber: 0, formedDate: 0, docNumber: 0 },
    normative: { total: 2, withoutValidity: 0, withoutInterpretation: 0 },
    applications: { open: 3, overdue: 0, concluded: 10, concludedLate: 0, lateCorrectionNotices: 0 },
    annualReport: { year: 2025, status: "published", publishedOn: "2026-01-20", deadline: "2026-01-31" },
    ...overrides,
  };
}

function statusOf(f: InspectionFigures, code: string) {
  return inspect(f).find((c) => c.code === code);
}

describe("inspection rules (thresholds and deductions)", () => {
  test("a clean agency passes every check with 0 points", () => {
    const checks = inspect(figures());
    assert.equal(checks.length, 11);
    assert.deepEqual(
      checks.filter((c) => c.status !== "pass").map((c) => c.code),
      [],
    );
    assert.deepEqual(summarize(checks), { veto: false, failed: 0, warnings: 0, points: 0 });
  });

  test("blank columns: 4 warn, 5 is a single veto; attested columns are not blank", () => {
    assert.equal(
      statusOf(figures({ blankColumns: BLANK_COLUMNS_VETO - 1 }), "blank_columns")?.status,
      "warn",
    );
    assert.equal(statusOf(figures({ blankColumns: BLANK_COLUMNS_VETO }), "blank_columns")?.status, "veto");
    const attested = statusOf(figures({ blankColumns: 0, attestedColumns: 6 }), "blank_columns");
    assert.equal(attested?.status, "pass");
    assert.match(attested?.detail ?? "", /6 个已签署“本栏目暂无信息”/);
    assert.equal(summarize(inspect(figures({ blankColumns: 5 }))).veto, true);
  });

  test("per-item deductions: −5 per late record, −1 per missing 索引号, −6 per overdue application", () => {
    const checks = inspect(
      figures({
        lateRecords: 3,
        missing: { title: 0, indexNumber: 2, formedDate: 4, docNumber: 1 },
        applications: { open: 5, overdue: 2, concluded: 10, concludedLate: 0, lateCorrectionNotices: 0 },
      }),
    );
    const points = Object.fromEntries(checks.map((c) => [c.code, c.points]));
    assert.equal(points.late_records, 15);
    assert.equal(points.missing_metadata, 2, "only 标题/索引号 carry points; 成文日期/文号 are reported");
    assert.equal(points.applications_overdue, 12);
    assert.equal(summarize(checks).points, 29);
  });

  test("broken links: above 1% fails, at or below warns", () => {
    assert.equal(statusOf(figures({ brokenLinks: 1, checkedLinks: 100 }), "broken_links")?.status, "warn");
    assert.equal(statusOf(figures({ brokenLinks: 2, checkedLinks: 100 }), "broken_links")?.status, "fail");
  });

  test("annual report: published by 31 January passes; later or missing after it fails", () => {
    const late = figures({
      annualReport: { year: 2025, status: "published", publishedOn: "2026-02-02", deadline: "2026-01-31" },
    });
    assert.equal(statusOf(late, "annual_report")?.status, "fail");
    const missingBefore = figures({
      asOf: "2026-01-10",
      annualReport: { year: 2025, status: "missing", publishedOn: null, deadline: "2026-01-31" },
    });
    assert.equal(statusOf(missingBefore, "annual_report")?.status, "warn");
    const missingAfter = { ...missingBefore, asOf: "2026-02-01" };
    assert.equal(statusOf(missingAfter, "annual_report")?.status, "fail");
  });
});

describe("blank columns and nil attestations (「本栏目暂无信息」)", async () => {
  const deps = await createTestDeps({ clock: fixedClock("2025-10-30T10:00:00+08:00") });
  const agency = await createAgency(deps.db, { name: "测试县人力资源和社会保障局" });
  await createPublishedCatalog(
    deps.db,
    agency.id,
    [
      { key: "subsidy", name: "就业补贴发放情况", deadline: "季度更新" },
      { key: "blank", name: "职业技能培训定点机构名单", deadline: "根据变动及时更新" },
    ],
    { publishedAt: new Date("2025-01-02T02:00:00Z") },
  );
  await ensureObligations(deps, agency.id, { asOf: "2025-10-30" });

  test("an attested periodic column is lawful, not blank; the other stays blank", async () => {
    const before = await complianceReport(deps, { agencyId: agency.id, asOf: "2025-10-30" });
    assert.deepEqual(
      before.blankItems.map((i) => i.name).sort(),
      ["就业补贴发放情况", "职业技能培训定点机构名单"].sort(),
    );
    const first = (await listAgencyObligations(deps.db, { agencyId: agency.id })).find(
      (o) => o.status === "open",
    );
    assert.ok(first);
    const approver = await createUser(deps.db, { roles: ["approver"], agencyId: agency.id });
    await attestObligation(
      deps,
      staffActor(approver),
      agency.id,
      first.id,
      "本季度未发放就业补贴，无新增信息",
    );
    const after = await complianceReport(deps, { agencyId: agency.id, asOf: "2025-10-30" });
    assert.deepEqual(
      after.blankItems.map((i) => i.name),
      ["职业技能培训定点机构名单"],
    );
    assert.deepEqual(
      after.attestedBlankItems.map((i) => i.name),
      ["就业补贴发放情况"],
    );
  });
});

describe("the regional dashboard on the demo platform", async () => {
  const { app, deps, db } = await createTestApp();
  await seedDemo(deps);
  const asOf = deps.clock.today();

  test("every seed agency is inspected; figures agree with the compliance view", async () => {
    const d = await regionDashboard(deps, { regionId: null, asOf });
    assert.deepEqual(d.rows.map((r) => r.agency.slug).sort(), [
      "liaocheng-hrss",
      "qi-hrss",
      "zalantun-hrss",
      "zhongwei-hrss",
    ]);
    for (const r of d.rows) {
      assert.equal(r.checks.length, 11);
      const c = await complianceReport(deps, { agencyId: r.agency.id, asOf });
      assert.equal(r.figures.blankColumns, c.blankItems.length, r.agency.slug);
      assert.equal(r.figures.staleColumns, c.staleItems.length, r.agency.slug);
      assert.equal(r.figures.annualReport.year, 2025);
    }
  });

  test("a region narrows to its own agencies", async () => {
    const tree = await regionTree(db);
    const ningxia = tree.find((n) => n.name === "宁夏回族自治区");
    assert.ok(ningxia);
    const d = await regionDashboard(deps, { regionId: ningxia.id, asOf });
    assert.deepEqual(
      d.rows.map((r) => r.agency.slug),
      ["zhongwei-hrss"],
    );
  });

  test("pages: the platform administrator sees the dashboard, exports xlsx, opens reports and comparisons", async () => {
    const admin = await createUser(db, { roles: ["platform_admin"] });
    const s = await signIn(app, admin);
    const page = await app.inject({ url: "/admin/supervision", headers: s.headers });
    assert.equal(page.statusCode, 200, page.body.slice(0, 300));
    assert.match(page.body, /区域监督/);
    const sorted = await app.inject({ url: "/admin/supervision?sort=blank&dir=desc", headers: s.headers });
    assert.equal(sorted.statusCode, 200);
    const xlsx = await app.inject({ url: "/admin/supervision/export.xlsx", headers: s.headers });
    assert.equal(xlsx.statusCode, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ExcelJS.Buffer);
    assert.ok((wb.getWorksheet("检查明细")?.rowCount ?? 0) > 1);
    const inspection = await app.inject({ url: "/admin/supervision/inspection", headers: s.headers });
    assert.equal(inspection.statusCode, 200);
    const reports = await app.inject({ url: "/admin/supervision/reports?year=2025", headers: s.headers });
    assert.equal(reports.statusCode, 200, reports.body.slice(0, 300));
    assert.match(reports.body, /2025年度政府信息公开工作年度报告审核/);
    const compare = await app.inject({
      url: "/admin/supervision/compare?agency=qi-hrss&reference=standard:shbx-excerpt",
      headers: s.headers,
    });
    assert.equal(compare.statusCode, 200, compare.body.slice(0, 300));
    assert.match(compare.body, /社会保险登记/);
    const peers = await app.inject({
      url: "/admin/supervision/compare?agency=qi-hrss&reference=agency:zhongwei-hrss",
      headers: s.headers,
    });
    assert.equal(peers.statusCode, 200);
    assert.match(peers.body, /待确认/);
  });

  test("a supervisor sees only their region; agency staff may inspect only their own agency", async () => {
    const tree = await regionTree(db);
    const ningxia = tree.find((n) => n.name === "宁夏回族自治区");
    const shandong = tree.find((n) => n.name === "山东省");
    assert.ok(ningxia && shandong);
    const supervisor = await createUser(db, { roles: ["supervisor"], regionId: ningxia.id });
    const s = await signIn(app, supervisor);
    const own = await app.inject({ url: "/admin/supervision", headers: s.headers });
    assert.equal(own.statusCode, 200);
    assert.match(own.body, /中卫市人力资源和社会保障局/);
    assert.doesNotMatch(own.body, /聊城市人力资源和社会保障局/);
    const other = await app.inject({ url: `/admin/supervision?region=${shandong.id}`, headers: s.headers });
    assert.equal(other.statusCode, 404);
    const peer = await app.inject({
      url: "/admin/supervision/compare?agency=zhongwei-hrss&reference=agency:liaocheng-hrss",
      headers: s.headers,
    });
    assert.equal(peer.statusCode, 404, "an agency outside the region is not revealed");

    const zhongwei = await getAgencyBySlug(db, "zhongwei-hrss");
    const liaocheng = await getAgencyBySlug(db, "liaocheng-hrss");
    const staff = await signIn(app, await createUser(db, { roles: ["agency_admin"], agencyId: zhongwei.id }));
    assert.equal((await app.inject({ url: "/admin/supervision", headers: staff.headers })).statusCode, 403);
    assert.equal(
      (await app.inject({ url: "/admin/agencies/zhongwei-hrss/inspection", headers: staff.headers }))
        .statusCode,
      200,
    );
    assert.equal(
      (await app.inject({ url: `/admin/agencies/${liaocheng.slug}/inspection`, headers: staff.headers }))
        .statusCode,
      404,
    );
  });
});
