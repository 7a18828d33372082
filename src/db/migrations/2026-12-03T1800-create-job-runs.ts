import { type Kysely, sql } from "kysely";

/**
 * Background jobs (src/jobs): pg-boss creates and migrates its own schema (`pgboss`) when the runner starts; this
 * migration adds our history of runs, which the console shows (last runs, failures).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE job_runs (
      id bigserial PRIMARY KEY,
      job text NOT NULL CHECK (job ~ '^[a-z0-9.-]+$'),
      boss_id text NOT NULL,
      attempt integer NOT NULL CHECK (attempt >= 0),
      started_at timestamptz NOT NULL,
      finished_at timestamptz,
      status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
      summary jsonb,
      error text
    )`.execute(db);
  await sql`CREATE INDEX job_runs_job ON job_runs (job, started_at DESC)`.execute(db);
  await sql`CREATE INDEX job_runs_failed ON job_runs (started_at DESC) WHERE status = 'failed'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE job_runs`.execute(db);
}
