/**
 * @module The record workflow 起草 → 提交 → 审核 → 审签 → 发布 with send-back and withdrawal: each step's checks, 索引号
 * allocation and the publication deadline (due date, lateness) computed at publication, remeasured when the
 * calendar changes.
 */
import type { Action, StaffActor } from "../accounts/policy.ts";
import type { AgencyInfo } from "../agencies/agencies.read.ts";
import type { CalendarReader } from "../calendar/calendar.service.ts";
import type { WorkCalendar } from "../calendar/index.ts";
import { findItem } from "../catalog/catalog-link.read.ts";
import type { DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { AppError, validationError } from "../errors.ts";
import { assertContentChecksPass } from "./content-checks.service.ts";
import {
  DEFAULT_INDEX_TEMPLATE,
  formatIndexNumber,
  maxSerial,
  resolveCode,
  serialYear,
} from "./index-number.rules.ts";
import { findOpenObligationToMeet, updateObligation } from "./obligation.repository.ts";
import { isPublished } from "./published.read.ts";
import {
  findRecordsByIds,
  findRevision,
  findSettings,
  indexNumberTaken,
  nextSerial,
  replaceInterpretationLinks,
  updateRecord,
  updateRevision,
} from "./record.repository.ts";
import {
  CHECKLIST_ITEMS,
  canApplyStep,
  missingChecklistItems,
  RETURN_POLICY,
  REVISION_STATUS_LABELS,
  revisionStamp,
  validateContent,
  WORKFLOW_STEPS,
  type WorkflowStep,
} from "./record.rules.ts";
import {
  agencyOrThrow,
  assertCan,
  calendarFor,
  contentColumns,
  logEvent,
  requireReason,
  uid,
  withRecord,
} from "./record.service.ts";
import type {
  RecordContent,
  RecordRevisionRow,
  RecordRow,
  ReviewChecklist,
  RevisionStatus,
} from "./record.table.ts";
import { isLate, type RecordDue, recordDue } from "./record-deadline.rules.ts";
import { findingsError, scanContent, toStored } from "./record-scan.service.ts";
import { CLEAR_PUBLISH_SCHEDULE, CLEAR_WITHDRAW_SCHEDULE } from "./record-schedule.repository.ts";

// ---------------------------------------------------------------------------------------------------------------
// Workflow
// ---------------------------------------------------------------------------------------------------------------

export interface StepOptions {
  /** 审核: the secrecy/privacy checklist. */
  checklist?: Partial<ReviewChecklist>;
  /** 审签/发布: the approver's reason to publish despite personal-data findings. */
  piiOverrideReason?: string;
  comment?: string;
  /**
   * revisionStamp of the revision the step's page showed (the API: its If-Match tags, any of which may match): a
   * changed revision is refused (record_changed_since_opened).
   */
  stamp?: string | readonly string[];
}

/** Applies a forward step (submit, review, approve, publish) to the latest revision. */
export async function advanceRecord(
  deps: Deps,
  actor: StaffActor,
  agencyId: string,
  recordId: string,
  step: WorkflowStep,
  options: StepOptions = {},
): Promise<{ status: RevisionStatus; indexNo: string | null }> {
  const def = WORKFLOW_STEPS[step];
  const event = step === "publish" ? "record.published" : "record.updated";
  const result = await withRecord(deps, agencyId, recordId, event, async (trx, record, revision) => {
    assertCan(actor, def.policy as Action, agencyId, record.department_id);
    if (!canApplyStep(step, revision.status)) {
      throw new AppError(
        "record_invalid_transition",
        `该信息当前为“${REVISION_STATUS_LABELS[revision.status]}”状态，不能执行“${def.label}”。`,
      );
    }
    const stamps = typeof options.stamp === "string" ? [options.stamp] : options.stamp;
    if (stamps && !stamps.includes(revisionStamp(revision.revision_no, revision.content)))
      throw new AppError("record_changed_since_opened");
    const now = deps.clock.now();
    const content = revision.content;
    const patch: Record<string, unknown> = { status: def.to, updated_at: now };
    let summary = `${def.label}：《${content.title}》`;
    let indexNo: string | null = record.index_no;
    if (step === "submit") {
      const problems = validateContent(content, deps.clock.today(), "submit");
      if (problems.length > 0) throw validationError(problems);
      Object.assign(patch, { submitted_by: uid(actor), submitted_at: now, returned_reason: null });
    } else if (step === "review") {
      const checklist = options.checklist ?? {};
      const missing = missingChecklistItems(checklist);
      if (missing.length > 0) {
        throw new AppError("record_checklist_incomplete", undefined, {
          fields: missing.map((key) => ({
            field: `checklist.${key}`,
            message: `请确认：${CHECKLIST_ITEMS.find((i) => i.key === key)?.label ?? key}`,
          })),
        });
      }
      const stored: ReviewChecklist = {
        noStateSecret: true,
        noWorkSecret: true,
        noPersonalPrivacy: true,
        noTradeSecret: true,
        noThreeSecurityRisk: true,
        consistentWithPolicy: true,
        ...(checklist.note ? { note: String(checklist.note).slice(0, 1000) } : {}),
      };
      Object.assign(patch, {
        reviewed_by: uid(actor),
        reviewed_at: now,
        review_checklist: JSON.stringify(stored),
      });
    } else if (step === "approve" || step === "publish") {
      // 强制检测: sensitive words (禁用) and leaders' titles stop sign-off; no override (the text must change).
      await assertContentChecksPass(trx, agencyId, content, revision.body_text);
      const findings = await scanContent(trx, agencyId, content, revision.body_text);
      patch.pii_findings = JSON.stringify(toStored(findings));
      const override = options.piiOverrideReason?.trim();
      if (findings.length > 0 && !revision.pii_override_reason) {
        if (!override) throw findingsError(findings);
        // Only an approver (审签) may let personal data through, with a reason.
        assertCan(actor, "record.approve", agencyId, record.department_id);
        Object.assign(patch, { pii_override_by: uid(actor), pii_override_reason: override.slice(0, 1000) });
        await logEvent(
          trx,
          deps.audit,
          actor,
          record,
          revision.revision_no,
          "pii_override",
          null,
          null,
          override,
          `确认《${content.title}》中的个人信息提示并放行：${override}`,
          {
            after: { findings: toStored(findings), reason: override },
          },
        );
      }
      if (step === "approve") Object.assign(patch, { approved_by: uid(actor), approved_at: now });
    }
    if (step === "publish") {
      const result = await publishInTransaction(deps, trx, actor, record, revision);
      indexNo = result.indexNo;
      Object.assign(patch, { published_by: uid(actor), published_at: now });
      summary = `发布政府信息《${content.title}》（索引号 ${indexNo}）`;
    } else {
      await updateRecord(trx, agencyId, recordId, { workflow_status: def.to, updated_at: now });
    }
    await updateRevision(trx, agencyId, recordId, revision.revision_no, patch);
    await logEvent(
      trx,
      deps.audit,
      actor,
      record,
      revision.revision_no,
      step,
      revision.status,
      def.to,
      options.comment?.trim() || null,
      summary,
      {
        after: { revision: revision.revision_no, status: def.to, indexNo },
      },
    );
    return { status: def.to, indexNo };
  });
  // Who must act next is told (src/publishing/record-notify.ts).
  deps.events.emit("record.workflow", { agencyId, recordId, step, actorId: uid(actor) });
  return result;
}

/** Latest publication date among the policy documents an interpretation links to (null if none is published). */
async function linkedPublicationDate(
  db: DbOrTx,
  agencyId: string,
  policyIds: string[],
): Promise<string | null> {
  const policies = await findRecordsByIds(db, agencyId, policyIds);
  const dates = policies.filter((p) => p.published_date !== null).map((p) => p.published_date as string);
  return dates.length > 0 ? dates.sort().at(-1)! : null;
}

/**
 * The due date of a content snapshot (catalog rule + formation/change date, calendar explanation); `calendar` may be
 * passed by a caller measuring many records of one agency.
 */
export async function computeDue(
  reader: CalendarReader,
  agencyId: string,
  content: RecordContent,
  calendar?: WorkCalendar,
): Promise<RecordDue> {
  const { db } = reader;
  const item = content.itemId ? await findItem(db, agencyId, content.itemId) : undefined;
  const element =
    item && content.elementId ? item.elements.find((e) => e.id === content.elementId) : undefined;
  const linked =
    content.kind === "interpretation"
      ? await linkedPublicationDate(db, agencyId, content.interpretsRecordIds)
      : null;
  return recordDue(calendar ?? (await calendarFor(reader, agencyId)), {
    kind: content.kind,
    disclosure: content.disclosure,
    formedDate: content.formedDate,
    changedDate: content.changedDate,
    linkedPublicationDate: linked,
    sources: item
      ? {
          itemRules: item.rules,
          elementRules: element?.rules ?? [],
          elementLabel: element?.label ?? null,
          statedDeadline: element?.deadlineText || item.deadlineText,
        }
      : null,
  });
}

/**
 * Recomputes the due date of a published record from its current content (after a calendar change made a
 * provisional date official) and measures it against its publication date. Returns true when something changed.
 */
export async function remeasureRecordDue(reader: CalendarReader, record: RecordRow): Promise<boolean> {
  const { db } = reader;
  if (record.current_revision_no === null || record.published_date === null) return false;
  const rev = await findRevision(db, record.agency_id, record.id, record.current_revision_no);
  if (!rev) return false;
  const due = await computeDue(reader, record.agency_id, rev.content);
  // Measured against the publication that carried the triggering change (a revision with a change date) or the first.
  const late = isLate(
    due.due,
    rev.content.changedDate !== null ? (record.revised_date ?? record.published_date) : record.published_date,
  );
  if (due.due === record.due_date && due.provisional === record.due_provisional && late === record.late)
    return false;
  await updateRecord(db, record.agency_id, record.id, {
    due_date: due.due,
    due_explanation: due.explanation,
    due_basis: due.basis,
    due_provisional: due.provisional,
    late,
  });
  return true;
}

/** Allocates the next 索引号 of the agency for a publication date. */
async function allocateIndexNumber(
  trx: DbOrTx,
  agency: AgencyInfo,
  date: string,
): Promise<{ indexNo: string; pattern: string }> {
  const settings = await findSettings(trx, agency.id);
  const template = settings?.index_template ?? DEFAULT_INDEX_TEMPLATE;
  const code = resolveCode(template, {
    creditCode: agency.creditCode,
    orgCode: agency.orgCode,
    configuredCode: settings?.index_code ?? null,
  });
  if ("error" in code) throw new AppError("record_index_unavailable", `无法生成索引号：${code.error}。`);
  const year = serialYear(date);
  for (let attempt = 0; attempt < 10; attempt++) {
    const serial = await nextSerial(trx, agency.id, year);
    if (serial > maxSerial(template))
      throw new AppError("record_index_unavailable", `${year}年的索引号序号已用完。`);
    const indexNo = formatIndexNumber(template, code.code, date, serial);
    // A template change could recreate an earlier number: skip it, numbers are never reused.
    if (!(await indexNumberTaken(trx, agency.id, indexNo))) return { indexNo, pattern: template };
  }
  throw new AppError("record_index_unavailable");
}

async function publishInTransaction(
  deps: Deps,
  trx: DbOrTx,
  actor: StaffActor,
  record: RecordRow,
  revision: RecordRevisionRow,
): Promise<{ indexNo: string }> {
  const content = revision.content;
  if (content.disclosure !== "主动公开") throw new AppError("record_not_proactive");
  const agency = await agencyOrThrow(trx, record.agency_id);
  const today = deps.clock.today();
  const now = deps.clock.now();
  let indexNo = record.index_no;
  let pattern = record.index_pattern;
  if (indexNo === null) ({ indexNo, pattern } = await allocateIndexNumber(trx, agency, today));
  const previous =
    record.current_revision_no === null
      ? null
      : ((await findRevision(trx, record.agency_id, record.id, record.current_revision_no)) ?? null);
  const trigger = (c: RecordContent) => c.changedDate ?? c.formedDate;
  const recount =
    previous === null || trigger(previous.content) !== trigger(content) || record.due_explanation === "";
  const due = recount
    ? await computeDue({ db: trx, calendarCache: deps.calendarCache }, record.agency_id, content)
    : null;
  await updateRecord(trx, record.agency_id, record.id, {
    ...contentColumns(content, revision.body_text),
    status: "published",
    workflow_status: "published",
    index_no: indexNo,
    index_pattern: pattern,
    current_revision_no: revision.revision_no,
    published_date: record.published_date ?? today,
    revised_date: today,
    first_published_at: record.first_published_at ?? now,
    published_at: now,
    withdrawn_at: null,
    withdrawn_by: null,
    withdrawn_reason: null,
    updated_at: now,
    // Published now: a 定时发布 of this revision has nothing left to do.
    ...CLEAR_PUBLISH_SCHEDULE,
    ...(due
      ? {
          due_date: due.due,
          due_explanation: due.explanation,
          due_basis: due.basis,
          due_provisional: due.provisional,
          due_rule: due.rule ? JSON.stringify(due.rule) : null,
          late: isLate(due.due, today),
        }
      : {}),
  });
  if (previous)
    await updateRevision(trx, record.agency_id, record.id, previous.revision_no, { status: "superseded" });
  await replaceInterpretationLinks(
    trx,
    record.agency_id,
    record.id,
    content.kind === "interpretation" ? content.interpretsRecordIds : [],
  );
  if (content.itemStableKey) {
    const obligation = await findOpenObligationToMeet(
      trx,
      record.agency_id,
      content.itemStableKey,
      content.elementStableKey,
      today,
    );
    if (obligation) {
      await updateObligation(trx, record.agency_id, obligation.id, {
        status: "met",
        met_record_id: record.id,
        met_on: today,
      });
      await deps.audit.record(trx, {
        actorId: uid(actor),
        actorName: actor.user.displayName,
        ip: actor.ip ?? null,
        action: "obligation.met",
        agencyId: record.agency_id,
        entityType: "record_obligation",
        entityId: obligation.id,
        summary: `${obligation.period_label}定期更新由《${content.title}》完成`,
        after: { recordId: record.id, metOn: today, due: obligation.due_date },
      });
    }
  }
  return { indexNo };
}

/** 退回: sends the latest revision back to the drafter with a reason. */
export async function returnRecord(
  deps: Deps,
  actor: StaffActor,
  agencyId: string,
  recordId: string,
  reason: string,
): Promise<void> {
  const why = requireReason(reason, "reason", "退回理由");
  await withRecord(deps, agencyId, recordId, "record.updated", async (trx, record, revision) => {
    const policy = RETURN_POLICY[revision.status];
    if (!policy) throw new AppError("record_invalid_transition", "该版本当前不能退回。");
    assertCan(actor, policy as Action, agencyId, record.department_id);
    await updateRevision(trx, agencyId, recordId, revision.revision_no, {
      status: "draft",
      returned_by: uid(actor),
      returned_at: deps.clock.now(),
      returned_reason: why,
      reviewed_by: null,
      reviewed_at: null,
      review_checklist: null,
      approved_by: null,
      approved_at: null,
      pii_override_by: null,
      pii_override_reason: null,
      updated_at: deps.clock.now(),
    });
    await updateRecord(trx, agencyId, recordId, {
      workflow_status: "draft",
      updated_at: deps.clock.now(),
      // Sent back: a 定时发布 of the approved revision no longer applies.
      ...(revision.status === "approved" ? CLEAR_PUBLISH_SCHEDULE : {}),
    });
    await logEvent(
      trx,
      deps.audit,
      actor,
      record,
      revision.revision_no,
      "return",
      revision.status,
      "draft",
      why,
      `退回《${revision.content.title}》：${why}`,
    );
  });
  deps.events.emit("record.workflow", { agencyId, recordId, step: "return", actorId: uid(actor) });
}

/**
 * 收回: the editor who submitted the latest revision takes it back to draft before review starts (e.g. after the
 * personal-data warning shown at submission). Once a reviewer has acted, only 退回 by the reviewer remains.
 */
export async function recallRecord(
  deps: Deps,
  actor: StaffActor,
  agencyId: string,
  recordId: string,
): Promise<void> {
  await withRecord(deps, agencyId, recordId, "record.updated", async (trx, record, revision) => {
    assertCan(actor, "record.draft", agencyId, record.department_id);
    if (revision.status !== "submitted") {
      throw new AppError(
        "record_recall_not_possible",
        revision.status === "draft"
          ? "该信息尚未提交审核，无需收回，可直接修改。"
          : "审核已经开始，不能收回；如需修改，请联系审核人退回。",
      );
    }
    if (revision.submitted_by !== uid(actor)) {
      throw new AppError("record_recall_not_possible", "只有提交审核的起草人本人可以收回。");
    }
    const now = deps.clock.now();
    await updateRevision(trx, agencyId, recordId, revision.revision_no, {
      status: "draft",
      submitted_by: null,
      submitted_at: null,
      updated_at: now,
    });
    await updateRecord(trx, agencyId, recordId, { workflow_status: "draft", updated_at: now });
    await logEvent(
      trx,
      deps.audit,
      actor,
      record,
      revision.revision_no,
      "recall",
      "submitted",
      "draft",
      null,
      `起草人收回《${revision.content.title}》修改`,
    );
  });
}

/** 撤回: takes a published record off the portal, with a reason (the audit trail keeps it). */
export async function withdrawRecord(
  deps: Deps,
  actor: StaffActor,
  agencyId: string,
  recordId: string,
  reason: string,
): Promise<void> {
  const why = requireReason(reason, "reason", "撤回理由");
  await withRecord(deps, agencyId, recordId, "record.withdrawn", async (trx, record) => {
    assertCan(actor, "record.withdraw", agencyId, record.department_id);
    if (!isPublished(record.status))
      throw new AppError("record_invalid_transition", "只有已发布的信息可以撤回。");
    await updateRecord(trx, agencyId, recordId, {
      status: "withdrawn",
      withdrawn_at: deps.clock.now(),
      withdrawn_by: uid(actor),
      withdrawn_reason: why,
      updated_at: deps.clock.now(),
      ...CLEAR_WITHDRAW_SCHEDULE,
    });
    await logEvent(
      trx,
      deps.audit,
      actor,
      record,
      record.current_revision_no ?? record.latest_revision_no,
      "withdraw",
      "published",
      "withdrawn",
      why,
      `撤回《${record.title}》（索引号 ${record.index_no}）：${why}`,
      {
        before: { status: "published", indexNo: record.index_no, title: record.title },
        after: { status: "withdrawn", reason: why },
      },
    );
  });
}
