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

/** Records with a scheduled publication at or before `now`. */
export async function duePublications(db: DbOrTx, now: Date, limit = 200): Promise<DueSchedule[]> {
  const rows = await db
    .selectFrom("records")
    .select([
      "agency_id",
      "id",
      "title",
      "department_id",
      "scheduled_publish_at as at",
      "scheduled_publish_by as by",
      "scheduled_publish_by_name as by_name",
    ])
    .where("scheduled_publish_at", "<=", now)
    .orderBy("scheduled_publish_at")
    .limit(limit)
    .execute();
  return rows as DueSchedule[];
}

/** Records with a scheduled withdrawal at or before `now`. */
export async function dueWithdrawals(db: DbOrTx, now: Date, limit = 200): Promise<DueSchedule[]> {
  const rows = await db
    .selectFrom("records")
    .select([
      "agency_id",
      "id",
      "title",
      "department_id",
      "scheduled_withdraw_at as at",
      "scheduled_withdraw_by as by",
      "scheduled_withdraw_by_name as by_name",
    ])
    .where("scheduled_withdraw_at", "<=", now)
    .orderBy("scheduled_withdraw_at")
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
