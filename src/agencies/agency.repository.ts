/**
 * @module SQL for regions, agencies and departments. Plain functions taking the database (or a transaction) first.
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import type { AgencyRow, DepartmentRow, RegionLevel, RegionRow } from "./agency.table.ts";

export async function findAgencyBySlug(db: DbOrTx, slug: string): Promise<AgencyRow | undefined> {
  return db.selectFrom("agencies").selectAll().where("slug", "=", slug).executeTakeFirst();
}

export async function findAgencyById(db: DbOrTx, id: string): Promise<AgencyRow | undefined> {
  return db.selectFrom("agencies").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findAgenciesByIds(db: DbOrTx, ids: readonly string[]): Promise<AgencyRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom("agencies")
    .selectAll()
    .where("id", "in", [...ids])
    .execute();
}

export async function listAgencies(db: DbOrTx): Promise<AgencyRow[]> {
  return db.selectFrom("agencies").selectAll().orderBy("name").execute();
}

export async function listRegions(db: DbOrTx): Promise<RegionRow[]> {
  return db.selectFrom("regions").selectAll().orderBy("name").execute();
}

export async function findRegionByParentAndName(
  db: DbOrTx,
  parentId: string | null,
  name: string,
): Promise<RegionRow | undefined> {
  let q = db.selectFrom("regions").selectAll().where("name", "=", name);
  q = parentId === null ? q.where("parent_id", "is", null) : q.where("parent_id", "=", parentId);
  return q.executeTakeFirst();
}

export async function insertRegion(
  db: DbOrTx,
  row: { parentId: string | null; name: string; level: RegionLevel; code?: string | null },
): Promise<RegionRow> {
  return db
    .insertInto("regions")
    .values({ parent_id: row.parentId, name: row.name, level: row.level, code: row.code ?? null })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertAgency(
  db: DbOrTx,
  row: {
    slug: string;
    name: string;
    shortName: string;
    regionId: string;
    creditCode?: string | null;
    orgCode?: string | null;
  },
): Promise<AgencyRow> {
  return db
    .insertInto("agencies")
    .values({
      slug: row.slug,
      name: row.name,
      short_name: row.shortName,
      region_id: row.regionId,
      credit_code: row.creditCode ?? null,
      org_code: row.orgCode ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listDepartments(db: DbOrTx, agencyId: string): Promise<DepartmentRow[]> {
  return db
    .selectFrom("departments")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .orderBy("sort_order")
    .orderBy("name")
    .execute();
}

/** Inserts departments that do not exist yet (by name); returns all of the agency's departments. */
export async function ensureDepartments(
  db: DbOrTx,
  agencyId: string,
  names: string[],
): Promise<DepartmentRow[]> {
  if (names.length > 0) {
    await db
      .insertInto("departments")
      .values(names.map((name, i) => ({ agency_id: agencyId, name, sort_order: i })))
      .onConflict((oc) => oc.columns(["agency_id", "name"]).doNothing())
      .execute();
  }
  return listDepartments(db, agencyId);
}

/**
 * Removes departments an import created for a draft that was then discarded: only the given ids, only those created
 * at or after `since` (the draft's creation; older departments are never touched), and only when nothing refers to
 * them any more (catalog items of other versions, records, applications, role grants).
 */
export async function removeUnusedDepartments(
  db: DbOrTx,
  agencyId: string,
  ids: readonly string[],
  since: Date,
): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await sql`
    DELETE FROM departments d
    WHERE d.agency_id = ${agencyId} AND d.id = ANY(${[...ids]}::uuid[]) AND d.created_at >= ${since}
      AND NOT EXISTS (SELECT 1 FROM catalog_item_units u WHERE u.agency_id = d.agency_id AND u.department_id = d.id)
      AND NOT EXISTS (SELECT 1 FROM records r WHERE r.agency_id = d.agency_id AND r.department_id = d.id)
      AND NOT EXISTS (SELECT 1 FROM info_requests q WHERE q.agency_id = d.agency_id AND q.department_id = d.id)
      AND NOT EXISTS (SELECT 1 FROM role_grants g WHERE g.scope_agency_id = d.agency_id AND g.department_id = d.id)`.execute(
    db,
  );
  return Number(r.numAffectedRows ?? 0);
}
