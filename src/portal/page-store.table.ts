/**
 * @module Row types of the shared page store (migration 2026-12-04T1100-page-store): pre-rendered public pages
 * (`page_cache`) and the generation of each cache scope (`page_cache_scopes`), both UNLOGGED. Used only by
 * src/portal/page-store.repository.ts.
 */
import type { ColumnType } from "kysely";

export interface PageCacheTable {
  /** SHA-256 (base64url) of the page cache key (route, parameters, display preferences). */
  key: string;
  /** The agency id whose data the page shows, or "platform" (pages over all agencies). */
  scope: string;
  /** The generation counter's value when the render started: stale once a scope of the page moved past it. */
  generation: ColumnType<number, number | bigint, number | bigint>;
  content_type: string;
  /** Extra response headers (e.g. a pagination Link header). */
  headers: ColumnType<Record<string, string> | null, string | null, string | null>;
  body: Buffer;
  gzip: Buffer | null;
  br: Buffer | null;
  etag: string;
  /** body + gzip + br. */
  bytes: number;
  rendered_at: ColumnType<Date, Date | string | undefined, Date | string>;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

export interface PageCacheScopeTable {
  /** An agency id, "platform" (pages over all agencies) or "*" (every page). */
  scope: string;
  /** The generation counter's value at the scope's last change: pages rendered before it are stale. */
  generation: ColumnType<number, number | bigint, number | bigint>;
}
