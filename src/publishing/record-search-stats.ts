/**
 * @module Estimates for record search from PostgreSQL's own statistics (pg_stats / pg_class, kept by ANALYZE and
 * autovacuum): how many published records a search would match when there are too many to count (shown as
 * 「约 N 条」), and facet counts likewise. No table is scanned: one catalog query per search.
 *
 *  - a term's share of records: the smallest frequency among its token codes in the most-common-elements list of
 *    search_grams (a code not listed is rarer than the least frequent listed one: only an upper bound, see
 *    termShare); several terms add up (capped at 1). The statistics target of search_grams is raised (migration
 *    2026-12-04T1030) so that the list reaches down to codes of about 2 % of the records;
 *  - a filter's share: most-common values of agency_id, validity, genre; the histogram of published_date for years.
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";

/** A phrase sample: signature candidates looked at (n), matches among them (m), and whether that was all of them. */
export interface PhraseSample {
  n: number;
  m: number;
  whole: boolean;
  /** The newest records the sample looked among (the newest-records sample). */
  entries?: number | undefined;
  /** The index sample's (record-search.read.ts indexSample): the facets of its matches. */
  facets?: readonly FacetRow[] | undefined;
}

/** A facet row (GROUPING SETS of agency, year, validity, genre: `g` says which) and its count. */
export interface FacetRow {
  g: number;
  agency_id: string | null;
  year: number | null;
  validity: string | null;
  genre: string | null;
  n: number;
}

interface ColumnStats {
  attname: string;
  null_frac: number;
  n_distinct: number;
  mcv: string[] | null;
  mcf: number[] | null;
  hist: string[] | null;
}

export interface SearchStats {
  /** Estimated records in the table (pg_class.reltuples); 0 when never analysed. */
  rows: number;
  columns: Map<string, ColumnStats>;
  /** Frequency of each requested token code found among the most common elements. */
  codeFreq: Map<number, number>;
  /** Frequency of the least common listed element (codes not listed are rarer); undefined without stats. */
  minCodeFreq: number | undefined;
  /**
   * Phrase samples taken for this search (record-search.read.ts chooseWalk), by its terms joined with U+0000:
   * candidates looked at (n) and matches among them (m), so the page and the facets take one sample.
   */
  phraseSamples: Map<string, PhraseSample>;
}

/** One catalog query: the table's size, the column statistics and the frequencies of `codes`. */
export async function loadSearchStats(db: DbOrTx, codes: readonly number[]): Promise<SearchStats> {
  return statsForCodes(await loadTableStats(db), codes);
}

/** The statistics of records a search reads, with every most-common element of search_grams (SearchStatsCache). */
export interface TableStats {
  rows: number;
  columns: Map<string, ColumnStats>;
  elems: Map<number, number>;
  minCodeFreq: number | undefined;
}

/**
 * One catalog query: the table's size (reltuples), the statistics of the columns search filters on, and every listed
 * code of search_grams with its frequency (~3,000 of them).
 */
export async function loadTableStats(db: DbOrTx): Promise<TableStats> {
  const { rows } = await sql<{
    reltuples: number;
    columns: ColumnStats[] | null;
    elems: number[] | null;
    freqs: number[] | null;
  }>`
    SELECT (SELECT greatest(reltuples, 0)::float8 FROM pg_class
            WHERE oid = to_regclass(current_schema() || '.records')) AS reltuples,
      (SELECT json_agg(json_build_object('attname', attname, 'null_frac', null_frac, 'n_distinct', n_distinct,
                'mcv', most_common_vals::text::text[], 'mcf', most_common_freqs,
                'hist', histogram_bounds::text::text[]))
       FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'records'
         AND attname IN ('status', 'agency_id', 'published_date', 'validity', 'genre')) AS columns,
      s.most_common_elems::text::int4[] AS elems, s.most_common_elem_freqs::float8[] AS freqs
    FROM (SELECT 1) one LEFT JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = 'records'
      AND s.attname = 'search_grams'`.execute(db);
  const r = rows[0];
  const elems = r?.elems ?? [];
  const freqs = r?.freqs ?? [];
  return {
    rows: r?.reltuples ?? 0,
    columns: new Map((r?.columns ?? []).map((c) => [c.attname, c])),
    elems: new Map(elems.map((c, i) => [c, freqs[i] ?? 0])),
    // most_common_elem_freqs: the elements' frequencies, then their minimum, maximum and the null frequency.
    minCodeFreq: elems.length ? freqs[elems.length] : undefined,
  };
}

/** A search's statistics from the table's: the frequencies of `codes` among the listed elements. */
export function statsForCodes(t: TableStats, codes: readonly number[]): SearchStats {
  const codeFreq = new Map<number, number>();
  for (const c of codes) {
    const f = t.elems.get(c);
    if (f !== undefined) codeFreq.set(c, f);
  }
  return { rows: t.rows, columns: t.columns, codeFreq, minCodeFreq: t.minCodeFreq, phraseSamples: new Map() };
}

/** How long the statistics of records are kept by SearchStatsCache (ms). */
export const SEARCH_STATS_TTL_MS = 60_000;

/**
 * The statistics of records kept in the process for SEARCH_STATS_TTL_MS, per database handle (the primary's and a
 * replica's apart); concurrent searches share one load. They change only when ANALYZE runs (autovacuum, a bulk
 * load), and a search uses them for estimates and plans only, never for what it finds. Reading them took ~3 ms of
 * every search at 1,000,000 records (the pg_stats view planned and ~3,000 elements unnested per query).
 */
export class SearchStatsCache {
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new WeakMap<object, { at: number; stats: Promise<TableStats> }>();

  constructor(ttlMs = SEARCH_STATS_TTL_MS, now: () => number = () => performance.now()) {
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  /** The statistics of `key`'s database (a stable handle, e.g. the pool's Kysely), loading them through `db`. */
  async get(key: object, db: DbOrTx): Promise<TableStats> {
    const now = this.#now();
    const hit = this.#entries.get(key);
    if (hit && now - hit.at < this.#ttlMs) return hit.stats;
    const stats = loadTableStats(db);
    this.#entries.set(key, { at: now, stats });
    // A failed load is not kept: the next search tries again.
    stats.catch(() => {
      if (this.#entries.get(key)?.stats === stats) this.#entries.delete(key);
    });
    return stats;
  }
}

/**
 * Share of records containing a term whose codes are `codes` (an upper bound: the smallest share among its
 * codes), and whether every code is in the most-common-elements list. A code missing from the list is only known
 * to be rarer than the list's least frequent element — which, with a thousand distinct codes in every record, can
 * be two thirds of the table (measured at 200,000 records with the default statistics target): such a term may be
 * rare, so `listed` is false and the caller must not assume it is common. undefined without statistics.
 */
export function termShare(
  stats: SearchStats,
  codes: readonly number[],
): { share: number; listed: boolean } | undefined {
  if (stats.minCodeFreq === undefined || stats.rows <= 0) return undefined;
  if (codes.length === 0) return { share: 1, listed: true };
  let share = 1;
  let listed = true;
  for (const c of codes) {
    const f = stats.codeFreq.get(c);
    if (f === undefined) listed = false;
    share = Math.min(share, f ?? stats.minCodeFreq);
  }
  return { share, listed };
}

/** Share of the rows whose column equals `value` (most common values, else an even split of the rest). */
export function valueShare(stats: SearchStats, column: string, value: string | null): number {
  const c = stats.columns.get(column);
  if (!c) return 1;
  if (value === null) return c.null_frac;
  const i = c.mcv?.indexOf(value) ?? -1;
  if (i >= 0) return c.mcf?.[i] ?? 0;
  const listed = (c.mcf ?? []).reduce((a, b) => a + b, 0);
  const distinct = c.n_distinct < 0 ? -c.n_distinct * stats.rows : c.n_distinct;
  const others = Math.max(1, distinct - (c.mcv?.length ?? 0));
  return Math.max(0, 1 - c.null_frac - listed) / others;
}

/** Every value with its share: the most common values (other values are not listed). */
export function valueShares(stats: SearchStats, column: string): { value: string | null; share: number }[] {
  const c = stats.columns.get(column);
  if (!c) return [];
  const out = (c.mcv ?? []).map((v, i) => ({ value: v as string | null, share: c.mcf?.[i] ?? 0 }));
  if (c.null_frac > 0) out.push({ value: null, share: c.null_frac });
  return out;
}

const DAY = 86_400_000;

/** Share of rows published in each year (most common dates plus the histogram, spread evenly within buckets). */
export function yearShares(stats: SearchStats): Map<number, number> {
  const out = new Map<number, number>();
  const c = stats.columns.get("published_date");
  if (!c) return out;
  const add = (y: number, s: number) => out.set(y, (out.get(y) ?? 0) + s);
  let listed = 0;
  for (const [i, v] of (c.mcv ?? []).entries()) {
    const f = c.mcf?.[i] ?? 0;
    listed += f;
    add(Number(v.slice(0, 4)), f);
  }
  const hist = c.hist ?? [];
  if (hist.length >= 2) {
    const rest = Math.max(0, 1 - c.null_frac - listed);
    const perBucket = rest / (hist.length - 1);
    for (let i = 0; i + 1 < hist.length; i++) {
      const a = Date.parse(`${hist[i]}T00:00:00Z`);
      const b = Date.parse(`${hist[i + 1]}T00:00:00Z`) + DAY;
      for (let y = new Date(a).getUTCFullYear(); y <= new Date(b - DAY).getUTCFullYear(); y++) {
        const ys = Math.max(a, Date.UTC(y, 0, 1));
        const ye = Math.min(b, Date.UTC(y + 1, 0, 1));
        if (ye > ys) add(y, (perBucket * (ye - ys)) / (b - a));
      }
    }
  }
  return out;
}

/** Share of rows published in `year`. */
export function yearShare(stats: SearchStats, year: number): number {
  const c = stats.columns.get("published_date");
  return c ? (yearShares(stats).get(year) ?? 0) : 1;
}

export interface FacetCounts {
  agencies: { id: string; n: number }[];
  years: { year: number; n: number }[];
  validity: { value: string; n: number }[];
  genres: { value: string; n: number }[];
  /** False: the counts are estimates (more matches than the cap). */
  exact: boolean;
}

/** Facets of `total` matches spread like the whole table (statistics); values below 1 are left out. */
export function estimatedFacets(
  st: SearchStats,
  f: { agencyId?: string | undefined },
  total: number,
): FacetCounts {
  const scaled = (share: number) => Math.round(total * share);
  const agencyTotal = f.agencyId ? 1 : 1 - (st.columns.get("agency_id")?.null_frac ?? 0);
  const agencies = f.agencyId
    ? [{ id: f.agencyId, n: total }]
    : valueShares(st, "agency_id")
        .filter((v) => v.value !== null)
        .map((v) => ({ id: v.value as string, n: scaled(v.share / agencyTotal) }));
  const years = [...yearShares(st)].map(([year, share]) => ({ year, n: scaled(share) }));
  const validity = valueShares(st, "validity").map((v) => ({
    value: v.value ?? "未标注",
    n: scaled(v.share),
  }));
  const genres = valueShares(st, "genre")
    .filter((v) => v.value)
    .map((v) => ({ value: v.value as string, n: scaled(v.share) }));
  return {
    agencies: agencies.filter((a) => a.n > 0),
    years: years.filter((y) => y.n > 0),
    validity: validity.filter((v) => v.n > 0),
    genres: genres.filter((g) => g.n > 0),
    exact: false,
  };
}
