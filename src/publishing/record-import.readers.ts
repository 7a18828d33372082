/**
 * @module Reading a records import file (runs in a parser child process of src/documents/document-pool.ts, with its
 * heap, time and zip limits): .xlsx and .csv/.tsv through src/documents/table-readers.ts (exceljs, csv-parse; GB18030
 * CSV from Excel on Chinese Windows is decoded), .json as an array of objects (or `{ "records": [...] }`, the keys
 * being column names). The header row is the first of the first 20 rows naming at least two known columns
 * (record-import.rules.ts FIELD_HEADERS). Bodies are prepared here too (record-html.ts: plain text becomes
 * paragraphs, HTML is sanitised; the plain text is derived), so no untrusted markup is parsed in the main process.
 */
import { HTMLElement, parse as parseHtml } from "node-html-parser";
import { checkTableCells } from "../documents/document.rules.ts";
import {
  decodeText,
  readDelimitedTables,
  readXlsxTables,
  type SheetRow,
  type SheetTable,
} from "../documents/table-readers.ts";
import { AppError } from "../errors.ts";
import { parseStorableJson } from "../shared/storable-text.ts";
import { bodyText, looksLikeHtml, prepareBody } from "./record-html.ts";
import {
  combineHeaderRows,
  FIELD_HEADERS,
  type HeaderResult,
  type ImportField,
  isHeaderRow,
  MAX_IMPORT_ROWS,
  mapHeaders,
} from "./record-import.rules.ts";
import { FIELD_LABELS, headerKey } from "./record-import-headers.rules.ts";

export const RECORD_IMPORT_FORMATS = ["xlsx", "csv", "tsv", "json", "html"] as const;
export type RecordImportFormat = (typeof RECORD_IMPORT_FORMATS)[number];

/** Largest file accepted (bodies make rows large: 20,000 rows of ~5 KB). */
export const MAX_RECORD_IMPORT_BYTES = 100 * 1024 * 1024;

/** The canonical header's last column: the text of the columns no field names (so a row of only 备注 is not empty). */
export const OTHER_COLUMN = "（其他列）";

export interface ReadRecordRow {
  row: number;
  /** The worksheet, when more than one holds records. */
  sheet?: string;
  cells: string[];
  problems?: string[];
  /** The row's body prepared for storage (empty when the row has none). */
  bodyHtml: string;
  bodyText: string;
}

export interface ReadRecordFile {
  format: RecordImportFormat;
  /** Sheet names (xlsx) or the file's name. */
  table: string;
  /** One header for all rows: a column per field found, then 序号 and the other columns' text (OTHER_COLUMN). */
  headers: string[];
  /** The first table's header as the file writes it (for messages). */
  sourceHeaders: string[];
  /** The columns read, as the file names them and the field each became (生成日期→成文日期), for the preview. */
  columns: string[];
  /** Header names no field has (ignored; shown in the preview). */
  ignoredColumns: string[];
  /** Worksheets with content but no header row (not imported; shown in the preview). */
  ignoredSheets: string[];
  /** The tables read, each with the required columns it lacks. */
  sheets: { name: string; missing: string[] }[];
  rows: ReadRecordRow[];
}

function unreadable(message: string): AppError {
  return new AppError("record_import_unreadable", message);
}

/** The format from the bytes and the extension; anything else is record_import_unsupported_type. */
export function detectRecordFormat(fileName: string, bytes: Uint8Array): RecordImportFormat {
  const ext = fileName.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? "";
  const head = Buffer.from(bytes.subarray(0, 8));
  const isZip = head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  if (isZip) {
    if (ext === "xlsx" || Buffer.from(bytes).includes("xl/workbook.xml")) return "xlsx";
    throw new AppError("record_import_unsupported_type", `“${fileName}”是压缩文件，但不是 .xlsx 表格。`);
  }
  if (head.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0])))
    throw new AppError(
      "record_import_unsupported_type",
      `“${fileName}”是旧版 Excel（.xls）文件：请在 Excel 或 WPS 中另存为 .xlsx 后再导入。`,
    );
  if (head.subarray(0, 5).toString("latin1") === "%PDF-")
    throw new AppError(
      "record_import_unsupported_type",
      `“${fileName}”是 PDF 文件：请导入 .xlsx、.csv、.tsv 或 .json 文件。`,
    );
  if (ext === "xlsx") throw unreadable(`“${fileName}”不是有效的 .xlsx 文件（文件已损坏或扩展名不符）。`);
  const known = ["json", "csv", "txt", "tsv", "xls", "htm", "html"].includes(ext);
  if (!known)
    throw new AppError(
      "record_import_unsupported_type",
      `不支持“${fileName}”：请导入 .xlsx、.csv、.tsv 或 .json 文件（旧版 .xls 请先另存为 .xlsx）。`,
    );
  const sample = bytes.subarray(0, 8192);
  const utf16 = (sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff);
  let control = 0;
  if (!utf16) for (const b of sample) if (b === 0 || (b < 0x09 && b !== 0x1b)) control++;
  if (sample.length > 0 && control / sample.length > 0.01)
    throw unreadable(`“${fileName}”不是文本文件，也不是 .xlsx 表格，无法读取。`);
  const text = decodeText(sample).trimStart().slice(0, 2048);
  // CMS “导出 Excel” buttons often write an HTML table (or Excel 2003 XML) under a .xls name.
  if (/^<\?xml[^>]*>\s*<\?mso-application[^>]*Excel/i.test(text) || /<Workbook[^>]+spreadsheet/i.test(text))
    throw new AppError(
      "record_import_unsupported_type",
      `“${fileName}”是 Excel 2003 XML 表格：请在 Excel 或 WPS 中另存为 .xlsx 后再导入。`,
    );
  if (ext === "htm" || ext === "html" || /^(?:<!doctype html|<html|<table|<meta|<head|<body)/i.test(text))
    return "html";
  if (ext === "xls")
    throw new AppError(
      "record_import_unsupported_type",
      `“${fileName}”不是可读取的 Excel 文件：请在 Excel 或 WPS 中另存为 .xlsx 后再导入。`,
    );
  if (ext === "json") return "json";
  if (ext === "tsv") return "tsv";
  return "csv";
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (Array.isArray(v)) return v.map(cellText).join("、");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function readJson(fileName: string, bytes: Uint8Array): SheetTable & { problems: Map<number, string> } {
  let value: unknown;
  try {
    value = parseStorableJson(decodeText(bytes));
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
  const problems = new Map<number, string>();
  const rows = list.map((item, i) => {
    if (!item || typeof item !== "object" || Array.isArray(item)) {
      problems.set(i + 1, `第${i + 1}项不是对象（应为 {"索引号": …, "标题": …} 形式）`);
      return { row: i + 1, cells: ["\u0000"] };
    }
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
  return { name: "json", rows: [{ row: 0, cells: headers }, ...rows], problems };
}

/** A row of an HTML table: its cells' text, and their markup (a body keeps its paragraphs and tables). */
type HtmlRow = SheetRow & { html?: string[] };

/** Tables of an HTML file (a CMS's “导出 Excel” that is an HTML table): cell texts, col/rowspans repeated as merges read. */
function readHtmlTables(fileName: string, text: string): SheetTable[] {
  const root = parseHtml(text, { blockTextElements: { script: false, style: false } });
  const outer = root.querySelectorAll("table").filter((t) => {
    for (let p = t.parentNode; p; p = p.parentNode) if (p.tagName === "TABLE") return false;
    return true;
  });
  return outer.map((table, t) => {
    const grid: string[][] = [];
    const markup: string[][] = [];
    // Its own rows only (a cell may hold a body with tables of its own).
    const trs = table.childNodes
      .flatMap((n) =>
        n instanceof HTMLElement && ["TBODY", "THEAD", "TFOOT"].includes(n.tagName) ? n.childNodes : [n],
      )
      .filter((n): n is HTMLElement => n instanceof HTMLElement && n.tagName === "TR");
    let cells = 0;
    trs.forEach((tr, r) => {
      const row = grid[r] ?? [];
      grid[r] = row;
      markup[r] ??= [];
      let c = 0;
      for (const td of tr.childNodes) {
        if (!(td instanceof HTMLElement) || !["TD", "TH"].includes(td.tagName)) continue;
        while (row[c] !== undefined) c++;
        const value = td.structuredText.replace(/\u00a0/g, " ").trim();
        const cs = Math.min(Math.max(Number(td.getAttribute("colspan")) || 1, 1), 200);
        const rs = Math.min(Math.max(Number(td.getAttribute("rowspan")) || 1, 1), trs.length - r);
        cells += rs * cs;
        const violation = checkTableCells(fileName, cells);
        if (violation) throw new AppError(violation.code, violation.message);
        for (let dr = 0; dr < rs; dr++) {
          const target = grid[r + dr] ?? [];
          grid[r + dr] = target;
          const marked = markup[r + dr] ?? [];
          markup[r + dr] = marked;
          for (let dc = 0; dc < cs; dc++) {
            target[c + dc] = value;
            marked[c + dc] = td.innerHTML;
          }
        }
        c += cs;
      }
    });
    return {
      name: `${fileName}${t ? `#${t + 1}` : ""}`,
      rows: grid.map(
        (cells, i): HtmlRow => ({
          row: i + 1,
          cells: Array.from(cells, (x) => x ?? ""),
          html: Array.from(markup[i] ?? [], (x) => x ?? ""),
        }),
      ),
    };
  });
}

const TABLE_OPTIONS = {
  unreadable: "record_import_unreadable",
  tooLarge: "record_import_too_large",
  maxRows: MAX_IMPORT_ROWS + 20,
} as const;

/** The header of a table: the first of its first 20 rows that is one, combined with a second header row under it. */
function findHeader(t: SheetTable): { headers: string[]; dataFrom: number } | null {
  const at = t.rows.slice(0, 20).findIndex((r) => isHeaderRow(r.cells));
  if (at < 0) return null;
  const top = t.rows[at]?.cells ?? [];
  const combined = combineHeaderRows(top, t.rows[at + 1]?.cells ?? []);
  return combined ? { headers: combined, dataFrom: at + 2 } : { headers: top, dataFrom: at + 1 };
}

/** CSV from Excel is comma-separated; “Unicode 文本” (.txt) and some exports use tabs: the one whose header reads. */
function readDelimited(fileName: string, text: string, format: "csv" | "tsv"): SheetTable[] {
  const sample = text.slice(0, 64 * 1024);
  const cut = sample.length < text.length ? sample.slice(0, sample.lastIndexOf("\n") + 1) : sample;
  let best = format === "tsv" ? "\t" : ",";
  let bestScore = -1;
  for (const d of [best, ...[",", "\t", ";"].filter((x) => x !== best)]) {
    let score = 0;
    try {
      const [t] = readDelimitedTables(fileName, cut, d, {
        ...TABLE_OPTIONS,
        maxRows: Number.MAX_SAFE_INTEGER,
      });
      const h = t ? findHeader(t) : null;
      score = h ? mapHeaders(h.headers).columns.size : 0;
    } catch {
      score = 0;
    }
    if (score > bestScore) [best, bestScore] = [d, score];
  }
  return readDelimitedTables(fileName, text, best, TABLE_OPTIONS);
}

/** Bodies exported with their markup escaped (“&lt;p&gt;…”) are HTML, not text. */
function unescapeMarkup(raw: string): string {
  if (looksLikeHtml(raw) || !/&lt;\/?(?:p|div|span|br|table|strong|font)\b/i.test(raw)) return raw;
  return raw.replace(
    /&(lt|gt|quot|#39|apos|nbsp|amp);/g,
    (_, e: string) =>
      ({ lt: "<", gt: ">", quot: '"', "#39": "'", apos: "'", nbsp: "\u00a0", amp: "&" })[e] as string,
  );
}

/** Reads the file into a header and rows with prepared bodies. @throws record_import_* */
export async function readRecordFile(fileName: string, bytes: Uint8Array): Promise<ReadRecordFile> {
  if (bytes.length === 0) throw unreadable(`“${fileName}”是空文件。`);
  if (bytes.length > MAX_RECORD_IMPORT_BYTES)
    throw new AppError("payload_too_large", `文件超过 ${MAX_RECORD_IMPORT_BYTES / 1024 / 1024} MB 上限。`);
  const format = detectRecordFormat(fileName, bytes);
  let problems = new Map<number, string>();
  let tables: SheetTable[];
  if (format === "json") {
    const json = readJson(fileName, bytes);
    problems = json.problems;
    tables = [json];
  } else if (format === "xlsx") tables = await readXlsxTables(fileName, bytes, TABLE_OPTIONS);
  else if (format === "html") tables = readHtmlTables(fileName, decodeText(bytes));
  else tables = readDelimited(fileName, decodeText(bytes), format);
  const found: { t: SheetTable; headers: string[]; rows: SheetRow[] }[] = [];
  const ignoredSheets: string[] = [];
  for (const t of tables) {
    const h = format === "json" ? { headers: t.rows[0]?.cells ?? [], dataFrom: 1 } : findHeader(t);
    if (h) found.push({ t, headers: h.headers, rows: t.rows.slice(h.dataFrom) });
    else if (t.rows.some((r) => r.cells.some((c) => c.trim() !== ""))) ignoredSheets.push(t.name);
  }
  const first = found[0];
  if (!first)
    throw new AppError(
      "record_import_no_header",
      `“${fileName}”的前20行中没有表头行（应含“索引号”“标题”“发布日期”“目录事项”“正文”等列）。`,
    );
  const total = found.reduce((n, f) => n + f.rows.length, 0);
  if (total > MAX_IMPORT_ROWS)
    throw new AppError(
      "record_import_too_large",
      `文件有 ${total} 行，超过每次导入 ${MAX_IMPORT_ROWS} 行的上限，请分批导入。`,
    );
  // One header over every table read: each field's column, then 序号, then the other columns' text joined.
  const fields: ImportField[] = [];
  const ignored: string[] = [];
  const columnMap: string[] = [];
  const mapped = found.map((f) => {
    const h = mapHeaders(f.headers);
    for (const [k, at] of h.columns) {
      if (!fields.includes(k)) fields.push(k);
      const source = (f.headers[at] ?? "").replace(/\s+/g, "");
      const pair =
        headerKey(source) === headerKey(FIELD_LABELS[k]) ? FIELD_LABELS[k] : `${source}→${FIELD_LABELS[k]}`;
      if (!columnMap.includes(pair)) columnMap.push(pair);
    }
    for (const x of h.ignored) if (!ignored.includes(x)) ignored.push(x);
    return h;
  });
  const headers = [...fields.map((f) => FIELD_HEADERS[f][0] as string), "序号", OTHER_COLUMN];
  const many = found.length > 1;
  const rows: ReadRecordRow[] = [];
  found.forEach((f, n) => {
    const h = mapped[n] as HeaderResult;
    const known = new Set([...h.columns.values(), ...h.seqColumns]);
    for (const r of f.rows) {
      const cells = fields.map((k) => {
        const at = h.columns.get(k);
        return at === undefined ? "" : (r.cells[at] ?? "");
      });
      cells.push(h.seqColumns.map((i) => r.cells[i] ?? "").join(""));
      cells.push(
        r.cells
          .filter((c, i) => !known.has(i) && c.trim() !== "")
          .join(" ")
          .slice(0, 200),
      );
      const at = (k: ImportField) => fields.indexOf(k);
      const bodyAt = h.columns.get("bodyHtml") ?? h.columns.get("bodyText");
      const markup = bodyAt === undefined ? "" : ((r as HtmlRow).html?.[bodyAt]?.trim() ?? "");
      const raw =
        (looksLikeHtml(markup) ? markup : "") ||
        (at("bodyHtml") < 0 ? "" : (cells[at("bodyHtml")] ?? "").trim()) ||
        (at("bodyText") < 0 ? "" : (cells[at("bodyText")] ?? "").replace(/\r\n?/g, "\n").trim());
      const html = raw === "" ? "" : prepareBody(unescapeMarkup(raw));
      const problem = problems.get(r.row);
      rows.push({
        row: r.row,
        ...(many ? { sheet: f.t.name } : {}),
        cells: problem ? [...fields.map(() => ""), "", problem] : cells,
        bodyHtml: html,
        bodyText: bodyText(html),
        ...(problem ? { problems: [problem] } : {}),
      });
    }
  });
  return {
    format,
    table: many ? found.map((f) => f.t.name).join("、") : first.t.name,
    headers,
    sourceHeaders: first.headers,
    columns: columnMap,
    ignoredColumns: ignored,
    ignoredSheets,
    sheets: found.map((f, n) => ({ name: f.t.name, missing: (mapped[n] as HeaderResult).missing })),
    rows,
  };
}
