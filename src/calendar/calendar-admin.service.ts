/**
 * @module Changes to the working-day calendar (calendar.manage): State Council notices and national or regional
 * overrides. Each change runs in one transaction holding the calendar lock, bumps calendar_state.version, is audited
 * and calls `deps.calendarHooks` in that transaction (open deadlines recomputed), then drops the cached calendars.
 * Reading the effective calendar: calendar.service.ts.
 */

import { agencyIdsInRegionTree, regionChain } from "../agencies/agencies.read.ts";
import type { AuditWriter, actorOf } from "../audit/audit.service.ts";
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
  listOverridesOfNotice,
  lockCalendarState,
} from "./calendar.repository.ts";
import {
  type CalendarNoticeView,
  type CalendarOverrideView,
  getNationalCalendar,
  noticeView,
  overrideView,
} from "./calendar.service.ts";
import {
  type NoticeInput,
  type OverrideInput,
  overrideConflicts,
  parseOverrideInput,
  validateNoticeInput,
} from "./calendar-admin.rules.ts";
import type { CalendarCache } from "./calendar-cache.ts";
import type { CalendarChange, CalendarHooks } from "./calendar-hooks.ts";
import { OFFICIAL_YEAR_FILES } from "./data/index.ts";
import { yearOf } from "./date.ts";

/**
 * What a calendar change needs: the database, the hooks to call in its transaction, the calendar cache (cleared
 * after the change) and the audit writer (a Deps fits).
 */
export interface CalendarChanger {
  db: DbOrTx;
  calendarHooks: CalendarHooks;
  calendarCache: CalendarCache;
  audit: AuditWriter;
}
export type { NoticeDayInput, NoticeInput, OverrideInput } from "./calendar-admin.rules.ts";

// ---------------------------------------------------------------------------------------------------------
// Change notification
// ---------------------------------------------------------------------------------------------------------

export interface RecomputeCount {
  listener: string;
  count: number;
}

async function notifyListeners(
  ctx: Pick<CalendarChanger, "calendarHooks" | "calendarCache" | "audit">,
  trx: DbOrTx,
  actor: ActorFields,
  change: Omit<CalendarChange, "db" | "agencyIds" | "calendarCache">,
): Promise<RecomputeCount[]> {
  const agencyIds = change.regionId === null ? null : await agencyIdsInRegionTree(trx, change.regionId);
  const full: CalendarChange = { ...change, agencyIds, db: trx, calendarCache: ctx.calendarCache };
  const counts: RecomputeCount[] = [];
  for (const [listener, name] of ctx.calendarHooks.listeners()) {
    const result = await listener(full);
    counts.push({ listener: name, count: typeof result === "number" ? result : 0 });
  }
  const total = counts.reduce((s, c) => s + c.count, 0);
  await ctx.audit.record(trx, {
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

/** Who changes the calendar, as the audit row records it (calendar cannot take accounts' Actor: accounts depends on calendar). */
export type ActorFields = ReturnType<typeof actorOf>;

/** The system itself (CLI, seed). */
export const SYSTEM_ACTOR: ActorFields = { actorId: null, actorName: "系统", ip: null };

export interface ChangeResult<T> {
  value: T;
  recomputed: RecomputeCount[];
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
  actor: ActorFields,
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
    await ctx.audit.record(trx, {
      ...actor,
      action: "calendar.notice.add",
      agencyId: null,
      entityType: "calendar_notice",
      entityId: notice.id,
      summary,
      after: { notice: noticeView(notice), days: value.days },
    });
    const years = [...new Set([value.year, ...value.days.map((d) => yearOf(d.date))])].sort();
    const recomputed = await notifyListeners(ctx, trx, actor, {
      years,
      regionId: null,
      summary,
    });
    return {
      value: { notice: noticeView(notice), days: rows.map((r) => overrideView(r, [notice])) },
      recomputed,
    };
  });
  ctx.calendarCache.clear();
  return result;
}

/**
 * Removes an entered notice and all its days (the year becomes provisional again unless a data file ships it).
 * @throws AppError calendar_notice_not_found
 */
export async function deleteNotice(
  ctx: CalendarChanger,
  actor: ActorFields,
  year: number,
): Promise<ChangeResult<CalendarNoticeView>> {
  const result = await inTransaction(ctx.db, async (trx) => {
    const notice = await findNoticeByYear(trx, year);
    if (!notice) throw new AppError("calendar_notice_not_found");
    const days = await listOverridesOfNotice(trx, notice.id);
    await deleteNoticeRow(trx, notice.id);
    await bumpCalendarVersion(trx);
    const summary = `删除${year}年放假安排：${notice.title}（${notice.doc_number}）`;
    await ctx.audit.record(trx, {
      ...actor,
      action: "calendar.notice.delete",
      agencyId: null,
      entityType: "calendar_notice",
      entityId: notice.id,
      summary,
      before: { notice: noticeView(notice), days: days.map((d) => overrideView(d, [notice])) },
    });
    const years = [...new Set([year, ...days.map((d) => yearOf(d.day))])].sort();
    const recomputed = await notifyListeners(ctx, trx, actor, {
      years,
      regionId: null,
      summary,
    });
    return { value: noticeView(notice), recomputed };
  });
  ctx.calendarCache.clear();
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
  actor: ActorFields,
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
      calendar: await getNationalCalendar({ db: trx, calendarCache: ctx.calendarCache }),
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
    await ctx.audit.record(trx, {
      ...actor,
      action: "calendar.override.add",
      agencyId: null,
      entityType: "calendar_override",
      entityId: row.id,
      summary,
      after: overrideView(row, notices),
    });
    const recomputed = await notifyListeners(ctx, trx, actor, {
      years: [yearOf(value.date)],
      regionId: value.regionId,
      summary,
    });
    return { value: overrideView(row, notices), recomputed };
  });
  ctx.calendarCache.clear();
  return result;
}

/** @throws AppError calendar_override_not_found */
export async function deleteOverride(
  ctx: CalendarChanger,
  actor: ActorFields,
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
    await ctx.audit.record(trx, {
      ...actor,
      action: "calendar.override.delete",
      agencyId: null,
      entityType: "calendar_override",
      entityId: id,
      summary,
      before: view,
    });
    const recomputed = await notifyListeners(ctx, trx, actor, {
      years: [yearOf(view.date)],
      regionId: view.regionId,
      summary,
    });
    return { value: view, recomputed };
  });
  ctx.calendarCache.clear();
  return result;
}
