/**
 * @module Query expansion by abbreviations and synonyms (pure). Citizens type 社保, agencies write 社会保险: the
 * search also looks for the expansions of the query, and the results page names every expansion it used (and
 * offers the exact-only search), so nothing is found for a reason the reader cannot see.
 *
 * The dictionary: the curated data shipped with Gongkai (data/search-synonyms.json: groups of terms meaning the
 * same thing, and narrower terms an umbrella word stands for) plus an agency's own groups (console, 搜索同义词).
 *
 * Rules (table-tested in search-synonyms.rules.test.ts):
 *  1. The folded query is cut into dictionary terms, leftmost-longest first (社保卡 wins over 社保); text between
 *     terms stays as typed.
 *  2. Each term found may be kept or replaced by one of its alternatives; every combination except "all kept" is
 *     an expansion (社保缴费 → 社会保险缴费), at most MAX_EXPANSIONS of them.
 *  3. An expansion that contains the query or another expansion is dropped: everything it finds is found anyway
 *     (公积金 needs no 住房公积金), so the page never names an expansion that changes nothing.
 * Recall stays exact: a record matches when it contains the query or one of the named expansions.
 */
import { foldForSearch } from "./search.rules.ts";

/** Most expansions one query is searched with (each adds a strpos per candidate). */
export const MAX_EXPANSIONS = 8;
/** Limits of an agency's own dictionary (console input). */
export const MAX_AGENCY_GROUPS = 200;
export const MAX_TERM_CHARS = 30;

export interface SynonymData {
  /** Groups of terms that mean the same thing: each term expands to the others. */
  same: readonly (readonly string[])[];
  /** A term that stands for several others expands to them (one way). */
  narrower?: Readonly<Record<string, readonly string[]>>;
}

/** Folded term → its alternatives (folded), in dictionary order. */
export type SynonymDictionary = ReadonlyMap<string, readonly string[]>;

export function buildDictionary(...sources: SynonymData[]): SynonymDictionary {
  const map = new Map<string, string[]>();
  const add = (term: string, alternatives: readonly string[]) => {
    const key = foldForSearch(term).trim();
    if (!key) return;
    const list = map.get(key) ?? [];
    for (const a of alternatives) {
      const alt = foldForSearch(a).trim();
      if (alt && alt !== key && !list.includes(alt)) list.push(alt);
    }
    map.set(key, list);
  };
  for (const source of sources) {
    for (const group of source.same) for (const term of group) add(term, group);
    for (const [term, list] of Object.entries(source.narrower ?? {})) add(term, list);
  }
  return map;
}

interface Segment {
  text: string;
  alternatives: readonly string[];
}

/** Rule 1: leftmost-longest cut of the folded query into dictionary terms and plain text. */
export function segmentQuery(folded: string, dict: SynonymDictionary): Segment[] {
  const keys = [...dict.keys()]
    .filter((k) => (dict.get(k) ?? []).length > 0)
    .sort((a, b) => b.length - a.length);
  const out: Segment[] = [];
  let plain = "";
  let i = 0;
  while (i < folded.length) {
    const key = keys.find((k) => folded.startsWith(k, i));
    if (key) {
      if (plain) out.push({ text: plain, alternatives: [] });
      plain = "";
      out.push({ text: key, alternatives: dict.get(key) ?? [] });
      i += key.length;
    } else {
      plain += folded[i];
      i++;
    }
  }
  if (plain) out.push({ text: plain, alternatives: [] });
  return out;
}

/** The expansions of a (cleaned) query: folded strings, never the query itself, at most MAX_EXPANSIONS. */
export function expandQuery(query: string, dict: SynonymDictionary): string[] {
  const folded = foldForSearch(query);
  if (!folded || dict.size === 0) return [];
  const segments = segmentQuery(folded, dict);
  if (!segments.some((s) => s.alternatives.length)) return [];
  // Rule 2: combinations in order (first segment varies slowest), capped generously before rule 3 prunes.
  let variants: string[] = [""];
  for (const s of segments) {
    const choices = [s.text, ...s.alternatives];
    const next: string[] = [];
    for (const v of variants) for (const c of choices) if (next.length < MAX_EXPANSIONS * 8) next.push(v + c);
    variants = next;
  }
  const distinct = [...new Set(variants)].filter((v) => v !== folded);
  // Rule 3: drop what another term (the query or an expansion) already covers.
  const kept = distinct.filter((v) => !v.includes(folded) && !distinct.some((o) => o !== v && v.includes(o)));
  return kept.slice(0, MAX_EXPANSIONS);
}

/**
 * Parses an agency's dictionary as typed in the console: one group per line, terms separated by 、，, ; or
 * spaces. Returns the groups or the 1-based numbers of the lines that are not valid (a single term, a term
 * over MAX_TERM_CHARS characters).
 */
export function parseAgencyGroups(text: string): { groups: string[][]; badLines: number[] } {
  const groups: string[][] = [];
  const badLines: number[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const terms = [
      ...new Set(
        line
          .split(/[、，,;；\s\u3000]+/)
          .map((t) => t.trim())
          .filter(Boolean),
      ),
    ];
    if (terms.length === 0) return;
    if (terms.length < 2 || terms.some((t) => Array.from(t).length > MAX_TERM_CHARS)) badLines.push(i + 1);
    else groups.push(terms);
  });
  if (groups.length > MAX_AGENCY_GROUPS) badLines.push(0);
  return { groups, badLines };
}

/** The console's text form of groups (inverse of parseAgencyGroups). */
export function formatAgencyGroups(groups: readonly (readonly string[])[]): string {
  return groups.map((g) => g.join("、")).join("\n");
}
