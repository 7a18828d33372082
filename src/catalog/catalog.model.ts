/**
 * @module The catalog as a document (主动公开事项目录): the shape shared by seeding, import, export, diff and
 * lint, independent of the database. A `CatalogDoc` is what a file holds; a `CatalogTree` (catalog.service.ts)
 * is the same with database ids, parsed deadline rules and version data.
 */
import type { CatalogHeader, DisclosureMode, ItemProvenance, UnitRole } from "./catalog.table.ts";

export type { CatalogHeader, DisclosureMode, ItemProvenance, UnitRole } from "./catalog.table.ts";

/**
 * 公开渠道和载体: the 13 standard channels of the 基层政务公开标准目录 template, in template order.
 * Stored in `catalog_items.channels` by these labels; anything else goes to `channels_other`.
 */
export const STANDARD_CHANNELS = [
  "政府网站",
  "政府公报",
  "两微一端",
  "发布会/听证会",
  "广播电视",
  "纸质媒体",
  "公开查阅点",
  "政务服务中心",
  "便民服务站",
  "入户/现场",
  "社区/企事业单位/村公示栏（电子屏）",
  "精准推送",
  "其他",
] as const;

export type StandardChannel = (typeof STANDARD_CHANNELS)[number];

/** 公开对象 values the template uses. */
export const AUDIENCES = ["全社会", "特定群体"] as const;
/** 公开层级 values the template uses. */
export const ADMIN_LEVELS = ["县级", "乡级"] as const;

/**
 * What the item form offers (and what staff may write): one tick or both, as the import writes ticks
 * (「全社会、特定群体」). Free text a real catalog wrote in the column (「全市参保人员」, 「县级、乡级、嘎查级」) is kept by the
 * import and may stay on its item unchanged, but is never typed in (catalog-items.service.ts: itemFromInput).
 */
export const AUDIENCE_CHOICES: readonly string[] = [...AUDIENCES, AUDIENCES.join("、")];
export const ADMIN_LEVEL_CHOICES: readonly string[] = [...ADMIN_LEVELS, ADMIN_LEVELS.join("、")];

/**
 * Items nest to any depth a published catalog uses (一级 … 六级事项 and deeper, issue #15), up to this bound
 * (the catalog_items level check).
 */
export const MAX_ITEM_LEVEL = 9;

/** 一级事项 = 1, 二级事项 = 2 … up to MAX_ITEM_LEVEL. */
export type ItemLevel = number;

const LEVEL_NUMERALS = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/** 「一级事项」「四级事项」… */
export function levelName(level: ItemLevel): string {
  return `${LEVEL_NUMERALS[level] ?? String(level)}级事项`;
}

/** 一 → 1 … 九 → 9 (the level a 「N级事项」 heading names); undefined otherwise. */
export function levelOfNumeral(numeral: string): ItemLevel | undefined {
  const n = LEVEL_NUMERALS.indexOf(numeral);
  return n >= 1 ? n : undefined;
}

/** One 公开内容（要素） of an item, e.g. 办事指南 / 办理结果 / 工作动态. */
export interface CatalogDocElement {
  /** Stable identity across versions (assigned when stored). */
  stableKey?: string | undefined;
  /** Ordinal as printed ("1", "2"), when the cell numbers its parts. */
  number: string | null;
  /** Label before ：, e.g. 办事指南; "" when the part has none. */
  label: string;
  content: string;
  /** The deadline that applies to this part (the matching part of the 公开时限 cell, or the whole cell). */
  deadlineText: string | null;
}

/** A responsible unit named in the 责任单位 cell. */
export interface CatalogDocUnit {
  name: string;
  role: UnitRole;
}

/** 一级/二级/三级 … 事项 */
export interface CatalogDocItem {
  stableKey?: string | undefined;
  level: ItemLevel;
  number: string | null;
  name: string;
  /** 公开依据: one citation per entry. */
  legalBasis: string[];
  /** 公开时限 as written (the whole cell). */
  deadlineText: string | null;
  /** 公开主体 */
  subject: string | null;
  /** Standard channels (STANDARD_CHANNELS labels) that are ticked. */
  channels: string[];
  /** Free-text channels (e.g. 旗政府门户网站, 投资项目在线审批监管平台). */
  channelsOther: string[];
  /** 公开对象: 全社会 / 特定群体 (free text kept when neither). */
  audience: string | null;
  /** 公开方式 */
  mode: DisclosureMode | null;
  /** 公开形式: 全文 / 摘要 … as written. */
  form: string | null;
  /** 公开层级: 县级 / 乡级 … */
  adminLevel: string | null;
  /** 责任单位 cell as written. */
  responsibleText: string | null;
  /** Units parsed from the cell (lead = 牵头, cooperating = 配合). */
  units: CatalogDocUnit[];
  remarks: string | null;
  /** Cells of unknown columns, by heading. */
  extra: Record<string, string>;
  provenance: ItemProvenance;
  elements: CatalogDocElement[];
  children: CatalogDocItem[];
}

export interface CatalogDoc {
  title: string;
  header: CatalogHeader;
  items: CatalogDocItem[];
}

/** An empty item with every field present (for builders and tests). */
export function emptyItem(level: ItemLevel, name: string): CatalogDocItem {
  return {
    level,
    number: null,
    name,
    legalBasis: [],
    deadlineText: null,
    subject: null,
    channels: [],
    channelsOther: [],
    audience: null,
    mode: null,
    form: null,
    adminLevel: null,
    responsibleText: null,
    units: [],
    remarks: null,
    extra: {},
    provenance: {},
    elements: [],
    children: [],
  };
}

/** Depth-first walk (parents before children) with each item's ancestor path. */
export function* walkItems<T extends { children: T[] }>(
  items: readonly T[],
  path: readonly T[] = [],
): Generator<{ item: T; path: readonly T[] }> {
  for (const item of items) {
    yield { item, path };
    yield* walkItems(item.children, [...path, item]);
  }
}

/** Counts items per level of a tree (levels 1–3 always present). */
export function countByLevel(
  items: readonly CatalogDocItem[],
): { 1: number; 2: number; 3: number } & Record<number, number> {
  const counts: { 1: number; 2: number; 3: number } & Record<number, number> = { 1: 0, 2: 0, 3: 0 };
  for (const { item } of walkItems(items)) counts[item.level] = (counts[item.level] ?? 0) + 1;
  return counts;
}

/** The deepest level of a tree (0 when empty). */
export function maxDepth(items: readonly CatalogDocItem[]): number {
  let max = 0;
  for (const { item } of walkItems(items)) max = Math.max(max, item.level);
  return max;
}
