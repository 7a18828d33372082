/**
 * @module SQL for applications (依申请公开): the application rows (numbering, reading, locking, listing, similarity),
 * notice templates and settings, annual statistics (table 三 and 四), retention and cached due dates. Plain functions
 * taking the database (or a transaction) first. The rows attached to an application are in
 * request-steps.repository.ts.
 */
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from "kysely";
import type { Database, DbOrTx } from "../db/database.ts";
import { departmentRefs } from "../db/department-refs.ts";
import { isUuid } from "../shared/ids.ts";
import type {
  CaseRow,
  InfoRequestRow,
  InfoRequestTable,
  InfoRequestUpdate,
  NewInfoRequestRow,
  SettingsRow,
  TemplateRow,
} from "./info-request.table.ts";

/** Next value of a per-agency, per-year counter (申请编号, notice numbers). Concurrency-safe (row upsert). */
export async function nextCounter(db: DbOrTx, agencyId: string, name: string, year: number): Promise<number> {
  const row = await db
    .insertInto("info_request_counters")
    .values({ agency_id: agencyId, name, year, last: 1 })
    .onConflict((oc) =>
      oc
        .columns(["agency_id", "name", "year"])
        .doUpdateSet({ last: sql<number>`info_request_counters.last + 1` }),
    )
    .returning("last")
    .executeTakeFirstOrThrow();
  return row.last;
}

export async function insertInfoRequest(db: DbOrTx, row: NewInfoRequestRow): Promise<InfoRequestRow> {
  return db.insertInto("info_requests").values(row).returningAll().executeTakeFirstOrThrow();
}

function selectInfoRequest(db: DbOrTx, agencyId: string, id: string) {
  return db.selectFrom("info_requests").selectAll().where("agency_id", "=", agencyId).where("id", "=", id);
}

export async function findInfoRequest(
  db: DbOrTx,
  agencyId: string,
  id: string,
): Promise<InfoRequestRow | undefined> {
  if (!isUuid(id)) return undefined;
  return selectInfoRequest(db, agencyId, id).executeTakeFirst();
}

/** Locks the row for the duration of the transaction. */
export async function lockInfoRequest(
  db: DbOrTx,
  agencyId: string,
  id: string,
): Promise<InfoRequestRow | undefined> {
  if (!isUuid(id)) return undefined;
  return selectInfoRequest(db, agencyId, id).forUpdate().executeTakeFirst();
}

export async function findByQueryCode(db: DbOrTx, code: string): Promise<InfoRequestRow[]> {
  return db.selectFrom("info_requests").selectAll().where("query_code", "=", code).limit(2).execute();
}

/**
 * The applicant's online applications to the agency submitted since `since` and still awaiting confirmation (a
 * double submission is answered with the first). Serialised per agency and applicant by a transaction-scoped
 * advisory lock, so two concurrent submissions (a double click) cannot both miss each other.
 */
export async function recentOnlineApplications(
  db: DbOrTx,
  agencyId: string,
  applicantKey: string,
  since: Date,
): Promise<InfoRequestRow[]> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${agencyId}), hashtext(${applicantKey}))`.execute(db);
  return db
    .selectFrom("info_requests")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("applicant_key", "=", applicantKey)
    .where("channel", "=", "online")
    .where("status", "=", "awaiting_confirmation")
    .where("submitted_at", ">=", since)
    .orderBy("submitted_at")
    .execute();
}

export async function queryCodeExists(db: DbOrTx, code: string): Promise<boolean> {
  const row = await db
    .selectFrom("info_requests")
    .select("id")
    .where("query_code", "=", code)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Optimistic locking: updates only when the row still has `expectedVersion`, bumping the version.
 * Returns undefined when another change got there first.
 */
export async function updateInfoRequest(
  db: DbOrTx,
  agencyId: string,
  id: string,
  expectedVersion: number,
  patch: InfoRequestUpdate,
): Promise<InfoRequestRow | undefined> {
  return db
    .updateTable("info_requests")
    .set({ ...patch, version: sql<number>`version + 1`, updated_at: new Date() })
    .where("agency_id", "=", agencyId)
    .where("id", "=", id)
    .where("version", "=", expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

export interface ListFilter {
  statuses?: string[];
  departmentId?: string;
  channel?: string;
  /** Number, query code or words of the title (never personal data). */
  text?: string;
  dueBefore?: string;
  receivedFrom?: string;
  receivedTo?: string;
  open?: boolean;
  /** Only these applications (e.g. those with a late 补正 notice). */
  ids?: readonly string[];
  limit?: number;
  offset?: number;
}

/** The WHERE clause of a list filter over `info_requests as r` (the list and its count, so the total matches the pages). */
function listWhere(agencyId: string, f: ListFilter) {
  return (eb: ExpressionBuilder<Database & { r: InfoRequestTable }, "r">) => {
    const and: Expression<SqlBool>[] = [eb("r.agency_id", "=", agencyId)];
    if (f.statuses?.length) and.push(eb("r.status", "in", f.statuses as InfoRequestRow["status"][]));
    if (f.open) and.push(eb("r.status", "not in", ["concluded", "archived"]));
    if (f.departmentId) and.push(eb("r.department_id", "=", f.departmentId));
    if (f.channel) and.push(eb("r.channel", "=", f.channel as InfoRequestRow["channel"]));
    if (f.dueBefore) and.push(eb("r.next_due_on", "<=", f.dueBefore));
    if (f.receivedFrom) and.push(eb("r.received_on", ">=", f.receivedFrom));
    if (f.receivedTo) and.push(eb("r.received_on", "<=", f.receivedTo));
    if (f.ids) and.push(f.ids.length ? eb("r.id", "in", [...f.ids]) : sql<SqlBool>`false`);
    if (f.text) {
      const t = f.text;
      and.push(
        eb.or([
          eb("r.number", "=", t),
          eb("r.query_code", "=", t.toUpperCase().replace(/[\s-]/g, "")),
          eb(sql<number>`strpos(r.info_title, ${t})`, ">", 0),
        ]),
      );
    }
    return eb.and(and);
  };
}

export async function listInfoRequests(
  db: DbOrTx,
  agencyId: string,
  f: ListFilter,
): Promise<(InfoRequestRow & { has_similar: boolean })[]> {
  // 条例第44条 flag: another application of the agency with a similar title/description (pg_trgm `%`, GIN index).
  const q = db
    .selectFrom("info_requests as r")
    .selectAll("r")
    .select(
      sql<boolean>`exists (SELECT 1 FROM info_requests o WHERE o.agency_id = r.agency_id AND o.id <> r.id
        AND (o.info_title || ' ' || coalesce(o.info_description, '')) % (r.info_title || ' ' || coalesce(r.info_description, '')))`.as(
        "has_similar",
      ),
    );
  // The id last: a total order, so consecutive pages neither repeat nor skip rows that tie on the dates.
  return q
    .where(listWhere(agencyId, f))
    .orderBy(sql`next_due_on ASC NULLS LAST`)
    .orderBy("submitted_at", "desc")
    .orderBy("id")
    .limit(f.limit ?? 200)
    .offset(f.offset ?? 0)
    .execute();
}

/** How many applications a list filter matches (limit and offset ignored). */
export async function countInfoRequests(db: DbOrTx, agencyId: string, f: ListFilter): Promise<number> {
  const row = await db
    .selectFrom("info_requests as r")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where(listWhere(agencyId, f))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every open application of an agency with a due date (ICS feed, reminders). */
export async function listOpenWithDue(db: DbOrTx, agencyId: string): Promise<InfoRequestRow[]> {
  return db
    .selectFrom("info_requests")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("status", "not in", ["concluded", "archived"])
    .orderBy("next_due_on")
    .execute();
}

/** 按件 (109号): how many applications this applicant had received in the month before this one. */
export async function countApplicantEarlierInMonth(
  db: DbOrTx,
  agencyId: string,
  applicantKey: string,
  monthStart: string,
  monthEnd: string,
  before: { receivedOn: string; number: string },
): Promise<number> {
  const row = await db
    .selectFrom("info_requests")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("agency_id", "=", agencyId)
    .where("applicant_key", "=", applicantKey)
    .where("received_on", ">=", monthStart)
    .where("received_on", "<=", monthEnd)
    .where((eb) =>
      eb.or([
        eb("received_on", "<", before.receivedOn),
        eb.and([eb("received_on", "=", before.receivedOn), eb("number", "<", before.number)]),
      ]),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Applications by the same applicant (条例第35条 volume, 第36条(六) repeats). */
export async function countByApplicantSince(
  db: DbOrTx,
  agencyId: string,
  applicantKey: string,
  since: string,
): Promise<number> {
  const row = await db
    .selectFrom("info_requests")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("agency_id", "=", agencyId)
    .where("applicant_key", "=", applicantKey)
    .where("submitted_on", ">=", since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface SimilarRow {
  id: string;
  number: string;
  info_title: string;
  status: InfoRequestRow["status"];
  outcome: InfoRequestRow["outcome"];
  received_on: string | null;
  catalog_item_id: string | null;
  same_applicant: boolean;
  similarity: number;
}

/** 条例第44条: applications of the agency whose title and description are similar (pg_trgm). */
export async function findSimilar(
  db: DbOrTx,
  agencyId: string,
  excludeId: string | null,
  text: string,
  applicantKey: string | null,
  options: { threshold: number; limit: number },
): Promise<SimilarRow[]> {
  const doc = sql<string>`(info_title || ' ' || coalesce(info_description, ''))`;
  let q = db
    .selectFrom("info_requests")
    .select([
      "id",
      "number",
      "info_title",
      "status",
      "outcome",
      "received_on",
      "catalog_item_id",
      sql<boolean>`applicant_key = ${applicantKey ?? ""}`.as("same_applicant"),
      sql<number>`similarity(${doc}, ${text})`.as("similarity"),
    ])
    .where("agency_id", "=", agencyId)
    .where(sql<boolean>`similarity(${doc}, ${text}) >= ${options.threshold}`);
  if (excludeId) q = q.where("id", "<>", excludeId);
  return q.orderBy(sql`similarity(${doc}, ${text})`, "desc").limit(options.limit).execute() as Promise<
    SimilarRow[]
  >;
}

// ---------------------------------------------------------------------------------------------------------------
// Templates and settings
// ---------------------------------------------------------------------------------------------------------------

export async function listTemplates(db: DbOrTx, agencyId: string): Promise<TemplateRow[]> {
  return db.selectFrom("info_request_templates").selectAll().where("agency_id", "=", agencyId).execute();
}

export async function upsertTemplate(
  db: DbOrTx,
  row: { agency_id: string; kind: string; body: string; updated_by: string | null },
): Promise<void> {
  await db
    .insertInto("info_request_templates")
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(["agency_id", "kind"])
        .doUpdateSet({ body: row.body, updated_by: row.updated_by, updated_at: new Date() }),
    )
    .execute();
}

export async function deleteTemplate(db: DbOrTx, agencyId: string, kind: string): Promise<void> {
  await db
    .deleteFrom("info_request_templates")
    .where("agency_id", "=", agencyId)
    .where("kind", "=", kind)
    .execute();
}

export async function findSettings(db: DbOrTx, agencyId: string): Promise<SettingsRow | undefined> {
  return db
    .selectFrom("info_request_settings")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .executeTakeFirst();
}

export async function upsertSettings(
  db: DbOrTx,
  agencyId: string,
  values: Omit<SettingsRow, "agency_id" | "updated_at">,
): Promise<void> {
  await db
    .insertInto("info_request_settings")
    .values({ agency_id: agencyId, ...values })
    .onConflict((oc) => oc.column("agency_id").doUpdateSet({ ...values, updated_at: new Date() }))
    .execute();
}

// ---------------------------------------------------------------------------------------------------------------
// Annual statistics (table 三 and 四) and retention
// ---------------------------------------------------------------------------------------------------------------

/** An agency's applications counted by applicant type (the columns of table 三); callers add the conditions. */
function countByApplicantType(db: DbOrTx, agencyId: string) {
  return db
    .selectFrom("info_requests")
    .select(["applicant_type", (eb) => eb.fn.countAll<number>().as("n")])
    .where("agency_id", "=", agencyId)
    .groupBy("applicant_type");
}

export async function countReceived(
  db: DbOrTx,
  agencyId: string,
  from: string,
  to: string,
): Promise<{ applicant_type: string; n: number }[]> {
  return countByApplicantType(db, agencyId)
    .where("received_on", ">=", from)
    .where("received_on", "<=", to)
    .execute();
}

/** Received on or before `day` and not concluded on or before it (still open at the end of `day`). */
export async function countOpenAt(
  db: DbOrTx,
  agencyId: string,
  day: string,
): Promise<{ applicant_type: string; n: number }[]> {
  return countByApplicantType(db, agencyId)
    .where("received_on", "<=", day)
    .where((eb) => eb.or([eb("concluded_on", "is", null), eb("concluded_on", ">", day)]))
    .execute();
}

export async function countConcluded(
  db: DbOrTx,
  agencyId: string,
  from: string,
  to: string,
): Promise<{ applicant_type: string; outcome: string; n: number }[]> {
  return db
    .selectFrom("info_requests")
    .select(["applicant_type", "outcome", (eb) => eb.fn.countAll<number>().as("n")])
    .where("agency_id", "=", agencyId)
    .where("received_on", "is not", null)
    .where("concluded_on", ">=", from)
    .where("concluded_on", "<=", to)
    .groupBy(["applicant_type", "outcome"])
    .execute() as Promise<{ applicant_type: string; outcome: string; n: number }[]>;
}

export async function listCasesForYear(db: DbOrTx, agencyId: string, yearEnd: string): Promise<CaseRow[]> {
  return db
    .selectFrom("info_request_cases")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("filed_on", "<=", yearEnd)
    .execute();
}

export async function feeTotals(
  db: DbOrTx,
  agencyId: string,
  from: string,
  to: string,
): Promise<{ notices: number; notified: number; collected: number }> {
  const row = await db
    .selectFrom("info_requests")
    .select([
      sql<number>`count(*) FILTER (WHERE fee_served_on BETWEEN ${from} AND ${to})::int`.as("notices"),
      sql<number>`coalesce(sum(fee_amount) FILTER (WHERE fee_served_on BETWEEN ${from} AND ${to}), 0)::int`.as(
        "notified",
      ),
      sql<number>`coalesce(sum(fee_paid_amount) FILTER (WHERE fee_paid_on BETWEEN ${from} AND ${to}), 0)::int`.as(
        "collected",
      ),
    ])
    .where("agency_id", "=", agencyId)
    .executeTakeFirstOrThrow();
  return { notices: Number(row.notices), notified: Number(row.notified), collected: Number(row.collected) };
}

/** Archived applications whose retention period has passed and whose personal data is still stored. */
export async function listPurgeable(
  db: DbOrTx,
  today: string,
): Promise<{ agency_id: string; id: string; number: string }[]> {
  return db
    .selectFrom("info_requests as r")
    .leftJoin("info_request_settings as s", "s.agency_id", "r.agency_id")
    .select(["r.agency_id", "r.id", "r.number"])
    .where("r.status", "=", "archived")
    .where("r.personal_enc", "is not", null)
    .where(
      sql<boolean>`r.archived_on + make_interval(years => coalesce(s.retention_years, 10)) <= ${today}::date`,
    )
    .execute();
}

/** Open, received applications (of some agencies, or all) for recomputing cached due dates. */
export async function listOpenReceived(db: DbOrTx, agencyIds: string[] | null): Promise<InfoRequestRow[]> {
  let q = db
    .selectFrom("info_requests")
    .selectAll()
    .where("status", "not in", ["concluded", "archived", "awaiting_confirmation"]);
  if (agencyIds) {
    if (agencyIds.length === 0) return [];
    q = q.where("agency_id", "in", agencyIds);
  }
  return q.execute();
}

/** Updates the cached next due date only (not a change of the application: no version bump). */
export async function setNextDue(
  db: DbOrTx,
  agencyId: string,
  id: string,
  next: { due: string | null; kind: string | null },
): Promise<void> {
  await db
    .updateTable("info_requests")
    .set({ next_due_on: next.due, next_due_kind: next.kind })
    .where("agency_id", "=", agencyId)
    .where("id", "=", id)
    .execute();
}

/** Of the given departments, those an application is assigned to (deps.departmentUses). */
export const departmentsWithRequests = departmentRefs("info_requests");
