/**
 * @module Test fixtures for the calendar (imported by tests only).
 */
import type { NoticeInput } from "./calendar-admin.rules.ts";

/**
 * A FICTIONAL 2027 notice (document number and dates made up for tests; the real notice is typed in by an
 * administrator when the State Council publishes it).
 */
export const NOTICE_2027: NoticeInput = {
  year: 2027,
  title: "国务院办公厅关于2027年部分节假日安排的通知",
  docNumber: "国办发明电〔2026〕99号",
  date: "2026-11-20",
  days: "2027-01-01至2027-01-03 休 元旦\n2027-02-06至2027-02-13 休 春节\n2027-02-20 班 春节",
};
