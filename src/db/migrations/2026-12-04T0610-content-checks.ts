import { type Kysely, sql } from "kysely";

/**
 * 强制检测 (src/publishing/content-checks.*): an agency's sensitive words and its leaders' terms of office, checked
 * before sign-off; runs of the same checks over its published records, with their findings.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE sensitive_words (
      agency_id uuid NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      word text NOT NULL CHECK (btrim(word) <> '' AND length(word) <= 50),
      severity text NOT NULL CHECK (severity IN ('block', 'warn')),
      note text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, id),
      UNIQUE (agency_id, word)
    )`.execute(db);
  await sql`
    CREATE TABLE agency_leaders (
      agency_id uuid NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 20),
      title text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 30),
      valid_from date,
      valid_to date,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, id),
      CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to)
    )`.execute(db);
  await sql`
    CREATE TABLE content_check_runs (
      agency_id uuid NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      status text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
      started_by uuid REFERENCES staff_users (id) ON DELETE SET NULL,
      started_by_name text NOT NULL DEFAULT '',
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      records_checked integer NOT NULL DEFAULT 0,
      findings jsonb NOT NULL DEFAULT '[]',
      error text,
      PRIMARY KEY (agency_id, id)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE content_check_runs`.execute(db);
  await sql`DROP TABLE agency_leaders`.execute(db);
  await sql`DROP TABLE sensitive_words`.execute(db);
}
