/**
 * @module Duty notices (到期提醒): in-app notices to the responsible department before a due date (within 3 working
 * days) and after it (overdue), each once per duty and due date; optional e-mail through the configured SMTP server
 * (config.smtpUrl). The background jobs (src/publishing/publishing.jobs.ts and the other features' *.jobs.ts) create
 * them daily; other features deliver their own notices (applications, annual reports, broken links) through
 * `deliverNotices`.
 */
import { formatChineseDate } from "../calendar/index.ts";
import type { Config } from "../config.ts";
import type { DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { smtpSender } from "../messaging/messenger.ts";
import { type DueEntry, dueEntries } from "./compliance.service.ts";
import { insertNotice, listNotices, markNoticeEmailed, markNoticeRead } from "./notification.repository.ts";
import { findSettings } from "./record.repository.ts";
import type { DutyNoticeRow } from "./record.table.ts";

/** Notices start this many working days before a due date. */
export const NOTICE_BEFORE_WORKING_DAYS = 3;

export interface NoticeDraft {
  /** due_soon | overdue (records, obligations); other features use their own prefixed kinds (request_due_soon …). */
  kind: string;
  departmentId: string | null;
  subject: string;
  body: string;
  link: string;
  dedupeKey: string;
}

/** The notices due entries call for on `asOf` (pure). */
export function noticesFor(entries: readonly DueEntry[], asOf: string): NoticeDraft[] {
  const out: NoticeDraft[] = [];
  for (const e of entries) {
    const what = e.kind === "record" ? `《${e.title}》` : e.title;
    if (e.due < asOf) {
      out.push({
        kind: "overdue",
        departmentId: e.departmentId,
        subject: `【已逾期】${what}应于${formatChineseDate(e.due)}前公开`,
        body: `${what}的公开时限已于${formatChineseDate(e.due)}届满，尚未公开（已逾期${Math.abs(e.workingDays)}个工作日）。${e.explanation}请尽快办理；如本期确无新增信息，请由审签人签署“本期无新增信息”。`,
        link: e.link,
        dedupeKey: `overdue:${e.kind}:${e.id}:${e.due}`,
      });
    } else if (e.workingDays <= NOTICE_BEFORE_WORKING_DAYS) {
      out.push({
        kind: "due_soon",
        departmentId: e.departmentId,
        subject: `【即将到期】${what}应于${formatChineseDate(e.due)}前公开`,
        body: `${what}应于${formatChineseDate(e.due)}前公开（${e.workingDays === 0 ? "今日到期" : `还剩${e.workingDays}个工作日`}）。${e.explanation}`,
        link: e.link,
        dedupeKey: `due_soon:${e.kind}:${e.id}:${e.due}`,
      });
    }
  }
  return out;
}

export interface Mailer {
  send(message: { to: string[]; subject: string; text: string }): Promise<void>;
}

/** A mailer over config.smtpUrl, or undefined when e-mail is not configured. */
export function createMailer(config: Pick<Config, "smtpUrl" | "mailFrom">): Mailer | undefined {
  const send = smtpSender(config);
  return send ? { send } : undefined;
}

function recipients(notifyEmails: Record<string, string[]>, departmentId: string | null): string[] {
  return [
    ...new Set([...(notifyEmails["*"] ?? []), ...(departmentId ? (notifyEmails[departmentId] ?? []) : [])]),
  ];
}

export interface NoticeRun {
  created: DutyNoticeRow[];
  /** Settles when every e-mail of this run has been attempted (callers normally do not wait for it). */
  mailed: Promise<{ sent: number; failed: number }>;
}

/** Creates the notices due on `asOf` (idempotent) and starts e-mailing the new ones in the background. */
export async function runDutyNotices(
  deps: Pick<Deps, "db" | "calendarCache" | "config" | "logger">,
  agencyId: string,
  asOf: string,
  mailer: Mailer | undefined = createMailer(deps.config),
): Promise<NoticeRun> {
  return deliverNotices(deps, agencyId, noticesFor(await dueEntries(deps, agencyId, asOf), asOf), mailer);
}

/**
 * Stores notices (each at most once per agency and dedupe key) and e-mails the new ones to the agency's notify
 * addresses when a mailer is given. Any feature may deliver notices through this.
 */
export async function deliverNotices(
  deps: Pick<Deps, "db" | "config" | "logger">,
  agencyId: string,
  drafts: readonly NoticeDraft[],
  mailer: Mailer | undefined = createMailer(deps.config),
): Promise<NoticeRun> {
  const created: DutyNoticeRow[] = [];
  for (const d of drafts) {
    const row = await insertNotice(deps.db, {
      agency_id: agencyId,
      department_id: d.departmentId,
      kind: d.kind,
      subject: d.subject,
      body: d.body,
      link: d.link,
      dedupe_key: d.dedupeKey,
    });
    if (row) created.push(row);
  }
  const settings = created.length > 0 ? await findSettings(deps.db, agencyId) : undefined;
  const mailed =
    mailer && created.length > 0
      ? mailNotices(deps, mailer, created, settings?.notify_emails ?? {})
      : Promise.resolve({ sent: 0, failed: 0 });
  return { created, mailed };
}

async function mailNotices(
  deps: Pick<Deps, "db" | "config" | "logger">,
  mailer: Mailer,
  notices: DutyNoticeRow[],
  notifyEmails: Record<string, string[]>,
): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  for (const n of notices) {
    const to = recipients(notifyEmails, n.department_id);
    if (to.length === 0) continue;
    try {
      await mailer.send({
        to,
        subject: n.subject,
        text: `${n.body}\n\n办理入口：${deps.config.publicUrl}${n.link}\n\n（本邮件由政务公开平台自动发送，请勿回复。）`,
      });
      await markNoticeEmailed(deps.db, n.agency_id, n.id, new Date());
      sent++;
    } catch (err) {
      failed++;
      deps.logger.warn({ err, notice: n.id }, "duty notice e-mail failed");
    }
  }
  return { sent, failed };
}

export async function noticesForUser(
  db: DbOrTx,
  agencyId: string,
  departmentIds: string[] | undefined,
  limit = 50,
): Promise<DutyNoticeRow[]> {
  return listNotices(db, { agencyId, departmentIds, limit });
}

/** Marks the agency's notice read (idempotent); false when the agency has no such notice. */
export async function readNotice(db: DbOrTx, agencyId: string, id: string, at: Date): Promise<boolean> {
  return markNoticeRead(db, agencyId, id, at);
}
