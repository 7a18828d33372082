/**
 * @module Row types of the annual-report tables (migration 2026-11-23T1830-create-annual-reports).
 */
import type { ColumnType, Generated, JSONColumnType, Selectable } from "kysely";
import type { AnnualReportData } from "./annual-report.rules.ts";

/** Workflow status: 起草 → 提交审核 → 已审核 → 已审签 → 已发布 (条例第49条: publish by 31 January). */
export type ReportStatus = "draft" | "submitted" | "reviewed" | "approved" | "published";

/** Staff-edited narratives (absent = the text drafted from the data). */
export interface ReportNarratives {
  overview?: string;
  problems?: string;
  otherMatters?: string;
}

/** Staff-entered cells, keyed by cell key (the NumericCell path joined with "."). */
export type ManualCells = Record<string, number>;

export interface AnnualReportTable {
  agency_id: string;
  id: Generated<string>;
  year: number;
  status: Generated<ReportStatus>;
  version: Generated<number>;
  /** The effective report: source + manual cells + narratives, totals computed. */
  data: JSONColumnType<AnnualReportData, string, string>;
  /** The report as generated from the application register and the records (narratives drafted). */
  source: JSONColumnType<AnnualReportData, string, string>;
  manual: JSONColumnType<ManualCells, string | undefined, string>;
  narratives: JSONColumnType<ReportNarratives, string | undefined, string>;
  generated_at: Date;
  generated_by: string | null;
  submitted_at: Date | null;
  submitted_by: string | null;
  reviewed_at: Date | null;
  reviewed_by: string | null;
  approved_at: Date | null;
  approved_by: string | null;
  published_at: Date | null;
  published_by: string | null;
  /** 发布日期 (Asia/Shanghai), compared with the 31 January deadline. */
  published_on: string | null;
  returned_at: Date | null;
  returned_by: string | null;
  returned_reason: string | null;
  /** 1 for the report as first published; +1 for each correction (更正). */
  revision: Generated<number>;
  /** Date the current revision (a correction) was published; null for the first revision. */
  corrected_on: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** An agency whose report was included in (or missing from) a compiled report. */
export interface RegionalSource {
  agencyId: string;
  agencyName: string;
  status: ReportStatus | null;
}

export interface RegionalAnnualReportTable {
  region_id: string;
  year: number;
  /** The government's name printed in the title (e.g. 扎兰屯市人民政府). */
  name: string;
  data: JSONColumnType<AnnualReportData, string, string>;
  narratives: JSONColumnType<ReportNarratives, string | undefined, string>;
  sources: JSONColumnType<RegionalSource[], string | undefined, string>;
  missing: JSONColumnType<RegionalSource[], string | undefined, string>;
  generated_at: Date;
  generated_by: string | null;
  /** 发布日期 of the compiled report on the portal (null: not published). */
  published_on: string | null;
  published_at: Date | null;
  published_by: string | null;
  /** The report as published (shown on the portal until republished). */
  published_data: JSONColumnType<AnnualReportData, string | null | undefined, string | null> | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** A superseded published revision of an agency report (kept downloadable after a correction, 更正). */
export interface AnnualReportRevisionTable {
  agency_id: string;
  report_id: string;
  revision: number;
  data: JSONColumnType<AnnualReportData, string, string>;
  /** The date this revision was published. */
  published_on: string;
  superseded_at: Date;
  superseded_by: string | null;
  /** 更正说明: why the revision was corrected. */
  reason: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export type AnnualReportRow = Selectable<AnnualReportTable>;
export type RegionalAnnualReportRow = Selectable<RegionalAnnualReportTable>;
export type AnnualReportRevisionRow = Selectable<AnnualReportRevisionTable>;
