/**
 * @module The agencies feature's public reads of regions for other features (the reports feature's compiled
 * government report): one region by id, and the agencies of a region's whole subtree. SQL on agencies' own tables.
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
