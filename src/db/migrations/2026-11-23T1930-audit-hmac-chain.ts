import { type Kysely, sql } from "kysely";

/**
 * Keyed audit chain (审计日志防篡改, second step).
 *
 * `audit_events.hash_alg`: how the row's `hash` was computed. Rows written before this migration keep 'sha256'
 * (unkeyed); new rows are written with 'hmac-sha256' under a key that lives in the configuration, never in the
 * database. The column has no default, so every insert states its algorithm.
 *
 * `audit_chain_head`: one row holding the newest seq and hash, updated in the same transaction as every append and
 * authenticated with its own HMAC (`head_mac`), so deleting the newest rows is detected by `gongkai audit verify`.
 * For an existing chain the head is filled from its newest row with no MAC (the next keyed append adds one).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE audit_events ADD COLUMN hash_alg text NOT NULL DEFAULT 'sha256'
    CHECK (hash_alg IN ('sha256', 'hmac-sha256'))`.execute(db);
  await sql`ALTER TABLE audit_events ALTER COLUMN hash_alg DROP DEFAULT`.execute(db);

  await sql`CREATE TABLE audit_chain_head (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    last_seq bigint NOT NULL,
    last_hash text NOT NULL,
    head_mac text,
    updated_at timestamptz NOT NULL
  )`.execute(db);
  await sql`INSERT INTO audit_chain_head (id, last_seq, last_hash, head_mac, updated_at)
    SELECT true, seq, hash, NULL, now() FROM audit_events ORDER BY seq DESC LIMIT 1`.execute(db);
  // The head is only ever updated: deleting it or emptying the table is refused like for audit_events.
  await sql`CREATE FUNCTION audit_chain_head_reject_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_chain_head cannot be deleted (审计日志链头不可删除)' USING ERRCODE = 'insufficient_privilege';
    END $$`.execute(db);
  await sql`CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head
    FOR EACH ROW EXECUTE FUNCTION audit_chain_head_reject_delete()`.execute(db);
  await sql`CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_head_reject_delete()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE audit_chain_head`.execute(db);
  await sql`DROP FUNCTION audit_chain_head_reject_delete()`.execute(db);
  await sql`ALTER TABLE audit_events DROP COLUMN hash_alg`.execute(db);
}
