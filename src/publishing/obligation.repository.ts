/**
 * @module SQL for record obligations (periodic publication duties): inserting, listing, locking, matching published
 * records, updating, and the calendar-dependent due dates. Plain functions, database (or transaction) first.
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import { PUBLISHED, type RecordObligationRow } from "./record.table.ts";

// ----- obligations --------------------------------------------------------------------------------------------

export async function insertObligations(
  db: DbOrTx,
  rows: {
    agency_id: string;
    item_stable_key: string;
    item_id: string | null;
    element_stable_key: string;
    period_unit: string;
    period_year: number;
    period_index: number;
    period_label: string;
    period_start: string;
    period_end: string;
    due_date: string;
    due_explanation: string;
    status: "open";
    department_id: string | null;
  }[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const res = await db
    .insertInto("record_obligations")
    .values(rows)
    .onConflict((oc) =>
      oc
        .columns([
          "agency_id",
          "item_stable_key",
          "element_stable_key",
          "period_unit",
          "period_year",
          "period_index",
        ])
        .doNothing(),
    )
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0);
}

export interface ObligationFilter {
  agencyId: string;
  status?: RecordObligationRow["status"] | undefined;
  departmentId?: string | undefined;
  itemStableKey?: string | undefined;
  dueFrom?: string | undefined;
  dueTo?: string | undefined;
}

export async function listObligations(db: DbOrTx, f: ObligationFilter): Promise<RecordObligationRow[]> {
  let q = db.selectFrom("record_obligations").selectAll().where("agency_id", "=", f.agencyId);
  if (f.status) q = q.where("status", "=", f.status);
  if (f.departmentId) q = q.where("department_id", "=", f.departmentId);
  if (f.itemStableKey) q = q.where("item_stable_key", "=", f.itemStableKey);
  if (f.dueFrom) q = q.where("due_date", ">=", f.dueFrom);
  if (f.dueTo) q = q.where("due_date", "<=", f.dueTo);
  return q.orderBy("due_date").orderBy("item_stable_key").execute();
}

/** One obligation of the agency; `forUpdate` locks its row for the rest of the transaction. */
export async function findObligation(
  db: DbOrTx,
  agencyId: string,
  id: string,
  forUpdate = false,
): Promise<RecordObligationRow | undefined> {
  const query = db
    .selectFrom("record_obligations")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("id", "=", id);
  return (forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

export function lockObligation(
  db: DbOrTx,
  agencyId: string,
  id: string,
): Promise<RecordObligationRow | undefined> {
  return findObligation(db, agencyId, id, true);
}

/**
 * The open obligation a record published on `on` fulfils: the earliest-due open period of the item whose window
 * [period start, due date] contains `on`. A record published after a window closed does not meet that period (it
 * stays overdue); it counts for the current one. Element-level obligations are met only by records of that element
 * (or records without an element).
 */
export async function findOpenObligationToMeet(
  db: DbOrTx,
  agencyId: string,
  itemStableKey: string,
  elementStableKey: string | null,
  on: string,
): Promise<RecordObligationRow | undefined> {
  return db
    .selectFrom("record_obligations")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("item_stable_key", "=", itemStableKey)
    .where("status", "=", "open")
    .where("period_start", "<=", on)
    .where("due_date", ">=", on)
    .where((eb) =>
      elementStableKey === null
        ? eb("element_stable_key", "=", "")
        : eb.or([eb("element_stable_key", "=", ""), eb("element_stable_key", "=", elementStableKey)]),
    )
    .orderBy("due_date")
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

/** Published records of an item not yet used to meet an obligation, oldest first (reconciliation). */
export async function unmatchedPublishedRecords(
  db: DbOrTx,
  agencyId: string,
  itemStableKey: string,
): Promise<{ id: string; title: string; published_date: string; element_stable_key: string | null }[]> {
  const rows = await db
    .selectFrom("records as r")
    .select(["r.id", "r.title", "r.published_date", "r.element_stable_key"])
    .where("r.agency_id", "=", agencyId)
    .where("r.item_stable_key", "=", itemStableKey)
    .where("r.status", "=", PUBLISHED)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("record_obligations as o")
            .select("o.id")
            .whereRef("o.agency_id", "=", "r.agency_id")
            .whereRef("o.met_record_id", "=", "r.id"),
        ),
      ),
    )
    .orderBy("r.published_date")
    .execute();
  return rows.map((r) => ({ ...r, published_date: r.published_date as string }));
}

export async function updateObligation(
  db: DbOrTx,
  agencyId: string,
  id: string,
  patch: Partial<{
    status: RecordObligationRow["status"];
    met_record_id: string | null;
    met_on: string | null;
    attested_by: string | null;
    attested_by_name: string | null;
    attested_at: Date | null;
    attestation_reason: string | null;
  }>,
): Promise<void> {
  await db
    .updateTable("record_obligations")
    .set(patch)
    .where("agency_id", "=", agencyId)
    .where("id", "=", id)
    .execute();
}

/** Open obligations (optionally of some agencies) of periodic units whose dates depend on the calendar. */
export async function openCalendarObligations(
  db: DbOrTx,
  agencyIds: string[] | null,
): Promise<RecordObligationRow[]> {
  let q = db
    .selectFrom("record_obligations")
    .selectAll()
    .where("status", "=", "open")
    .where("period_unit", "in", ["month", "quarter", "year"]);
  if (agencyIds !== null)
    q = agencyIds.length ? q.where("agency_id", "in", agencyIds) : q.where(sql<boolean>`false`);
  return q.execute();
}

export async function setObligationDue(
  db: DbOrTx,
  agencyId: string,
  id: string,
  due: string,
  explanation: string,
): Promise<void> {
  await db
    .updateTable("record_obligations")
    .set({ due_date: due, due_explanation: explanation })
    .where("agency_id", "=", agencyId)
    .where("id", "=", id)
    .execute();
}
