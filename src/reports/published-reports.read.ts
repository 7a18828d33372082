/**
 * @module Reads for the public (portal) pages of annual reports: the published list and a published report.
 */
import type { DbOrTx } from "../db/database.ts";
import { AppError, isAppError } from "../errors.ts";
import { reportTitle } from "./annual-report.format.ts";
import type { AnnualReportData } from "./annual-report.rules.ts";
import { findReport, listPublishedRows, listRevisions } from "./report.repository.ts";

// ---------------------------------------------------------------------------------------------------------------
// Public (portal)
// ---------------------------------------------------------------------------------------------------------------

export interface PublishedReportSummary {
  year: number;
  title: string;
  publishedOn: string;
  /** Published after 31 January (条例第49条). */
  publishedLate: boolean;
  /** Path of the public page. */
  path: string;
}

/** The agency's published annual reports, newest first (for the portal's 政府信息公开年报 column). */
export async function listPublishedReports(
  db: DbOrTx,
  agencyId: string,
  agencySlug: string,
): Promise<PublishedReportSummary[]> {
  return (await listPublishedRows(db, agencyId)).map((r) => ({
    year: r.year,
    title: reportTitle(r.data.agencyName, r.year),
    publishedOn: r.published_on,
    publishedLate: r.published_on > `${r.year + 1}-01-31`,
    path: `/agencies/${agencySlug}/reports/${r.year}`,
  }));
}

export interface PublishedReport {
  data: AnnualReportData;
  /** First publication date. */
  publishedOn: string;
  /** Date of the correction shown (本报告已于YYYY-MM-DD更正); null if never corrected. */
  correctedOn: string | null;
  revision: number;
  /** Earlier published revisions (downloadable), newest first. */
  previous: { revision: number; publishedOn: string; reason: string }[];
}

/**
 * A published report as the portal shows it: the current revision, or while a correction is in the workflow the
 * revision last published. @throws AppError report_not_found (also for never-published reports)
 */
export async function getPublishedReport(
  db: DbOrTx,
  agencyId: string,
  year: number,
): Promise<PublishedReport> {
  const row = await findReport(db, agencyId, year);
  if (!row?.published_on) throw new AppError("report_not_found");
  const revisions = await listRevisions(db, agencyId, row.id);
  const previous = revisions.map((r) => ({
    revision: r.revision,
    publishedOn: r.published_on,
    reason: r.reason,
  }));
  if (row.status === "published") {
    return {
      data: row.data,
      publishedOn: row.published_on,
      correctedOn: row.corrected_on,
      revision: row.revision,
      previous,
    };
  }
  const [shown, ...older] = revisions;
  if (!shown) throw new AppError("report_not_found");
  return {
    data: shown.data,
    publishedOn: row.published_on,
    correctedOn: shown.revision > 1 ? shown.published_on : null,
    revision: shown.revision,
    previous: older.map((r) => ({ revision: r.revision, publishedOn: r.published_on, reason: r.reason })),
  };
}

/** The figures of the previous year's published report (图解年报's comparison), or null when there is none. */
export async function previousYearData(
  db: DbOrTx,
  agencyId: string,
  year: number,
): Promise<AnnualReportData | null> {
  try {
    return (await getPublishedReport(db, agencyId, year - 1)).data;
  } catch (e) {
    if (isAppError(e) && e.code === "report_not_found") return null;
    throw e;
  }
}

/** An earlier published revision (for downloads). @throws AppError report_not_found */
export async function getPublishedRevision(
  db: DbOrTx,
  agencyId: string,
  year: number,
  revision: number,
): Promise<AnnualReportData> {
  const report = await getPublishedReport(db, agencyId, year);
  if (report.revision === revision) return report.data;
  const row = await findReport(db, agencyId, year);
  const found = row
    ? (await listRevisions(db, agencyId, row.id)).find((r) => r.revision === revision)
    : undefined;
  if (!found) throw new AppError("report_not_found");
  return found.data;
}
