/**
 * @module Intake of applications (条例第29–31条): online submission and staff registration (in person, oral, post, fax,
 * email, hotline) — validation, receipt date, 查询码, encrypted personal data, the first register event and audit
 * entry.
 */

import { randomUUID } from "node:crypto";
import type { Actor } from "../accounts/policy.ts";
import type { Agency } from "../agencies/agency.service.ts";
import { compareDates, formatChineseDate, isValidDate } from "../calendar/index.ts";
import type { Deps } from "../deps.ts";
import { type FieldError, validationError } from "../errors.ts";
import {
  type ApplicationInput,
  applicationProblems,
  maskIdNumber,
  maskName,
  maskPhone,
  normalizeIdNumber,
  normalizePhone,
  normalizePostalCode,
} from "./applicant.rules.ts";
import {
  findInfoRequest,
  insertInfoRequest,
  nextCounter,
  queryCodeExists,
  recentOnlineApplications,
} from "./info-request.repository.ts";
import {
  APPLICANT_ACTOR,
  calendarForAgency,
  checkedDeadlines,
  deadlineFacts,
  getRequestSettings,
  toInfoRequest,
} from "./info-request.service.ts";
import type { InfoRequestRow } from "./info-request.table.ts";
import {
  type ApplicantPersonalData,
  CHANNELS,
  type Channel,
  type EventKind,
  type InfoRequest,
  type InfoRequestStatus,
} from "./info-request.ts";
import { issueNotice } from "./notices.service.ts";
import {
  applicantKey,
  decryptPersonal,
  encryptPersonal,
  newQueryCode,
  parseEncryptionKey,
} from "./personal-data.ts";
import { receiptDate } from "./receipt.rules.ts";
import { baseValues } from "./request-step.service.ts";
import { findRegisteredByEntryKey, insertEvent } from "./request-steps.repository.ts";

// ---------------------------------------------------------------------------------------------------------------
// Intake (条例第29–31条)
// ---------------------------------------------------------------------------------------------------------------

export interface StaffIntakeInput extends ApplicationInput {
  channel: Channel;
  /**
   * A one-time key of this entry (the 登记 form carries one; an API client sends Idempotency-Key): the same key
   * again within ENTRY_KEY_HOURS is answered with the application it registered (a double click on 登记, a
   * client retrying after a timeout), not registered twice.
   */
  entryKey?: string;
  /** The day it was handed in / arrived / was made orally. */
  submittedOn: string;
  signedForOn?: string;
  confirmedOn?: string;
}

/** 条例 (2019 revision) in force (第五十六条): applications received earlier follow other periods. */
const REGULATION_IN_FORCE = "2019-05-15";

/** An identical online application within this many minutes is a double submission (double click, resend). */
export const DUPLICATE_SUBMISSION_MINUTES = 10;
/** How long a staff entry's key (form key, Idempotency-Key) answers with the application it registered. */
export const ENTRY_KEY_HOURS = 24;
/** What an entry key may look like (a UUID, or a client's own token). */
const ENTRY_KEY = /^[A-Za-z0-9_-]{8,100}$/;

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
  if (input.entryKey !== undefined && !ENTRY_KEY.test(input.entryKey))
    throw validationError([
      { field: "entryKey", message: "重复提交保护键应为8至100个字母、数字、连字符或下划线" },
    ]);
  return createApplication(deps, agency, actor, input, {
    channel: input.channel,
    submittedOn: input.submittedOn,
    signedForOn: input.signedForOn,
    confirmedOn: input.confirmedOn,
    entryKey: input.entryKey,
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
    entryKey?: string | undefined;
  },
): Promise<IntakeResult> {
  // 7. Privacy: no key, no applications.
  const key = parseEncryptionKey(deps.config.encryptionKey);
  const today = deps.clock.today();
  const staff = actor.id !== null;
  const fields: FieldError[] = applicationProblems(input, {
    requirePhone: !staff,
    refuseContradictoryPair: !staff,
  }).map((p) => ({ ...p }));
  if (!Object.hasOwn(CHANNELS, receipt.channel)) fields.push({ field: "channel", message: "请选择申请渠道" });
  if (!isValidDate(receipt.submittedOn))
    fields.push({
      field: "submittedOn",
      message:
        receipt.submittedOn === "" ? "请填写收到（提交）日期" : "日期格式应为YYYY-MM-DD（且须为存在的日期）",
    });
  else if (compareDates(receipt.submittedOn, REGULATION_IN_FORCE) < 0)
    fields.push({
      field: "submittedOn",
      message: `日期不能早于${formatChineseDate(REGULATION_IN_FORCE)}（2019年修订的条例施行之日）`,
    });
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
    postalCode: normalizePostalCode(input.postalCode) || null,
  };
  const settings = await getRequestSettings(deps.db, agency);
  const calendar = await calendarForAgency(deps, agency);

  const created = await deps.db.transaction().execute(async (trx) => {
    if (!staff) {
      // A double click or a resent form: the same application again is answered with the first one's receipt
      // (the browser shows only the last response), not counted twice (annual report; 按件 fees).
      const since = new Date(deps.clock.now().getTime() - DUPLICATE_SUBMISSION_MINUTES * 60_000);
      const recent = await recentOnlineApplications(
        trx,
        agency.id,
        applicantKey(key, input.idType, idNumber),
        since,
      );
      const same = recent.find((r) => isSameApplication(key, r, input, personal));
      if (same) return same;
    } else if (receipt.entryKey && actor.id) {
      const since = new Date(deps.clock.now().getTime() - ENTRY_KEY_HOURS * 3_600_000);
      const earlier = await findRegisteredByEntryKey(trx, agency.id, actor.id, receipt.entryKey, since);
      const row = earlier ? await findInfoRequest(trx, agency.id, earlier) : undefined;
      if (row) return row;
    }
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
      data: {
        channel: receipt.channel,
        ...(staff && receipt.entryKey ? { entryKey: receipt.entryKey } : {}),
      },
    });
    await deps.audit.record(trx, {
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

/** The stored application has the same contents and applicant details as the one submitted again. */
function isSameApplication(
  key: Buffer,
  row: InfoRequestRow,
  input: ApplicationInput,
  personal: ApplicantPersonalData,
): boolean {
  if (
    row.applicant_type !== input.applicantType ||
    row.id_type !== input.idType ||
    row.info_title !== input.infoTitle.trim() ||
    row.info_doc_number !== (input.infoDocNumber.trim() || null) ||
    row.info_description !== (input.infoDescription.trim() || null) ||
    row.form !== input.form ||
    row.delivery !== input.delivery ||
    row.personal_enc === null
  )
    return false;
  try {
    const stored = decryptPersonal(key, row.personal_enc, row.id);
    return (Object.keys(personal) as (keyof ApplicantPersonalData)[]).every((k) => stored[k] === personal[k]);
  } catch {
    return false;
  }
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
