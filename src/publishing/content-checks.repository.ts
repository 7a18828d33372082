/**
 * @module SQL of 强制检测: an agency's sensitive words, leaders' terms, runs over published records, and the
 * published records those runs read.
 */
import type { DbOrTx } from "../db/database.ts";
import type {
  AgencyLeaderRow,
  CheckRunFinding,
  ContentCheckRunRow,
  SensitiveWordRow,
} from "./content-checks.table.ts";

export async function listWords(db: DbOrTx, agencyId: string): Promise<SensitiveWordRow[]> {
  return db
    .selectFrom("sensitive_words")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .orderBy("word")
    .execute();
}

/** Inserts words (a word already listed takes the new severity); returns how many rows were written. */
export async function upsertWords(
  db: DbOrTx,
  agencyId: string,
  words: { word: string; severity: "block" | "warn"; note: string }[],
): Promise<number> {
  if (words.length === 0) return 0;
  const rows = await db
    .insertInto("sensitive_words")
    .values(words.map((w) => ({ agency_id: agencyId, ...w })))
    .onConflict((oc) =>
      oc.columns(["agency_id", "word"]).doUpdateSet((eb) => ({ severity: eb.ref("excluded.severity") })),
    )
    .returning("id")
    .execute();
  return rows.length;
}

export async function deleteWord(
  db: DbOrTx,
  agencyId: string,
  id: string,
): Promise<SensitiveWordRow | undefined> {
  return db
    .deleteFrom("sensitive_words")
    .where("agency_id", "=", agencyId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
}

export async function listLeaders(db: DbOrTx, agencyId: string): Promise<AgencyLeaderRow[]> {
  return db
    .selectFrom("agency_leaders")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .orderBy("name")
    .orderBy("valid_from", "desc")
    .execute();
}

export async function insertLeader(
  db: DbOrTx,
  row: { agency_id: string; name: string; title: string; valid_from: string | null; valid_to: string | null },
): Promise<AgencyLeaderRow> {
  return db.insertInto("agency_leaders").values(row).returningAll().executeTakeFirstOrThrow();
}

export async function deleteLeader(
  db: DbOrTx,
  agencyId: string,
  id: string,
): Promise<AgencyLeaderRow | undefined> {
  return db
    .deleteFrom("agency_leaders")
    .where("agency_id", "=", agencyId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
}

export async function insertRun(
  db: DbOrTx,
  row: { agency_id: string; started_by: string | null; started_by_name: string },
): Promise<ContentCheckRunRow> {
  return db
    .insertInto("content_check_runs")
    .values({ ...row, status: "queued" })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function finishRun(
  db: DbOrTx,
  agencyId: string,
  id: string,
  patch: {
    status: "done" | "failed";
    finished_at: Date;
    records_checked: number;
    findings: CheckRunFinding[];
    error: string | null;
  },
): Promise<void> {
  await db
    .updateTable("content_check_runs")
    .set({ ...patch, findings: JSON.stringify(patch.findings) })
    .where("agency_id", "=", agencyId)
    .where("id", "=", id)
    .execute();
}

/** Claims the queued runs (any agency) for this worker: they become running. */
export async function claimQueuedRuns(db: DbOrTx): Promise<ContentCheckRunRow[]> {
  return db
    .updateTable("content_check_runs")
    .set({ status: "running" })
    .where("status", "=", "queued")
    .returningAll()
    .execute();
}

export async function findRun(
  db: DbOrTx,
  agencyId: string,
  id: string,
): Promise<ContentCheckRunRow | undefined> {
  return db
    .selectFrom("content_check_runs")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function latestRuns(db: DbOrTx, agencyId: string, limit = 10): Promise<ContentCheckRunRow[]> {
  return db
    .selectFrom("content_check_runs")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .orderBy("started_at", "desc")
    .limit(limit)
    .execute();
}

/** Published records of an agency, a page at a time (by id), with what the checks read. */
export async function publishedForCheck(db: DbOrTx, agencyId: string, afterId: string | null, limit: number) {
  let q = db
    .selectFrom("records")
    .select(["id", "title", "summary", "body_text", "formed_date", "index_no", "attachment_ids"])
    .where("agency_id", "=", agencyId)
    .where("status", "=", "published");
  if (afterId) q = q.where("id", ">", afterId);
  return q.orderBy("id").limit(limit).execute();
}
