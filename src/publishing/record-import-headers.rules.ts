/**
 * @module The columns of a records import (pure, table-tested): which header names which field — Gongkai's own
 * names, the labels of 政府信息公开目录 pages and CMS exports, the English names of Gongkai's open-data export
 * (src/ops/export-datasets.ts) — which row is the header (below title rows; two rows when a merged cell spans them),
 * and which columns are a running number (序号).
 */

import { halfWidth } from "./record-import-values.rules.ts";

export type ImportField =
  | "agency"
  | "indexNo"
  | "title"
  | "docNumber"
  | "issuingAgency"
  | "formedDate"
  | "publishedDate"
  | "topic"
  | "genre"
  | "keywords"
  | "validity"
  | "summary"
  | "item"
  | "bodyText"
  | "bodyHtml"
  | "kind"
  | "disclosure";

/**
 * Header names (compared after halfWidth, without spaces, marks such as * and a trailing colon, case-insensitive;
 * a trailing bracket such as “（必填）” or “(yyyy-mm-dd)” is tried without) for each field: Gongkai's own names, the
 * labels of 政府信息公开目录 pages and CMS exports (信息索引号 / 索取号, 信息名称, 文件编号, 发文日期 / 生成日期 /
 * 产生日期, 公开日期 / 发布时间, 时效性 / 效力状况, 所属主题, 信息来源 / 发布单位, …) and the English column names of
 * Gongkai's open-data export.
 */
export const FIELD_HEADERS: Readonly<Record<ImportField, readonly string[]>> = {
  agency: ["机关", "所属机关", "公开主体", "agency", "agency_id", "agency_slug"],
  indexNo: ["索引号", "信息索引号", "索引编号", "索引码", "索取号", "信息索取号", "index_no", "indexno"],
  title: [
    "标题",
    "名称",
    "信息名称",
    "文件名称",
    "文件名",
    "信息标题",
    "文件标题",
    "文章标题",
    "题名",
    "title",
  ],
  docNumber: ["文号", "发文字号", "文件编号", "发文文号", "发文号", "文件文号", "doc_number", "docnumber"],
  issuingAgency: [
    "发布机构",
    "发文机关",
    "发文单位",
    "发布机关",
    "发布单位",
    "发布部门",
    "制发机关",
    "成文单位",
    "信息来源",
    "issuing_agency",
  ],
  formedDate: [
    "成文日期",
    "生成日期",
    "成文(生成)日期",
    "发文日期",
    "产生日期",
    "形成日期",
    "印发日期",
    "签发日期",
    "成文时间",
    "生成时间",
    "formed_date",
  ],
  publishedDate: [
    "发布日期",
    "公开日期",
    "发布时间",
    "公开时间",
    "信息发布日期",
    "信息公开日期",
    "上网日期",
    "published_date",
  ],
  topic: ["主题分类", "所属主题", "主题", "topic"],
  genre: ["体裁分类", "体裁", "genre"],
  keywords: ["关键词", "主题词", "关键字", "keywords"],
  validity: ["有效性", "时效性", "效力状况", "效力状态", "效力", "是否有效", "validity"],
  summary: ["内容概述", "摘要", "内容摘要", "内容概要", "信息摘要", "summary"],
  item: ["目录事项", "所属目录", "目录", "目录分类", "公开目录", "catalog_item", "catalog_item_id", "item"],
  bodyText: ["正文", "内容", "信息内容", "正文内容", "文章内容", "全文", "body", "body_text"],
  bodyHtml: ["正文html", "body_html"],
  kind: ["类别", "kind"],
  disclosure: ["公开方式", "公开属性", "公开形式", "公开类型", "公开类别", "disclosure"],
};

export const FIELD_LABELS: Readonly<Record<ImportField, string>> = {
  agency: "机关",
  indexNo: "索引号",
  title: "标题",
  docNumber: "文号",
  issuingAgency: "发布机构",
  formedDate: "成文日期",
  publishedDate: "发布日期",
  topic: "主题分类",
  genre: "体裁分类",
  keywords: "关键词",
  validity: "有效性",
  summary: "内容概述",
  item: "目录事项",
  bodyText: "正文",
  bodyHtml: "正文（HTML）",
  kind: "类别",
  disclosure: "公开方式",
};

/** Columns a file must have (正文 as text or HTML; 目录事项 unless one is given for the whole file). */
export const REQUIRED_FIELDS: readonly ImportField[] = ["indexNo", "title", "publishedDate", "item"];

/** At most this many rows per file (a province's agency publishes a few thousand a year). */
export const MAX_IMPORT_ROWS = 20_000;

/** A header cell as compared: folded (halfWidth), no spaces, no required-marks (*), no trailing colon. */
export const headerKey = (h: string) =>
  halfWidth(h)
    .replace(/\s/g, "")
    .replace(/^[*※]+|[*※:]+$/g, "")
    .toLowerCase();

const HEADER_INDEX: ReadonlyMap<string, ImportField> = new Map(
  (Object.entries(FIELD_HEADERS) as [ImportField, readonly string[]][]).flatMap(([f, names]) =>
    names.map((n) => [headerKey(n), f] as const),
  ),
);

/** Names of a running-number column (序号), whose cells alone do not make a row. */
const SEQ_HEADERS = new Set(["序号", "序", "no", "no.", "#", "编码序号"]);

/** The field a header cell names, or undefined. */
export function headerField(h: string): ImportField | undefined {
  if (h.length > 40) return undefined; // a body, not a header: no need to fold it
  const n = headerKey(h);
  return HEADER_INDEX.get(n) ?? HEADER_INDEX.get(n.replace(/\([^()]*\)$/, ""));
}

export interface HeaderResult {
  columns: Map<ImportField, number>;
  /** Headers not understood (ignored; shown in the preview). */
  ignored: string[];
  /** Required fields without a column. */
  missing: string[];
  /** Running-number columns (序号). */
  seqColumns: number[];
}

/** Which column holds which field. A field named twice keeps its first column (the other is listed as ignored). */
export function mapHeaders(headers: readonly string[]): HeaderResult {
  const columns = new Map<ImportField, number>();
  const ignored: string[] = [];
  const seqColumns: number[] = [];
  headers.forEach((h, i) => {
    const f = headerField(h);
    if (f === undefined) {
      if (SEQ_HEADERS.has(headerKey(h))) seqColumns.push(i);
      else if (h.trim() !== "" && !ignored.includes(h.trim())) ignored.push(h.trim());
    } else if (!columns.has(f)) columns.set(f, i);
    else ignored.push(`${h.trim()}（与“${(headers[columns.get(f) as number] ?? "").trim()}”重复，取前者）`);
  });
  const missing = REQUIRED_FIELDS.filter((f) => !columns.has(f)).map((f) => FIELD_LABELS[f]);
  if (!columns.has("bodyText") && !columns.has("bodyHtml")) missing.push("正文");
  return { columns, ignored, missing, seqColumns };
}

/** A header row: it names at least two known columns, one of them 索引号 or 标题 (a lookup sheet of 有效性 / 主题分类 values is not). */
export function isHeaderRow(cells: readonly string[]): boolean {
  const { columns } = mapHeaders(cells);
  return columns.size >= 2 && (columns.has("indexNo") || columns.has("title"));
}

/**
 * The row under a header when it completes a two-row header (合并单元格: “日期” over “成文日期 | 发布日期”): every
 * non-empty cell names a known column or repeats the cell above (a vertical merge), and one names a column the
 * first row does not have. Returns the combined header, or null when the row is data.
 */
export function combineHeaderRows(top: readonly string[], below: readonly string[]): string[] | null {
  const topFields = new Set(mapHeaders(top).columns.keys());
  let adds = false;
  for (let i = 0; i < below.length; i++) {
    const c = (below[i] ?? "").trim();
    if (c === "" || headerKey(c) === headerKey(top[i] ?? "")) continue;
    const f = headerField(c);
    if (f === undefined && !SEQ_HEADERS.has(headerKey(c))) return null;
    if (f !== undefined && !topFields.has(f)) adds = true;
  }
  if (!adds) return null;
  const width = Math.max(top.length, below.length);
  return Array.from({ length: width }, (_, i) => {
    const c = (below[i] ?? "").trim();
    return c !== "" && headerField(c) !== undefined ? c : (top[i] ?? "");
  });
}
