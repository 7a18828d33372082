/**
 * @module Rules of scheduled publication (定时发布) and scheduled withdrawal (定时下线/废止), pure. The console
 * asks for a Beijing time (`datetime-local`, Asia/Shanghai has no daylight saving); the instant must lie ahead of
 * now, at most a year ahead, and a withdrawal must come after the scheduled publication.
 */
import type { FieldError } from "../errors.ts";

/** How far ahead a schedule may be set. */
export const SCHEDULE_MAX_DAYS = 366;

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

/** `YYYY-MM-DDTHH:mm[:ss]` (or with a space) in Beijing time → the instant; null when malformed or not a real time. */
export function parseBeijingDateTime(text: string): Date | null {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s = "00"] = m;
  const at = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}+08:00`);
  if (Number.isNaN(at.getTime())) return null;
  // Round trip: 2026-02-30 or 24:00 would roll over into another day.
  const back = new Date(at.getTime() + 8 * 3600_000).toISOString();
  return back.startsWith(`${y}-${mo}-${d}T${h}:${mi}:${s}`) ? at : null;
}

export interface ScheduleCheck {
  /** Form field the problems belong to. */
  field: string;
  /** Chinese name of the time asked for, e.g. 定时发布时间. */
  label: string;
  /** Must come after this instant too (a withdrawal after the scheduled publication). */
  after?: { at: Date; label: string } | undefined;
}

/** The instant a schedule form asks for, or the field problems (Chinese messages). */
export function checkScheduleTime(
  text: string,
  now: Date,
  check: ScheduleCheck,
): { at: Date; problems: [] } | { at: null; problems: FieldError[] } {
  const fail = (message: string) => ({ at: null, problems: [{ field: check.field, message }] });
  if (text.trim() === "") return fail(`请填写${check.label}`);
  const at = parseBeijingDateTime(text);
  if (!at) return fail(`请按“年-月-日 时:分”（北京时间）填写${check.label}`);
  if (at.getTime() <= now.getTime()) return fail(`${check.label}须晚于当前时间`);
  if (at.getTime() > now.getTime() + SCHEDULE_MAX_DAYS * 86_400_000)
    return fail(`${check.label}不能晚于一年之后`);
  if (check.after && at.getTime() <= check.after.at.getTime())
    return fail(`${check.label}须晚于${check.after.label}`);
  return { at, problems: [] };
}

/** `datetime-local` value of an instant in Beijing time (to refill a form). */
export function beijingInputValue(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
}
