/**
 * @module What the benchmarks share (`*.bench.ts`, run by `npm run bench`): a free local port for a throw-away
 * embedded PostgreSQL, the `gongkai_bench` database on it, percentiles of sorted samples, the figures a benchmark
 * reports (`BenchFigure`) and how a benchmark run from the command line prints them; the CPU a PostgreSQL server has
 * used (from /proc) and the first hits of record pages.
 */
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { seedDemoAgencies } from "../src/agencies/agency.service.ts";
import { seedDemoCatalogs } from "../src/catalog/catalog.seed.ts";
import { createKysely } from "../src/db/connection.ts";
import type { Db } from "../src/db/database.ts";
import type { Deps } from "../src/deps.ts";
import { type CorpusAgency, existingCorpusAgency, generateRecords } from "../src/ops/dev-corpus.ts";
import { bulkLoadPublishedRecords } from "../src/publishing/record-bulk.ts";
import { catalogItemsForForm } from "../src/publishing/record-query.service.ts";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts `app` listening on a free port of 127.0.0.1 and returns its base URL. */
export async function listenOnLoopback(app: Pick<FastifyInstance, "listen">): Promise<string> {
  const port = await freePort();
  await app.listen({ host: "127.0.0.1", port });
  return `http://127.0.0.1:${port}`;
}

/** The p-th percentile (nearest rank) of ascending `sorted` samples; 0 when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)] as number;
}

/** A pool of 10 on the server's `gongkai_bench` database (created by createBenchDatabase). */
export function openBenchDatabase(serverUrl: string): Db {
  const url = new URL(serverUrl);
  url.pathname = "/gongkai_bench";
  return createKysely(url.toString(), 10);
}

/** Creates `gongkai_bench` (UTF-8, C.UTF-8 collation; dropped first when `replace`) and opens it. */
export async function createBenchDatabase(
  serverUrl: string,
  options: { replace?: boolean } = {},
): Promise<Db> {
  const admin = createKysely(serverUrl, 1);
  try {
    if (options.replace) await sql`DROP DATABASE IF EXISTS gongkai_bench`.execute(admin);
    await sql`CREATE DATABASE gongkai_bench ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8' TEMPLATE template0`.execute(
      admin,
    );
  } finally {
    await admin.destroy();
  }
  return openBenchDatabase(serverUrl);
}

/** What a benchmark measured (per second, or milliseconds for latencies), with the target it must reach, if any. */
export interface BenchFigure {
  name: string;
  opsPerSecond: number;
  target?: number;
}

/** Prints the figures of a benchmark run from the command line (`node x.bench.ts`); a missed target fails it. */
export function printFigures(figures: readonly BenchFigure[]): void {
  for (const f of figures) {
    const target =
      f.target === undefined
        ? ""
        : ` (target ≥ ${f.target}: ${f.opsPerSecond >= f.target ? "ok" : "MISSED"})`;
    console.log(`${f.name}: ${f.opsPerSecond.toLocaleString("en-US")}${target}`);
  }
  if (figures.some((f) => f.target !== undefined && f.opsPerSecond < f.target)) process.exitCode = 1;
}

/** The four demo agencies the portal benchmarks load their generated records into. */
export const DEMO_BENCH_SLUGS = ["qi-hrss", "zalantun-hrss", "liaocheng-hrss", "zhongwei-hrss"] as const;

/**
 * Seeds the demo agencies and catalogs, then bulk-loads `records` generated published records spread over them
 * (src/ops/dev-corpus.ts, under their real catalog items), rebuilds the indexes and analyzes: the corpus of the
 * search, page-serving and search-isolation benchmarks.
 */
export async function loadDemoCorpus(
  deps: Deps,
  options: { records: number; rareEvery?: number; from?: string },
): Promise<void> {
  const { db } = deps;
  await seedDemoAgencies(db);
  await seedDemoCatalogs(deps);
  const agencies: CorpusAgency[] = [];
  for (const slug of DEMO_BENCH_SLUGS) {
    const a = await db
      .selectFrom("agencies")
      .select(["id", "slug", "name"])
      .where("slug", "=", slug)
      .executeTakeFirstOrThrow();
    const items = (await catalogItemsForForm(db, a.id)).map((i) => ({ id: i.id, stableKey: i.stableKey }));
    agencies.push(existingCorpusAgency(a, items));
  }
  const generated = generateRecords({
    records: options.records,
    agencies,
    from: options.from ?? "2019-01-01",
    ...(options.rareEvery === undefined ? {} : { rareEvery: options.rareEvery }),
  });
  await bulkLoadPublishedRecords(db, generated, { lanes: 2, rebuildIndexes: true });
  await sql`VACUUM ANALYZE records`.execute(db);
}

/**
 * CPU time (ms) used so far by the PostgreSQL server of `dataDir` (postmaster and its children, from /proc; Linux,
 * USER_HZ 100): the work a query costs whatever else runs on the machine (wall times under load measure the queue).
 */
export function postgresCpuMs(dataDir: string): number {
  const master = Number(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  let ticks = 0;
  for (const p of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // state, ppid, … utime (11), stime (12)
      if (Number(p) === master || Number(f[1]) === master) ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks * 10;
}

export interface FirstHits {
  /** Pages measured. */
  n: number;
  p50: number;
  p95: number;
  /** CPU per page (ms) of this process (the app and the client: the bench process serves and asks). */
  nodeCpuMs: number;
  /** CPU per page (ms) of the PostgreSQL server (undefined without `pgDir`). */
  pgCpuMs: number | undefined;
}

/** One keep-alive GET as a browser asks (gzip or br accepted); resolves with the status, X-Cache and body size. */
function get(
  agent: http.Agent,
  base: URL,
  p: string,
): Promise<{ status: number; cache: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: base.hostname, port: base.port, path: p, agent, headers: { "accept-encoding": "gzip, br" } },
      (res) => {
        let bytes = 0;
        res.on("data", (c: Buffer) => {
          bytes += c.length;
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, cache: String(res.headers["x-cache"]), bytes }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
  });
}

/**
 * First hits of record pages: GETs every path once from `base`, one after another (one client on a keep-alive
 * connection, Accept-Encoding: gzip, br as browsers send; the body is received, not decoded: the client is this
 * process and should cost it little), each of which must be answered 200 with X-Cache: miss (rendered: in neither
 * the process's memory nor the shared page store); p50/p95 of the times from sending the request to the body's last
 * byte (ms), and the CPU per page once the background work the hits started (best compression, writes to the shared
 * store) is done (`settled`).
 */
export async function measureFirstHits(
  base: string,
  paths: readonly string[],
  options: { settled: () => Promise<void>; pgDir?: string },
): Promise<FirstHits> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(base);
  const samples: number[] = [];
  try {
    const pg0 = options.pgDir ? postgresCpuMs(options.pgDir) : 0;
    const node0 = process.cpuUsage();
    for (const p of paths) {
      const t = performance.now();
      const res = await get(agent, url, p);
      samples.push(performance.now() - t);
      if (res.status !== 200 || res.cache !== "miss")
        throw new Error(`first hit ${p}: ${res.status} ${res.cache}`);
    }
    await options.settled();
    const node = process.cpuUsage(node0);
    const r = (x: number) => Math.round(x * 10) / 10;
    samples.sort((a, b) => a - b);
    return {
      n: samples.length,
      p50: r(percentile(samples, 50)),
      p95: r(percentile(samples, 95)),
      nodeCpuMs: r((node.user + node.system) / 1000 / Math.max(1, samples.length)),
      pgCpuMs: options.pgDir
        ? r((postgresCpuMs(options.pgDir) - pg0) / Math.max(1, samples.length))
        : undefined,
    };
  } finally {
    agent.destroy();
  }
}
