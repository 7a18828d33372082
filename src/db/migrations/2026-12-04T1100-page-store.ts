import { type Kysely, sql } from "kysely";

/**
 * The shared level of the public page cache (src/portal/page-store.repository.ts): pre-rendered pages with their
 * gzip and brotli versions, read by every app process and kept across restarts. UNLOGGED: a cache — not written
 * to the WAL, emptied after a crash, not replicated. Validity: a page carries the value of the sequence
 * page_cache_generation read before its render; a change of its scope (its agency, the platform, or "*") takes a
 * new value of that sequence after the change committed, so a page rendered before the change is never served.
 * Both tables are UNLOGGED (emptied together after a crash, never in backups: a restored database starts with
 * an empty cache and no scope generations, consistent with a fresh sequence).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE SEQUENCE page_cache_generation`.execute(db);
  await sql`
    CREATE UNLOGGED TABLE page_cache_scopes (
      scope text PRIMARY KEY,
      generation bigint NOT NULL
    )`.execute(db);
  await sql`
    CREATE UNLOGGED TABLE page_cache (
      key text PRIMARY KEY,
      scope text NOT NULL,
      generation bigint NOT NULL,
      content_type text NOT NULL,
      headers jsonb,
      body bytea NOT NULL,
      gzip bytea,
      br bytea,
      etag text NOT NULL,
      bytes integer NOT NULL CHECK (bytes >= 0),
      rendered_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    )`.execute(db);
  // Already compressed: TOAST must not try again.
  await sql`ALTER TABLE page_cache ALTER COLUMN gzip SET STORAGE EXTERNAL, ALTER COLUMN br SET STORAGE EXTERNAL`.execute(
    db,
  );
  await sql`CREATE INDEX page_cache_rendered ON page_cache (rendered_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE page_cache`.execute(db);
  await sql`DROP TABLE page_cache_scopes`.execute(db);
  await sql`DROP SEQUENCE page_cache_generation`.execute(db);
}
