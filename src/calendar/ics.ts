// iCalendar (RFC 5545) export of a year's declared rest days and make-up working days, so staff can subscribe
// to the same calendar the deadline engine uses. Output is deterministic (no clock): DTSTAMP is the notice
// date unless given.

import type { WorkCalendar } from "./calendar.ts";
import { addDays, diffDays, type IsoDate } from "./date.ts";
import type { DayInfo } from "./types.ts";

export interface IcsOptions {
  /** UTC timestamp `YYYYMMDDTHHMMSSZ`; defaults to the notice date of the year (or 1 January). */
  dtstamp?: string;
  /** Calendar name shown by clients. */
  name?: string;
}

/** RFC 5545 §3.3.11 TEXT escaping. */
export function escapeIcsText(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
}

/** RFC 5545 §3.1: lines longer than 75 octets are folded (CRLF + space), never inside a UTF-8 character. */
export function foldIcsLine(line: string): string {
  const parts: string[] = [];
  let current = "";
  let bytes = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, "utf8");
    const limit = parts.length === 0 ? 75 : 74; // continuation lines start with one space
    if (bytes + size > limit) {
      parts.push(current);
      current = "";
      bytes = 0;
    }
    current += ch;
    bytes += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

function compact(d: IsoDate): string {
  return d.replace(/-/g, "");
}

interface IcsEvent {
  start: IsoDate;
  /** Inclusive last day. */
  end: IsoDate;
  kind: "rest" | "work";
  name: string;
  source: DayInfo["source"];
}

function groupEvents(days: DayInfo[]): IcsEvent[] {
  const events: IcsEvent[] = [];
  for (const d of days) {
    const kind = d.working ? "work" : "rest";
    const name = d.name ?? "";
    const last = events[events.length - 1];
    if (
      last &&
      last.kind === "rest" &&
      kind === "rest" &&
      last.name === name &&
      diffDays(last.end, d.date) === 1
    ) {
      last.end = d.date;
    } else {
      events.push({ start: d.date, end: d.date, kind, name, source: d.source });
    }
  }
  return events;
}

export function toIcs(calendar: WorkCalendar, year: number, opts: IcsOptions = {}): string {
  const notice = calendar.noticeFor(year)?.notice;
  const dtstamp = opts.dtstamp ?? `${compact(notice?.date ?? `${year}-01-01`)}T000000Z`;
  if (!/^\d{8}T\d{6}Z$/.test(dtstamp)) throw new RangeError(`DTSTAMP格式无效：${dtstamp}`);
  const region = calendar.regionId ?? "cn";
  const basis = notice ? `依据：${notice.title}（${notice.docNumber}）` : "依据：管理员录入的日历调整";
  const status = calendar.hasOfficialData(year) ? "" : `（${year}年放假安排尚未发布，仅含已录入的调整）`;
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Gongkai//Work calendar//ZH",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeIcsText(opts.name ?? `法定节假日及调休上班（${year}年）${status}`)}`,
    "X-WR-TIMEZONE:Asia/Shanghai",
  ];
  for (const e of groupEvents(calendar.specialDays(year))) {
    const summary = e.kind === "rest" ? `${e.name}（休）` : `${e.name}调休上班（班）`;
    const regional = e.source === "regionalOverride" ? "（本地区）" : "";
    lines.push(
      "BEGIN:VEVENT",
      `UID:gongkai-${region}-${compact(e.start)}-${e.kind}@gongkai`,
      `DTSTAMP:${dtstamp}`,
      `DTSTART;VALUE=DATE:${compact(e.start)}`,
      `DTEND;VALUE=DATE:${compact(addDays(e.end, 1))}`,
      `SUMMARY:${escapeIcsText(summary + regional)}`,
      `DESCRIPTION:${escapeIcsText(e.source === "notice" ? basis : e.source === "statute" ? "依据：《全国年节及纪念日放假办法》（放假通知尚未发布，调休待定）" : "依据：管理员录入的日历调整")}`,
      "TRANSP:TRANSPARENT",
      `CATEGORIES:${e.kind === "rest" ? "休息日" : "工作日"}`,
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return `${lines.map(foldIcsLine).join("\r\n")}\r\n`;
}
