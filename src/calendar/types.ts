import type { IsoDate } from "./date.ts";

/** The State Council notice (国务院办公厅关于YYYY年部分节假日安排的通知) a year file comes from. */
export interface HolidayNotice {
  title: string;
  /** e.g. 国办发明电〔2024〕12号 */
  docNumber: string;
  /** Date the notice was issued (成文日期). */
  date: IsoDate;
  url?: string;
}

/** A later notice that changed the year's arrangement (e.g. 国办发明电〔2020〕1号 extending the 2020 春节). */
export interface HolidayNoticeAmendment extends HolidayNotice {
  summary: string;
}

export interface HolidayBlock {
  /** Holiday name as the notice heads it, e.g. 春节, 国庆节、中秋节. */
  name: string;
  /** The notice's own wording for this holiday (for reviewers; arrangement after amendments). */
  wording?: string;
  /** Every day of the break, including weekend days inside it or joined to it (与周末连休). Contiguous. */
  restDays: IsoDate[];
  /** Weekend days declared working days (调休上班) for this holiday. */
  workDays: IsoDate[];
}

/** One reviewed data file: `src/calendar/data/YYYY.json`. */
export interface YearFile {
  year: number;
  notice: HolidayNotice;
  amendments?: HolidayNoticeAmendment[];
  holidays: HolidayBlock[];
}

export type OverrideKind = "rest" | "work";

/**
 * A day entered by an administrator (stored in the DB by the lead):
 * - national (no regionId): e.g. next year's notice typed in before a data file ships; makes that year official;
 * - regional (regionId set): e.g. a local ethnic festival rest day; applies only to that region's calendar.
 */
export interface CalendarOverride {
  date: IsoDate;
  kind: OverrideKind;
  name: string;
  scope?: { regionId?: string };
}

export type DayKind = "workday" | "weekend" | "holiday" | "makeupWorkday";

/** statute: a statutory holiday of 《全国年节及纪念日放假办法》 in a year without a notice (provisional). */
export type DaySource = "notice" | "nationalOverride" | "regionalOverride" | "statute";

export interface DayInfo {
  date: IsoDate;
  working: boolean;
  /** workday: ordinary Mon–Fri; weekend: ordinary Sat/Sun; holiday: declared rest day; makeupWorkday: 调休上班. */
  kind: DayKind;
  /** Holiday name for declared days (e.g. 春节); for make-up days the holiday they belong to. */
  name?: string;
  source?: DaySource;
  /** True when the year of this date has official data (a notice file or national overrides). */
  official: boolean;
}

/** Result of date arithmetic: provisional when any day it depends on lies in a year without official data. */
export interface DateResult {
  date: IsoDate;
  provisional: boolean;
  /** Chinese explanation of why the result is provisional (empty when official). */
  reasons: readonly string[];
}

export interface CountResult {
  count: number;
  provisional: boolean;
  reasons: readonly string[];
}

/** Named rest days found in a range, grouped by holiday name (for explanations). */
export interface SkippedHoliday {
  name: string;
  dates: IsoDate[];
}
