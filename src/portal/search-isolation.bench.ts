// Benchmark: searches cannot exhaust the platform (issue 14, part 5). An uncached record page's latency alone, then
// beside 16 clients running uncached common-word searches without pause; target p99 ≤ 100 ms beside the searches.
//
//   npm run bench -- search-isolation           (via scripts/bench.ts; writes docs/performance.md)
//   ./node_modules/.bin/node src/portal/search-isolation.bench.ts   (prints only)
//
// A throw-away embedded PostgreSQL with the four demo agencies and ISOLATION_BENCH_RECORDS (default 20,000)
// generated records; the app listens on 127.0.0.1 as `serve` runs it: the main pool (10) and the search lane's pool
// (SEARCH_POOL_SIZE) on the same server, the search gate of SEARCH_CONCURRENCY and the statement_timeout; only the
// per-client miss limit is lifted (every client is 127.0.0.1 here). Searches: common words (就业, 社保 + synonyms,
// 养老保险, 保, 社会保险, 各单位) × pages 1–50 × two sorts × platform or one agency, each key once (a miss). The
// probe: one client GETs record pages never requested before (each a first hit) one after another for
// ISOLATION_BENCH_SECONDS (default 15) per phase. Figures: the probe's p50/p95/p99 alone and beside the searches,
// searches answered, Node CPU per probe request.

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import pino from "pino";
import {
  type BenchFigure,
  createBenchDatabase,
  freePort,
  listenOnLoopback,
  loadDemoCorpus,
  percentile,
  printFigures,
} from "../../test/bench.ts";
import { buildApp } from "../app.ts";
import { loadConfig } from "../config.ts";
import { createKysely, SEARCH_POOL_SIZE } from "../db/connection.ts";
import { startEmbeddedPostgres } from "../db/embedded.ts";
import { migrateToLatest } from "../db/migrator.ts";
import { createDeps, SEARCH_CONCURRENCY } from "../deps.ts";
import { ClientLimiter, ReadGate } from "../http/read-gate.ts";
import { fixedClock } from "../shared/clock.ts";

const SLUGS = ["qi-hrss", "zalantun-hrss", "liaocheng-hrss", "zhongwei-hrss"];
const WORDS = ["就业", "社保", "养老保险", "保", "社会保险", "各单位"];
const SEARCHERS = 16;
const P99_TARGET_MS = 100;

const round1 = (n: number) => Math.round(n * 10) / 10;

export async function runSearchIsolationBench(): Promise<BenchFigure[]> {
  const log = (m: string) => process.stdout.write(`  search-isolation bench: ${m}\n`);
  const records = Number(process.env.ISOLATION_BENCH_RECORDS ?? 20_000);
  const seconds = Number(process.env.ISOLATION_BENCH_SECONDS ?? 15);
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-isolation-bench-"));
  fs.chmodSync(tmpDir, 0o755);
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const server = await startEmbeddedPostgres({ dataDir: path.join(tmpDir, "pg"), port: await freePort() });
    cleanups.unshift(() => server.stop());
    const db = await createBenchDatabase(server.url("postgres"));
    cleanups.unshift(() => db.destroy());
    await migrateToLatest(db);
    const benchUrl = new URL(server.url("postgres"));
    benchUrl.pathname = "/gongkai_bench";
    const searchDb = createKysely(benchUrl.toString(), SEARCH_POOL_SIZE, {
      applicationName: "gongkai-search",
    });
    cleanups.unshift(() => searchDb.destroy());
    const config = loadConfig({
      GONGKAI_SECRET: "bench-secret-bench-secret-bench-secret-0123456789",
      GONGKAI_ENCRYPTION_KEY: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    });
    const logger = pino({ level: "info" }, pino.destination({ dest: "/dev/null", sync: false }));
    const deps = createDeps(config, db, {
      clock: fixedClock("2026-11-23T10:00:00+08:00"),
      logger,
      searchDb,
      searchGuard: { gate: new ReadGate(SEARCH_CONCURRENCY), misses: new ClientLimiter(1_000_000_000) },
    });
    await loadDemoCorpus(deps, { records });
    log(`${records} records loaded`);

    const app = await buildApp(deps);
    cleanups.unshift(() => app.close());
    const base = await listenOnLoopback(app);

    const ids = await db
      .selectFrom("records")
      .innerJoin("agencies", "agencies.id", "records.agency_id")
      .select(["agencies.slug", "records.id"])
      .where("records.status", "=", "published")
      .orderBy(sql`md5(records.id::text)`)
      .limit(20_000)
      .execute();
    let next = 0;

    /** One client requesting never-requested record pages one after another until `until`. */
    async function probe(until: number): Promise<{ samples: number[]; cpuUs: number }> {
      const samples: number[] = [];
      const cpu = process.cpuUsage();
      while (performance.now() < until && next < ids.length) {
        const r = ids[next++]!;
        const t = performance.now();
        const res = await fetch(`${base}/agencies/${r.slug}/records/${r.id}`);
        await res.arrayBuffer();
        if (res.status !== 200 || res.headers.get("x-cache") !== "miss")
          throw new Error(`record page: ${res.status} ${res.headers.get("x-cache")}`);
        samples.push(performance.now() - t);
      }
      const used = process.cpuUsage(cpu);
      samples.sort((a, b) => a - b);
      return { samples, cpuUs: (used.user + used.system) / Math.max(1, samples.length) };
    }

    const searchUrls: string[] = [];
    for (const q of WORDS)
      for (let page = 1; page <= 50; page++)
        for (const sort of ["", "date"])
          for (const agency of ["", ...SLUGS])
            searchUrls.push(
              `/search?${new URLSearchParams({ q, ...(page > 1 ? { page: String(page) } : {}), ...(sort ? { sort } : {}), ...(agency ? { agency } : {}) })}`,
            );
    // A fixed shuffle, so each phase's searches are spread over words and pages.
    searchUrls.sort((a, b) => (hash(a) < hash(b) ? -1 : 1));
    let nextSearch = 0;
    const searchStats = { misses: 0, other: 0, statuses: new Map<number, number>() };

    async function searcher(until: number): Promise<void> {
      while (performance.now() < until) {
        const url = searchUrls[nextSearch++ % searchUrls.length]!;
        const res = await fetch(base + url);
        await res.arrayBuffer();
        searchStats.statuses.set(res.status, (searchStats.statuses.get(res.status) ?? 0) + 1);
        if (res.status === 200 && res.headers.get("x-cache") === "miss") searchStats.misses++;
        else searchStats.other++;
      }
    }

    // Warm-up: a few record pages and searches (plans, connections), not measured.
    await probe(performance.now() + 1000);
    await Promise.all(Array.from({ length: 4 }, () => searcher(performance.now() + 1000)));
    searchStats.misses = 0;
    searchStats.other = 0;
    searchStats.statuses.clear();

    const load = () =>
      execFileSync("uptime")
        .toString()
        .trim()
        .replace(/.*load average: /, "");
    const figures: BenchFigure[] = [
      { name: `records in corpus (count, ${SLUGS.length} agencies)`, opsPerSecond: records },
    ];
    // Alone, beside the searches, and alone again (interleaved against the shared machine's drift).
    const phases: { label: string; searches: boolean }[] = [
      { label: "alone", searches: false },
      { label: `beside ${SEARCHERS} searches`, searches: true },
      { label: "alone", searches: false },
      { label: `beside ${SEARCHERS} searches`, searches: true },
    ];
    const results = new Map<string, { samples: number[]; cpuUs: number[]; searches: number }>();
    for (const phase of phases) {
      const until = performance.now() + seconds * 1000;
      const before = searchStats.misses;
      const [probed] = await Promise.all([
        probe(until),
        ...(phase.searches ? Array.from({ length: SEARCHERS }, () => searcher(until)) : []),
      ]);
      const r = results.get(phase.label) ?? { samples: [], cpuUs: [], searches: 0 };
      r.samples.push(...probed.samples);
      r.cpuUs.push(probed.cpuUs);
      r.searches += searchStats.misses - before;
      results.set(phase.label, r);
      log(
        `${phase.label}: ${probed.samples.length} record pages, p99 ${round1(percentile(probed.samples, 99))} ms; ` +
          `${searchStats.misses - before} uncached searches; load ${load()}`,
      );
    }
    for (const [label, r] of results) {
      r.samples.sort((a, b) => a - b);
      const p99 = round1(percentile(r.samples, 99));
      figures.push(
        {
          name: `uncached record page ${label}: p50 (ms, ${r.samples.length} pages)`,
          opsPerSecond: round1(percentile(r.samples, 50)),
        },
        { name: `uncached record page ${label}: p95 (ms)`, opsPerSecond: round1(percentile(r.samples, 95)) },
        { name: `uncached record page ${label}: p99 (ms)`, opsPerSecond: p99 },
        {
          name: `uncached record page ${label}: Node CPU per page (µs, app and client in one process)`,
          opsPerSecond: Math.round(r.cpuUs.reduce((a, b) => a + b, 0) / r.cpuUs.length),
        },
      );
      if (label.startsWith("beside")) {
        figures.push(
          {
            name: `uncached searches answered beside the probe (count, ${2 * seconds} s)`,
            opsPerSecond: r.searches,
          },
          {
            name: `uncached record page ${label}: p99 headroom to ${P99_TARGET_MS} ms (ms, ${P99_TARGET_MS} − p99)`,
            opsPerSecond: round1(P99_TARGET_MS - p99),
            target: 0,
          },
        );
      }
    }
    const statuses = [...searchStats.statuses].map(([s, n]) => `${s}×${n}`).join(", ");
    log(`search responses: ${statuses}; load ${load()}`);
    figures.push({
      name: `search responses other than 200 (count: ${statuses || "none"})`,
      opsPerSecond: [...searchStats.statuses].filter(([s]) => s !== 200).reduce((a, [, n]) => a + n, 0),
    });
    return figures;
  } finally {
    for (const c of cleanups) await c().catch(() => {});
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}

if (import.meta.main) printFigures(await runSearchIsolationBench());
