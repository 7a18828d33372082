/**
 * @module The step runner every handling step goes through: one transaction, the row locked, the caller's `version`
 * checked (optimistic locking → `info_request_conflict`), the deadlines of the prospective state computed (the
 * calendar engine refuses unlawful sequences), the change, its register event (条例第45条) and audit entry written
 * together, the notice generated; plus the small input helpers the steps share.
 */
import type { Actor } from "../accounts/policy.ts";
import type { Agency } from "../agencies/agency.service.ts";
import { compareDates, formatChineseDate, isValidDate, type WorkCalendar } from "../calendar/index.ts";
import type { Tx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { AppError, validationError } from "../errors.ts";
import { unsafeTextProblem, visibleLength } from "./applicant.rules.ts";
import { queueMilestone } from "./applicant-messages.service.ts";
import type { DeadlineReport } from "./deadlines.ts";
import { lockInfoRequest, updateInfoRequest } from "./info-request.repository.ts";
import {
  calendarForAgency,
  checkedDeadlines,
  deadlineFacts,
  getRequestSettings,
  type RequestSettings,
  toInfoRequest,
} from "./info-request.service.ts";
import type {
  ConsultationRow,
  CorrectionRow,
  InfoRequestRow,
  InfoRequestUpdate,
} from "./info-request.table.ts";
import {
  DELIVERY_METHODS,
  type EventKind,
  FORMS,
  type InfoRequest,
  type InfoRequestStatus,
  STATUSES,
} from "./info-request.ts";
import type { TemplateKind } from "./notices.rules.ts";
import { issueNotice } from "./notices.service.ts";
import { formatQueryCode } from "./personal-data.ts";
import { insertEvent, listConsultations, listCorrections } from "./request-steps.repository.ts";

// ---------------------------------------------------------------------------------------------------------------
// Handling: the step runner
// ---------------------------------------------------------------------------------------------------------------

interface StepContext {
  trx: Tx;
  row: InfoRequestRow;
  agency: Agency;
  settings: RequestSettings;
  calendar: WorkCalendar;
  today: string;
  actor: Actor;
  corrections: CorrectionRow[];
  consultations: ConsultationRow[];
  /** Deadlines before the step. */
  before: DeadlineReport;
}

export interface StepResult {
  patch: InfoRequestUpdate;
  event: { kind: EventKind; on: string; public: boolean; note: string; data?: Record<string, unknown> };
  audit: string;
  /** Audit action (default "request.handle"). */
  action?: string;
  notice?: {
    kind: TemplateKind;
    on: string;
    values: (report: DeadlineReport, row: InfoRequestRow) => Record<string, string>;
  };
}

export function requireStatus(
  row: InfoRequestRow,
  allowed: readonly InfoRequestStatus[],
  what: string,
): void {
  if (!allowed.includes(row.status)) {
    throw new AppError(
      "info_request_invalid_state",
      `该申请目前处于“${STATUSES[row.status]}”环节，不能${what}。`,
      { details: { status: row.status } },
    );
  }
}

export async function runStep(
  deps: Deps,
  agency: Agency,
  id: string,
  expectedVersion: number,
  actor: Actor,
  step: (ctx: StepContext) => Promise<StepResult> | StepResult,
): Promise<InfoRequest> {
  if (!Number.isInteger(expectedVersion))
    throw validationError([{ field: "version", message: "缺少版本号" }]);
  const settings = await getRequestSettings(deps.db, agency);
  const calendar = await calendarForAgency(deps, agency);
  const today = deps.clock.today();
  const updated = await deps.db.transaction().execute(async (trx) => {
    const row = await lockInfoRequest(trx, agency.id, id);
    if (!row) throw new AppError("info_request_not_found");
    if (row.version !== expectedVersion) {
      throw new AppError("info_request_conflict", undefined, {
        details: { expectedVersion, currentVersion: row.version },
      });
    }
    const corrections = await listCorrections(trx, agency.id, id);
    const consultations = await listConsultations(trx, agency.id, id);
    const before = checkedDeadlines(
      calendar,
      deadlineFacts(row, corrections, consultations, settings, today),
    );
    const result = await step({
      trx,
      row,
      agency,
      settings,
      calendar,
      today,
      actor,
      corrections,
      consultations,
      before,
    });
    const prospective = { ...row, ...result.patch } as InfoRequestRow;
    const report = checkedDeadlines(
      calendar,
      deadlineFacts(
        prospective,
        await listCorrections(trx, agency.id, id),
        await listConsultations(trx, agency.id, id),
        settings,
        today,
      ),
    );
    const saved = await updateInfoRequest(trx, agency.id, id, expectedVersion, {
      ...result.patch,
      next_due_on: report.next?.due ?? null,
      next_due_kind: report.next?.kind ?? null,
    });
    if (!saved) throw new AppError("info_request_conflict");
    await insertEvent(trx, {
      agency_id: agency.id,
      request_id: id,
      kind: result.event.kind,
      on_date: result.event.on,
      actor_id: actor.id,
      actor_name: actor.name,
      public: result.event.public,
      note: result.event.note,
      data: result.event.data ?? {},
    });
    // The applicant is told of milestones (received, 补正, extension, reply) after the quiet hours.
    await queueMilestone(trx, deps, { agency, settings, before: row, after: saved, event: result.event });
    await deps.audit.record(trx, {
      actorId: actor.id,
      actorName: actor.name,
      ip: actor.ip,
      action: result.action ?? "request.handle",
      agencyId: agency.id,
      entityType: "info_request",
      entityId: id,
      summary: `${saved.number}：${result.audit}`,
      before: { status: row.status, version: row.version },
      after: { status: saved.status, version: saved.version, step: result.event.kind },
    });
    if (result.notice) {
      await issueNotice(
        trx,
        deps,
        agency,
        settings,
        saved,
        result.notice.kind,
        { ...baseValues(saved, report), ...result.notice.values(report, saved) },
        result.notice.on,
        actor,
      );
    }
    return saved;
  });
  return toInfoRequest(updated);
}

/** Placeholder values every notice can use. The applicant's name stays a placeholder until rendering. */
export function baseValues(row: InfoRequestRow, report: DeadlineReport): Record<string, string> {
  const reply = report.deadlines.find((d) => d.kind === "reply");
  return {
    申请人: "{{申请人}}",
    申请编号: row.number,
    查询码: formatQueryCode(row.query_code),
    提交日期: formatChineseDate(row.submitted_on),
    收到日期: row.received_on ? formatChineseDate(row.received_on) : "",
    信息名称: `${row.info_title}${row.info_doc_number ? `（${row.info_doc_number}）` : ""}`,
    答复期限: reply?.due ? formatChineseDate(reply.due) : "",
    获取方式: `${DELIVERY_METHODS[row.delivery]}（${FORMS[row.form]}）`,
  };
}

export function stepDate(
  field: string,
  value: unknown,
  options: { min?: string | null; max: string; minLabel?: string; required?: boolean },
): string {
  const v = typeof value === "string" ? value.trim() : "";
  if (v === "") {
    if (options.required === false) return "";
    throw validationError([{ field, message: "请填写日期" }]);
  }
  if (!isValidDate(v)) throw validationError([{ field, message: "日期格式应为YYYY-MM-DD" }]);
  if (compareDates(v, options.max) > 0)
    throw validationError([{ field, message: `日期不能晚于${formatChineseDate(options.max)}` }]);
  if (options.min && compareDates(v, options.min) < 0)
    throw validationError([
      { field, message: `日期不能早于${options.minLabel ?? ""}${formatChineseDate(options.min)}` },
    ]);
  return v;
}

/**
 * Text a handler typed on a step (补正事项, reasons, notes, notices' free text): the applicant side's rule
 * (unsafeTextProblem: no control characters, bidi embeddings/overrides/isolates, no line breaks in one-line fields),
 * and text that prints nothing (spaces, zero-width characters only) counts as empty.
 */
function stepText(field: string, value: unknown, max: number, label: string, multiline: boolean): string {
  const v = typeof value === "string" ? value.trim() : "";
  const unsafe = unsafeTextProblem(v, label, multiline);
  if (unsafe) throw validationError([{ field, message: unsafe }]);
  if (visibleLength(v) === 0) return "";
  if (v.length > max) throw validationError([{ field, message: `${label}不超过${max}字` }]);
  return v;
}

/** Required step text (`multiline`: a textarea; one-line fields refuse line breaks). */
export function requiredText(
  field: string,
  value: unknown,
  max: number,
  label: string,
  multiline = true,
): string {
  const v = stepText(field, value, max, label, multiline);
  if (v === "") throw validationError([{ field, message: `请填写${label}` }]);
  return v;
}

/** Optional step text: null when empty or when it prints nothing. */
export function optionalText(
  field: string,
  value: unknown,
  max: number,
  label: string,
  multiline = true,
): string | null {
  const v = stepText(field, value, max, label, multiline);
  return v === "" ? null : v;
}

/**
 * A whole number a handler typed (延长天数, 件数/页数, 金额): full-width digits from a Chinese input method are the
 * same digits; anything but plain digits (a sign, decimals, "1e1", "0x14", blanks) is NaN, which the step refuses
 * with its own message.
 */
export function wholeNumber(value: unknown): number {
  const s =
    typeof value === "number"
      ? String(value)
      : typeof value === "string"
        ? value.normalize("NFKC").trim()
        : "";
  return /^\d{1,12}$/.test(s) ? Number(s) : Number.NaN;
}

/** The day the current reply period started (receipt, or the last correction received). */
export function clockStart(row: InfoRequestRow, corrections: CorrectionRow[]): string {
  const last = [...corrections].reverse().find((c) => c.received_on);
  return last?.received_on ?? (row.received_on as string);
}
