// The reply clock of a disclosure application (依申请公开答复期限), 《政府信息公开条例》第30–35条.
//
// Conventions (legal-spec §4.2, §4.4):
// - Day 0 is the receipt date under 条例第31条 and is not counted; the reply is due at the end of the N-th
//   working day (条例第33条: 20 working days).
// - 补正 (条例第30条): the period restarts from the day the corrected application is received (day 0 again).
// - Consultation of a third party (第32条) or another organ (第34条): that time is not counted (第33条).
//   The day the consultation starts is still counted; counting resumes the day after the reply arrives
//   (the resume date is day 0 of the new run), so the excluded interval is (pause, resume].
// - Extension (第33条): once, at most 20 working days, approved by the head of the disclosure office before
//   the period expires.
// - Deferral (第35条): for manifestly excessive requests with good reasons the organ sets a reasonable deadline;
//   that date replaces the computed one.

import type { WorkCalendar } from "./calendar.ts";
import { compareDates, formatChineseDate, type IsoDate, toDayNumber } from "./date.ts";
import type { DateResult, SkippedHoliday } from "./types.ts";

/** 条例第33条: reply within 20 working days of receipt. */
export const REPLY_WORKING_DAYS = 20;
/** 条例第33条: an extension may not exceed 20 working days. */
export const MAX_EXTENSION_WORKING_DAYS = 20;
/** 条例第30条: the 补正 notice is sent within 7 working days of receipt. */
export const CORRECTION_NOTICE_WORKING_DAYS = 7;
/** 条例第32条 / 第34条: the third party or other organ replies within 15 working days. */
export const CONSULTATION_REPLY_WORKING_DAYS = 15;

export type ConsultationReason = "thirdParty" | "otherOrgan";

export type ClockEvent =
  /** 条例第31条: the receipt date (当面提交之日, 签收之日, 双方确认之日). */
  | { type: "start"; date: IsoDate; note?: string }
  /** 条例第30条: corrected application received; the period runs again from this date. */
  | { type: "restart"; date: IsoDate; note?: string }
  /** 条例第32条 (thirdParty) / 第34条 (otherOrgan): consultation starts, the clock stops. */
  | { type: "pause"; date: IsoDate; reason: ConsultationReason; note?: string }
  /** The consultation reply arrives (or its 15 working days lapse); counting resumes the next working day. */
  | { type: "resume"; date: IsoDate; note?: string }
  /** 条例第33条: extension approved on `date` by `approvedBy`, applicant notified on `notifiedOn`. */
  | { type: "extension"; date: IsoDate; days: number; approvedBy: string; notifiedOn?: IsoDate }
  /** 条例第35条: on `date` the organ set the deferred deadline `due`. */
  | { type: "deferral"; date: IsoDate; due: IsoDate; note?: string };

export interface ClockInput {
  /** Default 20 (条例第33条). */
  baseWorkingDays?: number;
  events: readonly ClockEvent[];
}

export type ClockStep =
  | { kind: "start"; date: IsoDate; baseWorkingDays: number; article: string }
  | {
      kind: "counted";
      /** Exclusive. */
      from: IsoDate;
      /** Inclusive. */
      to: IsoDate;
      workingDays: number;
      /** Declared rest days skipped in (from, to], by holiday name. */
      holidays: SkippedHoliday[];
      /** True for days used before a 补正 restart (they no longer count). */
      discarded?: boolean;
    }
  | { kind: "pause"; date: IsoDate; reason: ConsultationReason; article: string; note?: string }
  | { kind: "resume"; date: IsoDate; pausedFrom: IsoDate; excludedWorkingDays: number; note?: string }
  | { kind: "restart"; date: IsoDate; article: string }
  | {
      kind: "extension";
      date: IsoDate;
      days: number;
      approvedBy: string;
      notifiedOn?: IsoDate;
      totalWorkingDays: number;
      article: string;
    }
  | { kind: "deferral"; date: IsoDate; due: IsoDate; article: string; note?: string }
  | { kind: "paused"; since: IsoDate; remainingWorkingDays: number }
  | { kind: "due"; date: IsoDate; provisional: boolean };

export interface ClockResult {
  /** Reply deadline; null while a consultation is pending (the date is not yet known). */
  due: IsoDate | null;
  status: "running" | "paused" | "deferred";
  provisional: boolean;
  reasons: readonly string[];
  totalWorkingDays: number;
  usedWorkingDays: number;
  remainingWorkingDays: number;
  explanation: ClockStep[];
}

/** Thrown for event sequences the 条例 does not allow (the lead maps it to an AppError). */
export class ClockError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "ClockError";
    this.code = code;
  }
}

const ARTICLE_START = "《政府信息公开条例》第三十一条、第三十三条";
const ARTICLE_RESTART = "《政府信息公开条例》第三十条";
const ARTICLE_PAUSE: Record<ConsultationReason, string> = {
  thirdParty: "《政府信息公开条例》第三十二条、第三十三条",
  otherOrgan: "《政府信息公开条例》第三十四条、第三十三条",
};
const ARTICLE_EXTENSION = "《政府信息公开条例》第三十三条";
const ARTICLE_DEFERRAL = "《政府信息公开条例》第三十五条";

export function computeClock(calendar: WorkCalendar, input: ClockInput): ClockResult {
  const base = input.baseWorkingDays ?? REPLY_WORKING_DAYS;
  if (!Number.isInteger(base) || base < 1)
    throw new ClockError("clock_invalid_base", `答复期限须为正整数：${base}`);
  const steps: ClockStep[] = [];
  const reasons = new Set<string>();
  let provisional = false;
  const track = <T extends { provisional: boolean; reasons: readonly string[] }>(r: T): T => {
    if (r.provisional) provisional = true;
    for (const x of r.reasons) reasons.add(x);
    return r;
  };

  let runStart: IsoDate | null = null;
  let used = 0;
  let total = base;
  let pausedSince: IsoDate | null = null;
  let extended = false;
  let deferredTo: IsoDate | null = null;
  let last: IsoDate | null = null;

  const currentDue = (): DateResult => track(calendar.addWorkingDays(runStart!, total - used));
  const counted = (from: IsoDate, to: IsoDate, discarded = false): number => {
    const n = track(calendar.countWorkingDays(from, to)).count;
    const step: ClockStep = {
      kind: "counted",
      from,
      to,
      workingDays: n,
      holidays: calendar.holidaysBetween(from, to),
    };
    if (discarded) step.discarded = true;
    steps.push(step);
    return n;
  };
  const mustBeRunning = (what: string) => {
    if (runStart === null) throw new ClockError("clock_not_started", `${what}之前须先登记收到申请（start）`);
    if (deferredTo !== null) {
      throw new ClockError(
        "clock_deferred",
        `已依第三十五条确定答复期限（${formatChineseDate(deferredTo)}），不能再${what}`,
      );
    }
  };
  const mustBeWithinPeriod = (date: IsoDate, what: string) => {
    if (pausedSince !== null) return;
    const due = currentDue().date;
    if (compareDates(date, due) > 0) {
      throw new ClockError(
        "clock_expired",
        `${what}日期${formatChineseDate(date)}晚于答复期限${formatChineseDate(due)}`,
      );
    }
  };

  for (const e of input.events) {
    toDayNumber(e.date);
    if (last !== null && compareDates(e.date, last) < 0) {
      throw new ClockError("clock_events_out_of_order", `事件须按日期先后排列：${e.date}早于${last}`);
    }
    last = e.date;
    switch (e.type) {
      case "start":
        if (runStart !== null) throw new ClockError("clock_already_started", "收到申请（start）只能登记一次");
        runStart = e.date;
        steps.push({ kind: "start", date: e.date, baseWorkingDays: base, article: ARTICLE_START });
        break;
      case "restart":
        // 条例第30条: 答复期限自行政机关收到补正的申请之日起计算.
        mustBeRunning("重新计算期限");
        if (pausedSince !== null) throw new ClockError("clock_paused", "征求意见期间不能登记补正");
        counted(runStart!, e.date, true);
        steps.push({ kind: "restart", date: e.date, article: ARTICLE_RESTART });
        runStart = e.date;
        used = 0;
        total = base;
        extended = false;
        break;
      case "pause":
        // 条例第32、34条; 第33条: 征求意见所需时间不计算在期限内.
        mustBeRunning("暂停计时");
        if (pausedSince !== null) throw new ClockError("clock_paused", "已在征求意见中，不能重复暂停");
        mustBeWithinPeriod(e.date, "征求意见");
        used += counted(runStart!, e.date);
        pausedSince = e.date;
        steps.push({
          kind: "pause",
          date: e.date,
          reason: e.reason,
          article: ARTICLE_PAUSE[e.reason],
          ...(e.note ? { note: e.note } : {}),
        });
        break;
      case "resume": {
        if (pausedSince === null) throw new ClockError("clock_not_paused", "未暂停计时，不能恢复");
        const excluded = track(calendar.countWorkingDays(pausedSince, e.date)).count;
        steps.push({
          kind: "resume",
          date: e.date,
          pausedFrom: pausedSince,
          excludedWorkingDays: excluded,
          ...(e.note ? { note: e.note } : {}),
        });
        runStart = e.date;
        pausedSince = null;
        break;
      }
      case "extension":
        // 条例第33条: 需要延长答复期限的，应当经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不得超过20个工作日.
        mustBeRunning("延期");
        if (extended)
          throw new ClockError("clock_second_extension", "答复期限只能延长一次（条例第三十三条）");
        if (!Number.isInteger(e.days) || e.days < 1 || e.days > MAX_EXTENSION_WORKING_DAYS) {
          throw new ClockError(
            "clock_extension_too_long",
            `延长的期限须为1至${MAX_EXTENSION_WORKING_DAYS}个工作日（条例第三十三条），收到：${e.days}`,
          );
        }
        if (typeof e.approvedBy !== "string" || e.approvedBy.trim() === "") {
          throw new ClockError(
            "clock_extension_unapproved",
            "延期须经政府信息公开工作机构负责人同意，请填写批准人",
          );
        }
        if (e.notifiedOn !== undefined && compareDates(e.notifiedOn, e.date) < 0) {
          throw new ClockError("clock_events_out_of_order", "告知申请人的日期不能早于批准日期");
        }
        mustBeWithinPeriod(e.date, "延期批准");
        extended = true;
        total += e.days;
        steps.push({
          kind: "extension",
          date: e.date,
          days: e.days,
          approvedBy: e.approvedBy,
          ...(e.notifiedOn ? { notifiedOn: e.notifiedOn } : {}),
          totalWorkingDays: total,
          article: ARTICLE_EXTENSION,
        });
        break;
      case "deferral":
        // 条例第35条: 申请理由合理，但无法在规定期限内答复的，可以确定延迟答复的合理期限并告知申请人.
        if (runStart === null)
          throw new ClockError("clock_not_started", "确定延迟答复期限之前须先登记收到申请");
        toDayNumber(e.due);
        if (compareDates(e.due, e.date) < 0) {
          throw new ClockError("clock_events_out_of_order", "延迟答复期限不能早于作出决定的日期");
        }
        // A first deferral closes the running segment; a later one only replaces the date.
        if (deferredTo === null && pausedSince === null) {
          mustBeWithinPeriod(e.date, "确定延迟答复期限");
          used += counted(runStart, e.date);
        }
        pausedSince = null;
        deferredTo = e.due;
        steps.push({
          kind: "deferral",
          date: e.date,
          due: e.due,
          article: ARTICLE_DEFERRAL,
          ...(e.note ? { note: e.note } : {}),
        });
        break;
    }
  }

  if (runStart === null) throw new ClockError("clock_not_started", "须先登记收到申请之日（start）");
  if (deferredTo !== null) {
    return {
      due: deferredTo,
      status: "deferred",
      provisional: false,
      reasons: [],
      totalWorkingDays: total,
      usedWorkingDays: used,
      remainingWorkingDays: 0,
      explanation: steps,
    };
  }
  const remaining = total - used;
  if (pausedSince !== null) {
    steps.push({ kind: "paused", since: pausedSince, remainingWorkingDays: remaining });
    return {
      due: null,
      status: "paused",
      provisional,
      reasons: Object.freeze([...reasons]),
      totalWorkingDays: total,
      usedWorkingDays: used,
      remainingWorkingDays: remaining,
      explanation: steps,
    };
  }
  const due = currentDue();
  counted(runStart, due.date);
  steps.push({ kind: "due", date: due.date, provisional: due.provisional });
  return {
    due: due.date,
    status: "running",
    provisional,
    reasons: Object.freeze([...reasons]),
    totalWorkingDays: total,
    usedWorkingDays: used,
    remainingWorkingDays: remaining,
    explanation: steps,
  };
}

/** 条例第30条: last day to send the single 补正 notice (7 working days after receipt). */
export function correctionNoticeDue(calendar: WorkCalendar, receivedOn: IsoDate): DateResult {
  return calendar.addWorkingDays(receivedOn, CORRECTION_NOTICE_WORKING_DAYS);
}

/** 条例第32条 / 第34条: last day for the consulted party to reply (15 working days after it receives the letter). */
export function consultationReplyDue(calendar: WorkCalendar, letterReceivedOn: IsoDate): DateResult {
  return calendar.addWorkingDays(letterReceivedOn, CONSULTATION_REPLY_WORKING_DAYS);
}

const CONSULT_NAME: Record<ConsultationReason, string> = {
  thirdParty: "征求第三方意见",
  otherOrgan: "征求其他机关意见",
};

function holidayText(holidays: SkippedHoliday[]): string {
  if (holidays.length === 0) return "";
  const names = [...new Set(holidays.map((h) => h.name))];
  return names.join("、");
}

/** Plain Chinese for the applicant: the deadline and, briefly, why. */
export function renderClockForApplicant(result: ClockResult): string {
  const parts: string[] = [];
  const start = result.explanation.find((s) => s.kind === "start");
  if (start && start.kind === "start") {
    parts.push(
      `您的政府信息公开申请于${formatChineseDate(start.date)}收到。根据《中华人民共和国政府信息公开条例》第三十三条，本机关应当自收到申请之日起${start.baseWorkingDays}个工作日内答复（收到申请的当日不计入；法定节假日和休息日不计入，调休上班日计入）。`,
    );
  }
  for (const s of result.explanation) {
    if (s.kind === "restart") {
      parts.push(
        `本机关于${formatChineseDate(s.date)}收到您补正后的申请，答复期限自该日起重新计算（条例第三十条）。`,
      );
    } else if (s.kind === "resume") {
      parts.push(
        `${formatChineseDate(s.pausedFrom)}至${formatChineseDate(s.date)}期间本机关依法征求意见，所需时间不计入答复期限（条例第三十三条）。`,
      );
    } else if (s.kind === "extension") {
      parts.push(`经政府信息公开工作机构负责人同意，答复期限延长${s.days}个工作日（条例第三十三条）。`);
    } else if (s.kind === "deferral") {
      parts.push(`根据条例第三十五条，本机关确定的延迟答复期限为${formatChineseDate(s.due)}。`);
    } else if (s.kind === "paused") {
      parts.push(
        `本机关正在依法征求意见，自${formatChineseDate(s.since)}起答复期限暂停计算，恢复计算后尚余${s.remainingWorkingDays}个工作日。`,
      );
    }
  }
  if (result.due !== null && result.status === "running") {
    const holidays = result.explanation.flatMap((s) =>
      s.kind === "counted" && !s.discarded ? s.holidays : [],
    );
    const skipped = holidays.length > 0 ? `（期间${holidayText(holidays)}假期不计入）` : "";
    parts.push(`答复期限为${formatChineseDate(result.due)}${skipped}。`);
  }
  if (result.provisional)
    parts.push("该日期涉及尚未发布放假安排的年份，为暂定日期，放假安排发布后可能调整。");
  return parts.join("");
}

/** Detailed step-by-step explanation for staff. */
export function renderClockForStaff(result: ClockResult): string {
  const lines: string[] = [];
  let n = 1;
  const add = (s: string) => lines.push(`${n++}. ${s}`);
  for (const s of result.explanation) {
    switch (s.kind) {
      case "start":
        add(
          `收到申请：${formatChineseDate(s.date)}（第0日，不计入）。答复期限${s.baseWorkingDays}个工作日。依据：${s.article}。`,
        );
        break;
      case "counted": {
        const holidays = s.holidays.map(
          (h) => `${h.name}${h.dates.length}天（${h.dates[0]}至${h.dates[h.dates.length - 1]}）`,
        );
        const skip = holidays.length > 0 ? `；跳过休息日：${holidays.join("、")}` : "";
        const head = s.discarded ? "补正前已计（作废）" : "计入";
        add(
          `${head}：${formatChineseDate(s.from)}次日至${formatChineseDate(s.to)}，共${s.workingDays}个工作日${skip}。`,
        );
        break;
      }
      case "pause":
        add(
          `${CONSULT_NAME[s.reason]}：${formatChineseDate(s.date)}起暂停计时（当日已计入）。依据：${s.article}。${s.note ?? ""}`,
        );
        break;
      case "resume":
        add(
          `收到意见/恢复计时：${formatChineseDate(s.date)}（第0日）。征求意见期间${formatChineseDate(s.pausedFrom)}次日至${formatChineseDate(s.date)}共${s.excludedWorkingDays}个工作日不计入。`,
        );
        break;
      case "restart":
        add(
          `收到补正申请：${formatChineseDate(s.date)}，答复期限重新计算（此前已计工作日作废，如有延期亦作废）。依据：${s.article}。`,
        );
        break;
      case "extension":
        add(
          `延期：${formatChineseDate(s.date)}经${s.approvedBy}同意延长${s.days}个工作日${s.notifiedOn ? `，${formatChineseDate(s.notifiedOn)}告知申请人` : "（尚未登记告知申请人日期）"}；答复期限共${s.totalWorkingDays}个工作日。依据：${s.article}。`,
        );
        break;
      case "deferral":
        add(
          `延迟答复：${formatChineseDate(s.date)}确定答复期限为${formatChineseDate(s.due)}。依据：${s.article}。${s.note ?? ""}`,
        );
        break;
      case "paused":
        add(
          `当前状态：自${formatChineseDate(s.since)}起暂停计时，剩余${s.remainingWorkingDays}个工作日，恢复后重新计算截止日期。`,
        );
        break;
      case "due":
        add(
          `答复截止日：${formatChineseDate(s.date)}${s.provisional ? "（临时，涉及尚无放假安排数据的年份）" : ""}。`,
        );
        break;
    }
  }
  for (const r of result.reasons) lines.push(`注：${r}`);
  return lines.join("\n");
}
