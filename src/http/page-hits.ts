/**
 * @module The hit path of the public page cache: a cached page answered by the HTTP server itself, before Fastify
 * (its request and reply objects, routing, hooks, helmet, the session look-up, compression, logging) runs at all.
 *
 * How a URL gets there: the first time an anonymous GET/HEAD of a URL is answered from (or into) the page cache
 * through the ordinary pipeline (src/http/page-cache.ts `sendEntry`), the response's headers, exactly as the whole
 * pipeline produced them (helmet's security headers, content type, ETag, Cache-Control, Vary, route headers, the
 * worker's header…), are remembered under the raw URL and the display preferences (an alias of the cache key: the
 * page cache itself stays keyed on the parsed parameters). Later requests of that exact URL are answered from the
 * pre-built headers and the stored body, gzip or brotli (Accept-Encoding negotiated as the pipeline does), 304
 * when If-None-Match matches, headers only for HEAD, a fresh X-Request-Id, and X-Cache: hit.
 *
 * Never on the hit path (the ordinary pipeline answers them): a request with an Authorization header or a session
 * cookie (staff, or a stale session whose cookie must be cleared), another method, a URL never answered from the
 * cache, and a page whose cache entry is gone, expired or re-rendered since (the alias holds the entry it was built
 * for; an invalidation drops the entry, so the alias is dead at once). The app being closed sends everything to
 * Fastify (its 503 while closing).
 *
 * Still done for a hit: the request-log sample (the same 1-in-N count as src/http/request-log.ts) and /metrics'
 * request counter and latency histogram by route (`observer`, set by src/metrics/metrics.routes.ts: the same series
 * as the pipeline's, the time from the request reaching the hit path to the response handed to the socket).
 * `app.inject()` does not go through the server, so in-process tests see the ordinary pipeline; the hit path is
 * tested over a socket (page-hits.test.ts).
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { chooseEncoding } from "./content-coding.ts";
import { type DisplayPrefs, parseDisplayCookie, serializeDisplay } from "./layout.ts";
import { type Entry, matchesEtag, type PageCache } from "./page-cache.ts";
import type { RequestSampler } from "./request-log.ts";

/** Response headers never replayed: per response (date, length, encoding, id) or per connection. */
const NOT_REPLAYED = new Set([
  "date",
  "content-length",
  "content-encoding",
  "x-request-id",
  "x-cache",
  "connection",
  "keep-alive",
  "transfer-encoding",
]);

/** The headers of one URL's cached page, built once: identity, gzip, br and 304. */
interface Alias {
  key: string;
  entry: Entry;
  route: string;
  plain: string[];
  gzip: string[] | undefined;
  br: string[] | undefined;
  notModified: string[];
}

/** What sendEntry leaves on the request for the hit path to remember (the onResponse hook). */
export interface HitCandidate {
  key: string;
  entry: Entry;
  display: string;
}

export interface PageHitsOptions {
  /** The session cookie's name: its presence sends a request to the pipeline. */
  sessionCookie: string;
  /** The cookie holding the display preferences (large text, high contrast). */
  displayCookie: string;
  logger: Pick<Logger, "info">;
  sampler: RequestSampler;
  /** Most URLs remembered (oldest dropped). */
  maxAliases?: number;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Told of every request the hit path answered: method, route pattern, status and seconds taken. */
export type HitObserver = (method: string, route: string, statusCode: number, seconds: number) => void;

/** The request id the pipeline would give (genReqId in src/app.ts): a well-formed X-Request-Id, else a new UUID. */
export function requestIdOf(given: string | string[] | undefined): string {
  return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
}

/** The display cookie's value in a Cookie header (first occurrence, as the cookie parser does), normalised. */
function displayOf(cookieHeader: string | undefined, name: string): string | undefined {
  if (!cookieHeader) return "";
  let prefs: DisplayPrefs | undefined;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      prefs = parseDisplayCookie(decodeURIComponent(value));
    } catch {
      return undefined;
    }
    break;
  }
  return prefs ? serializeDisplay(prefs) : "";
}

type Headers = Record<string, string | number | readonly string[] | undefined>;

function flatten(headers: Headers, extra: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) out.push(name, v);
    else out.push(name, String(value));
  }
  for (const [name, value] of Object.entries(extra)) out.push(name, value);
  return out;
}

export class PageHits {
  readonly #cache: PageCache;
  readonly #options: PageHitsOptions;
  readonly #aliases = new Map<string, Alias>();
  readonly #maxAliases: number;
  /** /metrics' request counter and latency histogram (src/metrics/metrics.ts). */
  observer: HitObserver | undefined;
  /** Requests answered on the hit path. */
  served = 0;
  /** While true (the app is closing) every request goes to the pipeline. */
  closing = false;

  constructor(cache: PageCache, options: PageHitsOptions) {
    this.#cache = cache;
    this.#options = options;
    this.#maxAliases = options.maxAliases ?? 8192;
  }

  get size(): number {
    return this.#aliases.size;
  }

  /** The alias key of a request, or undefined when it may not take the hit path (credentials, odd cookie). */
  #aliasKey(req: IncomingMessage): string | undefined {
    if (req.headers.authorization !== undefined) return undefined;
    const cookie = req.headers.cookie;
    if (cookie?.includes(this.#options.sessionCookie)) return undefined;
    const display = displayOf(cookie, this.#options.displayCookie);
    if (display === undefined) return undefined;
    return `${display}\u0000${req.url ?? ""}`;
  }

  /**
   * Remembers the headers of a page the pipeline just answered from the cache (200, no cookie set), for later
   * requests of the same URL and display preferences.
   */
  remember(
    req: IncomingMessage,
    candidate: HitCandidate,
    route: string,
    statusCode: number,
    headers: Headers,
  ): void {
    if (statusCode !== 200 || (req.method !== "GET" && req.method !== "HEAD")) return;
    if (headers["set-cookie"] !== undefined) return;
    const aliasKey = this.#aliasKey(req);
    // The pipeline must have used the display preferences the hit path reads from the same Cookie header.
    if (aliasKey === undefined || !aliasKey.startsWith(`${candidate.display}\u0000`)) return;
    const { entry } = candidate;
    const base: Headers = {};
    for (const [name, value] of Object.entries(headers))
      if (!NOT_REPLAYED.has(name.toLowerCase())) base[name.toLowerCase()] = value;
    const withLength = (encoding: string | undefined, body: Buffer) =>
      flatten(base, {
        "x-cache": "hit",
        ...(encoding ? { "content-encoding": encoding } : {}),
        "content-length": String(body.length),
      });
    const { "content-type": _type, ...rest } = base;
    this.#aliases.delete(aliasKey);
    this.#aliases.set(aliasKey, {
      key: candidate.key,
      entry,
      route,
      plain: withLength(undefined, entry.body),
      gzip: entry.gzip ? withLength("gzip", entry.gzip) : undefined,
      br: entry.br ? withLength("br", entry.br) : undefined,
      notModified: flatten(rest, { "x-cache": "hit" }),
    });
    while (this.#aliases.size > this.#maxAliases) {
      const oldest = this.#aliases.keys().next().value;
      if (oldest === undefined) break;
      this.#aliases.delete(oldest);
    }
  }

  /** Answers the request from the cache and returns true, or returns false (the pipeline must answer it). */
  serve(req: IncomingMessage, res: ServerResponse): boolean {
    const start = process.hrtime.bigint();
    if (this.closing || (req.method !== "GET" && req.method !== "HEAD")) return false;
    const aliasKey = this.#aliasKey(req);
    if (aliasKey === undefined) return false;
    const alias = this.#aliases.get(aliasKey);
    if (!alias) return false;
    const entry = this.#cache.get(alias.key);
    if (entry !== alias.entry) {
      // Dropped, expired or rendered again: the pipeline answers (and remembers the new entry).
      this.#aliases.delete(aliasKey);
      return false;
    }
    this.#cache.hits++;
    this.served++;
    const id = requestIdOf(req.headers["x-request-id"]);
    let status = 200;
    if (matchesEtag(req.headers["if-none-match"], entry.etag)) {
      status = 304;
      res.writeHead(304, [...alias.notModified, "x-request-id", id]);
      res.end();
    } else {
      const encoding = chooseEncoding(req.headers["accept-encoding"], entry);
      const headers = encoding === "br" ? alias.br : encoding === "gzip" ? alias.gzip : alias.plain;
      const body = encoding === "br" ? entry.br : encoding === "gzip" ? entry.gzip : entry.body;
      res.writeHead(200, [...(headers ?? alias.plain), "x-request-id", id]);
      if (req.method === "HEAD") res.end();
      else res.end(body);
    }
    this.observer?.(req.method, alias.route, status, Number(process.hrtime.bigint() - start) / 1e9);
    const sampled = this.#options.sampler.pick(false);
    if (sampled)
      this.#options.logger.info(
        {
          reqId: id,
          req: { method: req.method, url: req.url },
          res: { statusCode: status },
          ...(sampled > 1 ? { sampled } : {}),
          hitPath: true,
        },
        "request completed",
      );
    return true;
  }
}
