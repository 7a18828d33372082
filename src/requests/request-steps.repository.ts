/**
 * @module SQL for the rows the handling steps attach to an application: corrections (补正), consultations, register
 * events (条例第45条), notices and review/litigation cases. Plain functions taking the database (or a transaction)
 * first.
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import { isUuid } from "../shared/ids.ts";
import type { CaseRow, ConsultationRow, CorrectionRow, EventRow, NoticeRow } from "./info-request.table.ts";

// ---------------------------------------------------------------------------------------------------------------
// Corrections, consultations, events, notices, cases
// ---------------------------------------------------------------------------------------------------------------

/**
 * The first 补正 notice of each of the agency's applications (条例第30条: one per application) with the receipt date
 * it is measured from; `from`/`to` bound the notice date.
 */
export async function listFirstCorrectionNotices(
  db: DbOrTx,
  agencyId: string,
  range: { from?: string; to?: string } = {},
): Promise<{ request_id: string; notice_on: string; received_on: string }[]> {
  let q = db
    .selectFrom("info_request_corrections as c")
    .innerJoin("info_requests as r", (j) =>
      j.onRef("r.agency_id", "=", "c.agency_id").onRef("r.id", "=", "c.request_id"),
    )
    .select(["c.request_id", "c.notice_on", sql<string>`r.received_on`.as("received_on")])
    .where("c.agency_id", "=", agencyId)
    .where("c.round", "=", 1)
    .where("r.received_on", "is not", null);
  if (range.from) q = q.where("c.notice_on", ">=", range.from);
  if (range.to) q = q.where("c.notice_on", "<=", range.to);
  return q.execute();
}

export async function listCorrections(
  db: DbOrTx,
  agencyId: string,
  requestId: string,
): Promise<CorrectionRow[]> {
  return db
    .selectFrom("info_request_corrections")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("request_id", "=", requestId)
    .orderBy("round")
    .execute();
}

export async function insertCorrection(
  db: DbOrTx,
  row: Omit<CorrectionRow, "online_text" | "submitted_online_at">,
): Promise<void> {
  await db.insertInto("info_request_corrections").values(row).execute();
}

export async function updateCorrection(
  db: DbOrTx,
  agencyId: string,
  requestId: string,
  round: number,
  patch: {
    received_on?: string | null;
    lapsed_on?: string | null;
    online_text?: string | null;
    submitted_online_at?: Date | null;
  },
): Promise<void> {
  await db
    .updateTable("info_request_corrections")
    .set(patch)
    .where("agency_id", "=", agencyId)
    .where("request_id", "=", requestId)
    .where("round", "=", round)
    .execute();
}

export async function listConsultations(
  db: DbOrTx,
  agencyId: string,
  requestId: string,
): Promise<ConsultationRow[]> {
  return db
    .selectFrom("info_request_consultations")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("request_id", "=", requestId)
    .orderBy("sent_on")
    .execute();
}

export async function insertConsultation(
  db: DbOrTx,
  row: Omit<ConsultationRow, "id" | "ended_on" | "result" | "note">,
): Promise<ConsultationRow> {
  return db.insertInto("info_request_consultations").values(row).returningAll().executeTakeFirstOrThrow();
}

export async function endConsultation(
  db: DbOrTx,
  agencyId: string,
  id: string,
  patch: { ended_on: string; result: NonNullable<ConsultationRow["result"]>; note: string | null },
): Promise<void> {
  await db
    .updateTable("info_request_consultations")
    .set(patch)
    .where("agency_id", "=", agencyId)
    .where("id", "=", id)
    .execute();
}

export async function insertEvent(
  db: DbOrTx,
  row: {
    agency_id: string;
    request_id: string;
    kind: string;
    on_date: string;
    at?: Date;
    actor_id: string | null;
    actor_name: string | null;
    public: boolean;
    note: string | null;
    data?: Record<string, unknown>;
  },
): Promise<void> {
  await db
    .insertInto("info_request_events")
    .values({ ...row, data: JSON.stringify(row.data ?? {}) })
    .execute();
}

export async function listEvents(db: DbOrTx, agencyId: string, requestId: string): Promise<EventRow[]> {
  return db
    .selectFrom("info_request_events")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("request_id", "=", requestId)
    .orderBy("on_date")
    .orderBy("at")
    .execute();
}

export async function insertNotice(
  db: DbOrTx,
  row: Omit<NoticeRow, "id" | "created_at" | "paragraphs"> & { paragraphs: string[] },
): Promise<NoticeRow> {
  return db
    .insertInto("info_request_notices")
    .values({ ...row, paragraphs: JSON.stringify(row.paragraphs) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listNotices(db: DbOrTx, agencyId: string, requestId: string): Promise<NoticeRow[]> {
  return db
    .selectFrom("info_request_notices")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("request_id", "=", requestId)
    .orderBy("created_at")
    .execute();
}

export async function findNotice(db: DbOrTx, agencyId: string, id: string): Promise<NoticeRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db
    .selectFrom("info_request_notices")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function insertCase(
  db: DbOrTx,
  row: Omit<CaseRow, "id" | "created_at" | "version" | "result" | "concluded_on"> & {
    result: CaseRow["result"];
    concluded_on: string | null;
  },
): Promise<CaseRow> {
  return db.insertInto("info_request_cases").values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateCase(
  db: DbOrTx,
  agencyId: string,
  id: string,
  expectedVersion: number,
  patch: { result: CaseRow["result"]; concluded_on: string | null; note: string | null },
): Promise<CaseRow | undefined> {
  return db
    .updateTable("info_request_cases")
    .set({ ...patch, version: sql<number>`version + 1` })
    .where("agency_id", "=", agencyId)
    .where("id", "=", id)
    .where("version", "=", expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

export async function listCases(db: DbOrTx, agencyId: string, requestId: string): Promise<CaseRow[]> {
  return db
    .selectFrom("info_request_cases")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("request_id", "=", requestId)
    .orderBy("filed_on")
    .execute();
}

export async function findCase(db: DbOrTx, agencyId: string, id: string): Promise<CaseRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db
    .selectFrom("info_request_cases")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("id", "=", id)
    .executeTakeFirst();
}

/**
 * The application a staff entry with this entry key (the 登记 form's one-time key, an API client's Idempotency-Key)
 * already registered in the agency since `since`, if any: the same entry sent twice is the first application.
 */
export async function findRegisteredByEntryKey(
  db: DbOrTx,
  agencyId: string,
  actorId: string,
  entryKey: string,
  since: Date,
): Promise<string | undefined> {
  // Serialised per agency and key (transaction-scoped), so a double click's two requests cannot both register.
  await sql`SELECT pg_advisory_xact_lock(hashtext(${agencyId}), hashtext(${entryKey}))`.execute(db);
  const row = await db
    .selectFrom("info_request_events")
    .select("request_id")
    .where("agency_id", "=", agencyId)
    .where("kind", "=", "registered")
    .where("actor_id", "=", actorId)
    .where("at", ">=", since)
    .where(sql<string>`data->>'entryKey'`, "=", entryKey)
    .executeTakeFirst();
  return row?.request_id;
}
