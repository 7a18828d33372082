/**
 * @module The reports feature's public API for the supervision feature (besides published-reports.read.ts): the
 * agencies' reports and the statutory publication deadline (条例第50条), and the audit of report files and stored
 * reports against the official format.
 */

export { publicationDeadline } from "./report.rules.ts";
export { listReports } from "./report.service.ts";
export type { ReportAudit } from "./report-audit.rules.ts";
export {
  auditReportFiles,
  auditStoredReports,
  type FileAudit,
  type ReportFile,
  type StoredReportAudit,
} from "./report-audit.service.ts";
export { MAX_REPORT_BYTES } from "./report-import.readers.ts";
