/**
 * @module The public pages' in-process cache, with ETag / Last-Modified revalidation (one per app: `deps.pageCache`).
 *
 * Published pages are rendered on the server once and kept, keyed by URL and display preferences (large text /
 * high contrast change the markup). Entries belong to an agency (its pages) or to the platform (pages that
 * aggregate all agencies: home, platform search, sitemap, agency list). `invalidate(agencyId)` drops that agency's
 * entries and every platform entry; without an argument it drops everything. Nobody calls it directly after a
 * change: the portal subscribes to the domain events (record.published, catalog.published, report.published,
 * guide.updated, …; see src/portal/portal.wiring.ts), which the owning services emit after their commit.
 *
 * Signed-in staff are never served from or written to the cache (their header differs). A render that started
 * before an invalidation is not stored (generation counter), so a stale page cannot outlive the change.
 * Concurrent misses of one key wait for one render (`renderOnce`); routes with query parameters may key on their
 * parsed parameters (`key` option of sendCached) so that extra or reordered parameters hit the same entry.
 */
import { createHash } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { PageContext } from "./layout.ts";
import { serializeDisplay } from "./layout.ts";

interface Entry {
  body: string;
  contentType: string;
  /** Extra response headers (e.g. a pagination Link header). */
  headers?: Record<string, string> | undefined;
  etag: string;
  lastModified: Date;
  agencyId: string | null;
  expiresAt: number;
}

export interface PageCacheOptions {
  maxEntries?: number;
  /** Memory budget for bodies (UTF-16 code units × 2, an upper bound of the heap they use). */
  maxBytes?: number;
  /** Safety net for changes nobody announced (e.g. a validity date passing). */
  ttlMs?: number;
  now?: () => Date;
}

export class PageCache {
  readonly #entries = new Map<string, Entry>();
  /** Renders in progress per key: concurrent misses of one key wait for the one render. */
  readonly #pending = new Map<string, Promise<Entry>>();
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  #bytes = 0;
  readonly #ttlMs: number;
  readonly #now: () => Date;
  #generation = 0;
  hits = 0;
  misses = 0;
  /** Misses that waited for a render already in progress instead of rendering again. */
  coalesced = 0;

  constructor(options: PageCacheOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 2000;
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.#ttlMs = options.ttlMs ?? 5 * 60 * 1000;
    this.#now = options.now ?? (() => new Date());
  }

  get size(): number {
    return this.#entries.size;
  }

  get generation(): number {
    return this.#generation;
  }

  get(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now().getTime()) {
      this.#delete(key);
      return undefined;
    }
    // LRU: move to the end.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry;
  }

  /** Stores unless an invalidation happened since `generation` was read. */
  set(key: string, generation: number, value: Omit<Entry, "etag" | "lastModified" | "expiresAt">): Entry {
    const now = this.#now();
    const entry: Entry = {
      ...value,
      etag: `"${createHash("sha256").update(value.contentType).update("\0").update(value.body).digest("base64url").slice(0, 27)}"`,
      lastModified: new Date(Math.floor(now.getTime() / 1000) * 1000),
      expiresAt: now.getTime() + this.#ttlMs,
    };
    if (generation !== this.#generation || entry.body.length * 2 > this.#maxBytes) return entry;
    this.#delete(key);
    this.#entries.set(key, entry);
    this.#bytes += entry.body.length * 2;
    while (this.#entries.size > this.#maxEntries || this.#bytes > this.#maxBytes) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#delete(oldest);
    }
    return entry;
  }

  /**
   * Runs `render` for a missing key unless a render of the same key is already running, in which case the caller
   * waits for that one (a failed render fails its waiters; the next request renders again).
   */
  async renderOnce(key: string, render: () => Promise<Entry>): Promise<{ entry: Entry; waited: boolean }> {
    const running = this.#pending.get(key);
    if (running) {
      this.coalesced++;
      return { entry: await running, waited: true };
    }
    const promise = render();
    this.#pending.set(key, promise);
    try {
      return { entry: await promise, waited: false };
    } finally {
      this.#pending.delete(key);
    }
  }

  /** Approximate memory held by cached bodies. */
  get bytes(): number {
    return this.#bytes;
  }

  #delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#bytes -= entry.body.length * 2;
    this.#entries.delete(key);
  }

  invalidate(agencyId?: string | null): void {
    this.#generation++;
    if (agencyId === undefined || agencyId === null) {
      this.#entries.clear();
      this.#bytes = 0;
      return;
    }
    for (const [key, entry] of this.#entries)
      if (entry.agencyId === null || entry.agencyId === agencyId) this.#delete(key);
  }
}

function matchesEtag(header: string | string[] | undefined, etag: string): boolean {
  if (!header) return false;
  const value = Array.isArray(header) ? header.join(",") : header;
  if (value.trim() === "*") return true;
  return value.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);
}

/** Sends an entry with validators; 304 when the client already has it. */
function sendEntry(request: FastifyRequest, reply: FastifyReply, entry: Entry): FastifyReply {
  for (const [k, v] of Object.entries(entry.headers ?? {})) reply.header(k, v);
  reply.header("etag", entry.etag);
  reply.header("last-modified", entry.lastModified.toUTCString());
  reply.header("cache-control", "public, no-cache");
  reply.header("vary", "Cookie, Accept-Encoding");
  const inm = request.headers["if-none-match"];
  if (inm !== undefined) {
    if (matchesEtag(inm, entry.etag)) return reply.status(304).send();
  } else {
    const ims = request.headers["if-modified-since"];
    if (typeof ims === "string") {
      const since = Date.parse(ims);
      if (!Number.isNaN(since) && entry.lastModified.getTime() <= since) return reply.status(304).send();
    }
  }
  return reply.status(200).type(entry.contentType).send(entry.body);
}

/** Is this request one we may cache (anonymous GET/HEAD)? */
export function cacheable(request: FastifyRequest, ctx?: PageContext): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  if (request.staff) return false;
  if (ctx?.staffName || request.pageExtras?.staffName) return false;
  return true;
}

/** What a render produces: the body and the agency whose data it shows (null: platform-wide). */
export interface Rendered {
  body: string;
  agencyId: string | null;
  headers?: Record<string, string>;
}

/**
 * Serves a response through the cache: `render` runs only on a miss. Staff requests bypass the cache (and get
 * `private, no-store`). `render` may throw (AppError → error page, never cached).
 */
export async function sendCached(
  cache: PageCache,
  request: FastifyRequest,
  reply: FastifyReply,
  options: {
    contentType: string;
    display?: PageContext["display"];
    /**
     * The cache key instead of the raw URL: built from the parsed parameters only (unknown parameters ignored,
     * values normalised), so `?q=x&junk=1` cannot force a new render.
     */
    key?: string;
  },
  render: () => Promise<Rendered>,
): Promise<FastifyReply> {
  if (!cacheable(request)) {
    const { body, headers } = await render();
    for (const [k, v] of Object.entries(headers ?? {})) reply.header(k, v);
    reply.header("cache-control", "private, no-store");
    return reply.status(200).type(options.contentType).send(body);
  }
  const key = `${options.key ?? request.url}\u0000${options.display ? serializeDisplay(options.display) : ""}`;
  const hit = cache.get(key);
  if (hit) {
    cache.hits++;
    reply.header("x-cache", "hit");
    return sendEntry(request, reply, hit);
  }
  cache.misses++;
  const { entry, waited } = await cache.renderOnce(key, async () => {
    const generation = cache.generation;
    const rendered = await render();
    return cache.set(key, generation, {
      body: rendered.body,
      contentType: options.contentType,
      agencyId: rendered.agencyId,
      headers: rendered.headers,
    });
  });
  reply.header("x-cache", waited ? "wait" : "miss");
  return sendEntry(request, reply, entry);
}
