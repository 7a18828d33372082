/**
 * @module The newest matches of a search over the whole table, found year by year (record-search.read.ts: a search
 * with more matches than the count cap and no agency or year filter).
 *
 * The date walk (verify records newest first, stop after the page) is fast when the matches are spread over the
 * date order. When they are years back — a year such as 2019 or 〔2019〕, a phrase of an old policy — it verified
 * every newer record first (2019 at 1,000,000 records: the statement timeout). Every published record's codes hold
 * its publication year's code (record-search.rules.ts yearCode), so the GIN index intersects the query with one
 * year's records without reading the heap. First the whole table's newest records are walked, as far as
 * FIRST_WALK times the matches wanted (a common word's page is there); when they hold too few but at least 1 in
 * DENSE, the walk goes on over the whole table after the last match; sparser than that, for each year, newest first
 * (from the last match's year, after it), until the page is full:
 *  - the year's index candidates, at most YEAR_PROBE + 1, are read and verified (one statement);
 *  - when there are more than YEAR_PROBE (the year is dense in candidates) that year's date index is walked through
 *    the signatures instead, as the whole table's walk would, bounded by the year.
 * (A published record always has a publication date: records_published_check.)
 */
import { type RawBuilder, sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import { AppError } from "../errors.ts";
import { codeOfYear } from "./record-search.rules.ts";
import {
  filterConditions,
  inYear,
  matchCodes,
  matchSig,
  matchText,
  matchTextOfCandidates,
  ORDER_C,
  ORDER_DATE,
  type RecordSearchFilter,
  sigCandidates,
  sigCandidatesAmongNewest,
} from "./record-search.sql.ts";

/** A year with more index candidates than this is walked in date order instead of read whole. */
export const YEAR_PROBE = 400;

/**
 * When the first walk found at least 1 match in this many records, the rest of the page is walked for over the whole
 * table (the matches are spread over the date order), not year by year. Measured at 1,000,000 records: 按原规定执行
 * (~3 %) on page 50 took 36–49 ms year by year (a probe of the dense year, then its walk), 27 ms this way.
 */
export const DENSE = 100;

/**
 * The first walk looks at the newest `want` × this many records of the whole table (index entries, tested by their
 * signatures; the search goes year by year only when they hold fewer than `want` matches: fewer than 1 in
 * FIRST_WALK). Bounded by entries, not by signature candidates: a selective signature (〔2019〕) let a walk bounded
 * by candidates read 460,000 entries (200 ms at 1,000,000 records).
 */
export const FIRST_WALK = 20;

/** A record's place in the date order (ORDER_C): its dates (as text), agency and id. */
export interface Boundary {
  published_date: string;
  first_published_at: string | null;
  agency_id: string;
  id: string;
}

/** The records after `b` in the date order (published_date DESC, first_published_at DESC NULLS LAST, agency, id). */
export function afterRecord(alias: "r" | "c", b: Boundary): RawBuilder<boolean> {
  const t = sql.ref(alias);
  const same = sql`(${t}.agency_id, ${t}.id) > (${b.agency_id}::uuid, ${b.id}::uuid)`;
  const later =
    b.first_published_at === null
      ? sql`(${t}.first_published_at IS NULL AND ${same})`
      : sql`(${t}.first_published_at < ${b.first_published_at}::timestamptz OR ${t}.first_published_at IS NULL
            OR (${t}.first_published_at = ${b.first_published_at}::timestamptz AND ${same}))`;
  // The first condition alone is the date index's range (the walk starts at b's date).
  return sql<boolean>`${t}.published_date <= ${b.published_date}::date AND (${t}.published_date < ${b.published_date}::date
    OR (${t}.published_date = ${b.published_date}::date AND ${later}))`;
}

/**
 * A record's dates as text that reads back the same whatever the session's DateStyle and TimeZone (ISO, the time in
 * UTC with its offset): the keys go to Node and back into SQL (afterRecord, the page's unnest).
 */
function datesText(alias: "r" | "c"): RawBuilder<unknown> {
  const t = sql.ref(alias);
  return sql`to_char(${t}.published_date, 'YYYY-MM-DD') AS published_date,
    to_char(${t}.first_published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US"+00"') AS first_published_at`;
}

/** A match's key, score and dates (the date order's columns). */
export interface MatchKey {
  agency_id: string;
  id: string;
  score: number;
  published_date: string | null;
  first_published_at: string | null;
}

export interface YearWalkOptions {
  /** YEAR_PROBE unless a test injects another. */
  probe?: number | undefined;
  /** FIRST_WALK unless a test injects another (0: straight to the years). */
  firstWalk?: number | undefined;
  /**
   * Years known (from the index sample, record-search-path.ts denseYears) to hold more than `probe` candidates:
   * walked at once, without reading their index candidates first.
   */
  denseYears?: readonly number[] | undefined;
  /**
   * The years together may take this long (the search's statement timeout, ms), then the next statement is
   * cancelled (57014, shown as search_timeout) or, with nothing left, the search stops with search_timeout.
   */
  budgetMs?: number | undefined;
}

/**
 * The newest `want` matches of `f` (no agency or year filter; other filters apply) in the date order, with their
 * score (`score`, an expression on the alias `r`).
 */
export async function newestMatchesByYear(
  db: DbOrTx,
  f: RecordSearchFilter,
  want: number,
  score: RawBuilder<number>,
  options: YearWalkOptions = {},
): Promise<MatchKey[]> {
  const { probe = YEAR_PROBE, firstWalk = FIRST_WALK, budgetMs } = options;
  const dense = new Set(options.denseYears ?? []);
  const started = performance.now();
  const sig = matchSig(f);
  const base = filterConditions(f, true);
  // First the whole table's walk over its newest `want` × FIRST_WALK records: where the matches are spread over the
  // date order (a common word) the page is there, in one statement. Its matches are kept.
  const entries = sig ? want * firstWalk : 0;
  const { rows: first } = await sql<{ keys: MatchKey[] | null }>`
    SELECT ${
      sig && entries > 0
        ? sql`(SELECT json_agg(k) FROM (
            SELECT r.agency_id, r.id, ${score} AS score, ${datesText("r")}
            FROM (${sigCandidatesAmongNewest(sig, entries)}) c
            JOIN records r ON r.agency_id = c.agency_id AND r.id = c.id
            WHERE ${sql.join([...base, matchText(f)], sql` AND `)}
            ORDER BY ${ORDER_C} LIMIT ${want}) k)`
        : sql`NULL::json`
    } AS keys`.execute(db);
  const out: MatchKey[] = [...(first[0]?.keys ?? [])];
  if (out.length >= want) return out;
  // The years continue after the first walk's last match (the records between it and the last one looked at are
  // looked at again; none found: from the newest year).
  const lastMatch = out.at(-1);
  const from: Boundary | null = lastMatch
    ? {
        published_date: lastMatch.published_date as string,
        first_published_at: lastMatch.first_published_at,
        agency_id: lastMatch.agency_id,
        id: lastMatch.id,
      }
    : null;
  // Matches spread over the date order (at least 1 in DENSE of the records looked at): the walk goes on after the
  // first walk's last match, over the whole table, as far as the page needs.
  if (from !== null && out.length * DENSE >= entries) {
    const { rows } = await sql<MatchKey>`
      SELECT r.agency_id, r.id, ${score} AS score, ${datesText("r")}
      FROM (${sigCandidates(sig as RawBuilder<boolean>, sql` AND ${afterRecord("c", from)}`)} OFFSET 0) c
      JOIN records r ON r.agency_id = c.agency_id AND r.id = c.id
      WHERE ${sql.join([...base, matchText(f)], sql` AND `)}
      ORDER BY ${ORDER_C} LIMIT ${want - out.length}`.execute(db);
    return [...out, ...rows];
  }
  const { rows: span } = await sql<{ lo: number | null; top: number | null }>`
    SELECT (SELECT extract(year FROM min(published_date))::int FROM records WHERE status = 'published') AS lo,
           ${
             from !== null
               ? sql`extract(year FROM ${from.published_date}::date)::int`
               : sql`(SELECT extract(year FROM max(published_date))::int FROM records WHERE status = 'published')`
           } AS top`.execute(db);
  const { lo = null, top = null } = span[0] ?? {};
  if (lo === null || top === null) return out;
  for (let year = top; year >= lo && out.length < want; year--) {
    const need = want - out.length;
    // Every statement runs under the search's statement_timeout; so that all the years together do not run longer
    // than one statement may, each later year gets what is left of it (none left: the search stops here).
    if (budgetMs !== undefined && (year !== top || from !== null)) {
      const left = Math.round(budgetMs - (performance.now() - started));
      if (left <= 0) throw new AppError("search_timeout");
      await sql`SELECT set_config('statement_timeout', ${String(left)}, true)`.execute(db);
    }
    // In the first walk's last year, only the records after its last one.
    const after = (alias: "r" | "c") =>
      year === top && from !== null ? sql` AND ${afterRecord(alias, from)}` : sql``;
    const inScope = inYear(sql`r.published_date`, year);
    const code = codeOfYear(year);
    // The year's index candidates (at most probe + 1), verified: when they are all there, the year's matches.
    // (The date condition is checked on the candidates, not in WHERE, which would let the planner walk the year's
    // date index testing every row's codes.) A year known to be dense goes to its walk at once.
    if (!dense.has(year)) {
      const { rows } = await sql<{ n: number; keys: MatchKey[] | null }>`
        WITH cand AS MATERIALIZED (
          SELECT r.agency_id, r.id, r.published_date, r.first_published_at, ${score} AS score,
                 ${inScope}${after("r")} AND ${matchTextOfCandidates(f)} AS ok
          FROM records r WHERE ${sql.join([...base, matchCodes(f, [code])], sql` AND `)}
          LIMIT ${probe + 1})
        SELECT (SELECT count(*)::int FROM cand) AS n,
               (SELECT json_agg(k) FROM (
                  SELECT c.agency_id, c.id, c.score, ${datesText("c")}
                  FROM cand c WHERE c.ok ORDER BY ${ORDER_C} LIMIT ${need}) k) AS keys`.execute(db);
      if ((rows[0]?.n ?? 0) <= probe) {
        out.push(...(rows[0]?.keys ?? []));
        continue;
      }
    }
    // Dense: the year's date index, through the signatures (as the whole table's walk).
    const source = sig
      ? sql`(${sigCandidates(sig, sql` AND ${inYear(sql`c.published_date`, year)}${after("c")}`)} OFFSET 0) c
          JOIN records r ON r.agency_id = c.agency_id AND r.id = c.id`
      : sql`records r`;
    const { rows: walked } = await sql<MatchKey>`
      SELECT r.agency_id, r.id, ${score} AS score, ${datesText("r")}
      FROM ${source} WHERE ${sql.join([...base, sql`${inScope}${after("r")}`, matchText(f)], sql` AND `)}
      ORDER BY ${sig ? ORDER_C : ORDER_DATE} LIMIT ${need}`.execute(db);
    out.push(...walked);
  }
  return out;
}
