/**
 * @module Row type of `external_link_results` (migration 2026-12-03T2210-create-external-link-results): the nightly
 * check of an agency's external links, one row per URL, replaced at each run.
 */
import type { Generated, Selectable } from "kysely";
import type { DomainLapse } from "./link-lapse.rules.ts";

export interface ExternalLinkResultTable {
  agency_id: string;
  url: string;
  /** The registered domain of the link (its host for an IP address). */
  domain: string;
  /** Why the link fails (Chinese), null when it works. */
  reason: string | null;
  lapse: DomainLapse | null;
  checked_at: Generated<Date>;
}

export type ExternalLinkResultRow = Selectable<ExternalLinkResultTable>;
