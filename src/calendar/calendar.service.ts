/**
 * @module The effective working-day calendar of the running system (工作日历): the reviewed year files
 * (src/calendar/data/) + national overrides entered by administrators + the overrides of an agency's region and
 * of every ancestor region. This is the ONE entry point other features use:
 *
 *   const calendar = await getCalendarForAgency(deps, agencyId);   // a WorkCalendar (pure engine)
 *   const national = await getNationalCalendar({ db: trx, calendarCache: deps.calendarCache });
 *   deps.calendarHooks.onChanged(async (change) => { …recompute open deadlines in change.db…; return count; });
 *
 * Reading takes a CalendarReader, `{ db, calendarCache }` (a Deps fits). Changes (addNotice, addOverride, … in
 * calendar-admin.service.ts) take `{ db, calendarHooks, calendarCache, audit }` (a Deps) and call the hooks in their
 * transaction.
 *
 * Caching (deps.calendarCache, calendar-cache.ts): every change writes a fresh uuid to calendar_state.version; a
 * lookup reads that version (one tiny query, so other processes' changes are seen too) and reuses the calendars
 * built for it. Inside a transaction that changed the data the version is that transaction's own, so listeners see
 * the new calendar.
 */

import { listRegionNames, regionChain, regionChainOfAgency } from "../agencies/agencies.read.ts";
import type { DbOrTx } from "../db/database.ts";
import { AppError } from "../errors.ts";
import { listNoticeRows, listOverrideRows, readCalendarVersion } from "./calendar.repository.ts";
import type { CalendarNoticeRow, CalendarOverrideRow, OverrideCategory } from "./calendar.table.ts";
import { buildCalendar, type WorkCalendar } from "./calendar.ts";
import type { CalendarReader, CalendarSnapshot } from "./calendar-cache.ts";
import { OFFICIAL_YEAR_FILES } from "./data/index.ts";
import { ClockError } from "./reply-clock.ts";
import type { CalendarOverride, DayInfo, HolidayNotice } from "./types.ts";

export type { WorkCalendar } from "./calendar.ts";
export { CalendarCache, type CalendarReader } from "./calendar-cache.ts";
export { type CalendarChange, type CalendarChangeListener, CalendarHooks } from "./calendar-hooks.ts";

// ---------------------------------------------------------------------------------------------------------
// Reading: the effective calendar
// ---------------------------------------------------------------------------------------------------------

type Snapshot = CalendarSnapshot;

async function loadSnapshot(db: DbOrTx, version: string): Promise<Snapshot> {
  const [rows, notices] = await Promise.all([listOverrideRows(db), listNoticeRows(db)]);
  return { version, rows, notices, calendars: new Map() };
}

async function currentSnapshot({ db, calendarCache }: CalendarReader): Promise<Snapshot> {
  const version = await readCalendarVersion(db);
  const cached = calendarCache.get(version);
  if (cached) return cached;
  // A load inside a transaction is shared only once it has finished (the transaction may still abort).
  const loading = loadSnapshot(db, version);
  if (!db.isTransaction) {
    calendarCache.set(version, loading);
    loading.catch(() => calendarCache.delete(version));
  }
  const snapshot = await loading;
  calendarCache.set(version, Promise.resolve(snapshot));
  return snapshot;
}

function toOverride(row: CalendarOverrideRow, regionId?: string): CalendarOverride {
  const o: CalendarOverride = { date: row.day, kind: row.kind, name: row.name };
  if (regionId !== undefined) o.scope = { regionId };
  return o;
}

/**
 * The calendar for a region chain (root first). Regional overrides of every region in the chain apply; a deeper
 * region's entry wins over its ancestor's on the same day, and any regional entry wins over a national one.
 */
function calendarFor(snapshot: Snapshot, chain: readonly string[]): WorkCalendar {
  const key = chain.join(">");
  const cached = snapshot.calendars.get(key);
  if (cached) return cached;
  const leaf = chain[chain.length - 1];
  const overrides: CalendarOverride[] = snapshot.rows
    .filter((r) => r.region_id === null)
    .map((r) => toOverride(r));
  if (leaf !== undefined) {
    for (const regionId of chain) {
      for (const r of snapshot.rows) if (r.region_id === regionId) overrides.push(toOverride(r, leaf));
    }
  }
  const calendar = buildCalendar(
    leaf === undefined
      ? { years: OFFICIAL_YEAR_FILES, overrides }
      : { years: OFFICIAL_YEAR_FILES, overrides, regionId: leaf },
  );
  snapshot.calendars.set(key, calendar);
  return calendar;
}

/** The national calendar: official year files + national overrides. */
export async function getNationalCalendar(reader: CalendarReader): Promise<WorkCalendar> {
  return calendarFor(await currentSnapshot(reader), []);
}

/**
 * The calendar an agency counts its deadlines with: national data plus the overrides of its region and of every
 * ancestor region (a county agency also gets its city's and province's local rest days).
 * @throws AppError agency_not_found
 */
export async function getCalendarForAgency(reader: CalendarReader, agencyId: string): Promise<WorkCalendar> {
  const [snapshot, chain] = await Promise.all([
    currentSnapshot(reader),
    regionChainOfAgency(reader.db, agencyId),
  ]);
  if (chain.length === 0) throw new AppError("agency_not_found");
  return calendarFor(snapshot, chain);
}

/**
 * The calendar of a region (its and its ancestors' overrides); null = national.
 * @throws AppError region_not_found
 */
export async function getCalendarForRegion(
  reader: CalendarReader,
  regionId: string | null,
): Promise<WorkCalendar> {
  if (regionId === null) return getNationalCalendar(reader);
  const [snapshot, chain] = await Promise.all([currentSnapshot(reader), regionChain(reader.db, regionId)]);
  if (chain.length === 0) throw new AppError("region_not_found");
  return calendarFor(snapshot, chain);
}

// ---------------------------------------------------------------------------------------------------------
// Entered notices and overrides (the changes themselves: calendar-admin.service.ts)
// ---------------------------------------------------------------------------------------------------------

export interface CalendarOverrideView {
  id: string;
  date: string;
  kind: "rest" | "work";
  category: OverrideCategory;
  name: string;
  note: string | null;
  regionId: string | null;
  noticeYear: number | null;
}

export interface CalendarNoticeView {
  id: string;
  year: number;
  title: string;
  docNumber: string;
  date: string;
  url: string | null;
}

export function overrideView(
  row: CalendarOverrideRow,
  notices: readonly CalendarNoticeRow[],
): CalendarOverrideView {
  return {
    id: row.id,
    date: row.day,
    kind: row.kind,
    category: row.category,
    name: row.name,
    note: row.note,
    regionId: row.region_id,
    noticeYear: notices.find((n) => n.id === row.notice_id)?.year ?? null,
  };
}

export function noticeView(row: CalendarNoticeRow): CalendarNoticeView {
  return {
    id: row.id,
    year: row.year,
    title: row.title,
    docNumber: row.doc_number,
    date: row.notice_date,
    url: row.url,
  };
}

/** Every entered notice and override (admin page). */
export async function listCalendarData(
  reader: CalendarReader,
): Promise<{ notices: CalendarNoticeView[]; overrides: CalendarOverrideView[] }> {
  const snapshot = await currentSnapshot(reader);
  return {
    notices: snapshot.notices.map(noticeView),
    overrides: snapshot.rows.map((r) => overrideView(r, snapshot.notices)),
  };
}

/** Regions as "省 / 市 / 县" paths for the override form's region select. */
export async function listRegionOptions(db: DbOrTx): Promise<{ id: string; label: string }[]> {
  const regions = await listRegionNames(db);
  const byId = new Map(regions.map((r) => [r.id, r]));
  const label = (id: string): string => {
    const names: string[] = [];
    for (
      let r = byId.get(id), depth = 0;
      r && depth < 20;
      r = r.parentId ? byId.get(r.parentId) : undefined, depth++
    ) {
      names.unshift(r.name);
    }
    return names.join(" / ");
  };
  return regions
    .map((r) => ({ id: r.id, label: label(r.id) }))
    .sort((a, b) => a.label.localeCompare(b.label, "zh-CN"));
}

// ---------------------------------------------------------------------------------------------------------
// Presenting a year
// ---------------------------------------------------------------------------------------------------------

export interface CalendarYearView {
  year: number;
  /** True when the year has official data (a data file or an entered notice / national override). */
  official: boolean;
  /** Where the year's data comes from. */
  source: "file" | "database" | "none";
  notice: (HolidayNotice & { amendments?: { title: string; docNumber: string; summary: string }[] }) | null;
  workingDays: number;
  provisional: boolean;
  reasons: readonly string[];
  /** Declared rest days and make-up working days, ascending, with names. */
  days: DayInfo[];
}

/** A year's rest and make-up working days (CLI `calendar show`, admin page, public ICS). */
export function describeYear(
  calendar: WorkCalendar,
  year: number,
  notices: readonly CalendarNoticeView[] = [],
): CalendarYearView {
  if (
    !Number.isInteger(year) ||
    year < calendar.startYear + 1 ||
    year > Number(calendar.lastDate.slice(0, 4))
  ) {
    throw new AppError("calendar_year_invalid");
  }
  const fromFile = calendar.noticeFor(year);
  const fromDb = notices.find((n) => n.year === year);
  let notice: CalendarYearView["notice"] = null;
  if (fromFile) {
    notice = { ...fromFile.notice };
    if (fromFile.amendments.length > 0) {
      notice.amendments = fromFile.amendments.map((a) => ({
        title: a.title,
        docNumber: a.docNumber,
        summary: a.summary,
      }));
    }
  } else if (fromDb) {
    notice = { title: fromDb.title, docNumber: fromDb.docNumber, date: fromDb.date };
    if (fromDb.url) notice.url = fromDb.url;
  }
  const count = calendar.workingDaysInYear(year);
  return {
    year,
    official: calendar.hasOfficialData(year),
    source: fromFile ? "file" : calendar.hasOfficialData(year) ? "database" : "none",
    notice,
    workingDays: count.count,
    provisional: count.provisional,
    reasons: count.reasons,
    days: calendar.specialDays(year),
  };
}

/** The national calendar's view of a year, with DB notices. */
export async function getNationalYear(reader: CalendarReader, year: number): Promise<CalendarYearView> {
  const snapshot = await currentSnapshot(reader);
  return describeYear(calendarFor(snapshot, []), year, snapshot.notices.map(noticeView));
}

// ---------------------------------------------------------------------------------------------------------
// Errors from the pure engine
// ---------------------------------------------------------------------------------------------------------

/**
 * Maps the pure engine's errors to AppErrors: ClockError (an event sequence the 条例 does not allow) becomes
 * `deadline_invalid` (409) with the engine's Chinese message; a RangeError (bad date, out of the calendar's range)
 * becomes `deadline_expression_invalid` (400). Anything else is returned unchanged.
 */
export function mapDeadlineError(e: unknown): unknown {
  if (e instanceof ClockError) {
    return new AppError("deadline_invalid", e.message, { details: { clockCode: e.code }, cause: e });
  }
  if (e instanceof RangeError) return new AppError("deadline_expression_invalid", e.message, { cause: e });
  return e;
}

/** Runs `fn`, rethrowing engine errors as AppErrors (see mapDeadlineError). */
export async function withDeadlineErrors<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw mapDeadlineError(e);
  }
}
