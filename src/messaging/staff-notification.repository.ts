/**
 * @module SQL for staff notifications (one person's 通知): insert with de-duplication, the list, the unread count,
 * marking read and e-mailed. Plain functions, database (or transaction) first.
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import type { StaffNotificationRow } from "./staff-notification.table.ts";

export async function insertStaffNotification(
  db: DbOrTx,
  row: { user_id: string; kind: string; subject: string; body: string; link: string; dedupe_key: string },
): Promise<StaffNotificationRow | undefined> {
  return db
    .insertInto("staff_notifications")
    .values(row)
    .onConflict((oc) => oc.columns(["user_id", "dedupe_key"]).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function listStaffNotifications(
  db: DbOrTx,
  userId: string,
  limit: number,
): Promise<StaffNotificationRow[]> {
  return db
    .selectFrom("staff_notifications")
    .selectAll()
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .limit(limit)
    .execute();
}

export async function countUnreadStaffNotifications(db: DbOrTx, userId: string): Promise<number> {
  const row = await db
    .selectFrom("staff_notifications")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks one (id) or every unread notification of the user read; returns how many changed. */
export async function markStaffNotificationsRead(
  db: DbOrTx,
  userId: string,
  id: string | null,
  at: Date,
): Promise<number> {
  let q = db
    .updateTable("staff_notifications")
    .set({ read_at: sql`COALESCE(read_at, ${at}::timestamptz)` })
    .where("user_id", "=", userId)
    .where("read_at", "is", null);
  if (id) q = q.where("id", "=", id);
  const rows = await q.returning("id").execute();
  return rows.length;
}

export async function markStaffNotificationEmailed(db: DbOrTx, id: string, at: Date): Promise<void> {
  await db.updateTable("staff_notifications").set({ emailed_at: at }).where("id", "=", id).execute();
}
