/**
 * @module Re-review (评估审查) of withheld government information.
 *
 * 条例第18条: 行政机关应当建立健全政府信息管理动态调整机制，对本行政机关不予公开的政府信息进行定期评估审查，
 * 对因情势变化可以公开的政府信息应当公开. Records whose 公开属性 is 不予公开 or 依申请公开 are reassessed every
 * `intervalMonths` (per agency, default 12) counted from the last review, or from the 成文日期 when never reviewed.
 */
import type { DisclosureAttribute, RereviewConclusion } from "./record.table.ts";

export const DEFAULT_REREVIEW_MONTHS = 12;
export const REREVIEW_CONCLUSIONS: readonly RereviewConclusion[] = ["维持不予公开", "转为主动公开"];
/** Reviews falling due within this many days are shown as 即将到期. */
export const REREVIEW_SOON_DAYS = 30;

/** 条例第18条: only information not actively disclosed is re-reviewed. */
export function needsRereview(disclosure: DisclosureAttribute): boolean {
  return disclosure === "不予公开" || disclosure === "依申请公开";
}

function parts(date: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function fmt(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** `date` plus `months` calendar months (UTC arithmetic on the string); a missing day clamps to the month's end. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = parts(date);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return fmt(ny, nm, Math.min(d, last));
}

/**
 * 条例第18条 定期评估审查: the next review date, `intervalMonths` after the last review (or the 成文日期 when the
 * record has never been reviewed).
 */
export function nextRereviewDate(
  formedDate: string,
  lastReviewedOn: string | null,
  intervalMonths: number,
): string {
  if (!Number.isInteger(intervalMonths) || intervalMonths < 1) throw new Error("interval must be ≥ 1 month");
  return addMonths(lastReviewedOn ?? formedDate, intervalMonths);
}

export type RereviewState = "overdue" | "due_soon" | "scheduled";

/** Overdue when the review date has passed; due soon within REREVIEW_SOON_DAYS days (the due day itself counts). */
export function rereviewState(nextDate: string, today: string): RereviewState {
  if (nextDate < today) return "overdue";
  const [y, m, d] = parts(today);
  const soon = new Date(Date.UTC(y, m - 1, d + REREVIEW_SOON_DAYS)).toISOString().slice(0, 10);
  return nextDate <= soon ? "due_soon" : "scheduled";
}
