/**
 * @module The agencies feature's public reads for other features, beyond agency.service.ts: one region by id, the
 * agencies of a region's whole subtree (compiled government reports), a region subtree's ids (supervisors' scope)
 * and the active departments (股室) of agencies (role-scope pickers, assignment lists), region chains and names (the
 * calendar's regional overrides: one recursive query each, the calendar is resolved on hot paths), and the agency
 * of a slug as a sub-select another feature's statement embeds (a public page that finds its agency and its data in
 * one round trip). SQL on agencies' own tables.
 */
import { type RawBuilder, sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import { isUuid } from "../shared/ids.ts";
import type { Agency } from "./agency.service.ts";

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

/** The agency's region and its ancestors, root first; empty when the agency does not exist. */
export async function regionChainOfAgency(db: DbOrTx, agencyId: string): Promise<string[]> {
  const result = await sql<{ id: string; depth: number }>`
    WITH RECURSIVE chain AS (
      SELECT r.id, r.parent_id, 0 AS depth
      FROM agencies a JOIN regions r ON r.id = a.region_id
      WHERE a.id = ${agencyId}
      UNION ALL
      SELECT p.id, p.parent_id, c.depth + 1 FROM regions p JOIN chain c ON p.id = c.parent_id
      WHERE c.depth < 20
    )
    SELECT id, depth FROM chain ORDER BY depth DESC`.execute(db);
  return result.rows.map((r) => r.id);
}

/** The region and its ancestors, root first; empty when the region does not exist. */
export async function regionChain(db: DbOrTx, regionId: string): Promise<string[]> {
  const result = await sql<{ id: string; depth: number }>`
    WITH RECURSIVE chain AS (
      SELECT id, parent_id, 0 AS depth FROM regions WHERE id = ${regionId}
      UNION ALL
      SELECT p.id, p.parent_id, c.depth + 1 FROM regions p JOIN chain c ON p.id = c.parent_id
      WHERE c.depth < 20
    )
    SELECT id, depth FROM chain ORDER BY depth DESC`.execute(db);
  return result.rows.map((r) => r.id);
}

/** Agencies in the region or any of its sub-regions. */
export async function agencyIdsInRegionTree(db: DbOrTx, regionId: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    WITH RECURSIVE tree AS (
      SELECT id, 0 AS depth FROM regions WHERE id = ${regionId}
      UNION ALL
      SELECT r.id, t.depth + 1 FROM regions r JOIN tree t ON r.parent_id = t.id WHERE t.depth < 20
    )
    SELECT a.id FROM agencies a JOIN tree t ON a.region_id = t.id ORDER BY a.id`.execute(db);
  return result.rows.map((r) => r.id);
}

export async function listRegionNames(
  db: DbOrTx,
): Promise<{ id: string; name: string; parentId: string | null }[]> {
  const rows = await db.selectFrom("regions").select(["id", "name", "parent_id"]).orderBy("name").execute();
  return rows.map((r) => ({ id: r.id, name: r.name, parentId: r.parent_id }));
}

// ----- Agencies and departments for the publishing feature ----------------------------------------------------

export interface AgencyInfo {
  id: string;
  slug: string;
  name: string;
  creditCode: string | null;
  orgCode: string | null;
  regionId: string;
}

export async function findAgencyInfo(db: DbOrTx, agencyId: string): Promise<AgencyInfo | undefined> {
  const row = await db
    .selectFrom("agencies")
    .select(["id", "slug", "name", "credit_code", "org_code", "region_id"])
    .where("id", "=", agencyId)
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        slug: row.slug,
        name: row.name,
        creditCode: row.credit_code,
        orgCode: row.org_code,
        regionId: row.region_id,
      }
    : undefined;
}

export async function departmentExists(db: DbOrTx, agencyId: string, departmentId: string): Promise<boolean> {
  const row = await db
    .selectFrom("departments")
    .select("id")
    .where("agency_id", "=", agencyId)
    .where("id", "=", departmentId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Active departments of an agency, by sort order and name (pick lists, compliance views). */
export async function listDepartmentNames(
  db: DbOrTx,
  agencyId: string,
): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom("departments")
    .select(["id", "name"])
    .where("agency_id", "=", agencyId)
    .where("active", "=", true)
    .orderBy("sort_order")
    .orderBy("name")
    .execute();
}

export interface AgencyRefRow {
  id: string;
  slug: string;
  name: string;
  regionId: string;
}

export async function listAgencyRefs(db: DbOrTx): Promise<AgencyRefRow[]> {
  const rows = await db
    .selectFrom("agencies")
    .select(["id", "slug", "name", "region_id"])
    .orderBy("name")
    .execute();
  return rows.map((r) => ({ id: r.id, slug: r.slug, name: r.name, regionId: r.region_id }));
}

/** The id of the agency with this slug (links across agencies). */
export async function agencyIdBySlug(db: DbOrTx, slug: string): Promise<string | undefined> {
  const row = await db.selectFrom("agencies").select("id").where("slug", "=", slug).executeTakeFirst();
  return row?.id;
}

/** The columns `agencyBySlugSql` selects (an agency row with every column prefixed `ag_`, a prefix no other table's column has). */
export interface AgencyColumns {
  ag_id: string;
  ag_slug: string;
  ag_name: string;
  ag_short_name: string;
  ag_credit_code: string | null;
  ag_org_code: string | null;
  ag_region_id: string;
}

/**
 * A sub-select for another feature's statement (`FROM (…) AS ag`): the agency of `slug` as `AgencyColumns`, no row
 * when there is none; `agencyOfColumns` reads them back.
 */
export function agencyBySlugSql(slug: string): RawBuilder<AgencyColumns> {
  return sql<AgencyColumns>`SELECT a.id AS ag_id, a.slug AS ag_slug, a.name AS ag_name,
      a.short_name AS ag_short_name, a.credit_code AS ag_credit_code, a.org_code AS ag_org_code,
      a.region_id AS ag_region_id
    FROM agencies a WHERE a.slug = ${slug}`;
}

/** The agency of a row holding `AgencyColumns` (see agencyRowToAgency). */
export function agencyOfColumns(row: AgencyColumns): Agency {
  return {
    id: row.ag_id,
    slug: row.ag_slug,
    name: row.ag_name,
    shortName: row.ag_short_name,
    creditCode: row.ag_credit_code,
    orgCode: row.ag_org_code,
    regionId: row.ag_region_id,
  };
}
