/**
 * @module SQL for records and what hangs off them: records, revisions, workflow events, the 索引号 counter, settings,
 * attachments, interpretation links, channels, the read-only agency/department/user lookups and the cross-agency
 * record lookups. Plain functions, database (or transaction) first. Obligations are in obligation.repository.ts,
 * duty notices in notification.repository.ts, the compliance queries in compliance.repository.ts.
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import { departmentRefs } from "../db/department-refs.ts";
import {
  type NewRecordRow,
  PUBLISHED,
  type PublishingSettingsRow,
  type RecordAttachmentRow,
  type RecordChannelRow,
  type RecordEventRow,
  type RecordRevisionRow,
  type RecordRow,
  type RecordUpdate,
  type RevisionStatus,
} from "./record.table.ts";

// ----- records ------------------------------------------------------------------------------------------------

export async function insertRecord(db: DbOrTx, row: NewRecordRow): Promise<RecordRow> {
  return db.insertInto("records").values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateRecord(
  db: DbOrTx,
  agencyId: string,
  id: string,
  patch: RecordUpdate,
): Promise<void> {
  await db.updateTable("records").set(patch).where("agency_id", "=", agencyId).where("id", "=", id).execute();
}

export async function findRecord(db: DbOrTx, agencyId: string, id: string): Promise<RecordRow | undefined> {
  return db
    .selectFrom("records")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("id", "=", id)
    .executeTakeFirst();
}

/** The agency a record belongs to (old URLs without the agency redirect there), when the record exists. */
export async function findRecordAgencyId(db: DbOrTx, id: string): Promise<string | undefined> {
  const row = await db.selectFrom("records").select("agency_id").where("id", "=", id).executeTakeFirst();
  return row?.agency_id;
}

/** Locks the record row for the rest of the transaction (workflow steps serialise per record). */
export async function lockRecord(db: DbOrTx, agencyId: string, id: string): Promise<RecordRow | undefined> {
  return db
    .selectFrom("records")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
}

export async function findRecordsByIds(db: DbOrTx, agencyId: string, ids: string[]): Promise<RecordRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom("records")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("id", "in", ids)
    .execute();
}

export interface StaffRecordFilter {
  agencyId: string;
  status?: RecordRow["status"] | undefined;
  workflowStatus?: RevisionStatus | undefined;
  departmentId?: string | undefined;
  itemStableKey?: string | undefined;
  query?: string | undefined;
  limit: number;
  offset: number;
}

export async function listRecords(
  db: DbOrTx,
  f: StaffRecordFilter,
): Promise<{ rows: RecordRow[]; total: number }> {
  let q = db.selectFrom("records").where("agency_id", "=", f.agencyId);
  if (f.status) q = q.where("status", "=", f.status);
  if (f.workflowStatus) q = q.where("workflow_status", "=", f.workflowStatus);
  if (f.departmentId) q = q.where("department_id", "=", f.departmentId);
  if (f.itemStableKey) q = q.where("item_stable_key", "=", f.itemStableKey);
  if (f.query) {
    const like = `%${f.query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([eb("title", "ilike", like), eb("doc_number", "ilike", like), eb("index_no", "ilike", like)]),
    );
  }
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy("updated_at", "desc").orderBy("id").limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

// ----- revisions ----------------------------------------------------------------------------------------------

export async function insertRevision(
  db: DbOrTx,
  row: {
    agency_id: string;
    record_id: string;
    revision_no: number;
    status: RevisionStatus;
    content: string;
    body_text: string;
    change_note: string;
    created_by: string | null;
  },
): Promise<void> {
  await db.insertInto("record_revisions").values(row).execute();
}

export async function findRevision(
  db: DbOrTx,
  agencyId: string,
  recordId: string,
  revisionNo: number,
): Promise<RecordRevisionRow | undefined> {
  return db
    .selectFrom("record_revisions")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("record_id", "=", recordId)
    .where("revision_no", "=", revisionNo)
    .executeTakeFirst();
}

export async function updateRevision(
  db: DbOrTx,
  agencyId: string,
  recordId: string,
  revisionNo: number,
  patch: Record<string, unknown>,
): Promise<void> {
  await db
    .updateTable("record_revisions")
    .set(patch)
    .where("agency_id", "=", agencyId)
    .where("record_id", "=", recordId)
    .where("revision_no", "=", revisionNo)
    .execute();
}

export async function listRevisions(
  db: DbOrTx,
  agencyId: string,
  recordId: string,
): Promise<RecordRevisionRow[]> {
  return db
    .selectFrom("record_revisions")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("record_id", "=", recordId)
    .orderBy("revision_no", "desc")
    .execute();
}

// ----- events -------------------------------------------------------------------------------------------------

export async function insertEvent(
  db: DbOrTx,
  row: {
    agency_id: string;
    record_id: string;
    revision_no: number;
    action: string;
    from_status: string | null;
    to_status: string | null;
    actor_id: string | null;
    actor_name: string | null;
    reason: string | null;
    occurred_at?: Date;
  },
): Promise<void> {
  await db.insertInto("record_events").values(row).execute();
}

export async function listEvents(db: DbOrTx, agencyId: string, recordId: string): Promise<RecordEventRow[]> {
  return db
    .selectFrom("record_events")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("record_id", "=", recordId)
    .orderBy("occurred_at")
    .orderBy("id")
    .execute();
}

// ----- 索引号 counter -----------------------------------------------------------------------------------------

/**
 * Takes the next serial of (agency, year) atomically. The row stays locked until the transaction ends, so
 * concurrent publications of one agency queue here and numbers are unique; a rolled-back publication also rolls
 * back its serial, so no issued number is ever skipped or reused.
 */
export async function nextSerial(db: DbOrTx, agencyId: string, year: number): Promise<number> {
  const row = await sql<{ last_serial: number }>`
    INSERT INTO index_counters (agency_id, year, last_serial) VALUES (${agencyId}, ${year}, 1)
    ON CONFLICT (agency_id, year) DO UPDATE SET last_serial = index_counters.last_serial + 1
    RETURNING last_serial`.execute(db);
  return Number(row.rows[0]!.last_serial);
}

/** The last serial taken for (agency, year), 0 if none (preview only; takes nothing). */
export async function currentSerial(db: DbOrTx, agencyId: string, year: number): Promise<number> {
  const row = await db
    .selectFrom("index_counters")
    .select("last_serial")
    .where("agency_id", "=", agencyId)
    .where("year", "=", year)
    .executeTakeFirst();
  return row?.last_serial ?? 0;
}

export async function indexNumberTaken(db: DbOrTx, agencyId: string, indexNo: string): Promise<boolean> {
  const row = await db
    .selectFrom("records")
    .select("id")
    .where("agency_id", "=", agencyId)
    .where("index_no", "=", indexNo)
    .executeTakeFirst();
  return row !== undefined;
}

// ----- settings -----------------------------------------------------------------------------------------------

export async function findSettings(db: DbOrTx, agencyId: string): Promise<PublishingSettingsRow | undefined> {
  return db
    .selectFrom("publishing_settings")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .executeTakeFirst();
}

export async function upsertSettings(
  db: DbOrTx,
  row: {
    agency_id: string;
    index_template: string;
    index_code: string | null;
    index_code_is_demo: boolean;
    notify_emails: string;
  },
): Promise<void> {
  await db
    .insertInto("publishing_settings")
    .values(row)
    .onConflict((oc) =>
      oc.column("agency_id").doUpdateSet({
        index_template: row.index_template,
        index_code: row.index_code,
        index_code_is_demo: row.index_code_is_demo,
        notify_emails: row.notify_emails,
        updated_at: new Date(),
      }),
    )
    .execute();
}

// ----- attachments --------------------------------------------------------------------------------------------

export async function insertAttachment(
  db: DbOrTx,
  row: {
    agency_id: string;
    record_id: string;
    file_name: string;
    mime_type: string;
    file_type: string;
    size_bytes: number;
    sha256: string;
    extracted_text: string;
    created_by: string | null;
  },
): Promise<RecordAttachmentRow> {
  return db.insertInto("record_attachments").values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findAttachments(
  db: DbOrTx,
  agencyId: string,
  ids: string[],
): Promise<RecordAttachmentRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom("record_attachments")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("id", "in", ids)
    .execute();
}

export async function listAttachmentsOfRecord(
  db: DbOrTx,
  agencyId: string,
  recordId: string,
): Promise<RecordAttachmentRow[]> {
  return db
    .selectFrom("record_attachments")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("record_id", "=", recordId)
    .orderBy("created_at")
    .execute();
}

// ----- interpretations ----------------------------------------------------------------------------------------

export async function replaceInterpretationLinks(
  db: DbOrTx,
  agencyId: string,
  interpretationId: string,
  policyIds: string[],
): Promise<void> {
  await db
    .deleteFrom("record_interpretations")
    .where("agency_id", "=", agencyId)
    .where("interpretation_id", "=", interpretationId)
    .execute();
  if (policyIds.length > 0) {
    await db
      .insertInto("record_interpretations")
      .values(
        policyIds.map((p) => ({ agency_id: agencyId, interpretation_id: interpretationId, policy_id: p })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/** Published records linked to `recordId`: the policies it interprets and the interpretations of it. */
export async function linkedRecords(
  db: DbOrTx,
  agencyId: string,
  recordId: string,
): Promise<{ policies: RecordRow[]; interpretations: RecordRow[] }> {
  const [policies, interpretations] = await Promise.all([
    db
      .selectFrom("records as r")
      .innerJoin("record_interpretations as l", (j) =>
        j.onRef("l.agency_id", "=", "r.agency_id").onRef("l.policy_id", "=", "r.id"),
      )
      .selectAll("r")
      .where("l.agency_id", "=", agencyId)
      .where("l.interpretation_id", "=", recordId)
      .orderBy("r.published_date")
      .execute(),
    db
      .selectFrom("records as r")
      .innerJoin("record_interpretations as l", (j) =>
        j.onRef("l.agency_id", "=", "r.agency_id").onRef("l.interpretation_id", "=", "r.id"),
      )
      .selectAll("r")
      .where("l.agency_id", "=", agencyId)
      .where("l.policy_id", "=", recordId)
      .orderBy("r.published_date")
      .execute(),
  ]);
  return { policies, interpretations };
}

// ----- channels -----------------------------------------------------------------------------------------------

export async function insertChannel(
  db: DbOrTx,
  row: {
    agency_id: string;
    record_id: string;
    channel: string;
    published_on: string;
    evidence: string;
    created_by: string | null;
  },
): Promise<RecordChannelRow> {
  return db.insertInto("record_channels").values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listChannels(
  db: DbOrTx,
  agencyId: string,
  recordId: string,
): Promise<RecordChannelRow[]> {
  return db
    .selectFrom("record_channels")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("record_id", "=", recordId)
    .orderBy("published_on")
    .execute();
}

// ----- agencies and departments (read-only; platform tables) ---------------------------------------------------

/** A record's status and attachments (link checks: the agency comes from the link's slug). */
export async function findRecordStatus(
  db: DbOrTx,
  agencyId: string,
  recordId: string,
): Promise<{ agency_id: string; status: RecordRow["status"]; attachment_ids: string[] } | undefined> {
  return db
    .selectFrom("records")
    .select(["agency_id", "status", "attachment_ids"])
    .where("agency_id", "=", agencyId)
    .where("id", "=", recordId)
    .executeTakeFirst();
}

/** Published documents of an agency (pick lists: 政策解读 links, 替代文件), newest first. */
export async function publishedDocumentOptions(
  db: DbOrTx,
  agencyId: string,
  limit = 300,
): Promise<{ id: string; title: string; indexNo: string | null }[]> {
  const rows = await db
    .selectFrom("records")
    .select(["id", "title", "index_no"])
    .where("agency_id", "=", agencyId)
    .where("status", "=", PUBLISHED)
    .where("kind", "=", "document")
    .orderBy("published_date", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, indexNo: r.index_no }));
}

/** Published records whose due date was provisional (computed before the year's holiday notice). */
export async function provisionalDueRecords(db: DbOrTx, agencyIds: string[] | null): Promise<RecordRow[]> {
  let q = db
    .selectFrom("records")
    .selectAll()
    .where("due_provisional", "=", true)
    .where("status", "!=", "draft");
  if (agencyIds !== null)
    q = agencyIds.length ? q.where("agency_id", "in", agencyIds) : q.where(sql<boolean>`false`);
  return q.execute();
}

/** Of the given departments, those a record (any status) belongs to (deps.departmentUses). */
export const departmentsWithRecords = departmentRefs("records");
