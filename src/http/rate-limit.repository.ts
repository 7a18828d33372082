/**
 * @module SQL of the shared rate-limit counters (`rate_limits`, UNLOGGED). One atomic upsert per counted request:
 * PostgreSQL serialises concurrent upserts of one key, so two processes never lose a hit. Windows are measured on
 * the database clock, which every process shares (a process clock could differ between machines).
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";

export interface RateLimitCount {
  /** Requests in the current window, this one included. */
  hits: number;
  /** Milliseconds until the window ends. */
  ttlMs: number;
}

/**
 * Counts one request for `key`: a new window of `windowMs` starts when there is none or the old one ended;
 * with `continueExceeding`, a request over `max` restarts the window (the client must pause for a whole window).
 */
export async function countHit(
  db: DbOrTx,
  key: string,
  windowMs: number,
  max: number,
  continueExceeding: boolean,
): Promise<RateLimitCount> {
  const window = sql`(${windowMs}::double precision * interval '1 millisecond')`;
  const { rows } = await sql<{ hits: number; ttl_ms: number }>`
    INSERT INTO rate_limits AS r (key, hits, expires_at) VALUES (${key}, 1, clock_timestamp() + ${window})
    ON CONFLICT (key) DO UPDATE SET
      hits = CASE WHEN r.expires_at <= clock_timestamp() THEN 1 ELSE r.hits + 1 END,
      expires_at = CASE
        WHEN r.expires_at <= clock_timestamp() THEN clock_timestamp() + ${window}
        WHEN ${continueExceeding}::boolean AND r.hits + 1 > ${max}::int THEN clock_timestamp() + ${window}
        ELSE r.expires_at END
    RETURNING hits, greatest(0, ceil(extract(epoch FROM r.expires_at - clock_timestamp()) * 1000))::float8 AS ttl_ms`.execute(
    db,
  );
  const row = rows[0] as { hits: number; ttl_ms: number };
  return { hits: row.hits, ttlMs: row.ttl_ms };
}

/** The current count for `key` without counting (0 when there is no live window). */
export async function readHits(db: DbOrTx, key: string): Promise<RateLimitCount> {
  const { rows } = await sql<{ hits: number; ttl_ms: number }>`
    SELECT hits, greatest(0, ceil(extract(epoch FROM expires_at - clock_timestamp()) * 1000))::float8 AS ttl_ms
    FROM rate_limits WHERE key = ${key} AND expires_at > clock_timestamp()`.execute(db);
  const row = rows[0];
  return row ? { hits: row.hits, ttlMs: row.ttl_ms } : { hits: 0, ttlMs: 0 };
}

/** Deletes counters whose window ended (the hourly sweep job); returns how many went. */
export async function deleteExpiredRateLimits(db: DbOrTx): Promise<number> {
  const result = await db
    .deleteFrom("rate_limits")
    .where("expires_at", "<=", sql<Date>`clock_timestamp()`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
