/**
 * @module Row type of agency_search_synonyms (migration 2026-12-03T2200-records-search-columns): an agency's own
 * search synonym groups (each a list of terms meaning the same thing), added to the shipped dictionary.
 */
import type { ColumnType } from "kysely";

export interface AgencySearchSynonymsTable {
  agency_id: string;
  groups: ColumnType<string[][], string, string>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  updated_by: string | null;
}
