import { type Kysely, sql } from "kysely";

/**
 * Sign-in throttling per (account, client address) with growing delays (issue #13): one address guessing one
 * account is slowed down, never the account itself. `login_failures` keeps counting an account's failures from
 * every address; it locks the account only under a much higher, distributed count.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE login_throttle (
      username text NOT NULL,
      client_ip text NOT NULL,
      failures integer NOT NULL CHECK (failures >= 0),
      last_failed_at timestamptz NOT NULL,
      blocked_until timestamptz,
      PRIMARY KEY (username, client_ip)
    )`.execute(db);
  await sql`CREATE INDEX login_throttle_last_failed ON login_throttle (last_failed_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE login_throttle`.execute(db);
}
