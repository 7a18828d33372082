/**
 * @module Chinese full-text search rules (pure): text folding, CJK unigram+bigram tokens, query building and
 * highlighted snippets.
 *
 * Why bigrams: Chinese has no spaces, and PostgreSQL's `simple` parser would index a whole sentence as one word.
 * Every document is indexed with all its single characters and all pairs of adjacent characters (no pair that
 * contains a space). A query string q that occurs in a document has all of its own pairs (or, for one character,
 * that character) among the document's tokens, so `tokens(doc) @@ AND(tokens(q))` never misses a match (recall
 * 100%); a final `strpos` check on the folded text removes false positives (precision 100%).
 *
 * The SQL twin is `gk_search_fold(text)` / `gk_search_tokens(text)` (migration *-portal-search-functions.ts);
 * search.sql.test.ts asserts that both produce the same tokens on a corpus, including random strings.
 */
import { escapeHtml, raw, type SafeHtml } from "../shared/html.ts";

/**
 * Folding applied before indexing and before matching, one code point to one code point (so folded text keeps
 * the same indices): full-width ASCII → ASCII (Ａ→a, １→1), ideographic and other spaces → " ", A–Z → a–z.
 */
export const FOLD_PAIRS: readonly (readonly [string, string])[] = (() => {
  const pairs: [string, string][] = [];
  const lower = (c: number) => (c >= 0x41 && c <= 0x5a ? c + 0x20 : c);
  for (let c = 0xff01; c <= 0xff5e; c++)
    pairs.push([String.fromCharCode(c), String.fromCharCode(lower(c - 0xfee0))]);
  for (const ws of ["\t", "\n", "\v", "\f", "\r", "\u00a0", "\u3000"]) pairs.push([ws, " "]);
  for (let c = 0x41; c <= 0x5a; c++) pairs.push([String.fromCharCode(c), String.fromCharCode(c + 0x20)]);
  return pairs;
})();

const FOLD = new Map(FOLD_PAIRS);

const FOLD_RE = new RegExp(
  `[${FOLD_PAIRS.map(([f]) => `\\u${f.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")}]`,
  "g",
);

/** Mirror of SQL `gk_search_fold`. */
export function foldForSearch(text: string): string {
  return text.replace(FOLD_RE, (ch) => FOLD.get(ch) ?? ch);
}

/** Code points of a string (a surrogate pair is one character, as in PostgreSQL). */
function chars(text: string): string[] {
  return Array.from(text);
}

/**
 * Mirror of SQL `gk_search_tokens`: the distinct single characters and adjacent pairs of the folded text, leaving
 * out anything that contains a space. Sorted by code point (order is irrelevant to PostgreSQL).
 */
export function searchTokens(text: string): string[] {
  const cs = chars(foldForSearch(text));
  const out = new Set<string>();
  for (let i = 0; i < cs.length; i++) {
    const a = cs[i] as string;
    if (a === " ") continue;
    out.add(a);
    const b = cs[i + 1];
    if (b !== undefined && b !== " ") out.add(a + b);
  }
  return [...out].sort(compareCodePoints);
}

function compareCodePoints(a: string, b: string): number {
  const ca = chars(a);
  const cb = chars(b);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const d = (ca[i] as string).codePointAt(0)! - (cb[i] as string).codePointAt(0)!;
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
}

/** Longest query we act on (characters). Longer input is cut, never rejected. */
export const MAX_QUERY_CHARS = 200;
/** At most this many tokens go into the tsquery (a subset still only narrows candidates; strpos decides). */
export const MAX_QUERY_TOKENS = 24;

/** Characters that fold to a space (see FOLD_PAIRS); only these are trimmed from a query. */
const FOLDED_SPACE = /^[ \t\n\v\f\r\u00a0\u3000]+|[ \t\n\v\f\r\u00a0\u3000]+$/g;

/**
 * Normalises raw user input into the query string: any type → string; C0/C1 control characters (other than the
 * whitespace that folds to a space), unpaired surrogates and non-characters removed (PostgreSQL rejects NUL);
 * cut to MAX_QUERY_CHARS characters; leading and trailing spaces trimmed. Inner spacing is kept as typed, so the
 * query is still a substring of every document that contains what the user typed.
 */
export function cleanQuery(input: unknown): string {
  let value: unknown = input;
  if (Array.isArray(value)) value = value[0];
  if (typeof value !== "string") return "";
  const cleaned = value
    .slice(0, MAX_QUERY_CHARS * 4)
    .replace(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      "",
    )
    .replace(FOLDED_SPACE, "");
  return chars(cleaned).slice(0, MAX_QUERY_CHARS).join("").replace(FOLDED_SPACE, "");
}

/**
 * Tokens of a query for the tsquery: its adjacent pairs without spaces; if it has none (one character, or single
 * characters separated by spaces), its single characters. Capped at MAX_QUERY_TOKENS, spread over the query.
 */
export function queryTokens(query: string): string[] {
  const cs = chars(foldForSearch(query));
  const pairs: string[] = [];
  const singles: string[] = [];
  for (let i = 0; i < cs.length; i++) {
    const a = cs[i] as string;
    if (a === " ") continue;
    singles.push(a);
    const b = cs[i + 1];
    if (b !== undefined && b !== " ") pairs.push(a + b);
  }
  const distinct = [...new Set(pairs.length ? pairs : singles)];
  if (distinct.length <= MAX_QUERY_TOKENS) return distinct;
  const step = distinct.length / MAX_QUERY_TOKENS;
  return Array.from({ length: MAX_QUERY_TOKENS }, (_, i) => distinct[Math.floor(i * step)] as string);
}

/** One lexeme in tsquery syntax: quoted, with quotes and backslashes doubled. */
export function tsqueryLexeme(token: string): string {
  return `'${token.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

/** The tsquery text (AND of all tokens), or null when the query has no tokens. Always passed as a parameter. */
export function toTsquery(tokens: readonly string[]): string | null {
  return tokens.length ? tokens.map(tsqueryLexeme).join(" & ") : null;
}

/**
 * Ranges [start, end) in UTF-16 units of the occurrences of the folded query (or of any of several terms: the
 * query and its expansions), sorted, overlapping ones merged.
 */
export function matchRanges(text: string, query: string | readonly string[]): [number, number][] {
  const ft = foldForSearch(text);
  const all: [number, number][] = [];
  for (const term of typeof query === "string" ? [query] : query) {
    const fq = foldForSearch(term);
    if (!fq) continue;
    let from = 0;
    for (;;) {
      const at = ft.indexOf(fq, from);
      if (at < 0) break;
      all.push([at, at + fq.length]);
      from = at + fq.length;
    }
  }
  all.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const out: [number, number][] = [];
  for (const r of all) {
    const last = out.at(-1);
    if (last && r[0] < last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

/** True when the folded text contains the folded query (the definition of a match). */
export function containsQuery(text: string, query: string): boolean {
  return query.length > 0 && foldForSearch(text).includes(foldForSearch(query));
}

function markRanges(text: string, ranges: [number, number][], offset: number): string {
  let out = "";
  let pos = 0;
  for (const [s, e] of ranges) {
    const a = s - offset;
    const b = e - offset;
    if (b <= 0 || a >= text.length) continue;
    const ca = Math.max(a, pos);
    const cb = Math.min(b, text.length);
    if (ca >= cb) continue;
    out += escapeHtml(text.slice(pos, ca));
    out += `<mark>${escapeHtml(text.slice(ca, cb))}</mark>`;
    pos = cb;
  }
  return out + escapeHtml(text.slice(pos));
}

/** The whole text, escaped, with every occurrence of the query in <mark>. */
export function highlightAll(text: string, query: string | readonly string[]): SafeHtml {
  return raw(markRanges(text, matchRanges(text, query), 0));
}

function safeCut(text: string, index: number): number {
  // Never split a surrogate pair.
  const c = text.charCodeAt(index);
  return index > 0 && index < text.length && c >= 0xdc00 && c <= 0xdfff ? index - 1 : index;
}

/**
 * A snippet of about `length` characters around the first occurrence of the query, escaped, matches in <mark>,
 * with "…" where text was cut. Without a match: the beginning of the text.
 */
export function highlightSnippet(text: string, query: string | readonly string[], length = 120): SafeHtml {
  const flat = text.replace(/\s+/g, " ").trim();
  const ranges = matchRanges(flat, query);
  const first = ranges[0];
  let start = 0;
  if (first) {
    const before = Math.max(0, Math.floor((length - (first[1] - first[0])) / 3));
    start = safeCut(flat, Math.max(0, first[0] - before));
  }
  const end = safeCut(flat, Math.min(flat.length, start + Math.max(length, first ? first[1] - first[0] : 0)));
  const body = markRanges(flat.slice(start, end), ranges, start);
  return raw(`${start > 0 ? "…" : ""}${body}${end < flat.length ? "…" : ""}`);
}

/**
 * The tsquery of several terms (the query and its expansions): OR of each term's AND of tokens. Null when one of
 * them has no tokens (no index pre-filter is then possible; strpos alone decides).
 */
export function toTsqueryAny(terms: readonly string[]): string | null {
  const parts = terms.map((t) => toTsquery(queryTokens(t)));
  if (parts.length === 0 || parts.some((p) => p === null)) return null;
  return parts.length === 1 ? (parts[0] as string) : parts.map((p) => `(${p})`).join(" | ");
}

/** Characters of the searched text that are tokenised (a tsvector is limited to 1 MB); longer text overflows. */
export const INDEXED_CHARS = 50_000;

/** The searched fields of a record, as the records table holds them. */
export interface SearchSource {
  title: string;
  docNumber: string;
  indexNo: string | null;
  keywords: readonly string[];
  summary: string;
  bodyText: string;
}

/** searchTokens without the sort (PostgreSQL sorts a tsvector itself): the bulk path. */
function unsortedTokens(text: string): Set<string> {
  const out = new Set<string>();
  let prev = " ";
  for (const c of foldForSearch(text)) {
    if (c !== " ") {
      out.add(c);
      if (prev !== " ") out.add(prev + c);
    }
    prev = c;
  }
  return out;
}

/**
 * Mirror of the trigger gk_records_search_columns (migration 2026-12-03T2200): the search columns of a record,
 * computed in TypeScript so bulk writers (gongkai dev generate, bench corpus) skip the per-row SQL tokenising.
 * search_tsv is given as tsvector input text. search.sql.test.ts checks both paths give the same columns.
 */
export function recordSearchColumns(r: SearchSource): {
  searchText: string;
  searchTsv: string;
  searchOverflow: boolean;
} {
  const source = [
    r.title,
    r.docNumber,
    r.indexNo ?? "",
    r.keywords.join("\u0002"),
    r.summary,
    r.bodyText,
  ].join("\u0001");
  const cps = source.length > INDEXED_CHARS ? Array.from(source) : undefined;
  const overflow = cps !== undefined && cps.length > INDEXED_CHARS;
  const indexed = overflow && cps ? cps.slice(0, INDEXED_CHARS).join("") : source;
  return {
    searchText: foldForSearch(source),
    searchTsv: [...unsortedTokens(indexed)].map(tsqueryLexeme).join(" "),
    searchOverflow: overflow,
  };
}
