/**
 * @module Notifications to the applicant (pure): which handling step is a milestone the applicant is told about
 * (received, 补正 requested, extended, replied), the message in plain words, and quiet hours — a message due in the
 * quiet hours waits until they end (Beijing time). Table-tested in applicant-messages.rules.test.ts.
 */
import type { Milestone } from "./applicant-online.table.ts";
import type { EventKind, InfoRequestStatus } from "./info-request.ts";

const HOUR = 3_600_000;
const SHANGHAI = 8 * HOUR;

/**
 * The milestone a step is, if any. 条例第31条 receipt, 第30条 补正, 第33条 extension, and any conclusion (a reply
 * of any outcome, a lapse, a refusal under 第35条): the applicant learns of each without having to look.
 */
export function milestoneOf(
  kind: EventKind,
  statusAfter: InfoRequestStatus,
  statusBefore: InfoRequestStatus,
): Milestone | null {
  if (kind === "receipt_confirmed") return "received";
  if (kind === "correction_requested") return "correction";
  if (kind === "extension_approved") return "extended";
  if (statusAfter === "concluded" && statusBefore !== "concluded") return "replied";
  return null;
}

/**
 * The first instant at or after `now` outside the quiet hours [quietFrom:00, quietUntil:00) Beijing time. The
 * window may span midnight (22 → 8). Equal hours mean no quiet hours.
 */
export function nextAllowedTime(now: Date, quietFrom: number, quietUntil: number): Date {
  if (quietFrom === quietUntil) return now;
  const local = now.getTime() + SHANGHAI;
  const hour = Math.floor((local % (24 * HOUR)) / HOUR);
  const quiet =
    quietFrom < quietUntil ? hour >= quietFrom && hour < quietUntil : hour >= quietFrom || hour < quietUntil;
  if (!quiet) return now;
  const dayStart = local - (local % (24 * HOUR));
  let end = dayStart + quietUntil * HOUR;
  if (end <= local) end += 24 * HOUR;
  return new Date(end - SHANGHAI);
}

export interface MilestoneFacts {
  agencyName: string;
  number: string;
  title: string;
  /** The public note of the step (「本机关于…」), already in plain words. */
  note: string;
  /** Where the applicant looks (the access page: no secret in an e-mail that may be forwarded). */
  statusUrl: string;
}

const SUBJECTS: Record<Milestone, string> = {
  received: "本机关已收到您的申请",
  correction: "请补正您的申请",
  extended: "答复期限已延长",
  replied: "本机关已答复您的申请",
};

const NEXT: Record<Milestone, string> = {
  received: "本机关将在答复期限内答复。",
  correction: "请在补正期限内补正，可以登录申请页面在线提交补正内容和材料。",
  extended: "本机关将在延长后的期限内答复。",
  replied:
    "答复告知书已生成，可在申请页面查看和下载；选择在线查看或电子文档的，所提供的信息也可在申请页面下载。",
};

/** The e-mail subject and text of a milestone, without personal data (an SMS carries the subject and the link). */
export function milestoneMessage(m: Milestone, f: MilestoneFacts): { subject: string; body: string } {
  const subject = `【${f.agencyName}】${SUBJECTS[m]}（申请编号${f.number}）`;
  const body = `您好：\n\n您向${f.agencyName}提交的政府信息公开申请（编号${f.number}，所需信息：${f.title}）有新进展：\n${f.note}\n${NEXT[m]}\n\n查看办理进度：${f.statusUrl}（需要查询码和联系电话后四位，或申请一次性链接）\n\n本邮件由系统自动发送，请勿回复。`;
  return { subject, body };
}
