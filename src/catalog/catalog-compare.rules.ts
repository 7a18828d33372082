/**
 * @module Comparing two catalogs (主动公开事项目录): an agency's with a standard catalog (基层政务公开标准目录) or
 * with another agency's. Items are matched by meaning, not only by exact name: numbering and punctuation are
 * ignored, the field's abbreviations and synonyms are folded (参保登记 ↔ 社会保险登记, 社保 ↔ 社会保险 …), and names
 * are scored by character bigrams with the parent items as context. Each pair is one-to-one; a pair that is not an
 * exact name match is marked `probable` for a person to confirm. For every matched pair the commitments are
 * compared: a longer deadline than the reference (weaker), channels the reference ticks that the agency does not,
 * 依申请 where the reference says 主动. Pure: no database.
 */

import type { CatalogDoc, CatalogDocItem } from "./catalog.model.ts";
import { parseDeadline } from "./catalog-deadline.ts";

/** Folded before scoring: the field's abbreviations and synonyms → one spelling (longest variants first). */
export const NAME_SYNONYMS: readonly [RegExp, string][] = [
  [/人力资源和社会保障|人力资源社会保障|人力社保/g, "人社"],
  [/机关/g, "机构"],
  [/预算[、和及]?决算|预决算/g, "预决算"],
  [/社会保险/g, "社保"],
  [/参保/g, "社保"],
  [/医疗保险/g, "医保"],
  [/基本养老保险|养老保险/g, "养老"],
  [/失业保险/g, "失业"],
  [/工伤保险/g, "工伤"],
  [/最低生活保障/g, "低保"],
  [/住房公积金/g, "公积金"],
  [/职业技能/g, "技能"],
  [/就业创业/g, "就业"],
  [/行政规范性文件/g, "规范性文件"],
  [/办事指南|服务指南/g, "指南"],
  [/(?:的)?(?:相关)?(?:信息|情况|事项)$/g, ""],
];

/** A match at or above this score is proposed; below it the items count as missing/added. */
export const MATCH_THRESHOLD = 0.55;

export interface FlatItem {
  /** Names from the top item down to this one. */
  path: string[];
  number: string | null;
  level: number;
  item: CatalogDocItem;
  key: string;
  parentKey: string;
}

export interface DeadlineComparison {
  agency: string | null;
  reference: string | null;
  /** weaker: the agency allows more time (or has none); stronger: less time; same; unknown: not comparable. */
  verdict: "weaker" | "stronger" | "same" | "missing" | "unknown";
}

export interface ItemMatch {
  agency: { path: string[]; number: string | null };
  reference: { path: string[]; number: string | null };
  score: number;
  kind: "exact" | "probable";
  deadline: DeadlineComparison;
  /** Channels the reference ticks and the agency does not. */
  channelsMissing: string[];
  /** The reference discloses proactively (主动), the agency only on application. */
  modeWeaker: boolean;
}

export interface CatalogComparison {
  agency: string;
  reference: string;
  summary: {
    agencyItems: number;
    referenceItems: number;
    matched: number;
    exact: number;
    probable: number;
    missing: number;
    added: number;
    weakerDeadlines: number;
    fewerChannels: number;
    weakerMode: number;
  };
  matches: ItemMatch[];
  /** Reference items with no counterpart in the agency's catalog. */
  missing: { path: string[]; number: string | null }[];
  /** Agency items with no counterpart in the reference. */
  added: { path: string[]; number: string | null }[];
}

/** Numbering, brackets, punctuation and white space removed; synonyms folded. */
export function canonicalName(name: string): string {
  let s = name
    .normalize("NFKC")
    .replace(
      /^\s*(?:\d+(?:\.\d+)*[.、]?|[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|[①-⑳])\s*/u,
      "",
    )
    .replace(/[\s\p{P}\p{S}]/gu, "");
  for (const [re, to] of NAME_SYNONYMS) s = s.replace(re, to);
  return s;
}

function bigrams(s: string): Map<string, number> {
  const out = new Map<string, number>();
  if (s.length === 1) out.set(s, 1);
  for (let i = 0; i + 1 < s.length; i++) {
    const g = s.slice(i, i + 2);
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

function dice(x: Map<string, number>, y: Map<string, number>): number {
  let shared = 0;
  let total = 0;
  for (const [g, n] of x) {
    shared += Math.min(n, y.get(g) ?? 0);
    total += n;
  }
  for (const n of y.values()) total += n;
  return total === 0 ? 0 : (2 * shared) / total;
}

function characters(s: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const ch of s) out.set(ch, (out.get(ch) ?? 0) + 1);
  return out;
}

/**
 * Name similarity (0–1): 60% character-bigram Dice (word order) + 40% character Dice (shared words in another
 * order, 机构职能 ~ 职能机构); a name of 3+ characters contained in one at most twice its length scores at least 0.8.
 */
export function nameSimilarity(a: string, b: string): number {
  if (a === "" || b === "") return 0;
  if (a === b) return 1;
  const score = 0.6 * dice(bigrams(a), bigrams(b)) + 0.4 * dice(characters(a), characters(b));
  const shorter = a.length <= b.length ? a : b;
  const longer = a.length <= b.length ? b : a;
  const contained = shorter.length >= 3 && shorter.length * 2 >= longer.length && longer.includes(shorter);
  return contained ? Math.max(score, 0.8) : score;
}

export function flattenCatalog(doc: Pick<CatalogDoc, "items">): FlatItem[] {
  const out: FlatItem[] = [];
  const walk = (items: readonly CatalogDocItem[], parents: string[]) => {
    for (const item of items) {
      const path = [...parents, item.name];
      out.push({
        path,
        number: item.number,
        level: path.length,
        item,
        key: canonicalName(item.name),
        parentKey: parents.map(canonicalName).join("/"),
      });
      walk(item.children, path);
    }
  };
  walk(doc.items, []);
  return out;
}

/** Score of a pair: the names (85%) with the parents as context (15%). */
export function pairScore(a: FlatItem, b: FlatItem): number {
  const name = nameSimilarity(a.key, b.key);
  if (name === 0) return 0;
  const context = a.parentKey === b.parentKey ? 1 : nameSimilarity(a.parentKey, b.parentKey);
  return Number((0.85 * name + 0.15 * context).toFixed(3));
}

function deadlineTextOf(item: CatalogDocItem): string | null {
  if (item.deadlineText?.trim()) return item.deadlineText.trim();
  const parts = item.elements.map((e) => e.deadlineText?.trim()).filter((t): t is string => !!t);
  return parts.length ? [...new Set(parts)].join("\n") : null;
}

/**
 * The longest period a deadline cell allows, in working days (calendar days × 5/7, months × 21), or 0 for
 * 实时/及时; null when the cell states no computable period.
 */
export function workingDayBound(text: string | null): number | null {
  if (!text) return null;
  const reading = parseDeadline(text);
  let bound: number | null = null;
  for (const parsed of reading.rules) {
    const rule = parsed.rule as unknown as Record<string, unknown>;
    let days: number | null = null;
    if (rule.kind === "realtime") days = 0;
    else if (typeof rule.days === "number") days = rule.days;
    else if (typeof rule.amount === "number")
      days = rule.unit === "calendarDays" ? Math.ceil((rule.amount * 5) / 7) : rule.amount;
    else if (typeof rule.months === "number") days = rule.months * 21;
    if (days !== null) bound = bound === null ? days : Math.max(bound, days);
  }
  return bound;
}

export function compareDeadlines(
  agencyItem: CatalogDocItem,
  referenceItem: CatalogDocItem,
): DeadlineComparison {
  const agency = deadlineTextOf(agencyItem);
  const reference = deadlineTextOf(referenceItem);
  const a = workingDayBound(agency);
  const r = workingDayBound(reference);
  let verdict: DeadlineComparison["verdict"];
  if (r === null) verdict = "unknown";
  else if (!agency) verdict = "missing";
  else if (a === null) verdict = "unknown";
  else verdict = a > r ? "weaker" : a < r ? "stronger" : "same";
  return { agency, reference, verdict };
}

/** Compares `agency` with `reference` (a standard catalog or another agency's). */
export function compareCatalogs(
  agency: Pick<CatalogDoc, "title" | "items">,
  reference: Pick<CatalogDoc, "title" | "items">,
  names: { agency?: string; reference?: string } = {},
): CatalogComparison {
  const left = flattenCatalog(agency);
  const right = flattenCatalog(reference);
  const candidates: { a: number; b: number; score: number }[] = [];
  left.forEach((a, i) => {
    right.forEach((b, j) => {
      const score = pairScore(a, b);
      if (score >= MATCH_THRESHOLD) candidates.push({ a: i, b: j, score });
    });
  });
  // Greedy one-to-one assignment, best pairs first; ties prefer the same depth, then document order.
  candidates.sort(
    (x, y) =>
      y.score - x.score ||
      Math.abs((left[x.a] as FlatItem).level - (right[x.b] as FlatItem).level) -
        Math.abs((left[y.a] as FlatItem).level - (right[y.b] as FlatItem).level) ||
      x.a - y.a ||
      x.b - y.b,
  );
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const pairs: { a: number; b: number; score: number }[] = [];
  for (const c of candidates) {
    if (usedA.has(c.a) || usedB.has(c.b)) continue;
    usedA.add(c.a);
    usedB.add(c.b);
    pairs.push(c);
  }
  pairs.sort((x, y) => x.b - y.b);
  const ref = (f: FlatItem) => ({ path: f.path, number: f.number });
  const matches: ItemMatch[] = pairs.map(({ a, b, score }) => {
    const la = left[a] as FlatItem;
    const rb = right[b] as FlatItem;
    const agencyChannels = new Set(la.item.channels);
    return {
      agency: ref(la),
      reference: ref(rb),
      score,
      kind: la.key === rb.key ? "exact" : "probable",
      deadline: compareDeadlines(la.item, rb.item),
      channelsMissing: rb.item.channels.filter((c) => !agencyChannels.has(c)),
      modeWeaker: rb.item.mode === "主动" && la.item.mode === "依申请",
    };
  });
  const missing = right.filter((_, j) => !usedB.has(j)).map(ref);
  const added = left.filter((_, i) => !usedA.has(i)).map(ref);
  return {
    agency: names.agency ?? agency.title,
    reference: names.reference ?? reference.title,
    summary: {
      agencyItems: left.length,
      referenceItems: right.length,
      matched: matches.length,
      exact: matches.filter((m) => m.kind === "exact").length,
      probable: matches.filter((m) => m.kind === "probable").length,
      missing: missing.length,
      added: added.length,
      weakerDeadlines: matches.filter(
        (m) => m.deadline.verdict === "weaker" || m.deadline.verdict === "missing",
      ).length,
      fewerChannels: matches.filter((m) => m.channelsMissing.length > 0).length,
      weakerMode: matches.filter((m) => m.modeWeaker).length,
    },
    matches,
    missing,
    added,
  };
}
