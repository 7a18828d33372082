/**
 * @module Look-ups beside full-text search (public read module of the publishing feature): a record by its exact
 * 索引号 or 文号 (the search box opens it directly), and titles similar to a query that found nothing (pg_trgm).
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import { foldForSearch } from "./record-search.rules.ts";

/**
 * Published records whose 索引号 or 文号 is exactly the query (folded), at most 3, with their kind (the caller picks
 * the document among a document and its 解读).
 */
export async function findPublishedByIndexOrDocNumber(
  db: DbOrTx,
  query: string,
  agencyId: string | undefined,
): Promise<{ agency_id: string; id: string; kind: string }[]> {
  const fq = foldForSearch(query);
  if (!fq) return [];
  const { rows } = await sql<{ agency_id: string; id: string; kind: string }>`
    SELECT r.agency_id, r.id, r.kind
    FROM records r
    WHERE r.status = 'published'
      AND ((r.index_no IS NOT NULL AND gk_search_fold(r.index_no) = ${fq})
        OR (r.doc_number <> '' AND gk_search_fold(r.doc_number) = ${fq}))
      ${agencyId ? sql`AND r.agency_id = ${agencyId}::uuid` : sql``}
    LIMIT 3`.execute(db);
  return rows;
}

/** How similar a title must be to be suggested (pg_trgm word similarity; one wrong character in ten ≈ 0.57). */
export const SUGGESTION_THRESHOLD = 0.35;

/** At most this many similar titles are read and ranked for the suggestions. */
export const SUGGESTION_CANDIDATES = 500;

/**
 * How long the similar titles may take in a large table (SUGGESTION_BOUND_ROWS): a query of common words holds
 * trigrams that most titles hold (作的通知，工作 at 1,000,000 records: 100,094 candidate titles, 43 ms in the trigram
 * index alone), and suggestions are a hint, so past this the page shows none rather than wait.
 */
export const SUGGESTION_TIMEOUT_MS = 25;

/** A table of more published records than this bounds the similar titles by SUGGESTION_TIMEOUT_MS. */
export const SUGGESTION_BOUND_ROWS = 100_000;

/**
 * Published titles similar to the query (pg_trgm, trigram GIN index), for the empty-result page. With `timeoutMs`
 * they are given up (none) when the look-up takes longer; the caller's transaction goes on (a savepoint).
 */
export async function similarPublishedTitles(
  db: DbOrTx,
  query: string,
  agencyId: string | undefined,
  limit = 5,
  timeoutMs?: number,
): Promise<{ title: string; similarity: number }[]> {
  if (!db.isTransaction)
    return db.transaction().execute((trx) => similarPublishedTitles(trx, query, agencyId, limit, timeoutMs));
  // The settings below end with the savepoint (rolled back: a read, nothing else to keep), whatever happens.
  await sql`SAVEPOINT similar_titles`.execute(db);
  try {
    // (statement_timeout 0 would mean none: the bound is at least 1 ms.)
    const bound =
      timeoutMs === undefined
        ? sql``
        : sql`, set_config('statement_timeout', ${String(Math.max(1, Math.round(timeoutMs)))}, true)`;
    await sql`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(SUGGESTION_THRESHOLD)}, true)${bound}`.execute(
      db,
    );
    // The best of the first SUGGESTION_CANDIDATES similar titles the trigram index gives (a query similar to a
    // common title pattern, e.g. 2025年), matched 66,997 titles at 1,000,000 records: 2.8 s to rank them all).
    const { rows } = await sql<{ title: string; similarity: number }>`
      SELECT DISTINCT ON (s.similarity, s.title) s.title, s.similarity
      FROM (SELECT r.title,
                   word_similarity(gk_search_fold(${query}::text), gk_search_fold(r.title))::float8 AS similarity
            FROM records r
            WHERE r.status = 'published'
              AND gk_search_fold(r.title) %> gk_search_fold(${query}::text)
              ${agencyId ? sql`AND r.agency_id = ${agencyId}::uuid` : sql``}
            LIMIT ${SUGGESTION_CANDIDATES}) s
      ORDER BY s.similarity DESC, s.title
      LIMIT ${limit}`.execute(db);
    return rows;
  } catch (e) {
    // 57014 query_canceled: the bound fired.
    if (timeoutMs !== undefined && (e as { code?: unknown }).code === "57014") return [];
    throw e;
  } finally {
    await sql`ROLLBACK TO SAVEPOINT similar_titles`.execute(db);
    await sql`RELEASE SAVEPOINT similar_titles`.execute(db);
  }
}
