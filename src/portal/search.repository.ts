/**
 * @module SQL of the portal search over published records (status = 'published', as the publishing feature's
 * listPublishedRows). The tsvector column, its GIN index and the trigram index are the portal's own migration
 * (2026-11-23T1740-records-search).
 *
 * Match = the folded query occurs in the folded title, 文号, summary or body text. Candidates come from the GIN
 * index (AND of the query's bigram tokens) and every candidate is verified with strpos, so the result is exact.
 */
import { type RawBuilder, sql } from "kysely";
import type { Db, DbOrTx } from "../db/database.ts";

export interface SearchFilter {
  /** Folded or raw query ("" = browse by filters). */
  query: string;
  /** tsquery text from search.rules.ts toTsquery (null when the query has no tokens). */
  tsquery: string | null;
  agencyId?: string | undefined;
  /** Catalog items (stable keys): an item and its sub-items. */
  itemStableKeys?: string[] | undefined;
  year?: number | undefined;
  validity?: string | undefined;
  genre?: string | undefined;
}

export interface SearchRow {
  agency_id: string;
  agency_slug: string;
  agency_name: string;
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
  item_stable_key: string | null;
  /** A window of the body text around the first match (or its beginning). */
  snippet: string;
  snippet_cut_before: boolean;
  snippet_cut_after: boolean;
  score: number;
}

const SNIPPET_BEFORE = 60;
const SNIPPET_LENGTH = 220;

function conditions(f: SearchFilter, withFilters: boolean): RawBuilder<unknown>[] {
  const where: RawBuilder<unknown>[] = [sql`r.status = 'published'`];
  if (f.query) {
    where.push(f.tsquery ? sql`(r.search_tsv @@ ${f.tsquery}::tsquery OR r.search_overflow)` : sql`true`);
    // search_text = folded title, 文号, summary and body joined by U+0001 (never in a query).
    where.push(sql`strpos(r.search_text, q.fq) > 0`);
  }
  if (f.agencyId) where.push(sql`r.agency_id = ${f.agencyId}::uuid`);
  if (withFilters) {
    if (f.itemStableKeys) where.push(sql`r.item_stable_key = ANY(${f.itemStableKeys}::text[])`);
    if (f.year)
      where.push(
        sql`r.published_date >= make_date(${f.year}::int, 1, 1) AND r.published_date < make_date(${f.year}::int + 1, 1, 1)`,
      );
    if (f.validity)
      where.push(f.validity === "未标注" ? sql`r.validity IS NULL` : sql`r.validity = ${f.validity}`);
    if (f.genre) where.push(sql`r.genre = ${f.genre}`);
  }
  return where;
}

function queryCte(f: SearchFilter): RawBuilder<unknown> {
  return sql`WITH q AS (SELECT gk_search_fold(${f.query}::text) AS fq)`;
}

export async function searchRecords(
  db: DbOrTx,
  f: SearchFilter,
  options: { sort: "relevance" | "date"; limit: number; offset: number },
): Promise<{ rows: SearchRow[]; total: number }> {
  const where = sql.join(conditions(f, true), sql` AND `);
  const order =
    options.sort === "relevance" && f.query
      ? sql`x.score DESC, x.published_date DESC NULLS LAST, x.first_published_at DESC NULLS LAST, x.id`
      : sql`x.published_date DESC NULLS LAST, x.first_published_at DESC NULLS LAST, x.id`;
  // Relevance: the query in the title counts most, then 文号, summary, then the number of occurrences (capped).
  const score = f.query
    ? sql`(CASE WHEN strpos(gk_search_fold(r.title), q.fq) > 0 THEN 100 ELSE 0 END
        + CASE WHEN strpos(gk_search_fold(r.doc_number), q.fq) > 0 THEN 50 ELSE 0 END
        + CASE WHEN strpos(gk_search_fold(r.summary), q.fq) > 0 THEN 20 ELSE 0 END
        + least(30, (octet_length(r.search_text) - octet_length(replace(r.search_text, q.fq, '')))
            / greatest(octet_length(q.fq), 1)))`
    : sql`0`;
  // The snippet is cut from the body only for the rows of this page.
  const pos = f.query ? sql`strpos(gk_search_fold(r.body_text), q.fq)` : sql`0`;
  const [page, count] = await Promise.all([
    sql<SearchRow>`${queryCte(f)},
      hits AS (
        SELECT x.agency_id, x.id, x.score, row_number() OVER (ORDER BY ${order}) AS ord
        FROM (SELECT r.agency_id, r.id, r.published_date, r.first_published_at, ${score}::int AS score
              FROM q CROSS JOIN records r
              WHERE ${where}) x
        ORDER BY ord
        LIMIT ${options.limit} OFFSET ${options.offset})
      SELECT r.agency_id, a.slug AS agency_slug, a.name AS agency_name, r.id, r.kind, r.title, r.index_no,
             r.doc_number, r.issuing_agency, r.published_date, r.validity, r.genre, r.topic, r.summary,
             r.item_stable_key, s.snippet, s.cut_before AS snippet_cut_before, s.cut_after AS snippet_cut_after,
             h.score
      FROM hits h
      JOIN records r ON r.agency_id = h.agency_id AND r.id = h.id
      JOIN agencies a ON a.id = r.agency_id
      CROSS JOIN q
      CROSS JOIN LATERAL (SELECT greatest(1, ${pos} - ${SNIPPET_BEFORE}) AS start) p
      CROSS JOIN LATERAL (SELECT substr(r.body_text, p.start, ${SNIPPET_LENGTH}) AS snippet,
                                 p.start > 1 AS cut_before,
                                 char_length(r.body_text) >= p.start + ${SNIPPET_LENGTH} AS cut_after) s
      ORDER BY h.ord`.execute(db),
    sql<{ n: number }>`${queryCte(f)}
      SELECT count(*)::int AS n FROM q CROSS JOIN records r WHERE ${where}`.execute(db),
  ]);
  return { rows: page.rows, total: count.rows[0]?.n ?? 0 };
}

export interface Facets {
  agencies: { id: string; slug: string; name: string; n: number }[];
  years: { year: number; n: number }[];
  validity: { value: string; n: number }[];
  genres: { value: string; n: number }[];
}

/** Counts of the matches (query and agency scope only, before the other filters) per agency, year, validity, genre. */
export async function searchFacets(db: DbOrTx, f: SearchFilter): Promise<Facets> {
  const where = sql.join(conditions(f, false), sql` AND `);
  const { rows } = await sql<{
    agency_id: string | null;
    year: number | null;
    validity: string | null;
    genre: string | null;
    g: number;
    n: number;
  }>`${queryCte(f)}
    SELECT r.agency_id, extract(year FROM r.published_date)::int AS year, coalesce(r.validity, '未标注') AS validity,
           r.genre, GROUPING(r.agency_id, extract(year FROM r.published_date), coalesce(r.validity, '未标注'), r.genre)::int AS g,
           count(*)::int AS n
    FROM q CROSS JOIN records r
    WHERE ${where}
    GROUP BY GROUPING SETS ((r.agency_id), (extract(year FROM r.published_date)), (coalesce(r.validity, '未标注')), (r.genre))`.execute(
    db,
  );
  const agencyIds = rows.filter((r) => r.g === 7 && r.agency_id).map((r) => r.agency_id as string);
  const names = agencyIds.length
    ? await db.selectFrom("agencies").select(["id", "slug", "name"]).where("id", "in", agencyIds).execute()
    : [];
  const byId = new Map(names.map((a) => [a.id, a]));
  return {
    agencies: rows
      .filter((r) => r.g === 7 && r.agency_id)
      .map((r) => ({
        ...(byId.get(r.agency_id as string) as { id: string; slug: string; name: string }),
        n: r.n,
      }))
      .filter((a) => a.id)
      .sort((a, b) => b.n - a.n || a.name.localeCompare(b.name, "zh")),
    years: rows
      .filter((r) => r.g === 11 && r.year !== null)
      .map((r) => ({ year: r.year as number, n: r.n }))
      .sort((a, b) => b.year - a.year),
    validity: rows
      .filter((r) => r.g === 13 && r.validity)
      .map((r) => ({ value: r.validity as string, n: r.n })),
    genres: rows
      .filter((r) => r.g === 14 && r.genre)
      .map((r) => ({ value: r.genre as string, n: r.n }))
      .sort((a, b) => b.n - a.n),
  };
}

/** How similar a title must be to be suggested (pg_trgm word similarity; one wrong character in ten ≈ 0.57). */
export const SUGGESTION_THRESHOLD = 0.35;

/** Titles similar to the query (pg_trgm, trigram GIN index), for the empty-result page. */
export async function similarTitles(
  db: Db,
  query: string,
  agencyId: string | undefined,
  limit = 5,
): Promise<{ title: string; similarity: number }[]> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(SUGGESTION_THRESHOLD)}, true)`.execute(
      trx,
    );
    const { rows } = await sql<{ title: string; similarity: number }>`
      SELECT DISTINCT ON (similarity, r.title) r.title,
             word_similarity(gk_search_fold(${query}::text), gk_search_fold(r.title))::float8 AS similarity
      FROM records r
      WHERE r.status = 'published'
        AND gk_search_fold(r.title) %> gk_search_fold(${query}::text)
        ${agencyId ? sql`AND r.agency_id = ${agencyId}::uuid` : sql``}
      ORDER BY similarity DESC, r.title
      LIMIT ${limit}`.execute(trx);
    return rows;
  });
}
