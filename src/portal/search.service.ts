/**
 * @module Portal search use case: raw query parameters in, a page of highlighted results out. Never throws on user
 * input: any query string (length, metacharacters, emoji, control characters) and any odd filter value is
 * cleaned or ignored.
 */

import { sql } from "kysely";
import { type Agency, getAgenciesByIds, getAgencyBySlug } from "../agencies/agency.service.ts";
import type { Db } from "../db/database.ts";
import { AppError } from "../errors.ts";
import {
  COUNT_CAP,
  type FacetCounts,
  type SearchStatsCache,
  searchFacetCounts,
  searchPublishedRecords,
  searchStats,
  searchTerms,
} from "../publishing/record-search.read.ts";
import {
  findPublishedByIndexOrDocNumber,
  SUGGESTION_BOUND_ROWS,
  SUGGESTION_TIMEOUT_MS,
  similarPublishedTitles,
} from "../publishing/record-search-lookup.read.ts";
import { raw, type SafeHtml } from "../shared/html.ts";
import { toSimplified } from "../shared/simplified.ts";
import { flattenItems, itemTrail } from "./portal.model.ts";
import { publishedCatalogTree } from "./portal.service.ts";
import {
  cleanQuery,
  exclusionCoversQuery,
  highlightAll,
  highlightSnippet,
  MAX_QUERY_CHARS,
  queryText,
  simplifiedSplit,
  splitQuery,
} from "./search.rules.ts";
import { expandQuery, type SynonymDictionary } from "./search-synonyms.rules.ts";
import { searchDictionary } from "./search-synonyms.service.ts";

export const PAGE_SIZE = 10;
/** Filter value for an agency slug that does not exist: matches nothing. */
const NO_AGENCY = "00000000-0000-0000-0000-000000000000";
export const VALIDITY_VALUES = ["有效", "失效", "废止", "未标注"] as const;

export interface SearchParams {
  q: string;
  /** The raw query was longer than MAX_QUERY_CHARS and was cut. */
  truncated: boolean;
  agency: string;
  item: string;
  year: number | undefined;
  validity: string;
  genre: string;
  sort: "relevance" | "date";
  page: number;
  /** Only the query as typed: no synonym expansion and no traditional → simplified conversion (exact=1). */
  exact: boolean;
}

function one(value: unknown): string {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === "string" ? v : "";
}

/** Parses query-string parameters; unknown or malformed values fall back to "no filter". */
export function parseSearchParams(query: Record<string, unknown>): SearchParams {
  const rawQ = one(query.q);
  const q = cleanQuery(rawQ);
  const year = /^\d{4}$/.test(one(query.year)) ? Number(one(query.year)) : undefined;
  const validity = one(query.validity);
  const page = /^\d{1,4}$/.test(one(query.page)) ? Math.max(1, Number(one(query.page))) : 1;
  const slug = one(query.agency);
  return {
    q,
    truncated: Array.from(rawQ.trim()).length > MAX_QUERY_CHARS,
    agency: /^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) && slug.length <= 100 ? slug : "",
    item: cleanQuery(one(query.item)).slice(0, 200),
    year: year && year >= 1990 && year <= 2999 ? year : undefined,
    validity: (VALIDITY_VALUES as readonly string[]).includes(validity) ? validity : "",
    genre: cleanQuery(one(query.genre)).slice(0, 100),
    sort: one(query.sort) === "date" ? "date" : "relevance",
    page,
    exact: one(query.exact) === "1",
  };
}

export interface SearchHit {
  agency: { slug: string; name: string };
  id: string;
  kind: string;
  title: SafeHtml;
  plainTitle: string;
  indexNo: string | null;
  docNumber: SafeHtml;
  plainDocNumber: string;
  publishedDate: string | null;
  validity: string | null;
  genre: string;
  snippet: SafeHtml;
}

export interface Facets {
  agencies: { id: string; slug: string; name: string; n: number }[];
  years: { year: number; n: number }[];
  validity: { value: string; n: number }[];
  genres: { value: string; n: number }[];
  /** False: estimated counts (more matches than the count cap), shown as 约 N. */
  exact: boolean;
}

export interface SearchResult {
  params: SearchParams;
  /** True when a search ran (a query or a filter was given). */
  searched: boolean;
  hits: SearchHit[];
  /** Exact when totalExact, else an estimate above the count cap (「约 N 条」). */
  total: number;
  totalExact: boolean;
  page: number;
  totalPages: number;
  facets: Facets | null;
  /** Similar published titles when nothing matched (pg_trgm, queries of ≥ 3 characters). */
  suggestions: string[];
  /** The synonyms and abbreviations searched besides the query (search-synonyms.rules.ts), folded. */
  expansions: string[];
  /** The query as searched when it held traditional characters: in simplified form (undefined otherwise). */
  simplified: string | undefined;
  /** The excluded words applied (`-医疗`), as searched. */
  excluded: string[];
  /** Excluded words beyond MAX_EXCLUDED_WORDS, not applied. */
  ignoredExclusions: string[];
  /**
   * Why no search ran or nothing could match: the query only excludes words (`-医疗`), or an excluded word is part of
   * every form of a word searched for (社保 -社; `coveredBy` names it).
   */
  notice?: "exclusion_only" | "excluded_all" | undefined;
  coveredBy?: string | undefined;
}

export interface SearchOptions {
  /** Today (Asia/Shanghai) for the recency part of the ranking. */
  today?: string | undefined;
  /** The dictionary to expand with (default: shipped + the agency's own groups). */
  dictionary?: SynonymDictionary | undefined;
  /** statement_timeout of the search's queries (default SEARCH_STATEMENT_TIMEOUT_MS). */
  timeoutMs?: number | undefined;
  /** Counts are exact up to this many matches (default COUNT_CAP; tests inject a small cap). */
  countCap?: number | undefined;
  /**
   * The process's kept statistics of records (deps.searchStatsCache); without it every search reads them (one
   * catalog query).
   */
  statsCache?: SearchStatsCache | undefined;
}

/**
 * The page-cache key of a search page: the path and the parsed, normalised parameters only (unknown parameters
 * and malformed values never make a new key).
 */
export function searchCacheKey(path: string, p: SearchParams): string {
  return `${path}?${new URLSearchParams({
    q: p.q,
    agency: p.agency,
    item: p.item,
    year: p.year ? String(p.year) : "",
    validity: p.validity,
    genre: p.genre,
    sort: p.sort,
    page: String(p.page),
    exact: p.exact ? "1" : "",
  }).toString()}`;
}

/**
 * The record a query names exactly by its 索引号 or 文号 (only for a plain query: no filter, first page), so the
 * search can open it directly. undefined otherwise.
 */
export async function exactRecordTarget(
  db: Db,
  params: SearchParams,
  scope?: Agency,
): Promise<{ slug: string; id: string } | undefined> {
  if (!params.q || params.page > 1 || params.year || params.validity || params.genre || params.item)
    return undefined;
  // One word, in quotation marks or not: "人社发〔2024〕5号" opens the record too.
  const { words, excluded } = splitQuery(params.q);
  // A query that excludes words is a search, not a look-up.
  if (excluded.length > 0) return undefined;
  const q = (words.length === 1 && words[0]?.text) || params.q;
  if (Array.from(q).length < 4 || Array.from(q).length > 100) return undefined;
  // Typed in traditional characters (人社發〔2024〕5號): the simplified form when the typed one names nothing.
  const simplified = params.exact ? q : toSimplified(q);
  let rows = await findPublishedByIndexOrDocNumber(db, q, scope?.id);
  if (rows.length === 0 && simplified !== q)
    rows = await findPublishedByIndexOrDocNumber(db, simplified, scope?.id);
  // A 文号 shared by a document and its 解读 picks the document.
  const documents = rows.filter((r) => r.kind === "document");
  const hit = rows.length === 1 ? rows[0] : documents.length === 1 ? documents[0] : undefined;
  if (!hit) return undefined;
  const [agency] = await getAgenciesByIds(db, [hit.agency_id]);
  return agency ? { slug: agency.slug, id: hit.id } : undefined;
}

/** The stable keys of an item and all its sub-items in the published catalog (just the key if unknown). */
async function itemWithDescendants(db: Db, agencyId: string, key: string): Promise<string[]> {
  const catalog = await publishedCatalogTree({ db }, agencyId);
  const item = catalog ? itemTrail(catalog.items, key)?.at(-1) : undefined;
  return item ? flattenItems([item]).map((i) => i.stableKey) : [key];
}

/**
 * work_mem of a search's transaction. With PostgreSQL's default (4 MB) the bitmap of a code held by ~67,000 of
 * 1,000,000 records (a year: 2019年) went lossy, and every record of a lossy page had its codes re-read from TOAST
 * to recheck them (14,000 extra buffers, 171 ms for the capped count). 16 MB keeps bitmaps of ~300,000 pages exact;
 * the search pool's few connections (4 a process) bound the total.
 */
export const SEARCH_WORK_MEM = "16MB";

/** Longest a public search query may run before PostgreSQL cancels it (search_timeout). */
export const SEARCH_STATEMENT_TIMEOUT_MS = 5000;

/**
 * Runs a search. `scope` limits it to one agency (the agency's own search page). All its queries run in one
 * read transaction with `statement_timeout`, so no search can hold a connection longer than that, and without
 * parallel workers: a search's plans are short index walks, for which starting workers cost more (~10 ms, EXPLAIN
 * of the signature walk at 200,000 records) than they save, and 16 concurrent searches must not take 48 processes.
 */
export async function runSearch(
  db: Db,
  params: SearchParams,
  scope?: Agency,
  options: SearchOptions = {},
): Promise<SearchResult> {
  try {
    return await db.transaction().execute(async (trx) => {
      await sql`SELECT set_config('statement_timeout', ${String(options.timeoutMs ?? SEARCH_STATEMENT_TIMEOUT_MS)}, true),
          set_config('max_parallel_workers_per_gather', '0', true),
          set_config('work_mem', ${SEARCH_WORK_MEM}, true)`.execute(trx);
      return searchIn(trx, params, scope, options, db);
    });
  } catch (e) {
    // 57014 query_canceled: the statement_timeout fired.
    if ((e as { code?: unknown }).code === "57014") throw new AppError("search_timeout");
    throw e;
  }
}

async function searchIn(
  db: Db,
  params: SearchParams,
  scope: Agency | undefined,
  options: SearchOptions,
  outerDb: Db,
): Promise<SearchResult> {
  const agencyId = scope?.id;
  const filterAgency = scope
    ? agencyId
    : params.agency
      ? await getAgencyBySlug(db, params.agency).then(
          (a) => a.id,
          () => NO_AGENCY,
        )
      : undefined;
  const split = splitQuery(params.q);
  // Traditional characters searched in simplified form (exact=1: as typed).
  const simplified = params.exact ? undefined : simplifiedSplit(split);
  const used = simplified ?? split;
  const searched = Boolean(
    params.q || params.year || params.validity || params.genre || params.item || params.agency,
  );
  const none = {
    params,
    hits: [],
    total: 0,
    totalExact: true,
    page: 1,
    totalPages: 0,
    facets: null,
    suggestions: [],
    expansions: [],
    simplified: simplified && queryText(simplified),
    excluded: used.excluded,
    ignoredExclusions: used.ignored,
  };
  if (!searched) return { ...none, searched };
  // Only excluded words: nothing to look for (a search of everything but them would read the whole table).
  if (used.words.length === 0 && used.excluded.length > 0)
    return { ...none, searched: false, notice: "exclusion_only" };
  const dictionary =
    params.exact || !params.q
      ? undefined
      : (options.dictionary ??
        (await searchDictionary(db, filterAgency === NO_AGENCY ? undefined : filterAgency)));
  // Several words (separated by spaces) must all occur, each with its own synonyms and abbreviations.
  const words = used.words;
  // A word in quotation marks is searched as typed, without its synonyms.
  const groups = words.map((w) =>
    searchTerms(w.text, dictionary && !w.quoted ? expandQuery(w.text, dictionary) : []),
  );
  // A group is its word first, then the word's expansions.
  const expansions = [...new Set(groups.flatMap((g) => g.slice(1)))];
  const terms = words.length > 1 ? [...new Set(groups.flat())] : (groups[0] ?? []);
  // Excluded words as typed (no synonyms), folded.
  const exclude = [...new Set(used.excluded.flatMap((e) => searchTerms(e)))];
  const coveredBy = exclusionCoversQuery(groups, exclude);
  if (coveredBy !== undefined) return { ...none, searched, expansions, notice: "excluded_all", coveredBy };
  const filter = {
    terms,
    exclude: exclude.length ? exclude : undefined,
    groups: words.length > 1 ? groups : undefined,
    today: options.today,
    agencyId: filterAgency,
    itemStableKeys: scope && params.item ? await itemWithDescendants(db, scope.id, params.item) : undefined,
    year: params.year,
    validity: params.validity || undefined,
    genre: params.genre || undefined,
  };
  const cap = options.countCap ?? COUNT_CAP;
  const stats = await searchStats(
    db,
    terms,
    options.statsCache ? { stats: options.statsCache, key: outerDb } : undefined,
  );
  // The facets count the query within the agency scope only; with no other filter they are the page's matches.
  const sameMatches =
    !params.year && !params.validity && !params.genre && !params.item && (scope || !params.agency);
  const result = await searchPublishedRecords(
    db,
    filter,
    {
      sort: params.sort,
      limit: PAGE_SIZE,
      offset: (params.page - 1) * PAGE_SIZE,
      cap,
      withFacets: Boolean(sameMatches),
      timeoutMs: options.timeoutMs ?? SEARCH_STATEMENT_TIMEOUT_MS,
    },
    stats,
  );
  const { rows, total, exact } = result;
  const counts =
    result.facets ??
    (await searchFacetCounts(db, { ...filter, agencyId: scope ? agencyId : undefined }, cap, stats));
  const agencies = await getAgenciesByIds(db, [
    ...counts.agencies.map((a) => a.id),
    ...rows.map((r) => r.agency_id),
  ]);
  const byId = new Map(agencies.map((a) => [a.id, a]));
  const facets = namedFacets(counts, byId);
  // Similar titles only when the words match nothing at all: when only the filters exclude the matches, the facets
  // already show where they are (and ranking similar titles cost up to ~50 ms at 1,000,000 records). In a large
  // table they are given up past SUGGESTION_TIMEOUT_MS (a query of common words: most titles share its trigrams).
  // Not with excluded words: similar titles would hold them.
  const matchesElsewhere = counts.years.some((y) => y.n > 0) || counts.agencies.some((a) => a.n > 0);
  const typed = words.map((w) => w.text).join(" ");
  const suggestions =
    total === 0 && !matchesElsewhere && exclude.length === 0 && Array.from(typed).length >= 3
      ? (
          await similarPublishedTitles(
            db,
            typed,
            agencyId,
            undefined,
            stats.rows > SUGGESTION_BOUND_ROWS ? SUGGESTION_TIMEOUT_MS : undefined,
          )
        ).map((s) => s.title)
      : [];
  const hits: SearchHit[] = rows.map((r) => {
    const snippetSource = r.summary && !r.snippet.trim() ? r.summary : r.snippet;
    const body = highlightSnippet(snippetSource, terms, 120);
    const agency = byId.get(r.agency_id);
    return {
      agency: { slug: agency?.slug ?? "", name: agency?.name ?? "" },
      id: r.id,
      kind: r.kind,
      title: highlightAll(r.title, terms),
      plainTitle: r.title,
      indexNo: r.index_no,
      docNumber: highlightAll(r.doc_number, terms),
      plainDocNumber: r.doc_number,
      publishedDate: r.published_date,
      validity: r.validity,
      genre: r.genre,
      snippet: withEllipses(
        body,
        r.snippet_cut_before && snippetSource === r.snippet,
        r.snippet_cut_after && snippetSource === r.snippet,
      ),
    };
  });
  return {
    params,
    searched,
    hits,
    total,
    totalExact: exact,
    page: params.page,
    totalPages: Math.ceil(total / PAGE_SIZE),
    facets,
    suggestions,
    expansions,
    simplified: none.simplified,
    excluded: used.excluded,
    ignoredExclusions: used.ignored,
  };
}

/**
 * One agency's published records matching a phrase, best first (synonyms expanded, like its search page): the
 * record search other features get through `deps.recordSearch` (requests' 可能的答复), wired in createDeps.
 */
export async function searchAgencyRecords(
  db: Db,
  agency: Agency,
  phrase: string,
): Promise<{ id: string; title: string; docNumber: string; publishedDate: string | null }[]> {
  const result = await runSearch(db, parseSearchParams({ q: phrase }), agency);
  return result.hits.map((h) => ({
    id: h.id,
    title: h.plainTitle,
    docNumber: h.plainDocNumber,
    publishedDate: h.publishedDate,
  }));
}

function withEllipses(snippet: SafeHtml, before: boolean, after: boolean): SafeHtml {
  let v = snippet.value;
  if (before && !v.startsWith("…")) v = `…${v}`;
  if (after && !v.endsWith("…")) v = `${v}…`;
  return raw(v);
}

function namedFacets(counts: FacetCounts, byId: Map<string, Agency>): Facets {
  return {
    agencies: counts.agencies
      .flatMap((a) => {
        const agency = byId.get(a.id);
        return agency ? [{ id: a.id, slug: agency.slug, name: agency.name, n: a.n }] : [];
      })
      .sort((a, b) => b.n - a.n || a.name.localeCompare(b.name, "zh")),
    years: [...counts.years].sort((a, b) => b.year - a.year),
    validity: counts.validity,
    // Equal counts in a fixed order (the database returns groups in any order: a restored copy differs).
    genres: [...counts.genres].sort(
      (a, b) => b.n - a.n || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0),
    ),
    exact: counts.exact,
  };
}
