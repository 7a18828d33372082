/**
 * @module Search text of published records (pure): folding, CJK unigram/bigram tokens and their integer codes
 * (the GIN-indexed `search_grams` column), and the search columns of a record computed in TypeScript for bulk
 * writers. The SQL twins are gk_search_fold (migration 2026-11-23T1710-create-portal) and gk_search_grams
 * (migration 2026-12-04T0600-records-search-grams); src/portal/search.sql.test.ts keeps them equal.
 *
 * Why bigrams: Chinese has no spaces. Every record is indexed with all its single characters and all pairs of
 * adjacent characters (no pair containing a space). A query q that occurs in a record has all of its own pairs
 * (or, for one character, that character) among the record's tokens, so the index never misses a match; a query of
 * one or two characters IS one token, so for it the index alone decides (no text needs reading); longer queries
 * are verified with strpos on the folded text.
 *
 * Token codes (int4): a character's code is its code point when ≤ U+FFFF, else 0xD800 + (code point mod 0x800)
 * (the surrogate range, which never occurs as a character: astral characters share codes, so a query with one is
 * always verified). A unigram's code is the character's code (1–0xFFFF); a bigram's is (a << 16 | b) as a signed
 * 32-bit integer, never in 1–0xFFFF because a ≥ 1.
 *
 * More kinds of code live where no pair's code can (pairs starting with a character that folded text never holds):
 *  - digit grams (EXTRA_BASE): every 3 and 4 consecutive ASCII digits of a run of digits (a year such as 2019 is one
 *    code, where its pairs 20, 01, 19 are in nearly every record);
 *  - digit boundaries (boundaryCode): a digit with the characters on both sides, at least one of them not a digit —
 *    the edges of a number, as in 12号, 第5条, 〔2019〕, 2019年 (hashed into the pairs starting with B–Z or a
 *    full-width form: a collision only adds candidates, which the text check removes);
 *  - the record's publication year (yearCode), so that the GIN index can answer "the matches published in year Y"
 *    without the heap (record-search-years.read.ts);
 *  - the record's agency (agencyCode, a hash of its id), so that the GIN index intersects a query with one agency's
 *    records: a search within an agency reads only the matches' rows (a collision only adds candidates of another
 *    agency, which the agency_id check removes).
 */

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

/**
 * Mirror of SQL `gk_search_tokens` (kept for the suggestions and tests): the distinct single characters and
 * adjacent pairs of the folded text, leaving out anything that contains a space. Sorted by code point.
 */
export function searchTokens(text: string): string[] {
  const cs = Array.from(foldForSearch(text));
  const out = new Set<string>();
  for (let i = 0; i < cs.length; i++) {
    const a = cs[i] as string;
    if (a === " ") continue;
    out.add(a);
    const b = cs[i + 1];
    if (b !== undefined && b !== " ") out.add(a + b);
  }
  return [...out].sort((x, y) => {
    const cx = Array.from(x);
    const cy = Array.from(y);
    for (let i = 0; i < Math.min(cx.length, cy.length); i++) {
      const d = (cx[i] as string).codePointAt(0)! - (cy[i] as string).codePointAt(0)!;
      if (d !== 0) return d;
    }
    return cx.length - cy.length;
  });
}

/** At most this many tokens are looked up for one query term (a subset still only narrows; strpos decides). */
export const MAX_QUERY_TOKENS = 24;

/**
 * Tokens of a query: its adjacent pairs without spaces; if it has none (one character, or single characters
 * separated by spaces), its single characters. Capped at MAX_QUERY_TOKENS, spread over the query.
 */
export function queryTokens(query: string): string[] {
  const cs = Array.from(foldForSearch(query));
  const pairs: string[] = [];
  const singles: string[] = [];
  for (let i = 0; i < cs.length; i++) {
    const a = cs[i] as string;
    if (a === " ") continue;
    singles.push(a);
    const b = cs[i + 1];
    if (b !== undefined && b !== " ") pairs.push(a + b);
  }
  return spread([...new Set(pairs.length ? pairs : singles)], MAX_QUERY_TOKENS);
}

/** At most `max` of `list`, spread evenly over it (a subset of a query's codes still only narrows). */
function spread<T>(list: T[], max: number): T[] {
  if (list.length <= max) return list;
  const step = list.length / max;
  return Array.from({ length: max }, (_, i) => list[Math.floor(i * step)] as T);
}

/** The 16-bit code of one character (code point). */
function charCode(cp: number): number {
  return cp <= 0xffff ? cp : 0xd800 + (cp % 0x800);
}

/**
 * Base of the codes that are not characters or pairs: 0x0041 << 16, a pair whose first character is "A" — never in
 * folded text (A–Z fold to a–z), so never a pair's code.
 */
export const EXTRA_BASE = 0x41 << 16;
/** Three digits ddd of a run of digits: DIGIT3_BASE + ddd; four dddd: DIGIT4_BASE + dddd. */
export const DIGIT3_BASE = EXTRA_BASE;
export const DIGIT4_BASE = EXTRA_BASE + 1_000;
/** The publication year: EXTRA_BASE + YEAR_OFFSET + year (year 1–9999); no publication date: + 0. */
const YEAR_OFFSET = 11_000;

/** Pairs' first characters that folded text never holds (B–Z, the full-width forms): digit boundary codes. */
const BOUNDARY_HALVES = 25 + 94;
const BOUNDARY_SPACE = BOUNDARY_HALVES * 0x10000;

/**
 * The code of a digit boundary: characters a, b, c (16-bit character codes; b a digit, a or c not). Mirror of the
 * expression in SQL gk_search_grams (migration 2026-12-05T0900).
 */
export function boundaryCode(a: number, b: number, c: number): number {
  const h = ((a * 40_503 + b) * 40_503 + c) % BOUNDARY_SPACE;
  const i = Math.floor(h / 0x10000);
  const half = i < 25 ? 0x42 + i : 0xff01 + (i - 25);
  return (half << 16) | (h & 0xffff) | 0;
}

/** Whether a character code is an ASCII digit. */
function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** The code of three or four ASCII digits (a digit gram). */
export function digitGramCode(digits: string): number {
  return (digits.length === 4 ? DIGIT4_BASE : DIGIT3_BASE) + Number(digits);
}

/** The code of a publication year (a YYYY-MM-DD date, or null: no date). Mirror of SQL gk_search_year_code. */
export function yearCode(publishedDate: string | null | undefined): number {
  return codeOfYear(publishedDate ? Number(publishedDate.slice(0, 4)) : 0);
}

/** The code of a publication year given as a number (outside 1–9999: the code of no date). */
export function codeOfYear(year: number): number {
  return EXTRA_BASE + YEAR_OFFSET + (Number.isInteger(year) && year > 0 && year <= 9999 ? year : 0);
}

/** An agency's code: EXTRA_BASE + AGENCY_OFFSET + (a hash of its id mod AGENCY_SPACE), above every year's. */
const AGENCY_OFFSET = 21_000;
const AGENCY_SPACE = 44_000;

/**
 * The code of an agency (its uuid): the last 32 bits of the uuid (random in uuids of versions 4 and 7) modulo
 * AGENCY_SPACE. Mirror of SQL gk_search_agency_code (migration 2026-12-05T1100).
 */
export function agencyCode(agencyId: string): number {
  const h = Number.parseInt(agencyId.replace(/-/g, "").slice(-8), 16);
  return EXTRA_BASE + AGENCY_OFFSET + ((Number.isFinite(h) ? h : 0) % AGENCY_SPACE);
}

/** Sampling buckets: EXTRA_BASE + BUCKET_OFFSET + bucket, above every agency's code. */
const BUCKET_OFFSET = 65_000;
/** How many sampling buckets the records are spread over (by a hash of their id): each holds ~1/64 of them. */
export const SAMPLE_BUCKETS = 64;

/**
 * A record's sampling bucket as a code of its search_grams: the last 32 bits of its uuid (random in uuids of versions
 * 4 and 7) modulo SAMPLE_BUCKETS. Independent of the record's text, date and agency, so the records of one bucket
 * are a uniform random ~1/64 of any query's matches, which the GIN index selects without building the bitmap of all
 * of them (record-search-path.ts indexSample). Mirror of SQL gk_search_bucket_code (migration 2026-12-05T1300).
 */
export function bucketCode(recordId: string): number {
  const h = Number.parseInt(recordId.replace(/-/g, "").slice(-8), 16);
  return bucketCodeOf(Number.isFinite(h) ? h : 0);
}

/**
 * The code of the sampling bucket of `n`: a uuid's last 32 bits as an unsigned integer (the bulk encoder reads them
 * from the bytes it wrote), or a bucket's own number (0 ≤ n < SAMPLE_BUCKETS).
 */
export function bucketCodeOf(n: number): number {
  return EXTRA_BASE + BUCKET_OFFSET + (n % SAMPLE_BUCKETS);
}

/**
 * Whether a code is a digit gram or a digit boundary (EXTRA_BASE below the year codes, or a pair starting with
 * B–Z or a full-width form).
 */
function isDigitCode(code: number): boolean {
  const half = code >>> 16;
  return (
    (half === 0x41 && code - EXTRA_BASE < YEAR_OFFSET) ||
    (half >= 0x42 && half <= 0x5a) ||
    (half >= 0xff01 && half <= 0xff5e)
  );
}

/** The int4 code of a token of one or two characters (see the module comment). */
export function tokenCode(token: string): number {
  const cps = Array.from(token, (c) => c.codePointAt(0) as number);
  const a = charCode(cps[0] as number);
  return cps.length === 1 ? a : (a << 16) | charCode(cps[1] as number) | 0;
}

/**
 * The codes of a query term, and whether the index alone decides a match (1–2 characters, no space, BMP; or a
 * number of three or four digits). A run of three or more digits is looked up by its digit grams instead of its
 * digit pairs (which nearly every record holds).
 */
export function termGrams(term: string): { codes: number[]; exact: boolean } {
  const folded = foldForSearch(term);
  const cps = Array.from(folded);
  const runs = folded.match(/[0-9]{3,}/g) ?? [];
  // A pair of digits inside a run of three or more is implied by the run's digit grams.
  const pairs = queryTokens(folded).filter((t) => !(/^[0-9]{2}$/.test(t) && runs.some((r) => r.includes(t))));
  // The query's digit grams and boundaries: the very codes a text holding it has (foldedGrams), less the three-digit
  // grams of a run of four or more (its four-digit grams imply them: 2020 holds 202 and 020, which ~48 % and ~11 %
  // of the records hold; their posting lists cost the index ~7 ms of 2020年's 28 ms at 1,000,000 records).
  const implied = new Set(runs.filter((r) => r.length >= 4).flatMap((r) => threeDigitGrams(r)));
  const digits = spread(
    foldedGrams(folded).filter((c) => isDigitCode(c) && !implied.has(c)),
    MAX_QUERY_TOKENS,
  );
  const codes = [...new Set([...pairs.map(tokenCode), ...digits])];
  const number = /^[0-9]{3,4}$/.test(folded);
  const exact =
    codes.length > 0 &&
    (number ||
      (cps.length <= 2 && !cps.includes(" ") && cps.every((c) => (c.codePointAt(0) as number) <= 0xffff)));
  return { codes: number ? [digitGramCode(folded)] : codes, exact };
}

/** Of a phrase's codes, the index is asked for at most this many held by more than INDEX_CODE_MAX_SHARE. */
export const INDEX_CODES_KEPT = 2;
/** A code held by at most this share of the records is always asked for (its posting list is short). */
export const INDEX_CODE_MAX_SHARE = 0.1;
/**
 * A second code above INDEX_CODE_MAX_SHARE is asked for only when at most this share of the records holds it: one
 * held by more rules out fewer than half of the candidates while its posting list is over half the table.
 */
export const INDEX_CODE_SECOND_MAX_SHARE = 0.5;
/**
 * Two codes whose shares differ by less than this (relative) are taken for twins: codes that occur in the same
 * records (the pairs of one boilerplate phrase have the very same count in ANALYZE's sample), so the second adds
 * nothing to the first.
 */
export const TWIN_SHARE = 0.01;

/**
 * The codes of a phrase (not exact: its text is checked on every candidate) that the GIN index is asked for, rarest
 * first: the rarest, every code held by at most INDEX_CODE_MAX_SHARE of the records, and while fewer than
 * INDEX_CODES_KEPT are asked for, one held by at most INDEX_CODE_SECOND_MAX_SHARE that is not a twin of one asked for.
 * `share` gives a code's share from the statistics (undefined: not among the most common elements, so rarer than
 * any listed). The index decodes the whole posting list of every code it is asked for, while a phrase's common
 * codes seldom rule out a candidate its rarest ones let through: 实党中央、国 within one agency at 1,000,000
 * records, five codes each held by 67 % of the records, 6,728 candidates with all five or any one; the index took
 * 19.8 ms for five, ~10 for two and 6.3 for one. Leaving a code out only adds candidates, which the text check
 * removes; a second common code that is not a twin is kept, as it can halve the candidates of a rare phrase of
 * common pairs (，实施细: 实施 26.7 %, 施细 9.9 %).
 */
export function pickIndexCodes(
  codes: readonly number[],
  share: (code: number) => number | undefined,
): number[] {
  const ranked = codes.map((c, i) => ({ c, i, s: share(c) ?? 0 })).sort((a, b) => a.s - b.s || a.i - b.i);
  const kept: { c: number; s: number }[] = [];
  for (const x of ranked) {
    const twin = kept.some((k) => Math.abs(x.s - k.s) <= TWIN_SHARE * Math.max(x.s, k.s));
    const second = kept.length < INDEX_CODES_KEPT && x.s <= INDEX_CODE_SECOND_MAX_SHARE && !twin;
    if (kept.length === 0 || x.s <= INDEX_CODE_MAX_SHARE || second) kept.push(x);
  }
  return kept.map((x) => x.c);
}

/** The codes of every three consecutive digits of a run of digits. */
function threeDigitGrams(run: string): number[] {
  const out: number[] = [];
  for (let i = 0; i + 3 <= run.length; i++) out.push(digitGramCode(run.slice(i, i + 3)));
  return out;
}

/** Characters of the searched text that are tokenised; a record with longer text is always verified by strpos. */
export const INDEXED_CHARS = 50_000;

/** Distinct token codes (characters, pairs, digit grams) of already folded text (its first `maxChars` code points). Unsorted. */
export function foldedGrams(folded: string, maxChars = INDEXED_CHARS): number[] {
  const out = new Set<number>();
  let prev = -1; // code of the previous character, -1 after a space or at the start
  let prev2 = -1; // and of the one before it
  let n = 0;
  let run = 0; // length of the current run of ASCII digits
  let last4 = 0; // its last four digits as a number
  for (let i = 0; i < folded.length && n < maxChars; i++, n++) {
    let cp = folded.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < folded.length) {
      const lo = folded.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      }
    }
    if (cp >= 0x30 && cp <= 0x39) {
      run++;
      last4 = (last4 * 10 + cp - 0x30) % 10_000;
      if (run >= 3) out.add(DIGIT3_BASE + (last4 % 1_000));
      if (run >= 4) out.add(DIGIT4_BASE + last4);
    } else run = 0;
    if (cp === 0x20) {
      prev = -1;
      prev2 = -1;
      continue;
    }
    const c = charCode(cp);
    out.add(c);
    if (prev >= 0) out.add((prev << 16) | c | 0);
    if (prev2 >= 0 && isDigit(prev) && (!isDigit(prev2) || !isDigit(c)))
      out.add(boundaryCode(prev2, prev, c));
    prev2 = prev;
    prev = c;
  }
  return [...out];
}

/**
 * Signature of a record's token codes (`search_sig`, migration 2026-12-04T1600-records-search-sig): a 2,048-bit
 * (256-byte) Bloom filter with one bit per code, bit `code mod 2039` (2039 is the largest prime below 2048; SQL's
 * `%` and JavaScript's truncate alike, so negative codes give the same bit in both). It is an INCLUDE column of the
 * date-ordered index, so the date walk of a common word tests each record's signature in the index and reads the
 * heap only for records that may hold every code of the query (docs/scaling.md "Search"). A signature may say yes
 * wrongly, never no wrongly: every candidate is still verified against the text.
 */
export const SIG_BYTES = 256;
const SIG_MOD = 2039;

/** The bit of a token code in the signature (SQL: get_bit(search_sig, bit); bit 0 = lowest bit of byte 0). */
export function sigBit(code: number): number {
  return ((code % SIG_MOD) + SIG_MOD) % SIG_MOD;
}

/** Mirror of SQL `gk_search_sig(int4[])`: the signature of a record's token codes. */
export function searchSignature(codes: Iterable<number>): Buffer {
  const sig = Buffer.alloc(SIG_BYTES);
  for (const c of codes) {
    const bit = sigBit(c);
    sig[bit >> 3] = (sig[bit >> 3] as number) | (1 << (bit & 7));
  }
  return sig;
}

/** The distinct signature bits a record holding `term` has set (empty when the term has no codes). */
export function termSigBits(term: string): number[] {
  return [...new Set(termGrams(term).codes.map(sigBit))].sort((a, b) => a - b);
}

/** Mirror of SQL `gk_search_grams(text)`: the token codes of the folded text. */
export function searchGrams(text: string): number[] {
  return foldedGrams(foldForSearch(text));
}

/** The searched fields of a record, as the records table holds them. */
export interface SearchSource {
  title: string;
  docNumber: string;
  indexNo: string | null;
  keywords: readonly string[];
  summary: string;
  bodyText: string;
  /** YYYY-MM-DD, or null: its year is a code of search_grams (yearCode). */
  publishedDate: string | null;
  /** The record's agency: its code is one of search_grams (agencyCode). */
  agencyId: string;
  /** The record's id: its sampling bucket's code is one of search_grams (bucketCode). */
  id: string;
}

export interface SearchColumns {
  /** Folded title, 文号, 索引号, 关键词 (joined by U+0002), summary and body, joined by U+0001 (fields 1–6). */
  searchText: string;
  /** Fields 1–5 of searchText (everything but the body): small, stored inline, read to rank without the body. */
  searchHead: string;
  /** Token codes of the first INDEXED_CHARS characters of searchText, the publication year's and the agency's code. */
  searchGrams: number[];
  /** searchText is longer than INDEXED_CHARS characters. */
  searchOverflow: boolean;
  /** Signature of searchGrams (searchSignature). */
  searchSig: Buffer;
}

/**
 * Mirror of the trigger gk_records_search_columns (migration 2026-12-04T0600): the search columns of a record,
 * computed in TypeScript so bulk writers (record-bulk.ts: gongkai dev generate, record import) skip the per-row
 * SQL tokenising. search.sql.test.ts checks both paths give the same columns.
 */
export function recordSearchColumns(r: SearchSource): SearchColumns {
  const head = foldForSearch(
    [r.title, r.docNumber, r.indexNo ?? "", r.keywords.join("\u0002"), r.summary].join("\u0001"),
  );
  const searchText = `${head}\u0001${foldForSearch(r.bodyText)}`;
  let overflow = false;
  if (searchText.length > INDEXED_CHARS) {
    let n = 0;
    for (const _ of searchText) if (++n > INDEXED_CHARS) break;
    overflow = n > INDEXED_CHARS;
  }
  const searchGrams = foldedGrams(searchText);
  searchGrams.push(yearCode(r.publishedDate), agencyCode(r.agencyId), bucketCode(r.id));
  return {
    searchText,
    searchHead: head,
    searchGrams,
    searchOverflow: overflow,
    searchSig: searchSignature(searchGrams),
  };
}
