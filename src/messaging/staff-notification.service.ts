/**
 * @module Notifications to staff members (通知): when work arrives (a record to review, sign or publish, an
 * application assigned) or comes back (a record sent back), each recipient gets a notification in the console
 * (the 通知 page, its unread count in the navigation) and, when the account has an e-mail address and the person
 * has not turned e-mail off, an e-mail through `deps.messenger`. Features decide who is told and what
 * (src/publishing/record-notify.ts, src/requests/handling.service.ts); recipients come from
 * `staffWhoCan` (src/accounts/staff-directory.read.ts). Duty notices to a whole 股室 stay in publishing's
 * notification.service.ts.
 */
import type { Deps } from "../deps.ts";
import { insertStaffNotification, markStaffNotificationEmailed } from "./staff-notification.repository.ts";
import type { StaffNotificationRow } from "./staff-notification.table.ts";

/** Who is told: the account, and its e-mail address when e-mail is wanted. */
export interface StaffRecipient {
  id: string;
  email: string | null;
  emailNotifications: boolean;
}

export interface StaffNotice {
  kind: string;
  subject: string;
  body: string;
  link: string;
  /** Unique per person: the same key never notifies twice. */
  dedupeKey: string;
}

/**
 * Stores the notice for every recipient (once per person and key) and e-mails the new ones that want e-mail.
 * E-mail failures are logged and leave the in-app notification in place. Resolves when every e-mail was tried.
 */
export async function notifyStaff(
  deps: Pick<Deps, "db" | "config" | "logger" | "messenger">,
  recipients: readonly StaffRecipient[],
  notice: StaffNotice,
): Promise<{ created: StaffNotificationRow[]; emailed: number }> {
  const created: StaffNotificationRow[] = [];
  let emailed = 0;
  const seen = new Set<string>();
  for (const r of recipients) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    const row = await insertStaffNotification(deps.db, {
      user_id: r.id,
      kind: notice.kind,
      subject: notice.subject,
      body: notice.body,
      link: notice.link,
      dedupe_key: notice.dedupeKey,
    });
    if (!row) continue;
    created.push(row);
    const send = deps.messenger?.email;
    if (!send || !r.email || !r.emailNotifications) continue;
    try {
      await send({
        to: [r.email],
        subject: notice.subject,
        text: `${notice.body}\n\n办理入口：${deps.config.publicUrl}${notice.link}\n\n（本邮件由政务公开平台自动发送，请勿回复。如不需要邮件通知，可在工作台“通知”页面关闭。）`,
      });
      await markStaffNotificationEmailed(deps.db, row.id, new Date());
      emailed++;
    } catch (err) {
      deps.logger.warn({ err, notification: row.id }, "staff notification e-mail failed");
    }
  }
  return { created, emailed };
}
