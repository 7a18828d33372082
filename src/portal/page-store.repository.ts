/**
 * @module SQL of the shared page store (tables page_cache and page_cache_scopes, migration
 * 2026-12-04T1100-page-store). Always on the primary: the page table is UNLOGGED, which a replica cannot read.
 */
import { sql } from "kysely";
import { executePrepared } from "../db/connection.ts";
import type { Db } from "../db/database.ts";
import { PAGES_CHANNEL } from "../http/page-cache.ts";

export interface StoredPageRow {
  scope: string;
  generation: number;
  content_type: string;
  headers: Record<string, string> | null;
  body: Buffer;
  gzip: Buffer | null;
  br: Buffer | null;
  etag: string;
  expires_at: Date;
}

/**
 * In one round trip: the generation counter now (what a render starting now stores) and the stored page of the
 * key if it is still valid (not expired, rendered at or after the last change of its scope and of "*").
 */
export async function loadPage(
  db: Db,
  key: string,
  now: Date,
): Promise<{ generation: number; page: StoredPageRow | undefined }> {
  // Prepared: it runs at every miss (db/connection.ts).
  const rows = await executePrepared(
    db,
    sql<StoredPageRow & { current: number | string }>`
    SELECT (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM page_cache_generation) AS current,
           p.scope, p.generation, p.content_type, p.headers, p.body, p.gzip, p.br, p.etag, p.expires_at
    FROM (SELECT 1) AS one
    LEFT JOIN page_cache p
      ON p.key = ${key}
     AND p.expires_at > ${now}
     AND p.generation >= COALESCE(
           (SELECT max(s.generation) FROM page_cache_scopes s WHERE s.scope IN (p.scope, '*')), 0)`,
  );
  const row = rows[0];
  const generation = Number(row?.current ?? 0);
  if (!row || row.body === null) return { generation, page: undefined };
  return { generation, page: { ...row, generation: Number(row.generation) } };
}

export interface PageToStore {
  key: string;
  scope: string;
  generation: number;
  contentType: string;
  headers: Record<string, string> | undefined;
  body: Buffer;
  gzip: Buffer | undefined;
  br: Buffer | undefined;
  etag: string;
  expiresAt: Date;
}

/** Stores a page unless a page of the key rendered later is already there. */
export async function savePage(db: Db, page: PageToStore): Promise<void> {
  const bytes = page.body.length + (page.gzip?.length ?? 0) + (page.br?.length ?? 0);
  await db
    .insertInto("page_cache")
    .values({
      key: page.key,
      scope: page.scope,
      generation: page.generation,
      content_type: page.contentType,
      headers: page.headers ? JSON.stringify(page.headers) : null,
      body: page.body,
      gzip: page.gzip ?? null,
      br: page.br ?? null,
      etag: page.etag,
      bytes,
      expires_at: page.expiresAt,
    })
    .onConflict((oc) =>
      oc
        .column("key")
        .doUpdateSet((eb) => ({
          scope: eb.ref("excluded.scope"),
          generation: eb.ref("excluded.generation"),
          content_type: eb.ref("excluded.content_type"),
          headers: eb.ref("excluded.headers"),
          body: eb.ref("excluded.body"),
          gzip: eb.ref("excluded.gzip"),
          br: eb.ref("excluded.br"),
          etag: eb.ref("excluded.etag"),
          bytes: eb.ref("excluded.bytes"),
          rendered_at: sql`now()`,
          expires_at: eb.ref("excluded.expires_at"),
        }))
        .where("page_cache.generation", "<=", (eb) => eb.ref("excluded.generation")),
    )
    .execute();
}

/** Has the scope (or "*") been marked changed after `generation` was read? */
export async function scopeChangedSince(db: Db, scope: string, generation: number): Promise<boolean> {
  const { rows } = await sql<{ changed: boolean }>`
    SELECT COALESCE(max(generation), 0) > ${generation} AS changed
    FROM page_cache_scopes WHERE scope IN (${scope}, '*')`.execute(db);
  return rows[0]?.changed === true;
}

/**
 * Marks the scopes changed (a new generation, after the change committed) and tells every process, in one
 * statement: the notification is delivered at commit, when the new generation is visible.
 */
export async function bumpScopes(db: Db, scopes: readonly string[], message: string): Promise<void> {
  await sql`
    WITH g AS (SELECT nextval('page_cache_generation') AS v),
    bumped AS (
      INSERT INTO page_cache_scopes (scope, generation)
      SELECT s, g.v FROM unnest(${scopes}::text[]) AS s, g
      ON CONFLICT (scope) DO UPDATE SET generation = EXCLUDED.generation
      RETURNING 1
    )
    SELECT pg_notify(${PAGES_CHANNEL}, ${message}), (SELECT count(*) FROM bumped)`.execute(db);
}

/**
 * Deletes expired and stale pages, then the oldest beyond `maxBytes` in all; returns how many went.
 */
export async function prunePages(db: Db, options: { now: Date; maxBytes: number }): Promise<number> {
  const stale = await sql`
    DELETE FROM page_cache p
    WHERE p.expires_at <= ${options.now}
       OR p.generation < COALESCE(
            (SELECT max(s.generation) FROM page_cache_scopes s WHERE s.scope IN (p.scope, '*')), 0)`.execute(
    db,
  );
  const over = await sql`
    DELETE FROM page_cache
    WHERE key IN (
      SELECT key FROM (
        SELECT key, sum(bytes) OVER (ORDER BY rendered_at DESC, key) AS running FROM page_cache
      ) AS r
      WHERE r.running > ${options.maxBytes})`.execute(db);
  return Number(stale.numAffectedRows ?? 0n) + Number(over.numAffectedRows ?? 0n);
}
