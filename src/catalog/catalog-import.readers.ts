/**
 * @module File readers for catalog import: .xlsx (exceljs), .docx (mammoth → HTML tables), .csv/.tsv (csv-parse),
 * .html (node-html-parser) and our own .json export. Each turns the file into `RawTable`s (merged cells expanded,
 * HTML/Word checkboxes turned into ■/□) plus the text lines outside tables (title, 填表人 …). Unreadable files
 * throw `catalog_import_unreadable` / `catalog_import_unsupported_type` naming the problem.
 */
import mammoth from "mammoth";
import { type HTMLElement, type Node, NodeType, parse as parseHtml } from "node-html-parser";
import { checkTableCells } from "../documents/document.rules.ts";
import { decodeText, readDelimitedTables, readXlsxTables } from "../documents/table-readers.ts";
import { AppError } from "../errors.ts";
import type { RawTable } from "./catalog-import.rules.ts";

export const IMPORT_FORMATS = ["xlsx", "docx", "csv", "tsv", "html", "json"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Files larger than this are refused before parsing. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
/** Rows read from one sheet/table at most (more is an error, not a silent cut). */
export const MAX_SOURCE_ROWS = 20000;

const TABLE_OPTIONS = {
  unreadable: "catalog_import_unreadable",
  tooLarge: "catalog_import_too_large",
  maxRows: MAX_SOURCE_ROWS,
} as const;

export interface ReadResult {
  format: ImportFormat;
  tables: RawTable[];
  /** Text outside tables (paragraphs above/below), in order. */
  lines: string[];
}

function unreadable(message: string, details?: Record<string, unknown>): AppError {
  return new AppError("catalog_import_unreadable", message, details ? { details } : {});
}

function extensionOf(fileName: string): string {
  const m = fileName.toLowerCase().match(/\.([a-z0-9]+)$/);
  return m?.[1] ?? "";
}

/** Decides the format from the bytes first (a .xlsx that is not a zip is broken), then the extension. */
export function detectFormat(fileName: string, bytes: Uint8Array): ImportFormat {
  const ext = extensionOf(fileName);
  const head = Buffer.from(bytes.subarray(0, 8));
  const isZip = head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  const isOle = head.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]));
  if (head.subarray(0, 5).toString("latin1") === "%PDF-")
    throw new AppError(
      "catalog_import_unsupported_type",
      "不支持 PDF 文件：请导入 .xlsx、.docx、.csv、.tsv 或 .html 格式的目录表格。",
    );
  if (isOle)
    throw new AppError(
      "catalog_import_unsupported_type",
      "这是旧版 Office 文件（.xls/.doc）：请在 Office/WPS 中另存为 .xlsx 或 .docx 后再导入。",
    );
  if (isZip) {
    const buf = Buffer.from(bytes);
    if (buf.includes("word/document.xml")) return "docx";
    if (buf.includes("xl/workbook.xml") || buf.includes("xl/worksheets/")) return "xlsx";
    if (ext === "xlsx" || ext === "docx") return ext;
    throw new AppError("catalog_import_unsupported_type", "这是一个压缩文件，但不是 .xlsx 或 .docx 文档。");
  }
  if (ext === "xlsx" || ext === "docx")
    throw unreadable(`文件“${fileName}”不是有效的 .${ext} 文件（文件已损坏或扩展名不符）。`);
  if (["xls", "doc", "pdf", "ods", "odt", "wps", "et", "zip", "rar", "png", "jpg"].includes(ext))
    throw new AppError(
      "catalog_import_unsupported_type",
      `不支持 .${ext} 文件：请导入 .xlsx、.docx、.csv、.tsv、.html 或 .json 格式的目录。`,
    );
  const sample = Buffer.from(bytes.subarray(0, 8192));
  let control = 0;
  for (const b of sample) if (b === 0 || (b < 0x09 && b !== 0x1b)) control++;
  if (sample.length > 0 && control / sample.length > 0.01)
    throw unreadable(`文件“${fileName}”不是文本文件，也不是 .xlsx/.docx 文档，无法读取。`);
  const text = decodeText(bytes).slice(0, 4096).trimStart();
  if (ext === "json" || text.startsWith("{")) return "json";
  if (ext === "html" || ext === "htm" || /<(?:table|html|!doctype)/i.test(text)) return "html";
  if (ext === "tsv" || ext === "tab") return "tsv";
  if (ext === "csv" || ext === "txt" || ext === "") {
    const first = text.split("\n").slice(0, 5).join("\n");
    return (first.match(/\t/g)?.length ?? 0) > (first.match(/,/g)?.length ?? 0) ? "tsv" : "csv";
  }
  throw new AppError(
    "catalog_import_unsupported_type",
    `不支持 .${ext} 文件：请导入 .xlsx、.docx、.csv、.tsv、.html 或 .json 格式的目录。`,
  );
}

export async function readCatalogFile(fileName: string, bytes: Uint8Array): Promise<ReadResult> {
  if (bytes.length === 0) throw unreadable(`文件“${fileName}”是空文件。`);
  if (bytes.length > MAX_IMPORT_BYTES)
    throw new AppError("payload_too_large", `文件超过 ${MAX_IMPORT_BYTES / 1024 / 1024} MB 上限。`);
  const format = detectFormat(fileName, bytes);
  switch (format) {
    case "xlsx":
      return { format, tables: await readXlsxTables(fileName, bytes, TABLE_OPTIONS), lines: [] };
    case "docx":
      return { format, ...(await readDocx(fileName, bytes)) };
    case "csv":
    case "tsv":
      return {
        format,
        tables: readDelimitedTables(
          fileName,
          decodeText(bytes),
          format === "tsv" ? "\t" : ",",
          TABLE_OPTIONS,
        ),
        lines: [],
      };
    case "html":
      return { format, ...readHtml(decodeText(bytes)) };
    case "json":
      return { format, tables: [], lines: [] };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// xlsx

// ---------------------------------------------------------------------------------------------------------------
// docx (through mammoth's HTML, which keeps tables, merged cells and checkboxes)

async function readDocx(
  fileName: string,
  bytes: Uint8Array,
): Promise<{ tables: RawTable[]; lines: string[] }> {
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: Buffer.from(bytes) })).value;
  } catch (e) {
    throw unreadable(
      `无法读取 Word 文件“${fileName}”：文件已损坏或不是有效的 .docx 文件（${(e as Error).message.slice(0, 120)}）。`,
    );
  }
  return readHtml(html);
}

// ---------------------------------------------------------------------------------------------------------------
// HTML

const BLOCK_TAGS = new Set(["p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "ul", "ol"]);
/** Wingdings/Symbol private-use glyphs Word uses for tick boxes. */
const PUA_TICKS: Record<string, string> = {
  "\uf0fe": "☑",
  "\uf0a8": "□",
  "\uf06f": "□",
  "\uf06e": "■",
  "\uf0fd": "☒",
  "\uf052": "☑",
  "\uf0a3": "□",
};

function nodeText(node: Node): string {
  if (node.nodeType === NodeType.TEXT_NODE)
    return node.text.replace(/[\uf000-\uf0ff]/g, (c) => PUA_TICKS[c] ?? "");
  if (node.nodeType !== NodeType.ELEMENT_NODE) return "";
  const el = node as HTMLElement;
  const tag = el.rawTagName?.toLowerCase() ?? "";
  if (tag === "input") {
    const type = (el.getAttribute("type") ?? "").toLowerCase();
    if (type === "checkbox" || type === "radio") return el.hasAttribute("checked") ? "■" : "□";
    return el.getAttribute("value") ?? "";
  }
  if (tag === "br") return "\n";
  if (tag === "script" || tag === "style" || tag === "table") return "";
  const inner = el.childNodes.map(nodeText).join("");
  return BLOCK_TAGS.has(tag) ? `${inner}\n` : inner;
}

function directRows(table: HTMLElement): HTMLElement[] {
  const rows: HTMLElement[] = [];
  for (const child of table.childNodes) {
    if (child.nodeType !== NodeType.ELEMENT_NODE) continue;
    const el = child as HTMLElement;
    const tag = el.rawTagName?.toLowerCase();
    if (tag === "tr") rows.push(el);
    else if (tag === "thead" || tag === "tbody" || tag === "tfoot")
      for (const tr of el.childNodes)
        if (tr.nodeType === NodeType.ELEMENT_NODE && (tr as HTMLElement).rawTagName?.toLowerCase() === "tr")
          rows.push(tr as HTMLElement);
  }
  return rows;
}

/** Expands rowspan/colspan into a grid; colspan copies are marked spanLeft. */
function tableToRaw(table: HTMLElement, name: string): RawTable {
  const grid: { text: string; spanLeft: boolean }[][] = [];
  const trs = directRows(table);
  if (trs.length > MAX_SOURCE_ROWS)
    throw new AppError(
      "catalog_import_too_large",
      `“${name}”有 ${trs.length} 行，超过上限 ${MAX_SOURCE_ROWS} 行。`,
    );
  let cells = 0;
  trs.forEach((tr, r) => {
    grid[r] ??= [];
    const row = grid[r] as { text: string; spanLeft: boolean }[];
    let c = 0;
    for (const cellNode of tr.childNodes) {
      if (cellNode.nodeType !== NodeType.ELEMENT_NODE) continue;
      const cell = cellNode as HTMLElement;
      const tag = cell.rawTagName?.toLowerCase();
      if (tag !== "td" && tag !== "th") continue;
      while (row[c] !== undefined) c++;
      const text = nodeText(cell).replace(/\n+$/, "");
      const colspan = Math.min(Math.max(Number(cell.getAttribute("colspan") ?? "1") || 1, 1), 50);
      const rowspan = Math.min(Math.max(Number(cell.getAttribute("rowspan") ?? "1") || 1, 1), trs.length - r);
      cells += rowspan * colspan;
      const violation = checkTableCells(name, cells);
      if (violation) throw new AppError(violation.code, violation.message);
      for (let dr = 0; dr < rowspan; dr++) {
        grid[r + dr] ??= [];
        const target = grid[r + dr] as { text: string; spanLeft: boolean }[];
        for (let dc = 0; dc < colspan; dc++) target[c + dc] = { text, spanLeft: dc > 0 };
      }
      c += colspan;
    }
  });
  return {
    name,
    rows: grid.map((cells, i) => {
      const filled = Array.from(cells, (x) => x ?? { text: "", spanLeft: false });
      return { row: i + 1, cells: filled.map((x) => x.text), spanLeft: filled.map((x) => x.spanLeft) };
    }),
  };
}

/** 「首页 > 政务公开 > 标准目录」「当前位置：…」: a breadcrumb, never the catalog's title. */
const BREADCRUMB =
  /(?:当前位置|您的位置|您现在的位置|当前所在位置|所在位置)\s*[:：]?|首页\s*[>＞»›/|]|[>＞»›]\s*\S+\s*[>＞»›]/;
const CHROME = /breadcrumb|crumb|position|location|weizhi|dqwz|nav|menu|footer|copyright|skip/i;

/**
 * Reads an HTML page: its tables, and the lines outside them — the page heading first (h1–h3, else <title>), then
 * the other paragraphs. Navigation, breadcrumbs (首页 > … > 标准目录) and footers are left out, so the catalog's title
 * is never taken from the breadcrumb.
 */
export function readHtml(html: string): { tables: RawTable[]; lines: string[] } {
  const root = parseHtml(html, { blockTextElements: { script: false, style: false, pre: true } });
  const all = root.querySelectorAll("table");
  const outer = all.filter((t) => !t.parentNode || !hasTableAncestor(t));
  const tables = outer.map((t, i) => tableToRaw(t, `表格${i + 1}`));
  const pageTitle = root.querySelector("title")
    ? nodeText(root.querySelector("title") as HTMLElement).trim()
    : "";
  const body = root.querySelector("body") ?? root;
  for (const t of outer) t.remove();
  for (const el of body.querySelectorAll("nav, footer, script, style, select, button")) el.remove();
  for (const el of body.querySelectorAll("[class], [id]"))
    if (CHROME.test(`${el.getAttribute("class") ?? ""} ${el.getAttribute("id") ?? ""}`)) el.remove();
  const isLine = (l: string) => l !== "" && !BREADCRUMB.test(l);
  const heading = body
    .querySelectorAll("h1, h2, h3")
    .map((h) => nodeText(h).replace(/\s+/g, " ").trim())
    .find((h) => isLine(h) && h.length <= 100);
  const lines = nodeText(body)
    .split("\n")
    .map((l) => l.trim())
    .filter(isLine);
  const title = heading ?? (isLine(pageTitle) ? pageTitle.split(/\s*[-_|–—]\s*/)[0]?.trim() : undefined);
  return { tables, lines: title ? [title, ...lines.filter((l) => l !== title)] : lines };
}

function hasTableAncestor(el: HTMLElement): boolean {
  let p = el.parentNode as HTMLElement | null;
  while (p) {
    if (p.rawTagName?.toLowerCase() === "table") return true;
    p = p.parentNode as HTMLElement | null;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// CSV / TSV
