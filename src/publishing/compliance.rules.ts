/**
 * @module Compliance measures (政务公开考核): on-time rate, monthly buckets for the trend, staleness of periodic
 * items, classification of internal links. Pure.
 *
 * 条例第26条: on time = first published no later than the due date. 条例第53条: not updating published information
 * (长期未更新) and empty columns (空白栏目) are what inspections of government websites look for
 * (国办发〔2017〕47号《政府网站发展指引》, legal-spec §6.5).
 */

import { UUID_PATTERN } from "../shared/ids.ts";

export interface OnTimeInput {
  publishedDate: string | null;
  late: boolean | null;
}

export interface OnTimeStats {
  published: number;
  /** Records that had a due date (late is not null). */
  measured: number;
  onTime: number;
  late: number;
  /** onTime / measured, or null when nothing was measured. */
  rate: number | null;
}

/** On-time statistics of records first published in (from, to]. */
export function onTimeStats(records: readonly OnTimeInput[], from: string, to: string): OnTimeStats {
  let published = 0;
  let onTime = 0;
  let late = 0;
  for (const r of records) {
    if (r.publishedDate === null || r.publishedDate <= from || r.publishedDate > to) continue;
    published++;
    if (r.late === true) late++;
    else if (r.late === false) onTime++;
  }
  const measured = onTime + late;
  return { published, measured, onTime, late, rate: measured === 0 ? null : onTime / measured };
}

/** "85.7%" or "—". */
export function formatRate(rate: number | null): string {
  return rate === null ? "—" : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

/** The `n` calendar months ending with the month of `asOf`, oldest first: { key: "2025-03", label: "2025年3月", start, end }. */
export function lastMonths(
  asOf: string,
  n: number,
): { key: string; label: string; start: string; end: string }[] {
  const y0 = Number(asOf.slice(0, 4));
  const m0 = Number(asOf.slice(5, 7));
  const out: { key: string; label: string; start: string; end: string }[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const total = y0 * 12 + (m0 - 1) - i;
    const y = Math.floor(total / 12);
    const m = total - y * 12 + 1;
    const mm = String(m).padStart(2, "0");
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    out.push({
      key: `${y}-${mm}`,
      label: `${y}年${m}月`,
      start: `${y}-${mm}-01`,
      end: `${y}-${mm}-${String(last).padStart(2, "0")}`,
    });
  }
  return out;
}

export interface ClosedPeriod {
  start: string;
  due: string;
  label: string;
  /** Met by a record or an attestation (on time or not). */
  done: boolean;
}

/**
 * 长期未更新: the item is behind when the latest period whose due date has passed was neither updated nor attested.
 * Returns that period, or null when the item is up to date or has no closed period yet.
 */
export function staleSince(closedPeriods: readonly ClosedPeriod[]): ClosedPeriod | null {
  const latest = [...closedPeriods].sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0)).at(-1);
  if (!latest || latest.done) return null;
  return latest;
}

export type InternalTarget =
  | { kind: "record"; slug: string; recordId: string }
  | { kind: "attachment"; slug: string; recordId: string; attachmentId: string }
  | { kind: "static"; file: string }
  | { kind: "other"; path: string };

const RECORD = new RegExp(`^/agencies/([a-z0-9-]+)/records/(${UUID_PATTERN})/?$`);
const FILE = new RegExp(`^/agencies/([a-z0-9-]+)/records/(${UUID_PATTERN})/files/(${UUID_PATTERN})/?$`);

/** What an internal path points at (query strings are ignored for records and files). */
export function classifyInternalPath(pathWithQuery: string): InternalTarget {
  const p = pathWithQuery.split("?")[0]!;
  let m = FILE.exec(p);
  if (m) return { kind: "attachment", slug: m[1]!, recordId: m[2]!, attachmentId: m[3]! };
  m = RECORD.exec(p);
  if (m) return { kind: "record", slug: m[1]!, recordId: m[2]! };
  if (p.startsWith("/static/")) return { kind: "static", file: p.slice("/static/".length) };
  return { kind: "other", path: pathWithQuery };
}
