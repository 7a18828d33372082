/**
 * @module Which database a public page reads: anonymous requests (the ones the page cache serves) read through
 * `deps.readPool` (the streaming replica when DATABASE_READ_URL is set and it has replayed the latest change, else
 * the primary); a signed-in staff member reads the primary, so a change they just made shows at once
 * (read-your-writes). The read functions must only read: the replica is a read-only hot standby.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Db } from "../db/database.ts";
import type { ReadLane } from "../db/read-pool.ts";
import type { Deps } from "../deps.ts";
import { cacheable, type Rendered, sendCached } from "./page-cache.ts";

/**
 * Runs `fn` on the database this request's public reads use; `lane` "search" for public search (its own small
 * pool, so searches never take the connections pages render with: src/db/read-pool.ts).
 */
export function publicRead<T>(
  deps: Pick<Deps, "db" | "readPool">,
  request: FastifyRequest,
  fn: (db: Db) => Promise<T>,
  lane: ReadLane = "page",
): Promise<T> {
  return cacheable(request) ? deps.readPool.read(fn, lane) : fn(deps.db);
}

/** sendCached on `deps.pageCache` whose render reads through `publicRead`. */
export function sendPublic(
  deps: Pick<Deps, "db" | "readPool" | "pageCache">,
  request: FastifyRequest,
  reply: FastifyReply,
  options: Parameters<typeof sendCached>[3],
  render: (db: Db) => Promise<Rendered>,
  lane: ReadLane = "page",
): Promise<FastifyReply> {
  return sendCached(deps.pageCache, request, reply, options, () => publicRead(deps, request, render, lane));
}
