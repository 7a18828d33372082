import { type Kysely, sql } from "kysely";

/**
 * Notifications to one staff member (src/messaging/staff-notification.service.ts): work that arrived (a record to
 * review, sign or publish, an application assigned) or came back (a record sent back), shown in the console
 * (通知, unread count in the navigation) and e-mailed to the account's address unless the person turned e-mail off.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE staff_users
      ADD COLUMN email text,
      ADD COLUMN email_notifications boolean NOT NULL DEFAULT true`.execute(db);
  await sql`
    CREATE TABLE staff_notifications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
      kind text NOT NULL,
      subject text NOT NULL,
      body text NOT NULL DEFAULT '',
      link text NOT NULL,
      dedupe_key text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      read_at timestamptz,
      emailed_at timestamptz,
      UNIQUE (user_id, dedupe_key)
    )`.execute(db);
  await sql`CREATE INDEX staff_notifications_user ON staff_notifications (user_id, created_at DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX staff_notifications_unread ON staff_notifications (user_id) WHERE read_at IS NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE staff_notifications`.execute(db);
  await sql`ALTER TABLE staff_users DROP COLUMN email, DROP COLUMN email_notifications`.execute(db);
}
