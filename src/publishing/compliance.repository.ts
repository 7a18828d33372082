/**
 * @module SQL for the compliance view: record rows with their deadlines, the latest revisions' content and
 * published bodies. Plain functions, database (or transaction) first.
 */
import type { DbOrTx } from "../db/database.ts";
import { PUBLISHED, type RecordRevisionRow, type RecordRow, type RevisionStatus } from "./record.table.ts";

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
    .where("status", "=", PUBLISHED)
    .where("body_html", "like", "%<%")
    .execute();
}
