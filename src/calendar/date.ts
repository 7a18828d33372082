// Pure helpers for legal dates written as `YYYY-MM-DD` strings (Asia/Shanghai civil dates).
// No `Date` object is used: a date is converted to a day number (days since 1970-01-01 in the
// proleptic Gregorian calendar) with integer arithmetic, so time zones and DST never interfere.

/** A legal date string, `YYYY-MM-DD`. */
export type IsoDate = string;

const DASH = 45; // "-"
const ZERO = 48; // "0"

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - ZERO;
  if (c < 0 || c > 9) throw new RangeError(`日期格式无效（应为YYYY-MM-DD）：${s}`);
  return c;
}

/** Days in a month of the proleptic Gregorian calendar (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Day number of a civil date (H. Hinnant's days_from_civil). */
export function dayNumberFromParts(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Strictly parses `YYYY-MM-DD` into a day number; throws RangeError on anything else. */
export function toDayNumber(s: string): number {
  if (typeof s !== "string" || s.length !== 10 || s.charCodeAt(4) !== DASH || s.charCodeAt(7) !== DASH) {
    throw new RangeError(`日期格式无效（应为YYYY-MM-DD）：${String(s)}`);
  }
  const year = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const month = digit(s, 5) * 10 + digit(s, 6);
  const day = digit(s, 8) * 10 + digit(s, 9);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`日期不存在：${s}`);
  }
  return dayNumberFromParts(year, month, day);
}

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

/** Civil date of a day number (H. Hinnant's civil_from_days). */
export function partsFromDayNumber(n: number): DateParts {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function formatParts(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, "0")}-${pad2(month)}-${pad2(day)}`;
}

export function fromDayNumber(n: number): IsoDate {
  const p = partsFromDayNumber(n);
  return formatParts(p.year, p.month, p.day);
}

export function parseParts(s: IsoDate): DateParts {
  return partsFromDayNumber(toDayNumber(s));
}

export function isValidDate(s: unknown): s is IsoDate {
  if (typeof s !== "string") return false;
  try {
    toDayNumber(s);
    return true;
  } catch {
    return false;
  }
}

/** 0 = Sunday … 6 = Saturday. 1970-01-01 (day 0) was a Thursday. */
export function weekdayOfDayNumber(n: number): number {
  return (((n + 4) % 7) + 7) % 7;
}

export function weekday(s: IsoDate): number {
  return weekdayOfDayNumber(toDayNumber(s));
}

export function isWeekend(s: IsoDate): boolean {
  const w = weekday(s);
  return w === 0 || w === 6;
}

export function yearOf(s: IsoDate): number {
  return parseParts(s).year;
}

export function addDays(s: IsoDate, n: number): IsoDate {
  return fromDayNumber(toDayNumber(s) + n);
}

/** Signed number of calendar days from `a` to `b` (b − a). */
export function diffDays(a: IsoDate, b: IsoDate): number {
  return toDayNumber(b) - toDayNumber(a);
}

export function compareDates(a: IsoDate, b: IsoDate): number {
  return toDayNumber(a) - toDayNumber(b);
}

/**
 * Same day-of-month `n` months later (negative `n` goes back), clamped to the end of a shorter month:
 * 2025-01-31 + 1 month → 2025-02-28. No working-day adjustment here (see WorkCalendar.addMonths).
 */
export function addMonthsClamped(s: IsoDate, n: number): IsoDate {
  const p = parseParts(s);
  const total = p.year * 12 + (p.month - 1) + n;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  return formatParts(year, month, Math.min(p.day, daysInMonth(year, month)));
}

export type PeriodUnit = "month" | "quarter" | "year";

export interface Period {
  unit: PeriodUnit;
  year: number;
  /** 1–12 for months, 1–4 for quarters, 1 for years. */
  index: number;
  start: IsoDate;
  end: IsoDate;
  /** Chinese label, e.g. "2025年3月", "2025年第一季度", "2025年度". */
  label: string;
}

const QUARTER_NAMES = ["一", "二", "三", "四"] as const;

export function periodOf(unit: PeriodUnit, year: number, index: number): Period {
  if (unit === "year") {
    return {
      unit,
      year,
      index: 1,
      start: formatParts(year, 1, 1),
      end: formatParts(year, 12, 31),
      label: `${year}年度`,
    };
  }
  if (unit === "quarter") {
    if (index < 1 || index > 4) throw new RangeError(`季度须为1–4：${index}`);
    const firstMonth = (index - 1) * 3 + 1;
    const lastMonth = firstMonth + 2;
    return {
      unit,
      year,
      index,
      start: formatParts(year, firstMonth, 1),
      end: formatParts(year, lastMonth, daysInMonth(year, lastMonth)),
      label: `${year}年第${QUARTER_NAMES[index - 1]}季度`,
    };
  }
  if (index < 1 || index > 12) throw new RangeError(`月份须为1–12：${index}`);
  return {
    unit,
    year,
    index,
    start: formatParts(year, index, 1),
    end: formatParts(year, index, daysInMonth(year, index)),
    label: `${year}年${index}月`,
  };
}

/** The month, quarter or year that contains `s`. */
export function periodContaining(s: IsoDate, unit: PeriodUnit): Period {
  const p = parseParts(s);
  if (unit === "year") return periodOf(unit, p.year, 1);
  if (unit === "quarter") return periodOf(unit, p.year, Math.floor((p.month - 1) / 3) + 1);
  return periodOf(unit, p.year, p.month);
}

/** Last day of the month / quarter / year containing `s`. */
export function periodEnd(s: IsoDate, unit: PeriodUnit): IsoDate {
  return periodContaining(s, unit).end;
}

export function nextPeriod(period: Period): Period {
  if (period.unit === "year") return periodOf("year", period.year + 1, 1);
  const max = period.unit === "quarter" ? 4 : 12;
  return period.index === max
    ? periodOf(period.unit, period.year + 1, 1)
    : periodOf(period.unit, period.year, period.index + 1);
}

/**
 * The first occurrence of the fixed yearly date (month/day, e.g. 每年1月31日) that is on or after `s`.
 * 29 February is clamped to 28 February in common years.
 */
export function nextFixedYearlyDate(s: IsoDate, month: number, day: number): IsoDate {
  const p = parseParts(s);
  const inYear = (y: number) => formatParts(y, month, Math.min(day, daysInMonth(y, month)));
  const candidate = inYear(p.year);
  return compareDates(candidate, s) >= 0 ? candidate : inYear(p.year + 1);
}

/** `2025-10-10` → `2025年10月10日` (for Chinese UI text). */
export function formatChineseDate(s: IsoDate): string {
  const p = parseParts(s);
  return `${p.year}年${p.month}月${p.day}日`;
}

const WEEKDAY_NAMES = ["日", "一", "二", "三", "四", "五", "六"] as const;

/** `2025-10-10` → `星期五`. */
export function chineseWeekday(s: IsoDate): string {
  return `星期${WEEKDAY_NAMES[weekday(s)]}`;
}

/**
 * The date of a compliance or supervision view (`?asOf=`): a valid date from 2000-01-01 (where the working-day
 * calendar starts) to today, else today. A date outside the calendar made the deadline arithmetic throw (a 500).
 */
export function asOfDate(raw: unknown, today: IsoDate): IsoDate {
  return isValidDate(raw) && raw >= "2000-01-01" && raw <= today ? raw : today;
}
