/**
 * @module The annual report's data, its consistency checks and the compiled (government-level) aggregation.
 * Pure: no database, no clock.
 *
 * 条例第49条: departments publish the previous year's report by 31 January; governments by 31 March.
 * 条例第50条: contents; the uniform format is 国办公开办函〔2021〕30号 (see annual-report.format.ts).
 */

import {
  APPLICANT_TYPE_CODES,
  APPLICATION_COLUMNS,
  APPLICATION_ROWS,
  type ApplicationColumnCode,
  type ApplicationRowCode,
  applicationColumn,
  applicationRow,
  CASE_BLOCKS,
  CASE_RESULTS,
  type CaseResultCode,
  caseCellName,
  FORMAT_BASIS,
  OUTCOME_CODES,
  PROACTIVE_SUBTABLES,
  PROCESSING_FEE_FIELDS,
  PROCESSING_FEE_HEADING,
  type ProactiveData,
  type ProcessingFees,
  type ReviewLitigationData,
  type SectionCode,
  sectionTitle,
} from "./annual-report.format.ts";

/** One row of table 三: the 7 columns (six applicant types and 总计). */
export type ApplicantCounts = Record<ApplicationColumnCode, number>;
/** Table 三: the 25 rows × 7 columns. Totals (总计 column, （七）总计 row) are stored and checked. */
export type ApplicationsData = Record<ApplicationRowCode, ApplicantCounts>;

export interface AnnualReportData {
  /** The reporting year (statistical period 1 January – 31 December). */
  year: number;
  /** The reporting organ (or, for a compiled report, the government). */
  agencyName: string;
  /** 一、总体情况 (narrative; paragraphs separated by newlines). */
  overview: string;
  /** 二、主动公开政府信息情况. */
  proactive: ProactiveData;
  /** 三、收到和处理政府信息公开申请情况. */
  applications: ApplicationsData;
  /** 四、政府信息公开行政复议、行政诉讼情况. */
  reviewLitigation: ReviewLitigationData;
  /** 五、存在的主要问题及改进情况 (narrative). */
  problems: string;
  /** 六、其他需要报告的事项 (narrative, after the generated 信息处理费 sentence). */
  otherMatters: string;
  /** 信息处理费 (国办函〔2020〕109号), reported in 六: notices issued, amounts notified and collected in 元. */
  processingFees: ProcessingFees;
}

// ---------------------------------------------------------------------------------------------------------------
// Construction
// ---------------------------------------------------------------------------------------------------------------

function zeroCounts(): ApplicantCounts {
  const counts = {} as ApplicantCounts;
  for (const column of APPLICATION_COLUMNS) counts[column.code] = 0;
  return counts;
}

function zeroCases(): ReviewLitigationData {
  const data = {} as ReviewLitigationData;
  for (const block of CASE_BLOCKS) {
    const counts = {} as Record<CaseResultCode, number>;
    for (const result of CASE_RESULTS) counts[result.code] = 0;
    data[block.code] = counts;
  }
  return data;
}

function zeroProactive(): ProactiveData {
  const data: Record<string, Record<string, Record<string, number>>> = {};
  for (const sub of PROACTIVE_SUBTABLES) {
    const rows: Record<string, Record<string, number>> = {};
    for (const row of sub.rows) {
      const cells: Record<string, number> = {};
      for (const column of sub.columns) cells[column.code] = 0;
      rows[row.code] = cells;
    }
    data[sub.code] = rows;
  }
  return data as unknown as ProactiveData;
}

/** A report with every number 0 and empty narratives. */
export function emptyReport(year: number, agencyName: string): AnnualReportData {
  const applications = {} as ApplicationsData;
  for (const row of APPLICATION_ROWS) applications[row.code] = zeroCounts();
  return {
    year,
    agencyName,
    overview: "",
    proactive: zeroProactive(),
    applications,
    reviewLitigation: zeroCases(),
    problems: "",
    otherMatters: "",
    processingFees: { notices: 0, amount_notified: 0, amount_collected: 0 },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Cell enumeration (one list drives validation, aggregation and the JSON import)
// ---------------------------------------------------------------------------------------------------------------

export interface NumericCell {
  /** Path into AnnualReportData, e.g. ["applications", "granted", "commercial"]. */
  path: readonly string[];
  /** Human cell name used in findings, e.g. 三（一）予以公开[商业企业]. */
  name: string;
  section: SectionCode;
  /** Counts (件) must be whole numbers; amounts (万元, 元) may carry decimals. */
  kind: "count" | "amount";
}

function buildCells(): NumericCell[] {
  const cells: NumericCell[] = [];
  for (const sub of PROACTIVE_SUBTABLES) {
    for (const row of sub.rows) {
      for (const column of sub.columns) {
        cells.push({
          path: ["proactive", sub.code, row.code, column.code],
          name: `${row.label}·${column.label}`,
          section: "proactive",
          kind: sub.unit === "万元" ? "amount" : "count",
        });
      }
    }
  }
  for (const row of APPLICATION_ROWS) {
    for (const column of APPLICATION_COLUMNS) {
      cells.push({
        path: ["applications", row.code, column.code],
        name: applicationCellName(row.code, column.code),
        section: "applications",
        kind: "count",
      });
    }
  }
  for (const block of CASE_BLOCKS) {
    for (const result of CASE_RESULTS) {
      cells.push({
        path: ["reviewLitigation", block.code, result.code],
        name: caseCellName(block.code, result.code),
        section: "review_litigation",
        kind: "count",
      });
    }
  }
  for (const field of PROCESSING_FEE_FIELDS) {
    cells.push({
      path: ["processingFees", field.code],
      name: `${PROCESSING_FEE_HEADING}·${field.label}`,
      section: "other_matters",
      kind: field.unit === "件" ? "count" : "amount",
    });
  }
  return cells;
}

/** Every numeric cell of the report, in official order. */
export const NUMERIC_CELLS: readonly NumericCell[] = buildCells();

/** Reads a cell by path (undefined if the path does not exist in `data`). */
export function getCell(data: unknown, path: readonly string[]): unknown {
  let current: unknown = data;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Writes a cell by path, creating intermediate objects. */
export function setCell(data: object, path: readonly string[], value: number): void {
  let current = data as Record<string, unknown>;
  for (const key of path.slice(0, -1)) {
    const next = current[key];
    if (typeof next !== "object" || next === null) current[key] = {};
    current = current[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (last === undefined) throw new Error("empty cell path");
  current[last] = value;
}

/** Name of a table 三 cell, e.g. 三（七）总计[商业企业]. */
export function applicationCellName(row: ApplicationRowCode, column: ApplicationColumnCode): string {
  return `${applicationRow(row).cellName}[${applicationColumn(column).label}]`;
}

/** Rounds money to 6 decimals (万元 to the 分), hiding binary floating-point noise after sums. */
function roundAmount(value: number): number {
  return Number(value.toFixed(6));
}

// ---------------------------------------------------------------------------------------------------------------
// Totals
// ---------------------------------------------------------------------------------------------------------------

function sumApplicantTypes(counts: ApplicantCounts): number {
  let sum = 0;
  for (const code of APPLICANT_TYPE_CODES) sum += counts[code];
  return sum;
}

function sumOutcomes(applications: ApplicationsData, column: ApplicationColumnCode): number {
  let sum = 0;
  for (const code of OUTCOME_CODES) sum += applications[code][column];
  return sum;
}

function sumCaseParts(counts: Record<CaseResultCode, number>): number {
  return counts.upheld + counts.corrected + counts.other + counts.pending;
}

/**
 * A copy of `data` with every derived total filled in from its parts: table 三's （七）总计 row (sum of the 21
 * outcome rows) and 总计 column (sum of the six applicant types), and table 四's three 总计 cells.
 * Use it when generating the report from case data; the checks then verify what was entered or imported.
 */
export function computeTotals(data: AnnualReportData): AnnualReportData {
  const out = structuredClone(data);
  const applications = out.applications;
  for (const column of APPLICANT_TYPE_CODES) {
    applications.concluded_total[column] = sumOutcomes(applications, column);
  }
  for (const row of APPLICATION_ROWS) {
    applications[row.code].total = sumApplicantTypes(applications[row.code]);
  }
  for (const block of CASE_BLOCKS) {
    const counts = out.reviewLitigation[block.code];
    counts.total = sumCaseParts(counts);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------------------------

export const FINDING_CODES = [
  "invalid_identity",
  "format_not_applicable",
  "invalid_number",
  "section_missing",
  "applications_balance",
  "applications_concluded_total",
  "applications_column_total",
  "review_litigation_total",
  "previous_year_mismatch",
  "carry_over_continuity",
  "processing_fees_collected_exceed_notified",
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

export interface Finding {
  code: FindingCode;
  /** error: the report must not be submitted; warning: to be reviewed by a person. */
  severity: "error" | "warning";
  section: SectionCode | "identity";
  /** The cells involved, by name (e.g. 三（七）总计[商业企业]). */
  cells: string[];
  /** Chinese message naming the cells and the values found. */
  message: string;
  /** The legal basis of the check. */
  basis: string;
}

const BASIS_FORMAT = `条例第50条；${FORMAT_BASIS}`;
const BASIS_TABLE3_IDENTITY = `${FORMAT_BASIS}表三（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）`;
const BASIS_TABLE3_DERIVED = `${FORMAT_BASIS}表三（总计为各项之和）`;
const BASIS_TABLE4_DERIVED = `${FORMAT_BASIS}表四（总计为各项之和）`;

function isValidNumber(value: unknown, kind: NumericCell["kind"]): value is number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) return false;
  return kind === "amount" || Number.isSafeInteger(value);
}

/**
 * Checks a report before submission (条例第49–50条; 国办公开办函〔2021〕30号). Returns all findings; an empty
 * list means the report is consistent. `previousYear` (last year's report of the same organ) enables the
 * carry-over check: this year's 二、上年结转 = last year's 四、结转下年度继续办理.
 */
export function checkAnnualReport(data: AnnualReportData, previousYear?: AnnualReportData | null): Finding[] {
  const findings: Finding[] = [];

  // Identity: the organ and the year are printed in the title (条例第49条: a yearly report per organ).
  if (data.agencyName.trim() === "") {
    findings.push({
      code: "invalid_identity",
      severity: "error",
      section: "identity",
      cells: ["机关名称"],
      message: "未填写报告机关名称。",
      basis: "条例第49条",
    });
  }
  if (!Number.isInteger(data.year) || data.year < 1000 || data.year > 9999) {
    findings.push({
      code: "invalid_identity",
      severity: "error",
      section: "identity",
      cells: ["年度"],
      message: `报告年度 ${data.year} 不是有效的年份。`,
      basis: "条例第49条",
    });
  } else if (data.year < 2021) {
    // 国办公开办函〔2021〕30号 applies from the 2021 reports; earlier years used the 2019 trial format.
    findings.push({
      code: "format_not_applicable",
      severity: "warning",
      section: "identity",
      cells: ["年度"],
      message: `${data.year}年度报告应使用国办公开办函〔2019〕60号试行格式，本格式自2021年度报告起适用。`,
      basis: FORMAT_BASIS,
    });
  }

  // Every cell a non-negative number; counts (件) whole numbers.
  for (const cell of NUMERIC_CELLS) {
    const value = getCell(data, cell.path);
    if (!isValidNumber(value, cell.kind)) {
      findings.push({
        code: "invalid_number",
        severity: "error",
        section: cell.section,
        cells: [cell.name],
        message: `${cell.name} 应为${cell.kind === "count" ? "非负整数" : "非负数"}，实为 ${String(value)}。`,
        basis: BASIS_FORMAT,
      });
    }
  }

  // 国办公开办函〔2021〕30号: the narrative sections must not be omitted ("不能遗漏"); 六 always carries the
  // generated 信息处理费 sentence, so only 一 and 五 can be blank.
  for (const [code, text] of [
    ["overview", data.overview],
    ["problems", data.problems],
  ] as const) {
    if (text.trim() === "") {
      findings.push({
        code: "section_missing",
        severity: "error",
        section: code,
        cells: [sectionTitle(code)],
        message: `“${sectionTitle(code)}”未填写内容。`,
        basis: BASIS_FORMAT,
      });
    }
  }

  const a = data.applications;
  for (const column of APPLICATION_COLUMNS) {
    const col = column.code;
    // 国办公开办函〔2021〕30号 表三 (printed identity): 一 + 二 = 三（七） + 四, for every column.
    const incoming = a.received[col] + a.carried_over[col];
    const outgoing = a.concluded_total[col] + a.carried_forward[col];
    if (incoming !== outgoing) {
      const names = (["received", "carried_over", "concluded_total", "carried_forward"] as const).map((r) =>
        applicationCellName(r, col),
      );
      findings.push({
        code: "applications_balance",
        severity: "error",
        section: "applications",
        cells: names,
        message:
          `${names[0]} + ${names[1]} = ${incoming}，但${names[2]} + ${names[3]} = ${outgoing}` +
          `（第一项加第二项之和应等于第三项加第四项之和）。`,
        basis: BASIS_TABLE3_IDENTITY,
      });
    }
    // （七）总计 = （一） + （二） + the 19 numbered sub-rows of （三）–（六） (derived rule, legal-spec §2.4).
    const outcomes = sumOutcomes(a, col);
    if (a.concluded_total[col] !== outcomes) {
      const name = applicationCellName("concluded_total", col);
      findings.push({
        code: "applications_concluded_total",
        severity: "error",
        section: "applications",
        cells: [name],
        message: `${name} = ${a.concluded_total[col]}，但（一）至（六）各项之和为 ${outcomes}。`,
        basis: BASIS_TABLE3_DERIVED,
      });
    }
  }
  // 总计 column = 自然人 + the five 法人或其他组织 columns, for every row (derived rule, legal-spec §2.4).
  for (const row of APPLICATION_ROWS) {
    const counts = a[row.code];
    const parts = sumApplicantTypes(counts);
    if (counts.total !== parts) {
      const name = applicationCellName(row.code, "total");
      findings.push({
        code: "applications_column_total",
        severity: "error",
        section: "applications",
        cells: [name],
        message: `${name} = ${counts.total}，但自然人与法人或其他组织各项之和为 ${parts}。`,
        basis: BASIS_TABLE3_DERIVED,
      });
    }
  }

  // Table 四: each 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结 (derived rule, legal-spec §2.5).
  for (const block of CASE_BLOCKS) {
    const counts = data.reviewLitigation[block.code];
    const parts = sumCaseParts(counts);
    if (counts.total !== parts) {
      const name = caseCellName(block.code, "total");
      findings.push({
        code: "review_litigation_total",
        severity: "error",
        section: "review_litigation",
        cells: [name],
        message: `${name} = ${counts.total}，但结果维持、结果纠正、其他结果、尚未审结之和为 ${parts}。`,
        basis: BASIS_TABLE4_DERIVED,
      });
    }
  }

  // Carry-over continuity: this year's 二、上年结转 = last year's 四、结转下年度继续办理 (legal-spec §2.4).
  if (previousYear) {
    if (previousYear.year !== data.year - 1) {
      findings.push({
        code: "previous_year_mismatch",
        severity: "error",
        section: "applications",
        cells: ["年度"],
        message: `用于核对结转的上年报告为${previousYear.year}年度，应为${data.year - 1}年度。`,
        basis: BASIS_TABLE3_DERIVED,
      });
    } else {
      for (const column of APPLICATION_COLUMNS) {
        const now = a.carried_over[column.code];
        const before = previousYear.applications.carried_forward[column.code];
        if (now !== before) {
          const name = applicationCellName("carried_over", column.code);
          const previousName = applicationCellName("carried_forward", column.code);
          findings.push({
            code: "carry_over_continuity",
            severity: "error",
            section: "applications",
            cells: [name, `${previousYear.year}年度${previousName}`],
            message: `${name} = ${now}，但${previousYear.year}年度${previousName} = ${before}。`,
            basis: `${FORMAT_BASIS}表三（本年上年结转应等于上年结转下年度继续办理）`,
          });
        }
      }
    }
  }

  // 国办函〔2020〕109号: fees collected normally do not exceed fees notified. Notices served late in the previous
  // year can be paid this year, so this is only a warning.
  const fees = data.processingFees;
  if (fees.amount_collected > fees.amount_notified) {
    const [, notified, collected] = PROCESSING_FEE_FIELDS;
    const collectedName = `${PROCESSING_FEE_HEADING}·${collected.label}`;
    const notifiedName = `${PROCESSING_FEE_HEADING}·${notified.label}`;
    findings.push({
      code: "processing_fees_collected_exceed_notified",
      severity: "warning",
      section: "other_matters",
      cells: [collectedName, notifiedName],
      message:
        `${collectedName} = ${fees.amount_collected}，大于${notifiedName} = ${fees.amount_notified}，` +
        `请核实是否包含上年度通知、本年度缴纳的费用。`,
      basis: "国办函〔2020〕109号",
    });
  }

  return findings;
}

/** Whether a report may be submitted: no error-level findings. */
export function isSubmittable(findings: readonly Finding[]): boolean {
  return findings.every((f) => f.severity !== "error");
}

// ---------------------------------------------------------------------------------------------------------------
// Aggregation: a government's compiled report (本级政府年度报告汇总)
// ---------------------------------------------------------------------------------------------------------------

/**
 * Sums reports cell by cell (every table cell, totals included, and the 信息处理费 figures). Narratives are left
 * empty: the government writes its own 一、五、六. All reports must be for the same year.
 */
export function aggregateReports(
  reports: readonly AnnualReportData[],
  options: { agencyName?: string; year?: number } = {},
): AnnualReportData {
  const year = options.year ?? reports[0]?.year;
  if (year === undefined) throw new Error("汇总年度报告时未提供任何报告，也未指定年度。");
  const mismatched = reports.filter((r) => r.year !== year);
  if (mismatched.length > 0) {
    throw new Error(
      `汇总的报告年度不一致：应为${year}年度，但${mismatched.map((r) => `${r.agencyName}为${r.year}年度`).join("、")}。`,
    );
  }
  const out = emptyReport(year, options.agencyName ?? "");
  for (const cell of NUMERIC_CELLS) {
    let sum = 0;
    for (const report of reports) {
      const value = getCell(report, cell.path);
      if (typeof value !== "number" || !Number.isFinite(value)) {
        throw new Error(`汇总失败：${report.agencyName}的${cell.name}不是有效数字。`);
      }
      sum += value;
    }
    setCell(out, cell.path, cell.kind === "amount" ? roundAmount(sum) : sum);
  }
  return out;
}

/** The value of a table 二 cell, addressed by the codes of PROACTIVE_SUBTABLES (for renderers that iterate it). */
export function proactiveValue(
  data: AnnualReportData,
  subtable: string,
  row: string,
  column: string,
): number {
  const value = getCell(data.proactive, [subtable, row, column]);
  return typeof value === "number" ? value : Number.NaN;
}
