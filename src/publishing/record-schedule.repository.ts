/**
 * @module SQL of scheduled publication and withdrawal: the records whose scheduled time has come (the job's
 * work list), oldest first.
 */
import type { DbOrTx } from "../db/database.ts";

export interface DueSchedule {
  agency_id: string;
  id: string;
  title: string;
  department_id: string | null;
  at: Date;
  by: string | null;
  by_name: string | null;
}

/** Records whose scheduled publication (or withdrawal) is at or before `now`, oldest first. */
export async function dueSchedules(
  db: DbOrTx,
  which: "publish" | "withdraw",
  now: Date,
  limit = 200,
): Promise<DueSchedule[]> {
  const at = which === "publish" ? "scheduled_publish_at" : "scheduled_withdraw_at";
  const rows = await db
    .selectFrom("records")
    .select(["agency_id", "id", "title", "department_id"])
    .select([
      `${at} as at` as "scheduled_publish_at as at",
      `scheduled_${which}_by as by` as "scheduled_publish_by as by",
      `scheduled_${which}_by_name as by_name` as "scheduled_publish_by_name as by_name",
    ])
    .where(at, "<=", now)
    .orderBy(at)
    .limit(limit)
    .execute();
  return rows as DueSchedule[];
}

export const CLEAR_PUBLISH_SCHEDULE = {
  scheduled_publish_at: null,
  scheduled_publish_by: null,
  scheduled_publish_by_name: null,
  scheduled_publish_pii_reason: null,
} as const;

export const CLEAR_WITHDRAW_SCHEDULE = {
  scheduled_withdraw_at: null,
  scheduled_withdraw_by: null,
  scheduled_withdraw_by_name: null,
  scheduled_withdraw_reason: null,
} as const;
