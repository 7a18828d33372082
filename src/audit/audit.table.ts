import type { ColumnType, Selectable } from "kysely";

/**
 * 审计日志: append-only and hash-chained. `hash = sha256(canonical(row without hash))`, where the canonical form
 * includes `prev_hash`, so editing or deleting a row breaks the chain at that row (checked by `gongkai audit verify`).
 * The column is `scope_agency_id`, not `agency_id`: the audit log is one platform-wide chain, not a tenant table.
 */
export interface AuditEventTable {
  seq: ColumnType<number, number, never>;
  occurred_at: Date;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  scope_agency_id: string | null;
  entity_type: string;
  entity_id: string | null;
  summary: string;
  /** JSON text (kept as text so the hashed bytes round-trip exactly). */
  before_json: string | null;
  after_json: string | null;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

export type AuditEventRow = Selectable<AuditEventTable>;
