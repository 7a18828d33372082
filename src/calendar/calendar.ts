// The official working-day calendar (工作日历).
//
// The 条例 counts every procedural period in 工作日 (第26条 20, 第30条 7, 第32/34条 15, 第33条 20+20) but does
// not define the term. Following legal-spec §4.3 a working day is: Monday–Friday, minus every day the State
// Council holiday notice declares a rest day, plus every weekend day it declares a working day (调休上班).
//
// A calendar is built from reviewed year files (src/calendar/data/YYYY.json) plus administrator overrides.
// Years without data are never guessed silently: arithmetic that depends on such a year counts Monday–Friday
// and returns provisional = true with a Chinese reason.
//
// Index: over a window of years every day gets an offset; `cum[i]` is the number of working days before
// offset i and `workIdx[k]` the offset of the k-th working day, so adding or counting working days is O(1).

import {
  addMonthsClamped,
  dayNumberFromParts,
  daysInMonth,
  fromDayNumber,
  type IsoDate,
  partsFromDayNumber,
  toDayNumber,
  weekdayOfDayNumber,
  yearOf as yearOfIso,
} from "./date.ts";
import { FIRST_STATUTORY_YEAR, statutoryRestDays } from "./statutory-holidays.ts";
import type {
  CalendarOverride,
  CountResult,
  DateResult,
  DayInfo,
  DayKind,
  DaySource,
  HolidayNotice,
  HolidayNoticeAmendment,
  SkippedHoliday,
  YearFile,
} from "./types.ts";
import { validateOverride, validateYearFile } from "./validate.ts";

export interface BuildCalendarOptions {
  /** Reviewed year files (usually OFFICIAL_YEAR_FILES). */
  years: readonly YearFile[];
  /** Administrator overrides; regional ones apply only when `regionId` matches. */
  overrides?: readonly CalendarOverride[];
  /** Build the calendar of this region (national days + this region's overrides). */
  regionId?: string;
}

interface SpecialDay {
  kind: "rest" | "work";
  name: string;
  source: DaySource;
}

const NO_REASONS: readonly string[] = Object.freeze([]);
const TWO_DIGITS: readonly string[] = Array.from({ length: 32 }, (_, i) => String(i).padStart(2, "0"));

/** Earliest and latest supported years are widened around the data so real cases never hit the edge. */
const MIN_START_YEAR = 2000;
const MIN_END_YEAR = 2050;
const YEARS_AFTER_DATA = 30;

export function missingYearReason(year: number): string {
  if (year < FIRST_STATUTORY_YEAR)
    return `${year}年放假安排尚未发布（系统中无国务院办公厅${year}年部分节假日安排通知数据），${year}年的日期暂按周一至周五为工作日计算，结果为临时结果，通知发布并录入后将重新计算。`;
  return `${year}年放假安排尚未发布（系统中无国务院办公厅${year}年部分节假日安排通知数据），${year}年的日期暂按《全国年节及纪念日放假办法》规定的法定节假日（含周末补假）和周一至周五计算，调休安排未知，结果为临时结果，通知发布并录入后将重新计算。`;
}

export class WorkCalendar {
  readonly regionId: string | undefined;
  readonly firstDate: IsoDate;
  readonly lastDate: IsoDate;
  readonly #base: number;
  readonly #len: number;
  readonly #startYear: number;
  readonly #working: Uint8Array;
  /** cum[i] = working days in offsets [0, i). */
  readonly #cum: Int32Array;
  /** unofficial[i] = days in offsets [0, i) whose year has no official data. */
  readonly #unofficial: Int32Array;
  /** Offsets of working days, ascending. */
  readonly #workIdx: Int32Array;
  readonly #dates: string[];
  readonly #special: Map<number, SpecialDay>;
  readonly #official: Set<number>;
  readonly #notices: Map<number, { notice: HolidayNotice; amendments: readonly HolidayNoticeAmendment[] }>;
  readonly #reasonCache = new Map<string, readonly string[]>();

  constructor(opts: BuildCalendarOptions) {
    this.regionId = opts.regionId;
    const special = new Map<number, SpecialDay>();
    const official = new Set<number>();
    const notices = new Map<
      number,
      { notice: HolidayNotice; amendments: readonly HolidayNoticeAmendment[] }
    >();
    let minYear = Number.POSITIVE_INFINITY;
    let maxYear = Number.NEGATIVE_INFINITY;

    const fileYears = new Set<number>();
    for (const file of opts.years) {
      const errors = validateYearFile(file);
      if (errors.length > 0) throw new Error(`节假日数据有误：${errors.join("; ")}`);
      if (fileYears.has(file.year)) throw new Error(`节假日数据重复：${file.year}年`);
      fileYears.add(file.year);
      official.add(file.year);
      notices.set(file.year, { notice: file.notice, amendments: file.amendments ?? [] });
      minYear = Math.min(minYear, file.year);
      maxYear = Math.max(maxYear, file.year);
      for (const h of file.holidays) {
        for (const d of h.restDays)
          special.set(toDayNumber(d), { kind: "rest", name: h.name, source: "notice" });
        for (const d of h.workDays)
          special.set(toDayNumber(d), { kind: "work", name: h.name, source: "notice" });
      }
    }

    // National overrides first, then the region's own: a regional day wins over a national one.
    const overrides = opts.overrides ?? [];
    for (const o of overrides) {
      const errors = validateOverride(o);
      if (errors.length > 0) throw new Error(`日历调整数据有误：${errors.join("; ")}`);
    }
    const national = overrides.filter((o) => o.scope?.regionId === undefined);
    const regional =
      opts.regionId === undefined ? [] : overrides.filter((o) => o.scope?.regionId === opts.regionId);
    // A national override makes its year official (e.g. the 2027 notice typed in by an administrator).
    for (const o of national) official.add(yearOfIso(o.date));
    for (const o of [...national, ...regional]) {
      const n = toDayNumber(o.date);
      const year = partsFromDayNumber(n).year;
      const isNational = o.scope?.regionId === undefined;
      minYear = Math.min(minYear, year);
      maxYear = Math.max(maxYear, year);
      special.set(n, {
        kind: o.kind,
        name: o.name,
        source: isNational ? "nationalOverride" : "regionalOverride",
      });
    }

    const startYear = Number.isFinite(minYear) ? Math.min(MIN_START_YEAR, minYear - 1) : MIN_START_YEAR;
    const endYear = Number.isFinite(maxYear)
      ? Math.max(MIN_END_YEAR, maxYear + YEARS_AFTER_DATA)
      : MIN_END_YEAR;
    const base = dayNumberFromParts(startYear, 1, 1);
    const len = dayNumberFromParts(endYear, 12, 31) - base + 1;

    // Years without a notice: the statutory holidays of 《全国年节及纪念日放假办法》 are certainly rest days (the
    // year stays provisional: 调休 is unknown). Written under the overrides, so a regional day still wins.
    for (let y = Math.max(startYear, FIRST_STATUTORY_YEAR); y <= endYear; y++) {
      if (official.has(y)) continue;
      for (const d of statutoryRestDays(y)) {
        const n = toDayNumber(d.date);
        if (!special.has(n)) special.set(n, { kind: "rest", name: d.name, source: "statute" });
      }
    }

    const working = new Uint8Array(len);
    const cum = new Int32Array(len + 1);
    const unofficial = new Int32Array(len + 1);
    const dates: string[] = new Array(len);
    let workCount = 0;
    let unofficialCount = 0;
    // Walk the civil date alongside the offset (cheaper than converting every day number).
    let year = startYear;
    let month = 1;
    let day = 1;
    let monthLength = daysInMonth(year, month);
    let yearText = String(year);
    let prefix = `${yearText}-01-`;
    let yearOfficial = official.has(year);
    for (let i = 0; i < len; i++) {
      if (day > monthLength) {
        day = 1;
        month++;
        if (month > 12) {
          month = 1;
          year++;
          yearText = String(year);
          yearOfficial = official.has(year);
        }
        monthLength = daysInMonth(year, month);
        prefix = `${yearText}-${TWO_DIGITS[month]}-`;
      }
      dates[i] = prefix + TWO_DIGITS[day];
      day++;
      const n = base + i;
      const s = special.get(n);
      const wd = weekdayOfDayNumber(n);
      const isWorking = s ? s.kind === "work" : wd !== 0 && wd !== 6;
      cum[i] = workCount;
      unofficial[i] = unofficialCount;
      if (isWorking) {
        working[i] = 1;
        workCount++;
      }
      if (!yearOfficial) unofficialCount++;
    }
    cum[len] = workCount;
    unofficial[len] = unofficialCount;
    const workIdx = new Int32Array(workCount);
    for (let i = 0, k = 0; i < len; i++) if (working[i] === 1) workIdx[k++] = i;

    this.#base = base;
    this.#len = len;
    this.#startYear = startYear;
    this.#working = working;
    this.#cum = cum;
    this.#unofficial = unofficial;
    this.#workIdx = workIdx;
    this.#dates = dates;
    this.#special = special;
    this.#official = official;
    this.#notices = notices;
    this.firstDate = dates[0]!;
    this.lastDate = dates[len - 1]!;
  }

  #idx(d: IsoDate): number {
    const i = toDayNumber(d) - this.#base;
    if (i < 0 || i >= this.#len) {
      throw new RangeError(`日期超出工作日历范围（${this.firstDate}至${this.lastDate}）：${d}`);
    }
    return i;
  }

  #yearOfOffset(i: number): number {
    return partsFromDayNumber(this.#base + i).year;
  }

  /** Chinese reasons for every year without official data among offsets [lo, hi]. */
  #reasons(lo: number, hi: number): readonly string[] {
    const y0 = this.#yearOfOffset(lo);
    const y1 = this.#yearOfOffset(hi);
    const key = `${y0}-${y1}`;
    const cached = this.#reasonCache.get(key);
    if (cached) return cached;
    const out: string[] = [];
    for (let y = y0; y <= y1; y++) if (!this.#official.has(y)) out.push(missingYearReason(y));
    const frozen = Object.freeze(out);
    this.#reasonCache.set(key, frozen);
    return frozen;
  }

  /** Result for date offset `t` whose value depends on the days in offsets [lo, hi]. */
  #result(t: number, lo: number, hi: number): DateResult {
    const provisional = hi >= lo && this.#unofficial[hi + 1]! - this.#unofficial[lo]! > 0;
    return { date: this.#dates[t]!, provisional, reasons: provisional ? this.#reasons(lo, hi) : NO_REASONS };
  }

  isWorkingDay(d: IsoDate): boolean {
    return this.#working[this.#idx(d)] === 1;
  }

  hasOfficialData(year: number): boolean {
    return this.#official.has(year);
  }

  officialYears(): number[] {
    return [...this.#official].sort((a, b) => a - b);
  }

  /** The notice (and later amendments) a bundled year file comes from. */
  noticeFor(
    year: number,
  ): { notice: HolidayNotice; amendments: readonly HolidayNoticeAmendment[] } | undefined {
    return this.#notices.get(year);
  }

  dayInfo(d: IsoDate): DayInfo {
    const i = this.#idx(d);
    const n = this.#base + i;
    const wd = weekdayOfDayNumber(n);
    const weekend = wd === 0 || wd === 6;
    const s = this.#special.get(n);
    const working = this.#working[i] === 1;
    const official = this.#official.has(this.#yearOfOffset(i));
    let kind: DayKind;
    if (working) kind = s && weekend ? "makeupWorkday" : "workday";
    else kind = s ? "holiday" : "weekend";
    const info: DayInfo = { date: this.#dates[i]!, working, kind, official };
    if (s) {
      info.name = s.name;
      info.source = s.source;
    }
    return info;
  }

  /**
   * The N-th working day after `d` (day `d` is day 0 and not counted). Negative N counts backwards
   * (the |N|-th working day before `d`). N = 0 returns `d` unchanged.
   */
  addWorkingDays(d: IsoDate, n: number): DateResult {
    if (!Number.isInteger(n)) throw new RangeError(`工作日数须为整数：${n}`);
    const i = this.#idx(d);
    if (n === 0) return { date: this.#dates[i]!, provisional: false, reasons: NO_REASONS };
    if (n > 0) {
      const ord = this.#cum[i + 1]! + n - 1;
      if (ord >= this.#workIdx.length) throw new RangeError(`结果超出工作日历范围（${this.lastDate}）`);
      const t = this.#workIdx[ord]!;
      return this.#result(t, i + 1, t);
    }
    const ord = this.#cum[i]! + n;
    if (ord < 0) throw new RangeError(`结果超出工作日历范围（${this.firstDate}）`);
    const t = this.#workIdx[ord]!;
    return this.#result(t, t, i - 1);
  }

  /** First working day on or after offset t (inclusive), with provisional range [t, result]. */
  #rollForward(t: number): DateResult & { rolledFrom?: IsoDate } {
    if (this.#working[t] === 1) return this.#result(t, t, t);
    const ord = this.#cum[t]!;
    if (ord >= this.#workIdx.length) throw new RangeError(`结果超出工作日历范围（${this.lastDate}）`);
    const r = this.#workIdx[ord]!;
    return { ...this.#result(r, t, r), rolledFrom: this.#dates[t]! };
  }

  /** The next working day after `d` (or `d` itself when `inclusive` and it is a working day). */
  nextWorkingDay(d: IsoDate, inclusive = false): DateResult {
    const i = this.#idx(d);
    const t = inclusive ? i : i + 1;
    if (t >= this.#len) throw new RangeError(`结果超出工作日历范围（${this.lastDate}）`);
    const r = this.#rollForward(t);
    return { date: r.date, provisional: r.provisional, reasons: r.reasons };
  }

  /** The last working day before `d` (or `d` itself when `inclusive` and it is a working day). */
  previousWorkingDay(d: IsoDate, inclusive = false): DateResult {
    const i = this.#idx(d);
    const t = inclusive ? i : i - 1;
    if (t < 0) throw new RangeError(`结果超出工作日历范围（${this.firstDate}）`);
    const ord = this.#cum[t + 1]! - 1;
    if (ord < 0) throw new RangeError(`结果超出工作日历范围（${this.firstDate}）`);
    const r = this.#workIdx[ord]!;
    return this.#result(r, r, t);
  }

  /**
   * N calendar days after `d` (start day not counted; holidays in between are not deducted). If the last day
   * is a rest day the period ends on the next working day (the procedural-law period rule, legal-spec §4.1).
   * `roll: "none"` returns the plain date.
   */
  addCalendarDays(
    d: IsoDate,
    n: number,
    opts: { roll?: "next" | "none" } = {},
  ): DateResult & { rolledFrom?: IsoDate } {
    if (!Number.isInteger(n)) throw new RangeError(`天数须为整数：${n}`);
    const i = this.#idx(d);
    const t = i + n;
    if (t < 0 || t >= this.#len)
      throw new RangeError(`结果超出工作日历范围（${this.firstDate}至${this.lastDate}）`);
    if (opts.roll === "none") return { date: this.#dates[t]!, provisional: false, reasons: NO_REASONS };
    return this.#rollForward(t);
  }

  /**
   * N months after `d` (一个月内: the same day of the month, clamped to the end of a shorter month), then rolled
   * forward to a working day if that day is a rest day.
   */
  addMonths(
    d: IsoDate,
    n: number,
    opts: { roll?: "next" | "none" } = {},
  ): DateResult & { rolledFrom?: IsoDate } {
    if (!Number.isInteger(n)) throw new RangeError(`月数须为整数：${n}`);
    this.#idx(d);
    const target = addMonthsClamped(d, n);
    const t = this.#idx(target);
    if (opts.roll === "none") return { date: target, provisional: false, reasons: NO_REASONS };
    return this.#rollForward(t);
  }

  /**
   * Working days in the interval (from, to]: `from` is not counted, `to` is. Negative when `to` is before `from`.
   * countWorkingDays(d, addWorkingDays(d, n).date) === n.
   */
  countWorkingDays(from: IsoDate, to: IsoDate): CountResult {
    const f = this.#idx(from);
    const t = this.#idx(to);
    const lo = Math.min(f, t) + 1;
    const hi = Math.max(f, t);
    const count = this.#cum[hi + 1]! - this.#cum[lo]!;
    const provisional = hi >= lo && this.#unofficial[hi + 1]! - this.#unofficial[lo]! > 0;
    return {
      count: t >= f ? count : -count,
      provisional,
      reasons: provisional ? this.#reasons(lo, hi) : NO_REASONS,
    };
  }

  /** Named rest days (declared holidays) in (fromExclusive, toInclusive], grouped by consecutive name. */
  holidaysBetween(fromExclusive: IsoDate, toInclusive: IsoDate): SkippedHoliday[] {
    const lo = this.#idx(fromExclusive) + 1;
    const hi = this.#idx(toInclusive);
    const out: SkippedHoliday[] = [];
    let current: SkippedHoliday | undefined;
    let lastOffset = -2;
    for (let i = lo; i <= hi; i++) {
      const s = this.#special.get(this.#base + i);
      if (s?.kind !== "rest") continue;
      if (current && current.name === s.name && lastOffset === i - 1) current.dates.push(this.#dates[i]!);
      else {
        current = { name: s.name, dates: [this.#dates[i]!] };
        out.push(current);
      }
      lastOffset = i;
    }
    return out;
  }

  /** Declared rest days and make-up working days dated in `year`, ascending. */
  specialDays(year: number): DayInfo[] {
    const lo = dayNumberFromParts(year, 1, 1);
    const hi = dayNumberFromParts(year, 12, 31);
    const nums = [...this.#special.keys()].filter((n) => n >= lo && n <= hi).sort((a, b) => a - b);
    return nums.map((n) => this.dayInfo(fromDayNumber(n)));
  }

  /** Number of working days in a calendar year. */
  workingDaysInYear(year: number): CountResult {
    return this.countWorkingDays(`${year - 1}-12-31`, `${year}-12-31`);
  }

  /** First supported year (window start); dates before it throw RangeError. */
  get startYear(): number {
    return this.#startYear;
  }
}

export function buildCalendar(opts: BuildCalendarOptions): WorkCalendar {
  return new WorkCalendar(opts);
}
