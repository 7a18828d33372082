/**
 * @module Bulk import of an agency's published history (`gongkai records import`), the pure part: which column is
 * which (Chinese headers as agencies' spreadsheets write them, and the English names of Gongkai's own open-data
 * export, src/ops/export-datasets.ts), reading each row into a record with every problem as a Chinese message
 * (第N行：…), matching the 目录事项 against the agency's published catalog, and refusing duplicate 索引号.
 *
 * Field rules follow record.rules.ts validateContent (条例第19–20条: title, 发布机构, dates, 有效性) for a published
 * 主动公开 record: it needs a 索引号 (unique in the agency), a 发布日期, a catalog item and a body.
 */

import { parseKeywords, VALIDITIES } from "./record.rules.ts";
import type { Validity } from "./record.table.ts";

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
  | "kind";

/** Header names (compared without spaces, case-insensitive) for each field. */
export const FIELD_HEADERS: Readonly<Record<ImportField, readonly string[]>> = {
  agency: ["机关", "所属机关", "公开主体", "agency", "agency_id", "agency_slug"],
  indexNo: ["索引号", "index_no", "indexno"],
  title: ["标题", "名称", "信息名称", "文件名称", "title"],
  docNumber: ["文号", "发文字号", "doc_number", "docnumber"],
  issuingAgency: ["发布机构", "发文机关", "发文单位", "issuing_agency"],
  formedDate: ["成文日期", "生成日期", "成文（生成）日期", "formed_date"],
  publishedDate: ["发布日期", "公开日期", "published_date"],
  topic: ["主题分类", "topic"],
  genre: ["体裁分类", "体裁", "genre"],
  keywords: ["关键词", "主题词", "keywords"],
  validity: ["有效性", "validity"],
  summary: ["内容概述", "摘要", "summary"],
  item: ["目录事项", "所属目录", "目录", "catalog_item", "catalog_item_id", "item"],
  bodyText: ["正文", "内容", "body", "body_text"],
  bodyHtml: ["正文html", "body_html"],
  kind: ["类别", "kind"],
};

const FIELD_LABELS: Readonly<Record<ImportField, string>> = {
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
};

/** Columns a file must have (正文 as text or HTML). */
export const REQUIRED_FIELDS: readonly ImportField[] = ["indexNo", "title", "publishedDate", "item"];

/** At most this many rows per file (a province's agency publishes a few thousand a year). */
export const MAX_IMPORT_ROWS = 20_000;

const norm = (h: string) => h.replace(/[\s\u3000]/g, "").toLowerCase();

const HEADER_INDEX: ReadonlyMap<string, ImportField> = new Map(
  (Object.entries(FIELD_HEADERS) as [ImportField, readonly string[]][]).flatMap(([f, names]) =>
    names.map((n) => [norm(n), f] as const),
  ),
);

export interface HeaderResult {
  columns: Map<ImportField, number>;
  /** Headers not understood (ignored; shown in the preview). */
  ignored: string[];
  /** Required fields without a column. */
  missing: string[];
}

/** Which column holds which field. A field named twice keeps its first column. */
export function mapHeaders(headers: readonly string[]): HeaderResult {
  const columns = new Map<ImportField, number>();
  const ignored: string[] = [];
  headers.forEach((h, i) => {
    const f = HEADER_INDEX.get(norm(h));
    if (f === undefined) {
      if (h.trim() !== "") ignored.push(h.trim());
    } else if (!columns.has(f)) columns.set(f, i);
  });
  const missing = REQUIRED_FIELDS.filter((f) => !columns.has(f)).map((f) => FIELD_LABELS[f]);
  if (!columns.has("bodyText") && !columns.has("bodyHtml")) missing.push("正文");
  return { columns, ignored, missing };
}

/** A date as agencies write it: 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, 20240305 → ISO, or null. */
export function parseImportDate(raw: string): string | null {
  const s = raw.trim();
  const m =
    s.match(/^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/) ??
    s.match(/^(\d{4})(\d{2})(\d{2})$/);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d || y < 1949)
    return null;
  return `${m[1]}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** The catalog items a row may name: by id, stable key, number (1.2.3) or name / path (一级 / 二级 / 三级). */
export interface ImportCatalogItem {
  id: string;
  stableKey: string;
  number: string | null;
  name: string;
  path: string[];
}

export type ItemMatch = { ok: true; item: ImportCatalogItem } | { ok: false; message: string };

const normName = (s: string) => s.replace(/[\s\u3000]/g, "");

/** Builds the matcher of the agency's published catalog items. */
export function itemMatcher(items: readonly ImportCatalogItem[]): (raw: string) => ItemMatch {
  const byKey = new Map<string, ImportCatalogItem[]>();
  const add = (k: string, it: ImportCatalogItem) => {
    const list = byKey.get(k) ?? [];
    if (!list.includes(it)) list.push(it);
    byKey.set(k, list);
  };
  for (const it of items) {
    add(`id:${it.id.toLowerCase()}`, it);
    add(`key:${it.stableKey}`, it);
    if (it.number) add(`no:${normName(it.number)}`, it);
    add(`name:${normName(it.name)}`, it);
    add(`path:${it.path.map(normName).join("/")}`, it);
  }
  return (raw) => {
    const s = raw.trim();
    if (s === "") return { ok: false, message: "目录事项为空：主动公开的信息须对应目录事项" };
    const path = s
      .split(/\s*[/／>＞]\s*/)
      .map(normName)
      .filter((p) => p !== "");
    for (const k of [`id:${s.toLowerCase()}`, `key:${s}`, `no:${normName(s)}`, `path:${path.join("/")}`]) {
      const hit = byKey.get(k);
      if (hit?.length === 1) return { ok: true, item: hit[0] as ImportCatalogItem };
    }
    const named = byKey.get(`name:${path[path.length - 1] ?? ""}`) ?? [];
    if (named.length === 1) return { ok: true, item: named[0] as ImportCatalogItem };
    if (named.length > 1)
      return {
        ok: false,
        message: `目录事项“${s}”有${named.length}个同名事项，请写出完整路径（如“${(named[0] as ImportCatalogItem).path.join(" / ")}”）或事项编号`,
      };
    return { ok: false, message: `目录事项“${s}”不在本机关已发布的目录中` };
  };
}

/** A row read from the file: its number in the source (for messages) and its cells by column. */
export interface SourceRow {
  row: number;
  cells: readonly string[];
  /** The body prepared by the reader (sanitised HTML and its plain text; empty when none). */
  bodyHtml: string;
  bodyText: string;
}

/** A valid row, ready for the bulk loader once its body is prepared (record-import.readers.ts). */
export interface ImportRecord {
  row: number;
  indexNo: string;
  title: string;
  docNumber: string;
  issuingAgency: string;
  formedDate: string;
  publishedDate: string;
  topic: string;
  genre: string;
  keywords: string[];
  validity: Validity | null;
  summary: string;
  kind: "document" | "interpretation";
  itemId: string;
  itemStableKey: string;
  itemPath: string[];
  bodyHtml: string;
  bodyText: string;
}

export interface RowError {
  row: number;
  indexNo: string;
  messages: string[];
}

export interface ImportContext {
  agency: { id: string; slug: string; name: string; shortName: string | null };
  matchItem: (raw: string) => ItemMatch;
  /** 索引号 the agency already uses (any record, draft or published). */
  existingIndexNos: ReadonlySet<string>;
  /** Today in Beijing (YYYY-MM-DD): no date may be later. */
  today: string;
}

export interface ImportPlan {
  records: ImportRecord[];
  errors: RowError[];
  /** Source rows that were empty (skipped silently). */
  emptyRows: number;
}

const LIMITS = {
  title: 300,
  summary: 500,
  issuingAgency: 100,
  docNumber: 100,
  indexNo: 100,
  topic: 50,
  genre: 50,
};

/** Reads and checks every row; a row with any problem is not imported and lists all its problems. */
export function planImport(header: HeaderResult, rows: readonly SourceRow[], ctx: ImportContext): ImportPlan {
  const records: ImportRecord[] = [];
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  let emptyRows = 0;
  const agencyNames = new Set(
    [ctx.agency.id, ctx.agency.slug, ctx.agency.name, ctx.agency.shortName ?? ""]
      .filter((s) => s !== "")
      .map((s) => normName(s).toLowerCase()),
  );
  for (const r of rows) {
    const get = (f: ImportField): string => {
      const i = header.columns.get(f);
      return i === undefined ? "" : (r.cells[i] ?? "").replace(/\r\n?/g, "\n").trim();
    };
    if (r.cells.every((c) => c.trim() === "")) {
      emptyRows++;
      continue;
    }
    const m: string[] = [];
    const agency = get("agency");
    if (agency !== "" && !agencyNames.has(normName(agency).toLowerCase()))
      m.push(`本行属于其他机关（“${agency}”），与指定的机关“${ctx.agency.name}”（${ctx.agency.slug}）不符`);
    const indexNo = get("indexNo");
    if (indexNo === "") m.push("索引号为空");
    else if (indexNo.length > LIMITS.indexNo) m.push(`索引号不能超过${LIMITS.indexNo}个字`);
    else if ([...indexNo].some((c) => c.charCodeAt(0) < 32)) m.push("索引号含有控制字符");
    else if (ctx.existingIndexNos.has(indexNo)) m.push(`索引号“${indexNo}”已被本机关的其他信息使用`);
    else if (seen.has(indexNo)) m.push(`索引号“${indexNo}”与第${seen.get(indexNo)}行重复`);
    else seen.set(indexNo, r.row);
    const title = get("title");
    if (title === "") m.push("标题为空");
    else if (title.length > LIMITS.title) m.push(`标题不能超过${LIMITS.title}个字`);
    const text = (f: "summary" | "issuingAgency" | "docNumber" | "topic" | "genre") => {
      const v = get(f);
      if (v.length > LIMITS[f]) m.push(`${FIELD_LABELS[f]}不能超过${LIMITS[f]}个字`);
      return v;
    };
    const summary = text("summary");
    const docNumber = text("docNumber");
    const topic = text("topic");
    const genre = text("genre");
    const issuingAgency = text("issuingAgency") || ctx.agency.name;
    const date = (f: "publishedDate" | "formedDate"): string | null => {
      const raw = get(f);
      if (raw === "") return null;
      const d = parseImportDate(raw);
      if (d === null) m.push(`${FIELD_LABELS[f]}“${raw}”不是有效日期（请写作“2024-03-05”）`);
      else if (d > ctx.today) m.push(`${FIELD_LABELS[f]}${d}晚于今天`);
      return d;
    };
    const publishedDate = date("publishedDate");
    if (get("publishedDate") === "") m.push("发布日期为空");
    const formedDate = date("formedDate") ?? publishedDate;
    if (formedDate && publishedDate && formedDate > publishedDate)
      m.push(`成文日期${formedDate}晚于发布日期${publishedDate}`);
    const keywords = parseKeywords(get("keywords"));
    if (keywords.length > 10) m.push("关键词最多10个");
    else if (keywords.some((k) => k.length > 20)) m.push("每个关键词不能超过20个字");
    const validityRaw = get("validity");
    const validity = validityRaw === "" ? null : (validityRaw as Validity);
    if (validity !== null && !VALIDITIES.includes(validity))
      m.push(`有效性“${validityRaw}”只能是有效、失效或废止`);
    const kindRaw = get("kind");
    let kind: ImportRecord["kind"] = "document";
    if (kindRaw === "interpretation" || kindRaw === "政策解读") kind = "interpretation";
    else if (kindRaw !== "" && kindRaw !== "document" && kindRaw !== "政府信息" && kindRaw !== "文件")
      m.push(`类别“${kindRaw}”只能是政府信息或政策解读`);
    const item = ctx.matchItem(get("item"));
    if (!item.ok) m.push(item.message);
    if (r.bodyHtml === "" || r.bodyText === "") m.push("正文为空");
    if (m.length || !item.ok || publishedDate === null || formedDate === null) {
      errors.push({ row: r.row, indexNo, messages: m });
      continue;
    }
    records.push({
      row: r.row,
      indexNo,
      title,
      docNumber,
      issuingAgency,
      formedDate,
      publishedDate,
      topic,
      genre,
      keywords,
      validity,
      summary,
      kind,
      itemId: item.item.id,
      itemStableKey: item.item.stableKey,
      itemPath: item.item.path,
      bodyHtml: r.bodyHtml,
      bodyText: r.bodyText,
    });
  }
  return { records, errors, emptyRows };
}

/** One error line per problem: 第12行（索引号 X）：标题为空. */
export function formatRowErrors(e: RowError): string[] {
  const where = `第${e.row}行${e.indexNo ? `（索引号 ${e.indexNo}）` : ""}`;
  return e.messages.map((msg) => `${where}：${msg}`);
}
