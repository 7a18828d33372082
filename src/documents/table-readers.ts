/**
 * @module Spreadsheet and text-table readers shared by the file imports (catalog import, records import), run in a
 * parser child process (document-pool.ts): .xlsx through exceljs (xlsx-load.ts: merged cells capped, data
 * validations and defined names not read), .csv/.tsv through csv-parse, text decoded as UTF-8
 * (with or without BOM), UTF-16LE with BOM, else GB18030 (Excel's “CSV” on Chinese Windows). The caller names the
 * error codes its users see and the row limit.
 */
import { parse as parseCsv } from "csv-parse/sync";
import type ExcelJS from "exceljs";
import { AppError, type ErrorCode } from "../errors.ts";
import { storableText } from "../shared/storable-text.ts";
import { loadXlsx } from "./xlsx-load.ts";
import { DocumentViolation } from "./zip-inspect.ts";

export interface SheetRow {
  /** 1-based row number in the source (sheet row, CSV record). */
  row: number;
  cells: string[];
  /** cells[i] repeats cells[i-1] because of a horizontal merge. */
  spanLeft?: boolean[];
}

export interface SheetTable {
  /** Sheet name, or the file name of a CSV. */
  name: string;
  rows: SheetRow[];
}

export interface TableReadOptions {
  /** Code of an unreadable file (broken container, bad quoting). */
  unreadable: ErrorCode;
  /** Code of a table with more than maxRows rows. */
  tooLarge: ErrorCode;
  maxRows: number;
}

/**
 * UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's “Unicode 文本” is UTF-16LE), else GB18030 (Excel's “CSV”
 * on Chinese Windows; a superset of GBK and GB2312).
 */
export function decodeText(bytes: Uint8Array): string {
  let b = bytes;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
  if (b[0] === 0xff && b[1] === 0xfe) return storableText(new TextDecoder("utf-16le").decode(b.subarray(2)));
  if (b[0] === 0xfe && b[1] === 0xff) return storableText(new TextDecoder("utf-16be").decode(b.subarray(2)));
  try {
    return storableText(new TextDecoder("utf-8", { fatal: true }).decode(b));
  } catch {
    return storableText(new TextDecoder("gb18030").decode(b));
  }
}

function excelValueText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return storableText(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((r) => r.text).join("");
    if ("formula" in value || "sharedFormula" in value) {
      const result = (value as ExcelJS.CellFormulaValue).result;
      return result === undefined || result === null ? "" : excelValueText(result as ExcelJS.CellValue);
    }
    // A hyperlink: its text is a string or rich text.
    if ("text" in value) return excelValueText(value.text as ExcelJS.CellValue);
    if ("error" in value) return "";
  }
  return String(value);
}

/** Every worksheet as rows of cell texts (merged cells: spanLeft), trailing empty cells and rows dropped. */
export async function readXlsxTables(
  fileName: string,
  bytes: Uint8Array,
  o: TableReadOptions,
): Promise<SheetTable[]> {
  let wb: ExcelJS.Workbook;
  try {
    wb = await loadXlsx(bytes, { merges: true });
  } catch (e) {
    if (e instanceof DocumentViolation) throw e;
    throw new AppError(
      o.unreadable,
      `无法读取 Excel 文件“${fileName}”：文件已损坏或不是有效的 .xlsx 文件（${(e as Error).message.slice(0, 120)}）。`,
    );
  }
  const tables: SheetTable[] = [];
  for (const ws of wb.worksheets) {
    // The last row with a value: rows that only carry formatting (a whole column formatted down to row 65,536 or
    // 1,048,576, as hand-made sheets often are) are not rows of the table.
    let last = 0;
    ws.eachRow((_row, n) => {
      last = n;
    });
    if (last > o.maxRows)
      throw new AppError(o.tooLarge, `工作表“${ws.name}”有 ${last} 行，超过上限 ${o.maxRows} 行。`);
    const width = Math.min(ws.columnCount, 200);
    const rows: SheetRow[] = [];
    for (let r = 1; r <= last; r++) {
      const row = ws.getRow(r);
      const cells: string[] = [];
      const spanLeft: boolean[] = [];
      for (let c = 1; c <= width; c++) {
        const cell = row.getCell(c);
        cells.push(excelValueText(cell.value));
        const master = cell.master;
        spanLeft.push(master !== cell && master.row === cell.row);
      }
      while (cells.length > 0 && cells[cells.length - 1] === "") {
        cells.pop();
        spanLeft.pop();
      }
      rows.push({ row: r, cells, spanLeft });
    }
    tables.push({ name: ws.name, rows });
  }
  return tables;
}

/** A CSV/TSV text as one table (quotes relaxed, ragged rows allowed). */
export function readDelimitedTables(
  fileName: string,
  text: string,
  delimiter: string,
  o: TableReadOptions,
): SheetTable[] {
  let records: string[][];
  try {
    records = parseCsv(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      bom: true,
      max_record_size: 1024 * 1024,
    }) as string[][];
  } catch (e) {
    const err = e as Error & { lines?: number; code?: string };
    const reason =
      err.code === "CSV_MAX_RECORD_SIZE"
        ? "一行超过 1 MB（可能有未闭合的引号，或单元格内容过长）"
        : err.code === "CSV_QUOTE_NOT_CLOSED"
          ? "引号未闭合（某个单元格以英文双引号开头却没有结束的双引号）"
          : err.message.slice(0, 160);
    throw new AppError(
      o.unreadable,
      `无法读取“${fileName}”${err.lines ? `第 ${err.lines} 行` : ""}：${reason}`,
      err.lines ? { details: { row: err.lines } } : {},
    );
  }
  if (records.length > o.maxRows)
    throw new AppError(o.tooLarge, `“${fileName}”有 ${records.length} 行，超过上限 ${o.maxRows} 行。`);
  return [{ name: fileName, rows: records.map((cells, i) => ({ row: i + 1, cells })) }];
}
