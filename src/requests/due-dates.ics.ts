/**
 * @module iCalendar (RFC 5545) feed of applications' open due dates, for staff calendars. Pure: the caller passes
 * the deadlines and a DTSTAMP; text escaping and line folding come from the calendar feature.
 */
import { addDays, escapeIcsText, foldIcsLine } from "../calendar/index.ts";

export interface DueDateEntry {
  requestId: string;
  number: string;
  title: string;
  kind: string;
  label: string;
  due: string;
  url: string;
}

const compact = (d: string) => d.replace(/-/g, "");

export function dueDatesIcs(entries: DueDateEntry[], options: { name: string; dtstamp: Date }): string {
  const stamp = options.dtstamp
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Gongkai//Info request due dates//ZH",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeIcsText(options.name)}`,
    "X-WR-TIMEZONE:Asia/Shanghai",
  ];
  for (const e of entries) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:info-request-${e.requestId}-${e.kind}@gongkai`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${compact(e.due)}`,
      `DTEND;VALUE=DATE:${compact(addDays(e.due, 1))}`,
      `SUMMARY:${escapeIcsText(`${e.label}：${e.number} ${e.title}`)}`,
      `URL:${e.url}`,
      "TRANSP:TRANSPARENT",
      "BEGIN:VALARM",
      "ACTION:DISPLAY",
      `DESCRIPTION:${escapeIcsText(`${e.label}将至：${e.number}`)}`,
      "TRIGGER:-P3D",
      "END:VALARM",
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return `${lines.map(foldIcsLine).join("\r\n")}\r\n`;
}
