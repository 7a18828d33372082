/**
 * @module Applications' read function for inspections (检查指标), used by the supervision feature: open
 * applications and those past their next statutory due date (条例第33条 reply, or a step's own period), as of a
 * date. SQL on this feature's own table only.
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import { OPEN_STATUSES } from "./info-request.ts";

export async function applicationInspectionFigures(
  db: DbOrTx,
  agencyId: string,
  asOf: string,
): Promise<{ open: number; overdue: number }> {
  const row = await db
    .selectFrom("info_requests")
    .where("agency_id", "=", agencyId)
    .where("status", "in", [...OPEN_STATUSES])
    .select([
      sql<number>`count(*)::int`.as("open"),
      sql<number>`count(*) filter (where next_due_on < ${asOf}::date)::int`.as("overdue"),
    ])
    .executeTakeFirstOrThrow();
  return { open: row.open, overdue: row.overdue };
}
