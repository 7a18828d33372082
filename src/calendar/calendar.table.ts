/**
 * @module Row types of the administrator-entered calendar data (migration 2026-11-23T1900-create-calendar-overrides).
 */
import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

/** 国务院办公厅关于YYYY年部分节假日安排的通知, entered before the year's data file ships. */
export interface CalendarNoticeTable {
  id: Generated<string>;
  year: number;
  title: string;
  doc_number: string;
  /** 成文日期, YYYY-MM-DD. */
  notice_date: string;
  url: string | null;
  created_at: ColumnType<Date, never, never>;
  created_by: string | null;
}

/** notice: a day of an entered notice; holiday: another named day (e.g. 地方性假日); closure: ad-hoc. */
export type OverrideCategory = "notice" | "holiday" | "closure";

/** One rest day or make-up working day entered by an administrator. */
export interface CalendarOverrideTable {
  id: Generated<string>;
  /** null = national; set = this region and its sub-regions only. */
  region_id: string | null;
  /** The notice this day comes from (category "notice"). */
  notice_id: string | null;
  /** YYYY-MM-DD */
  day: string;
  kind: "rest" | "work";
  category: OverrideCategory;
  name: string;
  note: string | null;
  created_at: ColumnType<Date, never, never>;
  created_by: string | null;
}

export interface CalendarStateTable {
  id: number;
  version: string;
  changed_at: ColumnType<Date, never, Date>;
}

export type CalendarNoticeRow = Selectable<CalendarNoticeTable>;
export type NewCalendarNoticeRow = Insertable<CalendarNoticeTable>;
export type CalendarOverrideRow = Selectable<CalendarOverrideTable>;
export type NewCalendarOverrideRow = Insertable<CalendarOverrideTable>;
