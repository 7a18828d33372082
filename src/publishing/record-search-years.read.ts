/**
 * @module The newest matches of a search over the whole table, found year by year (record-search.read.ts: a search
 * with more matches than the count cap and no agency or year filter).
 *
 * The date walk (verify records newest first, stop after the page) is fast when the matches are spread over the
 * date order. When they are years back — a year such as 2019 or 〔2019〕, a phrase of an old policy — it verified
 * every newer record first (2019 at 1,000,000 records: the statement timeout). Every published record's codes hold
 * its publication year's code (record-search.rules.ts yearCode), so the GIN index intersects the query with one
 * year's records without reading the heap. For each year, newest first, until the page is full:
 *  - the year's index candidates, at most YEAR_PROBE + 1, are read and verified (one statement);
 *  - when there are more than YEAR_PROBE (the year is dense in candidates) that year's date index is walked through
 *    the signatures instead, as the whole table's walk would, bounded by the year.
 * (A published record always has a publication date: records_published_check.)
 */
import { type RawBuilder, sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import { AppError } from "../errors.ts";
import { yearCode } from "./record-search.rules.ts";
import {
  filterConditions,
  inYear,
  matchCodes,
  matchSig,
  matchText,
  ORDER_C,
  ORDER_DATE,
  type RecordSearchFilter,
  sigCandidates,
} from "./record-search.sql.ts";

/** A year with more index candidates than this is walked in date order instead of read whole. */
export const YEAR_PROBE = 400;

/** A match's key, score and dates (the date order's columns). */
export interface MatchKey {
  agency_id: string;
  id: string;
  score: number;
  published_date: string | null;
  first_published_at: string | null;
}

/**
 * The newest `want` matches of `f` (no agency or year filter; other filters apply) in the date order, with their
 * score (`score`, an expression on the alias `r`). `probe` is YEAR_PROBE unless a test injects a smaller one;
 * `budgetMs`: the years together may take this long (the search's statement timeout), then the next statement is
 * cancelled (57014, shown as search_timeout) or, with nothing left, the search stops with search_timeout.
 */
export async function newestMatchesByYear(
  db: DbOrTx,
  f: RecordSearchFilter,
  want: number,
  score: RawBuilder<number>,
  probe = YEAR_PROBE,
  budgetMs?: number,
): Promise<MatchKey[]> {
  const started = performance.now();
  const { rows: span } = await sql<{ hi: number | null; lo: number | null }>`
    SELECT (SELECT extract(year FROM max(published_date))::int FROM records WHERE status = 'published') AS hi,
           (SELECT extract(year FROM min(published_date))::int FROM records WHERE status = 'published') AS lo`.execute(
    db,
  );
  const { hi = null, lo = null } = span[0] ?? {};
  const out: MatchKey[] = [];
  const sig = matchSig(f);
  const base = filterConditions(f, true);
  for (let year = hi ?? 0; hi !== null && lo !== null && year >= lo && out.length < want; year--) {
    const need = want - out.length;
    // Every statement runs under the search's statement_timeout; so that all the years together do not run longer
    // than one statement may, each later year gets what is left of it (none left: the search stops here).
    if (budgetMs !== undefined && year !== hi) {
      const left = Math.round(budgetMs - (performance.now() - started));
      if (left <= 0) throw new AppError("search_timeout");
      await sql`SELECT set_config('statement_timeout', ${String(left)}, true)`.execute(db);
    }
    const inScope = inYear(sql`r.published_date`, year);
    const code = yearCode(`${String(year).padStart(4, "0")}-01-01`);
    // The year's index candidates (at most probe + 1), verified: when they are all there, the year's matches.
    // (The date condition is checked on the candidates, not in WHERE, which would let the planner walk the year's
    // date index testing every row's codes.)
    const { rows } = await sql<{ n: number; keys: MatchKey[] | null }>`
      WITH cand AS MATERIALIZED (
        SELECT r.agency_id, r.id, r.published_date, r.first_published_at, ${score} AS score,
               ${inScope} AND ${matchText(f)} AS ok
        FROM records r WHERE ${sql.join([...base, matchCodes(f, code)], sql` AND `)}
        LIMIT ${probe + 1})
      SELECT (SELECT count(*)::int FROM cand) AS n,
             (SELECT json_agg(k) FROM (
                SELECT c.agency_id, c.id, c.score, c.published_date::text AS published_date,
                       c.first_published_at::text AS first_published_at
                FROM cand c WHERE c.ok ORDER BY ${ORDER_C} LIMIT ${need}) k) AS keys`.execute(db);
    const n = rows[0]?.n ?? 0;
    if (n <= probe) {
      out.push(...(rows[0]?.keys ?? []));
      continue;
    }
    // Dense: the year's date index, through the signatures (as the whole table's walk).
    const source = sig
      ? sql`(${sigCandidates(sig, sql` AND ${inYear(sql`c.published_date`, year)}`)} OFFSET 0) c
          JOIN records r ON r.agency_id = c.agency_id AND r.id = c.id`
      : sql`records r`;
    const { rows: walked } = await sql<MatchKey>`
      SELECT r.agency_id, r.id, ${score} AS score, r.published_date::text AS published_date,
             r.first_published_at::text AS first_published_at
      FROM ${source} WHERE ${sql.join([...base, inScope, matchText(f)], sql` AND `)}
      ORDER BY ${sig ? ORDER_C : ORDER_DATE} LIMIT ${need}`.execute(db);
    out.push(...walked);
  }
  return out;
}
