/**
 * @module Notifications to the applicant (issue #16 item 5): each milestone (received, 补正 requested, extended,
 * replied) is queued in the outbox (`info_request_messages`) in the same transaction as the step, to be sent no
 * earlier than the end of the agency's quiet hours; the job requests.applicant-messages (every 5 minutes, pg-boss)
 * sends what is due by e-mail (SMTP_URL) and SMS (SMS_GATEWAY_URL) to the contact details given with the application,
 * decrypted only at sending time (none are left after the retention purge: the message is then skipped).
 */
import type { Agency } from "../agencies/agency.service.ts";
import type { Tx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import type { Messenger } from "../messaging/messenger.ts";
import { milestoneMessage, milestoneOf, nextAllowedTime } from "./applicant-messages.rules.ts";
import { claimDueMessages, queueMessage, updateMessage } from "./applicant-online.repository.ts";
import { findInfoRequest } from "./info-request.repository.ts";
import type { RequestSettings } from "./info-request.service.ts";
import type { InfoRequestRow } from "./info-request.table.ts";
import type { EventKind } from "./info-request.ts";
import { decryptPersonal, parseEncryptionKey } from "./personal-data.ts";

/** Attempts before a message is given up (the handler sees 发送失败 on the application page). */
export const MAX_ATTEMPTS = 5;
const BATCH = 50;

/** Queues the milestone a step is, if any (inside the step's transaction). */
export async function queueMilestone(
  trx: Tx,
  deps: Pick<Deps, "clock" | "config">,
  o: {
    agency: Agency;
    settings: RequestSettings;
    before: InfoRequestRow;
    after: InfoRequestRow;
    event: { kind: EventKind; note: string };
  },
): Promise<void> {
  const milestone = milestoneOf(o.event.kind, o.after.status, o.before.status);
  if (!milestone || !o.after.personal_enc) return;
  const text = milestoneMessage(milestone, {
    agencyName: o.agency.name,
    number: o.after.number,
    title: o.after.info_title,
    note: o.event.note,
    statusUrl: `${deps.config.publicUrl}/apply/status`,
  });
  await queueMessage(trx, {
    agency_id: o.agency.id,
    request_id: o.after.id,
    milestone,
    subject: text.subject,
    body: text.body,
    send_after: nextAllowedTime(deps.clock.now(), o.settings.quietFrom, o.settings.quietUntil),
  });
}

export interface SendSummary {
  sent: number;
  failed: number;
  skipped: number;
  retried: number;
}

/** Sends the queued messages due now (each message once; failures retried up to MAX_ATTEMPTS). */
export async function sendDueMessages(
  deps: Pick<Deps, "db" | "clock" | "config" | "logger">,
  messenger: Messenger,
): Promise<SendSummary> {
  const summary: SendSummary = { sent: 0, failed: 0, skipped: 0, retried: 0 };
  const key = deps.config.encryptionKey ? parseEncryptionKey(deps.config.encryptionKey) : undefined;
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    for (const msg of await claimDueMessages(trx, now, BATCH)) {
      const row = await findInfoRequest(trx, msg.agency_id, msg.request_id);
      const personal = row?.personal_enc && key ? decryptPersonal(key, row.personal_enc, row.id) : null;
      const email = personal?.email && messenger.email ? personal.email : null;
      const phone = personal?.phone && messenger.sms ? personal.phone : null;
      if (!email && !phone) {
        await updateMessage(trx, msg.agency_id, msg.id, { status: "skipped" });
        summary.skipped++;
        continue;
      }
      const channels: string[] = [];
      const errors: string[] = [];
      if (email)
        try {
          await messenger.email?.({ to: [email], subject: msg.subject, text: msg.body });
          channels.push("电子邮件");
        } catch (e) {
          errors.push(`电子邮件：${e instanceof Error ? e.message.slice(0, 200) : "发送失败"}`);
        }
      if (phone)
        try {
          await messenger.sms?.(phone, `${msg.subject}。查看办理进度：${deps.config.publicUrl}/apply/status`);
          channels.push("短信");
        } catch (e) {
          errors.push(`短信：${e instanceof Error ? e.message.slice(0, 200) : "发送失败"}`);
        }
      if (channels.length) {
        await updateMessage(trx, msg.agency_id, msg.id, {
          status: "sent",
          channels,
          sent_at: now,
          last_error: errors.join("；") || null,
        });
        summary.sent++;
      } else if (msg.attempts + 1 >= MAX_ATTEMPTS) {
        await updateMessage(trx, msg.agency_id, msg.id, { status: "failed", last_error: errors.join("；") });
        summary.failed++;
      } else {
        // Retry later with a growing delay (5, 10, 20, 40 minutes).
        await updateMessage(trx, msg.agency_id, msg.id, {
          last_error: errors.join("；"),
          send_after: new Date(now.getTime() + 5 * 60_000 * 2 ** msg.attempts),
        });
        summary.retried++;
        deps.logger.warn(
          { requestId: msg.request_id, errors },
          "applicant notification not sent; will retry",
        );
      }
    }
  });
  return summary;
}
