/**
 * @module Portal search rules (pure): cleaning the typed query and highlighted snippets. Folding and the CJK
 * unigram/bigram tokens of the index belong to the publishing feature (publishing/record-search.rules.ts, through
 * its public module record-search.read.ts) and are re-exported here for the portal.
 */
import { foldForSearch } from "../publishing/record-search.read.ts";
import { escapeHtml, raw, type SafeHtml } from "../shared/html.ts";
import { toSimplified } from "../shared/simplified.ts";

export {
  FOLD_PAIRS,
  foldForSearch,
  MAX_QUERY_TOKENS,
  queryTokens,
  searchTokens,
} from "../publishing/record-search.read.ts";

/** Code points of a string (a surrogate pair is one character, as in PostgreSQL). */
function chars(text: string): string[] {
  return Array.from(text);
}

/** Longest query we act on (characters). Longer input is cut, never rejected. */
export const MAX_QUERY_CHARS = 200;

/** Characters that fold to a space (see FOLD_PAIRS); only these are trimmed from a query. */
const FOLDED_SPACE = /^[ \t\n\v\f\r\u00a0\u3000]+|[ \t\n\v\f\r\u00a0\u3000]+$/g;

/** A query of more words than this keeps the rest as one phrase in its last word. */
export const MAX_QUERY_WORDS = 6;

/** A word of a query: its text, and whether it was typed in quotation marks (an exact phrase: no expansions). */
export interface QueryWord {
  text: string;
  quoted: boolean;
}

/** At most this many excluded words (`-医疗`) are applied; the rest are named on the page as ignored. */
export const MAX_EXCLUDED_WORDS = 3;

/** A query read into the words to find and the words to exclude (a leading - or full-width －). */
export interface QuerySplit {
  words: QueryWord[];
  /** Excluded words as typed, without the minus, at most MAX_EXCLUDED_WORDS, distinct. */
  excluded: string[];
  /** Excluded words beyond MAX_EXCLUDED_WORDS: not applied (the page says so). */
  ignored: string[];
}

const MINUS = new Set(["-", "\uff0d"]);

/** Opening quotation mark → its closing marks: ASCII and full-width straight quotes, “…”, 「…」, 『…』. */
const QUOTES: ReadonlyMap<string, string> = new Map([
  ['"', '"\uff02'],
  ["\uff02", '"\uff02'],
  ["\u201c", "\u201d"],
  ["\u300c", "\u300d"],
  ["\u300e", "\u300f"],
]);

const SPACE_CHAR = /[ \t\n\v\f\r\u00a0\u3000]/;

/**
 * The words of a cleaned query, as search engines read spaces and quotation marks:
 *  - every word must occur, in any order and place (「社保 缴费」 finds a record with 社保 in its title and 缴费 in its
 *    body); words are split at the characters that fold to a space (ASCII and ideographic spaces, tabs);
 *  - a phrase in quotation marks ("…", ＂…＂, “…”, 「…」, 『…』) that starts the query or follows a space and ends it or
 *    is followed by one is one word, spaces included, searched exactly as typed: without the marks and without
 *    synonyms or abbreviations ("社保" finds 社保 only, not 社会保险). Marks inside a word (关于“双随机”检查) or without
 *    their closing mark are part of the text;
 *  - repeated words once (quoted if typed quoted once); past MAX_QUERY_WORDS the rest stays together as one phrase
 *    (nothing typed is dropped). A query of empty quotation marks only is one word, as typed.
 */
export function queryParts(query: string): QueryWord[] {
  return splitQuery(query).words;
}

/**
 * The words of a cleaned query (queryParts) and its excluded words: a word that starts with a minus sign (- or the
 * full-width －) after a space or at the start, followed by at least one character, is excluded (`社保 -医疗`: records
 * containing 社保 and not 医疗); `-"…"` / `-“…”` excludes a quoted phrase. A minus inside a word (2024-00012, an
 * 索引号) or standing alone is text. Excluded words are searched as typed (no synonyms), at most
 * MAX_EXCLUDED_WORDS of them; a word both wanted and excluded is both (nothing matches: exclusionCoversQuery).
 */
export function splitQuery(query: string): QuerySplit {
  const cs = Array.from(query);
  const parts: (QueryWord & { excluded: boolean })[] = [];
  let word = "";
  let minus = false;
  const flush = () => {
    if (word) parts.push({ text: word, quoted: false, excluded: minus });
    word = "";
    minus = false;
  };
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i] as string;
    if (SPACE_CHAR.test(c)) {
      flush();
      continue;
    }
    const next = cs[i + 1];
    if (word === "" && !minus && MINUS.has(c) && next !== undefined && !SPACE_CHAR.test(next)) {
      minus = true;
      continue;
    }
    const closers = word === "" ? QUOTES.get(c) : undefined;
    if (closers) {
      let end = -1;
      for (let j = i + 1; j < cs.length; j++)
        if (
          closers.includes(cs[j] as string) &&
          (j + 1 === cs.length || SPACE_CHAR.test(cs[j + 1] as string))
        ) {
          end = j;
          break;
        }
      if (end > 0) {
        const text = cs
          .slice(i + 1, end)
          .join("")
          .replace(FOLDED_SPACE, "");
        if (text) parts.push({ text, quoted: true, excluded: minus });
        minus = false;
        i = end;
        continue;
      }
    }
    word += c;
  }
  flush();
  const excludedAll = [...new Set(parts.filter((p) => p.excluded).map((p) => p.text))];
  const excluded = excludedAll.slice(0, MAX_EXCLUDED_WORDS);
  const ignored = excludedAll.slice(MAX_EXCLUDED_WORDS);
  const byText = new Map<string, QueryWord>();
  for (const p of parts) {
    if (p.excluded) continue;
    const seen = byText.get(p.text);
    if (!seen) byText.set(p.text, { text: p.text, quoted: p.quoted });
    else seen.quoted ||= p.quoted;
  }
  const words = [...byText.values()];
  // Nothing but empty quotation marks: the query as typed.
  if (words.length === 0)
    return {
      words: query && excludedAll.length === 0 ? [{ text: query, quoted: false }] : [],
      excluded,
      ignored,
    };
  if (words.length <= MAX_QUERY_WORDS) return { words, excluded, ignored };
  return {
    words: [
      ...words.slice(0, MAX_QUERY_WORDS - 1),
      {
        text: words
          .slice(MAX_QUERY_WORDS - 1)
          .map((w) => w.text)
          .join(" "),
        quoted: false,
      },
    ],
    excluded,
    ignored,
  };
}

/**
 * The query's words and excluded words with traditional characters in simplified form (shared/simplified.ts: the
 * records of mainland agencies are in simplified characters), or undefined when nothing changed. Quoted words too:
 * quotation marks ask for no synonyms, and the same words in the other script are not synonyms.
 */
export function simplifiedSplit(split: QuerySplit): QuerySplit | undefined {
  const words = split.words.map((w) => ({ ...w, text: toSimplified(w.text) }));
  const excluded = [...new Set(split.excluded.map(toSimplified))];
  const changed =
    words.some((w, i) => w.text !== split.words[i]?.text) || excluded.some((e, i) => e !== split.excluded[i]);
  return changed ? { words, excluded, ignored: split.ignored } : undefined;
}

/** A split query written back as a query (quoted words in “…”, excluded words with a leading -). */
export function queryText(split: Pick<QuerySplit, "words" | "excluded">): string {
  return [
    ...split.words.map((w) => (w.quoted ? `“${w.text}”` : w.text)),
    ...split.excluded.map((e) => `-${e}`),
  ].join(" ");
}

/**
 * An excluded term that every term of some word holds (社保 -社, 社会保险 -保险): every match would contain it, so
 * nothing can match; undefined otherwise. Terms folded.
 */
export function exclusionCoversQuery(
  groups: readonly (readonly string[])[],
  excluded: readonly string[],
): string | undefined {
  return excluded.find((e) => e && groups.some((g) => g.length > 0 && g.every((t) => t.includes(e))));
}

/**
 * Normalises raw user input into the query string: any type → string; C0/C1 control characters (other than the
 * whitespace that folds to a space), unpaired surrogates and non-characters removed (PostgreSQL rejects NUL);
 * cut to MAX_QUERY_CHARS characters; leading and trailing spaces trimmed. Inner spacing is kept as typed;
 * queryParts reads it as separating words that must all occur.
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
