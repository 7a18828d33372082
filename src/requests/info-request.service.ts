/**
 * @module Foundation of the application use cases (依申请公开): who acts (actors), the agency's request settings and
 * working-day calendar, row → `InfoRequest` mapping, deadline computation (facts, checked report, open deadlines
 * for the ICS feed) and the recomputation of cached due dates when a calendar changes (registered on deps.calendarHooks
 * by requests.wiring.ts). Intake is in intake.service.ts, the step runner in request-step.service.ts, handling steps in
 * handling.service.ts / fees.service.ts / reply.service.ts, review cases in review-case.service.ts, reading in
 * info-request-query.service.ts, retention in retention.service.ts.
 */
import { type Actor, systemActor } from "../accounts/policy.ts";
import type { Agency } from "../agencies/agency.service.ts";
import {
  type CalendarChange,
  type CalendarReader,
  getCalendarForAgency,
} from "../calendar/calendar.service.ts";
import { ClockError, type WorkCalendar } from "../calendar/index.ts";
import type { DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { AppError, type FieldError, validationError } from "../errors.ts";
import { OUTCOMES } from "../legal/annual-report-codes.ts";
import {
  computeDeadlines,
  type DeadlineFacts,
  type DeadlineReport,
  type RestDayReceipt,
} from "./deadlines.ts";
import {
  findSettings,
  listOpenReceived,
  listOpenWithDue,
  setNextDue,
  upsertSettings,
} from "./info-request.repository.ts";
import type { ConsultationRow, CorrectionRow, InfoRequestRow, SettingsRow } from "./info-request.table.ts";
import type { InfoRequest, OutcomeCode } from "./info-request.ts";
import { listConsultations, listCorrections } from "./request-steps.repository.ts";

/** Who performs a step (a staff user, or none for an applicant / the system): the one Actor of accounts/policy.ts. */

export const SYSTEM_ACTOR: Actor = systemActor("系统");
export const APPLICANT_ACTOR: Actor = systemActor("申请人");

// ---------------------------------------------------------------------------------------------------------------
// Calendar and settings
// ---------------------------------------------------------------------------------------------------------------

/**
 * The working-day calendar an agency counts with (national data plus its region's overrides; the calendar
 * feature caches it and invalidates the cache on every change).
 */
export async function calendarForAgency(
  reader: CalendarReader,
  agency: Pick<Agency, "id">,
): Promise<WorkCalendar> {
  return getCalendarForAgency(reader, agency.id);
}

/**
 * The agency's settings for applications. The office, its address and phone, the 行政复议机关 and the court are
 * not here: every notice reads them from the 政府信息公开指南 (one source; notices.service.ts getNoticeContact).
 */
export interface RequestSettings {
  /** 发文机关代字 of notices, e.g. 旗人社依申. */
  docPrefix: string;
  /** Years after archiving until applicants' personal data is deleted. */
  retentionYears: number;
  /** Default correction period in working days (the organ sets a reasonable period; 条例第30条). */
  correctionDays: number;
  /**
   * Whether the fee payment period stops the reply clock. Default true: the applicant has 20 working days to pay
   * (国办函〔2020〕109号), which cannot lie inside the 20-working-day reply period (a notice served on day 15 would
   * leave the agency overdue while the applicant may pay until day 35). Changing it recomputes open due dates.
   */
  feePausesClock: boolean;
  /** How a receipt on a rest day is counted (shown in every explanation). */
  restDayReceipt: RestDayReceipt;
  /** How to pay (fee notice). */
  feePaymentMethod: string;
  /** Quiet hours of applicant notifications, Beijing time: none is sent from quietFrom:00 to quietUntil:00. */
  quietFrom: number;
  quietUntil: number;
  /** Handler reminders start this many working days before each deadline (then: due today, overdue). */
  reminderDays: number;
}

export function settingsFromRow(agency: Agency, row: SettingsRow | undefined): RequestSettings {
  return {
    docPrefix: row?.doc_prefix || `${agency.shortName}依申`,
    retentionYears: row?.retention_years ?? 10,
    correctionDays: row?.correction_days ?? 10,
    feePausesClock: row?.fee_pauses_clock ?? true,
    restDayReceipt: row?.rest_day_receipt === "next_working_day" ? "next_working_day" : "receipt_day",
    feePaymentMethod:
      row?.fee_payment_method ||
      "请持本通知到本机关政府信息公开工作机构办理缴费，款项通过非税收入收缴系统全额缴入国库。",
    quietFrom: row?.quiet_from ?? 22,
    quietUntil: row?.quiet_until ?? 8,
    reminderDays: row?.reminder_days ?? 3,
  };
}

export async function getRequestSettings(db: DbOrTx, agency: Agency): Promise<RequestSettings> {
  return settingsFromRow(agency, await findSettings(db, agency.id));
}

/** @throws AppError validation_failed */
export async function updateRequestSettings(
  deps: Deps,
  agency: Agency,
  actor: Actor,
  input: Partial<Record<keyof RequestSettings, unknown>>,
): Promise<RequestSettings> {
  const fields: FieldError[] = [];
  const text = (k: keyof RequestSettings, max: number): string => {
    const v = String(input[k] ?? "").trim();
    if (v.length > max) fields.push({ field: k, message: `不超过${max}字` });
    return v;
  };
  const current = await getRequestSettings(deps.db, agency);
  const int = (k: keyof RequestSettings, min: number, max: number): number => {
    // Fields a form does not show keep their value (older forms, the API).
    const n = input[k] === undefined && typeof current[k] === "number" ? current[k] : Number(input[k]);
    if (!Number.isInteger(n) || n < min || n > max) {
      fields.push({ field: k, message: `应为${min}至${max}之间的整数` });
      return min;
    }
    return n;
  };
  const values = {
    doc_prefix: text("docPrefix", 30),
    retention_years: int("retentionYears", 1, 100),
    correction_days: int("correctionDays", 1, 60),
    fee_pauses_clock:
      input.feePausesClock === true || input.feePausesClock === "on" || input.feePausesClock === "true",
    fee_payment_method: text("feePaymentMethod", 500),
    rest_day_receipt: "receipt_day" as RestDayReceipt,
    quiet_from: int("quietFrom", 0, 23),
    quiet_until: int("quietUntil", 0, 23),
    reminder_days: int("reminderDays", 1, 10),
  };
  if (input.restDayReceipt === "next_working_day" || input.restDayReceipt === "receipt_day")
    values.rest_day_receipt = input.restDayReceipt;
  else if (input.restDayReceipt !== undefined)
    fields.push({ field: "restDayReceipt", message: "请选择收到之日为休息日时的计算规则" });
  if (fields.length) throw validationError(fields);
  await deps.db.transaction().execute(async (trx) => {
    const before = await findSettings(trx, agency.id);
    await upsertSettings(trx, agency.id, values);
    // The clock rules changed: open due dates (the cached next_due_on) follow at once.
    await recomputeAgencyDueDates(
      { db: trx, calendarCache: deps.calendarCache },
      agency.id,
      deps.clock.today(),
    );
    await deps.audit.record(trx, {
      actorId: actor.id,
      actorName: actor.name,
      ip: actor.ip,
      action: "request.settings",
      agencyId: agency.id,
      entityType: "info_request_settings",
      entityId: agency.id,
      summary: "修改依申请公开设置",
      before: before ?? null,
      after: values,
    });
  });
  return getRequestSettings(deps.db, agency);
}

// ---------------------------------------------------------------------------------------------------------------
// Mapping
// ---------------------------------------------------------------------------------------------------------------

export function toInfoRequest(row: InfoRequestRow): InfoRequest {
  return {
    agencyId: row.agency_id,
    id: row.id,
    number: row.number,
    status: row.status,
    version: row.version,
    channel: row.channel,
    applicantType: row.applicant_type,
    applicantDisplay: row.applicant_display,
    idType: row.id_type,
    idMasked: row.id_masked,
    phoneMasked: row.phone_masked,
    filledByStaff: row.filled_by_staff,
    infoTitle: row.info_title,
    infoDocNumber: row.info_doc_number,
    infoDescription: row.info_description,
    form: row.form,
    delivery: row.delivery,
    submittedAt: row.submitted_at,
    submittedOn: row.submitted_on,
    receivedOn: row.received_on,
    receiptBasis: row.receipt_basis,
    departmentId: row.department_id,
    assigneeId: row.assignee_id,
    outcome: row.outcome,
    replyType: row.reply_type,
    legalBasis: row.legal_basis,
    replyReasons: row.reply_reasons,
    repliedOn: row.replied_on,
    concludedOn: row.concluded_on,
    deliveredOn: row.delivered_on,
    deliveryActual: row.delivery_actual,
    deliveryProof: row.delivery_proof,
    extensionDays: row.extension_days,
    extensionReason: row.extension_reason,
    extensionProposedOn: row.extension_proposed_on,
    extensionApprovedOn: row.extension_approved_on,
    archivedOn: row.archived_on,
    catalogItemId: row.catalog_item_id,
    nextDueOn: row.next_due_on,
    nextDueKind: row.next_due_kind,
    personalPurgedOn: row.personal_purged_on,
  };
}

export function outcomeLabel(code: OutcomeCode): string {
  const o = OUTCOMES.find((x) => x.code === code);
  if (!o) return code;
  return o.standalone
    ? o.label.replace(/（区分处理.*$/, "")
    : `${o.groupLabel.replace(/^（.）/, "")}：${o.label.replace(/^\d\./, "")}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Deadlines
// ---------------------------------------------------------------------------------------------------------------

export function deadlineFacts(
  row: InfoRequestRow,
  corrections: CorrectionRow[],
  consultations: ConsultationRow[],
  settings: Pick<RequestSettings, "feePausesClock" | "restDayReceipt">,
  today?: string,
): DeadlineFacts {
  return {
    status: row.status,
    receivedOn: row.received_on,
    corrections: corrections.map((c) => ({
      round: c.round,
      noticeOn: c.notice_on,
      dueOn: c.due_on,
      receivedOn: c.received_on,
      lapsedOn: c.lapsed_on,
    })),
    consultations: consultations.map((c) => ({
      kind: c.kind,
      party: c.party,
      sentOn: c.sent_on,
      endedOn: c.ended_on,
    })),
    extension:
      row.extension_approved_on && row.extension_days
        ? {
            approvedOn: row.extension_approved_on,
            days: row.extension_days,
            approvedBy: row.extension_approved_by ?? "",
            notifiedOn: row.extension_notified_on,
          }
        : null,
    deferral:
      row.deferral_decided_on && row.deferral_due_on
        ? { decidedOn: row.deferral_decided_on, dueOn: row.deferral_due_on }
        : null,
    fee: row.fee_served_on ? { servedOn: row.fee_served_on, paidOn: row.fee_paid_on } : null,
    feePausesClock: settings.feePausesClock,
    restDayReceipt: settings.restDayReceipt,
    concludedOn: row.concluded_on,
    ...(today !== undefined ? { today } : {}),
  };
}

/** computeDeadlines, with the engine's refusals as `info_request_deadline_invalid`. */
export function checkedDeadlines(calendar: WorkCalendar, facts: DeadlineFacts): DeadlineReport {
  try {
    return computeDeadlines(calendar, facts);
  } catch (e) {
    if (e instanceof ClockError)
      throw new AppError("info_request_deadline_invalid", e.message, { details: { rule: e.code } });
    throw e;
  }
}

/** Every open deadline of the agency's open applications (ICS feed). */
export async function openDeadlines(
  deps: Deps,
  agency: Agency,
): Promise<{ request: InfoRequest; kind: string; label: string; due: string }[]> {
  const settings = await getRequestSettings(deps.db, agency);
  const calendar = await calendarForAgency(deps, agency);
  const out: { request: InfoRequest; kind: string; label: string; due: string }[] = [];
  for (const row of await listOpenWithDue(deps.db, agency.id)) {
    if (!row.received_on) continue;
    const [corrections, consultations] = await Promise.all([
      listCorrections(deps.db, agency.id, row.id),
      listConsultations(deps.db, agency.id, row.id),
    ]);
    const report = computeDeadlines(calendar, deadlineFacts(row, corrections, consultations, settings));
    for (const d of report.deadlines) {
      if (d.state !== "open" || !d.due || d.optional) continue;
      out.push({ request: toInfoRequest(row), kind: d.kind, label: d.label, due: d.due });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Calendar changes (a holiday notice or an override entered later) move due dates
// ---------------------------------------------------------------------------------------------------------------

/**
 * Recomputes the cached next due date of open applications in the agencies whose calendar changed (inside the
 * calendar change's transaction). Explanations are computed on demand, so only the cache needs updating.
 */
/** The clock rules of an agency's settings row (defaults when the agency never saved its settings). */
export function clockSettings(
  row: SettingsRow | undefined,
): Pick<RequestSettings, "feePausesClock" | "restDayReceipt"> {
  return {
    feePausesClock: row?.fee_pauses_clock ?? true,
    restDayReceipt: row?.rest_day_receipt === "next_working_day" ? "next_working_day" : "receipt_day",
  };
}

/** Recomputes the cached next due date of one agency's open applications (after its clock settings changed). */
export async function recomputeAgencyDueDates(
  reader: CalendarReader,
  agencyId: string,
  today: string,
): Promise<number> {
  const { db } = reader;
  const settings = clockSettings(await findSettings(db, agencyId));
  const calendar = await getCalendarForAgency(reader, agencyId);
  let count = 0;
  for (const row of await listOpenReceived(db, [agencyId])) {
    const [corrections, consultations] = await Promise.all([
      listCorrections(db, agencyId, row.id),
      listConsultations(db, agencyId, row.id),
    ]);
    let report: DeadlineReport;
    try {
      report = computeDeadlines(calendar, deadlineFacts(row, corrections, consultations, settings, today));
    } catch {
      continue; // a recorded step the new rule would refuse keeps its old cached date; the page explains
    }
    const due = report.next?.due ?? null;
    const kind = report.next?.kind ?? null;
    if (due !== row.next_due_on || kind !== row.next_due_kind) {
      await setNextDue(db, agencyId, row.id, { due, kind });
      count++;
    }
  }
  return count;
}

export async function recomputeInfoRequestDueDates(change: CalendarChange): Promise<number> {
  const rows = await listOpenReceived(change.db, change.agencyIds);
  let count = 0;
  for (const row of rows) {
    const settingsRow = await findSettings(change.db, row.agency_id);
    const calendar = await getCalendarForAgency(change, row.agency_id);
    const [corrections, consultations] = await Promise.all([
      listCorrections(change.db, row.agency_id, row.id),
      listConsultations(change.db, row.agency_id, row.id),
    ]);
    let report: DeadlineReport;
    try {
      report = computeDeadlines(
        calendar,
        deadlineFacts(row, corrections, consultations, clockSettings(settingsRow)),
      );
    } catch {
      continue; // a recorded step the new calendar would refuse keeps its old cached date; the page explains
    }
    const due = report.next?.due ?? null;
    const kind = report.next?.kind ?? null;
    if (due !== row.next_due_on || kind !== row.next_due_kind) {
      await setNextDue(change.db, row.agency_id, row.id, { due, kind });
      count++;
    }
  }
  return count;
}
