/**
 * @module The facets of a search (counts per agency, year, validity and genre) as SQL over a set of matches and
 * back: one GROUPING SETS query, its rows mapped to FacetCounts, and scaled when a sample stands for all matches.
 */
import { type RawBuilder, sql } from "kysely";
import type { FacetCounts, FacetRow } from "./record-search-stats.ts";

/**
 * Facet rows (GROUPING SETS) over the capped matches `m` (agency_id, published_date, validity, genre) as JSON. The
 * year by date_part (float8), not extract (numeric since PostgreSQL 14): 5,969 matches, 3.2 → 2.6 ms.
 */
export function facetJson(m: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`(SELECT coalesce(json_agg(fr), '[]') FROM (
      SELECT GROUPING(agency_id, year, validity, genre)::int AS g, agency_id, year, validity, genre, count(*)::int AS n
      FROM (SELECT agency_id, date_part('year', published_date)::int AS year,
                   coalesce(validity, '未标注') AS validity, genre FROM ${m}) y
      GROUP BY GROUPING SETS ((agency_id), (year), (validity), (genre))) fr)`;
}

export function facetCounts(rows: readonly FacetRow[]): FacetCounts {
  return {
    agencies: rows
      .filter((r) => r.g === 7 && r.agency_id)
      .map((r) => ({ id: r.agency_id as string, n: r.n })),
    years: rows.filter((r) => r.g === 11 && r.year !== null).map((r) => ({ year: r.year as number, n: r.n })),
    validity: rows
      .filter((r) => r.g === 13 && r.validity)
      .map((r) => ({ value: r.validity as string, n: r.n })),
    genres: rows.filter((r) => r.g === 14 && r.genre).map((r) => ({ value: r.genre as string, n: r.n })),
    exact: true,
  };
}

/** Facets of a sample scaled by `factor` (the matches it stands for ÷ its size), marked as estimates. */
export function scaledFacets(c: FacetCounts, factor: number): FacetCounts {
  const scale = <T extends { n: number }>(list: T[]) =>
    list.map((x) => ({ ...x, n: Math.round(x.n * factor) })).filter((x) => x.n > 0);
  return {
    agencies: scale(c.agencies),
    years: scale(c.years),
    validity: scale(c.validity),
    genres: scale(c.genres),
    exact: false,
  };
}
