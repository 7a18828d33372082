/**
 * @module SQL for the administrator-entered calendar data (notices, overrides, the change version). Plain
 * functions taking the database (or a transaction) first. Region/agency look-ups (region chains, agencies of a
 * region subtree) come from the agencies feature's agencies.read.ts.
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import type {
  CalendarNoticeRow,
  CalendarOverrideRow,
  NewCalendarNoticeRow,
  NewCalendarOverrideRow,
} from "./calendar.table.ts";

/** The current data version (changes with every edit; read inside a transaction it sees that transaction's edits). */
export async function readCalendarVersion(db: DbOrTx): Promise<string> {
  const row = await db.selectFrom("calendar_state").select("version").where("id", "=", 1).executeTakeFirst();
  return row?.version ?? "none";
}

/** Serializes calendar changes: every change locks the state row first, so checks see the latest committed data. */
export async function lockCalendarState(db: DbOrTx): Promise<void> {
  await db.selectFrom("calendar_state").select("id").where("id", "=", 1).forUpdate().execute();
}

/** Marks the calendar data as changed; returns the new version. */
export async function bumpCalendarVersion(db: DbOrTx): Promise<string> {
  const row = await db
    .updateTable("calendar_state")
    .set({ version: sql<string>`gen_random_uuid()`, changed_at: sql<Date>`now()` })
    .where("id", "=", 1)
    .returning("version")
    .executeTakeFirstOrThrow();
  return row.version;
}

export async function listOverrideRows(db: DbOrTx): Promise<CalendarOverrideRow[]> {
  return db.selectFrom("calendar_overrides").selectAll().orderBy("day").orderBy("region_id").execute();
}

export async function listNoticeRows(db: DbOrTx): Promise<CalendarNoticeRow[]> {
  return db.selectFrom("calendar_notices").selectAll().orderBy("year").execute();
}

export async function findNoticeByYear(db: DbOrTx, year: number): Promise<CalendarNoticeRow | undefined> {
  return db.selectFrom("calendar_notices").selectAll().where("year", "=", year).executeTakeFirst();
}

export async function findOverrideById(db: DbOrTx, id: string): Promise<CalendarOverrideRow | undefined> {
  return db.selectFrom("calendar_overrides").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findOverrideByScopeAndDay(
  db: DbOrTx,
  regionId: string | null,
  day: string,
): Promise<CalendarOverrideRow | undefined> {
  let q = db.selectFrom("calendar_overrides").selectAll().where("day", "=", day);
  q = regionId === null ? q.where("region_id", "is", null) : q.where("region_id", "=", regionId);
  return q.executeTakeFirst();
}

export async function insertNoticeRow(db: DbOrTx, row: NewCalendarNoticeRow): Promise<CalendarNoticeRow> {
  return db.insertInto("calendar_notices").values(row).returningAll().executeTakeFirstOrThrow();
}

export async function insertOverrideRows(
  db: DbOrTx,
  rows: NewCalendarOverrideRow[],
): Promise<CalendarOverrideRow[]> {
  if (rows.length === 0) return [];
  return db.insertInto("calendar_overrides").values(rows).returningAll().execute();
}

export async function deleteOverrideRow(db: DbOrTx, id: string): Promise<CalendarOverrideRow | undefined> {
  return db.deleteFrom("calendar_overrides").where("id", "=", id).returningAll().executeTakeFirst();
}

/** Deletes the notice of a year (its days cascade); returns the notice and the days it had. */
export async function deleteNoticeRow(db: DbOrTx, id: string): Promise<CalendarNoticeRow | undefined> {
  return db.deleteFrom("calendar_notices").where("id", "=", id).returningAll().executeTakeFirst();
}

export async function listOverridesOfNotice(db: DbOrTx, noticeId: string): Promise<CalendarOverrideRow[]> {
  return db
    .selectFrom("calendar_overrides")
    .selectAll()
    .where("notice_id", "=", noticeId)
    .orderBy("day")
    .execute();
}
