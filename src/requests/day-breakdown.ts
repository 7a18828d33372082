/**
 * @module What a stretch of a deadline counted and skipped, day type by day type (pure), so that a hand check of
 * an explanation adds up: 20 working days = Monday–Friday working days + 调休 working weekends; the weekends and
 * holidays in between are listed as skipped.
 */
import { addDays, compareDates, formatChineseDate, type WorkCalendar } from "../calendar/index.ts";

export interface DayCounts {
  /** Ordinary Monday–Friday working days counted. */
  weekdays: number;
  /** Weekend days the holiday notice made working days (调休上班), counted. */
  makeupWorkdays: string[];
  /** Ordinary Saturdays and Sundays, skipped. */
  weekends: number;
  /** Declared rest days (holidays, statutory days of a provisional year), skipped, by name. */
  holidays: { name: string; dates: string[] }[];
}

/** Day types in (from, to]. */
export function countDayTypes(calendar: WorkCalendar, from: string, to: string): DayCounts {
  const out: DayCounts = { weekdays: 0, makeupWorkdays: [], weekends: 0, holidays: [] };
  for (let d = addDays(from, 1); compareDates(d, to) <= 0; d = addDays(d, 1)) {
    const info = calendar.dayInfo(d);
    if (info.kind === "workday") out.weekdays++;
    else if (info.kind === "makeupWorkday") out.makeupWorkdays.push(d);
    else if (info.kind === "weekend") out.weekends++;
    else {
      const name = info.name ?? "节假日";
      const last = out.holidays[out.holidays.length - 1];
      if (last && last.name === name) last.dates.push(d);
      else out.holidays.push({ name, dates: [d] });
    }
  }
  return out;
}

function span(dates: string[]): string {
  const first = dates[0] as string;
  const last = dates[dates.length - 1] as string;
  return first === last
    ? formatChineseDate(first)
    : `${formatChineseDate(first)}至${formatChineseDate(last)}`;
}

/** One Chinese clause: 「周一至周五工作日18天、调休上班日2天（…）；跳过周末6天、国庆节假期8天（…）」. */
export function dayBreakdown(calendar: WorkCalendar, from: string, to: string): string {
  const c = countDayTypes(calendar, from, to);
  const counted = [`周一至周五工作日${c.weekdays}天`];
  if (c.makeupWorkdays.length > 0)
    counted.push(
      `调休上班日${c.makeupWorkdays.length}天（${c.makeupWorkdays.map((d) => formatChineseDate(d)).join("、")}）`,
    );
  const skipped: string[] = [];
  if (c.weekends > 0) skipped.push(`周末${c.weekends}天`);
  for (const h of c.holidays) skipped.push(`${h.name}假期${h.dates.length}天（${span(h.dates)}）`);
  return `${counted.join("、")}${skipped.length > 0 ? `；跳过${skipped.join("、")}` : "；无跳过的休息日"}`;
}
