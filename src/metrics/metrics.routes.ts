/**
 * @module GET /metrics (Prometheus text format). Readable from the loopback interface when the request did not come
 * through a proxy (no X-Forwarded-For / Forwarded header), or from anywhere with `Authorization: Bearer
 * METRICS_TOKEN`; everyone else gets 403. See docs/operations.md (Metrics).
 */
import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { poolStats } from "../db/connection.ts";
import type { Deps } from "../deps.ts";
import { createMetrics } from "./metrics.ts";

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/** May this request read the metrics? */
export function metricsAllowed(request: FastifyRequest, token: string | undefined): boolean {
  const auth = request.headers.authorization;
  if (token && typeof auth === "string" && auth.startsWith("Bearer ")) {
    const given = Buffer.from(auth.slice(7).trim());
    const expected = Buffer.from(token);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
  }
  const proxied = request.headers["x-forwarded-for"] !== undefined || request.headers.forwarded !== undefined;
  return !proxied && LOOPBACK.has(request.socket.remoteAddress ?? "");
}

export function metricsRoutes(app: FastifyInstance, deps: Deps): void {
  const { registry, observeRequest } = createMetrics(app, {
    pool: () => poolStats(deps.db),
    queues: () => deps.jobs?.depth(),
    replica: () => (deps.readPool.replica ? deps.readPool.status() : undefined),
    reads: () => deps.readPool.counts,
    pageCache: () => ({
      hits: deps.pageCache.hits,
      misses: deps.pageCache.misses,
      storeHits: deps.pageCache.storeHits,
      coalesced: deps.pageCache.coalesced,
      entries: deps.pageCache.size,
    }),
  });
  // Cached pages answered before Fastify (no onResponse hook there) are counted and timed as they are answered.
  if (app.hasDecorator("pageHits")) app.pageHits.observer = observeRequest;
  app.get("/metrics", { config: { policy: "public" }, schema: { hide: true } }, async (request, reply) => {
    // Plain text for scrapers (not the HTML error page): 403 whoever the caller is.
    if (!metricsAllowed(request, deps.config.metricsToken))
      return reply
        .code(403)
        .type("text/plain; charset=utf-8")
        .send("forbidden: /metrics is loopback-only or needs METRICS_TOKEN\n");
    reply.header("cache-control", "no-store");
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
