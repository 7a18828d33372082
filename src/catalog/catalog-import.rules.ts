/**
 * @module Pure import of a catalog table: finds the header by meaning (whatever the local wording: 事项类别/一级事项,
 * 事项名称/二级事项, 公开责任/责任科室/责任股室, 公开渠道/公开渠道和载体, 公开时限及备注, two-row headers …), maps each
 * column to a field, and builds the item tree. Blank hierarchy cells and 「同上」 repeat the row above; blank
 * attribute cells repeat the row above inside the same 一级事项 (vertically merged cells lost by CSV); 「—」 is an
 * explicit empty. Unknown columns are kept in `extra`. Every row is reported with its warnings.
 *
 * Readers (catalog-import.readers.ts) turn .xlsx/.docx/.csv/.html into `RawTable`s; this module never does I/O.
 */

import {
  type CatalogDoc,
  type CatalogDocItem,
  type CatalogHeader,
  emptyItem,
  walkItems,
} from "./catalog.model.ts";
import {
  cleanCell,
  formatResponsible,
  isDitto,
  isExplicitEmpty,
  isTicked,
  parseChannelCell,
  parseElements,
  parseResponsible,
  splitLegalBasis,
  splitNumberPrefix,
} from "./catalog-cells.rules.ts";

/** One table as a reader found it. Merged cells are already expanded (their value repeated). */
export interface RawTable {
  /** Sheet name or "表格 N". */
  name: string;
  rows: RawRow[];
}

export interface RawRow {
  /** 1-based row number in the source (sheet row, table row, CSV record). */
  row: number;
  cells: string[];
  /** cells[i] repeats cells[i-1] because of a horizontal merge (colspan). */
  spanLeft?: boolean[];
}

export type ColumnRole =
  | "seq"
  | "level1"
  | "level2"
  | "level3"
  | "number1"
  | "number2"
  | "number3"
  | "content"
  | "legalBasis"
  | "deadline"
  | "subject"
  | "channels"
  | "audience"
  | "audienceAll"
  | "audienceSpecific"
  | "mode"
  | "modeActive"
  | "modeRequest"
  | "form"
  | "adminLevel"
  | "adminCounty"
  | "adminTownship"
  | "responsible"
  | "cooperating"
  | "remarks"
  | "extra";

export interface ColumnMapping {
  index: number;
  heading: string;
  role: ColumnRole;
}

export interface ImportRowReport {
  table: string;
  row: number;
  /** Names from 一级事项 down to the row's item. */
  path: string[];
  level: number;
  warnings: string[];
}

export interface ImportPreview {
  title: string;
  header: CatalogHeader;
  table: string;
  headerRows: number[];
  columns: ColumnMapping[];
  doc: CatalogDoc;
  rows: ImportRowReport[];
  /** Catalog-wide notes (ignored sheets, inferred mode …). */
  notes: string[];
  counts: { level1: number; level2: number; level3: number; elements: number; warnings: number };
}

export type ImportFailureCode =
  | "catalog_import_no_header"
  | "catalog_import_empty"
  | "catalog_import_too_large";

export type ImportResult =
  | { ok: true; preview: ImportPreview }
  | { ok: false; code: ImportFailureCode; message: string; table?: string; row?: number; column?: number };

export interface ImportOptions {
  /** Title to use when the file has none. */
  fallbackTitle: string;
  /** The deadline parser (src/calendar): clauses it could not read are warned about. */
  parseDeadline?: (text: string) => { unparsed: string[] };
  /** At most this many data rows (default 5000). */
  maxRows?: number;
  /** Text outside the tables (Word/HTML paragraphs): title, 填表人 … */
  outsideLines?: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Header recognition

function norm(text: string): string {
  return text
    .replace(/\s+/g, "")
    .replace(/（/g, "(")
    .replace(/）/g, ")")
    .replace(/[:：]$/, "");
}

/** Sub-heading labels that only make sense under a group heading. */
const SUB_ROLES: [RegExp, ColumnRole][] = [
  [/^一级(事项|目录|类别)?$/, "level1"],
  [/^二级(事项|目录)?$/, "level2"],
  [/^三级(事项|目录)?$/, "level3"],
  [/^全社会$/, "audienceAll"],
  [/^特定(群体|群众|对象|人群)$/, "audienceSpecific"],
  [/^主动(公开)?$/, "modeActive"],
  [/^依申请(公开)?$/, "modeRequest"],
  [/^县(级|区级|市级)?$/, "adminCounty"],
  [/^(乡|乡镇|乡级|乡、村级|乡村级|乡镇级|乡\(镇\)级|街道)/, "adminTownship"],
];

/** Heading → role, by meaning. Order matters: the first match wins. */
const HEADING_ROLES: [RegExp, ColumnRole][] = [
  [/^(序号|编号|序|No\.?)$/i, "seq"],
  [/一级(事项|目录)|事项类别|^类别$|公开类别|^一级$/, "level1"],
  [/二级(事项|目录)|事项名称|^二级$|公开事项名称|^名称$/, "level2"],
  [/三级(事项|目录)|^三级$/, "level3"],
  [/配合(单位|科室|股室|部门)/, "cooperating"],
  [/公开依据|^依据$|法律依据|政策依据|设定依据/, "legalBasis"],
  [/时限/, "deadline"],
  [/公开主体|^主体$|发布主体/, "subject"],
  [/渠道|载体/, "channels"],
  [/公开对象|^对象$/, "audience"],
  [/公开层级|^层级$|适用层级/, "adminLevel"],
  [/责任|承办(单位|科室)|牵头(单位|科室)|负责(单位|科室|股室)/, "responsible"],
  [/公开内容|要素|^内容$|主要内容|内容概述/, "content"],
  [/公开方式|公开形式|^方式$|^形式$/, "mode"], // resolved by the values (主动/依申请, 全文/摘要, or channels)
  [/备注|说明/, "remarks"],
  [/内容/, "content"],
  [/公开事项|^事项$/, "level1"],
];

/** Export writes unknown columns as 「附加列：<heading>」 so they come back as extra whatever their name. */
export const EXTRA_PREFIX = "附加列：";

export function roleOfHeading(heading: string): ColumnRole {
  const h = norm(heading);
  if (h === "" || heading.trim().startsWith(EXTRA_PREFIX)) return "extra";
  for (const [re, role] of SUB_ROLES) if (re.test(h)) return role;
  for (const [re, role] of HEADING_ROLES) if (re.test(h)) return role;
  return "extra";
}

const CORE_ROLES: ReadonlySet<ColumnRole> = new Set([
  "level1",
  "level2",
  "level3",
  "content",
  "legalBasis",
  "deadline",
  "subject",
  "channels",
  "audience",
  "audienceAll",
  "mode",
  "modeActive",
  "responsible",
  "seq",
  "remarks",
]);

function headerScore(cells: string[]): { score: number; hasName: boolean; hasBody: boolean } {
  const roles = new Set<ColumnRole>();
  for (const c of cells) {
    const t = cleanCell(c);
    if (t.length > 20) continue; // headings are short
    const role = roleOfHeading(t);
    if (CORE_ROLES.has(role)) roles.add(role);
  }
  return {
    score: roles.size,
    hasName: roles.has("level1") || roles.has("level2"),
    hasBody:
      roles.has("content") || roles.has("deadline") || roles.has("channels") || roles.has("responsible"),
  };
}

function isSubHeaderRow(cells: string[]): boolean {
  let subs = 0;
  let other = 0;
  for (const c of cells) {
    const t = norm(c);
    if (t === "") continue;
    if (SUB_ROLES.some(([re]) => re.test(t))) subs++;
    else if (t.length > 12) other++;
  }
  return subs >= 2 && other === 0;
}

interface FoundHeader {
  headerRows: number[]; // indexes into table.rows
  columns: ColumnMapping[];
}

function findHeader(table: RawTable, scanRows = 40): FoundHeader | undefined {
  let best: { index: number; score: number } | undefined;
  for (let i = 0; i < Math.min(scanRows, table.rows.length); i++) {
    const s = headerScore((table.rows[i] as RawRow).cells);
    if (s.score >= 3 && s.hasName && s.hasBody && (!best || s.score > best.score))
      best = { index: i, score: s.score };
    if (best && i > best.index + 2) break;
  }
  if (!best) return undefined;
  const top = (table.rows[best.index] as RawRow).cells.map(cleanCell);
  const next = table.rows[best.index + 1];
  const sub = next && isSubHeaderRow(next.cells) ? next.cells.map(cleanCell) : undefined;
  const width = Math.max(top.length, sub?.length ?? 0);
  const columns: ColumnMapping[] = [];
  let group = "";
  for (let c = 0; c < width; c++) {
    const t = top[c] ?? "";
    const s = sub?.[c] ?? "";
    if (t !== "") group = t;
    // A blank top cell with a sub-heading belongs to the group to its left (CSV loses colspans).
    const topLabel = t !== "" ? t : s !== "" ? group : "";
    const heading = s !== "" && s !== topLabel ? s : topLabel;
    let role = roleOfHeading(heading);
    if (s === "" && t === "" && c > 0) role = "extra";
    columns.push({
      index: c,
      heading: s !== "" && topLabel !== "" && s !== topLabel ? `${topLabel}/${s}` : heading,
      role,
    });
  }
  return { headerRows: sub ? [best.index, best.index + 1] : [best.index], columns };
}

// ---------------------------------------------------------------------------------------------------------------
// Column resolution by values

const NUMBER_VALUE =
  /^(?:\d{1,3}(?:[.．]\d{1,3}){0,2}|[一二三四五六七八九十百]{1,4}|[（(][一二三四五六七八九十\d]{1,3}[)）])[、.．]?$/;

function columnValues(rows: RawRow[], index: number): string[] {
  return rows.map((r) => cleanCell(r.cells[index] ?? "")).filter((v) => v !== "" && !isExplicitEmpty(v));
}

function mostly(values: string[], test: (v: string) => boolean): boolean {
  if (values.length === 0) return false;
  return values.filter(test).length / values.length >= 0.6;
}

/** Resolves ambiguous columns from their values: number columns, 公开方式/公开形式, duplicated roles. */
function resolveColumns(columns: ColumnMapping[], data: RawRow[]): ColumnMapping[] {
  const out = columns.map((c) => ({ ...c }));
  for (const col of out) {
    const values = columnValues(data, col.index);
    if (col.role === "mode") {
      if (mostly(values, (v) => /主动|依申请|不予公开/.test(v))) col.role = "mode";
      else if (mostly(values, (v) => /全文|摘要|原文|简要/.test(v))) col.role = "form";
      else if (mostly(values, (v) => parseChannelCell(v).channels.length > 0 || /网|平台|公示|媒体/.test(v)))
        col.role = "channels";
      else if (values.length > 0) col.role = "form";
    }
    if (col.role === "audience" && mostly(values, (v) => isTicked(v) && v.length <= 2))
      col.role = "audienceAll";
  }
  // A hierarchy role spread over two columns (a number cell and a name cell under one heading).
  for (const level of [1, 2, 3] as const) {
    const role = `level${level}` as ColumnRole;
    const cols = out.filter((c) => c.role === role);
    if (cols.length < 2) continue;
    for (const c of cols) {
      const values = columnValues(data, c.index);
      if (mostly(values, (v) => NUMBER_VALUE.test(v))) c.role = `number${level}` as ColumnRole;
    }
    // Still several name columns: keep the first, the others become extra.
    const names = out.filter((c) => c.role === role);
    for (const c of names.slice(1)) c.role = "extra";
  }
  // Only one name column, labelled like a second level (事项名称): it is the first level.
  const has = (r: ColumnRole) => out.some((c) => c.role === r);
  if (!has("level1") && has("level2")) {
    for (const c of out) if (c.role === "level2") c.role = "level1";
    for (const c of out) if (c.role === "number2") c.role = "number1";
    if (has("level3")) for (const c of out) if (c.role === "level3") c.role = "level2";
  }
  // Duplicated single-value roles (two 公开时限 columns …): extra after the first.
  const single: ColumnRole[] = [
    "content",
    "legalBasis",
    "deadline",
    "subject",
    "responsible",
    "form",
    "seq",
    "channels",
  ];
  for (const r of single) for (const c of out.filter((x) => x.role === r).slice(1)) c.role = "extra";
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Header data (表头/表尾: 填表人, 复核人, 审签人, 填表时间, stated totals)

/** Reads 填表人/复核人/审签人/填表时间/责任单位 and stated totals from free lines above or below the table. */
export function parseHeaderLines(lines: string[]): CatalogHeader {
  const header: CatalogHeader = {};
  const text = lines.map(cleanCell).join("\n");
  const field = (label: string): string | undefined => {
    const m = text.match(
      new RegExp(`${label}\\s*[:：]\\s*([^\\s:：]+?)(?=\\s|$|填表|复核|审签|责任单位|审核)`, "m"),
    );
    return m?.[1]?.trim() || undefined;
  };
  const compiledBy = field("填表人");
  const reviewedBy = field("复核人") ?? field("审核人");
  const signedBy = field("审签人") ?? field("签发人");
  const unit = field("责任单位") ?? field("填报单位");
  const date = text.match(
    /填表(?:时间|日期)\s*[:：]\s*([0-9０-９]{4}\s*[年.\-/]\s*[0-9０-９]{1,2}\s*[月.\-/]\s*(?:[0-9０-９]{1,2}\s*日?)?)/,
  );
  if (unit) header.unit = unit;
  if (compiledBy) header.compiledBy = compiledBy;
  if (reviewedBy) header.reviewedBy = reviewedBy;
  if (signedBy) header.signedBy = signedBy;
  if (date?.[1]) header.compiledAt = date[1].replace(/\s+/g, "");
  const totals: Record<string, number> = {};
  const t1 = text.match(/一级事项\s*(\d+)\s*项/);
  const t2 = text.match(/(?<!依申请公开)二级事项\s*(\d+)\s*项/);
  const t3 = text.match(/三级事项\s*(\d+)\s*项/);
  if (t1) totals.一级事项 = Number(t1[1]);
  if (t2) totals.二级事项 = Number(t2[1]);
  if (t3) totals.三级事项 = Number(t3[1]);
  const t4 = text.match(/依申请公开二级事项\s*(\d+)\s*项/);
  if (t4) totals.依申请公开二级事项 = Number(t4[1]);
  if (Object.keys(totals).length > 0) {
    header.statedTotals = totals;
    const line = text.split("\n").find((l) => /级事项\s*\d+\s*项/.test(l));
    if (line) header.notes = [line];
  }
  return header;
}

// ---------------------------------------------------------------------------------------------------------------
// Tree building

type Level = 1 | 2 | 3;

interface RowContext {
  path: (CatalogDocItem | undefined)[]; // index 1..3
  previousCells: string[];
  previousLeaf: CatalogDocItem | undefined;
  seqOfLevel1: string | null;
}

const CARRIED_ROLES: ReadonlySet<ColumnRole> = new Set([
  "deadline",
  "subject",
  "legalBasis",
  "responsible",
  "cooperating",
  "channels",
  "form",
  "adminLevel",
]);

/**
 * Builds the catalog from the tables of one file. Uses the first table with a recognisable header; later tables
 * with the same columns (a table split over pages) are appended.
 */
export function buildImport(tables: RawTable[], options: ImportOptions): ImportResult {
  const notes: string[] = [];
  const maxRows = options.maxRows ?? 5000;
  const nonEmpty = tables.filter((t) => t.rows.some((r) => r.cells.some((c) => cleanCell(c) !== "")));
  if (nonEmpty.length === 0)
    return { ok: false, code: "catalog_import_empty", message: "文件中没有任何表格内容。" };

  let headerTable: RawTable | undefined;
  let found: FoundHeader | undefined;
  for (const t of nonEmpty) {
    found = findHeader(t);
    if (found) {
      headerTable = t;
      break;
    }
  }
  if (!headerTable || !found) {
    const first = nonEmpty[0] as RawTable;
    return {
      ok: false,
      code: "catalog_import_no_header",
      table: first.name,
      message: `未能识别表头：在“${first.name}”的前40行中，没有一行同时包含事项名称列（如“一级事项”“事项类别”“事项名称”）和公开内容、公开时限、公开渠道或责任单位等列。请检查文件是否为主动公开事项目录表格。`,
    };
  }
  const headerIndex = found.headerRows[found.headerRows.length - 1] as number;
  const before = headerTable.rows.slice(0, found.headerRows[0]);
  let data = headerTable.rows.slice(headerIndex + 1);
  for (const t of nonEmpty) {
    if (t === headerTable) continue;
    const other = findHeader(t);
    if (other && sameColumns(other.columns, found.columns))
      data = data.concat(t.rows.slice((other.headerRows[other.headerRows.length - 1] as number) + 1));
    else if (!other && t.rows.every((r) => r.cells.length === found.columns.length || r.cells.length === 0))
      data = data.concat(t.rows);
    else notes.push(`已忽略“${t.name}”：其列与“${headerTable.name}”的表头不一致。`);
  }
  const headerTexts = found.headerRows.map((i) => (headerTable.rows[i] as RawRow).cells.map(norm).join("|"));
  // Repeated header rows (page breaks) and footer lines are not data.
  const footer: RawRow[] = [];
  data = data.filter((r) => {
    const joined = r.cells.map(norm).join("|");
    if (headerTexts.includes(joined)) return false;
    if (r.cells.every((c) => cleanCell(c) === "")) return false;
    const filled = r.cells.filter((c) => cleanCell(c) !== "");
    if (filled.length <= 2 && filled.some((c) => /填表人|复核人|审签人|填表时间|审核人/.test(c))) {
      footer.push(r);
      return false;
    }
    return true;
  });
  if (data.length === 0)
    return {
      ok: false,
      code: "catalog_import_empty",
      table: headerTable.name,
      message: `“${headerTable.name}”只有表头，没有任何事项行。`,
    };
  if (data.length > maxRows)
    return {
      ok: false,
      code: "catalog_import_too_large",
      table: headerTable.name,
      row: data[maxRows]?.row,
      message: `“${headerTable.name}”有 ${data.length} 行，超过上限 ${maxRows} 行。`,
    };

  const columns = resolveColumns(found.columns, data);
  const outside = options.outsideLines ?? [];
  const metaLines = [...before, ...footer]
    .map((r) => [...new Set(r.cells.map(cleanCell).filter((c) => c !== ""))].join(" "))
    .concat(outside);
  const isMeta = (line: string) => /填表人|复核人|审签人|填表时间|责任单位[:：]|级事项\s*\d+\s*项/.test(line);
  const title =
    before
      .map((r) => [...new Set(r.cells.map(cleanCell).filter((c) => c !== ""))])
      .find((cells) => cells.length === 1 && !isMeta(cells[0] as string))?.[0] ??
    outside.find((l) => !isMeta(l) && l.length <= 100) ??
    options.fallbackTitle;
  const header = parseHeaderLines(metaLines);

  const col = (role: ColumnRole) => columns.filter((c) => c.role === role).map((c) => c.index);
  const levelCols: Record<Level, number | undefined> = {
    1: col("level1")[0],
    2: col("level2")[0],
    3: col("level3")[0],
  };
  const numberCols: Record<Level, number | undefined> = {
    1: col("number1")[0],
    2: col("number2")[0],
    3: col("number3")[0],
  };
  const seqCol = col("seq")[0];
  const seqIsLevel1Number = seqCol !== undefined && detectSeqAsLevel1(data, seqCol, levelCols[1]);
  const hasMode = col("mode").length + col("modeActive").length + col("modeRequest").length > 0;
  const inferActive = !hasMode && /主动公开/.test(title);
  if (inferActive) notes.push("表格没有“公开方式”列；标题为主动公开目录，各事项按“主动”公开导入。");

  const roots: CatalogDocItem[] = [];
  const reports: ImportRowReport[] = [];
  const ctx: RowContext = { path: [], previousCells: [], previousLeaf: undefined, seqOfLevel1: null };

  for (const raw of data) {
    const warnings: string[] = [];
    // 同上 repeats the cell above; blank hierarchy/attribute cells are resolved below.
    const cells = raw.cells.map((c, i) => {
      const text = cleanCell(c);
      if (isDitto(text)) {
        const above = ctx.previousCells[i] ?? "";
        if (above === "") warnings.push(`第${i + 1}列为“同上”，但上一行该列为空。`);
        return above;
      }
      return text;
    });
    const get = (i: number | undefined) => (i === undefined ? "" : (cells[i] ?? ""));
    const spanLeft = (i: number | undefined) => i !== undefined && raw.spanLeft?.[i] === true;

    // Hierarchy: names per level (number prefixes split off), the deepest named level is the row's item.
    const names: Record<Level, { number: string | null; name: string } | undefined> = {
      1: undefined,
      2: undefined,
      3: undefined,
    };
    let deepest: 0 | Level = 0;
    const unnamed: Record<Level, boolean> = { 1: false, 2: false, 3: false };
    for (const level of [1, 2, 3] as const) {
      const ci = levelCols[level];
      const text = get(ci);
      if (ci === undefined || text === "" || spanLeft(ci)) continue;
      const split = splitNumberPrefix(text);
      // 「—」 alone: no item at this level — unless a deeper level is named (then an unnamed item, see below).
      if (split.name === "" && split.number === null) {
        unnamed[level] = true;
        continue;
      }
      const numberCell = get(numberCols[level]);
      names[level] = {
        number: split.number ?? (numberCell !== "" ? numberCell.replace(/[、.．]$/, "") : null),
        name: split.name,
      };
      deepest = level;
    }
    // 「—」 above a named level: an item whose name the source does not give.
    for (const level of [1, 2] as const)
      if (unnamed[level] && deepest > level && names[level] === undefined)
        names[level] = { number: get(numberCols[level]) || null, name: "" };
    const seq = get(seqCol).replace(/[、.．]$/, "");
    // A new 序号 on a row whose 一级事项 cell is blank starts a new 一级事项 named by the row (merged cells lost).
    if (seqIsLevel1Number && seq !== "" && names[1] === undefined && seq !== ctx.seqOfLevel1 && deepest > 1) {
      names[1] = names[deepest as Level];
      for (let l = 2; l <= deepest; l++) names[l as Level] = undefined;
      deepest = 1;
    }
    if (seqIsLevel1Number && seq !== "" && names[1] && names[1].number === null) names[1].number = seq;

    let leaf: CatalogDocItem | undefined;
    if (deepest === 0) {
      leaf = ctx.previousLeaf; // a continuation row (all hierarchy cells blank or merged)
      if (!leaf) {
        warnings.push("该行没有事项名称，且上方没有可归属的事项，已跳过。");
        reports.push({ table: headerTable.name, row: raw.row, path: [], level: 0, warnings });
        ctx.previousCells = cells;
        continue;
      }
    } else {
      for (let level = 1 as Level; level <= deepest; level = (level + 1) as Level) {
        const named = names[level];
        const current = ctx.path[level];
        const parent = level === 1 ? undefined : ctx.path[level - 1];
        if (!named) {
          if (current && (level === 1 || parent?.children.includes(current))) continue; // carried down
          if (level === 1) {
            warnings.push("一级事项为空，且上方没有一级事项：已建立名称为空的一级事项。");
          } else warnings.push(`${levelName(level)}为空：已建立名称为空的${levelName(level)}。`);
          const item = emptyItem(level, "");
          attach(roots, parent, item);
          setPath(ctx, level, item);
          continue;
        }
        const same =
          current !== undefined &&
          current.name === named.name &&
          (named.number === null || current.number === named.number || current.number === null) &&
          (level === 1 || (parent?.children.includes(current) ?? false));
        if (same) continue;
        const item = emptyItem(level, named.name);
        item.number = named.number;
        item.provenance = { sheet: headerTable.name, row: raw.row };
        attach(roots, parent, item);
        setPath(ctx, level, item);
        if (level === 1) ctx.seqOfLevel1 = seq !== "" ? seq : named.number;
      }
      leaf = ctx.path[deepest] as CatalogDocItem;
    }
    const continuation = leaf === ctx.previousLeaf && deepest === 0;
    const sameGroup =
      ctx.previousLeaf !== undefined && ctx.path[1] !== undefined && isInside(ctx.path[1], ctx.previousLeaf);

    // Attribute cells: blank repeats the row above inside the same 一级事项 (merged cells), 「—」 is empty.
    const attr = (role: ColumnRole): string => {
      const i = col(role)[0];
      if (i === undefined) return "";
      const v = get(i);
      if (isExplicitEmpty(v)) return "";
      if (v === "" && CARRIED_ROLES.has(role) && sameGroup && !continuation) {
        const above = ctx.previousCells[i] ?? "";
        return isExplicitEmpty(above) ? "" : above;
      }
      return v;
    };
    applyRow(leaf, {
      content: attr("content"),
      deadline: attr("deadline"),
      legalBasis: attr("legalBasis"),
      subject: attr("subject"),
      channels: attr("channels"),
      responsible: attr("responsible"),
      cooperating: attr("cooperating"),
      form: attr("form"),
      adminLevel: attr("adminLevel"),
      audience: attr("audience"),
      remarks: attr("remarks"),
      mode: attr("mode"),
      tickText: {
        audience: tickColumnText(col("audienceAll").concat(col("audienceSpecific")).map(get)),
        adminLevel: tickColumnText(col("adminCounty").concat(col("adminTownship")).map(get)),
      },
      ticks: {
        all: col("audienceAll").some((i) => isTicked(get(i))),
        specific: col("audienceSpecific").some((i) => isTicked(get(i))),
        active: col("modeActive").some((i) => isTicked(get(i))),
        request: col("modeRequest").some((i) => isTicked(get(i))),
        county: col("adminCounty").some((i) => isTicked(get(i))),
        township: col("adminTownship").some((i) => isTicked(get(i))),
      },
      hasAudienceTicks: col("audienceAll").length + col("audienceSpecific").length > 0,
      hasModeTicks: col("modeActive").length + col("modeRequest").length > 0,
      hasAdminTicks: col("adminCounty").length + col("adminTownship").length > 0,
      extra: columns
        .filter((c) => c.role === "extra" || (c.role === "seq" && !seqIsLevel1Number))
        .map((c) => [extraKey(c), get(c.index)] as [string, string])
        .filter(([, v]) => v !== ""),
      inferActive,
      continuation,
      warnings,
    });
    if (!leaf.provenance.row) leaf.provenance = { sheet: headerTable.name, row: raw.row };

    // Warnings that need the whole row.
    const channelCell = attr("channels");
    if (channelCell !== "") {
      for (const u of parseChannelCell(channelCell).unknown)
        warnings.push(`非标准公开渠道“${u}”：将作为其他渠道保存。`);
    }
    const deadline = attr("deadline");
    if (deadline !== "" && options.parseDeadline) {
      for (const clause of options.parseDeadline(deadline).unparsed)
        warnings.push(`公开时限“${clause}”未能解析，请核对。`);
    }
    if (
      col("responsible").length > 0 &&
      attr("responsible") === "" &&
      leaf.units.length === 0 &&
      !leaf.responsibleText
    )
      warnings.push("缺少责任单位。");
    if (col("deadline").length > 0 && deadline === "" && !leaf.deadlineText) warnings.push("缺少公开时限。");
    if (col("content").length > 0 && attr("content") === "" && leaf.elements.length === 0)
      warnings.push("缺少公开内容（要素）。");

    reports.push({
      table: headerTable.name,
      row: raw.row,
      path: pathNames(roots, leaf),
      level: leaf.level,
      warnings,
    });
    ctx.previousCells = cells;
    ctx.previousLeaf = leaf;
  }

  // Parents carry no row data of their own unless a row named them as its deepest level.
  const counts = { level1: 0, level2: 0, level3: 0, elements: 0, warnings: 0 };
  for (const { item } of walkItems(roots)) {
    if (item.level === 1) counts.level1++;
    else if (item.level === 2) counts.level2++;
    else counts.level3++;
    counts.elements += item.elements.length;
  }
  counts.warnings = reports.reduce((n, r) => n + r.warnings.length, 0);
  return {
    ok: true,
    preview: {
      title,
      header,
      table: headerTable.name,
      headerRows: found.headerRows.map((i) => (headerTable.rows[i] as RawRow).row),
      columns,
      doc: { title, header, items: roots },
      rows: reports,
      notes,
      counts,
    },
  };
}

function extraKey(c: ColumnMapping): string {
  const h = c.heading.trim();
  if (h.startsWith(EXTRA_PREFIX)) return h.slice(EXTRA_PREFIX.length);
  return h || `第${c.index + 1}列`;
}

function levelName(level: Level): string {
  return level === 1 ? "一级事项" : level === 2 ? "二级事项" : "三级事项";
}

function sameColumns(a: ColumnMapping[], b: ColumnMapping[]): boolean {
  return a.length === b.length && a.every((c, i) => c.role === b[i]?.role);
}

function attach(roots: CatalogDocItem[], parent: CatalogDocItem | undefined, item: CatalogDocItem): void {
  if (parent) parent.children.push(item);
  else roots.push(item);
}

function setPath(ctx: RowContext, level: Level, item: CatalogDocItem): void {
  ctx.path[level] = item;
  for (let l = level + 1; l <= 3; l++) ctx.path[l] = undefined;
}

function isInside(ancestor: CatalogDocItem, item: CatalogDocItem): boolean {
  if (ancestor === item) return true;
  return ancestor.children.some((c) => isInside(c, item));
}

function pathNames(roots: CatalogDocItem[], target: CatalogDocItem): string[] {
  for (const { item, path } of walkItems(roots))
    if (item === target) return [...path, item].map((i) => i.name);
  return [target.name];
}

/**
 * 序号 numbers the 一级事项 (merged like the 一级事项 cell; 聊城, 中卫) rather than every row (the national template):
 * inside an 一级事项 group it rarely changes.
 */
function detectSeqAsLevel1(data: RawRow[], seqCol: number, level1Col: number | undefined): boolean {
  if (level1Col === undefined) return false;
  let continuing = 0;
  let changes = 0;
  let blanks = 0;
  let prevSeq = "";
  let prevL1 = "";
  for (const r of data) {
    const seq = cleanCell(r.cells[seqCol] ?? "");
    const l1 = cleanCell(r.cells[level1Col] ?? "");
    const continues = l1 === "" || l1 === prevL1;
    if (continues && prevL1 !== "") {
      continuing++;
      if (seq !== "" && seq !== prevSeq) changes++;
      if (seq === "") blanks++;
    }
    if (seq !== "") prevSeq = seq;
    if (l1 !== "") prevL1 = l1;
  }
  // Numbering every row: 序号 is filled and changes on (almost) every row inside a group.
  const numbersRows = continuing > 0 && changes / continuing >= 0.5 && blanks / continuing < 0.3;
  return !numbersRows;
}

interface RowValues {
  content: string;
  deadline: string;
  legalBasis: string;
  subject: string;
  channels: string;
  responsible: string;
  cooperating: string;
  form: string;
  adminLevel: string;
  audience: string;
  remarks: string;
  mode: string;
  ticks: {
    all: boolean;
    specific: boolean;
    active: boolean;
    request: boolean;
    county: boolean;
    township: boolean;
  };
  /** Text other than a tick mark written in a tick column (e.g. 「全市参保人员」 under 特定群体). */
  tickText: { audience: string; adminLevel: string };
  hasAudienceTicks: boolean;
  hasModeTicks: boolean;
  hasAdminTicks: boolean;
  extra: [string, string][];
  inferActive: boolean;
  continuation: boolean;
  warnings: string[];
}

/** Text in tick columns that is not a tick mark (a value the tick columns cannot express). */
function tickColumnText(cells: string[]): string {
  for (const c of cells) {
    const t = c.trim();
    if (t.length > 1 && !isTicked(t) && !/^[□☐×✗✘]$/.test(t) && !isExplicitEmpty(t)) return t;
  }
  return "";
}

function appendText(current: string | null, next: string): string | null {
  if (next === "") return current;
  if (current === null || current === "") return next;
  if (current.split("\n").includes(next)) return current;
  return `${current}\n${next}`;
}

function applyRow(item: CatalogDocItem, v: RowValues): void {
  if (v.deadline !== "") item.deadlineText = appendText(item.deadlineText, v.deadline);
  if (v.content !== "")
    item.elements.push(...parseElements(v.content, v.deadline === "" ? item.deadlineText : v.deadline));
  for (const c of splitLegalBasis(v.legalBasis)) if (!item.legalBasis.includes(c)) item.legalBasis.push(c);
  if (v.subject !== "" && !item.subject) item.subject = v.subject;
  if (v.channels !== "") {
    const parsed = parseChannelCell(v.channels);
    for (const c of parsed.channels) if (!item.channels.includes(c)) item.channels.push(c);
    for (const o of parsed.other) if (!item.channelsOther.includes(o)) item.channelsOther.push(o);
  }
  if (v.responsible !== "" || v.cooperating !== "") {
    const units = parseResponsible(v.responsible);
    if (v.cooperating !== "")
      for (const u of parseResponsible(v.cooperating)) units.push({ name: u.name, role: "cooperating" });
    if (!item.responsibleText)
      item.responsibleText = v.cooperating !== "" ? formatResponsible(units) : v.responsible;
    for (const u of units) if (!item.units.some((x) => x.name === u.name)) item.units.push(u);
  }
  if (v.form !== "" && !item.form) item.form = v.form;
  if (v.hasAdminTicks && v.tickText.adminLevel !== "") {
    if (!item.adminLevel) item.adminLevel = v.tickText.adminLevel;
  } else if (v.hasAdminTicks) {
    const levels = [v.ticks.county ? "县级" : "", v.ticks.township ? "乡级" : ""].filter(Boolean).join("、");
    if (levels !== "" && !item.adminLevel) item.adminLevel = levels;
  } else if (v.adminLevel !== "" && !item.adminLevel) item.adminLevel = v.adminLevel;
  if (v.hasAudienceTicks && v.tickText.audience !== "") {
    if (!item.audience) item.audience = v.tickText.audience;
  } else if (v.hasAudienceTicks) {
    const aud = [v.ticks.all ? "全社会" : "", v.ticks.specific ? "特定群体" : ""].filter(Boolean).join("、");
    if (aud !== "" && !item.audience) item.audience = aud;
  } else if (v.audience !== "" && !item.audience) item.audience = v.audience;
  if (v.hasModeTicks) {
    if (!item.mode) {
      if (v.ticks.active) item.mode = "主动";
      else if (v.ticks.request) item.mode = "依申请";
    }
    if (v.ticks.active && v.ticks.request) {
      item.extra.公开方式 = "主动、依申请";
      v.warnings.push("“主动”和“依申请”都已勾选：按“主动”导入，原文保存在其他字段。");
    }
  } else if (v.mode !== "" && !item.mode) {
    if (/依申请/.test(v.mode) && !/主动/.test(v.mode)) item.mode = "依申请";
    else if (/主动/.test(v.mode)) item.mode = "主动";
    else item.extra.公开方式 = v.mode;
  } else if (v.inferActive && !item.mode) item.mode = "主动";
  if (v.remarks !== "") item.remarks = appendText(item.remarks, v.remarks);
  for (const [k, val] of v.extra) {
    const prev = item.extra[k];
    item.extra[k] = prev && prev !== val && v.continuation ? `${prev}\n${val}` : val;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// JSON (our own export, or any file of the same shape)

export type JsonDocResult = { ok: true; doc: CatalogDoc } | { ok: false; message: string };

/** Reads a catalog from parsed JSON ({ title, header, items: [...] }); unknown fields are ignored. */
export function docFromJson(value: unknown, fallbackTitle: string): JsonDocResult {
  if (typeof value !== "object" || value === null || !Array.isArray((value as { items?: unknown }).items))
    return { ok: false, message: "JSON 文件必须是一个包含 items 数组的对象（本平台导出的目录格式）。" };
  const v = value as { title?: unknown; header?: unknown; items: unknown[] };
  const problems: string[] = [];
  const str = (x: unknown, path: string, required = false): string | null => {
    if (x === undefined || x === null) {
      if (required) problems.push(`${path} 缺失`);
      return null;
    }
    if (typeof x !== "string") {
      problems.push(`${path} 必须是字符串`);
      return null;
    }
    return x;
  };
  const strArray = (x: unknown, path: string): string[] => {
    if (x === undefined || x === null) return [];
    if (!Array.isArray(x) || x.some((e) => typeof e !== "string")) {
      problems.push(`${path} 必须是字符串数组`);
      return [];
    }
    return x as string[];
  };
  const readItem = (x: unknown, path: string, level: 1 | 2 | 3): CatalogDocItem | undefined => {
    if (typeof x !== "object" || x === null) {
      problems.push(`${path} 必须是对象`);
      return undefined;
    }
    const o = x as Record<string, unknown>;
    const item = emptyItem(level, str(o.name, `${path}.name`, true) ?? "");
    item.number = str(o.number, `${path}.number`);
    item.legalBasis = strArray(o.legalBasis, `${path}.legalBasis`);
    item.deadlineText = str(o.deadlineText, `${path}.deadlineText`);
    item.subject = str(o.subject, `${path}.subject`);
    item.channels = strArray(o.channels, `${path}.channels`);
    item.channelsOther = strArray(o.channelsOther, `${path}.channelsOther`);
    item.audience = str(o.audience, `${path}.audience`);
    const mode = str(o.mode, `${path}.mode`);
    if (mode !== null && mode !== "主动" && mode !== "依申请")
      problems.push(`${path}.mode 只能是“主动”或“依申请”`);
    else item.mode = mode;
    item.form = str(o.form, `${path}.form`);
    item.adminLevel = str(o.adminLevel, `${path}.adminLevel`);
    item.responsibleText = str(o.responsibleText, `${path}.responsibleText`);
    item.remarks = str(o.remarks, `${path}.remarks`);
    if (typeof o.stableKey === "string") item.stableKey = o.stableKey;
    if (o.extra !== undefined && o.extra !== null) {
      if (typeof o.extra !== "object" || Object.values(o.extra).some((e) => typeof e !== "string"))
        problems.push(`${path}.extra 必须是字符串对象`);
      else item.extra = { ...(o.extra as Record<string, string>) };
    }
    if (Array.isArray(o.units))
      o.units.forEach((u, i) => {
        const uo = u as { name?: unknown; role?: unknown };
        if (typeof uo?.name !== "string" || (uo.role !== "lead" && uo.role !== "cooperating"))
          problems.push(`${path}.units[${i}] 必须有 name 和 role（lead/cooperating）`);
        else item.units.push({ name: uo.name, role: uo.role });
      });
    if (Array.isArray(o.elements))
      o.elements.forEach((e, i) => {
        const eo = (e ?? {}) as Record<string, unknown>;
        const p = `${path}.elements[${i}]`;
        const element = {
          number: str(eo.number, `${p}.number`),
          label: str(eo.label, `${p}.label`) ?? "",
          content: str(eo.content, `${p}.content`) ?? "",
          deadlineText: str(eo.deadlineText, `${p}.deadlineText`),
          stableKey: typeof eo.stableKey === "string" ? eo.stableKey : undefined,
        };
        item.elements.push(element);
      });
    if (o.children !== undefined) {
      if (!Array.isArray(o.children)) problems.push(`${path}.children 必须是数组`);
      else if (o.children.length > 0 && level === 3) problems.push(`${path}：三级事项下不能再有下级事项`);
      else
        o.children.forEach((c, i) => {
          const child = readItem(c, `${path}.children[${i}]`, (level + 1) as 1 | 2 | 3);
          if (child) item.children.push(child);
        });
    }
    return item;
  };
  const items: CatalogDocItem[] = [];
  v.items.forEach((x, i) => {
    const item = readItem(x, `items[${i}]`, 1);
    if (item) items.push(item);
  });
  if (problems.length > 0)
    return {
      ok: false,
      message: `JSON 内容不符合目录格式：${problems.slice(0, 5).join("；")}${problems.length > 5 ? ` 等 ${problems.length} 处` : ""}。`,
    };
  const header = typeof v.header === "object" && v.header !== null ? (v.header as CatalogHeader) : {};
  return {
    ok: true,
    doc: { title: typeof v.title === "string" && v.title !== "" ? v.title : fallbackTitle, header, items },
  };
}
