/**
 * @module Row type of `job_runs` (migration 2026-12-03T1800-create-job-runs): one row per attempt of a background
 * job, written by the runner (src/jobs/job-runner.ts). pg-boss keeps its own queue state in the `pgboss` schema;
 * this table is the history the console shows (last runs, failures) and is kept 90 days.
 */
import type { ColumnType, Generated, JSONColumnType, Selectable } from "kysely";
import type { JobSummary } from "./job.ts";

export type JobRunStatus = "running" | "succeeded" | "failed";

export interface JobRunTable {
  id: Generated<number>;
  job: string;
  /** pg-boss job id. */
  boss_id: string;
  attempt: number;
  started_at: ColumnType<Date, Date, never>;
  finished_at: Date | null;
  status: JobRunStatus;
  summary: JSONColumnType<JobSummary | null, string | null, string | null>;
  error: string | null;
}

export type JobRunRow = Selectable<JobRunTable>;
