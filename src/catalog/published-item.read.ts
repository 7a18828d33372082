/**
 * @module The catalog's public read of one item of an agency's published catalog by stable key (the record page's
 * 目录事项 link and breadcrumb), without loading the whole tree: a scalar sub-select another feature's statement
 * embeds (publishing's record page reads the record and its item's name in one round trip).
 * SQL on the catalog's own tables.
 */
import { type RawBuilder, sql } from "kysely";

/**
 * A scalar sub-select: the name of the item `stableKey` in the agency's newest published catalog version (NULL if
 * none). `agencyId` and `stableKey` are SQL expressions (values or column references of the embedding statement).
 */
export function publishedItemNameSql(
  agencyId: RawBuilder<unknown>,
  stableKey: RawBuilder<unknown>,
): RawBuilder<string | null> {
  return sql<string | null>`(SELECT i.name FROM catalog_items i
    WHERE i.agency_id = ${agencyId} AND i.stable_key = ${stableKey}
      AND i.version_id = (SELECT v.id FROM catalog_versions v WHERE v.agency_id = ${agencyId} AND v.status = 'published'
                           ORDER BY v.version_no DESC LIMIT 1)
    LIMIT 1)`;
}
