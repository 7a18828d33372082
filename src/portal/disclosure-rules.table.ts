/**
 * @module Row type of disclosure_rules (migration 2026-12-04T0620-disclosure-rules): an agency's 公开制度 documents.
 */
import type { ColumnType, Generated, Selectable } from "kysely";

export interface DisclosureRuleTable {
  agency_id: string;
  id: Generated<string>;
  title: string;
  /** 文号, empty when none. */
  doc_number: string;
  issued_on: string | null;
  /** Plain text; paragraphs separated by line breaks. */
  body: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export type DisclosureRuleRow = Selectable<DisclosureRuleTable>;
