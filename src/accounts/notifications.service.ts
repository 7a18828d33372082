/**
 * @module One person's notifications (通知): the list with the unread count, marking read, and the e-mail
 * settings (address and switch; validated and audited). Delivery is src/messaging/staff-notification.service.ts.
 */
import type { DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { validationError } from "../errors.ts";
import {
  countUnreadStaffNotifications,
  listStaffNotifications,
  markStaffNotificationsRead,
} from "../messaging/staff-notification.repository.ts";
import type { StaffNotificationRow } from "../messaging/staff-notification.table.ts";
import { isUuid } from "../shared/ids.ts";
import { findNotificationSettings, updateNotificationSettings } from "./notification-settings.repository.ts";
import type { StaffUser } from "./policy.ts";

/** Notifications listed on the page (newest first). */
export const NOTIFICATIONS_LISTED = 100;

export interface MyNotifications {
  notifications: StaffNotificationRow[];
  unread: number;
  email: string;
  emailNotifications: boolean;
}

export async function myNotifications(db: DbOrTx, user: StaffUser): Promise<MyNotifications> {
  const [notifications, unread, settings] = await Promise.all([
    listStaffNotifications(db, user.id, NOTIFICATIONS_LISTED),
    countUnreadStaffNotifications(db, user.id),
    findNotificationSettings(db, user.id),
  ]);
  return {
    notifications,
    unread,
    email: settings?.email ?? "",
    emailNotifications: settings?.emailNotifications ?? true,
  };
}

/** Marks one of the user's notifications (or all of them, id null) read; another person's id changes nothing. */
export async function markRead(db: DbOrTx, user: StaffUser, id: string | null, at: Date): Promise<number> {
  const valid = id && isUuid(id) ? id : null;
  if (id && !valid) return 0;
  return markStaffNotificationsRead(db, user.id, valid, at);
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

/** Saves the e-mail address (blank: none) and the switch; audited. */
export async function saveNotificationSettings(
  deps: Pick<Deps, "db" | "clock" | "audit">,
  user: StaffUser,
  input: { email: string; emailNotifications: boolean },
  ip: string | null,
): Promise<void> {
  const email = input.email.trim();
  if (email !== "" && (email.length > 200 || !EMAIL.test(email)))
    throw validationError([
      { field: "email", message: "请填写正确的邮箱地址，例如 zhangsan@example.gov.cn" },
    ]);
  await deps.db.transaction().execute(async (trx) => {
    const before = await findNotificationSettings(trx, user.id);
    const after = { email: email || null, emailNotifications: input.emailNotifications };
    await updateNotificationSettings(trx, user.id, after, deps.clock.now());
    await deps.audit.record(trx, {
      actorId: user.id,
      actorName: user.displayName,
      action: "account.notification_settings",
      agencyId: null,
      entityType: "staff_user",
      entityId: user.id,
      summary: `修改通知设置：${after.email ? `邮件发送至 ${after.email}` : "不填写邮箱"}，${after.emailNotifications ? "发送邮件" : "不发送邮件"}`,
      before,
      after,
      ip,
    });
  });
}
