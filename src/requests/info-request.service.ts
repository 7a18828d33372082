/**
 * @module Use cases of applications for disclosure (依申请公开): intake (online, staff-entered), every handling
 * step, reading (detail, queue, reminders, status page) and personal data. Each step runs in one transaction:
 * the row is locked, the caller's `version` is checked (optimistic locking → `info_request_conflict`), the
 * deadlines of the prospective state are computed (the calendar engine refuses unlawful sequences), the change,
 * its register event (条例第45条) and its audit entry are written together, and the notice is generated.
 */
import { randomUUID, timingSafeEqual } from "node:crypto";
import { listAccounts } from "../accounts/accounts.service.ts";
import type { Agency } from "../agencies/agency.service.ts";
import { recordAudit } from "../audit/audit.service.ts";
import {
  type CalendarChange,
  getCalendarForAgency,
  onCalendarChanged,
} from "../calendar/calendar.service.ts";
import {
  ClockError,
  compareDates,
  consultationReplyDue,
  formatChineseDate,
  isValidDate,
  periodContaining,
  type WorkCalendar,
} from "../calendar/index.ts";
import type { DbOrTx, Tx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { AppError, type FieldError, validationError } from "../errors.ts";
import { OUTCOMES } from "../reports/annual-report.format.ts";
import {
  type ApplicationInput,
  applicationProblems,
  maskIdNumber,
  maskName,
  maskPhone,
  normalizeIdNumber,
  normalizePhone,
  phoneLast4,
} from "./applicant.rules.ts";
import {
  computeDeadlines,
  type DeadlineFacts,
  type DeadlineReport,
  PAYMENT_WORKING_DAYS,
  urgency,
} from "./deadlines.ts";
import { feeMonth, perItemFee, perPageFee } from "./fees.rules.ts";
import {
  countApplicantEarlierInMonth,
  countByApplicantSince,
  endConsultation as endConsultationRow,
  findByQueryCode,
  findCase,
  findInfoRequest,
  findSettings,
  findSimilar,
  insertCase,
  insertConsultation,
  insertCorrection,
  insertEvent,
  insertInfoRequest,
  listCases,
  listConsultations,
  listCorrections,
  listEvents,
  listInfoRequests,
  listNotices,
  listOpenReceived,
  listOpenWithDue,
  listPurgeable,
  lockInfoRequest,
  nextCounter,
  queryCodeExists,
  setNextDue,
  updateCase as updateCaseRow,
  updateCorrection,
  updateInfoRequest,
  upsertSettings,
} from "./info-request.repository.ts";
import type {
  CaseRow,
  ConsultationRow,
  CorrectionRow,
  EventRow,
  InfoRequestRow,
  InfoRequestUpdate,
  NoticeRow,
  SettingsRow,
} from "./info-request.table.ts";
import {
  type ApplicantPersonalData,
  CASE_KINDS,
  type CaseKind,
  type CaseResult,
  CHANNELS,
  type Channel,
  CONSULTATION_KINDS,
  CONSULTATION_RESULTS,
  type ConsultationKind,
  type ConsultationResult,
  DELIVERY_METHODS,
  type DeliveryMethod,
  EVENT_KINDS,
  type EventKind,
  FEE_BASES,
  type FeeBasis,
  FORMS,
  type InfoRequest,
  type InfoRequestStatus,
  OPEN_STATUSES,
  type OutcomeCode,
  STATUSES,
} from "./info-request.ts";
import type { TemplateKind } from "./notices.rules.ts";
import { replyTemplateKind } from "./notices.rules.ts";
import { issueNotice } from "./notices.service.ts";
import { defaultLegalBasis, replyProblems, replyType, standardReplyText } from "./outcome.rules.ts";
import {
  applicantKey,
  decryptPersonal,
  encryptPersonal,
  formatQueryCode,
  newQueryCode,
  normalizeQueryCode,
  parseEncryptionKey,
} from "./personal-data.ts";
import { receiptDate } from "./receipt.rules.ts";

/** Who performs a step (a staff user, or null for an applicant / the system). */
export interface Actor {
  id: string | null;
  name: string;
  ip: string | null;
}

export const SYSTEM_ACTOR: Actor = { id: null, name: "系统", ip: null };
export const APPLICANT_ACTOR: Actor = { id: null, name: "申请人", ip: null };

// ---------------------------------------------------------------------------------------------------------------
// Calendar and settings
// ---------------------------------------------------------------------------------------------------------------

/**
 * The working-day calendar an agency counts with (national data plus its region's overrides; the calendar
 * feature caches it and invalidates the cache on every change).
 */
export async function calendarForAgency(db: DbOrTx, agency: Pick<Agency, "id">): Promise<WorkCalendar> {
  return getCalendarForAgency(db, agency.id);
}

export interface RequestSettings {
  officeName: string;
  officeAddress: string;
  officePhone: string;
  /** 发文机关代字 of notices, e.g. 旗人社依申. */
  docPrefix: string;
  /** 行政复议机关 named in the remedy clause. */
  reviewBody: string;
  /** 人民法院 named in the remedy clause. */
  court: string;
  /** Years after archiving until applicants' personal data is deleted. */
  retentionYears: number;
  /** Default correction period in working days (the organ sets a reasonable period; 条例第30条). */
  correctionDays: number;
  /** Whether the fee payment period stops the reply clock (legal-spec §3 ❌: not settled). */
  feePausesClock: boolean;
  /** How to pay (fee notice). */
  feePaymentMethod: string;
}

export function settingsFromRow(agency: Agency, row: SettingsRow | undefined): RequestSettings {
  return {
    officeName: row?.office_name || `${agency.name}政府信息公开工作机构`,
    officeAddress: row?.office_address ?? "",
    officePhone: row?.office_phone ?? "",
    docPrefix: row?.doc_prefix || `${agency.shortName}依申`,
    reviewBody: row?.review_body ?? "",
    court: row?.court ?? "",
    retentionYears: row?.retention_years ?? 10,
    correctionDays: row?.correction_days ?? 10,
    feePausesClock: row?.fee_pauses_clock ?? false,
    feePaymentMethod:
      row?.fee_payment_method ||
      "请持本通知到本机关政府信息公开工作机构办理缴费，款项通过非税收入收缴系统全额缴入国库。",
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
  const int = (k: keyof RequestSettings, min: number, max: number): number => {
    const n = Number(input[k]);
    if (!Number.isInteger(n) || n < min || n > max) {
      fields.push({ field: k, message: `应为${min}至${max}之间的整数` });
      return min;
    }
    return n;
  };
  const values = {
    office_name: text("officeName", 100),
    office_address: text("officeAddress", 200),
    office_phone: text("officePhone", 50),
    doc_prefix: text("docPrefix", 30),
    review_body: text("reviewBody", 100),
    court: text("court", 100),
    retention_years: int("retentionYears", 1, 100),
    correction_days: int("correctionDays", 1, 60),
    fee_pauses_clock:
      input.feePausesClock === true || input.feePausesClock === "on" || input.feePausesClock === "true",
    fee_payment_method: text("feePaymentMethod", 500),
  };
  if (fields.length) throw validationError(fields);
  await deps.db.transaction().execute(async (trx) => {
    const before = await findSettings(trx, agency.id);
    await upsertSettings(trx, agency.id, values);
    await recordAudit(trx, {
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
  settings: Pick<RequestSettings, "feePausesClock">,
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
    concludedOn: row.concluded_on,
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

// ---------------------------------------------------------------------------------------------------------------
// Intake (条例第29–31条)
// ---------------------------------------------------------------------------------------------------------------

export interface StaffIntakeInput extends ApplicationInput {
  channel: Channel;
  /** The day it was handed in / arrived / was made orally. */
  submittedOn: string;
  signedForOn?: string;
  confirmedOn?: string;
}

export interface IntakeResult {
  request: InfoRequest;
  /** 查询码 (shown once on the receipt; also printed on the 登记回执). */
  queryCode: string;
}

function dateField(
  fields: FieldError[],
  field: string,
  value: string | undefined,
  min: string | null,
  max: string,
): void {
  if (value === undefined || value === "") return;
  if (!isValidDate(value)) fields.push({ field, message: "日期格式应为YYYY-MM-DD" });
  else if (compareDates(value, max) > 0)
    fields.push({ field, message: `日期不能晚于${formatChineseDate(max)}` });
  else if (min && compareDates(value, min) < 0)
    fields.push({ field, message: `日期不能早于${formatChineseDate(min)}` });
}

/** A public application from the portal form (条例第29条 through an internet channel). */
export async function submitOnlineApplication(
  deps: Deps,
  agency: Agency,
  input: ApplicationInput,
): Promise<IntakeResult> {
  return createApplication(deps, agency, APPLICANT_ACTOR, input, {
    channel: "online",
    submittedOn: deps.clock.today(),
  });
}

/** An application received in person, orally, by post, fax, e-mail or a hotline, entered by a handler. */
export async function registerApplication(
  deps: Deps,
  agency: Agency,
  actor: Actor,
  input: StaffIntakeInput,
): Promise<IntakeResult> {
  return createApplication(deps, agency, actor, input, {
    channel: input.channel,
    submittedOn: input.submittedOn,
    signedForOn: input.signedForOn,
    confirmedOn: input.confirmedOn,
  });
}

async function createApplication(
  deps: Deps,
  agency: Agency,
  actor: Actor,
  input: ApplicationInput,
  receipt: {
    channel: Channel;
    submittedOn: string;
    signedForOn?: string | undefined;
    confirmedOn?: string | undefined;
  },
): Promise<IntakeResult> {
  // 7. Privacy: no key, no applications.
  const key = parseEncryptionKey(deps.config.encryptionKey);
  const today = deps.clock.today();
  const staff = actor.id !== null;
  const fields: FieldError[] = applicationProblems(input, { requirePhone: !staff }).map((p) => ({ ...p }));
  if (!Object.hasOwn(CHANNELS, receipt.channel)) fields.push({ field: "channel", message: "请选择申请渠道" });
  if (!isValidDate(receipt.submittedOn))
    fields.push({ field: "submittedOn", message: "请填写收到（提交）日期" });
  else {
    dateField(fields, "submittedOn", receipt.submittedOn, null, today);
    dateField(fields, "signedForOn", receipt.signedForOn, receipt.submittedOn, today);
    dateField(fields, "confirmedOn", receipt.confirmedOn, receipt.submittedOn, today);
  }
  if (fields.length) throw validationError(fields);

  const receiptInfo = receiptDate({
    channel: receipt.channel,
    submittedOn: receipt.submittedOn,
    signedForOn: receipt.signedForOn || null,
    confirmedOn: receipt.confirmedOn || null,
  });
  const idNumber = normalizeIdNumber(input.idNumber);
  const phone = input.phone.trim() ? normalizePhone(input.phone) : null;
  const id = randomUUID();
  const personal: ApplicantPersonalData = {
    name: input.name.trim(),
    idNumber,
    phone,
    email: input.email.trim() || null,
    address: input.address.trim() || null,
    postalCode: input.postalCode.trim() || null,
  };
  const settings = await getRequestSettings(deps.db, agency);
  const calendar = await calendarForAgency(deps.db, agency);

  const created = await deps.db.transaction().execute(async (trx) => {
    const year = Number(receipt.submittedOn.slice(0, 4));
    const seq = await nextCounter(trx, agency.id, "request", year);
    let queryCode = newQueryCode();
    while (await queryCodeExists(trx, queryCode)) queryCode = newQueryCode();
    const status: InfoRequestStatus = receiptInfo.receivedOn ? "processing" : "awaiting_confirmation";
    const draft = {
      agency_id: agency.id,
      id,
      number: `${year}-${String(seq).padStart(4, "0")}`,
      query_code: queryCode,
      status,
      channel: receipt.channel,
      applicant_type: input.applicantType,
      applicant_display: maskName(personal.name, input.applicantType),
      id_type: input.idType,
      id_masked: maskIdNumber(idNumber),
      phone_masked: phone ? maskPhone(phone) : null,
      applicant_key: applicantKey(key, input.idType, idNumber),
      personal_enc: encryptPersonal(key, personal, id),
      filled_by_staff: receipt.channel === "oral" || (staff && receipt.channel === "in_person"),
      info_title: input.infoTitle.trim(),
      info_doc_number: input.infoDocNumber.trim() || null,
      info_description: input.infoDescription.trim() || null,
      form: input.form,
      delivery: input.delivery,
      submitted_at: deps.clock.now(),
      submitted_on: receipt.submittedOn,
      signed_for_on: receipt.signedForOn || null,
      confirmed_on: receipt.confirmedOn || null,
      received_on: receiptInfo.receivedOn,
      receipt_basis: receiptInfo.basis,
      created_by: actor.id,
    };
    const report = checkedDeadlines(
      calendar,
      deadlineFacts({ ...emptyRowFields(), ...draft } as InfoRequestRow, [], [], settings),
    );
    const row = await insertInfoRequest(trx, {
      ...draft,
      next_due_on: report.next?.due ?? null,
      next_due_kind: report.next?.kind ?? null,
    });
    const kind: EventKind = staff ? "registered" : "submitted";
    const note = staff
      ? `本机关登记了您通过“${CHANNELS[receipt.channel]}”提出的申请。${receiptInfo.receivedOn ? `收到申请之日为${formatChineseDate(receiptInfo.receivedOn)}。` : ""}`
      : "您通过本平台提交了政府信息公开申请，本机关确认收到后开始计算答复期限。";
    await insertEvent(trx, {
      agency_id: agency.id,
      request_id: row.id,
      kind,
      on_date: receipt.submittedOn,
      actor_id: actor.id,
      actor_name: actor.name,
      public: true,
      note,
      data: { channel: receipt.channel },
    });
    await recordAudit(trx, {
      actorId: actor.id,
      actorName: actor.name,
      ip: actor.ip,
      action: staff ? "request.register" : "request.submit",
      agencyId: agency.id,
      entityType: "info_request",
      entityId: row.id,
      summary: `${staff ? "登记" : "网上提交"}政府信息公开申请 ${row.number}（${CHANNELS[receipt.channel]}）`,
      after: { number: row.number, status: row.status, channel: row.channel, receivedOn: row.received_on },
    });
    if (row.received_on) {
      await issueNotice(
        trx,
        deps,
        agency,
        settings,
        row,
        "receipt",
        baseValues(row, report),
        row.received_on,
        actor,
      );
    }
    return row;
  });
  return { request: toInfoRequest(created), queryCode: created.query_code };
}

function emptyRowFields(): Partial<InfoRequestRow> {
  return {
    extension_approved_on: null,
    extension_days: null,
    deferral_decided_on: null,
    deferral_due_on: null,
    fee_served_on: null,
    fee_paid_on: null,
    concluded_on: null,
  };
}

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

interface StepResult {
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

function requireStatus(row: InfoRequestRow, allowed: readonly InfoRequestStatus[], what: string): void {
  if (!allowed.includes(row.status)) {
    throw new AppError(
      "info_request_invalid_state",
      `该申请目前处于“${STATUSES[row.status]}”环节，不能${what}。`,
      { details: { status: row.status } },
    );
  }
}

async function runStep(
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
  const calendar = await calendarForAgency(deps.db, agency);
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
    const before = checkedDeadlines(calendar, deadlineFacts(row, corrections, consultations, settings));
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
    await recordAudit(trx, {
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
function baseValues(row: InfoRequestRow, report: DeadlineReport): Record<string, string> {
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

function stepDate(
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

function requiredText(field: string, value: unknown, max: number, label: string): string {
  const v = typeof value === "string" ? value.trim() : "";
  if (v === "") throw validationError([{ field, message: `请填写${label}` }]);
  if (v.length > max) throw validationError([{ field, message: `${label}不超过${max}字` }]);
  return v;
}

function optionalText(field: string, value: unknown, max: number): string | null {
  const v = typeof value === "string" ? value.trim() : "";
  if (v.length > max) throw validationError([{ field, message: `不超过${max}字` }]);
  return v === "" ? null : v;
}

/** The day the current reply period started (receipt, or the last correction received). */
function clockStart(row: InfoRequestRow, corrections: CorrectionRow[]): string {
  const last = [...corrections].reverse().find((c) => c.received_on);
  return last?.received_on ?? (row.received_on as string);
}

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
  const uuid = (v: unknown) => (typeof v === "string" && /^[0-9a-f-]{36}$/i.test(v) ? v : null);
  const departmentId = uuid(input.departmentId);
  const assigneeId = uuid(input.assigneeId);
  if (assigneeId) {
    const handlers = await listHandlers(deps.db, agency.id);
    if (!handlers.some((h) => h.id === assigneeId))
      throw validationError([{ field: "assigneeId", message: "经办人须为本机关的依申请公开经办人" }]);
  }
  try {
    return await runStep(deps, agency, id, version, actor, ({ row, today }) => {
      requireStatus(row, [...OPEN_STATUSES, "concluded"], "分办");
      return {
        patch: { department_id: departmentId, assignee_id: assigneeId },
        event: { kind: "assigned", on: today, public: false, note: "分办" },
        audit: "分办",
      };
    });
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
      const start = clockStart(row, corrections);
      const noticeOn = stepDate("noticeOn", input.noticeOn, {
        min: start,
        max: today,
        minLabel: "收到申请之日",
      });
      const items = requiredText("items", input.items, 2000, "需要补正的事项");
      const dueOn =
        typeof input.dueOn === "string" && input.dueOn.trim() !== ""
          ? stepDate("dueOn", input.dueOn, { min: noticeOn, max: "2999-12-31", minLabel: "告知日期" })
          : calendar.addWorkingDays(noticeOn, settings.correctionDays).date;
      const round = corrections.length + 1;
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
          data: { round, dueOn },
        },
        audit: `发出补正告知（第${round}次），补正期限${dueOn}`,
        notice: {
          kind: "correction",
          on: noticeOn,
          values: () => ({ 补正事项: items, 补正期限: formatChineseDate(dueOn) }),
        },
      };
    },
  );
}

/** 条例第30条: the corrected application arrived; the reply period restarts on that day. */
export async function receiveCorrection(
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  input: { receivedOn: unknown },
): Promise<InfoRequest> {
  return runStep(deps, agency, id, version, actor, async ({ trx, row, today, corrections }) => {
    requireStatus(row, ["correction"], "登记补正");
    const current = corrections[corrections.length - 1] as CorrectionRow;
    const receivedOn = stepDate("receivedOn", input.receivedOn, {
      min: current.notice_on,
      max: today,
      minLabel: "补正告知日期",
    });
    await updateCorrection(trx, agency.id, row.id, current.round, { received_on: receivedOn });
    return {
      patch: { status: "processing" },
      event: {
        kind: "correction_received",
        on: receivedOn,
        public: true,
        note: `本机关于${formatChineseDate(receivedOn)}收到您补正后的申请，答复期限自该日起重新计算（条例第三十条）。`,
        data: { round: current.round, late: compareDates(receivedOn, current.due_on) > 0 },
      },
      audit: `收到补正后的申请（第${current.round}次）`,
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
    const party = requiredText("party", input.party, 200, "被征求意见方名称");
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
      note: optionalText("note", input.note, 2000),
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
    const days = Number(input.days);
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
      min: row.received_on,
      max: today,
      minLabel: "收到申请之日",
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
    const note = optionalText("note", input.note, 1000);
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
  return runStep(deps, agency, id, version, actor, ({ row, today }) => {
    requireStatus(row, ["reasons_requested"], "处理说明的理由");
    const decidedOn = stepDate("decidedOn", input.decidedOn, {
      min: row.reasons_requested_on,
      max: today,
      minLabel: "要求说明理由之日",
    });
    const reasons = optionalText("reasons", input.reasons, 2000);
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
        max: "2999-12-31",
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

/** 国办函〔2020〕109号: fee notice (one basis per application; 按件 counts the applicant's calendar month). */
export async function issueFeeNotice(
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  input: { basis: unknown; units: unknown; servedOn: unknown },
): Promise<InfoRequest> {
  return runStep(deps, agency, id, version, actor, async ({ trx, row, today }) => {
    requireStatus(row, ["processing"], "发出收费通知");
    if (row.fee_basis !== null) throw new AppError("info_request_fee_exists");
    if (typeof input.basis !== "string" || !Object.hasOwn(FEE_BASES, input.basis))
      throw validationError([{ field: "basis", message: "请选择按件或按量计收（只能选择一种）" }]);
    const basis = input.basis as FeeBasis;
    const units = Number(input.units);
    if (!Number.isInteger(units) || units < 1 || units > 100000)
      throw validationError([
        { field: "units", message: basis === "per_item" ? "请填写本申请计为几件" : "请填写页数" },
      ]);
    const servedOn = stepDate("servedOn", input.servedOn, {
      min: row.received_on,
      max: today,
      minLabel: "收到申请之日",
    });
    const receivedOn = row.received_on as string;
    let fee = perPageFee(units);
    if (basis === "per_item") {
      const month = periodContaining(receivedOn, "month");
      const prior = await countApplicantEarlierInMonth(
        trx,
        agency.id,
        row.applicant_key,
        month.start,
        month.end,
        {
          receivedOn,
          number: row.number,
        },
      );
      fee = perItemFee(prior, units);
    }
    if (fee.amount === 0) {
      throw validationError(
        [{ field: "units", message: `按规定不收费：${fee.explanation}` }],
        "按《政府信息公开信息处理费管理办法》计算，该申请不需要收费。",
      );
    }
    return {
      patch: {
        status: "fee_pending",
        fee_basis: basis,
        fee_units: units,
        fee_amount: fee.amount,
        fee_explanation: fee.explanation,
        fee_served_on: servedOn,
      },
      event: {
        kind: "fee_noticed",
        on: servedOn,
        public: true,
        note: `本机关于${formatChineseDate(servedOn)}向您发出收费通知，应缴信息处理费${fee.amount}元（${FEE_BASES[basis]}，${feeMonth(receivedOn)}）。`,
        data: { basis, units, amount: fee.amount },
      },
      audit: `发出收费通知（${FEE_BASES[basis]}，${fee.amount}元）`,
      notice: {
        kind: "fee",
        on: servedOn,
        values: (report) => {
          const payment = report.deadlines.find((d) => d.kind === "payment");
          return {
            收费方式: FEE_BASES[basis],
            收费说明: fee.explanation,
            收费金额: String(fee.amount),
            缴费期限: payment?.due ? formatChineseDate(payment.due) : "",
          };
        },
      },
    };
  });
}

export async function recordPayment(
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  input: { paidOn: unknown; amount?: unknown },
): Promise<InfoRequest> {
  return runStep(deps, agency, id, version, actor, ({ row, today }) => {
    requireStatus(row, ["fee_pending"], "登记缴费");
    const paidOn = stepDate("paidOn", input.paidOn, {
      min: row.fee_served_on,
      max: today,
      minLabel: "收费通知送达之日",
    });
    const amount = input.amount === undefined || input.amount === "" ? row.fee_amount : Number(input.amount);
    if (!Number.isInteger(amount) || (amount as number) < 0)
      throw validationError([{ field: "amount", message: "缴费金额应为整数（元）" }]);
    return {
      patch: { status: "processing", fee_paid_on: paidOn, fee_paid_amount: amount },
      event: {
        kind: "fee_paid",
        on: paidOn,
        public: true,
        note: `本机关确认您已于${formatChineseDate(paidOn)}缴纳信息处理费。`,
      },
      audit: `登记缴费${amount}元`,
    };
  });
}

/** 109号: no payment within 20 working days from the day after service → deemed withdrawn; （六）2. */
export async function lapseFee(
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  input: { on?: unknown } = {},
): Promise<InfoRequest> {
  return runStep(deps, agency, id, version, actor, ({ row, today, before }) => {
    requireStatus(row, ["fee_pending"], "按逾期未缴费处理");
    const on = input.on ? stepDate("on", input.on, { max: today }) : today;
    const payment = before.deadlines.find((d) => d.kind === "payment");
    if (!payment?.due || compareDates(on, payment.due) <= 0) {
      throw new AppError(
        "info_request_period_not_ended",
        `缴费期限至${payment?.due ? formatChineseDate(payment.due) : "—"}（送达次日起${PAYMENT_WORKING_DAYS}个工作日），期限届满后才能按视为放弃申请处理。`,
      );
    }
    return conclude(row, "fee_lapsed", "other_fee_unpaid", on, null, {
      kind: "fee_lapsed",
      note: `您未在缴费期限（${formatChineseDate(payment.due)}）内缴纳信息处理费，视为放弃申请，本机关不再处理该申请。`,
      audit: "逾期未缴费，视为放弃申请",
    });
  });
}

export interface ReplyInput {
  replyType: unknown;
  outcome: unknown;
  legalBasis?: unknown;
  reasons?: unknown;
  repliedOn: unknown;
}

/** 条例第36–39条: exactly one outcome of table 三, the reply type and the legal basis; generates the 告知书. */
export async function replyToInfoRequest(
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  input: ReplyInput,
): Promise<InfoRequest> {
  return runStep(deps, agency, id, version, actor, ({ row, today, corrections }) => {
    const type = typeof input.replyType === "string" ? replyType(input.replyType) : undefined;
    const outcome = String(input.outcome ?? "") as OutcomeCode;
    // A withdrawal (其他处理) may end the application at any open step; replies otherwise come from 办理中.
    requireStatus(
      row,
      outcome === "other_other" ? OPEN_STATUSES.filter((s) => s !== "awaiting_confirmation") : ["processing"],
      "作出答复",
    );
    if (!OUTCOMES.some((o) => o.code === outcome))
      throw validationError([{ field: "outcome", message: "请选择办理结果" }]);
    const legalBasis =
      typeof input.legalBasis === "string" && input.legalBasis.trim() !== ""
        ? input.legalBasis.trim()
        : type
          ? defaultLegalBasis(type.code, outcome)
          : "";
    const problems = replyProblems({
      replyType: String(input.replyType ?? ""),
      outcome,
      legalBasis,
      correctionCompleted: corrections.some((c) => c.received_on !== null),
    });
    if (problems.length) throw validationError(problems);
    const repliedOn = stepDate("repliedOn", input.repliedOn, {
      min: clockStart(row, corrections),
      max: today,
      minLabel: "收到申请之日",
    });
    const reasons = optionalText("reasons", input.reasons, 5000);
    if (outcome === "partially_granted" || outcome.startsWith("withheld_") || type?.code === "art36_5") {
      if (!reasons)
        throw validationError([
          { field: "reasons", message: "不予公开、部分公开或告知由其他机关负责的，应当说明理由" },
        ]);
    }
    return conclude(row, (type as NonNullable<typeof type>).code, outcome, repliedOn, reasons, {
      kind: "replied",
      note: `本机关于${formatChineseDate(repliedOn)}作出答复：${outcomeLabel(outcome)}。`,
      audit: `作出答复：${outcomeLabel(outcome)}`,
      legalBasis,
    });
  });
}

/** Closes the application with one outcome and generates the matching reply notice. */
function conclude(
  _row: InfoRequestRow,
  replyTypeCode: string,
  outcome: OutcomeCode,
  on: string,
  reasons: string | null,
  text: { kind: EventKind; note: string; audit: string; legalBasis?: string },
): StepResult {
  const legalBasis = text.legalBasis ?? defaultLegalBasis(replyTypeCode, outcome);
  return {
    patch: {
      status: "concluded",
      outcome,
      reply_type: replyTypeCode,
      legal_basis: legalBasis,
      reply_reasons: reasons,
      replied_on: on,
      concluded_on: on,
    },
    event: {
      kind: text.kind,
      on,
      public: true,
      note: text.note,
      data: { outcome, replyType: replyTypeCode },
    },
    audit: text.audit,
    notice: {
      kind: replyTemplateKind(outcome),
      on,
      values: () => ({
        答复内容: standardReplyText(replyTypeCode, outcome),
        理由: reasons ?? "",
        法律依据: legalBasis,
      }),
    },
  };
}

/** Delivery of the reply (method, date, proof such as a postal tracking number or a signed receipt). */
export async function recordDelivery(
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  input: { method: unknown; deliveredOn: unknown; proof?: unknown },
): Promise<InfoRequest> {
  return runStep(deps, agency, id, version, actor, ({ row, today }) => {
    requireStatus(row, ["concluded"], "登记送达");
    if (typeof input.method !== "string" || !Object.hasOwn(DELIVERY_METHODS, input.method))
      throw validationError([{ field: "method", message: "请选择送达方式" }]);
    const method = input.method as DeliveryMethod;
    const deliveredOn = stepDate("deliveredOn", input.deliveredOn, {
      min: row.replied_on,
      max: today,
      minLabel: "答复日期",
    });
    const proof = optionalText("proof", input.proof, 500);
    return {
      patch: { delivered_on: deliveredOn, delivery_actual: method, delivery_proof: proof },
      event: {
        kind: "delivered",
        on: deliveredOn,
        public: true,
        note: `答复已于${formatChineseDate(deliveredOn)}以“${DELIVERY_METHODS[method]}”方式送达。`,
      },
      audit: `登记送达（${DELIVERY_METHODS[method]}）`,
    };
  });
}

/** 条例第45条: archiving closes the file. */
export async function archiveInfoRequest(
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  input: { archivedOn?: unknown } = {},
): Promise<InfoRequest> {
  return runStep(deps, agency, id, version, actor, ({ row, today }) => {
    requireStatus(row, ["concluded"], "归档");
    const archivedOn = input.archivedOn
      ? stepDate("archivedOn", input.archivedOn, { min: row.concluded_on, max: today, minLabel: "办结日期" })
      : today;
    return {
      patch: { status: "archived", archived_on: archivedOn },
      event: { kind: "archived", on: archivedOn, public: true, note: "该申请已办结归档。" },
      audit: "归档",
    };
  });
}

/** 条例第44条: link the application to a catalog item (转主动公开), or unlink it (null). */
export async function linkCatalogItem(
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  input: { catalogItemId: unknown },
): Promise<InfoRequest> {
  const itemId =
    typeof input.catalogItemId === "string" && /^[0-9a-f-]{36}$/i.test(input.catalogItemId.trim())
      ? input.catalogItemId.trim()
      : null;
  if (input.catalogItemId && !itemId)
    throw validationError([{ field: "catalogItemId", message: "事项编号格式不正确" }]);
  try {
    return await runStep(deps, agency, id, version, actor, ({ today }) => ({
      patch: { catalog_item_id: itemId },
      event: {
        kind: "catalog_linked",
        on: today,
        public: false,
        note: itemId ? "关联主动公开事项（条例第四十四条）" : "取消关联主动公开事项",
        data: { catalogItemId: itemId },
      },
      audit: itemId ? "关联主动公开事项（条例第四十四条）" : "取消关联主动公开事项",
    }));
  } catch (e) {
    if ((e as { code?: string }).code === "23503")
      throw validationError([{ field: "catalogItemId", message: "本机关目录中没有该事项" }]);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Review and litigation (table 四)
// ---------------------------------------------------------------------------------------------------------------

export interface ReviewCase {
  id: string;
  requestId: string;
  kind: CaseKind;
  filedOn: string;
  body: string;
  caseNumber: string;
  result: CaseResult;
  concludedOn: string | null;
  note: string | null;
  version: number;
}

function toCase(row: CaseRow): ReviewCase {
  return {
    id: row.id,
    requestId: row.request_id,
    kind: row.kind,
    filedOn: row.filed_on,
    body: row.body,
    caseNumber: row.case_number,
    result: row.result,
    concludedOn: row.concluded_on,
    note: row.note,
    version: row.version,
  };
}

const CASE_RESULT_CODES = ["upheld", "corrected", "other", "pending"] as const;

export async function recordCase(
  deps: Deps,
  agency: Agency,
  requestId: string,
  actor: Actor,
  input: {
    kind: unknown;
    filedOn: unknown;
    body?: unknown;
    caseNumber?: unknown;
    result?: unknown;
    concludedOn?: unknown;
  },
): Promise<ReviewCase> {
  const today = deps.clock.today();
  return deps.db.transaction().execute(async (trx) => {
    const row = await lockInfoRequest(trx, agency.id, requestId);
    if (!row) throw new AppError("info_request_not_found");
    requireStatus(row, ["concluded", "archived"], "登记行政复议或行政诉讼");
    if (typeof input.kind !== "string" || !Object.hasOwn(CASE_KINDS, input.kind))
      throw validationError([{ field: "kind", message: "请选择案件类型" }]);
    const kind = input.kind as CaseKind;
    const filedOn = stepDate("filedOn", input.filedOn, {
      min: row.replied_on,
      max: today,
      minLabel: "答复日期",
    });
    const result = (CASE_RESULT_CODES as readonly string[]).includes(String(input.result ?? "pending"))
      ? (String(input.result ?? "pending") as CaseResult)
      : "pending";
    const concludedOn =
      result === "pending"
        ? null
        : stepDate("concludedOn", input.concludedOn, { min: filedOn, max: today, minLabel: "立案日期" });
    const created = await insertCase(trx, {
      agency_id: agency.id,
      request_id: requestId,
      kind,
      filed_on: filedOn,
      body: optionalText("body", input.body, 200) ?? "",
      case_number: optionalText("caseNumber", input.caseNumber, 100) ?? "",
      result,
      concluded_on: concludedOn,
      note: null,
    });
    await insertEvent(trx, {
      agency_id: agency.id,
      request_id: requestId,
      kind: "case_recorded",
      on_date: filedOn,
      actor_id: actor.id,
      actor_name: actor.name,
      public: false,
      note: `登记${CASE_KINDS[kind]}`,
    });
    await recordAudit(trx, {
      actorId: actor.id,
      actorName: actor.name,
      ip: actor.ip,
      action: "request.handle",
      agencyId: agency.id,
      entityType: "info_request_case",
      entityId: created.id,
      summary: `${row.number}：登记${CASE_KINDS[kind]}`,
      after: { kind, filedOn, result },
    });
    return toCase(created);
  });
}

export async function updateCaseResult(
  deps: Deps,
  agency: Agency,
  caseId: string,
  version: number,
  actor: Actor,
  input: { result: unknown; concludedOn?: unknown; note?: unknown },
): Promise<ReviewCase> {
  const today = deps.clock.today();
  return deps.db.transaction().execute(async (trx) => {
    const existing = await findCase(trx, agency.id, caseId);
    if (!existing) throw new AppError("not_found");
    if (!(CASE_RESULT_CODES as readonly string[]).includes(String(input.result)))
      throw validationError([{ field: "result", message: "请选择审理结果" }]);
    const result = input.result as CaseResult;
    const concludedOn =
      result === "pending"
        ? null
        : stepDate("concludedOn", input.concludedOn, {
            min: existing.filed_on,
            max: today,
            minLabel: "立案日期",
          });
    const saved = await updateCaseRow(trx, agency.id, caseId, version, {
      result,
      concluded_on: concludedOn,
      note: optionalText("note", input.note, 1000),
    });
    if (!saved) throw new AppError("info_request_conflict");
    await insertEvent(trx, {
      agency_id: agency.id,
      request_id: existing.request_id,
      kind: "case_updated",
      on_date: concludedOn ?? today,
      actor_id: actor.id,
      actor_name: actor.name,
      public: false,
      note: `${CASE_KINDS[existing.kind]}结果：${result}`,
    });
    await recordAudit(trx, {
      actorId: actor.id,
      actorName: actor.name,
      ip: actor.ip,
      action: "request.handle",
      agencyId: agency.id,
      entityType: "info_request_case",
      entityId: caseId,
      summary: `更新${CASE_KINDS[existing.kind]}结果`,
      before: { result: existing.result, concludedOn: existing.concluded_on },
      after: { result, concludedOn },
    });
    return toCase(saved);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------------------

export interface SimilarApplication {
  id: string;
  number: string;
  title: string;
  status: InfoRequestStatus;
  outcome: OutcomeCode | null;
  receivedOn: string | null;
  catalogItemId: string | null;
  sameApplicant: boolean;
  similarity: number;
}

/** Similarity above which applications are flagged as similar (pg_trgm, 0–1). */
export const SIMILARITY_THRESHOLD = 0.3;

export interface InfoRequestDetail {
  request: InfoRequest;
  corrections: CorrectionRow[];
  consultations: ConsultationRow[];
  events: EventRow[];
  notices: NoticeRow[];
  cases: ReviewCase[];
  deadlines: DeadlineReport;
  similar: SimilarApplication[];
  /** Applications by the same applicant in the last 30 days (条例第35条 signal). */
  applicantRecentCount: number;
  settings: RequestSettings;
}

/** @throws AppError info_request_not_found */
export async function getInfoRequestDetail(
  deps: Deps,
  agency: Agency,
  id: string,
): Promise<InfoRequestDetail> {
  const row = await findInfoRequest(deps.db, agency.id, id);
  if (!row) throw new AppError("info_request_not_found");
  const [corrections, consultations, events, notices, cases, settings] = await Promise.all([
    listCorrections(deps.db, agency.id, id),
    listConsultations(deps.db, agency.id, id),
    listEvents(deps.db, agency.id, id),
    listNotices(deps.db, agency.id, id),
    listCases(deps.db, agency.id, id),
    getRequestSettings(deps.db, agency),
  ]);
  const deadlines = computeDeadlines(
    await calendarForAgency(deps.db, agency),
    deadlineFacts(row, corrections, consultations, settings),
  );
  const similarRows = await findSimilar(
    deps.db,
    agency.id,
    row.id,
    `${row.info_title} ${row.info_description ?? ""}`,
    row.applicant_key,
    { threshold: SIMILARITY_THRESHOLD, limit: 10 },
  );
  const monthAgo = (await calendarForAgency(deps.db, agency)).addCalendarDays(deps.clock.today(), -30, {
    roll: "none",
  }).date;
  return {
    request: toInfoRequest(row),
    corrections,
    consultations,
    events,
    notices,
    cases: cases.map(toCase),
    deadlines,
    similar: similarRows.map((s) => ({
      id: s.id,
      number: s.number,
      title: s.info_title,
      status: s.status,
      outcome: s.outcome,
      receivedOn: s.received_on,
      catalogItemId: s.catalog_item_id,
      sameApplicant: s.same_applicant,
      similarity: Math.round(Number(s.similarity) * 100) / 100,
    })),
    applicantRecentCount: await countByApplicantSince(deps.db, agency.id, row.applicant_key, monthAgo),
    settings,
  };
}

/**
 * The applicant's identity and contact in full, for handlers only, with an audit entry (request.read_personal).
 * @throws AppError info_request_not_found | encryption_key_missing
 */
export async function revealPersonalData(
  deps: Deps,
  agency: Agency,
  id: string,
  actor: Actor,
  purpose = "办理申请",
): Promise<ApplicantPersonalData | null> {
  const key = parseEncryptionKey(deps.config.encryptionKey);
  return deps.db.transaction().execute(async (trx) => {
    const row = await findInfoRequest(trx, agency.id, id);
    if (!row) throw new AppError("info_request_not_found");
    await recordAudit(trx, {
      actorId: actor.id,
      actorName: actor.name,
      ip: actor.ip,
      action: "request.read_personal",
      agencyId: agency.id,
      entityType: "info_request",
      entityId: id,
      summary: `${row.number}：查看申请人身份证明和联系方式（${purpose}）`,
      after: { fields: ["name", "idNumber", "phone", "email", "address"], purpose },
    });
    if (!row.personal_enc) return null;
    return decryptPersonal(key, row.personal_enc, row.id);
  });
}

/** The applicant's name for notices (rendering only; no audit: the notice is addressed to them). */
export function applicantNameFor(deps: Deps, row: Pick<InfoRequestRow, "id" | "personal_enc">): string {
  if (!row.personal_enc) return "申请人";
  try {
    return decryptPersonal(parseEncryptionKey(deps.config.encryptionKey), row.personal_enc, row.id).name;
  } catch {
    return "申请人";
  }
}

export interface QueueItem {
  request: InfoRequest;
  /** Another application of the agency is similar (条例第44条). */
  similar: boolean;
  urgency: "overdue" | "due_soon" | "ok" | null;
  dueLabel: string | null;
}

export type QueueView = "open" | "due_soon" | "overdue" | "awaiting_confirmation" | "concluded" | "all";

export async function listQueue(
  deps: Deps,
  agency: Agency,
  filter: { view?: QueueView; departmentId?: string; channel?: string; text?: string },
): Promise<QueueItem[]> {
  const today = deps.clock.today();
  const calendar = await calendarForAgency(deps.db, agency);
  const view = filter.view ?? "open";
  const soon = calendar.addWorkingDays(today, 3).date;
  const rows = await listInfoRequests(deps.db, agency.id, {
    ...(view === "open" || view === "due_soon" || view === "overdue" ? { open: true } : {}),
    ...(view === "awaiting_confirmation" ? { statuses: ["awaiting_confirmation"] } : {}),
    ...(view === "concluded" ? { statuses: ["concluded", "archived"] } : {}),
    ...(view === "due_soon" ? { dueBefore: soon } : {}),
    ...(view === "overdue" ? { dueBefore: calendar.addCalendarDays(today, -1, { roll: "none" }).date } : {}),
    ...(filter.departmentId ? { departmentId: filter.departmentId } : {}),
    ...(filter.channel ? { channel: filter.channel } : {}),
    ...(filter.text ? { text: filter.text.slice(0, 100) } : {}),
  });
  return rows.map((row) => {
    const open = OPEN_STATUSES.includes(row.status);
    const u = open && row.next_due_on ? urgency(calendar, row.next_due_on, today) : null;
    return {
      request: toInfoRequest(row),
      similar: row.has_similar,
      urgency: u,
      dueLabel: row.next_due_kind ? (DUE_KIND_LABELS[row.next_due_kind] ?? row.next_due_kind) : null,
    };
  });
}

const DUE_KIND_LABELS: Record<string, string> = {
  reply: "答复期限",
  correction_period: "补正期限",
  consultation_reply: "征求意见期限",
  payment: "缴费期限",
  correction_notice: "补正告知期限",
};

export interface Reminder {
  request: InfoRequest;
  kind: string;
  label: string;
  due: string;
  urgency: "overdue" | "due_soon";
  /** What to do now, in Chinese. */
  advice: string;
}

/** In-app notifications: every open deadline that is overdue or due within 3 working days. */
export async function listReminders(deps: Deps, agency: Agency): Promise<Reminder[]> {
  const today = deps.clock.today();
  const calendar = await calendarForAgency(deps.db, agency);
  const cutoff = calendar.addWorkingDays(today, 3).date;
  const rows = (await listOpenWithDue(deps.db, agency.id)).filter(
    (r) => r.next_due_on && compareDates(r.next_due_on, cutoff) <= 0,
  );
  const out: Reminder[] = [];
  for (const row of rows) {
    const due = row.next_due_on as string;
    const u = urgency(calendar, due, today) === "overdue" ? "overdue" : "due_soon";
    const kind = row.next_due_kind ?? "reply";
    const advice =
      kind === "correction_period" && u === "overdue"
        ? "补正期限已过：收到补正的请登记；无正当理由未补正的，可按视为放弃申请处理。"
        : kind === "payment" && u === "overdue"
          ? "缴费期限已过：已缴费的请登记；未缴费的，可按视为放弃申请处理。"
          : kind === "consultation_reply"
            ? "征求意见期限将至或已过：请登记意见；逾期未答复的，按条例第三十二条、第三十四条处理。"
            : u === "overdue"
              ? "答复期限已过，请尽快答复。"
              : "答复期限将至：请答复，或在期限届满前报请延期。";
    out.push({
      request: toInfoRequest(row),
      kind,
      label: DUE_KIND_LABELS[kind] ?? kind,
      due,
      urgency: u,
      advice,
    });
  }
  return out;
}

/** Handlers of the agency (assignment list). */
export async function listHandlers(db: DbOrTx, agencyId: string): Promise<{ id: string; name: string }[]> {
  const accounts = await listAccounts(db, { agencyIds: [agencyId] });
  return accounts
    .filter((a) => a.active && a.grants.some((g) => g.role === "request_handler" && g.agencyId === agencyId))
    .map((a) => ({ id: a.id, name: a.displayName }));
}

// ---------------------------------------------------------------------------------------------------------------
// The applicant's status page (查询码 + last four phone digits)
// ---------------------------------------------------------------------------------------------------------------

export interface PublicStatus {
  agencyId: string;
  number: string;
  title: string;
  statusLabel: string;
  submittedOn: string;
  receivedOn: string | null;
  milestones: { date: string; text: string }[];
  /** Plain sentences about due dates (never explanations naming third parties). */
  dueTexts: string[];
  outcome: string | null;
  repliedOn: string | null;
}

/**
 * Looks an application up by 查询码 and the last four digits of the phone given with it.
 * @throws AppError info_request_lookup_failed (wrong code or digits; deliberately the same error)
 */
export async function lookupStatus(deps: Deps, code: unknown, last4: unknown): Promise<PublicStatus> {
  const normalized = normalizeQueryCode(code);
  const digits = typeof last4 === "string" ? last4.trim() : "";
  if (!normalized || !/^\d{4}$/.test(digits)) throw new AppError("info_request_lookup_failed");
  const rows = await findByQueryCode(deps.db, normalized);
  const key = parseEncryptionKey(deps.config.encryptionKey);
  const row = rows.find((r) => {
    if (!r.personal_enc) return false;
    const phone = decryptPersonal(key, r.personal_enc, r.id).phone;
    if (!phone) return false;
    const a = Buffer.from(phoneLast4(phone));
    const b = Buffer.from(digits);
    return a.length === b.length && timingSafeEqual(a, b);
  });
  if (!row) throw new AppError("info_request_lookup_failed");
  const [events, corrections, consultations, settingsRow] = await Promise.all([
    listEvents(deps.db, row.agency_id, row.id),
    listCorrections(deps.db, row.agency_id, row.id),
    listConsultations(deps.db, row.agency_id, row.id),
    findSettings(deps.db, row.agency_id),
  ]);
  const report = computeDeadlines(
    await getCalendarForAgency(deps.db, row.agency_id),
    deadlineFacts(row, corrections, consultations, {
      feePausesClock: settingsRow?.fee_pauses_clock ?? false,
    }),
  );
  const open = OPEN_STATUSES.includes(row.status);
  return {
    agencyId: row.agency_id,
    number: row.number,
    title: row.info_title,
    statusLabel: STATUSES[row.status],
    submittedOn: row.submitted_on,
    receivedOn: row.received_on,
    milestones: events
      .filter((e) => e.public && e.note)
      .map((e) => ({ date: e.on_date, text: e.note as string })),
    dueTexts: open
      ? report.deadlines
          .filter((d) => d.plain && (d.state === "open" || d.state === "paused" || d.state === "suspended"))
          .map((d) => d.plain)
      : [],
    outcome: row.outcome ? outcomeLabel(row.outcome) : null,
    repliedOn: row.replied_on,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Retention
// ---------------------------------------------------------------------------------------------------------------

/** Deletes applicants' personal data of archived applications past the agency's retention period. */
export async function purgeExpiredPersonalData(deps: Deps): Promise<{ purged: string[] }> {
  const today = deps.clock.today();
  const rows = await listPurgeable(deps.db, today);
  const purged: string[] = [];
  for (const r of rows) {
    await deps.db.transaction().execute(async (trx) => {
      const row = await lockInfoRequest(trx, r.agency_id, r.id);
      if (!row?.personal_enc) return;
      await updateInfoRequest(trx, r.agency_id, r.id, row.version, {
        personal_enc: null,
        personal_purged_on: today,
        applicant_display: row.applicant_type === "natural_person" ? "（已删除）" : row.applicant_display,
      });
      await insertEvent(trx, {
        agency_id: r.agency_id,
        request_id: r.id,
        kind: "personal_data_purged",
        on_date: today,
        actor_id: null,
        actor_name: "系统",
        public: false,
        note: EVENT_KINDS.personal_data_purged,
      });
      await recordAudit(trx, {
        actorId: null,
        actorName: "系统",
        action: "request.purge_personal",
        agencyId: r.agency_id,
        entityType: "info_request",
        entityId: r.id,
        summary: `${r.number}：保存期限届满，删除申请人个人信息`,
      });
      purged.push(r.number);
    });
  }
  return { purged };
}

/** Every open deadline of the agency's open applications (ICS feed). */
export async function openDeadlines(
  deps: Deps,
  agency: Agency,
): Promise<{ request: InfoRequest; kind: string; label: string; due: string }[]> {
  const settings = await getRequestSettings(deps.db, agency);
  const calendar = await calendarForAgency(deps.db, agency);
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
export async function recomputeInfoRequestDueDates(change: CalendarChange): Promise<number> {
  const rows = await listOpenReceived(change.db, change.agencyIds);
  let count = 0;
  for (const row of rows) {
    const settingsRow = await findSettings(change.db, row.agency_id);
    const calendar = await getCalendarForAgency(change.db, row.agency_id);
    const [corrections, consultations] = await Promise.all([
      listCorrections(change.db, row.agency_id, row.id),
      listConsultations(change.db, row.agency_id, row.id),
    ]);
    let report: DeadlineReport;
    try {
      report = computeDeadlines(
        calendar,
        deadlineFacts(row, corrections, consultations, {
          feePausesClock: settingsRow?.fee_pauses_clock ?? false,
        }),
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

onCalendarChanged(recomputeInfoRequestDueDates, "info-requests");
