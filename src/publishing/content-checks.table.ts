/**
 * @module Row types of 强制检测 (migration 2026-12-04T0610-content-checks): each agency's sensitive words and its
 * leaders' terms of office (checked before sign-off, content-checks.rules.ts), and the runs of the same checks over
 * its published records (content-check-run.service.ts) with their findings.
 */
import type { ColumnType, Generated, JSONColumnType, Selectable } from "kysely";

export interface SensitiveWordTable {
  agency_id: string;
  id: Generated<string>;
  word: string;
  /** block = 禁用 (stops sign-off) | warn = 慎用 (shown, does not stop). */
  severity: "block" | "warn";
  note: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface AgencyLeaderTable {
  agency_id: string;
  id: Generated<string>;
  name: string;
  title: string;
  /** First and last day of the term (inclusive); null = open. */
  valid_from: string | null;
  valid_to: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

/** One finding of a run over published records (never the value of personal data: its masked form). */
export interface CheckRunFinding {
  recordId: string;
  title: string;
  indexNo: string | null;
  /** personal_data | sensitive_word | leader_title */
  kind: string;
  severity: "block" | "warn";
  place: string;
  message: string;
}

export interface ContentCheckRunTable {
  agency_id: string;
  id: Generated<string>;
  /** queued | running | done | failed */
  status: string;
  started_by: string | null;
  started_by_name: string;
  started_at: ColumnType<Date, Date | undefined, never>;
  finished_at: Date | null;
  records_checked: ColumnType<number, number | undefined, number>;
  findings: JSONColumnType<CheckRunFinding[], string | undefined, string>;
  error: string | null;
}

export type SensitiveWordRow = Selectable<SensitiveWordTable>;
export type AgencyLeaderRow = Selectable<AgencyLeaderTable>;
export type ContentCheckRunRow = Selectable<ContentCheckRunTable>;
