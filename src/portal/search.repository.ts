/**
 * @module SQL of the portal search over published records (status = 'published', as the publishing feature's
 * listPublishedRows). The tsvector column, its GIN index and the trigram index are the portal's own migration
 * (2026-11-23T1740-records-search).
 *
 * Match = the folded query (or one of its named expansions) occurs in the folded title, 文号, 索引号, 关键词, summary
 * or body text. Candidates come from the GIN index (AND of each term's bigram tokens, OR over the terms) and every
 * candidate is verified with strpos, so the result is exact.
 */
import { type RawBuilder, sql } from "kysely";
import type { Db, DbOrTx } from "../db/database.ts";
import { foldForSearch } from "./search.rules.ts";

export interface SearchFilter {
  /** Raw or folded query ("" = browse by filters). */
  query: string;
  /** Expansions of the query (search-synonyms.rules.ts, folded): a record containing one of them matches too. */
  expansions?: readonly string[] | undefined;
  /** tsquery text from search.rules.ts (OR over the query and its expansions; null: no index pre-filter). */
  tsquery: string | null;
  agencyId?: string | undefined;
  /** Catalog items (stable keys): an item and its sub-items. */
  itemStableKeys?: string[] | undefined;
  year?: number | undefined;
  validity?: string | undefined;
  genre?: string | undefined;
  /** Today (Asia/Shanghai) for the recency part of the ranking; the database's date when absent. */
  today?: string | undefined;
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
  keywords: string[];
  item_stable_key: string | null;
  /** A window of the body text around the first match (or its beginning). */
  snippet: string;
  snippet_cut_before: boolean;
  snippet_cut_after: boolean;
  score: number;
}

const SNIPPET_BEFORE = 60;
const SNIPPET_LENGTH = 220;

/** The folded query and its expansions, distinct, query first. */
export function searchTerms(f: Pick<SearchFilter, "query" | "expansions">): string[] {
  const q = foldForSearch(f.query);
  return q ? [...new Set([q, ...(f.expansions ?? []).map(foldForSearch).filter(Boolean)])] : [];
}

/** search_text fields (migration 2026-12-03T2200): 1 title, 2 文号, 3 索引号, 4 关键词, 5 summary, 6 body. */
function field(n: 1 | 2 | 3 | 4 | 5 | 6): RawBuilder<string> {
  return sql<string>`split_part(r.search_text, chr(1), ${sql.lit(n)})`;
}

/** OR of strpos(text, term) > 0 over the terms (each term a parameter). */
function containsAny(text: RawBuilder<unknown>, terms: readonly string[]): RawBuilder<boolean> {
  return sql<boolean>`(${sql.join(
    terms.map((t) => sql`strpos(${text}, ${t}::text) > 0`),
    sql` OR `,
  )})`;
}

function conditions(f: SearchFilter, withFilters: boolean): RawBuilder<unknown>[] {
  const where: RawBuilder<unknown>[] = [sql`r.status = 'published'`];
  const terms = searchTerms(f);
  if (terms.length) {
    where.push(f.tsquery ? sql`(r.search_tsv @@ ${f.tsquery}::tsquery OR r.search_overflow)` : sql`true`);
    // search_text = folded title, 文号, 索引号, keywords, summary and body joined by U+0001 (never in a query).
    where.push(containsAny(sql`r.search_text`, terms));
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

/**
 * Relevance (search.rules.ts documents the ranking): the query or an expansion in the title counts most, then in
 * the 文号 or 索引号, the 关键词, the summary; occurrences of the query as typed (capped); valid (有效) documents
 * are preferred, 失效/废止 ones demoted; newer documents get up to 20 points (none after four years).
 */
function scoreSql(f: SearchFilter, terms: readonly string[]): RawBuilder<number> {
  const q = terms[0] as string;
  const today = f.today ? sql`${f.today}::date` : sql`current_date`;
  return sql<number>`(CASE WHEN ${containsAny(field(1), terms)} THEN 100 ELSE 0 END
        + CASE WHEN ${containsAny(field(1), [q])} THEN 10 ELSE 0 END
        + CASE WHEN ${containsAny(sql`${field(2)} || chr(2) || ${field(3)}`, terms)} THEN 50 ELSE 0 END
        + CASE WHEN ${containsAny(field(4), terms)} THEN 40 ELSE 0 END
        + CASE WHEN ${containsAny(field(5), terms)} THEN 20 ELSE 0 END
        + least(30, (octet_length(r.search_text) - octet_length(replace(r.search_text, ${q}::text, '')))
            / greatest(octet_length(${q}::text), 1))
        + CASE r.validity WHEN '有效' THEN 10 WHEN '失效' THEN -60 WHEN '废止' THEN -60 ELSE 0 END
        + CASE WHEN r.published_date IS NULL THEN 0
               ELSE greatest(0, 20 - (${today} - r.published_date) / 73) END)`;
}

export async function searchRecords(
  db: DbOrTx,
  f: SearchFilter,
  options: { sort: "relevance" | "date"; limit: number; offset: number },
): Promise<{ rows: SearchRow[]; total: number }> {
  const terms = searchTerms(f);
  const where = sql.join(conditions(f, true), sql` AND `);
  const order =
    options.sort === "relevance" && terms.length
      ? sql`x.score DESC, x.published_date DESC NULLS LAST, x.first_published_at DESC NULLS LAST, x.id`
      : sql`x.published_date DESC NULLS LAST, x.first_published_at DESC NULLS LAST, x.id`;
  const score = terms.length && options.sort === "relevance" ? scoreSql(f, terms) : sql`0`;
  // The snippet is cut from the body only for the rows of this page, around the first occurrence of any term
  // (field 6 is the folded body: folding keeps every character's index).
  const pos = terms.length
    ? sql`coalesce((SELECT min(p) FROM unnest(${terms}::text[]) t, strpos(${field(6)}, t) p WHERE p > 0), 0)`
    : sql`0`;
  const [page, count] = await Promise.all([
    sql<SearchRow>`WITH hits AS (
        SELECT x.agency_id, x.id, x.score, row_number() OVER (ORDER BY ${order}) AS ord
        FROM (SELECT r.agency_id, r.id, r.published_date, r.first_published_at, ${score}::int AS score
              FROM records r
              WHERE ${where}) x
        ORDER BY ord
        LIMIT ${options.limit} OFFSET ${options.offset})
      SELECT r.agency_id, a.slug AS agency_slug, a.name AS agency_name, r.id, r.kind, r.title, r.index_no,
             r.doc_number, r.issuing_agency, r.published_date, r.validity, r.genre, r.topic, r.summary, r.keywords,
             r.item_stable_key, s.snippet, s.cut_before AS snippet_cut_before, s.cut_after AS snippet_cut_after,
             h.score
      FROM hits h
      JOIN records r ON r.agency_id = h.agency_id AND r.id = h.id
      JOIN agencies a ON a.id = r.agency_id
      CROSS JOIN LATERAL (SELECT greatest(1, ${pos} - ${SNIPPET_BEFORE}) AS start) p
      CROSS JOIN LATERAL (SELECT substr(r.body_text, p.start, ${SNIPPET_LENGTH}) AS snippet,
                                 p.start > 1 AS cut_before,
                                 char_length(r.body_text) >= p.start + ${SNIPPET_LENGTH} AS cut_after) s
      ORDER BY h.ord`.execute(db),
    sql<{ n: number }>`SELECT count(*)::int AS n FROM records r WHERE ${where}`.execute(db),
  ]);
  return { rows: page.rows, total: count.rows[0]?.n ?? 0 };
}

/**
 * The published record whose 索引号 or 文号 is exactly the query (folded), when there is exactly one (a 文号
 * shared by a document and its 解读 picks the document). undefined otherwise.
 */
export async function findByIndexOrDocNumber(
  db: DbOrTx,
  query: string,
  agencyId: string | undefined,
): Promise<{ agency_slug: string; id: string } | undefined> {
  const fq = foldForSearch(query);
  if (!fq) return undefined;
  const { rows } = await sql<{ agency_slug: string; id: string; kind: string }>`
    SELECT a.slug AS agency_slug, r.id, r.kind
    FROM records r JOIN agencies a ON a.id = r.agency_id
    WHERE r.status = 'published'
      AND ((r.index_no IS NOT NULL AND gk_search_fold(r.index_no) = ${fq})
        OR (r.doc_number <> '' AND gk_search_fold(r.doc_number) = ${fq}))
      ${agencyId ? sql`AND r.agency_id = ${agencyId}::uuid` : sql``}
    LIMIT 3`.execute(db);
  if (rows.length === 1) return rows[0];
  const documents = rows.filter((r) => r.kind === "document");
  return documents.length === 1 ? documents[0] : undefined;
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
  }>`
    SELECT r.agency_id, extract(year FROM r.published_date)::int AS year, coalesce(r.validity, '未标注') AS validity,
           r.genre, GROUPING(r.agency_id, extract(year FROM r.published_date), coalesce(r.validity, '未标注'), r.genre)::int AS g,
           count(*)::int AS n
    FROM records r
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
  db: DbOrTx,
  query: string,
  agencyId: string | undefined,
  limit = 5,
): Promise<{ title: string; similarity: number }[]> {
  if (!db.isTransaction) return db.transaction().execute((trx) => similarTitles(trx, query, agencyId, limit));
  // Local to the transaction (the caller's search transaction, or the one opened above).
  await sql`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(SUGGESTION_THRESHOLD)}, true)`.execute(
    db,
  );
  const { rows } = await sql<{ title: string; similarity: number }>`
    SELECT DISTINCT ON (similarity, r.title) r.title,
           word_similarity(gk_search_fold(${query}::text), gk_search_fold(r.title))::float8 AS similarity
    FROM records r
    WHERE r.status = 'published'
      AND gk_search_fold(r.title) %> gk_search_fold(${query}::text)
      ${agencyId ? sql`AND r.agency_id = ${agencyId}::uuid` : sql``}
    ORDER BY similarity DESC, r.title
    LIMIT ${limit}`.execute(db);
  return rows;
}
