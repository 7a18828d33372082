// Short deadline expressions for staff and the CLI (`gongkai deadline add 2025-09-26 20wd --explain`):
//   20wd  20 working days (工作日; 条例第33条 counts reply periods this way)
//   10d   10 calendar days (自然日; holidays in between are not deducted; a last day on a rest day rolls forward)
//   1m    1 month (the same day of the month, clamped to the month end; rolled forward like calendar days)
// Chinese forms are accepted too: 20个工作日, 10日 / 10天, 1个月.
// Counting conventions (legal-spec §4): the start day is day 0 and not counted.

import type { WorkCalendar } from "./calendar.ts";
import {
  addDays,
  chineseWeekday,
  compareDates,
  formatChineseDate,
  type IsoDate,
  toDayNumber,
} from "./date.ts";

export type ExpressionUnit = "workingDays" | "calendarDays" | "months";

export interface DeadlineExpression {
  amount: number;
  unit: ExpressionUnit;
  /** Canonical short form, e.g. "20wd". */
  text: string;
}

const LIMITS: Record<ExpressionUnit, number> = { workingDays: 1000, calendarDays: 3650, months: 120 };
const SHORT: Record<ExpressionUnit, string> = { workingDays: "wd", calendarDays: "d", months: "m" };
const UNIT_NAMES: Record<ExpressionUnit, string> = {
  workingDays: "个工作日",
  calendarDays: "日（自然日）",
  months: "个月",
};

/** Parses `20wd`, `10d`, `1m` (or 20个工作日, 10日, 10天, 1个月); throws RangeError with a Chinese message. */
export function parseDeadlineExpression(text: string): DeadlineExpression {
  const s = String(text ?? "")
    .trim()
    .toLowerCase()
    .replace(/\s+/g, "");
  const m = /^(\d{1,4})(wd|d|m|个工作日|工作日|日|天|个月|月)$/.exec(s);
  if (!m) {
    throw new RangeError(`期限表达式无效：“${text}”。示例：20wd（20个工作日）、10d（10日）、1m（1个月）`);
  }
  const amount = Number(m[1]);
  const word = m[2]!;
  const unit: ExpressionUnit =
    word === "wd" || word.endsWith("工作日")
      ? "workingDays"
      : word === "m" || word.endsWith("月")
        ? "months"
        : "calendarDays";
  if (amount < 1 || amount > LIMITS[unit]) {
    throw new RangeError(`期限须为1至${LIMITS[unit]}${UNIT_NAMES[unit]}，收到：${amount}`);
  }
  return { amount, unit, text: `${amount}${SHORT[unit]}` };
}

export type ExplanationStep =
  | { kind: "start"; date: IsoDate; text: string }
  | {
      kind: "counted";
      from: IsoDate;
      to: IsoDate;
      workingDays: number;
      weekendDays: number;
      holidays: { name: string; dates: IsoDate[] }[];
      makeupWorkdays: { date: IsoDate; name: string }[];
      text: string;
    }
  | { kind: "calendarDays"; from: IsoDate; to: IsoDate; days: number; text: string }
  | { kind: "months"; from: IsoDate; to: IsoDate; months: number; text: string }
  | { kind: "rolled"; from: IsoDate; to: IsoDate; reason: string; text: string }
  | { kind: "provisional"; reasons: readonly string[]; text: string }
  | { kind: "due"; date: IsoDate; provisional: boolean; text: string };

export interface DeadlineExplanation {
  start: IsoDate;
  expression: string;
  amount: number;
  unit: ExpressionUnit;
  due: IsoDate;
  provisional: boolean;
  reasons: readonly string[];
  steps: ExplanationStep[];
}

function dayLabel(d: IsoDate): string {
  return `${formatChineseDate(d)}（${chineseWeekday(d)}）`;
}

/** Why a day is not a working day, e.g. "国庆节假期" or "周末". */
function restReason(calendar: WorkCalendar, d: IsoDate): string {
  const info = calendar.dayInfo(d);
  return info.kind === "holiday" ? `${info.name ?? "节假日"}放假` : "周末";
}

/** Computes the due date of `start + expression` with a step-by-step explanation. */
export function explainDeadline(
  calendar: WorkCalendar,
  start: IsoDate,
  expression: DeadlineExpression | string,
): DeadlineExplanation {
  const expr = typeof expression === "string" ? parseDeadlineExpression(expression) : expression;
  toDayNumber(start);
  const steps: ExplanationStep[] = [
    { kind: "start", date: start, text: `起算日：${dayLabel(start)}，当日不计入（第0日），自次日起算。` },
  ];
  let due: IsoDate;
  let provisional: boolean;
  let reasons: readonly string[];
  if (expr.unit === "workingDays") {
    const r = calendar.addWorkingDays(start, expr.amount);
    due = r.date;
    provisional = r.provisional;
    reasons = r.reasons;
    let weekendDays = 0;
    const makeupWorkdays: { date: IsoDate; name: string }[] = [];
    for (let d = addDays(start, 1); compareDates(d, due) <= 0; d = addDays(d, 1)) {
      const info = calendar.dayInfo(d);
      if (info.kind === "weekend") weekendDays++;
      if (info.kind === "makeupWorkday") makeupWorkdays.push({ date: d, name: info.name ?? "" });
    }
    const holidays = calendar.holidaysBetween(start, due);
    const parts = [
      `${formatChineseDate(addDays(start, 1))}至${formatChineseDate(due)}共计入${expr.amount}个工作日`,
    ];
    if (weekendDays > 0) parts.push(`跳过周末${weekendDays}天`);
    for (const h of holidays) {
      const first = h.dates[0]!;
      const last = h.dates[h.dates.length - 1]!;
      parts.push(
        `跳过${h.name}假期${h.dates.length}天（${formatChineseDate(first)}${first === last ? "" : `至${formatChineseDate(last)}`}）`,
      );
    }
    for (const w of makeupWorkdays) parts.push(`${dayLabel(w.date)}为${w.name}调休上班日，计入`);
    steps.push({
      kind: "counted",
      from: start,
      to: due,
      workingDays: expr.amount,
      weekendDays,
      holidays,
      makeupWorkdays,
      text: `${parts.join("；")}。`,
    });
  } else {
    const r =
      expr.unit === "calendarDays"
        ? calendar.addCalendarDays(start, expr.amount)
        : calendar.addMonths(start, expr.amount);
    due = r.date;
    provisional = r.provisional;
    reasons = r.reasons;
    const plain = r.rolledFrom ?? r.date;
    if (expr.unit === "calendarDays") {
      steps.push({
        kind: "calendarDays",
        from: start,
        to: plain,
        days: expr.amount,
        text: `自次日起算${expr.amount}日（自然日，期间的节假日不扣除），期间最后一日为${dayLabel(plain)}。`,
      });
    } else {
      steps.push({
        kind: "months",
        from: start,
        to: plain,
        months: expr.amount,
        text: `${expr.amount}个月后的对应日为${dayLabel(plain)}${plain.slice(8) === start.slice(8) ? "" : "（该月无对应日，以该月最后一日为期间最后一日）"}。`,
      });
    }
    if (r.rolledFrom) {
      const reason = restReason(calendar, r.rolledFrom);
      steps.push({
        kind: "rolled",
        from: r.rolledFrom,
        to: due,
        reason,
        text: `期间最后一日${formatChineseDate(r.rolledFrom)}为休息日（${reason}），顺延至下一个工作日${dayLabel(due)}。`,
      });
    }
  }
  if (provisional) {
    steps.push({
      kind: "provisional",
      reasons,
      text: `临时结果：${reasons.join("")}`,
    });
  }
  steps.push({
    kind: "due",
    date: due,
    provisional,
    text: `截止日期：${dayLabel(due)}${provisional ? "（临时）" : ""}。`,
  });
  return {
    start,
    expression: expr.text,
    amount: expr.amount,
    unit: expr.unit,
    due,
    provisional,
    reasons,
    steps,
  };
}
