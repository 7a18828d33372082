// Due dates of proactive-disclosure deadline rules (主动公开时限).
//
// Counting conventions (legal-spec §4): the trigger day is day 0 and is not counted; working-day periods use the
// official calendar; calendar-day and month periods do not deduct holidays in between but, if their last day is
// a rest day, end on the next working day (procedural-law period rule, legal-spec §4.1).

import type { WorkCalendar } from "./calendar.ts";
import {
  formatChineseDate,
  type IsoDate,
  nextFixedYearlyDate,
  nextPeriod,
  type Period,
  type PeriodUnit,
  periodContaining,
  toDayNumber,
} from "./date.ts";
import { type DeadlineRule, describeRule } from "./deadline-rules.ts";
import type { DateResult } from "./types.ts";

/**
 * Default update windows for 月度/季度/年度更新, in working days after the period ends. The catalogs give no
 * number; these are our conservative choices (an alert comes early rather than late), overridable per call:
 * - month: 10 working days — about two calendar weeks, so a monthly series is never more than ~6 weeks old;
 *   20 would let month M's figures wait until the end of month M+1, overlapping the next update;
 * - quarter: 15 working days — about three weeks after the quarter closes;
 * - year: 20 working days — the 条例第26条 period for newly formed information, counted from the year end,
 *   unless the rule has a fixed date (每年1月31日前 → fixedYearly).
 */
export const PERIODIC_DEFAULTS: Readonly<Record<PeriodUnit, number>> = Object.freeze({
  month: 10,
  quarter: 15,
  year: 20,
});

export interface DueDateInput {
  /**
   * The event the rule counts from: formation/change of the information, the decision, the approval, the
   * linked document's publication, the end of the notice period, the change; for periodic rules any day of
   * the period (or pass `period`); for fixed yearly dates the day from which the next occurrence is sought.
   */
  triggerDate: IsoDate;
  /** Periodic rules: the period to compute (default: the period containing triggerDate). */
  period?: Period;
  periodicDefaults?: Partial<Record<PeriodUnit, number>>;
}

export interface DueDate {
  /** Last day to publish; null for rules without a due date (长期公开, 无法定时限, 根据实际更新). */
  due: IsoDate | null;
  provisional: boolean;
  reasons: readonly string[];
  /** Plain Chinese explanation of how the date was computed. */
  explanation: string;
  /** Legal basis when there is one. */
  basis?: string;
  period?: Period;
}

function fromResult(r: DateResult, explanation: string, basis?: string): DueDate {
  const out: DueDate = { due: r.date, provisional: r.provisional, reasons: r.reasons, explanation };
  if (basis) out.basis = basis;
  return out;
}

function sameDay(calendar: WorkCalendar, trigger: IsoDate, what: string): DueDate {
  const r = calendar.nextWorkingDay(trigger, true);
  const rolled =
    r.date === trigger
      ? `${what}当日（${formatChineseDate(trigger)}）公开。`
      : `${what}为${formatChineseDate(trigger)}（休息日），顺延至下一个工作日${formatChineseDate(r.date)}公开。`;
  return fromResult(r, rolled);
}

function workingDays(
  calendar: WorkCalendar,
  trigger: IsoDate,
  days: number,
  what: string,
  basis?: string,
): DueDate {
  const r = calendar.addWorkingDays(trigger, days);
  const holidays = calendar.holidaysBetween(trigger, r.date).map((h) => h.name);
  const skipped = holidays.length > 0 ? `，期间${[...new Set(holidays)].join("、")}休息日不计入` : "";
  return fromResult(
    r,
    `自${what}（${formatChineseDate(trigger)}）次日起算${days}个工作日${skipped}，截止${formatChineseDate(r.date)}。`,
    basis,
  );
}

function rolledNote(r: DateResult & { rolledFrom?: IsoDate }): string {
  return r.rolledFrom ? `；期间最后一日${formatChineseDate(r.rolledFrom)}为休息日，顺延至下一个工作日` : "";
}

/** Due date of one period of a periodic rule: N working days after the period ends. */
export function periodicDue(
  calendar: WorkCalendar,
  period: Period,
  defaults: Partial<Record<PeriodUnit, number>> = {},
): DueDate {
  const days = defaults[period.unit] ?? PERIODIC_DEFAULTS[period.unit];
  const r = calendar.addWorkingDays(period.end, days);
  return {
    due: r.date,
    provisional: r.provisional,
    reasons: r.reasons,
    period,
    explanation: `${period.label}的更新应在该期结束（${formatChineseDate(period.end)}）后${days}个工作日内完成，截止${formatChineseDate(r.date)}（系统默认时限，可配置）。`,
  };
}

export function dueDateFor(calendar: WorkCalendar, rule: DeadlineRule, input: DueDateInput): DueDate {
  const t = input.triggerDate;
  toDayNumber(t);
  switch (rule.kind) {
    case "workingDaysFromFormation":
      // 条例第26条: 自该政府信息形成或者变更之日起20个工作日内及时公开 (catalogs may set another N).
      return workingDays(
        calendar,
        t,
        rule.days,
        "信息形成或者变更之日",
        rule.days === 20 ? "《政府信息公开条例》第二十六条" : undefined,
      );
    case "workingDaysFromDecision":
      return workingDays(
        calendar,
        t,
        rule.days,
        rule.trigger === "decision" ? "作出行政决定之日" : "办理结果作出之日",
      );
    case "afterApproval": {
      if (rule.unit === "workingDays")
        return workingDays(calendar, t, rule.amount, `${rule.approver ?? ""}批复之日`);
      const r = calendar.addCalendarDays(t, rule.amount);
      return fromResult(
        r,
        `自${rule.approver ?? ""}批复之日（${formatChineseDate(t)}）次日起算${rule.amount}日（自然日）${rolledNote(r)}，截止${formatChineseDate(r.date)}。`,
      );
    }
    case "afterLinkedPublication":
      return workingDays(calendar, t, rule.days, `${rule.linkedDocument}公开之日`);
    case "withLinkedPublication":
      return sameDay(calendar, t, `与${rule.linkedDocument}同步，${rule.linkedDocument}公开`);
    case "afterNoticePeriod": {
      const r = calendar.addMonths(t, rule.months);
      return fromResult(
        r,
        `公告期满（${formatChineseDate(t)}）后${rule.months}个月内，到期日为对应日${rolledNote(r)}，截止${formatChineseDate(r.date)}。`,
      );
    }
    case "realtime":
      return sameDay(calendar, t, `${rule.wording}公开：信息形成`);
    case "onChange":
      if (rule.promptness === "prompt") return sameDay(calendar, t, "根据变动及时更新：变动");
      return {
        due: null,
        provisional: false,
        reasons: [],
        explanation: "根据实际情况更新，目录未规定固定时限，系统不计算截止日期。",
      };
    case "periodic":
      return periodicDue(calendar, input.period ?? periodContaining(t, rule.unit), input.periodicDefaults);
    case "fixedYearly": {
      // 条例第49条: annual report by 1月31日 each year. The date is fixed by law, does not depend on the
      // calendar (never provisional) and is not moved when it is a rest day; the explanation then points to the
      // last working day before it.
      const due = nextFixedYearlyDate(t, rule.month, rule.day);
      const info = calendar.dayInfo(due);
      let hint = "";
      if (!info.official) hint = "（该年放假安排尚未发布，无法判断该日是否为工作日）";
      else if (!info.working) {
        hint = `；该日为休息日，最后一个工作日为${formatChineseDate(calendar.previousWorkingDay(due).date)}`;
      }
      const out: DueDate = {
        due,
        provisional: false,
        reasons: [],
        explanation: `每年${rule.month}月${rule.day}日前公开，本次截止${formatChineseDate(due)}${hint}。`,
      };
      if (rule.month === 1 && rule.day === 31) out.basis = "《政府信息公开条例》第四十九条";
      return out;
    }
    case "keepPublished":
      return {
        due: null,
        provisional: false,
        reasons: [],
        explanation: "保持长期公开：无截止日期，公开后应持续可查阅。",
      };
    case "noStatutoryDeadline":
      return {
        due: null,
        provisional: false,
        reasons: [],
        explanation: "无法定公开时限：目录未规定时限，系统不计算截止日期。",
      };
    case "afterEvent": {
      const what = `${TRIGGER_EVENTS[rule.trigger]}${rule.event && rule.trigger !== "formation" ? `（${rule.event}）` : ""}`;
      if (rule.unit === "workingDays") return workingDays(calendar, t, rule.amount, what);
      const r =
        rule.unit === "calendarDays"
          ? calendar.addCalendarDays(t, rule.amount)
          : calendar.addMonths(t, rule.unit === "years" ? rule.amount * 12 : rule.amount);
      const amount =
        rule.unit === "calendarDays"
          ? `${rule.amount}日（自然日）`
          : rule.unit === "months"
            ? `${rule.amount}个月`
            : `${rule.amount}年`;
      return fromResult(
        r,
        `自${what}（${formatChineseDate(t)}）次日起算${amount}${rolledNote(r)}，截止${formatChineseDate(r.date)}。`,
      );
    }
    case "named":
    case "periodicHalfYear":
    case "noticePeriod":
      return {
        due: null,
        provisional: false,
        reasons: [],
        explanation: `目录规定“${describeRule(rule)}”，无固定截止日期，系统不计算。`,
      };
  }
}

const TRIGGER_EVENTS = {
  formation: "信息形成或者变更之日",
  approval: "批复之日",
  receipt: "收到之日",
  decision: "作出决定之日",
  result: "办理结果作出之日",
  publication: "关联文件公开之日",
  noticeEnd: "公示（公告）期满之日",
  meeting: "会议召开之日",
} as const;

/** Every period of `unit` that overlaps [from, to], with its update due date. */
export function listPeriodicDeadlines(
  calendar: WorkCalendar,
  unit: PeriodUnit,
  range: { from: IsoDate; to: IsoDate; periodicDefaults?: Partial<Record<PeriodUnit, number>> },
): DueDate[] {
  const end = toDayNumber(range.to);
  if (end < toDayNumber(range.from)) throw new RangeError(`起止日期颠倒：${range.from}至${range.to}`);
  const out: DueDate[] = [];
  for (let p = periodContaining(range.from, unit); toDayNumber(p.start) <= end; p = nextPeriod(p)) {
    out.push(periodicDue(calendar, p, range.periodicDefaults));
  }
  return out;
}

/** Short Chinese label of a rule plus its due date, e.g. for a catalog row tooltip. */
export function summarizeDue(rule: DeadlineRule, due: DueDate): string {
  const head = describeRule(rule);
  if (due.due === null) return head;
  const prov = due.provisional ? "（临时）" : "";
  return `${head}：截止${formatChineseDate(due.due)}${prov}`;
}
