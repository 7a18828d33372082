/**
 * @module Notifications of the record workflow: when a record is submitted, reviewed or signed, the people who
 * must take the next step (审核, 审签, 发布 — in the record's agency and 股室) are told; when it is sent back, the
 * editor who submitted it is told with the reason. In the console (通知) and by e-mail (src/messaging/
 * staff-notification.service.ts). Registered by registerFeatures on the `record.workflow` event; only events of
 * this process are acted on (a relayed copy would notify twice).
 */
import type { Action } from "../accounts/policy.ts";
import { type StaffContact, staffContacts, staffWhoCan } from "../accounts/staff-directory.read.ts";
import { findAgency } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import type { DomainEvents } from "../events.ts";
import { notifyStaff } from "../messaging/staff-notification.service.ts";
import { adminRecordPath } from "./record.paths.ts";
import { findRecord, findRevision } from "./record.repository.ts";

/** Who acts after each step, and what they are told. */
const NEXT: Record<string, { action: Action; kind: string; tag: string; what: string } | undefined> = {
  submit: {
    action: "record.review",
    kind: "record_review",
    tag: "待审核",
    what: "已提交审核，请进行保密审查和审核",
  },
  review: { action: "record.approve", kind: "record_approve", tag: "待审签", what: "已通过审核，请审签" },
  approve: {
    action: "record.publish",
    kind: "record_publish",
    tag: "待发布",
    what: "已审签，请在公开时限内发布",
  },
};

type WorkflowEvent = DomainEvents["record.workflow"];

/** Creates (and e-mails) the notifications one workflow step calls for. Returns how many were created. */
export async function notifyRecordStep(
  deps: Pick<Deps, "db" | "config" | "logger" | "messenger" | "consoleLinks">,
  e: WorkflowEvent,
): Promise<number> {
  const next = NEXT[e.step];
  if (!next && e.step !== "return") return 0;
  const record = await findRecord(deps.db, e.agencyId, e.recordId);
  if (!record) return 0;
  const revision = await findRevision(deps.db, e.agencyId, e.recordId, record.latest_revision_no);
  const agency = await findAgency(deps.db, e.agencyId);
  if (!revision || !agency) return 0;
  const title = revision.content.title || record.title;
  const link = adminRecordPath(record.id, agency.slug);
  const stamp = `${revision.revision_no}:${revision.updated_at.getTime()}`;
  let recipients: StaffContact[];
  let notice: { kind: string; subject: string; body: string };
  if (e.step === "return") {
    const editor = revision.submitted_by ?? revision.created_by;
    recipients = editor ? await staffContacts(deps.db, [editor]) : [];
    notice = {
      kind: "record_returned",
      subject: `【退回修改】《${title}》`,
      body: `《${title}》已被退回修改。退回理由：${revision.returned_reason ?? "（未填写）"}。请修改后重新提交审核。`,
    };
  } else if (next) {
    recipients = await staffWhoCan(deps.db, next.action, {
      agencyId: e.agencyId,
      departmentId: record.department_id,
    });
    notice = {
      kind: next.kind,
      subject: `【${next.tag}】《${title}》`,
      body: `${agency.name}《${title}》${next.what}。`,
    };
  } else return 0;
  // The person who took the step is not told about their own work.
  recipients = recipients.filter((r) => r.id !== e.actorId);
  const { created } = await notifyStaff(deps, recipients, {
    ...notice,
    link,
    dedupeKey: `${notice.kind}:${record.id}:${stamp}`,
  });
  deps.consoleLinks.forgetCounts();
  return created.length;
}

/** Registered by registerFeatures. */
export function registerRecordNotifications(
  deps: Pick<Deps, "db" | "config" | "logger" | "messenger" | "consoleLinks" | "events">,
): void {
  deps.events.on(
    "record.workflow",
    (payload, meta) => (meta.origin === "local" ? notifyRecordStep(deps, payload) : undefined),
    "publishing.record-notify",
  );
}
