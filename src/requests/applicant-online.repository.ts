/**
 * @module SQL of the applicant's online loop: sessions, one-time links, the access log, files of an application and
 * the notification outbox (tables of migration 2026-12-03T2200-applicant-online).
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import type {
  AccessKind,
  AccessLogRow,
  ApplicantLinkRow,
  ApplicantMessageRow,
  ApplicantSessionRow,
  FilePurpose,
  Milestone,
  RequestFileRow,
} from "./applicant-online.table.ts";

// Sessions ------------------------------------------------------------------------------------------------------

export async function insertSession(
  db: DbOrTx,
  row: { agency_id: string; request_id: string; token_hash: string; via: "code" | "link"; expires_at: Date },
): Promise<void> {
  await db.insertInto("info_request_applicant_sessions").values(row).execute();
}

/** A session that has not expired at `now`. */
export async function findLiveSession(
  db: DbOrTx,
  tokenHash: string,
  now: Date,
): Promise<ApplicantSessionRow | undefined> {
  return db
    .selectFrom("info_request_applicant_sessions")
    .selectAll()
    .where("token_hash", "=", tokenHash)
    .where("expires_at", ">", now)
    .executeTakeFirst();
}

export async function touchSession(
  db: DbOrTx,
  agencyId: string,
  id: string,
  now: Date,
  expiresAt: Date,
): Promise<void> {
  await db
    .updateTable("info_request_applicant_sessions")
    .set({ last_seen_at: now, expires_at: expiresAt })
    .where("agency_id", "=", agencyId)
    .where("id", "=", id)
    .execute();
}

export async function deleteSession(db: DbOrTx, tokenHash: string): Promise<void> {
  await db.deleteFrom("info_request_applicant_sessions").where("token_hash", "=", tokenHash).execute();
}

export async function deleteExpiredSessions(db: DbOrTx, now: Date): Promise<void> {
  await db.deleteFrom("info_request_applicant_sessions").where("expires_at", "<=", now).execute();
  await db.deleteFrom("info_request_applicant_links").where("expires_at", "<=", now).execute();
}

// One-time links ------------------------------------------------------------------------------------------------

export async function insertLink(
  db: DbOrTx,
  row: {
    agency_id: string;
    request_id: string;
    token_hash: string;
    channel: "email" | "sms";
    created_at: Date;
    expires_at: Date;
  },
): Promise<void> {
  await db.insertInto("info_request_applicant_links").values(row).execute();
}

/** Marks a link used, atomically: only an unused, unexpired link is returned (single use). */
export async function useLink(
  db: DbOrTx,
  tokenHash: string,
  now: Date,
): Promise<ApplicantLinkRow | undefined> {
  return db
    .updateTable("info_request_applicant_links")
    .set({ used_at: now })
    .where("token_hash", "=", tokenHash)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .returningAll()
    .executeTakeFirst();
}

export async function countLinksSince(
  db: DbOrTx,
  agencyId: string,
  requestId: string,
  since: Date,
): Promise<number> {
  const row = await db
    .selectFrom("info_request_applicant_links")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("agency_id", "=", agencyId)
    .where("request_id", "=", requestId)
    .where("created_at", ">", since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// Access log ----------------------------------------------------------------------------------------------------

export async function insertAccess(
  db: DbOrTx,
  row: {
    agency_id: string;
    request_id: string;
    kind: AccessKind;
    target?: string | null;
    ip: string | null;
    at: Date;
  },
): Promise<void> {
  await db
    .insertInto("info_request_access_log")
    .values({ ...row, target: row.target ?? null })
    .execute();
}

export async function listAccess(
  db: DbOrTx,
  agencyId: string,
  requestId: string,
  limit = 200,
): Promise<AccessLogRow[]> {
  return db
    .selectFrom("info_request_access_log")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("request_id", "=", requestId)
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

export async function countAccessSince(
  db: DbOrTx,
  agencyId: string,
  requestId: string,
  kind: AccessKind,
  since: Date,
): Promise<number> {
  const row = await db
    .selectFrom("info_request_access_log")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("agency_id", "=", agencyId)
    .where("request_id", "=", requestId)
    .where("kind", "=", kind)
    .where("at", ">", since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// Files ---------------------------------------------------------------------------------------------------------

export async function insertFile(
  db: DbOrTx,
  row: Omit<RequestFileRow, "id" | "created_at">,
): Promise<RequestFileRow> {
  return db.insertInto("info_request_files").values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listFiles(
  db: DbOrTx,
  agencyId: string,
  requestId: string,
  purpose?: FilePurpose,
): Promise<RequestFileRow[]> {
  let q = db
    .selectFrom("info_request_files")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("request_id", "=", requestId);
  if (purpose) q = q.where("purpose", "=", purpose);
  return q.orderBy("created_at").orderBy("file_name").execute();
}

export async function findFile(
  db: DbOrTx,
  agencyId: string,
  requestId: string,
  fileId: string,
): Promise<RequestFileRow | undefined> {
  return db
    .selectFrom("info_request_files")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("request_id", "=", requestId)
    .where("id", "=", fileId)
    .executeTakeFirst();
}

export async function deleteFile(
  db: DbOrTx,
  agencyId: string,
  requestId: string,
  fileId: string,
): Promise<boolean> {
  const r = await db
    .deleteFrom("info_request_files")
    .where("agency_id", "=", agencyId)
    .where("request_id", "=", requestId)
    .where("id", "=", fileId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

// Notification outbox -------------------------------------------------------------------------------------------

/** Queues a milestone message (once per application and milestone). */
export async function queueMessage(
  db: DbOrTx,
  row: {
    agency_id: string;
    request_id: string;
    milestone: Milestone;
    subject: string;
    body: string;
    send_after: Date;
  },
): Promise<void> {
  await db
    .insertInto("info_request_messages")
    .values(row)
    .onConflict((oc) => oc.columns(["agency_id", "request_id", "milestone"]).doNothing())
    .execute();
}

/** Queued messages due at `now`, locked for this sender (other processes skip them). */
export async function claimDueMessages(db: DbOrTx, now: Date, limit: number): Promise<ApplicantMessageRow[]> {
  return db
    .selectFrom("info_request_messages")
    .selectAll()
    .where("status", "=", "queued")
    .where("send_after", "<=", now)
    .orderBy("send_after")
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function updateMessage(
  db: DbOrTx,
  agencyId: string,
  id: string,
  patch: {
    status?: "queued" | "sent" | "failed" | "skipped";
    channels?: string[];
    last_error?: string | null;
    sent_at?: Date | null;
    send_after?: Date;
  },
): Promise<void> {
  await db
    .updateTable("info_request_messages")
    .set({ ...patch, attempts: sql`attempts + 1` })
    .where("agency_id", "=", agencyId)
    .where("id", "=", id)
    .execute();
}

export async function listMessages(
  db: DbOrTx,
  agencyId: string,
  requestId: string,
): Promise<ApplicantMessageRow[]> {
  return db
    .selectFrom("info_request_messages")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("request_id", "=", requestId)
    .orderBy("created_at")
    .execute();
}
