/**
 * @module Read-only SQL the portal needs beyond other features' services: counts and lists of published records
 * for feeds, the sitemap and the open-data API. Published = records.status = 'published' (as publishing's
 * listPublishedRows).
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";

/** Published records per catalog item (by stable key, which survives catalog versions). */
export async function countPublishedByItem(db: DbOrTx, agencyId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("records")
    .select(["item_stable_key", (eb) => eb.fn.countAll<number>().as("n")])
    .where("agency_id", "=", agencyId)
    .where("status", "=", "published")
    .where("item_stable_key", "is not", null)
    .groupBy("item_stable_key")
    .execute();
  return new Map(rows.map((r) => [r.item_stable_key as string, Number(r.n)]));
}

export interface SitemapRow {
  agency_slug: string;
  id: string;
  revised_date: string | null;
  published_date: string | null;
}

/** Every published record's URL data (sitemap). */
export async function listSitemapRecords(db: DbOrTx, limit: number): Promise<SitemapRow[]> {
  return db
    .selectFrom("records as r")
    .innerJoin("agencies as a", "a.id", "r.agency_id")
    .select(["a.slug as agency_slug", "r.id", "r.revised_date", "r.published_date"])
    .where("r.status", "=", "published")
    .orderBy("r.published_date", "desc")
    .orderBy("r.id")
    .limit(limit)
    .execute();
}

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

export async function listPublishedRecordRows(
  db: DbOrTx,
  f: { agencyId?: string | undefined; itemStableKeys?: string[] | undefined; limit: number; offset: number },
) {
  let q = db.selectFrom("records").where("status", "=", "published");
  if (f.agencyId) q = q.where("agency_id", "=", f.agencyId);
  if (f.itemStableKeys)
    q = f.itemStableKeys.length
      ? q.where("item_stable_key", "in", f.itemStableKeys)
      : q.where(sql<boolean>`false`);
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
