/**
 * @module Prometheus metrics (prom-client), one registry per app (no process-wide registry): HTTP requests by
 * route pattern (never the raw URL, so the number of series stays bounded), their latency, the database pool, the
 * job queues and the public page cache, plus Node's process metrics. Gauges are read when scraped.
 */
import type { FastifyInstance } from "fastify";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { PoolStats } from "../db/connection.ts";
import type { ReadCounts, ReplicaStatus } from "../db/read-pool.ts";
import type { QueueDepth } from "../jobs/job-runner.ts";

export interface MetricSources {
  pool: () => PoolStats | undefined;
  queues: () => Promise<QueueDepth[]> | undefined;
  /** The read replica's state and lag (undefined without DATABASE_READ_URL). */
  replica: () => Promise<ReplicaStatus> | undefined;
  /** Where public reads went (src/db/read-pool.ts). */
  reads: () => ReadCounts;
  /**
   * Cumulative page-cache lookups and current entries: `hits` answered from this process's memory, `misses` not
   * (of which `storeHits` came from the shared page_cache table and `coalesced` waited for a render in progress).
   */
  pageCache: () =>
    | { hits: number; misses: number; storeHits: number; coalesced: number; entries: number }
    | undefined;
}

export interface Metrics {
  registry: Registry;
  /**
   * Counts and times a request answered outside Fastify's pipeline (the page cache's hit path,
   * src/http/page-hits.ts), in the same series as the pipeline's requests.
   */
  observeRequest(method: string, route: string, statusCode: number, seconds: number): void;
}

export function createMetrics(app: FastifyInstance, sources: MetricSources): Metrics {
  const registry = new Registry();
  // One look at the replica per scrape for its three gauges.
  let replicaLook: { at: number; status: Promise<ReplicaStatus | undefined> } | undefined;
  const replicaStatus = () => {
    const now = Date.now();
    if (!replicaLook || now - replicaLook.at > 1000)
      replicaLook = { at: now, status: Promise.resolve(sources.replica()) };
    return replicaLook.status;
  };
  registry.setDefaultLabels({ pid: String(process.pid) });
  collectDefaultMetrics({ register: registry, prefix: "gongkai_" });

  const labelNames = ["method", "route", "status_code"] as const;
  const requests = new Counter({
    name: "gongkai_http_requests_total",
    help: "HTTP requests answered, by method, route pattern and status code",
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "gongkai_http_request_duration_seconds",
    help: "Time to answer HTTP requests, by method, route pattern and status code",
    labelNames,
    // From 0.5 ms: a page answered on the hit path takes well under a millisecond.
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const observeRequest: Metrics["observeRequest"] = (method, route, statusCode, seconds) => {
    const labels = { method, route, status_code: String(statusCode) };
    requests.inc(labels);
    duration.observe(labels, seconds);
  };
  app.addHook("onResponse", async (request, reply) => {
    // The route pattern (/agencies/:slug/records/:id); unmatched URLs are one series.
    const route = request.routeOptions.url ?? "(unmatched)";
    if (route === "/metrics") return;
    observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });

  new Gauge({
    name: "gongkai_db_pool_connections",
    help: "Database pool connections by state (max = configured size; waiting = queries queued for a connection)",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      const s = sources.pool();
      if (!s) return;
      this.set({ state: "max" }, s.max);
      this.set({ state: "total" }, s.total);
      this.set({ state: "idle" }, s.idle);
      this.set({ state: "busy" }, s.total - s.idle);
      this.set({ state: "waiting" }, s.waiting);
    },
  });
  new Gauge({
    name: "gongkai_job_queue_jobs",
    help: "Background jobs by queue and state (queued = created or waiting to retry)",
    labelNames: ["queue", "state"],
    registers: [registry],
    async collect() {
      const depth = await sources.queues()?.catch(() => undefined);
      if (!depth) return;
      for (const d of depth) {
        this.set({ queue: d.name, state: "queued" }, d.queued);
        this.set({ queue: d.name, state: "active" }, d.active);
        this.set({ queue: d.name, state: "failed" }, d.failed);
      }
    },
  });
  new Counter({
    name: "gongkai_page_cache_lookups_total",
    help:
      "Public page cache lookups by result: hit (this process's memory), store (the shared page_cache table), " +
      "wait (a render in progress), miss (rendered); hit rate = (hit + store + wait) / all",
    labelNames: ["result"],
    registers: [registry],
    collect() {
      const c = sources.pageCache();
      if (!c) return;
      this.reset();
      this.inc({ result: "hit" }, c.hits);
      this.inc({ result: "store" }, c.storeHits);
      this.inc({ result: "wait" }, c.coalesced);
      this.inc({ result: "miss" }, Math.max(0, c.misses - c.storeHits - c.coalesced));
    },
  });
  new Gauge({
    name: "gongkai_replica_up",
    help: "The read replica (DATABASE_READ_URL) answers as a streaming standby (1) or not (0); absent without one",
    registers: [registry],
    async collect() {
      const s = await replicaStatus();
      if (s) this.set(s.state === "streaming" ? 1 : 0);
    },
  });
  new Gauge({
    name: "gongkai_replica_lag_bytes",
    help: "WAL bytes the primary has written that the read replica has not replayed yet",
    registers: [registry],
    async collect() {
      const s = await replicaStatus();
      if (s?.lagBytes !== undefined) this.set(s.lagBytes);
    },
  });
  new Gauge({
    name: "gongkai_replica_lag_seconds",
    help: "Age of the last transaction the read replica replayed while it is behind (0 when caught up)",
    registers: [registry],
    async collect() {
      const s = await replicaStatus();
      if (s?.lagSeconds !== undefined) this.set(s.lagSeconds);
    },
  });
  new Counter({
    name: "gongkai_public_reads_total",
    help: "Public page renders by the database they read: replica, or primary and why (primary = no replica configured)",
    labelNames: ["db", "reason"],
    registers: [registry],
    collect() {
      const c = sources.reads();
      this.reset();
      this.inc({ db: "replica", reason: "ok" }, c.replica);
      this.inc({ db: "primary", reason: "no_replica" }, c.primary);
      this.inc({ db: "primary", reason: "lagging" }, c.lagging);
      this.inc({ db: "primary", reason: "unavailable" }, c.unavailable);
    },
  });
  new Gauge({
    name: "gongkai_page_cache_entries",
    help: "Pages held in the public page cache",
    registers: [registry],
    collect() {
      const c = sources.pageCache();
      if (c) this.set(c.entries);
    },
  });
  return { registry, observeRequest };
}
