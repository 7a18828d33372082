/**
 * @module SQL for annual reports: the reports themselves, the compiled regional reports, and the figures of
 * table 二 read from the publishing feature's `records` table (it exports no counting function; the columns used
 * are documented in src/publishing/record.table.ts: doc_category, formed_date, repeal_date, validity,
 * decision_count, fee_amount_wan).
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import { isUuid } from "../shared/ids.ts";
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

export interface RegionRef {
  id: string;
  name: string;
}

export async function findRegion(db: DbOrTx, regionId: string): Promise<RegionRef | undefined> {
  if (!isUuid(regionId)) return undefined;
  return db.selectFrom("regions").select(["id", "name"]).where("id", "=", regionId).executeTakeFirst();
}

/**
 * The agencies of a region and of all its sub-regions (recursive over regions.parent_id): a government's compiled
 * report covers its departments and the governments below it.
 */
export async function agenciesInRegionTree(
  db: DbOrTx,
  regionId: string,
): Promise<{ id: string; name: string; region_id: string }[]> {
  const result = await sql<{ id: string; name: string; region_id: string }>`
    WITH RECURSIVE tree(id) AS (
      SELECT id FROM regions WHERE id = ${regionId}
      UNION
      SELECT r.id FROM regions r JOIN tree t ON r.parent_id = t.id
    )
    SELECT a.id, a.name, a.region_id
    FROM agencies a JOIN tree t ON a.region_id = t.id
    ORDER BY a.name, a.id`.execute(db);
  return result.rows;
}

// ---------------------------------------------------------------------------------------------------------------
// Table 二 from the records (publishing feature's tables)
// ---------------------------------------------------------------------------------------------------------------

export interface CategoryCounts {
  doc_category: string;
  /** 本年制发: 成文日期 in the year. */
  issued: number;
  /** 本年废止: 废止/失效 date in the year. */
  repealed: number;
  /** 现行有效 at 31 December: formed by then, not repealed by then, not marked 失效/废止 without a date. */
  in_force: number;
  /** 本年处理决定数量: decisions published by records formed in the year. */
  decisions: number;
  /** 行政事业性收费 (万元) reported by records formed in the year. */
  fees_wan: number;
}

/**
 * Counts per annual-report category over the agency's published records. Statistics period: 1 January –
 * 31 December of `year` (legal-spec §2.4).
 */
export async function recordCategoryCounts(
  db: DbOrTx,
  agencyId: string,
  year: number,
): Promise<CategoryCounts[]> {
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const rows = await db
    .selectFrom("records")
    .select([
      "doc_category",
      sql<number>`count(*) FILTER (WHERE formed_date BETWEEN ${from}::date AND ${to}::date)::int`.as(
        "issued",
      ),
      sql<number>`count(*) FILTER (WHERE repeal_date BETWEEN ${from}::date AND ${to}::date)::int`.as(
        "repealed",
      ),
      sql<number>`count(*) FILTER (WHERE formed_date <= ${to}::date
        AND (repeal_date IS NULL OR repeal_date > ${to}::date)
        AND NOT (repeal_date IS NULL AND validity IN ('失效', '废止')))::int`.as("in_force"),
      sql<number>`coalesce(sum(decision_count) FILTER (WHERE formed_date BETWEEN ${from}::date AND ${to}::date), 0)::int`.as(
        "decisions",
      ),
      sql<number>`coalesce(sum(fee_amount_wan) FILTER (WHERE formed_date BETWEEN ${from}::date AND ${to}::date), 0)`.as(
        "fees_wan",
      ),
    ])
    .where("agency_id", "=", agencyId)
    .where("status", "=", "published")
    .where("kind", "=", "document")
    .where("doc_category", "is not", null)
    .groupBy("doc_category")
    .execute();
  return rows.map((r) => ({
    doc_category: r.doc_category ?? "",
    issued: Number(r.issued),
    repealed: Number(r.repealed),
    in_force: Number(r.in_force),
    decisions: Number(r.decisions),
    fees_wan: Number(r.fees_wan),
  }));
}

/** Records first published in the year (主动公开), of which 政策解读 and of which late (条例第26条). */
export async function recordPublicationCounts(
  db: DbOrTx,
  agencyId: string,
  year: number,
): Promise<{ published: number; interpretations: number; late: number }> {
  const row = await db
    .selectFrom("records")
    .select([
      sql<number>`count(*)::int`.as("published"),
      sql<number>`count(*) FILTER (WHERE kind = 'interpretation')::int`.as("interpretations"),
      sql<number>`count(*) FILTER (WHERE late IS TRUE)::int`.as("late"),
    ])
    .where("agency_id", "=", agencyId)
    .where("status", "in", ["published", "withdrawn"])
    .where("disclosure", "=", "主动公开")
    .where("published_date", ">=", `${year}-01-01`)
    .where("published_date", "<=", `${year}-12-31`)
    .executeTakeFirstOrThrow();
  return {
    published: Number(row.published),
    interpretations: Number(row.interpretations),
    late: Number(row.late),
  };
}
