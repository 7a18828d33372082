/**
 * @module SQL for agency_profiles (the guide data).
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import type { AgencyProfileRow, AgencyProfileTable } from "./agency-profile.table.ts";

export async function findAgencyProfile(db: DbOrTx, agencyId: string): Promise<AgencyProfileRow | undefined> {
  return db.selectFrom("agency_profiles").selectAll().where("agency_id", "=", agencyId).executeTakeFirst();
}

/** Every editable column: text columns as strings, channels as a list. */
export type ProfileValues = {
  [K in Exclude<keyof AgencyProfileTable, "agency_id" | "updated_at" | "updated_by">]: K extends "channels"
    ? string[]
    : string;
};

/** Locks the row for an update (FOR UPDATE), when it exists. */
export async function lockAgencyProfile(db: DbOrTx, agencyId: string): Promise<AgencyProfileRow | undefined> {
  return db
    .selectFrom("agency_profiles")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .forUpdate()
    .executeTakeFirst();
}

export async function upsertAgencyProfile(
  db: DbOrTx,
  agencyId: string,
  values: ProfileValues,
  updatedBy: string | null,
): Promise<AgencyProfileRow> {
  const row = { ...values, updated_by: updatedBy, updated_at: sql<Date>`now()` };
  return db
    .insertInto("agency_profiles")
    .values({ agency_id: agencyId, ...row })
    .onConflict((oc) => oc.column("agency_id").doUpdateSet(row))
    .returningAll()
    .executeTakeFirstOrThrow();
}
