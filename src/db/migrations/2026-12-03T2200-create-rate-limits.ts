import { type Kysely, sql } from "kysely";

/**
 * Rate-limit counters shared by every app process on the database (src/http/rate-limit.repository.ts). UNLOGGED:
 * counters are transient — not written to the WAL, emptied after a crash, never in backups — and cheap to update.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE UNLOGGED TABLE rate_limits (
      key text PRIMARY KEY,
      hits integer NOT NULL CHECK (hits > 0),
      expires_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX rate_limits_expires ON rate_limits (expires_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE rate_limits`.execute(db);
}
