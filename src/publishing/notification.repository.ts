/**
 * @module SQL for duty notices (提醒): insert with de-duplication, listing, marking read and e-mailed. Plain
 * functions, database (or transaction) first.
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import type { DutyNoticeRow } from "./record.table.ts";

// ----- notices ------------------------------------------------------------------------------------------------

/** Inserts a notice unless one with the same dedupe key exists; returns the new row or undefined. */
export async function insertNotice(
  db: DbOrTx,
  row: {
    agency_id: string;
    department_id: string | null;
    kind: string;
    subject: string;
    body: string;
    link: string;
    dedupe_key: string;
  },
): Promise<DutyNoticeRow | undefined> {
  return db
    .insertInto("duty_notices")
    .values(row)
    .onConflict((oc) => oc.columns(["agency_id", "dedupe_key"]).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function listNotices(
  db: DbOrTx,
  f: { agencyId: string; departmentIds?: string[] | undefined; unreadOnly?: boolean; limit: number },
): Promise<DutyNoticeRow[]> {
  let q = db.selectFrom("duty_notices").selectAll().where("agency_id", "=", f.agencyId);
  if (f.departmentIds) {
    const ids = f.departmentIds;
    q = q.where((eb) =>
      ids.length > 0
        ? eb.or([eb("department_id", "is", null), eb("department_id", "in", ids)])
        : eb("department_id", "is", null),
    );
  }
  if (f.unreadOnly) q = q.where("read_at", "is", null);
  return q.orderBy("created_at", "desc").limit(f.limit).execute();
}

/** Sets read_at once (a second marking keeps the first time); false when the agency has no such notice. */
export async function markNoticeRead(db: DbOrTx, agencyId: string, id: string, at: Date): Promise<boolean> {
  const row = await db
    .updateTable("duty_notices")
    .set({ read_at: sql`COALESCE(read_at, ${at}::timestamptz)` })
    .where("agency_id", "=", agencyId)
    .where("id", "=", id)
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

export async function markNoticeEmailed(db: DbOrTx, agencyId: string, id: string, at: Date): Promise<void> {
  await db
    .updateTable("duty_notices")
    .set({ emailed_at: at })
    .where("agency_id", "=", agencyId)
    .where("id", "=", id)
    .execute();
}
