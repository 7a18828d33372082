/**
 * @module Auditing published annual reports (年度报告审核), as a supervisor (政务公开办) does before the inspectors:
 * every check of the format (国办公开办函〔2021〕30号 勾稽关系 and totals, via checkAnnualReport), the reading
 * problems of the import (missing tables/rows, blank or unreadable cells, the superseded 2019 format), the
 * carry-over from last year's report, a year-on-year comparison of the key figures, and text copied from last
 * year's report or from another agency's (indicators 1.11: more than 60% overlap is flagged; assessments deduct
 * points for it). Pure: no database, no clock.
 */
import { FORMAT_BASIS, type SectionCode, sectionTitle } from "./annual-report.format.ts";
import {
  type AnnualReportData,
  checkAnnualReport,
  type FindingCode,
  getCell,
} from "./annual-report.rules.ts";
import type { ImportedReport, ImportWarning } from "./report-import.rules.ts";

export type AuditFindingCode =
  | FindingCode
  | ImportWarning["code"]
  | "narrative_copied"
  | "narrative_copied_from_peer"
  | "tables_identical_to_previous";

export interface AuditFinding {
  code: AuditFindingCode;
  severity: "error" | "warning";
  section: SectionCode | "identity" | "document";
  /** Official cell names (e.g. 三（七）总计[商业企业]) or section titles. */
  cells: string[];
  message: string;
  basis: string;
}

export interface YearComparison {
  cell: string;
  previous: number;
  current: number;
  change: number;
}

export interface SectionSimilarity {
  section: SectionCode;
  /** Share of this year's text (5-character shingles, numbers masked) found in the other report: 0–1. */
  overlap: number;
  /** Whose text: 上年报告 or the other agency's name. */
  against: string;
}

export interface ReportAudit {
  agencyName: string;
  year: number;
  title: string | null;
  format: ImportedReport["format"];
  passed: boolean;
  findings: AuditFinding[];
  comparison: YearComparison[] | null;
  similarity: SectionSimilarity[];
}

/** indicators 1.11: more than 60% of a section's text shared with last year's or a peer's report is flagged. */
export const COPY_THRESHOLD = 0.6;
/** Sections shorter than this (characters) are not compared: a one-line 「无」 is not copying. */
const MIN_COMPARABLE_LENGTH = 40;
const SHINGLE = 5;
const NARRATIVES: readonly { section: SectionCode; key: "overview" | "problems" | "otherMatters" }[] = [
  { section: "overview", key: "overview" },
  { section: "problems", key: "problems" },
  { section: "other_matters", key: "otherMatters" },
];

const IMPORT_SEVERITY: Record<ImportWarning["code"], AuditFinding["severity"] | null> = {
  table_missing: "error",
  row_missing: "error",
  format_2019: "error",
  section_missing: "error",
  row_unrecognised: "warning",
  cell_blank: "warning",
  label_mismatch: "warning",
  columns_assumed: "warning",
  // An unreadable cell is reported by the format check as invalid_number, with the cell named.
  cell_unreadable: null,
};

/** Key figures compared year on year (cell path → name). */
const KEY_CELLS: readonly [string[], string][] = [
  [["applications", "received", "total"], "一、本年新收[总计]"],
  [["applications", "carried_over", "total"], "二、上年结转[总计]"],
  [["applications", "granted", "total"], "三（一）予以公开[总计]"],
  [["applications", "partially_granted", "total"], "三（二）部分公开[总计]"],
  [["applications", "unavailable_not_held", "total"], "三（四）1.本机关不掌握相关政府信息[总计]"],
  [["applications", "concluded_total", "total"], "三（七）总计[总计]"],
  [["applications", "carried_forward", "total"], "四、结转下年度继续办理[总计]"],
  [["reviewLitigation", "review", "total"], "行政复议·总计"],
  [["reviewLitigation", "litigation_direct", "total"], "行政诉讼·未经复议直接起诉·总计"],
  [["reviewLitigation", "litigation_after_review", "total"], "行政诉讼·复议后起诉·总计"],
  [["proactive", "item1", "rules", "issued"], "规章·本年制发件数"],
  [["proactive", "item1", "normative_documents", "issued"], "行政规范性文件·本年制发件数"],
  [["proactive", "item5", "licensing", "decisions"], "行政许可·本年处理决定数量"],
  [["proactive", "item6", "penalty", "decisions"], "行政处罚·本年处理决定数量"],
];

const SECTION_OF_TABLE: Record<string, keyof ImportedReport["found"]> = {
  proactive: "proactive",
  applications: "applications",
  review_litigation: "reviewLitigation",
};

/** The 5-character shingles of a text, with digits masked (a copy with new numbers is still a copy). */
export function shingles(text: string): Set<string> {
  const t = text
    .normalize("NFKC")
    .replace(/\s+/g, "")
    .replace(/\d+(?:\.\d+)?/g, "#");
  const out = new Set<string>();
  for (let i = 0; i + SHINGLE <= t.length; i++) out.add(t.slice(i, i + SHINGLE));
  return out;
}

/** Share of `text`'s shingles found in `other` (containment, 0–1); null when `text` is too short to judge. */
export function overlap(text: string, other: string): number | null {
  if (text.replace(/\s+/g, "").length < MIN_COMPARABLE_LENGTH) return null;
  const a = shingles(text);
  const b = shingles(other);
  if (a.size === 0) return null;
  let shared = 0;
  for (const s of a) if (b.has(s)) shared++;
  return shared / a.size;
}

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/**
 * Audits one imported report; `previous` is the same organ's report for the year before (imported or stored),
 * `peers` are other agencies' reports of the same year (a supervisor's batch) for the copied-text check.
 */
export function auditReport(
  current: ImportedReport,
  previous?: { data: AnnualReportData; found?: ImportedReport["found"] } | null,
  peers: readonly ImportedReport[] = [],
): ReportAudit {
  const findings: AuditFinding[] = [];
  for (const w of current.warnings) {
    const severity = IMPORT_SEVERITY[w.code];
    if (!severity) continue;
    if (w.code === "format_2019" && current.data.year > 0 && current.data.year < 2021) continue;
    findings.push({
      code: w.code,
      severity,
      section: w.code === "format_2019" || w.code === "table_missing" ? "document" : "applications",
      cells: w.cells,
      message: w.message,
      basis: FORMAT_BASIS,
    });
  }

  const previousUsable = previous && (previous.found?.applications ?? true) ? previous.data : null;
  for (const f of checkAnnualReport(current.data, current.found.applications ? previousUsable : null)) {
    // A table that was not found has no figures to check (its absence is already an error above).
    const table = SECTION_OF_TABLE[f.section];
    if (table && current.found[table] === false) continue;
    // A 2019 or 2020 report in the 2019 trial format is in the format of its year: nothing to warn about.
    if (f.code === "format_not_applicable" && current.format === "2019") continue;
    findings.push({ ...f });
  }

  let comparison: YearComparison[] | null = null;
  if (previous) {
    comparison = [];
    for (const [path, name] of KEY_CELLS) {
      const now = getCell(current.data, path);
      const before = getCell(previous.data, path);
      if (typeof now !== "number" || typeof before !== "number") continue;
      if (!Number.isFinite(now) || !Number.isFinite(before)) continue;
      comparison.push({ cell: name, previous: before, current: now, change: now - before });
    }
    const nonZero = comparison.filter((c) => c.current !== 0);
    if (nonZero.length >= 4 && comparison.every((c) => c.change === 0))
      findings.push({
        code: "tables_identical_to_previous",
        severity: "warning",
        section: "applications",
        cells: nonZero.map((c) => c.cell),
        message: `主要数据与${previous.data.year}年度报告完全相同（${nonZero.length}项非零数据均未变化），请核实是否照搬上年数据。`,
        basis: "考核评估：年度报告照搬上年内容扣分",
      });
  }

  const similarity: SectionSimilarity[] = [];
  const compare = (other: AnnualReportData, against: string, code: AuditFindingCode) => {
    for (const { section, key } of NARRATIVES) {
      const ratio = overlap(current.data[key], other[key]);
      if (ratio === null) continue;
      similarity.push({ section, overlap: Number(ratio.toFixed(3)), against });
      if (ratio > COPY_THRESHOLD)
        findings.push({
          code,
          severity: "warning",
          section,
          cells: [sectionTitle(section)],
          message: `“${sectionTitle(section)}”有${percent(ratio)}的文字与${against}相同，请核实是否照搬。`,
          basis: "考核评估：年度报告内容照搬上年或其他单位扣分（超过60%视为雷同）",
        });
    }
  };
  if (previous) compare(previous.data, `${previous.data.year}年度报告`, "narrative_copied");
  for (const peer of peers) {
    if (peer === current || peer.data.agencyName === current.data.agencyName) continue;
    compare(peer.data, `${peer.data.agencyName || "另一机关"}的报告`, "narrative_copied_from_peer");
  }

  return {
    agencyName: current.data.agencyName,
    year: current.data.year,
    title: current.title,
    format: current.format,
    passed: findings.every((f) => f.severity !== "error"),
    findings,
    comparison,
    similarity,
  };
}
