/**
 * @module The catalog's public read of one item of an agency's published catalog by stable key (the record page's
 * 目录事项 link and breadcrumb), without loading the whole tree. SQL on the catalog's own tables.
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";

/** Name of the item with this stable key in the agency's published catalog version, or undefined. */
export async function findPublishedItemName(
  db: DbOrTx,
  agencyId: string,
  stableKey: string,
): Promise<{ stableKey: string; name: string } | undefined> {
  const { rows } = await sql<{ name: string }>`
    SELECT i.name FROM catalog_items i
    WHERE i.agency_id = ${agencyId} AND i.stable_key = ${stableKey}
      AND i.version_id = (SELECT v.id FROM catalog_versions v WHERE v.agency_id = ${agencyId} AND v.status = 'published'
                           ORDER BY v.version_no DESC LIMIT 1)
    LIMIT 1`.execute(db);
  return rows[0] ? { stableKey, name: rows[0].name } : undefined;
}
