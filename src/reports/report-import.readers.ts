/**
 * @module Readers for a published annual report (政府信息公开工作年度报告) as agencies publish it: the HTML page of
 * their portal or the .docx they upload. Each reader turns the file into a `ReportDocument`: the title and the body
 * as blocks in reading order — paragraphs of text and tables. Tables keep merged cells as ONE cell object spanning
 * several grid positions (`GridCell` identity), so a value that spans three columns is read once, not three times.
 * Website chrome (navigation, breadcrumbs, footers) is cut away by locating the report's own body.
 */
import mammoth from "mammoth";
import { type HTMLElement, type Node, NodeType, parse as parseHtml } from "node-html-parser";
import { AppError } from "../errors.ts";
import { toSimplifiedCharacters } from "../shared/simplified.ts";

/** One cell of a source table; the same object fills every grid position a merged cell covers. */
export interface GridCell {
  text: string;
}

export type ReportBlock = { kind: "paragraph"; text: string } | { kind: "table"; grid: GridCell[][] };

export interface ReportDocument {
  /** The report's title line when one was found (e.g. 某某局2023年政府信息公开工作年度报告). */
  title: string | null;
  blocks: ReportBlock[];
}

/** Files larger than this are refused before parsing (a published report is a few hundred KB). */
export const MAX_REPORT_BYTES = 10 * 1024 * 1024;
/** Rows or columns of one table at most (the official tables have 29 rows and 10 columns). */
const MAX_TABLE_ROWS = 500;
const MAX_TABLE_COLUMNS = 60;

const TITLE = /(?:\d{4})\s*年(?:度)?.{0,8}?政府信息公开(?:工作)?(?:年度)?报告/;

function unreadable(message: string): AppError {
  return new AppError("report_import_unreadable", message);
}

/** Decides the file type from its bytes (then its name) and reads it. */
export async function readReportFile(fileName: string, bytes: Uint8Array): Promise<ReportDocument> {
  if (bytes.length === 0) throw unreadable(`文件“${fileName}”是空文件。`);
  if (bytes.length > MAX_REPORT_BYTES)
    throw new AppError("payload_too_large", `文件超过 ${MAX_REPORT_BYTES / 1024 / 1024} MB 上限。`);
  const head = Buffer.from(bytes.subarray(0, 8));
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])))
    return readReportDocx(fileName, bytes);
  if (head.subarray(0, 5).toString("latin1") === "%PDF-")
    throw new AppError(
      "report_import_unsupported_type",
      "不支持 PDF 文件：请导入年度报告网页（.html）或 Word 文档（.docx）。",
    );
  if (head.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0])))
    throw new AppError(
      "report_import_unsupported_type",
      "这是旧版 Word 文件（.doc）：请在 Office/WPS 中另存为 .docx 后再导入。",
    );
  const text = decodeHtmlBytes(bytes);
  if (!/<(?:table|html|body|p|div)\b/i.test(text.slice(0, 200_000)))
    throw new AppError(
      "report_import_unsupported_type",
      `文件“${fileName}”既不是网页也不是 Word 文档：请导入年度报告网页（.html）或 .docx 文件。`,
    );
  return readReportHtml(text);
}

/** UTF-8, else the charset the page declares (GBK/GB2312 pages are common), else GB18030. */
export function decodeHtmlBytes(bytes: Uint8Array): string {
  let b = bytes;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(b);
  } catch {
    const head = Buffer.from(b.subarray(0, 2048)).toString("latin1");
    const declared = /charset\s*=\s*["']?([A-Za-z0-9_-]+)/i.exec(head)?.[1]?.toLowerCase();
    const label = declared && ["gbk", "gb2312", "gb18030", "big5"].includes(declared) ? declared : "gb18030";
    return new TextDecoder(label === "gb2312" || label === "gbk" ? "gb18030" : label).decode(b);
  }
}

export async function readReportDocx(fileName: string, bytes: Uint8Array): Promise<ReportDocument> {
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: Buffer.from(bytes) })).value;
  } catch (e) {
    throw unreadable(
      `无法读取 Word 文件“${fileName}”：文件已损坏或不是有效的 .docx 文件（${(e as Error).message.slice(0, 120)}）。`,
    );
  }
  return readReportHtml(html);
}

const BLOCK_TAGS = new Set([
  "p",
  "div",
  "li",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "ul",
  "ol",
  "section",
  "article",
  "blockquote",
  "center",
]);
const SKIP_TAGS = new Set([
  "script",
  "style",
  "noscript",
  "iframe",
  "svg",
  "button",
  "select",
  "nav",
  "header",
]);

function tagOf(node: Node): string {
  return node.nodeType === NodeType.ELEMENT_NODE
    ? ((node as HTMLElement).rawTagName ?? "").toLowerCase()
    : "";
}

/** Text of a node with block boundaries as newlines (tables excluded: they are blocks of their own). */
function inlineText(node: Node): string {
  if (node.nodeType === NodeType.TEXT_NODE) return decodeEntities(node.rawText);
  if (node.nodeType !== NodeType.ELEMENT_NODE) return "";
  const tag = tagOf(node);
  if (tag === "br") return "\n";
  if (SKIP_TAGS.has(tag) || tag === "table") return "";
  const inner = node.childNodes.map(inlineText).join("");
  return BLOCK_TAGS.has(tag) ? `\n${inner}\n` : inner;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&nbsp;/gi, " ")
    .replace(/&#(\d+);/g, (_, d: string) => safeChar(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => safeChar(Number.parseInt(h, 16)))
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

function safeChar(code: number): string {
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "";
}

function directRows(table: HTMLElement): HTMLElement[] {
  const rows: HTMLElement[] = [];
  for (const child of table.childNodes) {
    const tag = tagOf(child);
    if (tag === "tr") rows.push(child as HTMLElement);
    else if (tag === "thead" || tag === "tbody" || tag === "tfoot")
      for (const tr of child.childNodes) if (tagOf(tr) === "tr") rows.push(tr as HTMLElement);
  }
  return rows;
}

function span(cell: HTMLElement, name: string, max: number): number {
  const n = Number.parseInt(cell.getAttribute(name) ?? "1", 10);
  return Number.isFinite(n) ? Math.min(Math.max(n, 1), max) : 1;
}

/** Expands rowspan/colspan into a grid in which a merged cell is one shared object. */
export function tableGrid(table: HTMLElement): GridCell[][] {
  const trs = directRows(table).slice(0, MAX_TABLE_ROWS);
  const grid: (GridCell | undefined)[][] = trs.map(() => []);
  trs.forEach((tr, r) => {
    const row = grid[r] as (GridCell | undefined)[];
    let c = 0;
    for (const node of tr.childNodes) {
      const tag = tagOf(node);
      if (tag !== "td" && tag !== "th") continue;
      const el = node as HTMLElement;
      while (row[c] !== undefined) c++;
      if (c >= MAX_TABLE_COLUMNS) break;
      const cell: GridCell = { text: cleanText(inlineText(el)) };
      const colspan = span(el, "colspan", MAX_TABLE_COLUMNS - c);
      const rowspan = span(el, "rowspan", trs.length - r);
      for (let dr = 0; dr < rowspan; dr++) {
        const target = grid[r + dr] as (GridCell | undefined)[];
        for (let dc = 0; dc < colspan; dc++) target[c + dc] = cell;
      }
      c += colspan;
    }
  });
  const empty = (): GridCell => ({ text: "" });
  return grid.map((row) => Array.from(row, (cell) => cell ?? empty()));
}

/** Collapses white space (including the full-width space and NBSP) inside a cell or paragraph. */
export function cleanText(text: string): string {
  return text
    .replace(/[\u00a0\u3000\t\r\n ]+/g, " ")
    .replace(/ ?([\u3400-\u9fff（）、，。：；“”]) ?/g, "$1")
    .trim();
}

function walk(node: Node, blocks: ReportBlock[], buffer: string[]): void {
  const tag = tagOf(node);
  if (tag === "table") {
    flush(blocks, buffer);
    blocks.push({ kind: "table", grid: tableGrid(node as HTMLElement) });
    return;
  }
  if (node.nodeType === NodeType.ELEMENT_NODE && !SKIP_TAGS.has(tag) && containsTable(node as HTMLElement)) {
    for (const child of node.childNodes) walk(child, blocks, buffer);
    if (BLOCK_TAGS.has(tag)) flush(blocks, buffer);
    return;
  }
  buffer.push(inlineText(node));
  if (BLOCK_TAGS.has(tag)) flush(blocks, buffer);
}

function containsTable(el: HTMLElement): boolean {
  return el.querySelector("table") !== null;
}

function flush(blocks: ReportBlock[], buffer: string[]): void {
  const text = buffer.join("");
  buffer.length = 0;
  for (const line of text.split("\n")) {
    const t = cleanText(line);
    if (t !== "") blocks.push({ kind: "paragraph", text: t });
  }
}

/**
 * The element holding the report itself: the smallest element that contains the heading 「一、总体情况」 (or the
 * first table) and every table. Falls back to <body>.
 */
function reportBody(root: HTMLElement): HTMLElement {
  const body = root.querySelector("body") ?? root;
  const tables = body.querySelectorAll("table").filter((t) => !hasTableAncestor(t));
  const anchors: HTMLElement[] = [...tables];
  const overview = body
    .querySelectorAll("p, div, h1, h2, h3, h4, span, strong, b, td")
    .find((el) => /^\s*[一1][、.．]\s*总体情况/.test(toSimplifiedCharacters(el.text)) && !containsTable(el));
  if (overview) anchors.push(overview);
  if (anchors.length === 0) return body;
  let candidate: HTMLElement | null = anchors[0] as HTMLElement;
  while (candidate && !anchors.every((a) => isInside(a, candidate as HTMLElement)))
    candidate = candidate.parentNode as HTMLElement | null;
  // A report without tables (published as images, or cut short): the heading alone is not the report — its sections
  // are the heading's siblings.
  while (candidate && overview && candidate.text.trim() === overview.text.trim())
    candidate = candidate.parentNode as HTMLElement | null;
  return candidate && candidate !== root ? candidate : body;
}

function isInside(el: HTMLElement, ancestor: HTMLElement): boolean {
  let p: HTMLElement | null = el;
  while (p) {
    if (p === ancestor) return true;
    p = p.parentNode as HTMLElement | null;
  }
  return false;
}

function hasTableAncestor(el: HTMLElement): boolean {
  let p = el.parentNode as HTMLElement | null;
  while (p) {
    if (tagOf(p) === "table") return true;
    p = p.parentNode as HTMLElement | null;
  }
  return false;
}

/**
 * The report's title: a heading (h1–h3, or an element styled as the article title) that reads like one, else the
 * page <title> (minus the site name after a separator), else the first paragraph that does. Breadcrumbs
 * (「首页 > 政务公开 > …」) are never taken.
 */
function findTitle(root: HTMLElement, blocks: ReportBlock[]): string | null {
  const candidates: string[] = [];
  for (const el of root.querySelectorAll("h1, h2, h3, .title, .article-title, #title, .tit")) {
    candidates.push(cleanText(el.text));
  }
  const pageTitle = root.querySelector("title");
  if (pageTitle) candidates.push(cleanText(pageTitle.text).split(/\s*[|_－—-]\s*(?=[^|_－—-]*$)/)[0] ?? "");
  for (const b of blocks.slice(0, 8)) if (b.kind === "paragraph") candidates.push(b.text);
  for (const c of candidates) {
    // Pages served in 繁体 (當前位置, 政府信息公開工作年度報告) are matched in simplified characters.
    const simplified = toSimplifiedCharacters(c);
    if (/[>›»]|首页|当前位置|当前页/.test(simplified)) continue;
    const m = TITLE.exec(simplified);
    if (m && c.length <= 80) return c;
  }
  return null;
}

export function readReportHtml(html: string): ReportDocument {
  const root = parseHtml(html, { blockTextElements: { script: false, style: false, noscript: false } });
  const body = reportBody(root);
  const blocks: ReportBlock[] = [];
  const buffer: string[] = [];
  for (const child of body.childNodes) walk(child, blocks, buffer);
  flush(blocks, buffer);
  return { title: findTitle(root, blocks), blocks };
}
