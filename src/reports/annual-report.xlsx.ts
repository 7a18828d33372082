/**
 * @module .xlsx export of the annual report: one sheet per table of 国办公开办函〔2021〕30号 with the official merged
 * headers, plus a first sheet with the report's identity and narrative sections (一、五、六).
 */

import ExcelJS from "exceljs";
import type { ApplicationRowCode } from "./annual-report.format.ts";
import * as official from "./annual-report.format.ts";
import { type AnnualReportData, proactiveValue } from "./annual-report.rules.ts";

/** Sheet names (section titles; all under Excel's 31-character limit). */
export const XLSX_SHEETS = {
  info: "报告信息",
  proactive: official.sectionTitle("proactive"),
  applications: official.sectionTitle("applications"),
  reviewLitigation: official.sectionTitle("review_litigation"),
} as const;

const FONT = { name: "宋体", size: 10.5 } as const;
const THIN = { style: "thin", color: { argb: "FF000000" } } as const;
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN } as const;

interface PutOptions {
  rowSpan?: number;
  colSpan?: number;
  align?: "left" | "center";
  bold?: boolean;
}

/** Writes a value at (row, col), merges the span, and styles every covered cell (borders survive merging). */
function put(
  ws: ExcelJS.Worksheet,
  row: number,
  col: number,
  value: string | number,
  options: PutOptions = {},
): void {
  const rowSpan = options.rowSpan ?? 1;
  const colSpan = options.colSpan ?? 1;
  for (let r = row; r < row + rowSpan; r++) {
    for (let c = col; c < col + colSpan; c++) {
      const cell = ws.getCell(r, c);
      cell.border = BORDER;
      cell.font = { ...FONT, bold: options.bold ?? false };
      cell.alignment = {
        horizontal: options.align ?? "center",
        vertical: "middle",
        wrapText: true,
      };
    }
  }
  ws.getCell(row, col).value = value;
  if (rowSpan > 1 || colSpan > 1) ws.mergeCells(row, col, row + rowSpan - 1, col + colSpan - 1);
}

function titleRow(ws: ExcelJS.Worksheet, text: string, width: number): void {
  ws.getCell(1, 1).value = text;
  ws.getCell(1, 1).font = { name: "黑体", size: 14 };
  ws.getCell(1, 1).alignment = { horizontal: "center", vertical: "middle" };
  ws.mergeCells(1, 1, 1, width);
  ws.getRow(1).height = 28;
}

function infoSheet(wb: ExcelJS.Workbook, data: AnnualReportData): void {
  const ws = wb.addWorksheet(XLSX_SHEETS.info);
  ws.columns = [{ width: 28 }, { width: 90 }];
  titleRow(ws, official.reportTitle(data.agencyName, data.year), 2);
  const rows: [string, string | number][] = [
    ["机关名称", data.agencyName],
    ["年度", data.year],
    ["格式", official.FORMAT_BASIS],
    [official.sectionTitle("overview"), data.overview],
    [official.sectionTitle("problems"), data.problems],
    [
      official.sectionTitle("other_matters"),
      [official.processingFeesSentence(data.processingFees), data.otherMatters].join("\n").trim(),
    ],
    ...official.PROCESSING_FEE_FIELDS.map((f): [string, number] => [
      `${official.PROCESSING_FEE_HEADING}·${f.label}`,
      data.processingFees[f.code],
    ]),
  ];
  rows.forEach(([label, value], i) => {
    put(ws, i + 2, 1, label, { align: "left" });
    put(ws, i + 2, 2, value, { align: "left" });
  });
}

function proactiveSheet(wb: ExcelJS.Workbook, data: AnnualReportData): void {
  const ws = wb.addWorksheet(XLSX_SHEETS.proactive);
  ws.columns = [{ width: 22 }, { width: 18 }, { width: 18 }, { width: 18 }];
  titleRow(ws, official.sectionTitle("proactive"), official.PROACTIVE_GRID_COLUMNS);
  let r = 2;
  for (const sub of official.PROACTIVE_SUBTABLES) {
    const span = sub.columns.length === 1 ? official.PROACTIVE_GRID_COLUMNS - 1 : 1;
    put(ws, r, 1, sub.heading, { colSpan: official.PROACTIVE_GRID_COLUMNS });
    r++;
    put(ws, r, 1, official.PROACTIVE_CONTENT_HEADER);
    sub.columns.forEach((c, i) => {
      put(ws, r, 2 + i, c.label, { colSpan: span });
    });
    r++;
    for (const row of sub.rows) {
      put(ws, r, 1, row.label);
      sub.columns.forEach((c, i) => {
        put(ws, r, 2 + i, proactiveValue(data, sub.code, row.code, c.code), { colSpan: span });
      });
      r++;
    }
  }
}

function applicationsSheet(wb: ExcelJS.Workbook, data: AnnualReportData): void {
  const ws = wb.addWorksheet(XLSX_SHEETS.applications);
  const L = official.APPLICATIONS_LABEL_COLUMNS;
  const width = L + official.APPLICATION_COLUMNS.length;
  ws.columns = [
    { width: 8 },
    { width: 12 },
    { width: 40 },
    ...official.APPLICATION_COLUMNS.map(() => ({ width: 11 })),
  ];
  titleRow(ws, official.sectionTitle("applications"), width);
  const organisations = official.APPLICANT_TYPES.filter((a) => a.organisation);
  const natural = official.APPLICANT_TYPES[0];
  // Header rows 2–4.
  put(ws, 2, 1, official.APPLICATIONS_CORNER_NOTE, { rowSpan: 3, colSpan: L });
  put(ws, 2, L + 1, official.APPLICANT_HEADER, { colSpan: official.APPLICATION_COLUMNS.length });
  put(ws, 3, L + 1, natural.label, { rowSpan: 2 });
  put(ws, 3, L + 2, official.ORGANISATION_HEADER, { colSpan: organisations.length });
  put(ws, 3, L + 2 + organisations.length, "总计", { rowSpan: 2 });
  organisations.forEach((o, i) => {
    put(ws, 4, L + 2 + i, o.label);
  });
  ws.views = [{ state: "frozen", xSplit: L, ySplit: 4 }];

  let r = 5;
  const values = (code: ApplicationRowCode): void => {
    official.APPLICATION_COLUMNS.forEach((c, i) => {
      put(ws, r, L + 1 + i, data.applications[code][c.code]);
    });
  };
  const top = (code: ApplicationRowCode): void => {
    const row = official.APPLICATION_ROWS.find((x) => x.code === code);
    if (!row) throw new Error(code);
    put(ws, r, 1, row.label, { colSpan: L, align: "left" });
    values(code);
    r++;
  };
  top("received");
  top("carried_over");
  put(ws, r, 1, official.RESULTS_GROUP_LABEL, { rowSpan: official.RESULTS_ROWSPAN });
  for (const group of official.OUTCOME_GROUPS) {
    if (group.outcomes.length === 1) {
      const o = group.outcomes[0];
      put(ws, r, 2, o.label, { colSpan: L - 1, align: "left" });
      values(o.code);
      r++;
      continue;
    }
    put(ws, r, 2, group.label, { rowSpan: group.outcomes.length });
    for (const o of group.outcomes) {
      put(ws, r, 3, o.label, { align: "left" });
      values(o.code);
      r++;
    }
  }
  put(ws, r, 2, official.CONCLUDED_TOTAL_LABEL, { colSpan: L - 1, align: "left" });
  values("concluded_total");
  r++;
  top("carried_forward");
}

function reviewLitigationSheet(wb: ExcelJS.Workbook, data: AnnualReportData): void {
  const ws = wb.addWorksheet(XLSX_SHEETS.reviewLitigation);
  const n = official.CASE_RESULTS.length;
  const litigation = official.CASE_BLOCKS.filter((b) => b.parent !== null);
  const width = n * official.CASE_BLOCKS.length;
  ws.columns = Array.from({ length: width }, () => ({ width: 10 }));
  titleRow(ws, official.sectionTitle("review_litigation"), width);
  put(ws, 2, 1, official.REVIEW_HEADER, { colSpan: n });
  put(ws, 2, n + 1, official.LITIGATION_HEADER, { colSpan: n * litigation.length });
  official.CASE_RESULTS.forEach((res, i) => {
    put(ws, 3, 1 + i, res.label, { rowSpan: 2 });
  });
  litigation.forEach((b, j) => {
    put(ws, 3, n * (j + 1) + 1, b.label, { colSpan: n });
    official.CASE_RESULTS.forEach((res, i) => {
      put(ws, 4, n * (j + 1) + 1 + i, res.label);
    });
  });
  official.CASE_BLOCKS.forEach((b, j) => {
    official.CASE_RESULTS.forEach((res, i) => {
      put(ws, 5, n * j + 1 + i, data.reviewLitigation[b.code][res.code]);
    });
  });
}

/** Builds the workbook (exported for callers that want to add sheets). */
export function annualReportWorkbook(data: AnnualReportData): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = data.agencyName || "Gongkai";
  wb.title = official.reportTitle(data.agencyName, data.year);
  infoSheet(wb, data);
  proactiveSheet(wb, data);
  applicationsSheet(wb, data);
  reviewLitigationSheet(wb, data);
  return wb;
}

/** The report as an .xlsx file. */
export async function renderAnnualReportXlsx(data: AnnualReportData): Promise<Buffer> {
  const out = await annualReportWorkbook(data).xlsx.writeBuffer();
  return Buffer.from(out);
}
