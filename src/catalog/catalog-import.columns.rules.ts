/**
 * @module Table and header recognition of a catalog import: finds the header by meaning (whatever the local wording:
 * 事项类别/一级事项, 事项名称/二级事项, 四级事项 …, 公开责任/责任科室, 公开渠道和载体, 县级/乡级/村（社区）级/嘎查级, two-row
 * headers …), maps each column to a field, resolves ambiguous columns from their values, and reads the lines
 * around the table (填表人, 复核人, stated totals, 注：… notes). Pure.
 */

import { toSimplifiedCharacters } from "../shared/simplified.ts";
import { type CatalogHeader, levelOfNumeral, MAX_ITEM_LEVEL } from "./catalog.model.ts";
import { cleanCell, isExplicitEmpty, isTicked, parseChannelCell } from "./catalog-cells.rules.ts";

/** One table as a reader found it. Merged cells are already expanded (their value repeated). */
export interface RawTable {
  /** Sheet name or "表格 N". */
  name: string;
  rows: RawRow[];
}

export interface RawRow {
  /** 1-based row number in the source (sheet row, table row, CSV record). */
  row: number;
  /** The sheet/table the row comes from, when rows of several tables are read as one. */
  table?: string;
  cells: string[];
  /** cells[i] repeats cells[i-1] because of a horizontal merge (colspan). */
  spanLeft?: boolean[];
}

/** `level<N>`: the name column of N级事项; `number<N>`: a separate number column of that level. */
export type LevelRole = `level${number}`;
export type NumberRole = `number${number}`;

export type ColumnRole =
  | "seq"
  | LevelRole
  | NumberRole
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
  | "adminVillage"
  | "responsible"
  | "cooperating"
  | "remarks"
  | "extra";

export interface ColumnMapping {
  index: number;
  heading: string;
  role: ColumnRole;
}

// ---------------------------------------------------------------------------------------------------------------
// Header recognition

/** A heading for matching: no whitespace, half-width brackets, simplified characters (公開時限 → 公开时限). */
export function norm(text: string): string {
  return toSimplifiedCharacters(text)
    .replace(/\s+/g, "")
    .replace(/（/g, "(")
    .replace(/）/g, ")")
    .replace(/[:：]$/, "");
}

/** The level a heading names: 一级事项 → 1, 六级目录 → 6 (as a sub-heading, 「四级」 alone too). */
function levelOfHeading(h: string, sub: boolean): number | undefined {
  const m = sub
    ? h.match(/^([一二三四五六七八九])级(?:事项|目录|类别)?$/)
    : h.match(/([一二三四五六七八九])级(?:事项|目录)/);
  const level = m ? levelOfNumeral(m[1]!) : undefined;
  return level !== undefined && level <= MAX_ITEM_LEVEL ? level : undefined;
}

export function levelRole(level: number): LevelRole {
  return `level${level}`;
}

export function numberRole(level: number): NumberRole {
  return `number${level}`;
}

/** The level of a level/number role, or undefined. */
export function roleLevel(role: ColumnRole): number | undefined {
  const m = role.match(/^(?:level|number)(\d+)$/);
  return m ? Number(m[1]) : undefined;
}

/** Sub-heading labels that only make sense under a group heading. */
const SUB_ROLES: [RegExp, ColumnRole][] = [
  [/^全社会$/, "audienceAll"],
  [/^特定(群体|群众|对象|人群)$/, "audienceSpecific"],
  [/^主动(公开)?$/, "modeActive"],
  [/^依申请(公开)?$/, "modeRequest"],
  // 县（区）级, 县（市、区）级 (江门市 目录), 区县级.
  // 区级 (衢州市柯城区 目录: 区级 | 乡级) and 旗级 are the county level of a district and a banner.
  [/^县(级|区级|市级|\([市区、]{1,3}\)级)?$|^区县级$|^区级$|^旗级$/, "adminCounty"],
  [/^(村|社区|嘎查|村\(社区\)|村\(居\)|嘎查村)(级)?$|^(村|社区|嘎查)(\(社区\)|\(居\))?级/, "adminVillage"],
  // 镇街乡 (东阳市: 镇、街道、乡), 镇级.
  [/^(乡|乡镇|乡级|乡、村级|乡村级|乡镇级|乡\(镇\)级|街道|苏木|镇街|镇级)/, "adminTownship"],
];

/** Heading → role, by meaning. Order matters: the first match wins. */
const HEADING_ROLES: [RegExp, ColumnRole][] = [
  [/^(序号|编号|序|No\.?)$/i, "seq"],
  [/事项类别|^类别$|公开类别/, "level1"],
  [/事项名称|公开事项名称|^名称$/, "level2"],
  [/配合(单位|科室|股室|部门)/, "cooperating"],
  [/公开依据|^依据$|法律依据|政策依据|设定依据/, "legalBasis"],
  [/时限/, "deadline"],
  [/公开主体|^主体$|发布主体/, "subject"],
  [/渠道|载体/, "channels"],
  [/公开对象|^对象$/, "audience"],
  [/公开层级|^层级$|适用层级/, "adminLevel"],
  [/责任|承办(单位|科室)|牵头(单位|科室)|负责(单位|科室|股室)/, "responsible"],
  [/公开内容|要素|^内容$|主要内容|内容概述/, "content"],
  // resolved by the values (主动/依申请, 全文/摘要, or channels); 公开属性 (平武县 目录: 主动公开).
  [/公开方式|公开形式|^方式$|^形式$|公开属性/, "mode"],
  [/备注|说明/, "remarks"],
  [/内容/, "content"],
  [/公开事项|^事项$/, "level1"],
];

/** Export writes unknown columns as 「附加列：<heading>」 so they come back as extra whatever their name. */
export const EXTRA_PREFIX = "附加列：";

export function roleOfHeading(heading: string): ColumnRole {
  const h = norm(heading);
  if (h === "" || heading.trim().startsWith(EXTRA_PREFIX)) return "extra";
  const subLevel = levelOfHeading(h, true);
  if (subLevel !== undefined) return levelRole(subLevel);
  for (const [re, role] of SUB_ROLES) if (re.test(h)) return role;
  const level = levelOfHeading(h, false);
  if (level !== undefined) return levelRole(level);
  for (const [re, role] of HEADING_ROLES) if (re.test(h)) return role;
  return "extra";
}

const CORE_ROLES: ReadonlySet<ColumnRole> = new Set([
  "level1",
  "level2",
  "level3",
  "level4",
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
    if (SUB_ROLES.some(([re]) => re.test(t)) || levelOfHeading(t, true) !== undefined) subs++;
    else if (t.length > 12) other++;
  }
  return subs >= 2 && other === 0;
}

export interface FoundHeader {
  headerRows: number[]; // indexes into table.rows
  columns: ColumnMapping[];
}

export function findHeader(table: RawTable, scanRows = 40): FoundHeader | undefined {
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
  // 「公开层级：东阳市级 | 镇街乡 | 村」 (东阳市's catalogs): a county-level city names its own level after itself. Under
  // 公开层级, a place name + 市级/县级/区级/旗级 is the county column — when the header has no other (a city's 市级 |
  // 县（区）级 catalog keeps its 市级 column apart).
  // The group headings: the top row over a sub-heading row, or the row above when the header found is itself the
  // second row (merged top cells repeated in it).
  const groups = sub
    ? top
    : best.index > 0
      ? (table.rows[best.index - 1] as RawRow).cells.map(cleanCell)
      : [];
  const labels = sub ?? top;
  if (!columns.some((c) => c.role === "adminCounty")) {
    let levelGroup = "";
    for (let c = 0; c < width; c++) {
      if ((groups[c] ?? "") !== "") levelGroup = norm(groups[c] ?? "");
      const column = columns[c] as ColumnMapping;
      if (
        column.role === "extra" &&
        /^(?:公开)?层级$/.test(levelGroup) &&
        /^[\u4e00-\u9fa5]{2,8}(?:市|县|区|旗)级$/.test(norm(labels[c] ?? ""))
      )
        column.role = "adminCounty";
    }
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
export function resolveColumns(columns: ColumnMapping[], data: RawRow[]): ColumnMapping[] {
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
  for (let level = 1; level <= MAX_ITEM_LEVEL; level++) {
    const role = levelRole(level);
    const cols = out.filter((c) => c.role === role);
    if (cols.length < 2) continue;
    for (const c of cols) {
      const values = columnValues(data, c.index);
      if (mostly(values, (v) => NUMBER_VALUE.test(v))) c.role = numberRole(level);
    }
    // Still several name columns: keep the first, the others become extra — except 「公开事项」 merged over adjacent
    // columns without a second header row (微山县 目录: 组织机构 | 机构概况): each further column is the next level,
    // while that level has no column of its own.
    const names = out.filter((c) => c.role === role);
    let next = level + 1;
    names.slice(1).forEach((c, i) => {
      const previous = names[i] as ColumnMapping;
      if (
        c.heading === previous.heading &&
        c.index === previous.index + 1 &&
        next <= MAX_ITEM_LEVEL &&
        !out.some((x) => x.role === levelRole(next))
      ) {
        c.role = levelRole(next);
        next++;
      } else c.role = "extra";
    });
  }
  // The shallowest name column is the first level (a lone 事项名称 column, a table that starts at 二级事项).
  const levels = out
    .map((c) => (c.role.startsWith("level") ? roleLevel(c.role) : undefined))
    .filter((l) => l !== undefined);
  const shift = levels.length > 0 ? Math.min(...levels) - 1 : 0;
  if (shift > 0)
    for (const c of out) {
      const l = roleLevel(c.role);
      if (l !== undefined) c.role = c.role.startsWith("level") ? levelRole(l - shift) : numberRole(l - shift);
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

/** A footnote/note line under (or above) a table: 「注：√表示公开对象」「备注：…」「说明：…」「*…」. */
export function isNoteLine(line: string): boolean {
  return /^\s*(?:[（(]?注\s*[\d一二三四五六七八九十]*[)）]?\s*[:：.、]|注\s*[1-9一二三四五六七八九]|备注\s*[:：]|说明\s*[:：]|附注\s*[:：]|[*※])/.test(
    line,
  );
}

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
