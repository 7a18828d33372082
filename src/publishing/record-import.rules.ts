/**
 * @module Bulk import of an agency's published history (`gongkai records import`), the pure part: reading each row
 * into a record with every problem as a Chinese message (第N行：…) — which column is which is
 * record-import-headers.rules.ts, cell values record-import-values.rules.ts — telling rows that are not records
 * (blank, 序号 only, notes, section headings, a repeated header) from records, matching the 目录事项 against the
 * agency's published catalog, and refusing duplicate 索引号.
 *
 * Field rules follow record.rules.ts validateContent (条例第19–20条: title, 发布机构, dates, 有效性) for a published
 * 主动公开 record: it needs a 索引号 (unique in the agency), a 发布日期, a catalog item and a body.
 */

import { parseKeywords } from "./record.rules.ts";
import type { Validity } from "./record.table.ts";
import {
  FIELD_LABELS,
  type HeaderResult,
  headerField,
  type ImportField,
  isHeaderRow,
} from "./record-import-headers.rules.ts";
import {
  disclosureProblem,
  halfWidth,
  isNoteText,
  isPlaceholder,
  oneLine,
  parseImportDate,
  parseKind,
  parseValidity,
  sectionHeading,
} from "./record-import-values.rules.ts";

export {
  combineHeaderRows,
  FIELD_HEADERS,
  type HeaderResult,
  headerField,
  type ImportField,
  isHeaderRow,
  MAX_IMPORT_ROWS,
  mapHeaders,
  REQUIRED_FIELDS,
} from "./record-import-headers.rules.ts";
export { parseImportDate } from "./record-import-values.rules.ts";

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
  /** The worksheet, when the file has more than one with records. */
  sheet?: string;
  cells: readonly string[];
  /** The body prepared by the reader (sanitised HTML and its plain text; empty when none). */
  bodyHtml: string;
  bodyText: string;
  /** Problems the reader found (a JSON element that is not an object). */
  problems?: readonly string[];
}

/** A valid row, ready for the bulk loader once its body is prepared (record-import.readers.ts). */
export interface ImportRecord {
  row: number;
  sheet?: string;
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
  sheet?: string;
  indexNo: string;
  messages: string[];
}

/** A row that is not a record and was skipped, shown in the preview: a note (合计、说明), a section heading, a repeated header. */
export interface SkippedRow {
  row: number;
  sheet?: string;
  text: string;
  reason: string;
}

export interface ImportContext {
  agency: { id: string; slug: string; name: string; shortName: string | null };
  matchItem: (raw: string) => ItemMatch;
  /** The item of rows whose 目录事项 is empty (given for the whole file, e.g. `--item`). */
  defaultItem?: ImportCatalogItem;
  /** The file's own 有效性 words mapped by the user (parseValidityWords). */
  validityWords?: ReadonlyMap<string, Validity>;
  /** 索引号 the agency already uses (any record, draft or published). */
  existingIndexNos: ReadonlySet<string>;
  /** Today in Beijing (YYYY-MM-DD): no date may be later. */
  today: string;
}

export interface ImportPlan {
  records: ImportRecord[];
  errors: RowError[];
  /** Source rows that were empty or held only a 序号 (skipped silently). */
  emptyRows: number;
  /** Rows with text that are not records (skipped, listed). */
  skipped: SkippedRow[];
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

/** 第12行, or 工作表“2020年”第12行 when the file has several sheets of records. */
export function rowLabel(r: { row: number; sheet?: string }): string {
  return `${r.sheet ? `工作表“${r.sheet}”` : ""}第${r.row}行`;
}

type RowShape =
  | { kind: "empty" }
  | { kind: "record" }
  | { kind: "skip"; text: string; reason: string; section?: string };

/**
 * What a row is before it is read as a record: empty (blank cells, or only its 序号), a repeated header row (files
 * joined from several exports), a note (合计、说明、制表人), a section heading (“一、政策文件” in a merged row: its
 * text when it names a catalog item), or a record.
 */
function shapeOf(r: SourceRow, header: HeaderResult, mappedColumns: ReadonlySet<number>): RowShape {
  const values: string[] = [];
  r.cells.forEach((c, i) => {
    const v = c.trim();
    // A 序号 cell (a number) alone does not make a row; a note written in that column does.
    if (v !== "" && !isPlaceholder(v) && !(header.seqColumns.includes(i) && /^\d+\.?$/.test(halfWidth(v))))
      values.push(v);
  });
  if (values.length === 0) return { kind: "empty" };
  const distinct = [...new Set(values)];
  if (
    r.cells.every((c, i) => {
      // Every cell of a mapped column names that column's field (other columns may hold anything).
      if (c.trim() === "" || !mappedColumns.has(i)) return true;
      const f = headerField(c);
      return f !== undefined && header.columns.get(f) === i;
    }) &&
    isHeaderRow(r.cells)
  )
    return { kind: "skip", text: distinct.join(" "), reason: "重复的表头行" };
  const first = distinct[0] as string;
  if (distinct.length <= 2 && isNoteText(first))
    return { kind: "skip", text: distinct.join(" "), reason: "说明行" };
  if (distinct.length === 1) {
    const heading = sectionHeading(first);
    // A merged row repeats its text in every cell it spans; an unmerged one-cell row is a heading only when numbered.
    if (values.length >= 2 || heading !== null)
      return { kind: "skip", text: first, reason: "分组标题行", section: heading ?? first };
  }
  // Text only in columns no field has (备注, 点击量, 链接): not a record, but listed, not dropped silently.
  if ([...mappedColumns].every((i) => (r.cells[i] ?? "").trim() === "" || isPlaceholder(r.cells[i] ?? "")))
    return { kind: "skip", text: distinct.join(" "), reason: "只有未识别列的内容" };
  return { kind: "record" };
}

/** Reads and checks every row; a row with any problem is not imported and lists all its problems. */
export function planImport(header: HeaderResult, rows: readonly SourceRow[], ctx: ImportContext): ImportPlan {
  const records: ImportRecord[] = [];
  const errors: RowError[] = [];
  const skipped: SkippedRow[] = [];
  const seen = new Map<string, SourceRow>();
  let emptyRows = 0;
  const agencyNames = new Set(
    [ctx.agency.id, ctx.agency.slug, ctx.agency.name, ctx.agency.shortName ?? ""]
      .filter((s) => s !== "")
      .map((s) => normName(s).toLowerCase()),
  );
  const mappedColumns = new Set(header.columns.values());
  // The catalog item a section heading names, for the rows under it that name none (per sheet).
  let section: { sheet?: string; item: ImportCatalogItem } | undefined;
  for (const r of rows) {
    const raw = (f: ImportField): string => {
      const i = header.columns.get(f);
      const v = i === undefined ? "" : (r.cells[i] ?? "").replace(/\r\n?/g, "\n").trim();
      return isPlaceholder(v) ? "" : v;
    };
    const at = r.sheet ? { row: r.row, sheet: r.sheet } : { row: r.row };
    if (r.problems?.length) {
      errors.push({ ...at, indexNo: "", messages: [...r.problems] });
      continue;
    }
    const shape = shapeOf(r, header, mappedColumns);
    if (shape.kind === "empty") {
      emptyRows++;
      continue;
    }
    if (shape.kind === "skip") {
      let reason = shape.reason;
      if (shape.section !== undefined) {
        const hit = ctx.matchItem(shape.section);
        section = hit.ok ? { sheet: r.sheet, item: hit.item } : undefined;
        reason = hit.ok
          ? `分组标题行：其下未填目录事项的信息归入“${hit.item.path.join(" / ")}”`
          : "分组标题行（未对应目录事项）";
      }
      skipped.push({
        ...(r.sheet ? { sheet: r.sheet } : {}),
        row: r.row,
        text: shape.text.slice(0, 80),
        reason,
      });
      continue;
    }
    if (section && section.sheet !== r.sheet) section = undefined;
    const m: string[] = [];
    const agency = raw("agency");
    if (agency !== "" && !agencyNames.has(normName(agency).toLowerCase()))
      m.push(`本行属于其他机关（“${agency}”），与指定的机关“${ctx.agency.name}”（${ctx.agency.slug}）不符`);
    const indexNo = oneLine(raw("indexNo"));
    const earlier = seen.get(indexNo);
    if (indexNo === "") m.push("索引号为空");
    else if (indexNo.length > LIMITS.indexNo) m.push(`索引号不能超过${LIMITS.indexNo}个字`);
    else if ([...indexNo].some((c) => c.charCodeAt(0) < 32)) m.push("索引号含有控制字符");
    else if (ctx.existingIndexNos.has(indexNo)) m.push(`索引号“${indexNo}”已被本机关的其他信息使用`);
    else if (earlier) m.push(`索引号“${indexNo}”与${rowLabel(earlier)}重复`);
    else seen.set(indexNo, r);
    const title = oneLine(raw("title"));
    if (title === "") m.push("标题为空");
    else if (title.length > LIMITS.title)
      m.push(`标题不能超过${LIMITS.title}个字（本行${title.length}个字）`);
    const text = (f: "summary" | "issuingAgency" | "docNumber" | "topic" | "genre") => {
      const v = f === "summary" ? raw(f) : oneLine(raw(f));
      if (v.length > LIMITS[f]) m.push(`${FIELD_LABELS[f]}不能超过${LIMITS[f]}个字（本行${v.length}个字）`);
      return v;
    };
    const summary = text("summary");
    const docNumber = text("docNumber");
    const topic = text("topic");
    const genre = text("genre");
    const issuingAgency = text("issuingAgency") || ctx.agency.name;
    const date = (f: "publishedDate" | "formedDate"): string | null => {
      const v = raw(f);
      if (v === "") return null;
      const d = parseImportDate(v);
      if (d === null)
        m.push(`${FIELD_LABELS[f]}“${v.slice(0, 40)}”不是有效日期（请写作“2024-03-05”或“2024年3月5日”）`);
      else if (d > ctx.today) m.push(`${FIELD_LABELS[f]}${d}晚于今天`);
      return d;
    };
    const publishedDate = date("publishedDate");
    if (raw("publishedDate") === "") m.push("发布日期为空");
    const formedDate = date("formedDate") ?? publishedDate;
    if (formedDate && publishedDate && formedDate > publishedDate)
      m.push(`成文日期${formedDate}晚于发布日期${publishedDate}`);
    const keywords = parseKeywords(raw("keywords"));
    if (keywords.length > 10) m.push(`关键词最多10个（本行${keywords.length}个）`);
    else if (keywords.some((k) => k.length > 20)) m.push("每个关键词不能超过20个字");
    const validity = parseValidity(raw("validity"), ctx.validityWords);
    if (!validity.ok) m.push(validity.message);
    const disclosure = disclosureProblem(raw("disclosure"));
    if (disclosure) m.push(disclosure);
    const kindRaw = raw("kind");
    const kind = parseKind(kindRaw);
    if (kind === null) m.push(`类别“${kindRaw}”只能是政府信息或政策解读`);
    const itemRaw = raw("item");
    const fallback = section?.item ?? ctx.defaultItem;
    const item: ItemMatch =
      itemRaw === "" && fallback ? { ok: true, item: fallback } : ctx.matchItem(itemRaw);
    if (!item.ok) m.push(item.message);
    if (r.bodyHtml === "" || r.bodyText === "") m.push("正文为空");
    if (
      m.length ||
      !item.ok ||
      publishedDate === null ||
      formedDate === null ||
      !validity.ok ||
      kind === null
    ) {
      errors.push({ ...at, indexNo, messages: m });
      continue;
    }
    records.push({
      ...at,
      indexNo,
      title,
      docNumber,
      issuingAgency,
      formedDate,
      publishedDate,
      topic,
      genre,
      keywords,
      validity: validity.validity,
      summary,
      kind,
      itemId: item.item.id,
      itemStableKey: item.item.stableKey,
      itemPath: item.item.path,
      bodyHtml: r.bodyHtml,
      bodyText: r.bodyText,
    });
  }
  return { records, errors, emptyRows, skipped };
}

/** One error line per problem: 第12行（索引号 X）：标题为空. */
export function formatRowErrors(e: RowError): string[] {
  const where = `${rowLabel(e)}${e.indexNo ? `（索引号 ${e.indexNo}）` : ""}`;
  return e.messages.map((msg) => `${where}：${msg}`);
}
