// Generator throughput (issue 14 point 3): `gongkai dev generate`'s code writing GENERATE_BENCH_RECORDS (default
// 100,000) records of GENERATE_BENCH_AGENCIES (20) agencies and 1,000 applications into a throw-away embedded
// PostgreSQL (default settings, fsync on). Target ≥ 5,000 records/s for the whole load (COPY, index rebuild and
// ANALYZE included).
//
//   npm run bench -- dev-generate                     (via scripts/bench.ts; writes docs/performance.md)
//   GENERATE_BENCH_RECORDS=20000 npm run bench -- dev-generate --no-write
//
// Besides records/s (which depends on what else runs on the machine: the load average is reported before and
// after), it reports the CPU time per record of this process (generation, encoding) and of the PostgreSQL server
// (all its processes), which do not depend on the load: 2 cores ÷ (their sum) is what an idle machine could do.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createBenchDatabase, freePort } from "../../test/bench.ts";
import type { BenchFigure } from "../calendar/calendar.bench.ts";
import type { Db } from "../db/database.ts";
import { startEmbeddedPostgres } from "../db/embedded.ts";
import { migrateToLatest } from "../db/migrator.ts";
import { generateCorpusInto } from "./dev-generate.ts";

const TARGET = 5_000;

/** CPU milliseconds of a process tree rooted at `pid` (live children and the reaped ones' totals). Linux only. */
function treeCpuMs(pid: number): number {
  const stat = (p: number | string) =>
    fs.readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  const tick = 10; // USER_HZ 100
  try {
    const s = stat(pid);
    let total = (Number(s[11]) + Number(s[12]) + Number(s[13]) + Number(s[14])) * tick;
    for (const d of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const f = stat(d);
        if (Number(f[1]) === pid) total += (Number(f[11]) + Number(f[12])) * tick;
      } catch {
        // the process ended meanwhile
      }
    }
    return total;
  } catch {
    return Number.NaN;
  }
}

export async function runDevGenerateBench(
  records = Number(process.env.GENERATE_BENCH_RECORDS ?? 100_000),
  agencies = Number(process.env.GENERATE_BENCH_AGENCIES ?? 20),
): Promise<BenchFigure[]> {
  const log = (m: string) => process.stdout.write(`  dev-generate bench: ${m}\n`);
  const load = () => os.loadavg()[0]?.toFixed(1) ?? "?";
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-bench-generate-"));
  fs.chmodSync(tmpDir, 0o755);
  let stopServer: () => Promise<void> = async () => {};
  let db: Db | undefined;
  try {
    const server = await startEmbeddedPostgres({ dataDir: path.join(tmpDir, "pg"), port: await freePort() });
    stopServer = () => server.stop();
    db = await createBenchDatabase(server.url("postgres"));
    await migrateToLatest(db);
    const loadBefore = load();
    log(`load average (1 min) before: ${loadBefore}; ${records} records, ${agencies} agencies`);
    const pgPid = server.pid() ?? 0;
    const pg0 = treeCpuMs(pgPid);
    const node0 = process.cpuUsage();
    const t0 = performance.now();
    const report = await generateCorpusInto(db, {
      agencies,
      records,
      applications: 1_000,
      encryptionKey: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
      now: new Date("2026-12-04T06:00:00Z"),
      onProgress: log,
    });
    const wallMs = performance.now() - t0;
    const nodeCpu = process.cpuUsage(node0);
    const pgCpuMs = treeCpuMs(pgPid) - pg0;
    const loadAfter = load();
    const nodeUs = Math.round((nodeCpu.user + nodeCpu.system) / records);
    const pgUs = Math.round((pgCpuMs * 1000) / records);
    log(
      `${report.records} records: ${report.recordsPerSecond}/s streaming, ${report.totalRecordsPerSecond}/s with ` +
        `indexes (${report.indexMs} ms) and ANALYZE (${report.analyzeMs} ms); CPU per record: node ${nodeUs} µs, ` +
        `PostgreSQL ${pgUs} µs; load average after: ${loadAfter}`,
    );
    return [
      { name: `generator: records written (count, ${agencies} agencies)`, opsPerSecond: report.records },
      {
        name: "generator: records/s, whole load (COPY, index rebuild, ANALYZE)",
        opsPerSecond: report.totalRecordsPerSecond,
        target: TARGET,
      },
      { name: "generator: records/s while streaming (COPY only)", opsPerSecond: report.recordsPerSecond },
      {
        name: "generator: whole command incl. agencies and applications (ms)",
        opsPerSecond: Math.round(wallMs),
      },
      { name: "generator: Node CPU per record (µs, generation + encoding)", opsPerSecond: nodeUs },
      { name: "generator: PostgreSQL CPU per record (µs, all server processes)", opsPerSecond: pgUs },
      {
        name: "generator: records/s an idle 2-core machine could reach (2 cores ÷ CPU per record)",
        opsPerSecond: Math.round(2e6 / (nodeUs + pgUs)),
      },
      {
        name: `generator: load average (1 min) before / after: ${loadBefore} / ${loadAfter} (count)`,
        opsPerSecond: Number(loadAfter),
      },
    ];
  } finally {
    await db?.destroy();
    await stopServer();
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  for (const f of await runDevGenerateBench())
    process.stdout.write(
      `${f.name}: ${f.opsPerSecond}${f.target === undefined ? "" : ` (target ≥ ${f.target})`}\n`,
    );
}
