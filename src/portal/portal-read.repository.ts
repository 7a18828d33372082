/**
 * @module Read-only SQL of the portal's record page and the open-data API's record lookup. Lists, counts and the
 * sitemap come from publishing's read module (src/publishing/published.read.ts), which defines "published".
 */
import type { DbOrTx } from "../db/database.ts";

// ----- Published records (the same predicate and order as publishing's listPublishedRows) -------------------

export async function findPublishedRecordRow(db: DbOrTx, agencyId: string, id: string) {
  return db
    .selectFrom("records")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("id", "=", id)
    .where("status", "=", "published")
    .executeTakeFirst();
}

/** The agency of a published record, found by its id alone (ids are UUIDs, unique in practice). */
export async function findPublishedRecordAgency(db: DbOrTx, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("records")
    .select("agency_id")
    .where("id", "=", id)
    .where("status", "=", "published")
    .executeTakeFirst();
  return row?.agency_id;
}
