// The statutory public holidays (全体公民放假的节日) of 《全国年节及纪念日放假办法》, used for a year that has no
// State Council holiday notice yet (legal-spec "Settled": statutory holidays when no notice exists).
//
// Version in force (amended November 2024, from 2025): 元旦 1 day (1 January); 春节 4 days (农历除夕 and 正月初一 to
// 初三); 清明节 1 day (the 清明 solar term); 劳动节 2 days (1–2 May); 端午节 1 day (农历五月初五); 中秋节 1 day
// (农历八月十五); 国庆节 3 days (1–3 October). The previous version (2013 revision, 2014–2024) had 春节 3 days
// (初一 to 初三) and 劳动节 1 day.
// 办法第六条: a holiday of all citizens that falls on a Saturday or Sunday is made up on a working day (补假); the
// notice has always placed the make-up day right after the break, so that is where it goes here (the next
// Monday–Friday day that is not itself a statutory day).
// The yearly notice adds 调休 (bridged weekends and make-up working days), which cannot be known in advance: a year
// built from these days stays provisional until the notice is entered.
//
// Lunar dates come from tyme4ts (MIT, a maintained port of the 6tail tyme calendar library).

import { LunarDay, LunarMonth, SolarTerm } from "tyme4ts";
import type { IsoDate } from "./date.ts";
import { dayNumberFromParts, formatParts, fromDayNumber, toDayNumber, weekdayOfDayNumber } from "./date.ts";

/** First year this module knows the 办法 for (the 2013 revision took effect on 2014-01-01). */
export const FIRST_STATUTORY_YEAR = 2014;

export interface StatutoryRestDay {
  date: IsoDate;
  /** Holiday name, e.g. 春节; a make-up day is named 春节（补假）. */
  name: string;
  makeUp: boolean;
}

function solar(d: { getYear(): number; getMonth(): number; getDay(): number }): IsoDate {
  return formatParts(d.getYear(), d.getMonth(), d.getDay());
}

function lunar(year: number, month: number, day: number): IsoDate {
  return solar(LunarDay.fromYmd(year, month, day).getSolarDay());
}

/** The statutory holiday days of `year` by name, before make-up days (overlaps, e.g. 中秋 on 10-01, kept). */
export function statutoryHolidayDays(year: number): { name: string; dates: IsoDate[] }[] {
  if (!Number.isInteger(year) || year < FIRST_STATUTORY_YEAR) return [];
  const revised2024 = year >= 2025;
  const firstDay = toDayNumber(lunar(year, 1, 1));
  const lastLunarDay = LunarMonth.fromYm(year - 1, 12).getDayCount();
  const chuxi = lunar(year - 1, 12, lastLunarDay);
  const spring = [
    ...(revised2024 ? [chuxi] : []),
    fromDayNumber(firstDay),
    fromDayNumber(firstDay + 1),
    fromDayNumber(firstDay + 2),
  ];
  // 清明 is the 8th term counted from the 冬至 that opens the year's term cycle (index 7).
  const qingming = solar(SolarTerm.fromIndex(year, 7).getJulianDay().getSolarDay());
  return [
    { name: "元旦", dates: [formatParts(year, 1, 1)] },
    { name: "春节", dates: spring },
    { name: "清明节", dates: [qingming] },
    {
      name: "劳动节",
      dates: revised2024 ? [formatParts(year, 5, 1), formatParts(year, 5, 2)] : [formatParts(year, 5, 1)],
    },
    { name: "端午节", dates: [lunar(year, 5, 5)] },
    { name: "中秋节", dates: [lunar(year, 8, 15)] },
    { name: "国庆节", dates: [formatParts(year, 10, 1), formatParts(year, 10, 2), formatParts(year, 10, 3)] },
  ];
}

/**
 * Every day of `year` that is certainly a rest day under the 办法: the statutory days plus one make-up day
 * (办法第六条) for each statutory day falling on a weekend or on another statutory day, placed on the first
 * Monday–Friday after the break that is not a statutory day. Ascending by date. Empty before 2014.
 */
export function statutoryRestDays(year: number): readonly StatutoryRestDay[] {
  let days = MEMO.get(year);
  if (!days) {
    days = Object.freeze(computeRestDays(year).map((d) => Object.freeze(d)));
    MEMO.set(year, days);
  }
  return days;
}

// Memo of a pure function of the year (the lunar computation dominates building a calendar); frozen values.
const MEMO = new Map<number, readonly StatutoryRestDay[]>();

function computeRestDays(year: number): StatutoryRestDay[] {
  const holidays = statutoryHolidayDays(year);
  const byDay = new Map<number, StatutoryRestDay>();
  const owed: { name: string; after: number }[] = [];
  for (const h of holidays) {
    for (const d of h.dates) {
      const n = toDayNumber(d);
      const wd = weekdayOfDayNumber(n);
      if (byDay.has(n) || wd === 0 || wd === 6) owed.push({ name: h.name, after: n });
      if (!byDay.has(n)) byDay.set(n, { date: d, name: h.name, makeUp: false });
    }
  }
  for (const o of owed) {
    let n = o.after + 1;
    for (;;) {
      const wd = weekdayOfDayNumber(n);
      if (wd !== 0 && wd !== 6 && !byDay.has(n)) break;
      n++;
    }
    byDay.set(n, { date: fromDayNumber(n), name: `${o.name}（补假）`, makeUp: true });
  }
  const lo = dayNumberFromParts(year, 1, 1);
  const hi = dayNumberFromParts(year, 12, 31);
  return [...byDay.entries()]
    .filter(([n]) => n >= lo && n <= hi)
    .sort((a, b) => a[0] - b[0])
    .map(([, d]) => d);
}
