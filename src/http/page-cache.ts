/**
 * @module The public pages' cache (one per app: `deps.pageCache`): an in-process LRU (first level) in front of an
 * optional shared level (`PageStore`, src/portal/page-store.ts: pre-rendered pages in PostgreSQL, read by every app
 * process and kept across restarts), with ETag revalidation.
 *
 * Published pages are rendered on the server once and kept, keyed by the route, its parsed parameters and display
 * preferences (large text / high contrast change the markup) — never the raw URL — with their gzip and brotli
 * versions computed once beside the body (at a fast level for the response that rendered the page, replaced by a
 * better level computed in the background, which is also what the shared level stores): a hit never compresses (@fastify/compress skips a response that already
 * has a Content-Encoding; it only knows br and gzip, so nothing else is ever negotiated). Entries belong to an
 * agency (its pages) or to the platform (pages that aggregate all agencies: home, platform search, sitemap, agency
 * list). `invalidate(agencyId)` drops that agency's entries and every platform entry (without an argument:
 * everything) here, and marks them stale in the shared level, which notifies the other processes (`dropLocal`).
 * Nobody calls it directly after a change: the portal subscribes to the domain events (record.published,
 * catalog.published, report.published, guide.updated, …; see src/portal/portal.wiring.ts), which the owning
 * services emit after their commit.
 *
 * A miss looks in the shared level before rendering, and a render is written there in the background. Signed-in
 * staff are never served from or written to the cache (their header differs). A render that started before an
 * invalidation is not kept (generation counters, here and in the shared level), so a stale page cannot outlive the
 * change. Concurrent misses of one key in a process wait for one render (`renderOnce`); across processes each may
 * render a key once (no cross-process lock: a render costs a few queries, a lock would cost a connection).
 */

import { createHash, randomUUID } from "node:crypto";
import { promisify } from "node:util";
import zlib from "node:zlib";
import type { FastifyReply, FastifyRequest } from "fastify";
import { chooseEncoding } from "./content-coding.ts";
import type { PageContext } from "./layout.ts";
import { serializeDisplay } from "./layout.ts";
import type { HitCandidate } from "./page-hits.ts";
import { MAX_RENDER_AGE_MS, mirrorPathOf, type PageMirror } from "./page-mirror.ts";

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

/** Bodies below this size are sent as they are (compression would not pay for its header). */
export const COMPRESS_THRESHOLD = 1024;

export interface Entry {
  body: Buffer;
  /** Pre-compressed versions (absent for small bodies). */
  gzip?: Buffer | undefined;
  br?: Buffer | undefined;
  contentType: string;
  /** Extra response headers (e.g. a pagination Link header). */
  headers?: Record<string, string> | undefined;
  etag: string;
  agencyId: string | null;
  expiresAt: number;
}

/** What a render stores: the body, optionally with its compressed versions (see `compressPage`). */
export interface PageValue {
  body: string | Buffer;
  gzip?: Buffer | undefined;
  br?: Buffer | undefined;
  contentType: string;
  headers?: Record<string, string> | undefined;
  agencyId: string | null;
}

/**
 * Compression levels: `fast` for the response that rendered the page (gzip 1, brotli 1), `best` computed afterwards
 * in the background and stored in its place (gzip 9, brotli 5). Not brotli 9 or 11: on 40 KB of Chinese text
 * brotli 9 took 11× the CPU of brotli 5 for a body 3.5 % smaller (brotli 11: 34×, 14 % smaller), CPU every first
 * hit would take from the requests being answered on a 2-core machine.
 */
export type CompressionLevel = "fast" | "best";

const LEVELS = { fast: { gzip: 1, br: 1 }, best: { gzip: 9, br: 5 } } as const;

/** Computes the gzip and brotli versions of a page once (zlib's thread pool, not the event loop). */
export async function compressPage(value: PageValue, level: CompressionLevel = "best"): Promise<PageValue> {
  const body = typeof value.body === "string" ? Buffer.from(value.body) : value.body;
  if (body.length < COMPRESS_THRESHOLD) return { ...value, body };
  const [gz, br] = await Promise.all([
    gzip(body, { level: LEVELS[level].gzip }),
    brotli(body, {
      params: {
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_QUALITY]: LEVELS[level].br,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
  ]);
  return {
    ...value,
    body,
    gzip: gz.length < body.length ? gz : undefined,
    br: br.length < body.length ? br : undefined,
  };
}

/** A strong validator of a page: its content type and bytes. */
export function pageEtag(contentType: string, body: Buffer): string {
  return `"${createHash("sha256").update(contentType).update("\0").update(body).digest("base64url").slice(0, 27)}"`;
}

const entryBytes = (e: Entry) => e.body.length + (e.gzip?.length ?? 0) + (e.br?.length ?? 0);

/** NOTIFY channel of the shared level's changes (src/portal/page-store.ts sends, the event bridge listens). */
export const PAGES_CHANNEL = "gongkai_pages";

/** A change notification: which pages to drop (an agency's and the platform's, or all) and which cache sent it. */
export interface PagesMessage {
  origin: string;
  agencyId: string | null;
}

/** Reads a change notification (undefined if malformed). */
export function parsePagesMessage(payload: string | undefined): PagesMessage | undefined {
  if (!payload) return undefined;
  try {
    const m = JSON.parse(payload) as Partial<PagesMessage>;
    if (typeof m.origin !== "string") return undefined;
    return { origin: m.origin, agencyId: typeof m.agencyId === "string" ? m.agencyId : null };
  } catch {
    return undefined;
  }
}

/** A stored page of the shared level, as `load` returns it. */
export interface StoredPage extends PageValue {
  body: Buffer;
  etag: string;
  /** Expiry (ms since the epoch). */
  expiresAt: number;
}

/**
 * The shared level behind the in-process cache (src/portal/page-store.ts: PostgreSQL, shared by every process and
 * kept across restarts). `generation` is the store's counter when the load ran: a render that starts after it
 * stores its page with it, so a change announced meanwhile (`invalidate`) makes that page stale.
 */
export interface PageStore {
  load(key: string): Promise<{ generation: number; page: StoredPage | undefined }>;
  save(key: string, generation: number, entry: Entry): void;
  /** Marks the pages of an agency (and the platform's), or all, stale for every process; resolves when done. */
  invalidate(agencyId: string | null | undefined, origin: string): Promise<void>;
  /** Has the page's scope (its agency's, or the platform's) or "*" changed after `generation` was read? */
  changedSince(agencyId: string | null, generation: number): Promise<boolean>;
  /** Resolves when the writes started so far are done. */
  settled(): Promise<void>;
}

/** The pages' expiry: the safety net for changes nobody announces. */
export const PAGE_TTL_MS = 5 * 60 * 1000;

export interface PageCacheOptions {
  /** The shared level (absent: this process's memory only). */
  store?: PageStore | undefined;
  maxEntries?: number;
  /** Memory budget for bodies and their compressed versions (bytes). */
  maxBytes?: number;
  /** Safety net for changes nobody announced (e.g. a validity date passing). */
  ttlMs?: number;
  now?: () => Date;
  /** Static pages for nginx (STATIC_PAGES_DIR; src/http/page-mirror.ts): absent, none are written. */
  mirror?: PageMirror | undefined;
}

/** Where a page goes in the static-page mirror: its URL path, and the generations its render read. */
export interface MirrorTarget {
  path: string;
  /** This cache's generation before the render. */
  generation: number;
  /** The shared store's generation before the render (undefined: no shared store). */
  storeGeneration: number | undefined;
}

export class PageCache {
  readonly #entries = new Map<string, Entry>();
  /** Renders in progress per key: concurrent misses of one key wait for the one render. */
  readonly #pending = new Map<string, Promise<Entry>>();
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  #bytes = 0;
  readonly ttlMs: number;
  readonly #now: () => Date;
  #generation = 0;
  readonly #store: PageStore | undefined;
  readonly mirror: PageMirror | undefined;
  /** Background recompressions (`recompress`) not finished yet. */
  readonly #compressing = new Set<Promise<void>>();
  /** Changes being written to the shared level: a load waits for them, so it never returns what they made stale. */
  #storing: Promise<void> = Promise.resolve();
  /** This cache's id in the store's change notifications (its own need no second drop). */
  readonly id = randomUUID();
  hits = 0;
  misses = 0;
  /** Misses answered from the shared level (rendered by another process, or before a restart). */
  storeHits = 0;
  /** Misses that waited for a render already in progress instead of rendering again. */
  coalesced = 0;

  constructor(options: PageCacheOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 2000;
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.ttlMs = options.ttlMs ?? PAGE_TTL_MS;
    this.#now = options.now ?? (() => new Date());
    this.#store = options.store;
    this.mirror = options.mirror;
  }

  get shared(): boolean {
    return this.#store !== undefined;
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

  /**
   * Stores unless an invalidation happened since `generation` was read. `expiresAt` (ms) keeps the expiry of an
   * entry loaded from the shared store.
   */
  set(key: string, generation: number, value: PageValue, expiresAt?: number): Entry {
    const body = typeof value.body === "string" ? Buffer.from(value.body) : value.body;
    const entry: Entry = {
      body,
      gzip: value.gzip,
      br: value.br,
      contentType: value.contentType,
      headers: value.headers,
      agencyId: value.agencyId,
      etag: pageEtag(value.contentType, body),
      expiresAt: expiresAt ?? this.#now().getTime() + this.ttlMs,
    };
    const size = entryBytes(entry);
    if (generation !== this.#generation || size > this.#maxBytes) return entry;
    this.#delete(key);
    this.#entries.set(key, entry);
    this.#bytes += size;
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

  /** Memory held by cached bodies and their compressed versions. */
  get bytes(): number {
    return this.#bytes;
  }

  #delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#bytes -= entryBytes(entry);
    this.#entries.delete(key);
  }

  /**
   * A change of the agency's pages (or of everything): drops them here at once and marks them stale in the shared
   * level, which tells the other processes (their `dropLocal`).
   */
  invalidate(agencyId?: string | null): void {
    this.dropLocal(agencyId);
    const store = this.#store;
    if (!store) return;
    // Static pages: deleted again once the store's generation moved (a write in another process that checked its
    // generation before that renamed its file before this second pass).
    const write = this.#storing
      .then(() => store.invalidate(agencyId, this.id))
      .then(() => void this.mirror?.drop(agencyId));
    // A failed write is the store's to log; the next load must not fail because of it.
    this.#storing = write.catch(() => {});
  }

  /**
   * After a render answered with the fast compression: computes the best one in the background, puts it in place
   * of `entry` if that is still the key's entry (same body, validator and expiry), then writes the page to the
   * shared level with the generation its render read (`storeGeneration`; undefined: no shared level).
   */
  recompress(key: string, entry: Entry, storeGeneration: number | undefined, mirror?: MirrorTarget): void {
    const work = compressPage({ ...entry }, "best")
      .then((best) => {
        const upgraded: Entry = { ...entry, gzip: best.gzip, br: best.br };
        const current = this.#entries.get(key);
        if (current === entry) {
          this.#bytes += entryBytes(upgraded) - entryBytes(entry);
          this.#entries.set(key, upgraded);
        }
        if (storeGeneration !== undefined) this.save(key, storeGeneration, upgraded);
        if (mirror) this.mirrorEntry(mirror, upgraded);
      })
      .catch(() => {
        // The fast versions stay; the page is written to the shared level as it is.
        if (storeGeneration !== undefined) this.save(key, storeGeneration, entry);
        if (mirror) this.mirrorEntry(mirror, entry);
      })
      .finally(() => this.#compressing.delete(work));
    this.#compressing.add(work);
  }

  /**
   * Writes an entry's static page (in the background) unless an invalidation happened since its render started:
   * checked after the file is in place, here and in the shared store (src/http/page-mirror.ts).
   */
  mirrorEntry(target: MirrorTarget, entry: Entry): void {
    const mirror = this.mirror;
    const renderedAt = entry.expiresAt - this.ttlMs;
    // A page loaded from the shared store may be minutes old: the sweep counts from the write (page-mirror.ts).
    if (!mirror || this.#now().getTime() - renderedAt > MAX_RENDER_AGE_MS) return;
    const store = this.#store;
    mirror.write(
      {
        path: target.path,
        agencyId: entry.agencyId,
        body: entry.body,
        gzip: entry.gzip,
        br: entry.br,
        renderedAt,
      },
      {
        local: () => this.#generation === target.generation,
        shared: async () =>
          !store ||
          target.storeGeneration === undefined ||
          !(await store.changedSince(entry.agencyId, target.storeGeneration)),
      },
    );
  }

  /** Resolves once the changes announced and the pages written so far are in the shared level (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.#compressing.size > 0) await Promise.all([...this.#compressing]);
    await this.#storing;
    await this.#store?.settled();
    await this.mirror?.settled();
  }

  /**
   * A page of the shared level for a missing key (after the pending changes are written), with the generation a
   * render starting now must store with. Without a store: nothing.
   */
  async load(key: string): Promise<{ generation: number; page: StoredPage | undefined } | undefined> {
    if (!this.#store) return undefined;
    await this.#storing;
    return this.#store.load(key);
  }

  /** Writes a rendered entry to the shared level (in the background). */
  save(key: string, generation: number, entry: Entry): void {
    this.#store?.save(key, generation, entry);
  }

  /** Drops the agency's pages and the platform's (or all) from this process's memory only. */
  dropLocal(agencyId?: string | null): void {
    this.#generation++;
    this.mirror?.drop(agencyId);
    if (agencyId === undefined || agencyId === null) {
      this.#entries.clear();
      this.#bytes = 0;
      return;
    }
    for (const [key, entry] of this.#entries)
      if (entry.agencyId === null || entry.agencyId === agencyId) this.#delete(key);
  }
}

export function matchesEtag(header: string | string[] | undefined, etag: string): boolean {
  if (!header) return false;
  const value = Array.isArray(header) ? header.join(",") : header;
  if (value.trim() === "*") return true;
  return value.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);
}

/**
 * Helmet headers a cached public page does without (lean responses): legacy ones modern browsers ignore or that
 * only concern plug-ins and old IE, and per-request identity. Kept: Content-Security-Policy, HSTS (when on),
 * X-Content-Type-Options, X-Frame-Options, Referrer-Policy, Cross-Origin-Opener-Policy. See docs/security.md.
 */
export const LEAN_DROPPED = [
  "x-dns-prefetch-control",
  "x-download-options",
  "x-permitted-cross-domain-policies",
  "x-xss-protection",
  "origin-agent-cluster",
  "cross-origin-resource-policy",
] as const;

declare module "fastify" {
  interface FastifyRequest {
    /** A page answered from the cache: the hit path (src/http/page-hits.ts) remembers its headers. */
    pageHit?: HitCandidate | undefined;
  }
}

/**
 * Sends an entry with its validator and the best stored encoding; 304 when the client already has it. The request
 * is marked for the hit path, which replays these headers for the same URL later (src/http/page-hits.ts).
 */
function sendEntry(
  request: FastifyRequest,
  reply: FastifyReply,
  entry: Entry,
  key: string,
  display: string,
): FastifyReply {
  request.pageHit = { key, entry, display };
  for (const h of LEAN_DROPPED) reply.removeHeader(h);
  if (entry.headers) for (const [k, v] of Object.entries(entry.headers)) reply.header(k, v);
  reply.header("etag", entry.etag);
  reply.header("cache-control", "public, no-cache");
  reply.header("vary", "Cookie, Accept-Encoding");
  if (matchesEtag(request.headers["if-none-match"], entry.etag)) return reply.status(304).send();
  const encoding = chooseEncoding(request.headers["accept-encoding"], entry);
  // @fastify/compress must leave a cached body alone even when it is sent as it is (small, or a client that takes
  // neither br nor gzip): its documented per-request opt-out.
  request.headers["x-no-compression"] = "1";
  reply.status(200).type(entry.contentType);
  if (encoding === undefined) return reply.send(entry.body);
  reply.header("content-encoding", encoding);
  return reply.send(encoding === "br" ? entry.br : entry.gzip);
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
 * The default cache key: the route's pattern, its path parameters (decoded by the router) and the parsed query
 * values the page depends on; never the raw URL.
 */
export function routeKey(
  request: FastifyRequest,
  query?: Readonly<Record<string, string | number | boolean | undefined>>,
): string {
  const route = request.routeOptions.url ?? request.url.split("?", 1)[0] ?? "";
  const params = (request.params ?? {}) as Record<string, unknown>;
  const parts = [route];
  for (const name of Object.keys(params).sort()) parts.push(`${name}=${String(params[name])}`);
  if (query)
    for (const name of Object.keys(query).sort())
      if (query[name] !== undefined) parts.push(`?${name}=${String(query[name])}`);
  return parts.join("\u0001");
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
     * The whole cache key, when the route builds it itself (search: from its parsed parameters). By default the key
     * is the route's pattern, its path parameters and `query`.
     */
    key?: string;
    /**
     * The query parameters the page depends on, parsed and normalised (e.g. `{ page: 2 }`). Nothing else of the
     * query string is part of the key, so `?junk=1` or a reordered query cannot force a new render.
     */
    query?: Readonly<Record<string, string | number | boolean | undefined>>;
  },
  render: () => Promise<Rendered>,
): Promise<FastifyReply> {
  if (!cacheable(request)) {
    const { body, headers } = await render();
    for (const [k, v] of Object.entries(headers ?? {})) reply.header(k, v);
    reply.header("cache-control", "private, no-store");
    return reply.status(200).type(options.contentType).send(body);
  }
  const display = options.display ? serializeDisplay(options.display) : "";
  const key = `${options.key ?? routeKey(request, options.query)}\u0000${display}`;
  const hit = cache.get(key);
  if (hit) {
    cache.hits++;
    reply.header("x-cache", "hit");
    return sendEntry(request, reply, hit, key, display);
  }
  cache.misses++;
  let source: "miss" | "store" = "miss";
  const mirrorPath = cache.mirror ? mirrorPathOf(request, options, display) : undefined;
  const { entry, waited } = await cache.renderOnce(key, async () => {
    const generation = cache.generation;
    const stored = await cache.load(key);
    const mirror =
      mirrorPath === undefined
        ? undefined
        : { path: mirrorPath, generation, storeGeneration: stored?.generation };
    if (stored?.page) {
      source = "store";
      cache.storeHits++;
      const entry = cache.set(key, generation, stored.page, stored.page.expiresAt);
      if (mirror && !entry.headers) cache.mirrorEntry(mirror, entry);
      return entry;
    }
    const rendered = await render();
    // Fast compression for this response; the best one replaces it in the background (then the shared level).
    const value = await compressPage(
      {
        body: rendered.body,
        contentType: options.contentType,
        agencyId: rendered.agencyId,
        headers: rendered.headers,
      },
      "fast",
    );
    const entry = cache.set(key, generation, value);
    const mirrored = entry.headers ? undefined : mirror;
    if (entry.gzip || entry.br) cache.recompress(key, entry, stored?.generation, mirrored);
    else {
      if (stored) cache.save(key, stored.generation, entry);
      if (mirrored) cache.mirrorEntry(mirrored, entry);
    }
    return entry;
  });
  reply.header("x-cache", waited ? "wait" : source);
  return sendEntry(request, reply, entry, key, display);
}
