/**
 * @module The @fastify/rate-limit store on PostgreSQL: counters live in the `rate_limits` table
 * (rate-limit.repository.ts), so every app process on one database shares them — two processes behind nginx allow
 * a client `max` requests per window in total, not `max` each. One store per route (`child`), keyed like the
 * plugin's Redis store: method + route pattern + client key. `exponentialBackoff` is not supported (no route uses
 * it); `continueExceeding` is.
 */
import type { Db } from "../db/database.ts";
import { countHit, readHits } from "./rate-limit.repository.ts";

type Callback = (err: Error | null, result?: { current: number; ttl: number }) => void;

interface StoreOptions {
  continueExceeding?: boolean;
  routeInfo?: { method?: string | string[]; url?: string };
}

/** The store class to pass as `store` when registering @fastify/rate-limit (it constructs it with its options). */
export function postgresRateLimitStore(db: Db) {
  return class PostgresRateLimitStore {
    readonly prefix: string;
    readonly continueExceeding: boolean;

    constructor(options: StoreOptions = {}, prefix = "") {
      this.prefix = prefix;
      this.continueExceeding = options.continueExceeding === true;
    }

    incr(key: string, cb: Callback, timeWindow: number, max: number): void {
      countHit(db, this.prefix + key, timeWindow, max, this.continueExceeding).then(
        (r) => cb(null, { current: r.hits, ttl: r.ttlMs }),
        (err: Error) => cb(err),
      );
    }

    read(key: string, cb: Callback): void {
      readHits(db, this.prefix + key).then(
        (r) => cb(null, { current: r.hits, ttl: r.ttlMs }),
        (err: Error) => cb(err),
      );
    }

    /** Called per route with the route's merged options (the plugin's typings say RouteOptions; it passes these). */
    child(options: unknown): PostgresRateLimitStore {
      const routeOptions = options as StoreOptions;
      const method = routeOptions.routeInfo?.method;
      const route = `${Array.isArray(method) ? method.join(",") : (method ?? "")}${routeOptions.routeInfo?.url ?? ""}`;
      return new PostgresRateLimitStore(routeOptions, `${this.prefix}${route}-`);
    }
  };
}
