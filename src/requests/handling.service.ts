/**
 * @module Handling steps before the reply: confirming receipt, assignment, 补正 (correction: request, receipt, lapse;
 * 条例第30条), third-party consultation (条例第32条), extension (条例第33条) and excessive applications (asking reasons,
 * deciding; 条例第35条).
 */

import { type Actor, can } from "../accounts/policy.ts";
import { staffContacts } from "../accounts/staff-directory.read.ts";
import type { Agency } from "../agencies/agency.service.ts";
import { compareDates, consultationReplyDue, formatChineseDate } from "../calendar/index.ts";
import type { Deps } from "../deps.ts";
import { AppError, validationError } from "../errors.ts";
import { notifyStaff } from "../messaging/staff-notification.service.ts";
import { isUuid } from "../shared/ids.ts";
import { insertAccess } from "./applicant-online.repository.ts";
import { correctionNoticeLateness, correctionRefusal } from "./deadlines.ts";
import type { CorrectionRow } from "./info-request.table.ts";
import {
  CONSULTATION_KINDS,
  CONSULTATION_RESULTS,
  type ConsultationKind,
  type ConsultationResult,
  type InfoRequest,
  OPEN_STATUSES,
} from "./info-request.ts";
import { listHandlers } from "./info-request-query.service.ts";
import { receiptDate } from "./receipt.rules.ts";
import { conclude } from "./reply.service.ts";
import { type CheckedFile, saveRequestFiles } from "./request-files.service.ts";
import {
  clockStart,
  optionalText,
  requiredText,
  requireStatus,
  runStep,
  stepDate,
  wholeNumber,
} from "./request-step.service.ts";
import {
  endConsultation as endConsultationRow,
  insertConsultation,
  insertCorrection,
  listEvents,
  updateCorrection,
} from "./request-steps.repository.ts";

// ---------------------------------------------------------------------------------------------------------------
// Handling steps
// ---------------------------------------------------------------------------------------------------------------

/** 条例第31条: records the sign-for (post) or the mutual confirmation (online, fax, e-mail, hotline). */
export async function confirmReceipt(
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  input: { date: unknown; how?: "signed" | "confirmed" },
): Promise<InfoRequest> {
  return runStep(deps, agency, id, version, actor, ({ row, today }) => {
    requireStatus(row, ["awaiting_confirmation"], "确认收到");
    const date = stepDate("date", input.date, { min: row.submitted_on, max: today, minLabel: "提交日期" });
    const signed = row.channel === "post" && input.how !== "confirmed";
    const r = receiptDate({
      channel: row.channel,
      submittedOn: row.submitted_on,
      signedForOn: signed ? date : null,
      confirmedOn: signed ? null : date,
    });
    return {
      patch: {
        status: "processing",
        received_on: r.receivedOn,
        receipt_basis: r.basis,
        signed_for_on: signed ? date : row.signed_for_on,
        confirmed_on: signed ? row.confirmed_on : date,
      },
      event: {
        kind: "receipt_confirmed",
        on: date,
        public: true,
        note: `本机关于${formatChineseDate(date)}确认收到您的申请，答复期限自该日起计算（条例第三十一条）。`,
      },
      audit: `确认收到申请（${r.basis}）`,
      action: "request.confirm_receipt",
      notice: { kind: "receipt", on: date, values: () => ({}) },
    };
  });
}

export async function assignInfoRequest(
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  input: { departmentId: unknown; assigneeId: unknown },
): Promise<InfoRequest> {
  const uuid = (v: unknown) => (typeof v === "string" && isUuid(v) ? v : null);
  const departmentId = uuid(input.departmentId);
  const assigneeId = uuid(input.assigneeId);
  if (assigneeId) {
    const handlers = await listHandlers(deps.db, agency.id);
    if (!handlers.some((h) => h.id === assigneeId))
      throw validationError([{ field: "assigneeId", message: "经办人须为本机关的依申请公开经办人" }]);
  }
  try {
    const result = await runStep(deps, agency, id, version, actor, ({ row, today }) => {
      requireStatus(row, [...OPEN_STATUSES, "concluded"], "分办");
      return {
        patch: { department_id: departmentId, assignee_id: assigneeId },
        event: { kind: "assigned", on: today, public: false, note: "分办" },
        audit: "分办",
      };
    });
    // The handler it was assigned to is told (通知 and e-mail), unless they assigned it to themselves.
    if (assigneeId && assigneeId !== actor.id) {
      try {
        await notifyStaff(deps, await staffContacts(deps.db, [assigneeId]), {
          kind: "request_assigned",
          subject: `【分办】政府信息公开申请 ${result.number}`,
          body: `${agency.name}收到的政府信息公开申请（编号 ${result.number}）已分办给您，请在法定期限内办理。`,
          link: `/admin/agencies/${encodeURIComponent(agency.slug)}/requests/${result.id}`,
          dedupeKey: `request_assigned:${result.id}:${result.version}`,
        });
        deps.consoleLinks.forgetCounts();
      } catch (err) {
        // The assignment has committed; a failed notification must not undo it in the user's eyes.
        deps.logger.warn({ err, request: result.id }, "assignment notification failed");
      }
    }
    return result;
  } catch (e) {
    if ((e as { code?: string }).code === "23503")
      throw validationError([{ field: "departmentId", message: "所选内设机构不属于本机关" }]);
    throw e;
  }
}

/** 条例第30条: one notice listing everything to correct, with a reasonable correction period. */
export async function requestCorrection(
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  input: { noticeOn: unknown; dueOn?: unknown; items: unknown },
): Promise<InfoRequest> {
  return runStep(
    deps,
    agency,
    id,
    version,
    actor,
    async ({ trx, row, today, corrections, calendar, settings }) => {
      requireStatus(row, ["processing"], "发出补正告知");
      const refusal = correctionRefusal(corrections.map((c) => ({ noticeOn: c.notice_on })));
      if (refusal) throw new AppError("info_request_correction_once", refusal);
      const start = clockStart(row, corrections);
      const noticeOn = stepDate("noticeOn", input.noticeOn, {
        min: start,
        max: today,
        minLabel: "收到申请之日",
      });
      const items = requiredText("items", input.items, 2000, "需要补正的事项");
      const dueOn =
        typeof input.dueOn === "string" && input.dueOn.trim() !== ""
          ? stepDate("dueOn", input.dueOn, { min: noticeOn, max: calendar.lastDate, minLabel: "告知日期" })
          : calendar.addWorkingDays(noticeOn, settings.correctionDays).date;
      if (compareDates(dueOn, noticeOn) <= 0)
        throw validationError([
          { field: "dueOn", message: "补正期限应晚于告知日期，给申请人合理的补正时间（条例第三十条）" },
        ]);
      const round = corrections.length + 1;
      // 条例第30条: within 7 working days of receipt. A late notice is still sent (better than none), recorded as late.
      const lateness = correctionNoticeLateness(
        calendar,
        row.received_on as string,
        noticeOn,
        settings.restDayReceipt,
      );
      await insertCorrection(trx, {
        agency_id: agency.id,
        request_id: row.id,
        round,
        notice_on: noticeOn,
        due_on: dueOn,
        items,
        received_on: null,
        lapsed_on: null,
      });
      return {
        patch: { status: "correction" },
        event: {
          kind: "correction_requested",
          on: noticeOn,
          public: true,
          note: `本机关于${formatChineseDate(noticeOn)}告知您补正申请内容，补正期限至${formatChineseDate(dueOn)}（条例第三十条）。`,
          data: {
            round,
            dueOn,
            ...(lateness.lateWorkingDays ? { lateWorkingDays: lateness.lateWorkingDays } : {}),
          },
        },
        audit: `发出补正告知（第${round}次），补正期限${dueOn}${lateness.lateWorkingDays ? `；逾期告知：晚于补正告知期限（${lateness.due}）${lateness.lateWorkingDays}个工作日（条例第三十条）` : ""}`,
        notice: {
          kind: "correction",
          on: noticeOn,
          values: () => ({ 补正事项: items, 补正期限: formatChineseDate(dueOn) }),
        },
      };
    },
  );
}

/**
 * 条例第30条: the corrected application arrived; the reply period restarts on that day. The same step whether the
 * 补正 came to the counter (registered by staff) or was submitted on the applicant's page (`online`: the text and
 * the checked attachments are saved in the same transaction, and the access is logged).
 */
export async function receiveCorrection(
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  input: { receivedOn: unknown; online?: { text: string | null; files: CheckedFile[] } },
): Promise<InfoRequest> {
  return runStep(deps, agency, id, version, actor, async ({ trx, row, today, corrections }) => {
    requireStatus(row, ["correction"], "登记补正");
    const current = corrections[corrections.length - 1] as CorrectionRow;
    const receivedOn = stepDate("receivedOn", input.receivedOn, {
      min: current.notice_on,
      max: today,
      minLabel: "补正告知日期",
    });
    const online = input.online;
    await updateCorrection(trx, agency.id, row.id, current.round, {
      received_on: receivedOn,
      ...(online ? { online_text: online.text, submitted_online_at: deps.clock.now() } : {}),
    });
    const files = online
      ? await saveRequestFiles(trx, deps, {
          agencyId: agency.id,
          requestId: row.id,
          purpose: "correction",
          uploadedBy: "申请人",
          files: online.files,
        })
      : [];
    if (online)
      await insertAccess(trx, {
        agency_id: agency.id,
        request_id: row.id,
        kind: "correction",
        target: files.length ? files.map((f) => f.file_name).join("、") : null,
        ip: actor.ip ?? null,
        at: deps.clock.now(),
      });
    return {
      patch: { status: "processing" },
      event: {
        kind: "correction_received",
        on: receivedOn,
        public: true,
        note: `本机关于${formatChineseDate(receivedOn)}收到您${online ? "在线提交的" : ""}补正后的申请，答复期限自该日起重新计算（条例第三十条）。`,
        data: {
          round: current.round,
          late: compareDates(receivedOn, current.due_on) > 0,
          ...(online ? { online: true, files: files.map((f) => f.id) } : {}),
        },
      },
      audit: `收到${online ? "申请人在线提交的" : ""}补正后的申请（第${current.round}次${files.length ? `，附件${files.length}件` : ""}）`,
    };
  });
}

/** 条例第30条: no correction in time → deemed withdrawn; table 三 row （六）1. */
export async function lapseCorrection(
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  input: { on?: unknown } = {},
): Promise<InfoRequest> {
  return runStep(deps, agency, id, version, actor, async ({ trx, row, today, corrections }) => {
    requireStatus(row, ["correction"], "按逾期不补正处理");
    const current = corrections[corrections.length - 1] as CorrectionRow;
    const on = input.on ? stepDate("on", input.on, { max: today }) : today;
    if (compareDates(on, current.due_on) <= 0) {
      throw new AppError(
        "info_request_period_not_ended",
        `补正期限至${formatChineseDate(current.due_on)}，期限届满后才能按视为放弃申请处理。`,
      );
    }
    await updateCorrection(trx, agency.id, row.id, current.round, { lapsed_on: on });
    return conclude(row, "art30_lapsed", "other_not_corrected", on, null, {
      kind: "correction_lapsed",
      note: `您未在补正期限（${formatChineseDate(current.due_on)}）内补正，视为放弃申请，本机关不再处理该申请（条例第三十条）。`,
      audit: "逾期未补正，视为放弃申请",
    });
  });
}

/** 条例第32条 (third party) / 第34条 (other organ): the consultation time is not counted (第33条). */
export async function startConsultation(
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  input: { kind: unknown; party: unknown; matters: unknown; sentOn: unknown },
): Promise<InfoRequest> {
  return runStep(deps, agency, id, version, actor, async ({ trx, row, today, corrections, calendar }) => {
    requireStatus(row, ["processing"], "征求意见");
    if (typeof input.kind !== "string" || !Object.hasOwn(CONSULTATION_KINDS, input.kind))
      throw validationError([{ field: "kind", message: "请选择征求意见的对象类型" }]);
    const kind = input.kind as ConsultationKind;
    const party = requiredText("party", input.party, 200, "被征求意见方名称", false);
    const matters = requiredText("matters", input.matters, 2000, "征求意见的事项");
    const sentOn = stepDate("sentOn", input.sentOn, {
      min: clockStart(row, corrections),
      max: today,
      minLabel: "收到申请之日",
    });
    await insertConsultation(trx, {
      agency_id: agency.id,
      request_id: row.id,
      kind,
      party,
      matters,
      sent_on: sentOn,
    });
    const replyDue = consultationReplyDue(calendar, sentOn).date;
    return {
      patch: { status: "consultation" },
      event: {
        kind: "consultation_started",
        on: sentOn,
        public: true,
        note: `本机关于${formatChineseDate(sentOn)}依法征求${kind === "third_party" ? "第三方" : "有关机关"}意见，征求意见期间不计入答复期限（条例第三十三条）。`,
        data: { kind },
      },
      audit: `征求意见（${CONSULTATION_KINDS[kind]}：${party}）`,
      notice: {
        kind: kind === "third_party" ? "consultation" : "consultation_organ",
        on: sentOn,
        values: () => ({ 第三方: party, 征求事项: matters, 意见期限: formatChineseDate(replyDue) }),
      },
    };
  });
}

export async function endConsultation(
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  input: { endedOn: unknown; result: unknown; note?: unknown },
): Promise<InfoRequest> {
  return runStep(deps, agency, id, version, actor, async ({ trx, row, today, consultations }) => {
    requireStatus(row, ["consultation"], "结束征求意见");
    const open = consultations.find((c) => c.ended_on === null);
    if (!open) throw new AppError("info_request_invalid_state", "没有进行中的征求意见。");
    if (typeof input.result !== "string" || !Object.hasOwn(CONSULTATION_RESULTS, input.result))
      throw validationError([{ field: "result", message: "请选择征求意见结果" }]);
    const result = input.result as ConsultationResult;
    const endedOn = stepDate("endedOn", input.endedOn, {
      min: open.sent_on,
      max: today,
      minLabel: "发函日期",
    });
    await endConsultationRow(trx, agency.id, open.id, {
      ended_on: endedOn,
      result,
      note: optionalText("note", input.note, 2000, "意见摘要"),
    });
    return {
      patch: { status: "processing" },
      event: {
        kind: "consultation_ended",
        on: endedOn,
        public: true,
        note: `征求意见于${formatChineseDate(endedOn)}结束，答复期限恢复计算。`,
        data: { result },
      },
      audit: `征求意见结束（${CONSULTATION_RESULTS[result]}）`,
    };
  });
}

/** 条例第33条: the handler proposes an extension (≤ 20 working days) with reasons. */
export async function proposeExtension(
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  input: { days: unknown; reason: unknown },
): Promise<InfoRequest> {
  return runStep(deps, agency, id, version, actor, ({ row, today }) => {
    requireStatus(row, ["processing", "consultation", "fee_pending"], "提请延期");
    if (row.extension_days !== null) throw new AppError("info_request_extension_exists");
    if (row.deferral_due_on !== null)
      throw new AppError("info_request_invalid_state", "已依条例第三十五条确定延迟答复期限，不再延期。");
    const days = wholeNumber(input.days);
    if (!Number.isInteger(days) || days < 1 || days > 20)
      throw validationError([{ field: "days", message: "延长的期限为1至20个工作日（条例第三十三条）" }]);
    const reason = requiredText("reason", input.reason, 500, "延期理由");
    return {
      patch: { extension_days: days, extension_reason: reason, extension_proposed_on: today },
      event: {
        kind: "extension_proposed",
        on: today,
        public: false,
        note: `提请延期${days}个工作日：${reason}`,
      },
      audit: `提请延期答复${days}个工作日`,
    };
  });
}

/**
 * 条例第33条: the head of the disclosure office approves (action request.approve_extension) and the applicant is
 * told; the engine refuses an approval after the period has expired.
 */
export async function approveExtension(
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  input: { approvedOn: unknown; notifiedOn?: unknown },
): Promise<InfoRequest> {
  return runStep(deps, agency, id, version, actor, ({ row, today }) => {
    requireStatus(row, ["processing", "consultation", "fee_pending"], "批准延期");
    if (row.extension_days === null || row.extension_proposed_on === null)
      throw new AppError("info_request_invalid_state", "尚未提请延期。");
    if (row.extension_approved_on !== null) throw new AppError("info_request_extension_exists");
    const approvedOn = stepDate("approvedOn", input.approvedOn, {
      min: row.extension_proposed_on,
      max: today,
      minLabel: "提请延期之日",
    });
    const notifiedOn = input.notifiedOn
      ? stepDate("notifiedOn", input.notifiedOn, { min: approvedOn, max: today, minLabel: "批准日期" })
      : approvedOn;
    return {
      patch: {
        extension_approved_on: approvedOn,
        extension_approved_by: actor.name,
        extension_notified_on: notifiedOn,
      },
      event: {
        kind: "extension_approved",
        on: approvedOn,
        public: true,
        note: `经政府信息公开工作机构负责人同意，答复期限延长${row.extension_days}个工作日（条例第三十三条）。`,
        data: { days: row.extension_days },
      },
      audit: `批准延期答复${row.extension_days}个工作日`,
      action: "request.approve_extension",
      notice: {
        kind: "extension",
        on: notifiedOn,
        values: (report) => {
          const reply = report.deadlines.find((d) => d.kind === "reply");
          return {
            延长天数: String(row.extension_days),
            延期理由: row.extension_reason ?? "",
            延期后期限: reply?.due ? formatChineseDate(reply.due) : "",
          };
        },
      },
    };
  });
}

/**
 * 撤回延期申请: an extension proposal not yet approved is withdrawn by the handler who proposed it or by the agency's
 * 政务公开办 (request.approve_extension), with an optional reason; the register and the audit log keep the proposal
 * and its withdrawal. The reply clock is unchanged (a proposal never moved it). An approved extension stands
 * (条例第33条: the applicant has been told), and without a pending proposal there is nothing to withdraw.
 * @throws AppError info_request_extension_absent | info_request_extension_approved | forbidden
 */
export async function withdrawExtension(
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  input: { reason?: unknown } = {},
): Promise<InfoRequest> {
  return runStep(deps, agency, id, version, actor, async ({ trx, row, today }) => {
    if (row.extension_approved_on !== null) throw new AppError("info_request_extension_approved");
    if (row.extension_days === null || row.extension_proposed_on === null)
      throw new AppError("info_request_extension_absent");
    requireStatus(row, [...OPEN_STATUSES, "concluded"], "撤回延期申请");
    const proposal = (await listEvents(trx, agency.id, id))
      .filter((e) => e.kind === "extension_proposed")
      .pop();
    const office =
      actor.user !== null && can(actor.user, "request.approve_extension", { agencyId: agency.id });
    if (!office && (actor.id === null || proposal?.actor_id !== actor.id))
      throw new AppError(
        "forbidden",
        `只有提请延期的经办人${proposal?.actor_name ? `（${proposal.actor_name}）` : ""}或本机关政务公开办可以撤回延期申请。`,
      );
    const reason = optionalText("reason", input.reason, 500, "撤回理由");
    return {
      patch: { extension_days: null, extension_reason: null, extension_proposed_on: null },
      event: {
        kind: "extension_withdrawn",
        on: today,
        public: false,
        note: `撤回${formatChineseDate(row.extension_proposed_on)}提请的延期${row.extension_days}个工作日${reason ? `：${reason}` : ""}`,
        data: { days: row.extension_days, proposedOn: row.extension_proposed_on },
      },
      audit: `撤回延期申请（${row.extension_proposed_on}提请延期${row.extension_days}个工作日${reason ? `；理由：${reason}` : ""}）`,
      action: "request.withdraw_extension",
    };
  });
}

/** 条例第35条: the number or frequency clearly exceeds a reasonable range → ask for reasons. */
export async function requestReasons(
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  input: { sentOn: unknown; note?: unknown },
): Promise<InfoRequest> {
  return runStep(deps, agency, id, version, actor, ({ row, today }) => {
    requireStatus(row, ["processing"], "要求说明理由");
    const sentOn = stepDate("sentOn", input.sentOn, {
      min: row.received_on,
      max: today,
      minLabel: "收到申请之日",
    });
    const note = optionalText("note", input.note, 1000, "说明");
    return {
      patch: { status: "reasons_requested", reasons_requested_on: sentOn },
      event: {
        kind: "reasons_requested",
        on: sentOn,
        public: true,
        note: `您申请公开政府信息的数量、频次明显超过合理范围，本机关于${formatChineseDate(sentOn)}要求您说明理由（条例第三十五条）。`,
        data: note ? { note } : {},
      },
      audit: "要求申请人说明理由（条例第三十五条）",
    };
  });
}

/**
 * 条例第35条 after the reasons: unreasonable → not processed (（五）4); reasonable but the 第33条 period cannot be
 * met → a deferred deadline; reasonable and the period can be met → continue.
 */
export async function decideExcessive(
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  input: { decision: unknown; decidedOn: unknown; dueOn?: unknown; reasons?: unknown },
): Promise<InfoRequest> {
  return runStep(deps, agency, id, version, actor, ({ row, today, calendar }) => {
    requireStatus(row, ["reasons_requested"], "处理说明的理由");
    const decidedOn = stepDate("decidedOn", input.decidedOn, {
      min: row.reasons_requested_on,
      max: today,
      minLabel: "要求说明理由之日",
    });
    const reasons = optionalText("reasons", input.reasons, 2000, "说明");
    if (input.decision === "not_processed") {
      return conclude(row, "art35", "not_processed_excessive", decidedOn, reasons, {
        kind: "excessive_decided",
        note: `本机关认为您说明的理由不合理，于${formatChineseDate(decidedOn)}告知不予处理（条例第三十五条）。`,
        audit: "理由不合理，不予处理（条例第三十五条）",
      });
    }
    if (input.decision === "deferral") {
      const dueOn = stepDate("dueOn", input.dueOn, {
        min: decidedOn,
        // Within the working-day calendar (a date past it would break every deadline list of the agency).
        max: calendar.lastDate,
        minLabel: "决定日期",
      });
      return {
        patch: { status: "processing", deferral_decided_on: decidedOn, deferral_due_on: dueOn },
        event: {
          kind: "excessive_decided",
          on: decidedOn,
          public: true,
          note: `本机关确定延迟答复的期限为${formatChineseDate(dueOn)}（条例第三十五条）。`,
          data: { decision: "deferral", dueOn },
        },
        audit: `确定延迟答复期限${dueOn}（条例第三十五条）`,
        notice: { kind: "deferral", on: decidedOn, values: () => ({ 理由: reasons ?? "" }) },
      };
    }
    if (input.decision === "continue") {
      return {
        patch: { status: "processing" },
        event: {
          kind: "excessive_decided",
          on: decidedOn,
          public: true,
          note: "您说明的理由合理，本机关继续办理您的申请。",
          data: { decision: "continue" },
        },
        audit: "理由合理，继续办理",
      };
    }
    throw validationError([{ field: "decision", message: "请选择处理方式" }]);
  });
}
