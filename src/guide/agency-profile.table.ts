/**
 * @module Row type of agency_profiles (migration 2026-11-23T1710-create-portal): the data of an agency's
 * 政府信息公开指南 (条例第12条).
 */
import type { ColumnType, Selectable } from "kysely";

export interface AgencyProfileTable {
  agency_id: string;
  office_name: ColumnType<string, string | undefined, string>;
  office_address: ColumnType<string, string | undefined, string>;
  postal_code: ColumnType<string, string | undefined, string>;
  office_hours: ColumnType<string, string | undefined, string>;
  phone: ColumnType<string, string | undefined, string>;
  fax: ColumnType<string, string | undefined, string>;
  email: ColumnType<string, string | undefined, string>;
  website: ColumnType<string, string | undefined, string>;
  reading_room: ColumnType<string, string | undefined, string>;
  /** in_person | post | online | fax | email */
  channels: ColumnType<string[], string[] | undefined, string[]>;
  intro: ColumnType<string, string | undefined, string>;
  obtain_note: ColumnType<string, string | undefined, string>;
  apply_note: ColumnType<string, string | undefined, string>;
  fees_note: ColumnType<string, string | undefined, string>;
  review_body: ColumnType<string, string | undefined, string>;
  /** The court for 行政诉讼 named in notices (migration 2026-12-03T1830-notice-contact-from-guide). */
  court: ColumnType<string, string | undefined, string>;
  supervisor_body: ColumnType<string, string | undefined, string>;
  remedies_note: ColumnType<string, string | undefined, string>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  updated_by: string | null;
}

export type AgencyProfileRow = Selectable<AgencyProfileTable>;
