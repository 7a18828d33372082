import { type Kysely, sql } from "kysely";

/**
 * Scheduled publication (定时发布) and scheduled withdrawal (定时下线/废止) of records
 * (src/publishing/record-schedule.service.ts): who set each, when, and why; the job `publishing.scheduled` acts on
 * them when their time has come.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE records
      ADD COLUMN scheduled_publish_at timestamptz,
      ADD COLUMN scheduled_publish_by uuid REFERENCES staff_users (id) ON DELETE SET NULL,
      ADD COLUMN scheduled_publish_by_name text,
      ADD COLUMN scheduled_publish_pii_reason text,
      ADD COLUMN scheduled_withdraw_at timestamptz,
      ADD COLUMN scheduled_withdraw_by uuid REFERENCES staff_users (id) ON DELETE SET NULL,
      ADD COLUMN scheduled_withdraw_by_name text,
      ADD COLUMN scheduled_withdraw_reason text,
      ADD CONSTRAINT records_scheduled_withdraw_reason
        CHECK (scheduled_withdraw_at IS NULL OR coalesce(btrim(scheduled_withdraw_reason), '') <> '')`.execute(
    db,
  );
  await sql`CREATE INDEX records_scheduled_publish ON records (scheduled_publish_at)
    WHERE scheduled_publish_at IS NOT NULL`.execute(db);
  await sql`CREATE INDEX records_scheduled_withdraw ON records (scheduled_withdraw_at)
    WHERE scheduled_withdraw_at IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE records
      DROP COLUMN scheduled_publish_at, DROP COLUMN scheduled_publish_by, DROP COLUMN scheduled_publish_by_name,
      DROP COLUMN scheduled_publish_pii_reason, DROP COLUMN scheduled_withdraw_at, DROP COLUMN scheduled_withdraw_by,
      DROP COLUMN scheduled_withdraw_by_name, DROP COLUMN scheduled_withdraw_reason`.execute(db);
}
