/**
 * @module Full-text search over published records (the portal's /search), public read module of the publishing
 * feature. Match = the folded query (or one of its named expansions) occurs in the folded title, 文号, 索引号,
 * 关键词, summary or body text of a published record; recall is exact: every such record is reachable by paging.
 *
 * Plan (designed from EXPLAIN at 1,000,000 records, docs/scaling.md "Search"):
 *  1. statistics (record-search-stats.ts) estimate how many records match, and samples correct a phrase's estimate
 *     (record-search-path.ts chooseWalk);
 *  2. unless the matches are surely more than 1.5 × the count cap: the GIN index on search_grams (token codes, with
 *     the agency's and the year's codes when the search is narrowed to them) gives the candidates, `LIMIT cap + 1`
 *     stops after the cap, and each candidate's folded text is checked (record-search.sql.ts matchIndex; a word of
 *     one or two characters is decided by its codes alone). ≤ cap matches: the count, the facets and the ranking
 *     are exact;
 *  3. otherwise: the page comes from walking a date-ordered index through the signatures and checking each record
 *     the signature lets through, stopping after the page; over the whole table year by year when the matches are
 *     years back (record-search-years.read.ts). The count and the facets are estimates (「约 N 条」). With
 *     relevance sort the newest RELEVANCE_POOL matches are ranked by score and the rest follow by date.
 * Ranking reads only search_head (folded title, 文号, 索引号, 关键词, summary: stored in the row) and columns, never
 * the body.
 */
import { type RawBuilder, sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import type { WarmTarget } from "../db/prewarm.ts";
import { agencyCode, codeOfYear, foldForSearch, termGrams } from "./record-search.rules.ts";
import {
  excluding,
  filterConditions,
  groupsOf,
  matchIndex,
  matchSig,
  matchText,
  noExcluded,
  ORDER_C,
  ORDER_DATE,
  type RecordSearchFilter,
  sampleKey,
  scopeExtra,
  scoreSql,
  sigCandidates,
  withoutExclusions,
} from "./record-search.sql.ts";
import { facetCounts, facetJson, scaledFacets } from "./record-search-facets.ts";
import {
  chooseWalk,
  denseYears,
  estimateMatches,
  indexSample,
  PRECISION_SAMPLE,
  takenIndexSample,
} from "./record-search-path.ts";
import {
  estimatedFacets,
  type FacetCounts,
  type FacetRow,
  loadSearchStats,
  type SearchStats,
  type SearchStatsCache,
  statsForCodes,
} from "./record-search-stats.ts";
import { newestMatchesByYear, type YearWalkOptions } from "./record-search-years.read.ts";

export {
  FOLD_PAIRS,
  foldForSearch,
  INDEXED_CHARS,
  MAX_QUERY_TOKENS,
  queryTokens,
  recordSearchColumns,
  type SearchColumns,
  type SearchSource,
  searchGrams,
  searchTokens,
  termGrams,
  tokenCode,
} from "./record-search.rules.ts";
export type { RecordSearchFilter } from "./record-search.sql.ts";
export {
  chooseWalk,
  denseYears,
  estimateMatches,
  PRECISION_SAMPLE,
  SAMPLE_ENTRIES,
  surelyCommon,
} from "./record-search-path.ts";
export type { FacetCounts } from "./record-search-stats.ts";

/** Counts (and facet counts) are exact up to this many matches; beyond, estimated. */
export const COUNT_CAP = 10_000;
/** With relevance sort and more matches than the cap, the newest this many matches are ranked by score. */
export const RELEVANCE_POOL = 100;

export interface RecordSearchOptions {
  sort: "relevance" | "date";
  limit: number;
  offset: number;
  /** Count cap (default COUNT_CAP; tests inject a small one). */
  cap?: number | undefined;
  /** Relevance pool (default RELEVANCE_POOL). */
  pool?: number | undefined;
  /** Year-by-year search knobs for tests (record-search-years.read.ts: probe, firstWalk). */
  years?: Pick<YearWalkOptions, "probe" | "firstWalk"> | undefined;
  /**
   * The search's statement timeout (ms), when it runs under one: a search taken year by year keeps all its years
   * within it (record-search-years.read.ts).
   */
  timeoutMs?: number | undefined;
  /** Also count the facets when they come from the same capped matches (no filter beyond the agency scope). */
  withFacets?: boolean | undefined;
  /** With excluded terms: the most candidates the count reads (default exclusionWork(cap); tests inject less). */
  exclusionWork?: number | undefined;
}

/**
 * With excluded terms (`社保 -医疗`) the statistics of the other terms are only an upper bound, so the search is
 * always counted first (never sent straight to the date walk): the GIN index's candidates of the other terms, each
 * checked for the excluded ones, until cap + 1 remain. That reads the excluded candidates too, so it is bounded:
 * at most this many candidates (~4–6 µs each at 1,000,000 records: ~150 ms at the default cap), whatever the
 * exclusions remove (通知 -的 must not verify every record holding 通知 until the statement timeout). Past it with at
 * most `cap` kept, the count and facets are estimates (「约 N 条」) and the page comes from the date walk, which
 * reaches every match.
 */
export function exclusionWork(cap: number): number {
  return 3 * (cap + 1);
}

/**
 * The capped matches' source when the filter excludes terms: the first `work` candidates of the other terms
 * (`where`), each with `keep` (no excluded term in its text) and `rn` (its position; the `work`-th tells that the
 * bound was reached), as the alias `r` with the columns a capped search reads.
 */
function boundedCandidates(
  f: RecordSearchFilter,
  where: RawBuilder<unknown>[],
  work: number,
): RawBuilder<unknown> {
  return sql`(SELECT r.agency_id, r.id, r.published_date, r.first_published_at, r.validity, r.genre, r.search_head,
        ${noExcluded(f)} AS keep, row_number() OVER () AS rn
      FROM records r WHERE ${sql.join(where, sql` AND `)} LIMIT ${work}) r
    WHERE r.keep OR r.rn = ${work}`;
}

export interface RecordSearchRow {
  agency_id: string;
  id: string;
  kind: string;
  title: string;
  index_no: string | null;
  doc_number: string;
  issuing_agency: string;
  published_date: string | null;
  validity: string | null;
  genre: string;
  topic: string;
  summary: string;
  keywords: string[];
  item_stable_key: string | null;
  /** A window of the body text around the first match (or its beginning). */
  snippet: string;
  snippet_cut_before: boolean;
  snippet_cut_after: boolean;
  score: number;
}

export interface RecordSearchResult {
  rows: RecordSearchRow[];
  /** Exact when `exact`, else an estimate (> cap). */
  total: number;
  exact: boolean;
  /** How the page was found (for EXPLAIN-based tuning and the benchmark): capped index scan or date walk. */
  plan: "capped" | "scoped" | "walk" | "years" | "browse";
  /** The facets, when asked for: counted with the page (exact), or estimated when there are more than the cap. */
  facets?: FacetCounts | undefined;
}

/** The folded query and its expansions, distinct, query first. */
export function searchTerms(query: string, expansions: readonly string[] = []): string[] {
  const q = foldForSearch(query);
  return q ? [...new Set([q, ...expansions.map(foldForSearch).filter(Boolean)])] : [];
}

/**
 * Where a capped search (at most cap + 1 matches wanted) reads its candidates from, and the match condition to put
 * on them: the GIN index on search_grams, with the codes of the year and the agency the search is narrowed to
 * (every record holds its publication year's and its agency's code), so that the index gives only that year's and
 * that agency's candidates and the heap is read for those alone. `byCode`: those filters are in the index
 * condition (filterConditions then checks them on the candidates only). `scoped`: narrowed to one agency, so the
 * work is bounded by the agency's size.
 * Before the agency's code (session 10), a search within an agency walked the agency's date index through the
 * signatures and read every record that passed: 健为 within an agency of ~10,000 records at 1,000,000 read 9,870 rows
 * (one signature bit, set in 99 % of them) for no match, 93–150 ms; before the walk (session 8), PostgreSQL took
 * the agency's bitmap and re-read every row's codes from TOAST (0.3–2.7 s).
 */
function cappedSource(
  f: RecordSearchFilter,
  withFilters: boolean,
): { from: RawBuilder<unknown>; match: RawBuilder<boolean>; scoped: boolean; byCode: boolean } {
  const also = [
    ...(withFilters && f.year ? [codeOfYear(f.year)] : []),
    ...(f.agencyId ? [agencyCode(f.agencyId)] : []),
  ];
  return {
    from: sql`records r`,
    match: matchIndex(f, also),
    scoped: f.agencyId !== undefined,
    byCode: also.length > 0,
  };
}

/**
 * The filter with the statistics' code shares, so that its index conditions leave out a phrase's common codes
 * (record-search.sql.ts indexCodes); unchanged without statistics (a table never analysed: every code asked for).
 */
function withCodeShares(f: RecordSearchFilter, st: SearchStats): RecordSearchFilter {
  return st.minCodeFreq === undefined || f.codeShares ? f : { ...f, codeShares: st.codeFreq };
}

function allCodes(terms: readonly string[]): number[] {
  return [...new Set(terms.flatMap((t) => termGrams(t).codes))];
}

/** Searches published records: one page, the total (exact up to the cap) and, if asked, the facets. */
export async function searchPublishedRecords(
  db: DbOrTx,
  filter: RecordSearchFilter,
  options: RecordSearchOptions,
  stats?: SearchStats,
): Promise<RecordSearchResult> {
  const cap = options.cap ?? COUNT_CAP;
  const pool = options.pool ?? RELEVANCE_POOL;
  const relevance = options.sort === "relevance" && filter.terms.length > 0;
  const st = stats ?? (await loadSearchStats(db, allCodes(filter.terms)));
  const f = withCodeShares(filter, st);
  const { walk: sure, estimate } = await chooseWalk(db, st, f, cap);
  const withFacets = options.withFacets === true;
  // Excluded terms: counted first, within exclusionWork candidates (see there), unless the sample of the newest
  // matches (chooseWalk) shows far more than the cap left after the exclusions: then the date walk, as for a word.
  const excl = excluding(f) && f.terms.length > 0;
  const surely = sure;
  let total: number | undefined;
  if (excl && !sure) {
    const work = options.exclusionWork ?? exclusionWork(cap);
    const capped = cappedSource(withoutExclusions(f), true);
    const where = [...filterConditions(f, true, capped.byCode), capped.match];
    const order = sql`${relevance ? sql`x.score DESC, ` : sql``}x.published_date DESC NULLS LAST, x.first_published_at DESC NULLS LAST, x.agency_id, x.id`;
    const { rows } = await sql<
      RecordSearchRow & { n: number; at_bound: boolean; looked: number; facets: FacetRow[] | null }
    >`
      WITH b AS MATERIALIZED (
        SELECT r.agency_id, r.id, r.published_date, r.first_published_at, r.validity, r.genre, r.keep,
               r.rn, r.rn = ${work} AS at_bound, CASE WHEN r.keep THEN ${relevance ? scoreSql(f) : sql`0`} END AS score
        FROM ${boundedCandidates(f, where, work)} LIMIT ${cap + 2}),
      m AS MATERIALIZED (SELECT * FROM b WHERE keep LIMIT ${cap + 1}),
      c AS (SELECT (SELECT count(*)::int FROM m) AS n, (SELECT coalesce(bool_or(at_bound), false) FROM b) AS at_bound,
                   (SELECT coalesce(max(rn), 0)::int FROM b) AS looked,
                   ${withFacets ? facetJson(sql`m`) : sql`NULL::json`} AS facets),
      pg AS (SELECT x.agency_id, x.id, x.score, row_number() OVER (ORDER BY ${order}) AS ord
             FROM (SELECT * FROM m x ORDER BY ${order} LIMIT ${options.offset + options.limit}) x
             ORDER BY ${order} LIMIT ${options.limit} OFFSET ${options.offset})
      SELECT c.n, c.at_bound, c.looked, c.facets, d.* FROM c LEFT JOIN (${details(f, sql`pg`)}) d ON true
      ORDER BY d.ord`.execute(db);
    const n = rows[0]?.n ?? 0;
    const full = rows[0]?.at_bound ?? false;
    if (n <= cap && !full)
      return {
        rows: rows.filter((r) => r.id !== null),
        total: n,
        exact: true,
        plan: capped.scoped ? "scoped" : "capped",
        facets: withFacets ? facetCounts(rows[0]?.facets ?? []) : undefined,
      };
    // More than the cap kept, or the bound reached: the kept share of the candidates read stands for all of them.
    const looked = Math.max(1, rows[0]?.looked ?? 0);
    total = Math.max(Math.min(n, cap + 1), Math.round((Math.max(looked, estimate?.n ?? 0) * n) / looked));
  }
  if (!surely && !excl) {
    const capped = f.terms.length ? cappedSource(f, true) : undefined;
    const where = [...filterConditions(f, true, capped?.byCode), ...(capped ? [capped.match] : [])];
    // One statement: the capped matches, their count, the page with its details and (if asked) the facets. The
    // page's rows are the first offset + limit in order (a bounded top-N sort; numbering all of them sorted every
    // match: 公积金贷款 page 50, 5,969 matches).
    const order = sql`${relevance ? sql`x.score DESC, ` : sql``}x.published_date DESC NULLS LAST, x.first_published_at DESC NULLS LAST, x.agency_id, x.id`;
    const { rows } = await sql<RecordSearchRow & { n: number; facets: FacetRow[] | null }>`
      WITH m AS MATERIALIZED (
        SELECT r.agency_id, r.id, r.published_date, r.first_published_at, r.validity, r.genre,
               ${relevance ? scoreSql(f) : sql`0`} AS score
        FROM ${capped?.from ?? sql`records r`} WHERE ${sql.join(where, sql` AND `)}
        LIMIT ${cap + 1}),
      c AS (SELECT (SELECT count(*)::int FROM m) AS n,
                   ${withFacets ? facetJson(sql`m`) : sql`NULL::json`} AS facets),
      pg AS (SELECT x.agency_id, x.id, x.score, row_number() OVER (ORDER BY ${order}) AS ord
             FROM (SELECT * FROM m x ORDER BY ${order} LIMIT ${options.offset + options.limit}) x
             ORDER BY ${order} LIMIT ${options.limit} OFFSET ${options.offset})
      SELECT c.n, c.facets, d.* FROM c LEFT JOIN (${details(f, sql`pg`)}) d ON true
      ORDER BY d.ord`.execute(db);
    const n = rows[0]?.n ?? 0;
    if (n <= cap)
      return {
        rows: rows.filter((r) => r.id !== null),
        total: n,
        exact: true,
        plan: capped?.scoped ? "scoped" : f.terms.length ? "capped" : "browse",
        facets: withFacets ? facetCounts(rows[0]?.facets ?? []) : undefined,
      };
  }
  // More matches than the cap: walk the date order, verifying each record, and stop after the page.
  const walk = [...filterConditions(f, true), ...(f.terms.length ? [matchText(f)] : [])];
  // The walk tests the signature in the date index (the whole table's, or with an agency filter the agency's own;
  // index-only) and reads the heap only for the records it lets through.
  const sig = f.terms.length ? matchSig(f) : undefined;
  const source = sig
    ? sql`(${sigCandidates(sig, scopeExtra(f, true))} OFFSET 0) c
          JOIN records r ON r.agency_id = c.agency_id AND r.id = c.id`
    : sql`records r`;
  const score = relevance ? scoreSql(f) : sql<number>`0`;
  const end = options.offset + options.limit;
  // Over the whole table (no agency or year filter, whose own date index bounds the walk): year by year, so that
  // matches years back are not found by verifying every newer record (record-search-years.read.ts).
  const byYear = sig !== undefined && !f.agencyId && !f.year;
  const want = Math.max(end, relevance && options.offset < pool ? pool : 0);
  total ??= Math.max(cap + 1, estimate?.n ?? 0);
  const index = takenIndexSample(st, f);
  const keys = byYear
    ? await newestMatchesByYear(db, f, want, score, {
        denseYears: denseYears(index, total, options.years?.probe),
        ...options.years,
        budgetMs: options.timeoutMs,
      })
    : [];
  const matches = byYear
    ? sql`cand AS MATERIALIZED (
    SELECT k.agency_id, k.id, k.score, k.published_date, k.first_published_at
    FROM unnest(${keys.map((k) => k.agency_id)}::uuid[], ${keys.map((k) => k.id)}::uuid[],
                ${keys.map((k) => k.score)}::int[], ${keys.map((k) => k.published_date)}::date[],
                ${keys.map((k) => k.first_published_at)}::timestamptz[])
         AS k(agency_id, id, score, published_date, first_published_at)),`
    : sql``;
  const newest = (limit: number, offset: number) =>
    byYear
      ? sql`SELECT * FROM cand c ORDER BY ${ORDER_C} LIMIT ${limit} OFFSET ${offset}`
      : sql`
    SELECT r.agency_id, r.id, ${score} AS score, r.published_date, r.first_published_at
    FROM ${source} WHERE ${sql.join(walk, sql` AND `)}
    ORDER BY ${sig ? ORDER_C : ORDER_DATE} LIMIT ${limit} OFFSET ${offset}`;
  const parts: RawBuilder<unknown>[] = [];
  if (relevance && options.offset < pool)
    // The newest `pool` matches ranked by score (ties in date order); later positions continue in date order.
    parts.push(sql`(SELECT x.agency_id, x.id, x.score, row_number() OVER (ORDER BY ${POOL_ORDER}) AS ord
      FROM (${newest(pool, 0)}) x ORDER BY ${POOL_ORDER}
      LIMIT ${Math.min(pool, end) - options.offset} OFFSET ${options.offset})`);
  const from = relevance ? Math.max(options.offset, pool) : options.offset;
  if (end > from)
    parts.push(sql`(SELECT y.agency_id, y.id, y.score, ${options.limit} + row_number() OVER (ORDER BY y.published_date DESC NULLS LAST,
        y.first_published_at DESC NULLS LAST, y.agency_id, y.id) AS ord
      FROM (${newest(end - from, from)}) y)`);
  const { rows } = parts.length
    ? await sql<RecordSearchRow>`WITH ${matches} pg AS (${sql.join(parts, sql` UNION ALL `)})
        SELECT d.* FROM (${details(f, sql`pg`)}) d ORDER BY d.ord`.execute(db)
    : { rows: [] };
  // The facets asked for are of these same matches, more than the cap: estimated (counting them would repeat the
  // capped scan that just found more than the cap — searchFacetCounts gives the same estimate).
  const facets = withFacets ? walkFacets(st, f, total) : undefined;
  return { rows, total, exact: false, plan: byYear ? "years" : "walk", facets };
}

const POOL_ORDER = sql`x.score DESC, x.published_date DESC NULLS LAST, x.first_published_at DESC NULLS LAST, x.agency_id, x.id`;

const SNIPPET_BEFORE = 60;
const SNIPPET_LENGTH = 220;

/** The records of a page (`source`: agency_id, id, score, ord) with a snippet of the body around the first match. */
function details(f: RecordSearchFilter, source: RawBuilder<unknown>): RawBuilder<RecordSearchRow> {
  const pos = f.terms.length
    ? sql`coalesce((SELECT min(q) FROM unnest(${[...f.terms]}::text[]) t,
        strpos(split_part(r.search_text, chr(1), 6), t) q WHERE q > 0), 0)`
    : sql`0`;
  return sql<RecordSearchRow>`
    SELECT r.agency_id, r.id, r.kind, r.title, r.index_no, r.doc_number, r.issuing_agency, r.published_date,
           r.validity, r.genre, r.topic, r.summary, r.keywords, r.item_stable_key, s.snippet,
           s.cut_before AS snippet_cut_before, s.cut_after AS snippet_cut_after, p.score::int AS score, p.ord
    FROM ${source} p
    JOIN records r ON r.agency_id = p.agency_id AND r.id = p.id
    CROSS JOIN LATERAL (SELECT greatest(1, ${pos} - ${SNIPPET_BEFORE}) AS start) w
    CROSS JOIN LATERAL (SELECT substr(r.body_text, w.start, ${SNIPPET_LENGTH}) AS snippet, w.start > 1 AS cut_before,
                               char_length(r.body_text) >= w.start + ${SNIPPET_LENGTH} AS cut_after) s`;
}

/**
 * Counts of the matches per agency, year, validity and genre (the query and agency scope only, before the other
 * filters): exact when there are at most `cap` matches, else estimated from statistics.
 */
export async function searchFacetCounts(
  db: DbOrTx,
  filter: RecordSearchFilter,
  cap = COUNT_CAP,
  stats?: SearchStats,
  work = FACET_WORK,
): Promise<FacetCounts> {
  const st = stats ?? (await loadSearchStats(db, allCodes(filter.terms)));
  const f = withCodeShares(filter, st);
  const { walk: surely, estimate } = await chooseWalk(db, st, f, cap, false);
  // Excluded terms: counted like the page (searchPublishedRecords), within exclusionWork candidates, unless the
  // sample shows far more than the cap left (then estimated like any common word's).
  if (excluding(f) && f.terms.length > 0 && !surely) {
    const work = exclusionWork(cap);
    const capped = cappedSource(withoutExclusions(f), false);
    const where = [...filterConditions(f, false, capped.byCode), capped.match];
    const { rows } = await sql<{ n: number; at_bound: boolean; looked: number; facets: FacetRow[] }>`
      WITH b AS MATERIALIZED (
        SELECT r.agency_id, r.published_date, r.validity, r.genre, r.keep, r.rn, r.rn = ${work} AS at_bound
        FROM ${boundedCandidates(f, where, work)} LIMIT ${cap + 2}),
      m AS MATERIALIZED (SELECT * FROM b WHERE keep LIMIT ${cap + 1})
      SELECT (SELECT count(*)::int FROM m) AS n, (SELECT coalesce(bool_or(at_bound), false) FROM b) AS at_bound,
             (SELECT coalesce(max(rn), 0)::int FROM b) AS looked, ${facetJson(sql`m`)} AS facets`.execute(db);
    const { n = 0, at_bound: full = false, looked = 0, facets = [] } = rows[0] ?? {};
    if (n <= cap && !full) return facetCounts(facets);
    // The kept matches of the candidates read stand for all the candidates (an estimate).
    return scaledFacets(facetCounts(facets), Math.max(1, estimate?.n ?? 0, looked) / Math.max(1, looked));
  }
  if (!surely) {
    const capped = f.terms.length ? cappedSource(f, false) : undefined;
    const bounded = capped && !capped.scoped ? await boundedFacets(db, st, f, cap, work) : undefined;
    if (bounded?.sample) return bounded.sample;
    if (bounded) {
      const looked = Math.min(work, FACET_SAMPLE);
      const { rows } = await sql<{ examined: number; facets: FacetRow[] }>`
        WITH cand AS MATERIALIZED (${sigCandidates(bounded.sig, scopeExtra(f, false))} LIMIT ${looked}),
        m AS MATERIALIZED (
          SELECT r.agency_id, r.published_date, r.validity, r.genre
          FROM cand c JOIN records r ON r.agency_id = c.agency_id AND r.id = c.id
          WHERE ${matchText(f)})
        SELECT (SELECT count(*)::int FROM cand) AS examined, ${facetJson(sql`m`)} AS facets`.execute(db);
      const { examined = 0, facets = [] } = rows[0] ?? {};
      // Every candidate looked at: exact. Else the newest `looked` candidates stand for all of them.
      if (examined < looked) return facetCounts(facets);
      return scaledFacets(facetCounts(facets), Math.max(1, bounded.candidates / examined));
    }
    const where = [...filterConditions(f, false, capped?.byCode), ...(capped ? [capped.match] : [])];
    const { rows } = await sql<{ n: number; facets: FacetRow[] }>`
      WITH m AS MATERIALIZED (
        SELECT r.agency_id, r.published_date, r.validity, r.genre
        FROM ${capped?.from ?? sql`records r`} WHERE ${sql.join(where, sql` AND `)} LIMIT ${cap + 1})
      SELECT (SELECT count(*)::int FROM m) AS n, ${facetJson(sql`m`)} AS facets`.execute(db);
    if ((rows[0]?.n ?? 0) <= cap) return facetCounts(rows[0]?.facets ?? []);
  }
  return walkFacets(st, f, Math.max(cap + 1, estimate?.n ?? 0));
}

/**
 * The facets of a search with more matches than the cap (estimates): those of the index sample's matches, scaled to
 * `total`, when one was taken (a phrase years back: the table's spread would show every year), else spread like
 * the table.
 */
function walkFacets(st: SearchStats, f: RecordSearchFilter, total: number): FacetCounts {
  const index = takenIndexSample(st, f);
  return index?.facets && index.m > 0
    ? scaledFacets(facetCounts(index.facets), total / index.m)
    : estimatedFacets(st, f, total);
}

/**
 * The most candidates the facet count verifies when the GIN index cannot narrow a query (a phrase whose every pair
 * is common but which itself is rare: the capped count would read every candidate to find a few matches — 20 s at
 * 1,000,000 records for 通知如下。各). Beyond it the facets are those of the newest FACET_WORK candidates, scaled,
 * and marked as estimates. The page itself is counted exactly within an agency or a year (cappedSource).
 */
export const FACET_WORK = 5_000;

/**
 * When the facet count is bounded, the newest this many candidates are verified and stand for all (at most
 * FACET_WORK). 5,000 took ~60 ms at 1,000,000 records for every phrase of common pairs, a search's largest part
 * when it is narrowed to an agency (its facets count every agency); the figures are estimates either way.
 */
export const FACET_SAMPLE = 2_000;

/**
 * The signature and the estimated candidates when the facet count must be bounded: the phrase sample (chooseWalk)
 * shows that the capped count would verify more than 3 × `work` (FACET_WORK) candidates to find its matches.
 */
async function boundedFacets(
  db: DbOrTx,
  st: SearchStats,
  f: RecordSearchFilter,
  cap: number,
  work: number,
): Promise<{ sig: RawBuilder<boolean>; candidates: number; sample?: FacetCounts } | undefined> {
  const sample = st.phraseSamples.get(sampleKey(f));
  if (!sample || sample.n < PRECISION_SAMPLE) return undefined;
  // Words of one or two characters (or 3–4-digit numbers) only: the index's candidates are the matches, so the
  // capped count reads no text and stops at cap + 1 (就有 各级 永和: 78 ms over the newest 5,000 signature candidates).
  if (groupsOf(f).every((g) => g.every((t) => termGrams(t).exact))) return undefined;
  const sig = matchSig(f);
  const candidates =
    estimateMatches(st, { terms: f.terms, groups: f.groups, agencyId: f.agencyId }, false)?.n ?? 0;
  const precision = sample.m / sample.n;
  const verify = precision > 0 ? Math.min(candidates, (cap + 1) / precision) : candidates;
  if (!sig || verify <= 3 * work) return undefined;
  // The estimate is an upper bound (a code missing from the statistics counts as just below the list's least
  // frequency); a phrase none of the newest candidates holds may have few index candidates. When the first
  // PRECISION_SAMPLE of them are all there are, the capped count reads only those (交最岭: its facets verified the
  // newest 5,000 signature candidates, 45–170 ms). Matches among the newest: the phrase is not rare; no sample.
  // Otherwise the index sample's own matches (in the table's order, not the date's) stand for all: the newest
  // candidates hold none (2022年 in a corpus of later years: its facets came out empty).
  if (sample.m > 0) return { sig, candidates };
  const index = await indexSample(db, st, { terms: f.terms, groups: f.groups });
  if (index.whole) return undefined;
  return {
    sig,
    candidates,
    sample: scaledFacets(facetCounts(index.facets ?? []), candidates / Math.max(1, index.n)),
  };
}

/**
 * The statistics a search needs (pass them to searchPublishedRecords and searchFacetCounts): one catalog query, or
 * with `cache` the table's statistics it keeps for `cacheKey`'s database.
 */
export async function searchStats(
  db: DbOrTx,
  terms: readonly string[],
  cache?: { stats: SearchStatsCache; key: object },
): Promise<SearchStats> {
  if (!cache) return loadSearchStats(db, allCodes(terms));
  return statsForCodes(await cache.stats.get(cache.key, db), allCodes(terms));
}
export { SearchStatsCache } from "./record-search-stats.ts";

/**
 * What a search reads, most used first, for reading into shared_buffers after a bulk load (db/prewarm.ts): the GIN
 * index of the codes, the two date indexes the walks go through (with the signatures), the id index of the record
 * pages, then the newest pages of the records heap (every candidate is verified on its row).
 */
export const SEARCH_WARM_TARGETS: readonly WarmTarget[] = [
  { relation: "records_search_grams_idx" },
  { relation: "records_published_order_idx" },
  { relation: "records_agency_published_order_idx" },
  { relation: "records_id_idx" },
  { relation: "records_pkey" },
  { relation: "records", tail: true },
];
export type { SearchStats };
