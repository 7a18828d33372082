/**
 * @module Row type of `catalog_match_decisions` (migration 2026-12-03T2200-create-catalog-match-decisions): the
 * agency's 政务公开办 confirming or rejecting a 待确认 match of its catalog comparison with a reference
 * (`standard:<slug>` or `agency:<slug>`). Items are named by their path (names from the top item down, " / ").
 */
import type { Generated, Selectable } from "kysely";

export type MatchDecision = "confirmed" | "rejected";

export interface CatalogMatchDecisionTable {
  agency_id: string;
  reference: string;
  agency_item: string;
  reference_item: string;
  decision: MatchDecision;
  note: Generated<string>;
  decided_by: string | null;
  decided_by_name: Generated<string>;
  decided_at: Generated<Date>;
}

export type CatalogMatchDecisionRow = Selectable<CatalogMatchDecisionTable>;
