/**
 * @module The agencies feature's public reads for other features, beyond agency.service.ts: one region by id, the
 * agencies of a region's whole subtree (compiled government reports), a region subtree's ids (supervisors' scope)
 * and the active departments (股室) of agencies (role-scope pickers, assignment lists). SQL on agencies' own tables.
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import { isUuid } from "../shared/ids.ts";

export interface RegionRef {
  id: string;
  name: string;
}

/** A region by id (undefined for an unknown or malformed id). */
export async function findRegion(db: DbOrTx, regionId: string): Promise<RegionRef | undefined> {
  if (!isUuid(regionId)) return undefined;
  return db.selectFrom("regions").select(["id", "name"]).where("id", "=", regionId).executeTakeFirst();
}

/**
 * The agencies of a region and of all its sub-regions (recursive over regions.parent_id), by name: a government's
 * compiled report covers its departments and the governments below it.
 */
export async function agenciesInRegionTree(
  db: DbOrTx,
  regionId: string,
): Promise<{ id: string; name: string; region_id: string }[]> {
  const result = await sql<{ id: string; name: string; region_id: string }>`
    WITH RECURSIVE tree(id) AS (
      SELECT id FROM regions WHERE id = ${regionId}
      UNION
      SELECT r.id FROM regions r JOIN tree t ON r.parent_id = t.id
    )
    SELECT a.id, a.name, a.region_id
    FROM agencies a JOIN tree t ON a.region_id = t.id
    ORDER BY a.name, a.id`.execute(db);
  return result.rows;
}

/** The regions `regionIds` and all of their descendants (ids). */
export async function regionWithDescendants(db: DbOrTx, regionIds: string[]): Promise<string[]> {
  if (regionIds.length === 0) return [];
  const { rows } = await sql<{ id: string }>`
    WITH RECURSIVE tree AS (
      SELECT id FROM regions WHERE id = ANY(${regionIds}::uuid[])
      UNION
      SELECT r.id FROM regions r JOIN tree t ON r.parent_id = t.id
    )
    SELECT id FROM tree`.execute(db);
  return rows.map((r) => r.id);
}

/** Active departments (股室), of every agency or of the agencies `agencyIds`, by agency and sort order. */
export async function activeDepartments(
  db: DbOrTx,
  agencyIds?: readonly string[],
): Promise<{ id: string; agencyId: string; name: string }[]> {
  if (agencyIds?.length === 0) return [];
  let q = db
    .selectFrom("departments")
    .select(["id", "agency_id", "name"])
    .where("active", "=", true)
    .orderBy("agency_id")
    .orderBy("sort_order");
  if (agencyIds) q = q.where("agency_id", "in", agencyIds);
  const rows = await q.execute();
  return rows.map((d) => ({ id: d.id, agencyId: d.agency_id, name: d.name }));
}
