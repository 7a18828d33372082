/**
 * @module SQL for records and everything hanging off them. Plain functions, database (or transaction) first.
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import type {
  DutyNoticeRow,
  NewRecordRow,
  PublishingSettingsRow,
  RecordAttachmentRow,
  RecordChannelRow,
  RecordEventRow,
  RecordObligationRow,
  RecordRevisionRow,
  RecordRow,
  RecordUpdate,
  RevisionStatus,
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

export async function listPublishedRows(
  db: DbOrTx,
  f: { agencyId: string; itemStableKey?: string | undefined; limit: number; offset: number },
): Promise<{ rows: RecordRow[]; total: number }> {
  let q = db.selectFrom("records").where("agency_id", "=", f.agencyId).where("status", "=", "published");
  if (f.itemStableKey) q = q.where("item_stable_key", "=", f.itemStableKey);
  const [rows, count] = await Promise.all([
    q
      .selectAll()
      .orderBy("published_date", "desc")
      .orderBy("first_published_at", "desc")
      .orderBy("id")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
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

export async function lockObligation(
  db: DbOrTx,
  agencyId: string,
  id: string,
): Promise<RecordObligationRow | undefined> {
  return db
    .selectFrom("record_obligations")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
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
    .where("r.status", "=", "published")
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

export async function markNoticeRead(db: DbOrTx, agencyId: string, id: string, at: Date): Promise<void> {
  await db
    .updateTable("duty_notices")
    .set({ read_at: at })
    .where("agency_id", "=", agencyId)
    .where("id", "=", id)
    .where("read_at", "is", null)
    .execute();
}

export async function markNoticeEmailed(db: DbOrTx, agencyId: string, id: string, at: Date): Promise<void> {
  await db
    .updateTable("duty_notices")
    .set({ emailed_at: at })
    .where("agency_id", "=", agencyId)
    .where("id", "=", id)
    .execute();
}

// ----- agencies and departments (read-only; platform tables) ---------------------------------------------------

export interface AgencyInfo {
  id: string;
  slug: string;
  name: string;
  creditCode: string | null;
  orgCode: string | null;
  regionId: string;
}

export async function findAgencyInfo(db: DbOrTx, agencyId: string): Promise<AgencyInfo | undefined> {
  const row = await db
    .selectFrom("agencies")
    .select(["id", "slug", "name", "credit_code", "org_code", "region_id"])
    .where("id", "=", agencyId)
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        slug: row.slug,
        name: row.name,
        creditCode: row.credit_code,
        orgCode: row.org_code,
        regionId: row.region_id,
      }
    : undefined;
}

export async function departmentExists(db: DbOrTx, agencyId: string, departmentId: string): Promise<boolean> {
  const row = await db
    .selectFrom("departments")
    .select("id")
    .where("agency_id", "=", agencyId)
    .where("id", "=", departmentId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listDepartmentNames(
  db: DbOrTx,
  agencyId: string,
): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom("departments")
    .select(["id", "name"])
    .where("agency_id", "=", agencyId)
    .where("active", "=", true)
    .orderBy("sort_order")
    .orderBy("name")
    .execute();
}

// ----- compliance ---------------------------------------------------------------------------------------------

export interface ComplianceRecordRow {
  id: string;
  title: string;
  status: RecordRow["status"];
  workflow_status: RevisionStatus;
  department_id: string | null;
  item_stable_key: string | null;
  published_date: string | null;
  late: boolean | null;
  due_date: string | null;
  latest_revision_no: number;
}

export async function complianceRecordRows(db: DbOrTx, agencyId: string): Promise<ComplianceRecordRow[]> {
  return db
    .selectFrom("records")
    .select([
      "id",
      "title",
      "status",
      "workflow_status",
      "department_id",
      "item_stable_key",
      "published_date",
      "late",
      "due_date",
      "latest_revision_no",
    ])
    .where("agency_id", "=", agencyId)
    .execute();
}

/** Content of the latest revision of each of these records. */
export async function latestRevisions(
  db: DbOrTx,
  agencyId: string,
  records: { id: string; latest_revision_no: number }[],
): Promise<RecordRevisionRow[]> {
  if (records.length === 0) return [];
  return db
    .selectFrom("record_revisions as v")
    .innerJoin("records as r", (j) =>
      j
        .onRef("r.agency_id", "=", "v.agency_id")
        .onRef("r.id", "=", "v.record_id")
        .onRef("r.latest_revision_no", "=", "v.revision_no"),
    )
    .selectAll("v")
    .where("v.agency_id", "=", agencyId)
    .where(
      "v.record_id",
      "in",
      records.map((r) => r.id),
    )
    .execute();
}

export async function publishedBodies(
  db: DbOrTx,
  agencyId: string,
): Promise<{ id: string; title: string; body_html: string; department_id: string | null }[]> {
  return db
    .selectFrom("records")
    .select(["id", "title", "body_html", "department_id"])
    .where("agency_id", "=", agencyId)
    .where("status", "=", "published")
    .where("body_html", "like", "%<%")
    .execute();
}

/** A record by agency slug (for link checks across agencies). */
export async function findRecordBySlug(
  db: DbOrTx,
  slug: string,
  recordId: string,
): Promise<{ agency_id: string; status: RecordRow["status"]; attachment_ids: string[] } | undefined> {
  return db
    .selectFrom("records as r")
    .innerJoin("agencies as a", "a.id", "r.agency_id")
    .select(["r.agency_id", "r.status", "r.attachment_ids"])
    .where("a.slug", "=", slug)
    .where("r.id", "=", recordId)
    .executeTakeFirst();
}

export interface AgencyRefRow {
  id: string;
  slug: string;
  name: string;
  regionId: string;
}

export async function listAgencyRefs(db: DbOrTx): Promise<AgencyRefRow[]> {
  const rows = await db
    .selectFrom("agencies")
    .select(["id", "slug", "name", "region_id"])
    .orderBy("name")
    .execute();
  return rows.map((r) => ({ id: r.id, slug: r.slug, name: r.name, regionId: r.region_id }));
}

/** Display names of staff users (for workflow history). */
export async function userNames(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .selectFrom("staff_users")
    .select(["id", "display_name"])
    .where("id", "in", unique)
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
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
    .where("status", "=", "published")
    .where("kind", "=", "document")
    .orderBy("published_date", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, indexNo: r.index_no }));
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
