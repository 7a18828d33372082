import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRegion } from "../../test/factories.ts";
import { withEvents } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { type Actor, staffActor, systemActor } from "../accounts/policy.ts";
import type { Db } from "../db/database.ts";
import { isAppError } from "../errors.ts";
import { APPLICANT_TYPE_CODES, APPLICATION_COLUMNS, APPLICATION_ROWS } from "./annual-report.format.ts";
import { annualReportFromJson, annualReportToJson } from "./annual-report.json.ts";
import type { AnnualReportData, ApplicationsData } from "./annual-report.rules.ts";
import { getPublishedReport, listPublishedReports } from "./published-reports.read.ts";
import { EXPORT_FORMATS, type ExportFormat, renderExport } from "./report.exports.ts";
import {
  buildApplications,
  buildRecords,
  createReportFixture,
  EXPECTED_2024,
  EXPECTED_2025,
  EXPECTED_CASES_2025,
  EXPECTED_FEES_2025,
  EXPECTED_PROACTIVE_2025,
  type ReportFixture,
  type SparseTable,
} from "./report.fixtures.ts";
import { buildSourceReport, getReport, reportReminders } from "./report.service.ts";
import { generateRegionalReport } from "./report-compiled.service.ts";
import { generateReport, updateCells, updateNarratives } from "./report-edit.service.ts";
import { transitionReport } from "./report-workflow.service.ts";

const TODAY = "2026-03-16";
const NOW = new Date("2026-03-16T02:00:00Z");

async function rejects(p: Promise<unknown>, code: string): Promise<Record<string, unknown> | undefined> {
  let details: Record<string, unknown> | undefined;
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isAppError(e), String(e));
    assert.equal(e.code, code, e.message);
    details = e.details;
    return true;
  });
  return details;
}

/** The full 25 × 7 table from its non-zero cells, totals computed by hand-rule (sum of the six types). */
function fullTable(sparse: SparseTable): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const row of APPLICATION_ROWS) {
    const cells: Record<string, number> = {};
    let total = 0;
    for (const type of APPLICANT_TYPE_CODES) {
      const v = sparse[row.code]?.[type] ?? 0;
      cells[type] = v;
      total += v;
    }
    cells.total = total;
    out[row.code] = cells;
  }
  return out;
}

function assertEveryCell(actual: ApplicationsData, expected: SparseTable, year: number): void {
  const want = fullTable(expected);
  let checked = 0;
  for (const row of APPLICATION_ROWS) {
    for (const column of APPLICATION_COLUMNS) {
      assert.equal(
        actual[row.code][column.code],
        want[row.code]?.[column.code],
        `${year} 表三 ${row.cellName}[${column.label}]`,
      );
      checked++;
    }
  }
  assert.equal(checked, 25 * 7);
}

const db: Db = (await createTestDatabase()).db;
const dbDeps = withEvents(db);
const fixture: ReportFixture = await createReportFixture(db);
await buildApplications(db, fixture);
await buildRecords(db, fixture);
const { agency } = fixture;
const actor: Actor = staffActor(fixture.boss);

describe("generation from the application register and the records", () => {
  it("table 三: every cell of 2024 and 2025, with carry-over across the years", async () => {
    const r2024 = await buildSourceReport(db, agency, 2024);
    const r2025 = await buildSourceReport(db, agency, 2025);
    assertEveryCell(r2024.applications, EXPECTED_2024, 2024);
    assertEveryCell(r2025.applications, EXPECTED_2025, 2025);
    // Hand-checked headline figures (independent of fullTable).
    assert.equal(r2025.applications.received.total, 8);
    assert.equal(r2025.applications.carried_over.total, 3);
    assert.equal(r2025.applications.concluded_total.total, 9);
    assert.equal(r2025.applications.carried_forward.total, 2);
    assert.deepEqual(
      r2025.applications.carried_over,
      r2024.applications.carried_forward,
      "carry-over continuity",
    );
  });

  it("table 四 and the 信息处理费", async () => {
    const r = await buildSourceReport(db, agency, 2025);
    assert.deepEqual(r.reviewLitigation, EXPECTED_CASES_2025);
    assert.deepEqual(r.processingFees, EXPECTED_FEES_2025);
  });

  it("table 二 from the published records (withdrawn ones excluded, 有效/废止 by date)", async () => {
    const r = await buildSourceReport(db, agency, 2025);
    assert.deepEqual(r.proactive, EXPECTED_PROACTIVE_2025);
    const r2024 = await buildSourceReport(db, agency, 2024);
    // At the end of 2024 the 2023 规范性文件 (repealed 2025-06-30) was still in force.
    assert.deepEqual(r2024.proactive.item1.normative_documents, { issued: 1, repealed: 0, in_force: 2 });
    assert.equal(r2024.proactive.item5.licensing.decisions, 5);
  });

  it("narratives are drafted from the figures", async () => {
    const r = await buildSourceReport(db, agency, 2025);
    assert.match(r.overview, /本年新收政府信息公开申请8件，上年结转3件，本年度办结9件/);
    assert.match(r.overview, /行政许可决定12件、行政处罚决定3件、行政强制决定0件/);
    assert.match(r.problems, /2件政府信息公开申请结转下年度/);
  });
});

describe("the workflow", () => {
  it("generates, keeps staff entries on refresh, refuses submission while checks fail, then publishes", async () => {
    await rejects(
      generateReport(dbDeps, { agency, year: 2027, actor, today: TODAY, now: NOW }),
      "report_year_invalid",
    );
    await rejects(
      generateReport(dbDeps, { agency, year: 2020, actor, today: TODAY, now: NOW }),
      "report_year_invalid",
    );

    let view = await generateReport(dbDeps, { agency, year: 2025, actor, today: TODAY, now: NOW });
    assert.equal(view.status, "draft");
    assert.deepEqual(view.findings, [], JSON.stringify(view.findings));
    assert.equal(view.previousYearChecked, false);

    // A staff entry that breaks the printed identity: submission is refused, naming the cells.
    view = await updateCells(dbDeps, {
      agency,
      year: 2025,
      version: view.version,
      section: "applications",
      values: { "applications.granted.commercial": "4" },
      actor,
      today: TODAY,
    });
    assert.equal(view.data.applications.granted.commercial, 4);
    assert.equal(view.data.applications.concluded_total.commercial, 6, "totals follow the entry");
    assert.equal(view.submittable, false);
    const details = await rejects(
      transitionReport(dbDeps, { agency, year: 2025, transition: "submit", actor, today: TODAY, now: NOW }),
      "report_check_failed",
    );
    const findings = details?.findings as { code: string; cells: string[] }[];
    assert.ok(
      findings.some((f) => f.code === "applications_balance" && f.cells.includes("三（七）总计[商业企业]")),
    );

    // Field-level validation: each bad cell is named; nothing is saved.
    await assert.rejects(
      updateCells(dbDeps, {
        agency,
        year: 2025,
        version: view.version,
        section: "proactive",
        values: {
          "proactive.item1.rules.issued": "1.5",
          "proactive.item8.administrative_fees.amount": "abc",
        },
        actor,
        today: TODAY,
      }),
      (e: unknown) => {
        assert.ok(isAppError(e) && e.code === "validation_failed");
        assert.deepEqual(e.fields.map((f) => f.field).sort(), [
          "proactive.item1.rules.issued",
          "proactive.item8.administrative_fees.amount",
        ]);
        return true;
      },
    );

    // Manual 行政强制 figure (not from records), edited narrative; a stale version is refused.
    view = await updateCells(dbDeps, {
      agency,
      year: 2025,
      version: view.version,
      section: "applications",
      values: { "applications.granted.commercial": "" },
      actor,
      today: TODAY,
    });
    assert.equal(
      view.data.applications.granted.commercial,
      0,
      "an empty entry returns to the generated figure",
    );
    view = await updateCells(dbDeps, {
      agency,
      year: 2025,
      version: view.version,
      section: "proactive",
      values: { "proactive.item6.coercion.decisions": "7" },
      actor,
      today: TODAY,
    });
    await rejects(
      updateNarratives(dbDeps, {
        agency,
        year: 2025,
        version: view.version - 1,
        values: { problems: "x" },
        actor,
        today: TODAY,
      }),
      "report_conflict",
    );
    view = await updateNarratives(dbDeps, {
      agency,
      year: 2025,
      version: view.version,
      values: { problems: "政策解读形式不够丰富。\r\n下一步将加强培训。  " },
      actor,
      today: TODAY,
    });
    assert.equal(view.data.problems, "政策解读形式不够丰富。\n下一步将加强培训。");

    // Refresh keeps both.
    view = await generateReport(dbDeps, {
      agency,
      year: 2025,
      actor,
      today: TODAY,
      now: NOW,
      version: view.version,
    });
    assert.equal(view.data.proactive.item6.coercion.decisions, 7);
    assert.equal(view.source.proactive.item6.coercion.decisions, 0);
    assert.equal(view.data.problems, "政策解读形式不够丰富。\n下一步将加强培训。");
    assert.deepEqual(view.manual, { "proactive.item6.coercion.decisions": 7 });

    // Reset the narrative to the drafted text.
    view = await updateNarratives(dbDeps, {
      agency,
      year: 2025,
      version: view.version,
      values: {},
      reset: ["problems"],
      actor,
      today: TODAY,
    });
    assert.equal(view.data.problems, view.source.problems);

    // Workflow order is enforced.
    await rejects(
      transitionReport(dbDeps, { agency, year: 2025, transition: "approve", actor, today: TODAY, now: NOW }),
      "report_invalid_transition",
    );
    view = await transitionReport(dbDeps, {
      agency,
      year: 2025,
      transition: "submit",
      actor,
      today: TODAY,
      now: NOW,
    });
    assert.equal(view.status, "submitted");
    await rejects(
      updateNarratives(dbDeps, {
        agency,
        year: 2025,
        version: view.version,
        values: { problems: "改" },
        actor,
        today: TODAY,
      }),
      "report_invalid_transition",
    );
    await rejects(
      transitionReport(dbDeps, { agency, year: 2025, transition: "return", actor, today: TODAY, now: NOW }),
      "validation_failed",
    );
    view = await transitionReport(dbDeps, {
      agency,
      year: 2025,
      transition: "return",
      reason: "请核对表二",
      actor,
      today: TODAY,
      now: NOW,
    });
    assert.equal(view.status, "draft");
    assert.equal(view.returnedReason, "请核对表二");
    for (const t of ["submit", "review", "approve"] as const) {
      view = await transitionReport(dbDeps, {
        agency,
        year: 2025,
        transition: t,
        actor,
        today: TODAY,
        now: NOW,
      });
    }
    assert.equal(view.status, "approved");
    assert.deepEqual(
      await listPublishedReports(db, agency.id, agency.slug),
      [],
      "not public before publication",
    );
    await rejects(getPublishedReport(db, agency.id, 2025), "report_not_found");

    view = await transitionReport(dbDeps, {
      agency,
      year: 2025,
      transition: "publish",
      actor,
      today: TODAY,
      now: NOW,
    });
    assert.equal(view.status, "published");
    assert.equal(view.publishedOn, TODAY);
    assert.equal(view.lateness.publishedLate, true, "published after 2026-01-31 (条例第49条)");
    const list = await listPublishedReports(db, agency.id, agency.slug);
    assert.deepEqual(list, [
      {
        year: 2025,
        title: `${agency.name}2025年政府信息公开工作年度报告`,
        publishedOn: TODAY,
        publishedLate: true,
        path: `/agencies/${agency.slug}/reports/2025`,
      },
    ]);
    await rejects(
      generateReport(dbDeps, { agency, year: 2025, actor, today: TODAY, now: NOW }),
      "report_invalid_transition",
    );

    // Every state change is in the audit log.
    const audit = await db
      .selectFrom("audit_events")
      .select("action")
      .where("scope_agency_id", "=", agency.id)
      .where("entity_type", "=", "annual_report")
      .orderBy("seq")
      .execute();
    const actions = audit.map((a) => a.action);
    for (const a of [
      "report.generate",
      "report.edit_cells",
      "report.edit_text",
      "report.refresh",
      "report.return",
      "report.publish",
    ]) {
      assert.ok(actions.includes(a), `${a} audited`);
    }
  });

  it("the statistics year must have ended before submission", async () => {
    const view = await generateReport(dbDeps, { agency, year: 2026, actor, today: TODAY, now: NOW });
    assert.equal(view.status, "draft");
    await rejects(
      transitionReport(dbDeps, { agency, year: 2026, transition: "submit", actor, today: TODAY, now: NOW }),
      "report_year_not_ended",
    );
  });

  it("carry-over continuity is checked against last year's approved report", async () => {
    // 2024 approved → 2025's 二、上年结转 is compared with it (equal here).
    await generateReport(dbDeps, { agency, year: 2024, actor, today: TODAY, now: NOW });
    for (const t of ["submit", "review", "approve"] as const) {
      await transitionReport(dbDeps, { agency, year: 2024, transition: t, actor, today: TODAY, now: NOW });
    }
    const view = await getReport(db, agency, 2025, TODAY);
    assert.equal(view.previousYearChecked, true);
    assert.ok(!view.findings.some((f) => f.code === "carry_over_continuity"));
  });
});

describe("reminders (条例第49条)", () => {
  it("from 1 January until published", async () => {
    const other = await createReportFixture(db, { name: "测试县医疗保障局" });
    const agencies = [agency, other.agency];
    assert.deepEqual(
      await reportReminders(db, agencies, "2025-12-31").then((r) => r.map((x) => x.year)),
      [2024, 2024],
    );
    const jan = await reportReminders(db, agencies, "2026-01-01");
    // `agency` published its 2025 report; `other` has none.
    assert.equal(jan.length, 1);
    assert.equal(jan[0]?.agencyId, other.agency.id);
    assert.equal(jan[0]?.message, "2025年度报告尚未发布，截止日期2026-01-31");
    const feb = await reportReminders(db, agencies, "2026-02-01");
    assert.equal(feb[0]?.overdue, true);
  });
});

describe("exports through the service", () => {
  it("every format renders the stored report; JSON round-trips with the official labels", async () => {
    const { data } = await getPublishedReport(db, agency.id, 2025);
    for (const format of Object.keys(EXPORT_FORMATS) as ExportFormat[]) {
      const file = await renderExport(data, format);
      assert.ok(file.body.length > 500, `${format} not empty`);
      assert.equal(file.fileName, `annual-report-2025.${format}`);
      if (format === "docx" || format === "xlsx")
        assert.equal(file.body.subarray(0, 2).toString("latin1"), "PK");
    }
    const json = JSON.parse((await renderExport(data, "json")).body.toString("utf8"));
    const t3 = json["三、收到和处理政府信息公开申请情况"];
    assert.equal(t3["一、本年新收政府信息公开申请数量"].自然人, 5);
    assert.equal(t3["二、上年结转政府信息公开申请数量"].法人或其他组织.科研机构, 1);
    assert.equal(
      t3["三、本年度办理结果"]["（三）不予公开"]["4.保护第三方合法权益"].法人或其他组织.商业企业,
      1,
    );
    assert.equal(t3["三、本年度办理结果"]["（七）总计"].总计, 9);
    assert.equal(t3["四、结转下年度继续办理"].法人或其他组织.其他, 1);
    const t2 = json["二、主动公开政府信息情况"];
    assert.equal(t2["第二十条第（一）项"].行政规范性文件.现行有效件数, 2);
    assert.equal(t2["第二十条第（六）项"].行政强制.本年处理决定数量, 7);
    assert.equal(t2["第二十条第（八）项"].行政事业性收费["本年收费金额（单位：万元）"], 12.75);
    assert.equal(json["四、政府信息公开行政复议、行政诉讼情况"].行政复议.尚未审结, 1);
    assert.equal(json["六、其他需要报告的事项"].信息处理费["实际收取金额（单位：元）"], 50);
    const back: AnnualReportData = annualReportFromJson(json);
    assert.deepEqual(annualReportToJson(back), json);
  });
});

describe("the region's compiled report", () => {
  it("sums the approved or published reports of the region's agencies and lists the missing ones", async () => {
    const region = await createRegion(db, { name: "汇总测试县" });
    const a = await createReportFixture(db, { name: "汇总测试县人力资源和社会保障局", regionId: region.id });
    const b = await createReportFixture(db, { name: "汇总测试县医疗保障局", regionId: region.id });
    const c = await createReportFixture(db, { name: "汇总测试县民政局", regionId: region.id });
    const bossA: Actor = staffActor(a.boss);
    // a: approved with a manual cell; b: published with another; c: draft only (missing).
    let va = await generateReport(dbDeps, {
      agency: a.agency,
      year: 2025,
      actor: bossA,
      today: TODAY,
      now: NOW,
    });
    va = await updateCells(dbDeps, {
      agency: a.agency,
      year: 2025,
      version: va.version,
      section: "proactive",
      values: {
        "proactive.item5.licensing.decisions": "10",
        "proactive.item8.administrative_fees.amount": "1.5",
      },
      actor: bossA,
      today: TODAY,
    });
    for (const t of ["submit", "review", "approve"] as const) {
      await transitionReport(dbDeps, {
        agency: a.agency,
        year: 2025,
        transition: t,
        actor: bossA,
        today: TODAY,
        now: NOW,
      });
    }
    const bossB: Actor = staffActor(b.boss);
    const vb = await generateReport(dbDeps, {
      agency: b.agency,
      year: 2025,
      actor: bossB,
      today: TODAY,
      now: NOW,
    });
    await updateCells(dbDeps, {
      agency: b.agency,
      year: 2025,
      version: vb.version,
      section: "proactive",
      values: {
        "proactive.item5.licensing.decisions": "5",
        "proactive.item8.administrative_fees.amount": "0.25",
      },
      actor: bossB,
      today: TODAY,
    });
    for (const t of ["submit", "review", "approve", "publish"] as const) {
      await transitionReport(dbDeps, {
        agency: b.agency,
        year: 2025,
        transition: t,
        actor: bossB,
        today: TODAY,
        now: NOW,
      });
    }
    await generateReport(dbDeps, {
      agency: c.agency,
      year: 2025,
      actor: staffActor(c.boss),
      today: TODAY,
      now: NOW,
    });

    const supervisor: Actor = systemActor("监督");
    const view = await generateRegionalReport(dbDeps, {
      regionId: region.id,
      year: 2025,
      actor: supervisor,
      today: TODAY,
      now: NOW,
    });
    assert.equal(view.name, "汇总测试县人民政府");
    assert.equal(view.title, "汇总测试县人民政府2025年政府信息公开工作年度报告");
    assert.deepEqual(view.sources.map((s) => s.agencyName).sort(), [a.agency.name, b.agency.name].sort());
    assert.deepEqual(
      view.missing.map((s) => [s.agencyName, s.status]),
      [[c.agency.name, "draft"]],
    );
    assert.equal(view.data.proactive.item5.licensing.decisions, 15);
    assert.equal(view.data.proactive.item8.administrative_fees.amount, 1.75);
    assert.match(view.data.overview, /汇总本级2个部门/);
    assert.equal(view.deadline, "2026-03-31");
  });
});
