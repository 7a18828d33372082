/**
 * @module SQL for regions, agencies and departments. Plain functions taking the database (or a transaction) first.
 */
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
 * Of the given department ids, those created at or after `since`, locked FOR UPDATE: until the transaction ends no
 * row can start referring to them (a foreign-key check takes a share lock on the department).
 */
export async function lockDepartmentsCreatedSince(
  db: DbOrTx,
  agencyId: string,
  ids: readonly string[],
  since: Date,
): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("departments")
    .select("id")
    .where("agency_id", "=", agencyId)
    .where("id", "in", [...ids])
    .where("created_at", ">=", since)
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}

export async function deleteDepartments(
  db: DbOrTx,
  agencyId: string,
  ids: readonly string[],
): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await db
    .deleteFrom("departments")
    .where("agency_id", "=", agencyId)
    .where("id", "in", [...ids])
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
