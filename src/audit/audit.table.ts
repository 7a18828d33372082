import type { ColumnType, Selectable } from "kysely";

/**
 * 审计日志: append-only and hash-chained. `hash = HMAC-SHA-256(key, canonical(row without hash))` (rows written
 * before the keyed chain: plain SHA-256, `hash_alg` 'sha256'), where the canonical form includes `prev_hash`, so
 * editing or deleting a row breaks the chain at that row (checked by `gongkai audit verify`).
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
  /** 'hmac-sha256' (keyed, current) or 'sha256' (unkeyed rows from before the keyed chain). */
  hash_alg: "sha256" | "hmac-sha256";
}

export type AuditEventRow = Selectable<AuditEventTable>;

/** The chain head: newest seq and hash, updated with every append; `head_mac` authenticates it with the key. */
export interface AuditChainHeadTable {
  id: ColumnType<boolean, boolean | undefined, never>;
  last_seq: number;
  last_hash: string;
  head_mac: string | null;
  updated_at: Date;
}
