/**
 * @module Reading a records import file (runs in a parser child process of src/documents/document-pool.ts, with its
 * heap, time and zip limits): .xlsx and .csv/.tsv through src/documents/table-readers.ts (exceljs, csv-parse; GB18030
 * CSV from Excel on Chinese Windows is decoded), .json as an array of objects (or `{ "records": [...] }`, the keys
 * being column names). The header row is the first of the first 20 rows naming at least two known columns
 * (record-import.rules.ts FIELD_HEADERS). Bodies are prepared here too (record-html.ts: plain text becomes
 * paragraphs, HTML is sanitised; the plain text is derived), so no untrusted markup is parsed in the main process.
 */
import {
  decodeText,
  readDelimitedTables,
  readXlsxTables,
  type SheetTable,
} from "../documents/table-readers.ts";
import { AppError } from "../errors.ts";
import { bodyText, prepareBody } from "./record-html.ts";
import { MAX_IMPORT_ROWS, mapHeaders } from "./record-import.rules.ts";

export const RECORD_IMPORT_FORMATS = ["xlsx", "csv", "tsv", "json"] as const;
export type RecordImportFormat = (typeof RECORD_IMPORT_FORMATS)[number];

/** Largest file accepted (bodies make rows large: 20,000 rows of ~5 KB). */
export const MAX_RECORD_IMPORT_BYTES = 100 * 1024 * 1024;

export interface ReadRecordRow {
  row: number;
  cells: string[];
  /** The row's body prepared for storage (empty when the row has none). */
  bodyHtml: string;
  bodyText: string;
}

export interface ReadRecordFile {
  format: RecordImportFormat;
  /** Sheet name (xlsx) or the file's format. */
  table: string;
  headers: string[];
  rows: ReadRecordRow[];
}

function unreadable(message: string): AppError {
  return new AppError("record_import_unreadable", message);
}

/** The format from the bytes and the extension; anything else is record_import_unsupported_type. */
export function detectRecordFormat(fileName: string, bytes: Uint8Array): RecordImportFormat {
  const ext = fileName.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? "";
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  if (isZip) {
    if (ext === "xlsx" || Buffer.from(bytes).includes("xl/workbook.xml")) return "xlsx";
    throw new AppError("record_import_unsupported_type", `“${fileName}”是压缩文件，但不是 .xlsx 表格。`);
  }
  if (ext === "xlsx") throw unreadable(`“${fileName}”不是有效的 .xlsx 文件（文件已损坏或扩展名不符）。`);
  if (ext === "json") return "json";
  if (ext === "csv" || ext === "txt") return "csv";
  if (ext === "tsv") return "tsv";
  throw new AppError(
    "record_import_unsupported_type",
    `不支持“${fileName}”：请导入 .xlsx、.csv、.tsv 或 .json 文件（旧版 .xls 请先另存为 .xlsx）。`,
  );
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (Array.isArray(v)) return v.map(cellText).join("、");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function readJson(
  fileName: string,
  bytes: Uint8Array,
): { headers: string[]; rows: { row: number; cells: string[] }[] } {
  let value: unknown;
  try {
    value = JSON.parse(decodeText(bytes));
  } catch (e) {
    throw unreadable(`“${fileName}”不是有效的 JSON：${(e as Error).message.slice(0, 120)}`);
  }
  const list = Array.isArray(value)
    ? value
    : value && typeof value === "object"
      ? (value as { records?: unknown }).records
      : null;
  if (!Array.isArray(list))
    throw unreadable(`“${fileName}”应为信息对象的数组（或含 "records" 数组的对象）。`);
  const headers: string[] = [];
  const index = new Map<string, number>();
  const rows = list.map((item, i) => {
    if (!item || typeof item !== "object" || Array.isArray(item))
      return { row: i + 1, cells: [`第${i + 1}项不是对象`] };
    const cells: string[] = [];
    for (const [k, v] of Object.entries(item as Record<string, unknown>)) {
      let at = index.get(k);
      if (at === undefined) {
        at = headers.length;
        headers.push(k);
        index.set(k, at);
      }
      cells[at] = cellText(v);
    }
    return { row: i + 1, cells: Array.from(cells, (c) => c ?? "") };
  });
  return { headers, rows };
}

/** Reads the file into a header and rows with prepared bodies. @throws record_import_* */
export async function readRecordFile(fileName: string, bytes: Uint8Array): Promise<ReadRecordFile> {
  if (bytes.length === 0) throw unreadable(`“${fileName}”是空文件。`);
  if (bytes.length > MAX_RECORD_IMPORT_BYTES)
    throw new AppError("payload_too_large", `文件超过 ${MAX_RECORD_IMPORT_BYTES / 1024 / 1024} MB 上限。`);
  const format = detectRecordFormat(fileName, bytes);
  let table = format as string;
  let headers: string[];
  let rows: { row: number; cells: string[] }[];
  if (format === "json") ({ headers, rows } = readJson(fileName, bytes));
  else {
    const options = {
      unreadable: "record_import_unreadable",
      tooLarge: "record_import_too_large",
      maxRows: MAX_IMPORT_ROWS + 20,
    } as const;
    const tables: SheetTable[] =
      format === "xlsx"
        ? await readXlsxTables(fileName, bytes, options)
        : readDelimitedTables(fileName, decodeText(bytes), format === "tsv" ? "\t" : ",", options);
    let found: { t: SheetTable; at: number } | undefined;
    for (const t of tables) {
      const at = t.rows.slice(0, 20).findIndex((r) => mapHeaders(r.cells).columns.size >= 2);
      if (at >= 0) {
        found = { t, at };
        break;
      }
    }
    if (!found)
      throw new AppError(
        "record_import_no_header",
        `“${fileName}”的前20行中没有表头行（应含“索引号”“标题”“发布日期”“目录事项”“正文”等列）。`,
      );
    table = found.t.name;
    headers = found.t.rows[found.at]?.cells ?? [];
    rows = found.t.rows.slice(found.at + 1);
  }
  if (rows.length > MAX_IMPORT_ROWS)
    throw new AppError(
      "record_import_too_large",
      `文件有 ${rows.length} 行，超过每次导入 ${MAX_IMPORT_ROWS} 行的上限，请分批导入。`,
    );
  const { columns } = mapHeaders(headers);
  const htmlAt = columns.get("bodyHtml");
  const textAt = columns.get("bodyText");
  return {
    format,
    table,
    headers,
    rows: rows.map((r) => {
      const raw =
        (htmlAt === undefined ? "" : (r.cells[htmlAt] ?? "").trim()) ||
        (textAt === undefined ? "" : (r.cells[textAt] ?? "").replace(/\r\n?/g, "\n").trim());
      const html = raw === "" ? "" : prepareBody(raw);
      return { row: r.row, cells: r.cells, bodyHtml: html, bodyText: bodyText(html) };
    }),
  };
}
