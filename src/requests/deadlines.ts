/**
 * @module The deadlines of one application, tracked and explained (pure; no I/O, no clock). Working-day arithmetic
 * is the calendar feature's (src/calendar: `computeClock`, `WorkCalendar`); this module only turns an application's
 * facts into clock events and explains the results in Chinese.
 *
 * Tracked deadlines:
 * - 补正告知期限 (条例第30条): the one correction notice within 7 working days of receipt;
 * - 补正期限: the correction period the organ set (条例第30条: 合理的补正期限);
 * - 征求意见答复期限 (条例第32条/第34条): 15 working days for the consulted party;
 * - 答复期限 (条例第33条): 20 working days, restarted by a correction, consultation time not counted, extended
 *   once by ≤ 20 working days, or replaced by an Art. 35 deferral;
 * - 缴费期限 (国办函〔2020〕109号): 20 working days from the day after the fee notice is served.
 *
 * Agency settings that change the count, each named in the explanation:
 * - the fee window (`feePausesClock`, default on): the 20-working-day payment window cannot lie inside the
 *   20-working-day reply period (a notice served on day 15 would leave the agency overdue while the applicant may
 *   still pay until day 35), so by default the reply clock stops from service of the fee notice until payment;
 * - a receipt on a rest day (`restDayReceipt`): the receipt date itself is day 0 (default; 条例第31条 names the
 *   date of submission / confirmation), or the next working day is day 0.
 * A consultation stops the reply clock for at most the consulted party's 15 working days (条例第32条/第34条):
 * after that the agency decides, and a later reply does not extend the pause.
 */
import {
  type ClockEvent,
  type ClockResult,
  type ClockStep,
  compareDates,
  computeClock,
  consultationReplyDue,
  correctionNoticeDue,
  formatChineseDate,
  type WorkCalendar,
} from "../calendar/index.ts";
import { dayBreakdown } from "./day-breakdown.ts";
import type { ConsultationKind, InfoRequestStatus } from "./info-request.ts";

/** 109号: pay within 20 working days counted from the day after the notice is served. */
export const PAYMENT_WORKING_DAYS = 20;
/** A deadline is "due soon" when at most this many working days remain. */
export const DUE_SOON_WORKING_DAYS = 3;

/** Marks the pause events that stand for the fee period (agency setting `fee_pauses_clock`). */
export const FEE_PAUSE_NOTE = "收费通知送达至缴费期间不计入答复期限（本机关设置）";

/** How a receipt on a rest day is counted (agency setting). */
export type RestDayReceipt = "receipt_day" | "next_working_day";

export const REST_DAY_RECEIPT_LABELS: Record<RestDayReceipt, string> = {
  receipt_day: "以收到之日为第0日（次日起算）",
  next_working_day: "以收到之日后的第一个工作日为第0日",
};

export interface DeadlineFacts {
  status: InfoRequestStatus;
  receivedOn: string | null;
  corrections: {
    round: number;
    noticeOn: string;
    dueOn: string;
    receivedOn: string | null;
    lapsedOn: string | null;
  }[];
  consultations: { kind: ConsultationKind; party: string; sentOn: string; endedOn: string | null }[];
  extension: { approvedOn: string; days: number; approvedBy: string; notifiedOn: string | null } | null;
  deferral: { decidedOn: string; dueOn: string } | null;
  fee: { servedOn: string; paidOn: string | null } | null;
  feePausesClock: boolean;
  /** Default receipt_day. */
  restDayReceipt?: RestDayReceipt;
  concludedOn: string | null;
  /** Today (Asia/Shanghai): overdue states, late consultations, which plain sentences still apply. */
  today?: string;
}

export type DeadlineKind =
  | "correction_notice"
  | "correction_period"
  | "consultation_reply"
  | "reply"
  | "payment";

export const DEADLINE_LABELS: Record<DeadlineKind, string> = {
  correction_notice: "补正告知期限",
  correction_period: "补正期限",
  consultation_reply: "征求意见答复期限",
  reply: "答复期限",
  payment: "缴费期限",
};

/**
 * open: running; met / missed: the step happened on time / late; paused: the reply clock stops (consultation);
 * suspended: waiting for a correction (the period will restart); void: no longer relevant.
 */
export type DeadlineState = "open" | "met" | "missed" | "paused" | "suspended" | "void";

export interface TrackedDeadline {
  kind: DeadlineKind;
  label: string;
  due: string | null;
  state: DeadlineState;
  article: string;
  /** Informational (e.g. the 补正 notice window): not used for "next due". */
  optional: boolean;
  provisional: boolean;
  /** Step-by-step explanation for staff. */
  explanation: string[];
  /** One plain sentence for the applicant. */
  plain: string;
  /** Open and past its date on `facts.today` (已逾期). */
  overdue: boolean;
  /** A warning for staff (e.g. the consulted party is late), empty when none. */
  warning: string;
}

export interface DeadlineReport {
  deadlines: TrackedDeadline[];
  reply: ClockResult | null;
  /** The reply deadline before an extension (shown next to the extended one). */
  originalReplyDue: string | null;
  next: { kind: DeadlineKind; due: string } | null;
  /** A binding (non-optional) deadline is open and past on `facts.today`. */
  overdue: boolean;
}

const PRIORITY: Record<ClockEvent["type"], number> = {
  start: 0,
  restart: 1,
  resume: 2,
  extension: 3,
  pause: 4,
  deferral: 5,
};

/** Day 0 of a period that starts on `received` under the agency's rest-day rule. */
export function dayZero(calendar: WorkCalendar, received: string, rule: RestDayReceipt | undefined): string {
  if (rule !== "next_working_day" || calendar.isWorkingDay(received)) return received;
  return calendar.nextWorkingDay(received).date;
}

/**
 * When a consultation stops excluding time (条例第32条/第34条: the consulted party has 15 working days; after
 * that the agency decides): the reply date if it came in time, else the 15th working day once it has passed.
 * null while the consultation runs within its period.
 */
export function consultationPauseEnd(
  calendar: WorkCalendar,
  c: { sentOn: string; endedOn: string | null },
  today: string | undefined,
): { on: string; late: boolean } | null {
  const cap = consultationReplyDue(calendar, c.sentOn).date;
  if (c.endedOn) {
    return compareDates(c.endedOn, cap) <= 0 ? { on: c.endedOn, late: false } : { on: cap, late: true };
  }
  if (today !== undefined && compareDates(today, cap) > 0) return { on: cap, late: true };
  return null;
}

/** The clock events of an application, in order (computeClock requires date order). */
export function clockEvents(
  calendar: WorkCalendar,
  facts: DeadlineFacts,
  options: { withExtension?: boolean } = {},
): ClockEvent[] {
  if (!facts.receivedOn) return [];
  const rule = facts.restDayReceipt;
  const events: ClockEvent[] = [{ type: "start", date: dayZero(calendar, facts.receivedOn, rule) }];
  for (const c of facts.corrections)
    if (c.receivedOn) events.push({ type: "restart", date: dayZero(calendar, c.receivedOn, rule) });
  for (const c of facts.consultations) {
    events.push({
      type: "pause",
      date: c.sentOn,
      reason: c.kind === "third_party" ? "thirdParty" : "otherOrgan",
      note: c.party,
    });
    const end = consultationPauseEnd(calendar, c, facts.today);
    if (end) events.push({ type: "resume", date: end.on, ...(end.late ? { note: LATE_RESUME_NOTE } : {}) });
  }
  if (facts.fee && facts.feePausesClock) {
    events.push({ type: "pause", date: facts.fee.servedOn, reason: "otherOrgan", note: FEE_PAUSE_NOTE });
    if (facts.fee.paidOn) events.push({ type: "resume", date: facts.fee.paidOn });
  }
  if (facts.extension && options.withExtension !== false) {
    const e: ClockEvent = {
      type: "extension",
      date: facts.extension.approvedOn,
      days: facts.extension.days,
      approvedBy: facts.extension.approvedBy,
    };
    if (facts.extension.notifiedOn) e.notifiedOn = facts.extension.notifiedOn;
    events.push(e);
  }
  if (facts.deferral)
    events.push({ type: "deferral", date: facts.deferral.decidedOn, due: facts.deferral.dueOn });
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => compareDates(a.e.date, b.e.date) || PRIORITY[a.e.type] - PRIORITY[b.e.type] || a.i - b.i)
    .map((x) => x.e);
}

/** Marks a resume at the end of the statutory consultation period (the consulted party was late). */
const LATE_RESUME_NOTE = "征求意见期限届满";

function onTime(done: string, due: string): "met" | "missed" {
  return compareDates(done, due) <= 0 ? "met" : "missed";
}

/**
 * Computes every deadline of an application.
 * @throws ClockError (from the calendar engine) when the facts form a sequence the 条例 does not allow, e.g. a
 *   second extension or an extension approved after the period expired. Services check prospective facts first.
 */
export function computeDeadlines(calendar: WorkCalendar, facts: DeadlineFacts): DeadlineReport {
  const deadlines: TrackedDeadline[] = [];
  if (!facts.receivedOn)
    return { deadlines, reply: null, originalReplyDue: null, next: null, overdue: false };
  const concluded = facts.concludedOn !== null;
  const today = facts.today;
  const receivedDay0 = dayZero(calendar, facts.receivedOn, facts.restDayReceipt);
  // A later step (consultation, extension, fee, deferral, reply) means no 补正 will be asked any more.
  const laterStep =
    facts.consultations.length > 0 ||
    facts.extension !== null ||
    facts.fee !== null ||
    facts.deferral !== null ||
    concluded;

  // 条例第30条: 补正告知 within 7 working days of receipt.
  const noticeDue = correctionNoticeDue(calendar, receivedDay0);
  const first = facts.corrections[0];
  const noticeWindowOpen = today === undefined || compareDates(today, noticeDue.date) <= 0;
  const firstLate = first
    ? correctionNoticeLateness(calendar, facts.receivedOn, first.noticeOn, facts.restDayReceipt)
        .lateWorkingDays
    : 0;
  deadlines.push({
    kind: "correction_notice",
    label: DEADLINE_LABELS.correction_notice,
    due: noticeDue.date,
    state: first
      ? onTime(first.noticeOn, noticeDue.date)
      : concluded || laterStep || !noticeWindowOpen
        ? "void"
        : "open",
    article: "条例第三十条",
    optional: true,
    provisional: noticeDue.provisional,
    explanation: [
      `收到申请之日${formatChineseDate(facts.receivedOn)}起7个工作日内一次性告知补正（条例第三十条），截止${formatChineseDate(noticeDue.date)}。`,
      ...(first
        ? [
            `补正告知书于${formatChineseDate(first.noticeOn)}发出${firstLate ? `，逾期${firstLate}个工作日` : ""}。`,
          ]
        : []),
      ...(!first && laterStep ? ["已进入后续程序，不再要求补正。"] : []),
      ...(!first && !laterStep && !noticeWindowOpen
        ? ["补正告知期限已过：确需补正的，仍可发出补正告知，但属于逾期告知。"]
        : []),
      ...noticeDue.reasons,
    ],
    plain:
      first || laterStep || !noticeWindowOpen
        ? ""
        : `如申请内容需要补正，本机关将在${formatChineseDate(noticeDue.date)}前一次性告知。`,
    overdue: false,
    warning: firstLate ? lateCorrectionNoticeText(noticeDue.date, firstLate, true) : "",
  });

  for (const c of facts.corrections) {
    const state: DeadlineState = c.receivedOn
      ? onTime(c.receivedOn, c.dueOn)
      : c.lapsedOn
        ? "missed"
        : "open";
    deadlines.push({
      kind: "correction_period",
      label:
        facts.corrections.length > 1
          ? `${DEADLINE_LABELS.correction_period}（第${c.round}次）`
          : DEADLINE_LABELS.correction_period,
      due: c.dueOn,
      state,
      article: "条例第三十条",
      optional: false,
      provisional: false,
      explanation: [
        `补正告知书${formatChineseDate(c.noticeOn)}发出，本机关确定的补正期限至${formatChineseDate(c.dueOn)}。`,
        c.receivedOn
          ? `${formatChineseDate(c.receivedOn)}收到补正后的申请，答复期限自该日起重新计算。`
          : c.lapsedOn
            ? `申请人逾期未补正，${formatChineseDate(c.lapsedOn)}按视为放弃申请处理。`
            : "等待申请人补正；无正当理由逾期不补正的，视为放弃申请（条例第三十条）。",
      ],
      plain: c.receivedOn
        ? `您于${formatChineseDate(c.receivedOn)}提交了补正材料。`
        : `请在${formatChineseDate(c.dueOn)}前按补正告知书的要求补正申请内容；逾期无正当理由不补正的，视为放弃申请。`,
      overdue: state === "open" && isPast(today, c.dueOn),
      warning: "",
    });
  }

  for (const c of facts.consultations) {
    const due = consultationReplyDue(calendar, c.sentOn);
    const end = consultationPauseEnd(calendar, c, today);
    const remaining =
      !c.endedOn && today !== undefined && compareDates(today, due.date) <= 0
        ? calendar.countWorkingDays(today, due.date).count
        : null;
    const lateNote = end?.late
      ? c.endedOn
        ? `被征求意见方于${formatChineseDate(c.endedOn)}才提出意见，已超过15个工作日的期限（${formatChineseDate(due.date)}）；${formatChineseDate(due.date)}之后的时间计入答复期限。`
        : `被征求意见方逾期未提出意见（期限${formatChineseDate(due.date)}），${c.kind === "third_party" ? "本机关应依照条例第三十二条自行决定是否公开" : "视为同意公开（条例第三十四条）"}；自${formatChineseDate(due.date)}次日起恢复计算答复期限，请尽快结束征求意见并作出答复。`
      : "";
    deadlines.push({
      kind: "consultation_reply",
      label: `${DEADLINE_LABELS.consultation_reply}（${c.party}）`,
      due: due.date,
      state: c.endedOn ? onTime(c.endedOn, due.date) : "open",
      article: c.kind === "third_party" ? "条例第三十二条" : "条例第三十四条",
      optional: false,
      provisional: due.provisional,
      explanation: [
        `${formatChineseDate(c.sentOn)}发出征求意见函，被征求意见方应在收到之日起15个工作日内提出意见（${c.kind === "third_party" ? "条例第三十二条；逾期未提出意见的，由本机关依照条例规定决定是否公开" : "条例第三十四条；逾期未提出意见的视为同意公开"}），按发函日计截止${formatChineseDate(due.date)}。`,
        ...(c.endedOn ? [`征求意见于${formatChineseDate(c.endedOn)}结束。`] : []),
        ...(remaining !== null ? [`距征求意见期限还有${remaining}个工作日。`] : []),
        ...(lateNote ? [lateNote] : []),
        ...due.reasons,
      ],
      plain: "",
      overdue: !c.endedOn && end?.late === true,
      warning: lateNote,
    });
  }

  // 条例第33条 (with the 第30条 restart, 第32/34条 pauses, extension and 第35条 deferral).
  const pendingCorrection = facts.corrections.some((c) => !c.receivedOn && !c.lapsedOn);
  const lapsedCorrection = facts.corrections.some((c) => c.lapsedOn);
  let reply: ClockResult | null = null;
  let originalReplyDue: string | null = null;
  if (pendingCorrection || lapsedCorrection) {
    deadlines.push({
      kind: "reply",
      label: DEADLINE_LABELS.reply,
      due: null,
      state: lapsedCorrection ? "void" : "suspended",
      article: "条例第三十条、第三十三条",
      optional: false,
      provisional: false,
      explanation: [
        lapsedCorrection
          ? "申请人逾期未补正，视为放弃申请，不再计算答复期限。"
          : "已告知补正：答复期限自收到补正后的申请之日起重新计算（条例第三十条）。",
      ],
      plain: lapsedCorrection ? "" : "答复期限将自本机关收到您补正后的申请之日起重新计算。",
      overdue: false,
      warning: "",
    });
  } else {
    reply = computeClock(calendar, { events: clockEvents(calendar, facts) });
    if (facts.extension) {
      const before = computeClock(calendar, {
        events: clockEvents(calendar, facts, { withExtension: false }),
      });
      originalReplyDue = before.due;
    }
    let state: DeadlineState = reply.status === "paused" ? "paused" : "open";
    if (facts.concludedOn && reply.due) state = onTime(facts.concludedOn, reply.due);
    else if (facts.concludedOn) state = "met";
    const overdue = state === "open" && reply.due !== null && isPast(today, reply.due);
    deadlines.push({
      kind: "reply",
      label: facts.extension
        ? "答复期限（已延期）"
        : facts.deferral
          ? "答复期限（延迟答复）"
          : DEADLINE_LABELS.reply,
      due: reply.due,
      state,
      article: "条例第三十三条",
      optional: false,
      provisional: reply.provisional,
      explanation: [
        ...explainClock(calendar, reply, originalReplyDue, {
          restDayReceipt: facts.restDayReceipt ?? "receipt_day",
          receivedOn: facts.receivedOn,
        }),
        ...(overdue ? [`已逾期：答复期限${formatChineseDate(reply.due as string)}已过，尚未答复。`] : []),
      ],
      plain: overdue ? overduePlain(reply.due as string) : plainClock(reply),
      overdue,
      warning: "",
    });
  }

  if (facts.fee) {
    const due = calendar.addWorkingDays(facts.fee.servedOn, PAYMENT_WORKING_DAYS);
    const state: DeadlineState = facts.fee.paidOn
      ? onTime(facts.fee.paidOn, due.date)
      : concluded
        ? "missed"
        : "open";
    deadlines.push({
      kind: "payment",
      label: DEADLINE_LABELS.payment,
      due: due.date,
      state,
      article: "国办函〔2020〕109号",
      optional: false,
      provisional: due.provisional,
      explanation: [
        `收费通知${formatChineseDate(facts.fee.servedOn)}送达，自次日起20个工作日内缴纳（《政府信息公开信息处理费管理办法》），截止${formatChineseDate(due.date)}；逾期未缴纳的，视为放弃申请。`,
        ...(facts.fee.paidOn ? [`${formatChineseDate(facts.fee.paidOn)}已缴纳。`] : []),
        facts.feePausesClock ? FEE_PAUSE_NOTE : "本机关设置：缴费期间计入答复期限。",
        ...due.reasons,
      ],
      plain: facts.fee.paidOn
        ? ""
        : `请在${formatChineseDate(due.date)}前缴纳信息处理费；逾期未缴纳的，视为放弃申请。`,
      overdue: state === "open" && isPast(today, due.date),
      warning: "",
    });
  }

  let next: DeadlineReport["next"] = null;
  if (!concluded) {
    for (const d of deadlines) {
      if (d.optional || d.due === null || d.state !== "open") continue;
      if (!next || compareDates(d.due, next.due) < 0) next = { kind: d.kind, due: d.due };
    }
  }
  const overdue = !concluded && deadlines.some((d) => !d.optional && d.overdue);
  return { deadlines, reply, originalReplyDue, next, overdue };
}

function isPast(today: string | undefined, due: string): boolean {
  return today !== undefined && compareDates(today, due) > 0;
}

/** The applicant's sentence once the reply date has passed (no promise of a date that is gone). */
function overduePlain(due: string): string {
  return `本机关应于${formatChineseDate(due)}前答复，目前已逾期。您可以依照条例第五十一条向上一级行政机关或者政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼。`;
}

export type Urgency = "overdue" | "due_soon" | "ok";

/** How urgent an open deadline is on `today`. */
export function urgency(calendar: WorkCalendar, due: string, today: string): Urgency {
  if (compareDates(today, due) > 0) return "overdue";
  // A date past the calendar (stored before such dates were refused) is far away, not an error for the whole list.
  if (compareDates(due, calendar.lastDate) > 0) return "ok";
  return calendar.countWorkingDays(today, due).count <= DUE_SOON_WORKING_DAYS ? "due_soon" : "ok";
}

function pauseIsFee(steps: readonly ClockStep[], since: string): boolean {
  return steps.some((s) => s.kind === "pause" && s.date === since && s.note === FEE_PAUSE_NOTE);
}

/**
 * Staff explanation of the reply clock, step by step (fee pauses named as such). Every counted stretch lists the
 * day types it counted and skipped (Monday–Friday working days, 调休 working weekends, weekends, holidays), so a
 * hand check adds up.
 */
export function explainClock(
  calendar: WorkCalendar,
  result: ClockResult,
  originalDue: string | null,
  receipt: { restDayReceipt: RestDayReceipt; receivedOn: string } = {
    restDayReceipt: "receipt_day",
    receivedOn: "",
  },
): string[] {
  const lines: string[] = [];
  for (const s of result.explanation) {
    switch (s.kind) {
      case "start": {
        const moved = receipt.receivedOn !== "" && receipt.receivedOn !== s.date;
        lines.push(
          `${moved ? `${formatChineseDate(receipt.receivedOn)}（休息日）收到申请，按本机关设置${REST_DAY_RECEIPT_LABELS.next_working_day}，即${formatChineseDate(s.date)}` : `${formatChineseDate(s.date)}收到申请`}（第0日，当日不计入），应在${s.baseWorkingDays}个工作日内答复（条例第三十一条、第三十三条）。收到之日为休息日的计算规则（本机关设置）：${REST_DAY_RECEIPT_LABELS[receipt.restDayReceipt]}。`,
        );
        break;
      }
      case "counted":
        lines.push(
          `${s.discarded ? "（补正前已计，作废）" : "计入"}${formatChineseDate(s.from)}次日至${formatChineseDate(s.to)}，共${s.workingDays}个工作日：${dayBreakdown(calendar, s.from, s.to)}。`,
        );
        break;
      case "pause":
        lines.push(
          s.note === FEE_PAUSE_NOTE
            ? `${formatChineseDate(s.date)}送达收费通知，${FEE_PAUSE_NOTE}。`
            : `${formatChineseDate(s.date)}发出征求意见函（${s.reason === "thirdParty" ? "第三方" : "其他机关"}：${s.note ?? ""}），征求意见期间不计入答复期限（${s.article}）。`,
        );
        break;
      case "resume":
        lines.push(
          `${formatChineseDate(s.date)}${pauseIsFee(result.explanation, s.pausedFrom) ? "申请人缴费" : s.note === LATE_RESUME_NOTE ? "征求意见期限（15个工作日）届满" : "征求意见结束"}，恢复计时；${formatChineseDate(s.pausedFrom)}次日至${formatChineseDate(s.date)}共${s.excludedWorkingDays}个工作日不计入。`,
        );
        break;
      case "restart":
        lines.push(
          `${formatChineseDate(s.date)}收到补正后的申请，答复期限自该日起重新计算（条例第三十条）。`,
        );
        break;
      case "extension":
        lines.push(
          `${formatChineseDate(s.date)}经${s.approvedBy}同意延长${s.days}个工作日${s.notifiedOn ? `，${formatChineseDate(s.notifiedOn)}告知申请人` : "，尚未登记告知申请人"}，期限共${s.totalWorkingDays}个工作日（条例第三十三条）${originalDue ? `；原答复期限${formatChineseDate(originalDue)}` : ""}。`,
        );
        break;
      case "deferral":
        lines.push(
          `${formatChineseDate(s.date)}依条例第三十五条确定延迟答复期限至${formatChineseDate(s.due)}。`,
        );
        break;
      case "paused":
        lines.push(
          `目前暂停计时（自${formatChineseDate(s.since)}起），恢复后尚余${s.remainingWorkingDays}个工作日。`,
        );
        break;
      case "due":
        lines.push(`答复期限：${formatChineseDate(s.date)}${s.provisional ? "（暂定）" : ""}。`);
        break;
    }
  }
  for (const r of result.reasons) lines.push(`注：${r}`);
  return lines;
}

/** One or two plain sentences for the applicant. */
export function plainClock(result: ClockResult): string {
  if (result.status === "paused") {
    const fee = result.explanation.some(
      (s) => s.kind === "paused" && pauseIsFee(result.explanation, s.since),
    );
    return fee
      ? "在您缴纳信息处理费之前，答复期限暂停计算。"
      : `本机关正在依法征求意见，征求意见期间不计入答复期限；恢复计算后尚余${result.remainingWorkingDays}个工作日。`;
  }
  if (!result.due) return "";
  if (result.status === "deferred")
    return `根据条例第三十五条，本机关将在${formatChineseDate(result.due)}前答复。`;
  const extended = result.explanation.some((s) => s.kind === "extension");
  return `本机关将在${formatChineseDate(result.due)}前答复${extended ? "（已依法延长答复期限）" : ""}。${result.provisional ? "该日期涉及尚未发布放假安排的年份，可能调整。" : ""}`;
}

/**
 * 条例第30条: the 补正 notice is due within 7 working days of receipt. How late a notice sent (or about to be sent) on
 * `noticeOn` is: 0 when on time, else the working days after the due date up to it (at least 1: a notice on the
 * rest day after the due date is still late). A late notice is still sent (it is better than none); its lateness
 * is shown to the handler before sending and kept in the register, the audit log and the agency's lists.
 */
export function correctionNoticeLateness(
  calendar: WorkCalendar,
  receivedOn: string,
  noticeOn: string,
  rule?: RestDayReceipt,
): { due: string; lateWorkingDays: number } {
  const due = correctionNoticeDue(calendar, dayZero(calendar, receivedOn, rule)).date;
  if (compareDates(noticeOn, due) <= 0) return { due, lateWorkingDays: 0 };
  return { due, lateWorkingDays: Math.max(1, calendar.countWorkingDays(due, noticeOn).count) };
}

/** The sentence saying a 补正 notice is late (the form's warning, the register, lists). */
export function lateCorrectionNoticeText(due: string, lateWorkingDays: number, sent: boolean): string {
  return `${sent ? "补正告知书发出时" : "今天"}已超过补正告知期限（收到申请之日起7个工作日，截止${formatChineseDate(due)}）${lateWorkingDays}个工作日（条例第三十条）。${sent ? "该告知记为逾期告知。" : "逾期仍可发出补正告知，但将记为逾期告知，列入本机关的逾期统计。"}`;
}

/**
 * 条例第30条: the organ tells the applicant once (一次性告知) everything to correct. A second correction request
 * is refused (it would restart the reply period at will); an application still unclear after the correction is
 * answered with 「补正后申请内容仍不明确」. Returns the refusal, or null when a first request is allowed.
 */
export function correctionRefusal(previous: readonly { noticeOn: string }[]): string | null {
  const first = previous[0];
  if (!first) return null;
  return `条例第三十条规定补正应一次性告知：本申请已于${formatChineseDate(first.noticeOn)}告知补正，不能再次要求补正。补正后申请内容仍不明确的，请以“无法提供——补正后申请内容仍不明确”作出答复。`;
}
