/**
 * @module Row types of the applicant's online loop (migration 2026-12-03T2200-applicant-online): applicant
 * sessions, one-time links, the access log, files of an application and the notification outbox.
 */
import type { ColumnType, Generated, Selectable } from "kysely";

export interface ApplicantSessionTable {
  agency_id: string;
  id: Generated<string>;
  request_id: string;
  token_hash: string;
  via: "code" | "link";
  created_at: ColumnType<Date, Date | undefined, never>;
  last_seen_at: ColumnType<Date, Date | undefined, Date>;
  expires_at: Date;
}

export interface ApplicantLinkTable {
  agency_id: string;
  id: Generated<string>;
  request_id: string;
  token_hash: string;
  channel: "email" | "sms";
  created_at: ColumnType<Date, Date | undefined, never>;
  expires_at: Date;
  used_at: Date | null;
}

export type AccessKind =
  | "lookup"
  | "lookup_failed"
  | "link_sent"
  | "link_used"
  | "view"
  | "notice"
  | "file"
  | "correction"
  | "logout";

export interface AccessLogTable {
  agency_id: string;
  id: Generated<string>;
  request_id: string;
  at: ColumnType<Date, Date | undefined, never>;
  kind: AccessKind;
  target: string | null;
  ip: string | null;
}

export type FilePurpose = "correction" | "disclosure";

export interface RequestFileTable {
  agency_id: string;
  id: Generated<string>;
  request_id: string;
  purpose: FilePurpose;
  file_name: string;
  mime_type: string;
  size_bytes: number;
  sha256: string;
  uploaded_by: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export type Milestone = "received" | "correction" | "extended" | "replied";

export interface ApplicantMessageTable {
  agency_id: string;
  id: Generated<string>;
  request_id: string;
  milestone: Milestone;
  subject: string;
  body: string;
  send_after: Date;
  status: Generated<"queued" | "sent" | "failed" | "skipped">;
  channels: Generated<string[]>;
  attempts: Generated<number>;
  last_error: string | null;
  sent_at: Date | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export type ApplicantSessionRow = Selectable<ApplicantSessionTable>;
export type ApplicantLinkRow = Selectable<ApplicantLinkTable>;
export type AccessLogRow = Selectable<AccessLogTable>;
export type RequestFileRow = Selectable<RequestFileTable>;
export type ApplicantMessageRow = Selectable<ApplicantMessageTable>;
