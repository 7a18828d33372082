/**
 * @module The shared level of the public page cache (`PageStore` of src/http/page-cache.ts), in PostgreSQL on the
 * primary (page-store.repository.ts): every app process (`serve --workers N`, several servers on one database)
 * reads the pages the others rendered, and they survive a restart.
 *
 * Scopes: a page belongs to its agency or to "platform" (pages over all agencies). A change of an agency marks its
 * scope and "platform" with a new generation; `invalidate()` of everything marks "*". A page is served only if it
 * was rendered (its generation read before the render) at or after the last change of its scope and of "*", and
 * before its expiry. The change and its NOTIFY (channel gongkai_pages) are one statement, so another process that
 * hears it already sees the new generation; the event bridge (src/cluster/event-bridge.ts) listens and drops the
 * scope's pages from its process's memory.
 *
 * Size: a page above `maxEntryBytes` (body + gzip + br) stays in memory only; every `pruneEvery` writes, expired
 * and stale pages go, then the oldest beyond `maxBytes`.
 */
import { createHash } from "node:crypto";
import type { Logger } from "pino";
import type { Db } from "../db/database.ts";
import type { Entry, PageStore, PagesMessage, StoredPage } from "../http/page-cache.ts";
import { bumpScopes, loadPage, prunePages, savePage, scopeChangedSince } from "./page-store.repository.ts";

export const PLATFORM_SCOPE = "platform";
export const ALL_SCOPE = "*";

export interface PageStoreOptions {
  now?: () => Date;
  /** Largest page kept in the shared level (body + compressed versions). */
  maxEntryBytes?: number;
  /** Budget of the whole shared level; the oldest pages beyond it are pruned. */
  maxBytes?: number;
  /** Prune after this many writes. */
  pruneEvery?: number;
}

export interface SharedPageStore extends PageStore {
  /** Runs the pruning now; returns how many pages went. */
  prune(): Promise<number>;
}

const hashKey = (key: string) => createHash("sha256").update(key).digest("base64url");

export function createPageStore(
  db: Db,
  logger: Pick<Logger, "warn">,
  options: PageStoreOptions = {},
): SharedPageStore {
  const now = options.now ?? (() => new Date());
  const maxEntryBytes = options.maxEntryBytes ?? 2 * 1024 * 1024;
  const maxBytes = options.maxBytes ?? 512 * 1024 * 1024;
  const pruneEvery = options.pruneEvery ?? 200;
  const pending = new Set<Promise<unknown>>();
  let writes = 0;

  const track = (work: Promise<unknown>) => {
    const p = work
      .catch((err) => logger.warn({ err }, "page store write failed"))
      .finally(() => pending.delete(p));
    pending.add(p);
  };

  const prune = () => prunePages(db, { now: now(), maxBytes });

  return {
    async load(key) {
      const { generation, page } = await loadPage(db, hashKey(key), now());
      if (!page) return { generation, page: undefined };
      const stored: StoredPage = {
        body: page.body,
        gzip: page.gzip ?? undefined,
        br: page.br ?? undefined,
        contentType: page.content_type,
        headers: page.headers ?? undefined,
        agencyId: page.scope === PLATFORM_SCOPE ? null : page.scope,
        etag: page.etag,
        expiresAt: page.expires_at.getTime(),
      };
      return { generation, page: stored };
    },

    save(key: string, generation: number, entry: Entry) {
      const bytes = entry.body.length + (entry.gzip?.length ?? 0) + (entry.br?.length ?? 0);
      if (bytes > maxEntryBytes) return;
      track(
        savePage(db, {
          key: hashKey(key),
          scope: entry.agencyId ?? PLATFORM_SCOPE,
          generation,
          contentType: entry.contentType,
          headers: entry.headers,
          body: entry.body,
          gzip: entry.gzip,
          br: entry.br,
          etag: entry.etag,
          expiresAt: new Date(entry.expiresAt),
        }),
      );
      if (++writes % pruneEvery === 0) track(prune());
    },

    async invalidate(agencyId, origin) {
      const scopes = agencyId ? [agencyId, PLATFORM_SCOPE] : [ALL_SCOPE];
      const message: PagesMessage = { origin, agencyId: agencyId ?? null };
      try {
        await bumpScopes(db, scopes, JSON.stringify(message));
      } catch (err) {
        logger.warn({ err, agencyId }, "page store invalidation failed");
        throw err;
      }
    },

    changedSince(agencyId, generation) {
      return scopeChangedSince(db, agencyId ?? PLATFORM_SCOPE, generation);
    },

    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },

    prune,
  };
}
