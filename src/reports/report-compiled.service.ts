/**
 * @module The government's compiled annual report (本级政府年度报告汇总) per region — 条例第49条: by 31 March; compiling the
 * agencies' published reports and its own workflow.
 */
import type { Actor } from "../accounts/policy.ts";
import { agenciesInRegionTree, findRegion } from "../agencies/agencies.read.ts";
import type { DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { AppError, type FieldError, validationError } from "../errors.ts";
import { recordPublicationCounts } from "../publishing/published.read.ts";
import { reportTitle } from "./annual-report.format.ts";
import {
  type AnnualReportData,
  aggregateReports,
  checkAnnualReport,
  type Finding,
} from "./annual-report.rules.ts";
import {
  findRegionalReport,
  listRegionalReports,
  listReportsOfYear,
  markRegionalPublished,
  updateRegionalText,
  upsertRegionalReport,
} from "./report.repository.ts";
import {
  aggregationDeadline,
  type DraftContext,
  draftNarratives,
  isReportableYear,
  NARRATIVE_FIELDS,
  type NarrativeKey,
  normaliseNarrative,
  yearEnded,
} from "./report.rules.ts";
import { auditActor, listRegionsWithAgencies, type RegionInfo } from "./report.service.ts";
import type {
  RegionalAnnualReportRow,
  RegionalSource,
  ReportNarratives,
  ReportStatus,
} from "./report.table.ts";

// ---------------------------------------------------------------------------------------------------------------
// The government's compiled report (本级政府年度报告汇总), per region — 条例第49条: by 31 March
// ---------------------------------------------------------------------------------------------------------------

/** Statuses of agency reports included in a compiled report. */
export const AGGREGATABLE: readonly ReportStatus[] = ["approved", "published"];

export interface RegionalReportView {
  regionId: string;
  regionName: string;
  year: number;
  name: string;
  title: string;
  data: AnnualReportData;
  narratives: ReportNarratives;
  sources: RegionalSource[];
  missing: RegionalSource[];
  findings: Finding[];
  generatedAt: Date;
  deadline: string;
  /** 发布日期 on the portal (null: not published). */
  publishedOn: string | null;
}

function toRegionalView(region: RegionInfo, row: RegionalAnnualReportRow): RegionalReportView {
  return {
    regionId: row.region_id,
    regionName: region.name,
    year: row.year,
    name: row.name,
    title: reportTitle(row.name, row.year),
    data: row.data,
    narratives: row.narratives,
    sources: row.sources,
    missing: row.missing,
    findings: checkAnnualReport(row.data),
    generatedAt: row.generated_at,
    deadline: aggregationDeadline(row.year),
    publishedOn: row.published_on,
  };
}

/** The default name printed in a compiled report's title: the region's people's government. */
export function governmentName(regionName: string): string {
  return `${regionName}人民政府`;
}

function draftRegionalNarratives(
  data: AnnualReportData,
  context: DraftContext,
  sources: readonly RegionalSource[],
  missing: readonly RegionalSource[],
): Required<ReportNarratives> {
  const base = draftNarratives(data, context);
  const intro = `本报告由${data.agencyName}政府信息公开工作主管部门汇总本级${sources.length}个部门（单位）已审签的${data.year}年度政府信息公开工作年度报告编制${
    missing.length ? `；${missing.map((m) => m.agencyName).join("、")}的年度报告尚未审签，未纳入汇总` : ""
  }。`;
  const [first = "", ...rest] = base.overview.split("\n");
  return {
    overview: [first, intro, ...rest].join("\n"),
    problems: base.problems,
    otherMatters: "工作考核、社会评议和责任追究结果情况（《条例》第五十条第（四）项）：（请主管部门填写）。",
  };
}

/**
 * Compiles (or recompiles) the government's report for a region from the approved or published reports of the
 * agencies in it and in all its sub-regions. Staff-edited narratives and name are kept.
 * @throws AppError region_not_found | report_year_invalid
 */
export async function generateRegionalReport(
  deps: Pick<Deps, "db" | "audit">,
  input: { regionId: string; year: number; actor: Actor; today: string; now: Date },
): Promise<RegionalReportView> {
  if (!isReportableYear(input.year, input.today)) throw new AppError("report_year_invalid");
  const region = (await listRegionsWithAgencies(deps.db)).find((r) => r.id === input.regionId);
  if (!region) throw new AppError("region_not_found");
  return deps.db.transaction().execute(async (trx) => {
    const existing = await findRegionalReport(trx, region.id, input.year);
    const name = existing?.name ?? governmentName(region.name);
    // The agencies of the region and of every sub-region (e.g. a province's departments, cities and counties).
    const agencies = await agenciesInRegionTree(trx, region.id);
    const rows = await listReportsOfYear(
      trx,
      agencies.map((a) => a.id),
      input.year,
    );
    const sources: RegionalSource[] = [];
    const missing: RegionalSource[] = [];
    const included: AnnualReportData[] = [];
    for (const agency of agencies) {
      const row = rows.find((r) => r.agency_id === agency.id);
      const entry = { agencyId: agency.id, agencyName: agency.name, status: row?.status ?? null };
      if (row && AGGREGATABLE.includes(row.status)) {
        sources.push(entry);
        included.push(row.data);
      } else missing.push(entry);
    }
    const aggregated = aggregateReports(included, { agencyName: name, year: input.year });
    const context: DraftContext = {
      recordsPublished: 0,
      interpretationsPublished: 0,
      recordsPublishedLate: 0,
    };
    for (const source of sources) {
      const counts = await recordPublicationCounts(trx, source.agencyId, input.year);
      context.recordsPublished += counts.published;
      context.interpretationsPublished += counts.interpretations;
      context.recordsPublishedLate += counts.late;
    }
    const drafted = draftRegionalNarratives(aggregated, context, sources, missing);
    const narratives = existing?.narratives ?? {};
    const data: AnnualReportData = {
      ...aggregated,
      overview: narratives.overview ?? drafted.overview,
      problems: narratives.problems ?? drafted.problems,
      otherMatters: narratives.otherMatters ?? drafted.otherMatters,
    };
    const row = await upsertRegionalReport(trx, {
      regionId: region.id,
      year: input.year,
      name,
      data,
      narratives,
      sources,
      missing,
      generatedAt: input.now,
      generatedBy: input.actor.id,
    });
    await deps.audit.record(trx, {
      ...auditActor(input.actor),
      action: "report.aggregate",
      agencyId: null,
      entityType: "regional_annual_report",
      entityId: `${region.id}/${input.year}`,
      summary: `汇总${region.name}${input.year}年度政府信息公开工作年度报告（纳入${sources.length}个部门，未纳入${missing.length}个）`,
      after: { sources: sources.map((s) => s.agencyName), missing: missing.map((m) => m.agencyName) },
    });
    return toRegionalView(region, row);
  });
}

/** @throws AppError region_not_found | regional_report_not_found */
export async function getRegionalReport(
  db: DbOrTx,
  regionId: string,
  year: number,
): Promise<RegionalReportView> {
  const region = (await listRegionsWithAgencies(db)).find((r) => r.id === regionId);
  if (!region) throw new AppError("region_not_found");
  const row = await findRegionalReport(db, regionId, year);
  if (!row) throw new AppError("regional_report_not_found");
  return toRegionalView(region, row);
}

export async function listRegionalReportSummaries(
  db: DbOrTx,
  regionIds: readonly string[],
): Promise<
  { regionId: string; year: number; name: string; generatedAt: Date; publishedOn: string | null }[]
> {
  return (await listRegionalReports(db, regionIds)).map((r) => ({
    regionId: r.region_id,
    year: r.year,
    name: r.name,
    generatedAt: r.generated_at,
    publishedOn: r.published_on,
  }));
}

/**
 * Publishes the compiled report on the portal (/regions/{id}/reports/{year}) as it stands now (a later
 * recompilation or edit is public only once republished); republishing keeps the first publication date. The checks must pass (条例第49条: by 31 March).
 * @throws AppError region_not_found | regional_report_not_found | report_year_not_ended | report_check_failed
 */
export async function publishRegionalReport(
  deps: Pick<Deps, "db" | "audit">,
  input: { regionId: string; year: number; actor: Actor; today: string; now: Date },
): Promise<RegionalReportView> {
  const region = (await listRegionsWithAgencies(deps.db)).find((r) => r.id === input.regionId);
  if (!region) throw new AppError("region_not_found");
  if (!yearEnded(input.year, input.today)) throw new AppError("report_year_not_ended");
  return deps.db.transaction().execute(async (trx) => {
    const row = await findRegionalReport(trx, region.id, input.year);
    if (!row) throw new AppError("regional_report_not_found");
    const errors = checkAnnualReport(row.data).filter((f) => f.severity === "error");
    if (errors.length > 0) {
      throw new AppError("report_check_failed", `汇总年度报告未通过校验（${errors.length}项错误）。`, {
        details: { findings: errors },
      });
    }
    const updated = await markRegionalPublished(trx, region.id, input.year, {
      data: row.data,
      publishedOn: row.published_on ?? input.today,
      publishedAt: input.now,
      publishedBy: input.actor.id,
    });
    if (!updated) throw new AppError("regional_report_not_found");
    const late = input.today > aggregationDeadline(input.year);
    await deps.audit.record(trx, {
      ...auditActor(input.actor),
      action: "report.aggregate_publish",
      agencyId: null,
      entityType: "regional_annual_report",
      entityId: `${region.id}/${input.year}`,
      summary: `发布${region.name}${input.year}年度汇总年度报告${late ? "（晚于条例第四十九条规定的3月31日）" : ""}`,
      before: { publishedOn: row.published_on },
      after: { publishedOn: updated.published_on },
    });
    return toRegionalView(region, updated);
  });
}

/** The region's published compiled reports, newest first (public). @throws AppError region_not_found */
export async function listPublishedRegionalReports(
  db: DbOrTx,
  regionId: string,
): Promise<{
  region: { id: string; name: string };
  reports: { year: number; title: string; publishedOn: string }[];
}> {
  const region = await findRegion(db, regionId);
  if (!region) throw new AppError("region_not_found");
  const reports = (await listRegionalReports(db, [region.id]))
    .filter((r) => r.published_on !== null)
    .map((r) => ({ year: r.year, title: reportTitle(r.name, r.year), publishedOn: r.published_on ?? "" }));
  return { region, reports };
}

/** A published compiled report (public). @throws AppError region_not_found | regional_report_not_found */
export async function getPublishedRegionalReport(
  db: DbOrTx,
  regionId: string,
  year: number,
): Promise<{ region: { id: string; name: string }; data: AnnualReportData; publishedOn: string }> {
  const region = await findRegion(db, regionId);
  if (!region) throw new AppError("region_not_found");
  const row = await findRegionalReport(db, region.id, year);
  if (!row?.published_on || !row.published_data) throw new AppError("regional_report_not_found");
  return { region, data: row.published_data, publishedOn: row.published_on };
}

/**
 * Edits the compiled report's name and narratives (the government writes its own 一、五、六, including
 * 工作考核、社会评议和责任追究结果, 条例第50条第（四）项).
 * @throws AppError validation_failed | regional_report_not_found
 */
export async function updateRegionalNarratives(
  deps: Pick<Deps, "db" | "audit">,
  input: {
    regionId: string;
    year: number;
    name: string;
    values: Partial<Record<NarrativeKey, string>>;
    actor: Actor;
  },
): Promise<RegionalReportView> {
  const name = input.name.trim();
  const errors: FieldError[] = [];
  if (name.length < 2 || name.length > 100) errors.push({ field: "name", message: "名称应为2至100个字" });
  for (const f of NARRATIVE_FIELDS) {
    const text = input.values[f.key];
    if (text !== undefined && normaliseNarrative(text).length > f.maxLength) {
      errors.push({ field: f.key, message: `内容不能超过${f.maxLength}字` });
    }
  }
  if (errors.length > 0) throw validationError(errors);
  const region = (await listRegionsWithAgencies(deps.db)).find((r) => r.id === input.regionId);
  if (!region) throw new AppError("region_not_found");
  return deps.db.transaction().execute(async (trx) => {
    const row = await findRegionalReport(trx, input.regionId, input.year);
    if (!row) throw new AppError("regional_report_not_found");
    const narratives: ReportNarratives = { ...row.narratives };
    for (const f of NARRATIVE_FIELDS) {
      const text = input.values[f.key];
      if (text !== undefined) narratives[f.key] = normaliseNarrative(text);
    }
    const data: AnnualReportData = { ...row.data, agencyName: name, ...narratives };
    const updated = await updateRegionalText(trx, input.regionId, input.year, { name, data, narratives });
    if (!updated) throw new AppError("regional_report_not_found");
    await deps.audit.record(trx, {
      ...auditActor(input.actor),
      action: "report.aggregate_edit",
      agencyId: null,
      entityType: "regional_annual_report",
      entityId: `${input.regionId}/${input.year}`,
      summary: `修改${region.name}${input.year}年度汇总年度报告正文`,
    });
    return toRegionalView(region, updated);
  });
}
