/**
 * @module `gongkai serve --workers N`: one primary process and N worker processes (node:cluster) sharing the port.
 * The primary starts the database (the embedded PostgreSQL, or checks DATABASE_URL), migrates, seeds the demo and
 * writes the secret and key files; then it forks the workers, which attach to that database and serve HTTP (the
 * primary hands connections round-robin). Exactly one worker — the first — runs the background job runner
 * (GONGKAI_JOBS=true; the others get false): the primary elects it, and re-forks it with the same role if it dies.
 * Page caches stay coherent through the LISTEN/NOTIFY event bridge every worker runs; rate limits are counted in
 * PostgreSQL. SIGINT/SIGTERM: the primary asks every worker to stop (each finishes its requests and jobs), waits
 * for them, then stops the embedded PostgreSQL.
 */
import cluster, { type Worker } from "node:cluster";
import { type CliEnv, CliError, type CliIo } from "./command.ts";
import type { Runtime } from "./runtime.ts";

/** Environment variable telling a forked worker its number (1…N). */
export const WORKER_ENV = "GONGKAI_WORKER";
export const MAX_WORKERS = 64;
/** How long the primary waits for workers to finish before killing them. */
const STOP_GRACE_MS = 30_000;

/** `--workers` value: absent → 1; otherwise an integer 1…64 (usage error, exit 2, for anything else). */
export function parseWorkers(value: unknown): number {
  if (value === undefined) return 1;
  const text = String(value);
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS)
    throw new CliError(`--workers must be a whole number from 1 to ${MAX_WORKERS} (got "${text}")`, 2);
  return n;
}

/** This process's worker number when it is a worker of `serve --workers`, else null. */
export function workerNumber(env: CliEnv): number | null {
  if (!cluster.isWorker) return null;
  const n = Number(env[WORKER_ENV]);
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** The primary: forks and supervises the workers until SIGINT/SIGTERM, then stops them and the database. */
export async function runPrimary(runtime: Runtime, count: number, io: CliIo, env: CliEnv): Promise<number> {
  const { deps } = runtime;
  const log = deps.logger.child({ cluster: "primary" });
  const jobs = deps.config.jobs;
  const workers = new Map<number, Worker>();
  let stopping = false;
  let listening = 0;
  const restarts = new Map<number, number>();

  const fork = (n: number) => {
    const worker = cluster.fork({
      ...env,
      [WORKER_ENV]: String(n),
      // The elected job runner: worker 1 only (and only when jobs are on for this installation).
      GONGKAI_JOBS: jobs && n === 1 ? "true" : "false",
    });
    workers.set(n, worker);
    worker.once("listening", () => {
      listening++;
      if (listening === count)
        io.stdout.write(
          `Gongkai 已启动：${count} 个工作进程 / listening on ${deps.config.publicUrl} with ${count} workers\n`,
        );
    });
    worker.once("exit", (code, signal) => {
      if (workers.get(n) === worker) workers.delete(n);
      if (stopping) return;
      // A worker died: start another with the same number (and role) after a pause that grows with repeats.
      const tries = (restarts.get(n) ?? 0) + 1;
      restarts.set(n, tries);
      const delay = Math.min(30_000, 500 * 2 ** Math.min(tries - 1, 6));
      log.error({ worker: n, code, signal, restartInMs: delay }, "worker exited; restarting it");
      setTimeout(() => {
        if (!stopping) fork(n);
      }, delay).unref();
    });
  };

  for (let n = 1; n <= count; n++) fork(n);
  log.info({ workers: count, jobRunner: jobs ? 1 : null }, "workers started");

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, "stopping workers");
      const exits = [...workers.values()].map(
        (w) =>
          new Promise<void>((done) => {
            if (w.isDead()) return done();
            w.once("exit", () => done());
            w.process.kill("SIGTERM");
          }),
      );
      const timer = setTimeout(() => {
        for (const w of workers.values()) if (!w.isDead()) w.process.kill("SIGKILL");
      }, STOP_GRACE_MS);
      Promise.all(exits).then(() => {
        clearTimeout(timer);
        resolve();
      });
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
  await runtime.close();
  log.info("stopped");
  return 0;
}
