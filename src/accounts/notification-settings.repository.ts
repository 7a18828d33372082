/**
 * @module SQL for a staff member's notification settings (the e-mail address and whether notifications are
 * e-mailed), columns of staff_users.
 */
import type { DbOrTx } from "../db/database.ts";

export async function findNotificationSettings(
  db: DbOrTx,
  userId: string,
): Promise<{ email: string | null; emailNotifications: boolean } | undefined> {
  const row = await db
    .selectFrom("staff_users")
    .select(["email", "email_notifications"])
    .where("id", "=", userId)
    .executeTakeFirst();
  return row ? { email: row.email, emailNotifications: row.email_notifications } : undefined;
}

export async function updateNotificationSettings(
  db: DbOrTx,
  userId: string,
  s: { email: string | null; emailNotifications: boolean },
  at: Date,
): Promise<void> {
  await db
    .updateTable("staff_users")
    .set({ email: s.email, email_notifications: s.emailNotifications, updated_at: at })
    .where("id", "=", userId)
    .execute();
}
