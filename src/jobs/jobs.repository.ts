/**
 * @module SQL of `job_runs` (background job history).
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import type { JobSummary } from "./job.ts";
import type { JobRunRow } from "./jobs.table.ts";

export async function insertRun(
  db: DbOrTx,
  row: { job: string; boss_id: string; attempt: number; started_at: Date },
): Promise<number> {
  const { id } = await db
    .insertInto("job_runs")
    .values({ ...row, status: "running", summary: null })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

export async function finishRun(
  db: DbOrTx,
  id: number,
  patch: {
    finished_at: Date;
    status: "succeeded" | "failed";
    summary: JobSummary | null;
    error: string | null;
  },
): Promise<void> {
  await db
    .updateTable("job_runs")
    .set({ ...patch, summary: patch.summary ? JSON.stringify(patch.summary) : null })
    .where("id", "=", id)
    .execute();
}

/** The newest runs of each job (up to `perJob`), newest first. */
export async function recentRuns(db: DbOrTx, perJob: number): Promise<JobRunRow[]> {
  const ranked = db
    .selectFrom("job_runs")
    .selectAll()
    .select(sql<number>`row_number() OVER (PARTITION BY job ORDER BY started_at DESC, id DESC)`.as("rank"))
    .as("ranked");
  const rows = await db
    .selectFrom(ranked)
    .selectAll()
    .where("rank", "<=", perJob)
    .orderBy("job")
    .orderBy("started_at", "desc")
    .execute();
  return rows.map(({ rank: _rank, ...row }) => row as JobRunRow);
}

/** Failed runs, newest first. */
export async function recentFailures(db: DbOrTx, limit: number): Promise<JobRunRow[]> {
  return db
    .selectFrom("job_runs")
    .selectAll()
    .where("status", "=", "failed")
    .orderBy("started_at", "desc")
    .limit(limit)
    .execute();
}

export async function runsOf(db: DbOrTx, job: string, limit: number): Promise<JobRunRow[]> {
  return db
    .selectFrom("job_runs")
    .selectAll()
    .where("job", "=", job)
    .orderBy("started_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

/** Deletes history older than `before` (the runner's housekeeping). */
export async function deleteRunsBefore(db: DbOrTx, before: Date): Promise<number> {
  const result = await db.deleteFrom("job_runs").where("started_at", "<", before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
