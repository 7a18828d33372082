/**
 * @module Auditing a batch of published annual reports (a supervisor's region in one run, or one agency's report):
 * read each file, match last year's reports by organ, compare narratives across the batch, and return one audit
 * per file with its cells keyed by the official labels. Files are untrusted: they are read by
 * report-import.readers.ts with its size limits. No database: reports of agencies not on the platform are audited
 * the same way.
 */
import type { Agency } from "../agencies/agency.service.ts";
import type { DbOrTx } from "../db/database.ts";
import { annualReportToJson } from "./annual-report.json.ts";
import type { AnnualReportData } from "./annual-report.rules.ts";
import { findReportView } from "./report.service.ts";
import { auditReport, type ReportAudit } from "./report-audit.rules.ts";
import { readReportFile } from "./report-import.readers.ts";
import { documentToReport, type ImportedReport } from "./report-import.rules.ts";

export interface ReportFile {
  name: string;
  bytes: Uint8Array;
}

export interface FileAudit extends ReportAudit {
  file: string;
  /** The cells as read, keyed by the official labels (the JSON export's shape). */
  cells: ReturnType<typeof annualReportToJson>;
  /** Where each cell was read in the file (cell path → 表格N第R行第C列). */
  sources: Record<string, string>;
  /** The file of last year's report used for the carry-over and copy checks, when one matched. */
  previousFile: string | null;
}

export async function importReportFile(file: ReportFile): Promise<ImportedReport> {
  return documentToReport(await readReportFile(file.name, file.bytes));
}

/**
 * Audits `files`; `previousFiles` are last year's reports, matched to a current report by organ name and year − 1
 * (unmatched ones are ignored). Narratives are compared with every other report of the batch (copied from a peer).
 */
export async function auditReportFiles(
  files: readonly ReportFile[],
  previousFiles: readonly ReportFile[] = [],
): Promise<FileAudit[]> {
  const current = await Promise.all(
    files.map(async (f) => ({ file: f.name, report: await importReportFile(f) })),
  );
  const previous = await Promise.all(
    previousFiles.map(async (f) => ({ file: f.name, report: await importReportFile(f) })),
  );
  const peers = current.map((c) => c.report);
  return current.map(({ file, report }) => {
    const match = previous.find(
      (p) =>
        p.report.data.agencyName !== "" &&
        p.report.data.agencyName === report.data.agencyName &&
        p.report.data.year === report.data.year - 1,
    );
    const audit = auditReport(report, match ? match.report : null, peers);
    return {
      file,
      ...audit,
      cells: annualReportToJson(report.data),
      sources: report.sources,
      previousFile: match?.file ?? null,
    };
  });
}

/** A stored report (entered or generated on the platform) in the shape the audit takes: every part present. */
export function importedFromData(data: AnnualReportData, title: string | null): ImportedReport {
  return {
    title,
    format: "2021",
    data,
    found: {
      proactive: true,
      applications: true,
      reviewLitigation: true,
      sections: ["overview", "proactive", "applications", "review_litigation", "problems", "other_matters"],
    },
    sources: {},
    warnings: [],
  };
}

export interface StoredReportAudit {
  agency: Agency;
  /** null: the agency has no report for the year on the platform. */
  status: { label: string; publishedOn: string | null } | null;
  audit: ReportAudit | null;
}

/**
 * Audits the stored reports of `agencies` for `year` (published or not): the format checks, the carry-over from
 * each agency's previous-year report, and narratives copied from last year or from another agency of the batch.
 */
export async function auditStoredReports(
  db: DbOrTx,
  agencies: readonly Agency[],
  year: number,
  today: string,
): Promise<StoredReportAudit[]> {
  const loaded = [];
  for (const agency of agencies) {
    const current = await findReportView(db, agency, year, today);
    const previous = current ? await findReportView(db, agency, year - 1, today) : undefined;
    loaded.push({ agency, current, previous });
  }
  const peers = loaded.flatMap((l) => (l.current ? [importedFromData(l.current.data, l.current.title)] : []));
  return loaded.map(({ agency, current, previous }) => {
    if (!current) return { agency, status: null, audit: null };
    const imported =
      peers.find((p) => p.title === current.title) ?? importedFromData(current.data, current.title);
    return {
      agency,
      status: { label: current.statusLabel, publishedOn: current.publishedOn ?? null },
      audit: auditReport(imported, previous ? { data: previous.data } : null, peers),
    };
  });
}
