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
import { sql } from "kysely";
import { type BenchFigure, createBenchDatabase, freePort } from "../../test/bench.ts";
import { createAuditWriter } from "../audit/audit.service.ts";
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
    const phases: Partial<Record<"streamed" | "indexed" | "analyzed", { pg: number; node: number }>> = {};
    const report = await generateCorpusInto(db, {
      onPhase: (phase) => {
        phases[phase] = {
          pg: treeCpuMs(pgPid),
          node: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
        };
      },
      agencies,
      records,
      applications: 1_000,
      encryptionKey: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
      audit: createAuditWriter(undefined), // a throwaway bench database: an unkeyed chain
      now: new Date("2026-12-04T06:00:00Z"),
      onProgress: log,
    });
    const wallMs = performance.now() - t0;
    const nodeCpu = process.cpuUsage(node0);
    const pgCpuMs = treeCpuMs(pgPid) - pg0;
    const loadAfter = load();
    const nodeUs = Math.round((nodeCpu.user + nodeCpu.system) / records);
    const pgUs = Math.round((pgCpuMs * 1000) / records);
    // PostgreSQL CPU per record in each phase: streaming (COPY: heap, TOAST compression of the three texts, WAL,
    // the indexes kept during the load), the index rebuild (GIN over search_grams dominates), ANALYZE.
    const perRecord = (from: number, to: number | undefined) =>
      to === undefined ? Number.NaN : Math.round(((to - from) * 1000) / records);
    const pgStreamUs = perRecord(pg0, phases.streamed?.pg);
    const pgIndexUs = perRecord(phases.streamed?.pg ?? Number.NaN, phases.indexed?.pg);
    const pgAnalyzeUs = perRecord(phases.indexed?.pg ?? Number.NaN, phases.analyzed?.pg);
    // Background work the server did meanwhile (its CPU is in the PostgreSQL figures): autovacuum and autoanalyze
    // of records, and checkpoints requested by WAL volume.
    const background = await sql<{ v: number; a: number; vms: number; ams: number; ckpt: number }>`
      SELECT autovacuum_count::int AS v, autoanalyze_count::int AS a, total_autovacuum_time::float8 AS vms,
             total_autoanalyze_time::float8 AS ams, (SELECT num_requested::int FROM pg_stat_checkpointer) AS ckpt
      FROM pg_stat_user_tables WHERE relname = 'records'`
      .execute(db)
      .catch(() => ({ rows: [] }));
    const bg = background.rows[0];
    if (bg)
      log(
        `during the run: autovacuum of records ${bg.v}× (${Math.round(bg.vms / 1000)} s), autoanalyze ${bg.a}× ` +
          `(${Math.round(bg.ams / 1000)} s), ${bg.ckpt} checkpoints requested by WAL volume`,
      );
    const shape = await sql<{ codes: number; text: number }>`
      SELECT avg(cardinality(search_grams))::float8 AS codes,
             avg(octet_length(body_html) + octet_length(body_text) + octet_length(search_text))::float8 AS text
      FROM records`.execute(db);
    const codes = Math.round(Number(shape.rows[0]?.codes ?? 0));
    const textBytes = Math.round(Number(shape.rows[0]?.text ?? 0));
    log(
      `${report.records} records: ${report.recordsPerSecond}/s streaming, ${report.totalRecordsPerSecond}/s with ` +
        `indexes (${report.indexMs} ms) and ANALYZE (${report.analyzeMs} ms); CPU per record: node ${nodeUs} µs, ` +
        `PostgreSQL ${pgUs} µs (streaming ${pgStreamUs}, index rebuild ${pgIndexUs}, ANALYZE ${pgAnalyzeUs}); ` +
        `${codes} codes and ${textBytes} bytes of text a record; load average after: ${loadAfter}`,
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
        name: "generator: PostgreSQL CPU per record while streaming (µs: COPY, TOAST, WAL)",
        opsPerSecond: pgStreamUs,
      },
      {
        name: "generator: PostgreSQL CPU per record, index rebuild (µs: GIN over search_grams dominates)",
        opsPerSecond: pgIndexUs,
      },
      { name: "generator: PostgreSQL CPU per record, ANALYZE (µs)", opsPerSecond: pgAnalyzeUs },
      { name: "generator: search_grams codes per record (count)", opsPerSecond: codes },
      { name: "generator: body_html + body_text + search_text per record (bytes)", opsPerSecond: textBytes },
      {
        name: "generator: CPU budget per record for 5,000/s on 2 cores (400 µs) minus Node + PostgreSQL (µs, headroom)",
        opsPerSecond: 400 - nodeUs - pgUs,
        target: 0,
      },
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
