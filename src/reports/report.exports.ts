/**
 * @module The report's download formats (.docx, .xlsx, JSON keyed by the official labels, standalone HTML) with
 * their content types and file names. Pure apart from the renderers' own async packing.
 */
import { createHash } from "node:crypto";
import { renderAnnualReportDocx } from "./annual-report.docx.ts";
import { reportTitle } from "./annual-report.format.ts";
import { annualReportDocument, DOCUMENT_STYLE } from "./annual-report.html.ts";
import { annualReportJsonString } from "./annual-report.json.ts";
import type { AnnualReportData } from "./annual-report.rules.ts";
import { renderAnnualReportXlsx } from "./annual-report.xlsx.ts";

export const EXPORT_FORMATS = {
  docx: {
    label: "Word 文档（.docx）",
    contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  },
  xlsx: {
    label: "Excel 表格（.xlsx）",
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  },
  json: { label: "JSON 数据（.json）", contentType: "application/json; charset=utf-8" },
  html: { label: "网页文件（.html）", contentType: "text/html; charset=utf-8" },
} as const;

export type ExportFormat = keyof typeof EXPORT_FORMATS;

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === "string" && Object.hasOwn(EXPORT_FORMATS, value);
}

/** `report.docx` → "docx"; anything else → undefined. */
export function formatFromFileName(file: string): ExportFormat | undefined {
  const match = /^report\.([a-z]+)$/.exec(file);
  return match && isExportFormat(match[1]) ? match[1] : undefined;
}

export interface ExportFile {
  body: Buffer;
  contentType: string;
  /** ASCII fallback name, e.g. annual-report-2025.docx. */
  fileName: string;
  /** The Chinese name, e.g. 某某局2025年政府信息公开工作年度报告.docx. */
  displayName: string;
}

export async function renderExport(data: AnnualReportData, format: ExportFormat): Promise<ExportFile> {
  let body: Buffer;
  switch (format) {
    case "docx":
      body = await renderAnnualReportDocx(data);
      break;
    case "xlsx":
      body = await renderAnnualReportXlsx(data);
      break;
    case "json":
      body = Buffer.from(annualReportJsonString(data), "utf8");
      break;
    case "html":
      body = Buffer.from(annualReportDocument(data).value, "utf8");
      break;
  }
  return {
    body,
    contentType: EXPORT_FORMATS[format].contentType,
    fileName: `annual-report-${data.year}.${format}`,
    displayName: `${reportTitle(data.agencyName, data.year)}.${format}`,
  };
}

/** Content-Disposition for a download with a Chinese file name (RFC 6266 / RFC 5987). */
export function contentDisposition(file: Pick<ExportFile, "fileName" | "displayName">): string {
  return `attachment; filename="${file.fileName}"; filename*=UTF-8''${encodeURIComponent(file.displayName)}`;
}

/**
 * The CSP for the standalone HTML download: nothing but its own inline stylesheet (allowed by hash), so the file
 * displays correctly when opened from the app as well as offline.
 */
export function standaloneHtmlCsp(): string {
  const hash = createHash("sha256").update(DOCUMENT_STYLE, "utf8").digest("base64");
  return `default-src 'none'; style-src 'sha256-${hash}'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`;
}
