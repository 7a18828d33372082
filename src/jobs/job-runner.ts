/**
 * @module The job runner: pg-boss (its own `pgboss` schema in the application's database, created and migrated by
 * pg-boss at start) with one queue per job definition. Cron schedules are kept by pg-boss in the database, so every
 * process may run a runner: pg-boss sends each scheduled job once, whichever process's clock pass comes first, and
 * the queues use the `stately` policy — at most one job queued and one active per queue across all processes — so
 * a job never runs twice at the same time. Failures are retried with exponential backoff; queued and retrying jobs
 * are rows in the database and survive restarts. Every attempt is recorded in `job_runs` for the console.
 */
import { PgBoss } from "pg-boss";
import type { Deps } from "../deps.ts";
import type { JobContext, JobDefinition, JobSummary } from "./job.ts";
import { deleteRunsBefore, finishRun, insertRun } from "./jobs.repository.ts";

/** pg-boss's schema (kept apart from ours; backups of the database include it). */
export const BOSS_SCHEMA = "pgboss";
/** Cron expressions are read in this zone (dates of the 条例 are Asia/Shanghai dates). */
export const JOB_TIME_ZONE = "Asia/Shanghai";
const HISTORY_DAYS = 90;

export interface JobRunnerOptions {
  deps: Deps;
  /** Connection string of the application's database (pg-boss opens its own small pool). */
  connectionString: string;
  definitions: readonly JobDefinition[];
  /** Work on the queues in this process (default true). A process with `false` only enqueues. */
  work?: boolean;
  /** Worker polling interval (seconds, ≥ 0.5; default 5). Tests use a short one. */
  pollingIntervalSeconds?: number;
  /** Extra context for jobs that need the running app (the link check probes internal pages in process). */
  probe?: ((path: string) => Promise<number>) | undefined;
}

export interface QueueDepth {
  name: string;
  queued: number;
  active: number;
  failed: number;
}

export interface JobRunner {
  readonly definitions: readonly JobDefinition[];
  /** Queues a run now ("run now" in the console). Null when one is already queued (the stately policy). */
  enqueue(name: string, data?: Record<string, unknown>): Promise<string | null>;
  /** Jobs waiting, running and failed per queue (read from pg-boss's tables). */
  depth(): Promise<QueueDepth[]>;
  /** Next planned run of each scheduled job (from its cron expression). */
  nextRuns(): Map<string, Date>;
  stop(): Promise<void>;
}

/** Options shared by every queue: retries with exponential backoff, expiry, history retention. */
function queueOptions(def: JobDefinition) {
  return {
    policy: "stately" as const,
    retryLimit: def.retryLimit ?? 3,
    retryDelay: def.retryDelaySeconds ?? 60,
    retryBackoff: true,
    retryDelayMax: 3600,
    expireInSeconds: def.expireInSeconds ?? 30 * 60,
    deleteAfterSeconds: 14 * 24 * 3600,
  };
}

export function assertDefinitions(definitions: readonly JobDefinition[]): void {
  const seen = new Set<string>();
  for (const d of definitions) {
    if (!/^[a-z0-9][a-z0-9.-]*$/.test(d.name))
      throw new Error(`job name "${d.name}" must be a-z, 0-9, . and -`);
    if (seen.has(d.name)) throw new Error(`job "${d.name}" is defined twice`);
    seen.add(d.name);
  }
}

/** Runs one attempt of a job and records it in job_runs (also used by tests and `gongkai jobs run`). */
export async function runRecorded(def: JobDefinition, ctx: JobContext): Promise<JobSummary> {
  const { deps } = ctx;
  const runId = await insertRun(deps.db, {
    job: def.name,
    boss_id: ctx.jobId,
    attempt: ctx.attempt,
    started_at: new Date(),
  });
  const log = deps.logger.child({ job: def.name, jobId: ctx.jobId, attempt: ctx.attempt });
  log.info("job started");
  const started = performance.now();
  try {
    const summary = await def.run(ctx);
    await finishRun(deps.db, runId, { finished_at: new Date(), status: "succeeded", summary, error: null });
    log.info({ ms: Math.round(performance.now() - started), totals: summary.totals }, "job succeeded");
    return summary;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await finishRun(deps.db, runId, {
      finished_at: new Date(),
      status: "failed",
      summary: null,
      error: message.slice(0, 2000),
    }).catch(() => {});
    log.error({ err, ms: Math.round(performance.now() - started) }, "job failed");
    throw err;
  }
}

export async function startJobRunner(options: JobRunnerOptions): Promise<JobRunner> {
  const { deps, definitions } = options;
  assertDefinitions(definitions);
  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema: BOSS_SCHEMA,
    application_name: "gongkai-jobs",
    max: 4,
    migrate: true,
    createSchema: true,
    schedule: true,
    supervise: true,
  });
  boss.on("error", (err) => deps.logger.error({ err }, "job queue error"));
  boss.on("warning", (w) => deps.logger.warn({ warning: w }, "job queue warning"));
  await boss.start({ attempts: 3 });

  const byName = new Map(definitions.map((d) => [d.name, d]));
  const stopping = new AbortController();
  for (const def of definitions) {
    await boss.createQueue(def.name, queueOptions(def));
    // Keep retry settings current when a definition changes (the policy is fixed at creation).
    const { policy: _policy, retryDelayMax: _max, ...updatable } = queueOptions(def);
    await boss.updateQueue(def.name, updatable);
    if (def.cron) await boss.schedule(def.name, def.cron, {}, { tz: JOB_TIME_ZONE });
    else await boss.unschedule(def.name).catch(() => {});
  }
  if (options.work !== false) {
    for (const def of definitions) {
      await boss.work<Record<string, unknown>>(
        def.name,
        { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 5 },
        async ([job]) => {
          if (!job) return;
          await runRecorded(def, {
            deps,
            jobId: job.id,
            attempt: job.retryCount,
            signal: AbortSignal.any([job.signal, stopping.signal]),
            data: job.data ?? {},
            probe: options.probe,
          });
        },
      );
    }
  }
  // History housekeeping, at most once a day per process start (cheap DELETE on an index).
  await deleteRunsBefore(deps.db, new Date(Date.now() - HISTORY_DAYS * 86_400_000)).catch(() => 0);

  return {
    definitions,
    async enqueue(name, data = {}) {
      const def = byName.get(name);
      if (!def) throw new Error(`unknown job ${name}`);
      return boss.send(name, data);
    },
    async depth() {
      const names = definitions.map((d) => d.name);
      const { rows } = await boss
        .getDb()
        .executeSql(
          `SELECT name, state, count(*)::int AS n FROM ${BOSS_SCHEMA}.job WHERE name = ANY($1) AND state IN ('created', 'retry', 'active', 'failed') GROUP BY name, state`,
          [names],
        );
      const out = new Map<string, QueueDepth>(
        names.map((n) => [n, { name: n, queued: 0, active: 0, failed: 0 }]),
      );
      for (const r of rows as { name: string; state: string; n: number }[]) {
        const d = out.get(r.name);
        if (!d) continue;
        if (r.state === "active") d.active += r.n;
        else if (r.state === "failed") d.failed += r.n;
        else d.queued += r.n;
      }
      return [...out.values()];
    },
    nextRuns() {
      const out = new Map<string, Date>();
      for (const def of definitions) {
        if (!def.cron) continue;
        const [next] = boss.previewSchedule(def.cron, { tz: JOB_TIME_ZONE, count: 1 });
        if (next) out.set(def.name, next);
      }
      return out;
    },
    async stop() {
      stopping.abort();
      await boss.stop({ graceful: true, timeout: 20_000 });
    },
  };
}
