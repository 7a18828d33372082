/**
 * @module Structural checks for untrusted documents, done BEFORE any parser touches the content. Pure: the zip
 * central directory (names and declared sizes, read by zip-inspect.ts) and the raw bytes go in, a violation (an
 * error code of src/errors.ts and a Chinese message) comes out. The limits are documented in docs/security.md.
 *
 *   const v = checkZipEntries(entries, DEFAULT_DOCUMENT_LIMITS, "docx");
 *   if (v) throw new AppError(v.code, v.message);
 */
import type { ErrorCode } from "../errors.ts";

export interface DocumentLimits {
  /** Size of the file itself (bytes). */
  maxBytes: number;
  /** Sum of the declared (and, while verifying, the actual) uncompressed sizes of a zip's entries. */
  maxUncompressedBytes: number;
  /** Entries in one zip (central directory records). */
  maxEntries: number;
  /** Uncompressed ÷ compressed size, checked for the whole archive and for each entry over 1 MiB. */
  maxRatio: number;
  /** Archives inside the archive (embedded .zip/.docx/.xlsx …: counted, never opened). */
  maxNestedArchives: number;
  /** Folder depth of an entry name. */
  maxDepth: number;
  /** Wall time of one parse in the worker before it is killed. */
  timeoutMs: number;
  /** Old-generation heap of a parser worker (V8 resourceLimits). */
  maxHeapMb: number;
}

export const DEFAULT_DOCUMENT_LIMITS: Readonly<DocumentLimits> = Object.freeze({
  maxBytes: 20 * 1024 * 1024,
  maxUncompressedBytes: 100 * 1024 * 1024,
  maxEntries: 2000,
  maxRatio: 100,
  maxNestedArchives: 20,
  maxDepth: 12,
  timeoutMs: 20_000,
  maxHeapMb: 256,
});

export type ContainerType = "docx" | "xlsx" | "pdf";

export interface Violation {
  code: ErrorCode;
  message: string;
}

export interface ZipEntryInfo {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
}

const MB = 1024 * 1024;
const mb = (n: number) => `${Math.round(n / MB)} MB`;
const NESTED = /\.(zip|jar|docx|docm|xlsx|xlsm|pptx|odt|ods|ofd|7z|rar|gz|tgz|bz2|xz|cab)$/i;

/** The container's required parts (ECMA-376 Part 2: every OPC package has [Content_Types].xml and _rels/.rels). */
const REQUIRED_PARTS: Readonly<Record<"docx" | "xlsx", readonly string[]>> = {
  docx: ["[Content_Types].xml", "_rels/.rels", "word/document.xml"],
  xlsx: ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"],
};

/** What the central directory says, against the limits and (when given) the expected OOXML type. */
export function checkZipEntries(
  entries: readonly ZipEntryInfo[],
  fileSize: number,
  limits: Pick<
    DocumentLimits,
    "maxUncompressedBytes" | "maxEntries" | "maxRatio" | "maxNestedArchives" | "maxDepth"
  >,
  expect?: ContainerType,
): Violation | undefined {
  if (entries.length === 0) return structure("压缩包中没有任何内容。");
  if (entries.length > limits.maxEntries)
    return {
      code: "document_too_many_entries",
      message: `文件包含 ${entries.length} 个内部条目，超过上限 ${limits.maxEntries} 个。`,
    };
  let total = 0;
  let nested = 0;
  for (const e of entries) {
    total += e.uncompressedSize;
    if (NESTED.test(e.name)) nested++;
    if (e.name.split("/").length - 1 > limits.maxDepth)
      return structure(`文件内部路径层级过深（${e.name.slice(0, 80)}）。`);
    if (e.uncompressedSize > MB && e.uncompressedSize > limits.maxRatio * Math.max(e.compressedSize, 1))
      return ratio(e.uncompressedSize, e.compressedSize, limits.maxRatio);
  }
  if (total > limits.maxUncompressedBytes)
    return {
      code: "document_too_large_uncompressed",
      message: `文件解压后共 ${mb(total)}，超过上限 ${mb(limits.maxUncompressedBytes)}（疑似“压缩炸弹”），已拒绝。`,
    };
  if (total > MB && total > limits.maxRatio * Math.max(fileSize, 1))
    return ratio(total, fileSize, limits.maxRatio);
  if (nested > limits.maxNestedArchives)
    return {
      code: "document_nested_archive",
      message: `文件内嵌了 ${nested} 个压缩包，超过上限 ${limits.maxNestedArchives} 个。`,
    };
  if (expect === "docx" || expect === "xlsx") {
    const names = new Set(entries.map((e) => e.name));
    const missing = REQUIRED_PARTS[expect].filter((p) => !names.has(p));
    if (missing.length > 0) return structure(`这不是有效的 .${expect} 文件：缺少 ${missing.join("、")}。`);
  }
  return undefined;
}

function ratio(uncompressed: number, compressed: number, max: number): Violation {
  return {
    code: "document_compression_ratio",
    message: `文件压缩比为 ${Math.round(uncompressed / Math.max(compressed, 1))}:1，超过上限 ${max}:1（疑似“压缩炸弹”），已拒绝。`,
  };
}

function structure(message: string): Violation {
  return { code: "document_structure_invalid", message };
}

/**
 * Cells of a spreadsheet that merged ranges may cover in one workbook (all sheets). exceljs makes an object for
 * every cell of a merged range when it loads a workbook: 400,000 merged cells took ~3.5 s, 1,000,000 reached the
 * parser's 256 MB heap (a 1.5 KB file merging A1:XFD1048576 — 17 billion cells — ran its parser 10–13 s into
 * the heap limit). 250,000 is 12 columns merged over 20,000 rows, far beyond any real table.
 */
export const MAX_MERGED_CELLS = 250_000;

const COLUMN_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + COLUMN_LETTERS.indexOf(ch) + 1;
  return n;
}

/**
 * Cells an A1-style range covers: "A1:XFD1048576" → 17,179,869,184, "B2" → 1, "$A$1:$C$3" → 9, "C3:A1" → 9.
 * 0 for what is not a cell range ("A:C", a name, ""): exceljs expands those into no cells either.
 */
export function rangeCells(ref: string): number {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d{1,9})(?::\$?([A-Za-z]{1,3})\$?(\d{1,9}))?$/.exec(ref.trim());
  if (!m) return 0;
  const [, c1 = "", r1 = "", c2 = c1, r2 = r1] = m;
  const cols = Math.abs(columnNumber(c2) - columnNumber(c1)) + 1;
  const rows = Math.abs(Number(r2) - Number(r1)) + 1;
  return cols * rows;
}

/** The merged ranges of a workbook against MAX_MERGED_CELLS (the message names the largest range). */
export function checkMergedCells(
  refs: readonly string[],
  max: number = MAX_MERGED_CELLS,
): Violation | undefined {
  let total = 0;
  let largest = { ref: "", cells: 0 };
  for (const ref of refs) {
    const cells = rangeCells(ref);
    total += cells;
    if (cells > largest.cells) largest = { ref, cells };
  }
  if (total <= max) return undefined;
  return {
    code: "document_too_many_cells",
    message:
      `表格中的合并单元格共覆盖 ${total.toLocaleString("en-US")} 个单元格（最大的是 ${largest.ref.slice(0, 40)}），` +
      `超过上限 ${max.toLocaleString("en-US")} 个（疑似“表格炸弹”），已拒绝。请取消不必要的合并单元格后重新上传。`,
  };
}

/**
 * Cells an HTML table of an import may expand to once its rowspan/colspan are repeated into a grid (20,000 rows of
 * 50 columns). A 188 KB page whose first row holds 200 cells of rowspan 20,000 and colspan 50 asked for 200 million
 * and ran its parser into the heap or wall-time limit (20–25 s).
 */
export const MAX_TABLE_CELLS = 1_000_000;

/** The cells a table's spans expand to, against MAX_TABLE_CELLS. */
export function checkTableCells(
  table: string,
  cells: number,
  max: number = MAX_TABLE_CELLS,
): Violation | undefined {
  if (cells <= max) return undefined;
  return {
    code: "document_too_many_cells",
    message:
      `“${table.slice(0, 60)}”的合并单元格（rowspan/colspan）展开后超过 ${max.toLocaleString("en-US")} 个单元格` +
      "（疑似“表格炸弹”），已拒绝。请检查表格的合并单元格后重新导入。",
  };
}

/** Markers that make a browser (or a sniffing proxy) treat the bytes as HTML or script. */
// (Five characters at least, so that random bytes of a compressed stream match with negligible probability.)
const HTML_MARKERS = ["<html", "<script", "<!doctype", "<iframe", "<body", "<object", "<embed"];

/**
 * A PDF starts with `%PDF-`, ends with `%%EOF` (within its last 1 KiB, ISO 32000-1 §7.5.5) and carries no HTML:
 * a PDF/HTML polyglot would run as a page if ever served or sniffed as HTML.
 */
export function checkPdf(bytes: Uint8Array): Violation | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.subarray(0, 5).toString("latin1") !== "%PDF-")
    return structure("这不是有效的 PDF 文件：缺少文件头 %PDF-。");
  if (!buf.subarray(Math.max(0, buf.length - 1024)).includes("%%EOF"))
    return structure("这不是完整的 PDF 文件：缺少文件尾 %%EOF（文件可能被截断）。");
  return checkNoHtml(buf);
}

/** Rejects bytes that contain HTML markup (case-insensitive, anywhere in the file). */
export function checkNoHtml(bytes: Uint8Array): Violation | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1").toLowerCase();
  const marker = HTML_MARKERS.find((m) => text.includes(m));
  return marker
    ? {
        code: "document_polyglot",
        message: `文件中夹带了网页代码（${marker}…），可能是伪装的网页，已拒绝。`,
      }
    : undefined;
}

/** The container a file claims to be from its first bytes. */
export function sniffContainer(bytes: Uint8Array): "zip" | "pdf" | "other" {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return "zip";
  if (Buffer.from(bytes.subarray(0, 5)).toString("latin1") === "%PDF-") return "pdf";
  return "other";
}
