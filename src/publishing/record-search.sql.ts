/**
 * @module SQL fragments of record search (record-search.read.ts): the match conditions (text, GIN index, signature)
 * of a filter's terms and word groups, the filters, the relevance score, and the signature walk's candidates.
 * Aliases: `r` is a records row, `c` a row of a date index (agency_id, id, dates, search_sig, search_overflow).
 */
import { type RawBuilder, sql } from "kysely";
import { pickIndexCodes, termGrams, termSigBits } from "./record-search.rules.ts";

export interface RecordSearchFilter {
  /** Folded terms: the query first, then its expansions. Empty: browse by the filters. */
  terms: readonly string[];
  /**
   * A query of several words (separated by spaces): each word with its expansions, all of which must occur (some
   * term of every group); `terms` then holds all of them (for ranking and highlighting). Absent or one group:
   * `terms` is the one group.
   */
  groups?: readonly (readonly string[])[] | undefined;
  agencyId?: string | undefined;
  /** Catalog items (stable keys): an item and its sub-items. */
  itemStableKeys?: string[] | undefined;
  year?: number | undefined;
  validity?: string | undefined;
  genre?: string | undefined;
  /** Today (Asia/Shanghai) for the recency part of the ranking; the database's date when absent. */
  today?: string | undefined;
  /**
   * Folded terms a match must not contain (the query's `-word`s): checked on the text of the records the other terms
   * found, never looked up in the index. Absent or empty: the SQL is that of the query without them.
   */
  exclude?: readonly string[] | undefined;
  /**
   * The statistics' shares of the terms' codes (SearchStats.codeFreq; a code not in it is rarer than any in it):
   * with them, a phrase's index condition leaves out its common codes (indexCodes). Absent: every code is asked for.
   */
  codeShares?: ReadonlyMap<number, number> | undefined;
}

/**
 * The codes the GIN index is asked for to find a term's candidates: all of an exact term's (the codes decide its
 * matches, matchTextOfCandidates), else those pickIndexCodes keeps given the filter's code shares.
 */
export function indexCodes(f: RecordSearchFilter, term: string): number[] {
  const g = termGrams(term);
  const shares = f.codeShares;
  return g.exact || !shares ? g.codes : pickIndexCodes(g.codes, (c) => shares.get(c));
}

export const ORDER_DATE = sql`r.published_date DESC NULLS LAST, r.first_published_at DESC NULLS LAST, r.agency_id, r.id`;

function strposAny(text: RawBuilder<unknown>, terms: readonly string[]): RawBuilder<boolean> {
  return sql<boolean>`(${sql.join(
    terms.map((t) => sql`strpos(${text}, ${t}::text) > 0`),
    sql` OR `,
  )})`;
}

/**
 * The folded term occurs in the record's search_text (search_head — title, 文号, 索引号, 关键词, summary — is its
 * prefix, so a match there is found in the first few hundred bytes). search_text is kept in the row uncompressed
 * (migration 2026-12-04T1410). Looking in search_head first only paid while search_text was compressed out of the
 * row: now it scans the head twice for every body match (公积金贷款, 5,969 matches at 1,000,000 records: 31.8 ms to
 * count with it, 25.1 without). Rows written before that migration still decompress search_text for every match
 * until rewritten (the migration's comment has the statement).
 */
function textMatch(t: string): RawBuilder<boolean> {
  // The text before the term's first occurrence is shorter than the text: the same test as strpos(…) > 0 without
  // strpos's count of the characters before the match (only whether there is one matters). Both find the term by
  // the same byte search; split_part then copies the part before it. At 1,000,000 records, counting the matches
  // of one agency (本地实际, 6,795, about 570 characters in): 48 → 38 ms; 公积金贷款 (5,969, ~100 characters in)
  // 23.5 → 20 ms; no match (，实施细, 88,629 candidates) the same, ~805 ms.
  return sql<boolean>`(octet_length(split_part(r.search_text, ${t}::text, 1)) < octet_length(r.search_text))`;
}

function textMatchAny(terms: readonly string[]): RawBuilder<boolean> {
  return sql<boolean>`(${sql.join(terms.map(textMatch), sql` OR `)})`;
}

/** The groups of terms of which one term each must occur (see RecordSearchFilter.groups). */
export function groupsOf(f: RecordSearchFilter): readonly (readonly string[])[] {
  return f.groups && f.groups.length > 1 ? f.groups : [f.terms];
}

/** The text check of a filter's terms: some term of every group occurs (and no excluded term). */
export function matchText(f: RecordSearchFilter): RawBuilder<boolean> {
  return withExclusions(f, sql<boolean>`(${sql.join(groupsOf(f).map(textMatchAny), sql` AND `)})`);
}

/** Whether the filter excludes terms (`-word`). */
export function excluding(f: RecordSearchFilter): boolean {
  return (f.exclude?.length ?? 0) > 0;
}

/** No excluded term occurs in the record's folded text (search_text is the whole text: the check is exact). */
export function noExcluded(f: RecordSearchFilter): RawBuilder<boolean> {
  return sql<boolean>`NOT ${textMatchAny(f.exclude ?? [])}`;
}

/** `match` and, when the filter excludes terms, none of them (the SQL is unchanged without exclusions). */
function withExclusions(f: RecordSearchFilter, match: RawBuilder<boolean>): RawBuilder<boolean> {
  return excluding(f) ? sql<boolean>`(${match} AND ${noExcluded(f)})` : match;
}

/** The filter without its excluded terms (the candidates an exclusion is then checked on). */
export function withoutExclusions(f: RecordSearchFilter): RecordSearchFilter {
  return excluding(f) ? { ...f, exclude: undefined } : f;
}

/**
 * At most this many choices of one term per group (a query's words times their expansions) are put in one index
 * condition (codeChoices); beyond that each group gets its own.
 */
export const MAX_CODE_CHOICES = 16;

/**
 * The code sets of one index condition over all groups: for each choice of one term per group, the union of the
 * chosen terms' codes. A record holding some term of every group holds every code of one such set, so the GIN index
 * intersects the groups itself. ANDing one containment a group let PostgreSQL put one group in the index condition
 * and test the others on every candidate row, reading its codes from TOAST (就有 各级 永和 in 2025 at 1,000,000
 * records: 3,294 candidates, 24,201 buffers, 84 ms). undefined when a term has no codes or the choices are more
 * than MAX_CODE_CHOICES.
 */
export function codeChoices(f: RecordSearchFilter): number[][] | undefined {
  let choices: number[][] = [[]];
  for (const group of groupsOf(f)) {
    const codes = group.map((t) => indexCodes(f, t));
    if (codes.some((c) => c.length === 0)) return undefined;
    if (choices.length * codes.length > MAX_CODE_CHOICES) return undefined;
    choices = choices.flatMap((c) => codes.map((t) => [...new Set([...c, ...t])].sort((a, b) => a - b)));
  }
  const seen = new Set<string>();
  return choices.filter((c) => {
    const key = c.join(",");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Some code set is all in the record's codes, or its text is longer than the indexed prefix. `also` (codes every
 * candidate must hold: a publication year's, an agency's) is a containment of its own, a second key of the same
 * GIN scan: merged into each set, an empty year cost ~10 ms at 1,000,000 records (2020年 in 2025: the query's
 * candidates of every year were read), as its own key ~1.2–1.8 ms; no slower when there are candidates.
 */
function containsSome(
  choices: readonly (readonly number[])[],
  also: readonly number[] = [],
): RawBuilder<boolean> {
  return sql<boolean>`(${sql.join(
    choices.map((c) =>
      also.length
        ? sql`(r.search_grams @> ${c}::int4[] AND r.search_grams @> ${also}::int4[])`
        : sql`r.search_grams @> ${c}::int4[]`,
    ),
    sql` OR `,
  )} OR r.search_overflow)`;
}

/**
 * The text check of the GIN index's candidates (their codes hold those of some term of every group): a group whose
 * terms are all exact (one or two characters, a number of three or four digits: the codes decide) needs it only
 * for a record whose text is longer than the indexed prefix. 务 within an agency of 9,903 records at 1,000,000:
 * counting with the check 51 ms, without 25 ms (strpos over each record's text).
 */
export function matchTextOfCandidates(f: RecordSearchFilter): RawBuilder<boolean> {
  return withExclusions(
    f,
    sql<boolean>`(${sql.join(
      groupsOf(f).map((g) =>
        g.every((t) => termGrams(t).exact)
          ? sql`(NOT r.search_overflow OR ${textMatchAny(g)})`
          : textMatchAny(g),
      ),
      sql` AND `,
    )})`,
  );
}

/**
 * The index condition and text check of a filter's terms: one condition over all groups (codeChoices), else
 * indexMatch of every group; with `also`, codes every candidate must hold as well (the publication year's, when
 * the search is filtered by year).
 */
export function matchIndex(f: RecordSearchFilter, also: readonly number[] = []): RawBuilder<boolean> {
  const choices = codeChoices(f);
  if (choices) return sql<boolean>`(${containsSome(choices, also)} AND ${matchTextOfCandidates(f)})`;
  return sql<boolean>`(${sql.join(
    groupsOf(f).map((g) => indexMatch(f, g, also)),
    sql` AND `,
  )})`;
}

/**
 * The index condition alone (no text check) of a filter's terms, each code set with `also` added (codes every
 * candidate must hold: a publication year's, record-search-years.read.ts): the GIN index's candidates.
 */
export function matchCodes(f: RecordSearchFilter, also: readonly number[]): RawBuilder<boolean> {
  const choices = codeChoices(f);
  if (choices) return containsSome(choices, also);
  return sql<boolean>`(${sql.join(
    groupsOf(f).map((g) => codesMatch(f, g, also) ?? sql<boolean>`true`),
    sql` AND `,
  )})`;
}

/** The signature condition of a filter's terms (sigMatch of every group); undefined when a group has none. */
export function matchSig(f: RecordSearchFilter): RawBuilder<boolean> | undefined {
  const parts = groupsOf(f).map(sigMatch);
  return parts.every((p) => p !== undefined) ? sql<boolean>`(${sql.join(parts, sql` AND `)})` : undefined;
}

/** The key of a search's phrase sample (its terms and groups, and the excluded terms the sample's check applies). */
export function sampleKey(f: RecordSearchFilter): string {
  const key = groupsOf(f)
    .map((g) => g.join("\u0000"))
    .join("\u0001");
  return excluding(f) ? `${key}\u0002${(f.exclude ?? []).join("\u0000")}` : key;
}

/**
 * Match condition: a term occurs in the folded text (textMatch), ANDed with an index condition it implies — some
 * term's codes are all in the record's codes, or the record's text is longer than the indexed prefix — for the GIN
 * index to find the candidates. The codes stay out of the per-row filter: with the term checks inside one OR, the
 * planner re-evaluated `search_grams @>` on every candidate row, reading the codes from TOAST (~3.4 kB a record).
 */
function indexMatch(
  f: RecordSearchFilter,
  terms: readonly string[],
  also: readonly number[] = [],
): RawBuilder<boolean> {
  const codes = codesMatch(f, terms, also);
  return codes ? sql<boolean>`${codes} AND ${textMatchAny(terms)}` : textMatchAny(terms);
}

/**
 * Some term's codes (and `also`) are all in the record's codes, or its text is longer than the indexed prefix;
 * undefined when a term has no code (nothing for the index to find it by).
 */
function codesMatch(
  f: RecordSearchFilter,
  terms: readonly string[],
  also: readonly number[],
): RawBuilder<boolean> | undefined {
  const codes = terms.map((t) => indexCodes(f, t));
  if (codes.some((c) => c.length === 0)) return undefined;
  return containsSome(codes, also);
}

/**
 * The filters as conditions on the alias `r`. `byCode`: the index condition already holds the year's and the
 * agency's codes (record-search.read.ts cappedSource), so those filters are checked on the candidates only (written
 * so that no index can take them: PostgreSQL otherwise ANDed the GIN bitmap of 170 candidates with the date index's
 * bitmap of the year's 67,000 records, 109 ms; or took the agency's records and tested each row's codes, reading
 * them from TOAST).
 */
export function filterConditions(
  f: RecordSearchFilter,
  withFilters: boolean,
  byCode = false,
): RawBuilder<unknown>[] {
  const where: RawBuilder<unknown>[] = [sql`r.status = 'published'`];
  if (f.agencyId)
    where.push(
      byCode ? sql`r.agency_id::text = ${f.agencyId}::uuid::text` : sql`r.agency_id = ${f.agencyId}::uuid`,
    );
  if (withFilters) {
    if (f.itemStableKeys) where.push(sql`r.item_stable_key = ANY(${f.itemStableKeys}::text[])`);
    if (f.year) where.push(inYear(byCode ? sql`(r.published_date + 0)` : sql`r.published_date`, f.year));
    if (f.validity)
      where.push(f.validity === "未标注" ? sql`r.validity IS NULL` : sql`r.validity = ${f.validity}`);
    if (f.genre) where.push(sql`r.genre = ${f.genre}`);
  }
  return where;
}

/** search_head fields (record-search.rules.ts): 1 title, 2 文号, 3 索引号, 4 关键词, 5 summary. */
function head(n: 1 | 2 | 3 | 4 | 5): RawBuilder<string> {
  return sql<string>`split_part(r.search_head, chr(1), ${sql.lit(n)})`;
}

/**
 * Relevance: the query or an expansion in the title counts most (the query as typed a little more), then in the
 * 文号 or 索引号, the 关键词, the summary; valid (有效) documents are preferred, 失效/废止 ones demoted; newer documents
 * get up to 20 points (none after four years). Only the row's own small columns are read. Terms hold no control
 * characters (cleanQuery), so a term in a field is a term in search_head.
 */
export function scoreSql(f: RecordSearchFilter): RawBuilder<number> {
  const terms = f.terms;
  const q = terms[0] as string;
  const today = f.today ? sql`${f.today}::date` : sql`current_date`;
  // The fields are parts of search_head: a record whose head holds no term (a body match) skips splitting it.
  // The title: 100 for any term, 10 more for the query itself; with no expansions one check gives both (one
  // split_part and strpos less a match in the head: 45号, 6,273 matches at 1,000,000 records, ~1 ms).
  const title =
    terms.length === 1
      ? sql`CASE WHEN strpos(${head(1)}, ${q}::text) > 0 THEN 110 ELSE 0 END`
      : sql`CASE WHEN ${strposAny(head(1), terms)} THEN 100 ELSE 0 END
        + CASE WHEN strpos(${head(1)}, ${q}::text) > 0 THEN 10 ELSE 0 END`;
  return sql<number>`(CASE WHEN NOT ${strposAny(sql`r.search_head`, terms)} THEN 0 ELSE
          ${title}
        + CASE WHEN ${strposAny(sql`${head(2)} || chr(2) || ${head(3)}`, terms)} THEN 50 ELSE 0 END
        + CASE WHEN ${strposAny(head(4), terms)} THEN 40 ELSE 0 END
        + CASE WHEN ${strposAny(head(5), terms)} THEN 20 ELSE 0 END END
        + CASE r.validity WHEN '有效' THEN 10 WHEN '失效' THEN -60 WHEN '废止' THEN -60 ELSE 0 END
        + CASE WHEN r.published_date IS NULL THEN 0
               ELSE greatest(0, 20 - (${today} - r.published_date) / 73) END)::int`;
}

export const ORDER_C = sql`c.published_date DESC NULLS LAST, c.first_published_at DESC NULLS LAST, c.agency_id, c.id`;

/**
 * Records whose signature (search_sig, an INCLUDE column of records_published_order_idx) holds every bit of some
 * term, or that the signature cannot rule out (text beyond the indexed prefix, a row without one), as a condition
 * on the alias `c`: evaluated in the index, so a date walk reads the heap only for these. undefined when a term
 * has no codes.
 */
function sigMatch(terms: readonly string[]): RawBuilder<boolean> | undefined {
  const bits = terms.map(termSigBits);
  if (bits.some((b) => b.length === 0)) return undefined;
  return sql<boolean>`(c.search_sig IS NULL OR c.search_overflow OR ${sql.join(
    bits.map(
      (b) =>
        sql`(${sql.join(
          b.map((n) => sql`get_bit(c.search_sig, ${sql.lit(n)}) = 1`),
          sql` AND `,
        )})`,
    ),
    sql` OR `,
  )})`;
}

/** Published records newest first whose signature passes `sig` (and `extra`, on the alias `c`): index-only. */
export function sigCandidates(
  sig: RawBuilder<boolean>,
  extra: RawBuilder<unknown> = sql``,
): RawBuilder<unknown> {
  return sql`SELECT c.agency_id, c.id, c.published_date, c.first_published_at FROM records c
    WHERE c.status = 'published' AND ${sig}${extra} ORDER BY ${ORDER_C}`;
}

/**
 * Of the newest `entries` published records (the date index's first entries, index-only), those whose signature
 * passes `sig`, newest first: bounded by the entries looked at, however selective the signature.
 */
export function sigCandidatesAmongNewest(sig: RawBuilder<boolean>, entries: number): RawBuilder<unknown> {
  return sql`SELECT c.agency_id, c.id, c.published_date, c.first_published_at FROM (
      SELECT c.agency_id, c.id, c.published_date, c.first_published_at, c.search_sig, c.search_overflow
      FROM records c WHERE c.status = 'published' ORDER BY ${ORDER_C} LIMIT ${entries}) c
    WHERE ${sig} ORDER BY ${ORDER_C}`;
}

/**
 * The agency and year filters as conditions on the alias `c` of sigCandidates (both are served by a date index:
 * records_agency_published_order_idx and records_published_order_idx, each INCLUDing the signature), as an
 * `extra` for sigCandidates.
 */
export function scopeExtra(f: RecordSearchFilter, withFilters: boolean): RawBuilder<unknown> {
  const conds: RawBuilder<unknown>[] = [];
  if (f.agencyId) conds.push(sql`c.agency_id = ${f.agencyId}::uuid`);
  if (withFilters && f.year) conds.push(inYear(sql`c.published_date`, f.year));
  return conds.length ? sql` AND ${sql.join(conds, sql` AND `)}` : sql``;
}

/** The condition that `column` (a date) falls in `year`. */
export function inYear(column: RawBuilder<unknown>, year: number): RawBuilder<boolean> {
  return sql<boolean>`${column} >= make_date(${year}::int, 1, 1) AND ${column} < make_date(${year}::int + 1, 1, 1)`;
}
