/**
 * @module SQL for annual reports: the reports themselves and the compiled regional reports. The figures of table 二
 * come from the publishing feature's read module (src/publishing/published.read.ts).
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import type { AnnualReportData } from "./annual-report.rules.ts";
import type {
  AnnualReportRevisionRow,
  AnnualReportRow,
  ManualCells,
  RegionalAnnualReportRow,
  RegionalSource,
  ReportNarratives,
  ReportStatus,
} from "./report.table.ts";

// ---------------------------------------------------------------------------------------------------------------
// annual_reports
// ---------------------------------------------------------------------------------------------------------------

export async function findReport(
  db: DbOrTx,
  agencyId: string,
  year: number,
): Promise<AnnualReportRow | undefined> {
  return db
    .selectFrom("annual_reports")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("year", "=", year)
    .executeTakeFirst();
}

/** Locks the report row for the rest of the transaction. */
export async function findReportForUpdate(
  db: DbOrTx,
  agencyId: string,
  year: number,
): Promise<AnnualReportRow | undefined> {
  return db
    .selectFrom("annual_reports")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("year", "=", year)
    .forUpdate()
    .executeTakeFirst();
}

export interface ReportSummaryRow {
  agency_id: string;
  year: number;
  status: ReportStatus;
  published_on: string | null;
  generated_at: Date;
  updated_at: Date;
}

export async function listReportSummaries(
  db: DbOrTx,
  agencyIds: readonly string[],
): Promise<ReportSummaryRow[]> {
  if (agencyIds.length === 0) return [];
  return db
    .selectFrom("annual_reports")
    .select(["agency_id", "year", "status", "published_on", "generated_at", "updated_at"])
    .where("agency_id", "in", agencyIds)
    .orderBy("year", "desc")
    .execute();
}

/**
 * The agency's reports that have been published (a report under correction, 更正, is back in draft but keeps its
 * `published_on`; its public revision is then the latest in annual_report_revisions).
 */
export async function listPublishedRows(
  db: DbOrTx,
  agencyId: string,
): Promise<{ year: number; published_on: string; data: AnnualReportData }[]> {
  const rows = await db
    .selectFrom("annual_reports")
    .select(["year", "published_on", "data"])
    .where("agency_id", "=", agencyId)
    .where("published_on", "is not", null)
    .orderBy("year", "desc")
    .execute();
  return rows.map((r) => ({ year: r.year, published_on: r.published_on ?? "", data: r.data }));
}

/** The superseded published revisions of a report, newest first. */
export async function listRevisions(
  db: DbOrTx,
  agencyId: string,
  reportId: string,
): Promise<AnnualReportRevisionRow[]> {
  return db
    .selectFrom("annual_report_revisions")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("report_id", "=", reportId)
    .orderBy("revision", "desc")
    .execute();
}

export async function insertRevision(
  db: DbOrTx,
  r: {
    agencyId: string;
    reportId: string;
    revision: number;
    data: AnnualReportData;
    publishedOn: string;
    supersededAt: Date;
    supersededBy: string | null;
    reason: string;
  },
): Promise<void> {
  await db
    .insertInto("annual_report_revisions")
    .values({
      agency_id: r.agencyId,
      report_id: r.reportId,
      revision: r.revision,
      data: JSON.stringify(r.data),
      published_on: r.publishedOn,
      superseded_at: r.supersededAt,
      superseded_by: r.supersededBy,
      reason: r.reason,
    })
    .execute();
}

export async function listReportsOfYear(
  db: DbOrTx,
  agencyIds: readonly string[],
  year: number,
): Promise<AnnualReportRow[]> {
  if (agencyIds.length === 0) return [];
  return db
    .selectFrom("annual_reports")
    .selectAll()
    .where("agency_id", "in", agencyIds)
    .where("year", "=", year)
    .execute();
}

export interface NewReport {
  agencyId: string;
  year: number;
  data: AnnualReportData;
  source: AnnualReportData;
  generatedAt: Date;
  generatedBy: string | null;
}

export async function insertReport(db: DbOrTx, r: NewReport): Promise<AnnualReportRow> {
  return db
    .insertInto("annual_reports")
    .values({
      agency_id: r.agencyId,
      year: r.year,
      data: JSON.stringify(r.data),
      source: JSON.stringify(r.source),
      generated_at: r.generatedAt,
      generated_by: r.generatedBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface ReportPatch {
  status?: ReportStatus;
  data?: AnnualReportData;
  source?: AnnualReportData;
  manual?: ManualCells;
  narratives?: ReportNarratives;
  generated_at?: Date;
  generated_by?: string | null;
  submitted_at?: Date | null;
  submitted_by?: string | null;
  reviewed_at?: Date | null;
  reviewed_by?: string | null;
  approved_at?: Date | null;
  approved_by?: string | null;
  published_at?: Date | null;
  published_by?: string | null;
  published_on?: string | null;
  returned_at?: Date | null;
  returned_by?: string | null;
  returned_reason?: string | null;
  revision?: number;
  corrected_on?: string | null;
}

/** Updates the report if its version is still `expectedVersion`; bumps the version. Undefined on a stale version. */
export async function updateReport(
  db: DbOrTx,
  agencyId: string,
  id: string,
  expectedVersion: number,
  patch: ReportPatch,
): Promise<AnnualReportRow | undefined> {
  const { data, source, manual, narratives, ...rest } = patch;
  return db
    .updateTable("annual_reports")
    .set({
      ...rest,
      ...(data ? { data: JSON.stringify(data) } : {}),
      ...(source ? { source: JSON.stringify(source) } : {}),
      ...(manual ? { manual: JSON.stringify(manual) } : {}),
      ...(narratives ? { narratives: JSON.stringify(narratives) } : {}),
      version: sql<number>`version + 1`,
      updated_at: new Date(),
    })
    .where("agency_id", "=", agencyId)
    .where("id", "=", id)
    .where("version", "=", expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

// ---------------------------------------------------------------------------------------------------------------
// regional_annual_reports
// ---------------------------------------------------------------------------------------------------------------

export async function findRegionalReport(
  db: DbOrTx,
  regionId: string,
  year: number,
): Promise<RegionalAnnualReportRow | undefined> {
  return db
    .selectFrom("regional_annual_reports")
    .selectAll()
    .where("region_id", "=", regionId)
    .where("year", "=", year)
    .executeTakeFirst();
}

export async function listRegionalReports(
  db: DbOrTx,
  regionIds: readonly string[],
): Promise<
  { region_id: string; year: number; name: string; generated_at: Date; published_on: string | null }[]
> {
  if (regionIds.length === 0) return [];
  return db
    .selectFrom("regional_annual_reports")
    .select(["region_id", "year", "name", "generated_at", "published_on"])
    .where("region_id", "in", regionIds)
    .orderBy("year", "desc")
    .execute();
}

export async function upsertRegionalReport(
  db: DbOrTx,
  r: {
    regionId: string;
    year: number;
    name: string;
    data: AnnualReportData;
    narratives: ReportNarratives;
    sources: RegionalSource[];
    missing: RegionalSource[];
    generatedAt: Date;
    generatedBy: string | null;
  },
): Promise<RegionalAnnualReportRow> {
  const values = {
    name: r.name,
    data: JSON.stringify(r.data),
    narratives: JSON.stringify(r.narratives),
    sources: JSON.stringify(r.sources),
    missing: JSON.stringify(r.missing),
    generated_at: r.generatedAt,
    generated_by: r.generatedBy,
  };
  return db
    .insertInto("regional_annual_reports")
    .values({ region_id: r.regionId, year: r.year, ...values })
    .onConflict((oc) => oc.columns(["region_id", "year"]).doUpdateSet({ ...values, updated_at: new Date() }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateRegionalText(
  db: DbOrTx,
  regionId: string,
  year: number,
  patch: { name: string; data: AnnualReportData; narratives: ReportNarratives },
): Promise<RegionalAnnualReportRow | undefined> {
  return db
    .updateTable("regional_annual_reports")
    .set({
      name: patch.name,
      data: JSON.stringify(patch.data),
      narratives: JSON.stringify(patch.narratives),
      updated_at: new Date(),
    })
    .where("region_id", "=", regionId)
    .where("year", "=", year)
    .returningAll()
    .executeTakeFirst();
}

export async function markRegionalPublished(
  db: DbOrTx,
  regionId: string,
  year: number,
  p: { data: AnnualReportData; publishedOn: string; publishedAt: Date; publishedBy: string | null },
): Promise<RegionalAnnualReportRow | undefined> {
  return db
    .updateTable("regional_annual_reports")
    .set({
      published_data: JSON.stringify(p.data),
      published_on: p.publishedOn,
      published_at: p.publishedAt,
      published_by: p.publishedBy,
      updated_at: new Date(),
    })
    .where("region_id", "=", regionId)
    .where("year", "=", year)
    .returningAll()
    .executeTakeFirst();
}
