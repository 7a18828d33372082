import { type Kysely, sql } from "kysely";

/**
 * 条例第18条: 定期对不予公开的政府信息进行评估审查，对因情势变化可以公开的政府信息应当公开.
 *
 * `publishing_settings.rereview_interval_months`: the agency's re-review interval (default 12 months).
 * `record_rereviews`: each re-review of a 不予公开 / 依申请公开 record (who, when, conclusion, reason). The next review
 * falls due `interval` months after the last review (or after the record's 成文日期 when never reviewed).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE publishing_settings
      ADD COLUMN rereview_interval_months integer NOT NULL DEFAULT 12
        CHECK (rereview_interval_months BETWEEN 1 AND 60)`.execute(db);
  await sql`
    CREATE TABLE record_rereviews (
      agency_id uuid NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      record_id uuid NOT NULL,
      reviewed_on date NOT NULL,
      reviewed_by uuid REFERENCES staff_users(id) ON DELETE SET NULL,
      reviewer_name text NOT NULL,
      conclusion text NOT NULL CHECK (conclusion IN ('维持不予公开', '转为主动公开')),
      reason text NOT NULL CHECK (length(btrim(reason)) > 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, id),
      FOREIGN KEY (agency_id, record_id) REFERENCES records(agency_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX record_rereviews_record ON record_rereviews (agency_id, record_id, reviewed_on DESC)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE record_rereviews`.execute(db);
  await sql`ALTER TABLE publishing_settings DROP COLUMN rereview_interval_months`.execute(db);
}
