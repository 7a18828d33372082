// Consistency checks for the reviewed holiday data and for administrator overrides.
// They catch typing errors that a reviewer could miss: a make-up working day that is not a weekend day,
// a holiday block with a gap, a day declared both rest and work, a date that does not exist.

import { isValidDate, toDayNumber, weekdayOfDayNumber } from "./date.ts";
import type { CalendarOverride, HolidayNotice, YearFile } from "./types.ts";

const DOC_NUMBER = /^国办发明?电〔\d{4}〕\d+号$/;

function checkNotice(where: string, n: HolidayNotice | undefined, errors: string[]): void {
  if (!n || typeof n !== "object") {
    errors.push(`${where}: notice missing`);
    return;
  }
  if (typeof n.title !== "string" || !n.title.includes("通知")) errors.push(`${where}: notice.title invalid`);
  if (typeof n.docNumber !== "string" || !DOC_NUMBER.test(n.docNumber)) {
    errors.push(`${where}: notice.docNumber invalid (${String(n.docNumber)})`);
  }
  if (!isValidDate(n.date)) errors.push(`${where}: notice.date invalid (${String(n.date)})`);
}

/** Returns a list of problems (empty when the file is consistent). */
export function validateYearFile(file: YearFile): string[] {
  const errors: string[] = [];
  const where = `year ${String(file?.year)}`;
  if (!file || !Number.isInteger(file.year) || file.year < 2000 || file.year > 2200) {
    return [`${where}: year must be an integer between 2000 and 2200`];
  }
  checkNotice(where, file.notice, errors);
  for (const [i, a] of (file.amendments ?? []).entries()) {
    checkNotice(`${where} amendment ${i}`, a, errors);
    if (typeof a.summary !== "string" || a.summary === "")
      errors.push(`${where} amendment ${i}: summary missing`);
  }
  if (!Array.isArray(file.holidays) || file.holidays.length === 0) {
    errors.push(`${where}: holidays missing`);
    return errors;
  }
  // A year's arrangement may start in the last weeks of the previous year (元旦 breaks, 2019 and 2023 notices).
  const lo = toDayNumber(`${file.year - 1}-12-01`);
  const hi = toDayNumber(`${file.year}-12-31`);
  const seen = new Map<string, string>();
  const mark = (date: string, what: string) => {
    const prev = seen.get(date);
    if (prev) errors.push(`${where}: ${date} listed twice (${prev}; ${what})`);
    else seen.set(date, what);
  };
  for (const h of file.holidays) {
    const hw = `${where} ${String(h?.name)}`;
    if (typeof h?.name !== "string" || h.name.trim() === "") {
      errors.push(`${where}: holiday without name`);
      continue;
    }
    if (!Array.isArray(h.restDays) || h.restDays.length === 0) {
      errors.push(`${hw}: restDays empty`);
      continue;
    }
    if (!Array.isArray(h.workDays)) {
      errors.push(`${hw}: workDays missing`);
      continue;
    }
    const restNums: number[] = [];
    for (const d of h.restDays) {
      if (!isValidDate(d)) {
        errors.push(`${hw}: invalid rest day ${String(d)}`);
        continue;
      }
      const n = toDayNumber(d);
      if (n < lo || n > hi) errors.push(`${hw}: rest day ${d} outside the notice's year`);
      restNums.push(n);
      mark(d, `${h.name} rest`);
    }
    // A holiday block is one contiguous run of days, listed in order.
    for (let i = 1; i < restNums.length; i++) {
      if (restNums[i] !== (restNums[i - 1] as number) + 1) {
        errors.push(`${hw}: restDays not contiguous at ${h.restDays[i]}`);
      }
    }
    const first = restNums[0];
    const last = restNums[restNums.length - 1];
    for (const d of h.workDays) {
      if (!isValidDate(d)) {
        errors.push(`${hw}: invalid work day ${String(d)}`);
        continue;
      }
      const n = toDayNumber(d);
      const wd = weekdayOfDayNumber(n);
      // 调休: a make-up working day is always a Saturday or Sunday.
      if (wd !== 0 && wd !== 6) errors.push(`${hw}: make-up work day ${d} is not a Saturday or Sunday`);
      if (first !== undefined && last !== undefined && (n > last + 14 || n < first - 14)) {
        errors.push(`${hw}: make-up work day ${d} more than 14 days away from the holiday block`);
      }
      if (n < lo || n > hi) errors.push(`${hw}: work day ${d} outside the notice's year`);
      mark(d, `${h.name} work`);
    }
  }
  return errors;
}

export function validateOverride(o: CalendarOverride): string[] {
  const errors: string[] = [];
  if (!o || typeof o !== "object") return ["override must be an object"];
  if (!isValidDate(o.date)) errors.push(`override date invalid: ${String(o.date)}`);
  if (o.kind !== "rest" && o.kind !== "work") errors.push(`override ${o.date}: kind must be rest or work`);
  if (typeof o.name !== "string" || o.name.trim() === "") errors.push(`override ${o.date}: name required`);
  if (o.scope !== undefined && (typeof o.scope !== "object" || o.scope === null)) {
    errors.push(`override ${o.date}: scope must be an object`);
  } else if (
    o.scope?.regionId !== undefined &&
    (typeof o.scope.regionId !== "string" || o.scope.regionId === "")
  ) {
    errors.push(`override ${o.date}: scope.regionId must be a non-empty string`);
  }
  return errors;
}

/**
 * Statutory holiday days per year under 《全国年节及纪念日放假办法》: 11 until 2024, 13 from 2025
 * (春节 +1, 劳动节 +1, amended November 2024). Under 调休 every make-up working day swaps one weekend day
 * for one weekday, and a statutory day falling on a weekend is compensated on a weekday, so for each
 * notice: weekday rest days − make-up working days = statutory days.
 */
export function statutoryHolidayDays(year: number): number {
  return year >= 2025 ? 13 : 11;
}

/** weekday rest days − make-up working days of one notice (see statutoryHolidayDays). */
export function netWeekdayRestDays(file: YearFile): number {
  let weekdayRest = 0;
  let work = 0;
  for (const h of file.holidays) {
    for (const d of h.restDays) {
      const wd = weekdayOfDayNumber(toDayNumber(d));
      if (wd !== 0 && wd !== 6) weekdayRest++;
    }
    work += h.workDays.length;
  }
  return weekdayRest - work;
}
