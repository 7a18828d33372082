/**
 * @module Reading applications: the detail page (with similar applications), revealing personal data (audited), the
 * work queue, reminders, the handler list, and the applicant's status page (查询码 + last four phone digits).
 */

import { timingSafeEqual } from "node:crypto";
import { listAccounts } from "../accounts/index.ts";
import type { Actor } from "../accounts/policy.ts";
import type { Agency } from "../agencies/agency.service.ts";
import { getCalendarForAgency } from "../calendar/calendar.service.ts";
import { compareDates, type WorkCalendar } from "../calendar/index.ts";
import type { DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { phoneLast4 } from "./applicant.rules.ts";
import { listAccess, listFiles, listMessages } from "./applicant-online.repository.ts";
import type { AccessLogRow, ApplicantMessageRow, RequestFileRow } from "./applicant-online.table.ts";
import { computeDeadlines, correctionNoticeLateness, type DeadlineReport, urgency } from "./deadlines.ts";
import {
  countByApplicantSince,
  countInfoRequests,
  findByQueryCode,
  findInfoRequest,
  findSettings,
  findSimilar,
  type ListFilter,
  listInfoRequests,
  listOpenWithDue,
} from "./info-request.repository.ts";
import {
  calendarForAgency,
  clockSettings,
  deadlineFacts,
  getRequestSettings,
  outcomeLabel,
  type RequestSettings,
  toInfoRequest,
} from "./info-request.service.ts";
import type {
  ConsultationRow,
  CorrectionRow,
  EventRow,
  InfoRequestRow,
  NoticeRow,
} from "./info-request.table.ts";
import {
  type ApplicantPersonalData,
  type InfoRequest,
  type InfoRequestStatus,
  OPEN_STATUSES,
  type OutcomeCode,
  plainStatus,
} from "./info-request.ts";
import { DEFAULT_REPLY_TEXT } from "./outcome.rules.ts";
import { decryptPersonal, normalizeQueryCode, parseEncryptionKey } from "./personal-data.ts";
import {
  listCases,
  listConsultations,
  listCorrections,
  listEvents,
  listFirstCorrectionNotices,
  listNotices,
} from "./request-steps.repository.ts";
import { type ReviewCase, toCase } from "./review-case.service.ts";

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
  /**
   * While a 补正 notice may still be sent (办理中, none sent yet) but its 7 working days (条例第30条) have passed: the
   * due date and how many working days late a notice sent today is (the form warns before sending).
   */
  correctionNoticeLateToday: { due: string; lateWorkingDays: number } | null;
  settings: RequestSettings;
  /** The applicant's online loop: files (补正 attachments, disclosed information), accesses, notifications. */
  files: RequestFileRow[];
  access: AccessLogRow[];
  messages: ApplicantMessageRow[];
}

/** @throws AppError info_request_not_found */
/** The application a staff URL names, within the agency (another agency's, or none → info_request_not_found). */
export async function requestResource(
  db: DbOrTx,
  agencyId: string,
  id: string,
): Promise<{ agencyId: string; departmentId: null }> {
  const row = await findInfoRequest(db, agencyId, id);
  if (!row) throw new AppError("info_request_not_found");
  return { agencyId: row.agency_id, departmentId: null };
}

export async function getInfoRequestDetail(
  deps: Deps,
  agency: Agency,
  id: string,
): Promise<InfoRequestDetail> {
  const row = await findInfoRequest(deps.db, agency.id, id);
  if (!row) throw new AppError("info_request_not_found");
  const [corrections, consultations, events, notices, cases, settings, files, access, messages] =
    await Promise.all([
      listCorrections(deps.db, agency.id, id),
      listConsultations(deps.db, agency.id, id),
      listEvents(deps.db, agency.id, id),
      listNotices(deps.db, agency.id, id),
      listCases(deps.db, agency.id, id),
      getRequestSettings(deps.db, agency),
      listFiles(deps.db, agency.id, id),
      listAccess(deps.db, agency.id, id),
      listMessages(deps.db, agency.id, id),
    ]);
  const calendar = await calendarForAgency(deps, agency);
  const deadlines = computeDeadlines(
    calendar,
    deadlineFacts(row, corrections, consultations, settings, deps.clock.today()),
  );
  const lateToday =
    row.status === "processing" && corrections.length === 0 && row.received_on
      ? correctionNoticeLateness(calendar, row.received_on, deps.clock.today(), settings.restDayReceipt)
      : null;
  const similarRows = await findSimilar(
    deps.db,
    agency.id,
    row.id,
    `${row.info_title} ${row.info_description ?? ""}`,
    row.applicant_key,
    { threshold: SIMILARITY_THRESHOLD, limit: 10 },
  );
  const monthAgo = (await calendarForAgency(deps, agency)).addCalendarDays(deps.clock.today(), -30, {
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
    correctionNoticeLateToday: lateToday && lateToday.lateWorkingDays > 0 ? lateToday : null,
    settings,
    files,
    access,
    messages,
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
    await deps.audit.record(trx, {
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
  /** Working days the 补正 notice was sent after its 7 working days (条例第30条); 0 when on time or none. */
  correctionNoticeLate: number;
}

export type QueueView =
  | "open"
  | "due_soon"
  | "overdue"
  | "late_correction_notice"
  | "awaiting_confirmation"
  | "concluded"
  | "all";

/** Every view of the queue (the staff page's tabs and the API's `view`). */
export const QUEUE_VIEWS: readonly QueueView[] = [
  "open",
  "due_soon",
  "overdue",
  "late_correction_notice",
  "awaiting_confirmation",
  "concluded",
  "all",
];

/** Applications per page of the handlers' queue. */
export const QUEUE_PAGE_SIZE = 200;

export interface QueueFilter {
  view?: QueueView;
  departmentId?: string;
  channel?: string;
  text?: string;
}

/** The first page of the queue. */
export async function listQueue(deps: Deps, agency: Agency, filter: QueueFilter): Promise<QueueItem[]> {
  return (await listQueuePage(deps, agency, filter)).items;
}

/**
 * One page of the queue (1-based), whether another follows and how many applications the filter matches in all: an
 * agency with more applications than a page (the 全部 view after a year or two) reaches every one of them, not only
 * the first page. The order is total (next due date, submission, id), so pages neither repeat nor skip a row.
 */
export async function listQueuePage(
  deps: Deps,
  agency: Agency,
  filter: QueueFilter,
  page = 1,
  pageSize = QUEUE_PAGE_SIZE,
): Promise<{ items: QueueItem[]; page: number; hasNext: boolean; total: number }> {
  const today = deps.clock.today();
  const calendar = await calendarForAgency(deps, agency);
  const late = await lateCorrectionNotices(deps, agency, calendar);
  const where = queueFilter(calendar, today, filter, late);
  const [rows, total] = await Promise.all([
    listInfoRequests(deps.db, agency.id, { ...where, limit: pageSize + 1, offset: (page - 1) * pageSize }),
    countInfoRequests(deps.db, agency.id, where),
  ]);
  const items = rows.slice(0, pageSize).map((row) => {
    const open = OPEN_STATUSES.includes(row.status);
    const u = open && row.next_due_on ? urgency(calendar, row.next_due_on, today) : null;
    return {
      request: toInfoRequest(row),
      similar: row.has_similar,
      urgency: u,
      dueLabel: row.next_due_kind ? (DUE_KIND_LABELS[row.next_due_kind] ?? row.next_due_kind) : null,
      correctionNoticeLate: late.get(row.id)?.lateWorkingDays ?? 0,
    };
  });
  return { items, page, hasNext: rows.length > pageSize, total };
}

/**
 * The agency's 补正 notices sent after their 7 working days (条例第30条), by application: the due date, the notice
 * date and how late (working days). `range` bounds the notice date. Computed from the agency's calendar and
 * rest-day rule, so a calendar change is reflected.
 */
export async function lateCorrectionNotices(
  deps: Deps,
  agency: Agency,
  calendar?: WorkCalendar,
  range: { from?: string; to?: string } = {},
): Promise<Map<string, { due: string; noticeOn: string; lateWorkingDays: number }>> {
  const cal = calendar ?? (await calendarForAgency(deps, agency));
  const { restDayReceipt } = await getRequestSettings(deps.db, agency);
  const out = new Map<string, { due: string; noticeOn: string; lateWorkingDays: number }>();
  for (const n of await listFirstCorrectionNotices(deps.db, agency.id, range)) {
    const l = correctionNoticeLateness(cal, n.received_on, n.notice_on, restDayReceipt);
    if (l.lateWorkingDays > 0) out.set(n.request_id, { ...l, noticeOn: n.notice_on });
  }
  return out;
}

function queueFilter(
  calendar: WorkCalendar,
  today: string,
  filter: QueueFilter,
  late: ReadonlyMap<string, unknown>,
): ListFilter {
  const view = filter.view ?? "open";
  const soon = calendar.addWorkingDays(today, 3).date;
  return {
    ...(view === "open" || view === "due_soon" || view === "overdue" ? { open: true } : {}),
    ...(view === "awaiting_confirmation" ? { statuses: ["awaiting_confirmation"] } : {}),
    ...(view === "concluded" ? { statuses: ["concluded", "archived"] } : {}),
    ...(view === "late_correction_notice" ? { ids: [...late.keys()] } : {}),
    ...(view === "due_soon" ? { dueBefore: soon } : {}),
    ...(view === "overdue" ? { dueBefore: calendar.addCalendarDays(today, -1, { roll: "none" }).date } : {}),
    ...(filter.departmentId ? { departmentId: filter.departmentId } : {}),
    ...(filter.channel ? { channel: filter.channel } : {}),
    ...(filter.text ? { text: filter.text.slice(0, 100) } : {}),
  };
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
  /** Working days until the due date (0: due today; overdue: 0). */
  daysLeft: number;
  /** What to do now, in Chinese. */
  advice: string;
}

/** In-app notifications: every open deadline that is overdue or due within the agency's reminder lead time. */
export async function listReminders(deps: Deps, agency: Agency): Promise<Reminder[]> {
  const today = deps.clock.today();
  const calendar = await calendarForAgency(deps, agency);
  const { reminderDays } = await getRequestSettings(deps.db, agency);
  const cutoff = calendar.addWorkingDays(today, reminderDays).date;
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
      daysLeft: u === "overdue" ? 0 : calendar.countWorkingDays(today, due).count,
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
  /** While a 补正 is pending: everything to correct (条例第30条 一次性告知) and by when. */
  correction: { items: string; dueOn: string } | null;
  outcome: string | null;
  repliedOn: string | null;
}

/**
 * The application a 查询码 and the last four digits of the phone given with it designate. Every candidate's phone is
 * decrypted and compared in constant time; a wrong code and a wrong number fail the same way.
 * @throws AppError info_request_lookup_failed (wrong code or digits; deliberately the same error)
 */
export async function matchQueryCode(deps: Deps, code: unknown, last4: unknown): Promise<InfoRequestRow> {
  const normalized = normalizeQueryCode(code);
  // Full-width digits (a Chinese input method) are the same digits.
  const digits = typeof last4 === "string" ? last4.normalize("NFKC").trim() : "";
  if (!normalized || !/^\d{4}$/.test(digits)) throw new AppError("info_request_lookup_failed");
  const rows = await findByQueryCode(deps.db, normalized);
  const key = parseEncryptionKey(deps.config.encryptionKey);
  const given = Buffer.from(digits);
  let match: InfoRequestRow | undefined;
  for (const r of rows) {
    const phone = r.personal_enc ? decryptPersonal(key, r.personal_enc, r.id).phone : "";
    const a = Buffer.from(phone ? phoneLast4(phone).padStart(4, "#").slice(-4) : "####");
    if (a.length === given.length && timingSafeEqual(a, given) && phone) match = r;
  }
  if (!match) throw new AppError("info_request_lookup_failed");
  return match;
}

/**
 * Looks an application up by 查询码 and the last four digits of the phone given with it.
 * @throws AppError info_request_lookup_failed (wrong code or digits; deliberately the same error)
 */
export async function lookupStatus(deps: Deps, code: unknown, last4: unknown): Promise<PublicStatus> {
  return publicStatusOf(deps, await matchQueryCode(deps, code, last4));
}

/** What the applicant may see of their application: plain status, milestones, due dates, what to correct. */
export async function publicStatusOf(deps: Deps, row: InfoRequestRow): Promise<PublicStatus> {
  const [events, corrections, consultations, settingsRow] = await Promise.all([
    listEvents(deps.db, row.agency_id, row.id),
    listCorrections(deps.db, row.agency_id, row.id),
    listConsultations(deps.db, row.agency_id, row.id),
    findSettings(deps.db, row.agency_id),
  ]);
  const report = computeDeadlines(
    await getCalendarForAgency(deps, row.agency_id),
    deadlineFacts(row, corrections, consultations, clockSettings(settingsRow), deps.clock.today()),
  );
  const open = OPEN_STATUSES.includes(row.status);
  return {
    agencyId: row.agency_id,
    number: row.number,
    title: row.info_title,
    statusLabel: plainStatus(row.status, report.overdue),
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
    correction: (() => {
      const pending = row.status === "correction" ? corrections[corrections.length - 1] : undefined;
      return pending ? { items: pending.items, dueOn: pending.due_on } : null;
    })(),
    outcome: row.outcome ? DEFAULT_REPLY_TEXT[row.outcome] || outcomeLabel(row.outcome) : null,
    repliedOn: row.replied_on,
  };
}
