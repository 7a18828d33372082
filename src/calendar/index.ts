// Public API of the working-day calendar and deadline engine (pure: no DB, no HTTP, no clock).

import { buildCalendar, type WorkCalendar } from "./calendar.ts";
import { OFFICIAL_YEAR_FILES } from "./data/index.ts";
import type { CalendarOverride } from "./types.ts";

export type { BuildCalendarOptions } from "./calendar.ts";
export { buildCalendar, missingYearReason, WorkCalendar } from "./calendar.ts";
export { OFFICIAL_YEAR_FILES } from "./data/index.ts";
export * from "./date.ts";
export * from "./deadline-due.ts";
export * from "./deadline-rules.ts";
export type { IcsOptions } from "./ics.ts";
export { escapeIcsText, foldIcsLine, toIcs } from "./ics.ts";
export * from "./reply-clock.ts";
export type * from "./types.ts";
export { netWeekdayRestDays, statutoryHolidayDays, validateOverride, validateYearFile } from "./validate.ts";

/** The national calendar from the bundled year files plus administrator overrides (optionally for a region). */
export function officialCalendar(
  opts: { overrides?: readonly CalendarOverride[]; regionId?: string } = {},
): WorkCalendar {
  return buildCalendar({ years: OFFICIAL_YEAR_FILES, ...opts });
}
