/**
 * @module The effective working-day calendar of the running system (工作日历): the reviewed year files
 * (src/calendar/data/) + national overrides entered by administrators + the overrides of an agency's region and
 * of every ancestor region. This is the ONE entry point other features use:
 *
 *   const calendar = await getCalendarForAgency(db, agencyId);   // a WorkCalendar (pure engine)
 *   const national = await getNationalCalendar(db);
 *   deps.calendarHooks.onChanged(async (change) => { …recompute open deadlines in change.db…; return count; });
 *
 * Changes (addNotice, addOverride, …) take `{ db, calendarHooks }` (a Deps) and call the hooks in their transaction.
 *
 * Caching: every change writes a fresh uuid to calendar_state.version; a lookup reads that version (one tiny
 * query, so other processes' changes are seen too) and reuses the calendars built for it. Inside a transaction
 * that changed the data the version is that transaction's own, so listeners see the new calendar.
 */

import {
  agencyIdsInRegionTree,
  listRegionNames,
  regionChain,
  regionChainOfAgency,
} from "../agencies/agencies.read.ts";
import { type actorOf, recordAudit } from "../audit/audit.service.ts";
import type { DbOrTx } from "../db/database.ts";
import { AppError, type FieldError } from "../errors.ts";
import { isUuid } from "../shared/ids.ts";
import {
  bumpCalendarVersion,
  deleteNoticeRow,
  deleteOverrideRow,
  findNoticeByYear,
  findOverrideById,
  findOverrideByScopeAndDay,
  insertNoticeRow,
  insertOverrideRows,
  listNoticeRows,
  listOverrideRows,
  listOverridesOfNotice,
  lockCalendarState,
  readCalendarVersion,
} from "./calendar.repository.ts";
import type { CalendarNoticeRow, CalendarOverrideRow, OverrideCategory } from "./calendar.table.ts";
import { buildCalendar, type WorkCalendar } from "./calendar.ts";
import {
  type NoticeInput,
  type OverrideInput,
  overrideConflicts,
  parseOverrideInput,
  validateNoticeInput,
} from "./calendar-admin.rules.ts";
import type { CalendarChange, CalendarHooks } from "./calendar-hooks.ts";
import { OFFICIAL_YEAR_FILES } from "./data/index.ts";
import { yearOf } from "./date.ts";
import { ClockError } from "./reply-clock.ts";
import type { CalendarOverride, DayInfo, HolidayNotice } from "./types.ts";

export type { WorkCalendar } from "./calendar.ts";
export { type CalendarChange, type CalendarChangeListener, CalendarHooks } from "./calendar-hooks.ts";

/** What a calendar change needs: the database and the hooks to call in its transaction (a Deps fits). */
export interface CalendarChanger {
  db: DbOrTx;
  calendarHooks: CalendarHooks;
}
export type { NoticeDayInput, NoticeInput, OverrideInput } from "./calendar-admin.rules.ts";

// ---------------------------------------------------------------------------------------------------------
// Reading: the effective calendar
// ---------------------------------------------------------------------------------------------------------

interface Snapshot {
  version: string;
  rows: CalendarOverrideRow[];
  notices: CalendarNoticeRow[];
  /** Calendars by region chain key ("" = national). */
  calendars: Map<string, WorkCalendar>;
}

const MAX_SNAPSHOTS = 8;
const snapshots = new Map<string, Promise<Snapshot>>();

async function loadSnapshot(db: DbOrTx, version: string): Promise<Snapshot> {
  const [rows, notices] = await Promise.all([listOverrideRows(db), listNoticeRows(db)]);
  return { version, rows, notices, calendars: new Map() };
}

async function currentSnapshot(db: DbOrTx): Promise<Snapshot> {
  const version = await readCalendarVersion(db);
  const cached = snapshots.get(version);
  if (cached) {
    // Refresh recency.
    snapshots.delete(version);
    snapshots.set(version, cached);
    return cached;
  }
  // A load inside a transaction is shared only once it has finished (the transaction may still abort).
  const loading = loadSnapshot(db, version);
  if (!db.isTransaction) {
    snapshots.set(version, loading);
    loading.catch(() => snapshots.delete(version));
  }
  const snapshot = await loading;
  snapshots.set(version, Promise.resolve(snapshot));
  while (snapshots.size > MAX_SNAPSHOTS) snapshots.delete(snapshots.keys().next().value as string);
  return snapshot;
}

/** Drops every cached calendar (called on change; the version check makes it an optimisation only). */
export function invalidateCalendarCache(): void {
  snapshots.clear();
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
export async function getNationalCalendar(db: DbOrTx): Promise<WorkCalendar> {
  return calendarFor(await currentSnapshot(db), []);
}

/**
 * The calendar an agency counts its deadlines with: national data plus the overrides of its region and of every
 * ancestor region (a county agency also gets its city's and province's local rest days).
 * @throws AppError agency_not_found
 */
export async function getCalendarForAgency(db: DbOrTx, agencyId: string): Promise<WorkCalendar> {
  const [snapshot, chain] = await Promise.all([currentSnapshot(db), regionChainOfAgency(db, agencyId)]);
  if (chain.length === 0) throw new AppError("agency_not_found");
  return calendarFor(snapshot, chain);
}

/**
 * The calendar of a region (its and its ancestors' overrides); null = national.
 * @throws AppError region_not_found
 */
export async function getCalendarForRegion(db: DbOrTx, regionId: string | null): Promise<WorkCalendar> {
  if (regionId === null) return getNationalCalendar(db);
  const [snapshot, chain] = await Promise.all([currentSnapshot(db), regionChain(db, regionId)]);
  if (chain.length === 0) throw new AppError("region_not_found");
  return calendarFor(snapshot, chain);
}

// ---------------------------------------------------------------------------------------------------------
// Change notification
// ---------------------------------------------------------------------------------------------------------

export interface RecomputeCount {
  listener: string;
  count: number;
}

async function notifyListeners(
  hooks: CalendarHooks,
  trx: DbOrTx,
  actor: Actor,
  change: Omit<CalendarChange, "db" | "agencyIds">,
): Promise<RecomputeCount[]> {
  const agencyIds = change.regionId === null ? null : await agencyIdsInRegionTree(trx, change.regionId);
  const full: CalendarChange = { ...change, agencyIds, db: trx };
  const counts: RecomputeCount[] = [];
  for (const [listener, name] of hooks.listeners()) {
    const result = await listener(full);
    counts.push({ listener: name, count: typeof result === "number" ? result : 0 });
  }
  const total = counts.reduce((s, c) => s + c.count, 0);
  await recordAudit(trx, {
    ...actor,
    action: "calendar.recompute",
    agencyId: null,
    entityType: "calendar",
    entityId: change.regionId,
    summary: `工作日历变更后重新计算截止日期${total}项（${change.years.join("、")}年）`,
    after: { years: change.years, regionId: change.regionId, counts },
  });
  return counts;
}

// ---------------------------------------------------------------------------------------------------------
// Administration: notices and overrides (calendar.manage)
// ---------------------------------------------------------------------------------------------------------

export type Actor = ReturnType<typeof actorOf>;

/** The system itself (CLI, seed). */
export const SYSTEM_ACTOR: Actor = { actorId: null, actorName: "系统", ip: null };

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

export interface ChangeResult<T> {
  value: T;
  recomputed: RecomputeCount[];
}

function overrideView(row: CalendarOverrideRow, notices: readonly CalendarNoticeRow[]): CalendarOverrideView {
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

function noticeView(row: CalendarNoticeRow): CalendarNoticeView {
  return {
    id: row.id,
    year: row.year,
    title: row.title,
    docNumber: row.doc_number,
    date: row.notice_date,
    url: row.url,
  };
}

/** Runs a calendar change in a transaction (the caller's, if given) holding the calendar lock. */
async function inTransaction<T>(db: DbOrTx, fn: (trx: DbOrTx) => Promise<T>): Promise<T> {
  const locked = async (trx: DbOrTx) => {
    await lockCalendarState(trx);
    return fn(trx);
  };
  if (db.isTransaction) return locked(db);
  return db.transaction().execute(locked);
}

/** Validation errors → AppError; a "duplicate" finding becomes calendar_override_duplicate on `duplicateField`. */
function invalid(fields: FieldError[], duplicateField: string): AppError {
  const duplicate = fields.find((f) => f.field === "duplicate");
  if (duplicate) {
    return new AppError("calendar_override_duplicate", duplicate.message, {
      fields: fields.map((f) =>
        f.field === "duplicate" ? { field: duplicateField, message: f.message } : f,
      ),
    });
  }
  return new AppError("calendar_override_invalid", undefined, { fields });
}

function bundledYears(): Set<number> {
  return new Set(OFFICIAL_YEAR_FILES.map((f) => f.year));
}

/**
 * Enters a newly published State Council notice with its rest and make-up working days (national). From then on
 * the year counts as official: every provisional deadline touching it is recomputed by the listeners.
 * @throws AppError calendar_override_invalid (fields) | calendar_override_duplicate
 */
export async function addNotice(
  ctx: CalendarChanger,
  actor: Actor,
  input: NoticeInput,
): Promise<ChangeResult<{ notice: CalendarNoticeView; days: CalendarOverrideView[] }>> {
  const result = await inTransaction(ctx.db, async (trx) => {
    const existing = typeof input.year === "number" ? await findNoticeByYear(trx, input.year) : undefined;
    const { value, errors } = validateNoticeInput(input, {
      bundledYears: bundledYears(),
      noticeExists: existing !== undefined,
    });
    if (!value) throw invalid(errors, "year");
    // A national day already entered for one of the notice's dates (e.g. an ad-hoc closure) conflicts.
    const clashes: FieldError[] = [];
    for (const d of value.days) {
      const clash = await findOverrideByScopeAndDay(trx, null, d.date);
      if (clash)
        clashes.push({
          field: "duplicate",
          message: `${d.date}已有全国性调整记录（${clash.name}），请先删除`,
        });
    }
    if (clashes.length > 0) throw invalid(clashes, "days");
    const notice = await insertNoticeRow(trx, {
      year: value.year,
      title: value.title,
      doc_number: value.docNumber,
      notice_date: value.date,
      url: value.url ?? null,
      created_by: actor.actorId,
    });
    const rows = await insertOverrideRows(
      trx,
      value.days.map((d) => ({
        region_id: null,
        notice_id: notice.id,
        day: d.date,
        kind: d.kind,
        category: "notice" as const,
        name: d.name,
        note: null,
        created_by: actor.actorId,
      })),
    );
    await bumpCalendarVersion(trx);
    const summary = `录入${value.year}年放假安排：${value.title}（${value.docNumber}），${rows.length}天`;
    await recordAudit(trx, {
      ...actor,
      action: "calendar.notice.add",
      agencyId: null,
      entityType: "calendar_notice",
      entityId: notice.id,
      summary,
      after: { notice: noticeView(notice), days: value.days },
    });
    const years = [...new Set([value.year, ...value.days.map((d) => yearOf(d.date))])].sort();
    const recomputed = await notifyListeners(ctx.calendarHooks, trx, actor, {
      years,
      regionId: null,
      summary,
    });
    return {
      value: { notice: noticeView(notice), days: rows.map((r) => overrideView(r, [notice])) },
      recomputed,
    };
  });
  invalidateCalendarCache();
  return result;
}

/**
 * Removes an entered notice and all its days (the year becomes provisional again unless a data file ships it).
 * @throws AppError calendar_notice_not_found
 */
export async function deleteNotice(
  ctx: CalendarChanger,
  actor: Actor,
  year: number,
): Promise<ChangeResult<CalendarNoticeView>> {
  const result = await inTransaction(ctx.db, async (trx) => {
    const notice = await findNoticeByYear(trx, year);
    if (!notice) throw new AppError("calendar_notice_not_found");
    const days = await listOverridesOfNotice(trx, notice.id);
    await deleteNoticeRow(trx, notice.id);
    await bumpCalendarVersion(trx);
    const summary = `删除${year}年放假安排：${notice.title}（${notice.doc_number}）`;
    await recordAudit(trx, {
      ...actor,
      action: "calendar.notice.delete",
      agencyId: null,
      entityType: "calendar_notice",
      entityId: notice.id,
      summary,
      before: { notice: noticeView(notice), days: days.map((d) => overrideView(d, [notice])) },
    });
    const years = [...new Set([year, ...days.map((d) => yearOf(d.day))])].sort();
    const recomputed = await notifyListeners(ctx.calendarHooks, trx, actor, {
      years,
      regionId: null,
      summary,
    });
    return { value: noticeView(notice), recomputed };
  });
  invalidateCalendarCache();
  return result;
}

const KIND_NAMES = { rest: "休息日", work: "调休上班日" } as const;
const CATEGORY_NAMES = { notice: "放假通知", holiday: "地方性假日", closure: "临时调整" } as const;

/**
 * Adds one day: a day of an entered notice (category notice), a regional or national named day (holiday, e.g. a
 * region's own rest day) or an ad-hoc closure. Regional days apply to the agencies of that region and its
 * sub-regions only.
 * @throws AppError calendar_override_invalid (fields) | calendar_override_duplicate | region_not_found
 */
export async function addOverride(
  ctx: CalendarChanger,
  actor: Actor,
  input: OverrideInput,
): Promise<ChangeResult<CalendarOverrideView>> {
  const result = await inTransaction(ctx.db, async (trx) => {
    const regionId = typeof input.regionId === "string" ? input.regionId.trim() : "";
    if (regionId !== "") {
      const known = isUuid(regionId) && (await regionChain(trx, regionId)).length > 0;
      if (!known) throw new AppError("region_not_found");
    }
    const parsed = parseOverrideInput(input);
    const value = parsed.value;
    if (!value) throw invalid(parsed.errors, "date");
    const noticeYears = new Set((await listNoticeRows(trx)).map((n) => n.year));
    const conflicts = overrideConflicts(value, {
      calendar: await getNationalCalendar(trx),
      bundledYears: bundledYears(),
      noticeYears,
      duplicateName: (await findOverrideByScopeAndDay(trx, value.regionId, value.date))?.name,
    });
    if (conflicts.length > 0) throw invalid(conflicts, "date");
    const notice = value.category === "notice" ? await findNoticeByYear(trx, value.noticeYear) : undefined;
    const [row] = await insertOverrideRows(trx, [
      {
        region_id: value.regionId,
        notice_id: value.category === "notice" ? (notice?.id ?? null) : null,
        day: value.date,
        kind: value.kind,
        category: value.category,
        name: value.name,
        note: value.note ?? null,
        created_by: actor.actorId,
      },
    ]);
    if (!row) throw new Error("insert returned no row");
    await bumpCalendarVersion(trx);
    const scope = value.regionId === null ? "全国" : "本地区";
    const summary = `新增工作日历调整（${scope}，${CATEGORY_NAMES[value.category]}）：${value.date} ${value.name}${KIND_NAMES[value.kind]}`;
    const notices = notice ? [notice] : [];
    await recordAudit(trx, {
      ...actor,
      action: "calendar.override.add",
      agencyId: null,
      entityType: "calendar_override",
      entityId: row.id,
      summary,
      after: overrideView(row, notices),
    });
    const recomputed = await notifyListeners(ctx.calendarHooks, trx, actor, {
      years: [yearOf(value.date)],
      regionId: value.regionId,
      summary,
    });
    return { value: overrideView(row, notices), recomputed };
  });
  invalidateCalendarCache();
  return result;
}

/** @throws AppError calendar_override_not_found */
export async function deleteOverride(
  ctx: CalendarChanger,
  actor: Actor,
  id: string,
): Promise<ChangeResult<CalendarOverrideView>> {
  if (!isUuid(id)) {
    throw new AppError("calendar_override_not_found");
  }
  const result = await inTransaction(ctx.db, async (trx) => {
    const existing = await findOverrideById(trx, id);
    if (!existing) throw new AppError("calendar_override_not_found");
    const notices = await listNoticeRows(trx);
    await deleteOverrideRow(trx, id);
    await bumpCalendarVersion(trx);
    const view = overrideView(existing, notices);
    const summary = `删除工作日历调整：${view.date} ${view.name}${KIND_NAMES[view.kind]}`;
    await recordAudit(trx, {
      ...actor,
      action: "calendar.override.delete",
      agencyId: null,
      entityType: "calendar_override",
      entityId: id,
      summary,
      before: view,
    });
    const recomputed = await notifyListeners(ctx.calendarHooks, trx, actor, {
      years: [yearOf(view.date)],
      regionId: view.regionId,
      summary,
    });
    return { value: view, recomputed };
  });
  invalidateCalendarCache();
  return result;
}

/** Every entered notice and override (admin page). */
export async function listCalendarData(
  db: DbOrTx,
): Promise<{ notices: CalendarNoticeView[]; overrides: CalendarOverrideView[] }> {
  const snapshot = await currentSnapshot(db);
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
export async function getNationalYear(db: DbOrTx, year: number): Promise<CalendarYearView> {
  const snapshot = await currentSnapshot(db);
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
