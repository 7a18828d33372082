/**
 * @module What the benchmarks share (`*.bench.ts`, run by `npm run bench`): a free local port for a throw-away
 * embedded PostgreSQL, the `gongkai_bench` database on it, percentiles of sorted samples, the figures a benchmark
 * reports (`BenchFigure`) and how a benchmark run from the command line prints them.
 */
import net from "node:net";
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
