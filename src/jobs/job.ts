/**
 * @module What a background job is. Features contribute definitions (`publishingJobs`, `requestJobs`,
 * `reportJobs`, … in their `*.jobs.ts`); src/app-jobs.ts collects them and the runner (job-runner.ts) schedules and
 * executes them on pg-boss. A definition is plain data plus a `run` function: importing it starts nothing.
 */
import type { Deps } from "../deps.ts";

/** Per-agency figures of one run (agency id → counts), so an agency administrator sees only their agency's part. */
export type AgencyFigures = Record<string, Record<string, number>>;

export interface JobSummary {
  /** Totals of the run, e.g. { notices: 3, mailed: 2 }. */
  totals: Record<string, number>;
  agencies?: AgencyFigures;
  /** One line for the console, in Chinese. */
  note?: string;
}

export interface JobContext {
  deps: Deps;
  /** pg-boss job id and attempt (0 = first try). */
  jobId: string;
  attempt: number;
  /** Aborted when the runner stops (graceful shutdown): long jobs should check it between units of work. */
  signal: AbortSignal;
  /** Data the job was sent with (cron: `{}`; "run now": `{ manual: true, by }`). */
  data: Record<string, unknown>;
  /** Status the running app answers for an anonymous GET of an internal path (absent outside the server). */
  probe?: ((path: string) => Promise<number>) | undefined;
}

export interface JobDefinition {
  /** Queue name, `feature.what` (letters, digits, dots and dashes). */
  name: string;
  /** Chinese name for the console. */
  title: string;
  /** What it does, one sentence (Chinese). */
  description: string;
  /** Cron expression in Asia/Shanghai time, or null when the job only runs on demand. */
  cron: string | null;
  /** Retries after a failure (exponential backoff from `retryDelaySeconds`). Default 3 and 60 s. */
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** A run still active after this long is considered dead and retried. Default 30 minutes. */
  expireInSeconds?: number;
  run(ctx: JobContext): Promise<JobSummary>;
}

/** Adds one agency's figures to a summary (helper for jobs that loop over agencies). */
export function addFigures(summary: JobSummary, agencyId: string, figures: Record<string, number>): void {
  summary.agencies ??= {};
  const own = summary.agencies[agencyId] ?? {};
  summary.agencies[agencyId] = own;
  for (const [k, v] of Object.entries(figures)) {
    own[k] = (own[k] ?? 0) + v;
    summary.totals[k] = (summary.totals[k] ?? 0) + v;
  }
}
