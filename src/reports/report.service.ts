/**
 * @module Annual report use cases (政府信息公开工作年度报告, 条例第49–50条; 国办公开办函〔2021〕30号), the shared part: generating the
 * figures from the application register and the records, reading reports, reminders and the late flag, the agencies
 * and regions a user sees. Editing is in report-edit.service.ts, the workflow in report-workflow.service.ts, the
 * public pages' reads in published-reports.read.ts, the government's compiled report in report-compiled.service.ts,
 * the demo data in report-demo.service.ts.
 *
 * Authorization is the routes' job (they know the user); every state change is audited in its transaction.
 */
import { type Actor, agencyScope, type StaffUser } from "../accounts/policy.ts";
import { type Agency, getAgencyBySlug, type RegionNode, regionTree } from "../agencies/agency.service.ts";
import type { DbOrTx } from "../db/database.ts";
import { AppError } from "../errors.ts";
import { recordCategoryCounts, recordPublicationCounts } from "../publishing/published.read.ts";
import { annualRequestStats } from "../requests/request-stats.read.ts";
import { reportTitle } from "./annual-report.format.ts";
import {
  type AnnualReportData,
  checkAnnualReport,
  computeTotals,
  emptyReport,
  type Finding,
  isSubmittable,
} from "./annual-report.rules.ts";
import { findReport, listReportSummaries, listReportsOfYear } from "./report.repository.ts";
import {
  type DraftContext,
  draftNarratives,
  dueReportYear,
  type Lateness,
  lateness,
  REPORT_STATUSES,
  type Reminder,
  reminderFor,
  type SourceReport,
} from "./report.rules.ts";
import type { AnnualReportRow, ManualCells, ReportNarratives, ReportStatus } from "./report.table.ts";

/** Who acts (null id: the system, e.g. the demo seed): the one Actor of accounts/policy.ts. */

export function auditActor(actor: Actor) {
  return { actorId: actor.id, actorName: actor.name, ip: actor.ip ?? null };
}

// ---------------------------------------------------------------------------------------------------------------
// Generating the figures
// ---------------------------------------------------------------------------------------------------------------

/**
 * Table 三, table 四 and the 信息处理费 of one agency and year, from the application register (the applications
 * feature's `annualRequestStats`: 一 by receipt date (条例第31条), 三 by the date concluded, 二 and 四 = still
 * open at the end of the previous / this year; legal-spec §2.4).
 */
export async function requestYearStats(
  db: DbOrTx,
  agencyId: string,
  year: number,
): Promise<Pick<AnnualReportData, "applications" | "reviewLitigation" | "processingFees">> {
  const stats = await annualRequestStats(db, agencyId, year);
  return {
    applications: stats.applications,
    reviewLitigation: stats.reviewLitigation,
    processingFees: stats.processingFees,
  };
}

/** Table 二 from the agency's published records (doc_category, dates, decision counts, fee amounts). */
export async function proactiveFromRecords(
  db: DbOrTx,
  agencyId: string,
  year: number,
): Promise<AnnualReportData["proactive"]> {
  const p = emptyReport(year, "").proactive;
  for (const c of await recordCategoryCounts(db, agencyId, year)) {
    switch (c.doc_category) {
      case "rules":
      case "normative_documents":
        p.item1[c.doc_category] = { issued: c.issued, repealed: c.repealed, in_force: c.in_force };
        break;
      case "licensing":
        p.item5.licensing.decisions = c.decisions;
        break;
      case "penalty":
      case "coercion":
        p.item6[c.doc_category].decisions = c.decisions;
        break;
      case "administrative_fees":
        p.item8.administrative_fees.amount = Number(c.fees_wan.toFixed(6));
        break;
    }
  }
  return p;
}

/** The report as generated from the data, with drafted narratives (no staff entries). */
export async function buildSourceReport(db: DbOrTx, agency: Agency, year: number): Promise<AnnualReportData> {
  const data = emptyReport(year, agency.name);
  data.proactive = await proactiveFromRecords(db, agency.id, year);
  const stats = await requestYearStats(db, agency.id, year);
  data.applications = stats.applications;
  data.reviewLitigation = stats.reviewLitigation;
  data.processingFees = stats.processingFees;
  const totals = computeTotals(data);
  const counts = await recordPublicationCounts(db, agency.id, year);
  const context: DraftContext = {
    recordsPublished: counts.published,
    interpretationsPublished: counts.interpretations,
    recordsPublishedLate: counts.late,
  };
  const source: SourceReport = { ...totals, ...draftNarratives(totals, context), draftContext: context };
  return source;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------------------

export interface ReportView {
  id: string;
  agencyId: string;
  agencyName: string;
  year: number;
  title: string;
  status: ReportStatus;
  statusLabel: string;
  version: number;
  /** The effective report (checked, rendered, exported). */
  data: AnnualReportData;
  /** The figures and drafted narratives generated from the data. */
  source: AnnualReportData;
  manual: ManualCells;
  narratives: ReportNarratives;
  findings: Finding[];
  submittable: boolean;
  /** Whether last year's report was available for the carry-over check. */
  previousYearChecked: boolean;
  generatedAt: Date;
  submittedAt: Date | null;
  reviewedAt: Date | null;
  approvedAt: Date | null;
  publishedAt: Date | null;
  publishedOn: string | null;
  returnedAt: Date | null;
  returnedReason: string | null;
  lateness: Lateness;
  /** 1 as first published; +1 per correction (更正). */
  revision: number;
  /** Date the current revision (a correction) was published. */
  correctedOn: string | null;
}

/** Last year's report of the agency for the carry-over check, once it is approved or published. */
export async function previousYearData(
  db: DbOrTx,
  agencyId: string,
  year: number,
): Promise<AnnualReportData | null> {
  const row = await findReport(db, agencyId, year - 1);
  return row && (row.status === "approved" || row.status === "published") ? row.data : null;
}

export async function toView(
  db: DbOrTx,
  agency: Agency,
  row: AnnualReportRow,
  today: string,
): Promise<ReportView> {
  const previous = await previousYearData(db, agency.id, row.year);
  const findings = checkAnnualReport(row.data, previous);
  return {
    id: row.id,
    agencyId: row.agency_id,
    agencyName: agency.name,
    year: row.year,
    title: reportTitle(row.data.agencyName, row.year),
    status: row.status,
    statusLabel: REPORT_STATUSES[row.status],
    version: row.version,
    data: row.data,
    source: row.source,
    manual: row.manual,
    narratives: row.narratives,
    findings,
    submittable: isSubmittable(findings),
    previousYearChecked: previous !== null,
    generatedAt: row.generated_at,
    submittedAt: row.submitted_at,
    reviewedAt: row.reviewed_at,
    approvedAt: row.approved_at,
    publishedAt: row.published_at,
    publishedOn: row.published_on,
    returnedAt: row.returned_at,
    returnedReason: row.returned_reason,
    lateness: lateness(row.year, row.published_on, today),
    revision: row.revision,
    correctedOn: row.corrected_on,
  };
}

/** @throws AppError report_not_found */
export async function getReport(
  db: DbOrTx,
  agency: Agency,
  year: number,
  today: string,
): Promise<ReportView> {
  const row = await findReport(db, agency.id, year);
  if (!row) throw new AppError("report_not_found");
  return toView(db, agency, row, today);
}

export async function findReportView(
  db: DbOrTx,
  agency: Agency,
  year: number,
  today: string,
): Promise<ReportView | undefined> {
  const row = await findReport(db, agency.id, year);
  return row ? toView(db, agency, row, today) : undefined;
}

export interface ReportSummary {
  agencyId: string;
  year: number;
  status: ReportStatus;
  statusLabel: string;
  publishedOn: string | null;
  lateness: Lateness;
  updatedAt: Date;
}

export async function listReports(
  db: DbOrTx,
  agencyIds: readonly string[],
  today: string,
): Promise<ReportSummary[]> {
  return (await listReportSummaries(db, agencyIds)).map((r) => ({
    agencyId: r.agency_id,
    year: r.year,
    status: r.status,
    statusLabel: REPORT_STATUSES[r.status],
    publishedOn: r.published_on,
    lateness: lateness(r.year, r.published_on, today),
    updatedAt: r.updated_at,
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// Reminders (console) — 条例第49条
// ---------------------------------------------------------------------------------------------------------------

export interface AgencyReminder extends Reminder {
  agencyId: string;
  agencyName: string;
  agencySlug: string;
  status: ReportStatus | null;
}

/**
 * The reminders for the report due this year (the previous year's), for the given agencies: from 1 January until
 * published, e.g. "2025年度报告尚未发布，截止日期2026-01-31", flagged overdue after 31 January.
 */
export async function reportReminders(
  db: DbOrTx,
  agencies: readonly Pick<Agency, "id" | "name" | "slug">[],
  today: string,
): Promise<AgencyReminder[]> {
  const year = dueReportYear(today);
  const rows = await listReportsOfYear(
    db,
    agencies.map((a) => a.id),
    year,
  );
  const out: AgencyReminder[] = [];
  for (const agency of agencies) {
    const row = rows.find((r) => r.agency_id === agency.id);
    const reminder = reminderFor(row?.published_on ?? null, today);
    if (reminder) {
      out.push({
        ...reminder,
        agencyId: agency.id,
        agencyName: agency.name,
        agencySlug: agency.slug,
        status: row?.status ?? null,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Agencies and regions visible to a user (listing pages)
// ---------------------------------------------------------------------------------------------------------------

export interface RegionInfo {
  id: string;
  name: string;
  /** Agencies directly in this region (本级政府的部门). */
  agencies: Agency[];
}

function flattenRegions(nodes: RegionNode[], out: RegionInfo[] = []): RegionInfo[] {
  for (const n of nodes) {
    out.push({ id: n.id, name: n.name, agencies: n.agencies });
    flattenRegions(n.children, out);
  }
  return out;
}

/** Every region that has agencies somewhere below it, with its direct agencies. */
export async function listRegionsWithAgencies(db: DbOrTx): Promise<RegionInfo[]> {
  return flattenRegions(await regionTree(db));
}

export async function listAgenciesByName(db: DbOrTx): Promise<Agency[]> {
  return (await listRegionsWithAgencies(db)).flatMap((r) => r.agencies);
}

/** The agencies whose reports the user may read (own agency, supervised regions, or all for platform roles). */
export async function agenciesVisibleTo(db: DbOrTx, user: StaffUser): Promise<Agency[]> {
  const scope = agencyScope(user, "report.read");
  const all = await listAgenciesByName(db);
  return scope.all
    ? all
    : all.filter((a) => scope.agencyIds.includes(a.id) || scope.regionIds.includes(a.regionId));
}

/**
 * The console notices of the annual report for a signed-in user (for the console home page): the report due this
 * year of each agency the user may read, until it is published. Render with `remindersFragment` (report.views.ts).
 */
export async function reportRemindersFor(
  db: DbOrTx,
  user: StaffUser,
  today: string,
): Promise<AgencyReminder[]> {
  return reportReminders(db, await agenciesVisibleTo(db, user), today);
}

export { getAgencyBySlug };
