/**
 * @module SQL for catalogs, versions, items, elements, responsible units and pending imports. Plain functions
 * taking the database (or a transaction) first; every query is scoped by agency_id.
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import { departmentRefs } from "../db/department-refs.ts";
import type {
  CatalogElementRow,
  CatalogItemRow,
  CatalogRow,
  CatalogVersionRow,
  CatalogVersionStatus,
  NewCatalogElementRow,
  NewCatalogItemRow,
  UnitRole,
} from "./catalog.table.ts";

const CHUNK = 400;

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

// Catalogs -------------------------------------------------------------------------------------------------------

export async function findCatalog(db: DbOrTx, agencyId: string): Promise<CatalogRow | undefined> {
  return db
    .selectFrom("catalogs")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("kind", "=", "proactive")
    .executeTakeFirst();
}

/** Inserts the agency's catalog unless it exists; returns it (concurrency-safe). */
export async function ensureCatalogRow(db: DbOrTx, agencyId: string, title: string): Promise<CatalogRow> {
  await db
    .insertInto("catalogs")
    .values({ agency_id: agencyId, title })
    .onConflict((oc) => oc.columns(["agency_id", "kind"]).doNothing())
    .execute();
  return (await findCatalog(db, agencyId)) as CatalogRow;
}

/** Serializes changes to one agency's catalog (versions, publishing) for the rest of the transaction. */
export async function lockCatalog(db: DbOrTx, agencyId: string, catalogId: string): Promise<void> {
  await db
    .selectFrom("catalogs")
    .select("id")
    .where("agency_id", "=", agencyId)
    .where("id", "=", catalogId)
    .forUpdate()
    .execute();
}

// Versions -------------------------------------------------------------------------------------------------------

export async function listVersionRows(db: DbOrTx, agencyId: string): Promise<CatalogVersionRow[]> {
  return db
    .selectFrom("catalog_versions")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .orderBy("version_no", "desc")
    .execute();
}

export async function findVersionRow(
  db: DbOrTx,
  agencyId: string,
  versionId: string,
): Promise<CatalogVersionRow | undefined> {
  return db
    .selectFrom("catalog_versions")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("id", "=", versionId)
    .executeTakeFirst();
}

export async function findVersionByStatus(
  db: DbOrTx,
  agencyId: string,
  status: CatalogVersionStatus,
): Promise<CatalogVersionRow | undefined> {
  return db
    .selectFrom("catalog_versions")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("status", "=", status)
    .orderBy("version_no", "desc")
    .executeTakeFirst();
}

export async function nextVersionNo(db: DbOrTx, agencyId: string, catalogId: string): Promise<number> {
  const r = await db
    .selectFrom("catalog_versions")
    .select(sql<number>`coalesce(max(version_no), 0) + 1`.as("n"))
    .where("agency_id", "=", agencyId)
    .where("catalog_id", "=", catalogId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface NewVersion {
  agencyId: string;
  catalogId: string;
  versionNo: number;
  status: CatalogVersionStatus;
  title: string;
  basedOnVersionId: string | null;
  createdBy: string | null;
  header: object;
  source: object;
  publishedAt?: Date | null;
  publishedBy?: string | null;
  note?: string | null;
}

export async function insertVersion(db: DbOrTx, v: NewVersion): Promise<CatalogVersionRow> {
  return db
    .insertInto("catalog_versions")
    .values({
      agency_id: v.agencyId,
      catalog_id: v.catalogId,
      version_no: v.versionNo,
      status: v.status,
      title: v.title,
      based_on_version_id: v.basedOnVersionId,
      created_by: v.createdBy,
      header: JSON.stringify(v.header),
      source: JSON.stringify(v.source),
      published_at: v.publishedAt ?? null,
      published_by: v.publishedBy ?? null,
      note: v.note ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateVersionRow(
  db: DbOrTx,
  agencyId: string,
  versionId: string,
  patch: {
    status?: CatalogVersionStatus;
    title?: string;
    header?: object;
    changeReasons?: Record<string, string>;
    publishedAt?: Date;
    publishedBy?: string | null;
    supersededAt?: Date;
    note?: string | null;
  },
): Promise<void> {
  await db
    .updateTable("catalog_versions")
    .set({
      ...(patch.status ? { status: patch.status } : {}),
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.header !== undefined ? { header: JSON.stringify(patch.header) } : {}),
      ...(patch.changeReasons !== undefined ? { change_reasons: JSON.stringify(patch.changeReasons) } : {}),
      ...(patch.publishedAt !== undefined ? { published_at: patch.publishedAt } : {}),
      ...(patch.publishedBy !== undefined ? { published_by: patch.publishedBy } : {}),
      ...(patch.supersededAt !== undefined ? { superseded_at: patch.supersededAt } : {}),
      ...(patch.note !== undefined ? { note: patch.note } : {}),
      updated_at: new Date(),
    })
    .where("agency_id", "=", agencyId)
    .where("id", "=", versionId)
    .execute();
}

export async function deleteVersionRow(db: DbOrTx, agencyId: string, versionId: string): Promise<void> {
  await db
    .deleteFrom("catalog_versions")
    .where("agency_id", "=", agencyId)
    .where("id", "=", versionId)
    .execute();
}

// Items, elements, units -----------------------------------------------------------------------------------------

/** A responsible unit of an item: the department's id (its name is the agencies feature's to give). */
export interface VersionUnitRow {
  item_id: string;
  department_id: string;
  role: UnitRole;
  sort_order: number;
}

export interface VersionRows {
  items: CatalogItemRow[];
  elements: CatalogElementRow[];
  units: VersionUnitRow[];
}

export async function loadVersionRows(db: DbOrTx, agencyId: string, versionId: string): Promise<VersionRows> {
  const items = await db
    .selectFrom("catalog_items")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("version_id", "=", versionId)
    .orderBy("sort_order")
    .execute();
  if (items.length === 0) return { items, elements: [], units: [] };
  const [elements, units] = await Promise.all([
    db
      .selectFrom("catalog_elements as e")
      .innerJoin("catalog_items as i", (j) =>
        j.onRef("i.agency_id", "=", "e.agency_id").onRef("i.id", "=", "e.item_id"),
      )
      .selectAll("e")
      .where("e.agency_id", "=", agencyId)
      .where("i.version_id", "=", versionId)
      .orderBy("e.item_id")
      .orderBy("e.sort_order")
      .execute(),
    db
      .selectFrom("catalog_item_units as u")
      .innerJoin("catalog_items as i", (j) =>
        j.onRef("i.agency_id", "=", "u.agency_id").onRef("i.id", "=", "u.item_id"),
      )
      .select(["u.item_id", "u.department_id", "u.role", "u.sort_order"])
      .where("u.agency_id", "=", agencyId)
      .where("i.version_id", "=", versionId)
      .orderBy("u.item_id")
      .orderBy("u.sort_order")
      .execute(),
  ]);
  return { items, elements, units };
}

export async function insertItemRows(db: DbOrTx, rows: NewCatalogItemRow[]): Promise<void> {
  for (const part of chunks(rows)) await db.insertInto("catalog_items").values(part).execute();
}

export async function insertElementRows(db: DbOrTx, rows: NewCatalogElementRow[]): Promise<void> {
  for (const part of chunks(rows)) await db.insertInto("catalog_elements").values(part).execute();
}

export async function insertUnitRows(
  db: DbOrTx,
  rows: { agency_id: string; item_id: string; department_id: string; role: UnitRole; sort_order: number }[],
): Promise<void> {
  for (const part of chunks(rows))
    await db
      .insertInto("catalog_item_units")
      .values(part)
      .onConflict((oc) => oc.columns(["agency_id", "item_id", "department_id"]).doNothing())
      .execute();
}

export async function findItemRow(
  db: DbOrTx,
  agencyId: string,
  itemId: string,
): Promise<CatalogItemRow | undefined> {
  return db
    .selectFrom("catalog_items")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("id", "=", itemId)
    .executeTakeFirst();
}

export async function updateItemRow(
  db: DbOrTx,
  agencyId: string,
  itemId: string,
  patch: Partial<Omit<NewCatalogItemRow, "agency_id" | "id" | "version_id" | "stable_key">>,
): Promise<void> {
  await db
    .updateTable("catalog_items")
    .set(patch)
    .where("agency_id", "=", agencyId)
    .where("id", "=", itemId)
    .execute();
}

export async function deleteItemRow(db: DbOrTx, agencyId: string, itemId: string): Promise<void> {
  await db.deleteFrom("catalog_items").where("agency_id", "=", agencyId).where("id", "=", itemId).execute();
}

export async function deleteElementsOfItem(db: DbOrTx, agencyId: string, itemId: string): Promise<void> {
  await db
    .deleteFrom("catalog_elements")
    .where("agency_id", "=", agencyId)
    .where("item_id", "=", itemId)
    .execute();
}

export async function deleteUnitsOfItem(db: DbOrTx, agencyId: string, itemId: string): Promise<void> {
  await db
    .deleteFrom("catalog_item_units")
    .where("agency_id", "=", agencyId)
    .where("item_id", "=", itemId)
    .execute();
}

export async function maxSortOrder(db: DbOrTx, agencyId: string, versionId: string): Promise<number> {
  const r = await db
    .selectFrom("catalog_items")
    .select(sql<number>`coalesce(max(sort_order), 0)`.as("m"))
    .where("agency_id", "=", agencyId)
    .where("version_id", "=", versionId)
    .executeTakeFirstOrThrow();
  return Number(r.m);
}

/** Items of a version per level (一级/二级/三级). */
export async function countItemsByLevel(
  db: DbOrTx,
  agencyId: string,
  versionId: string,
): Promise<{ level: number; n: number }[]> {
  const rows = await db
    .selectFrom("catalog_items")
    .select(["level", sql<number>`count(*)::int`.as("n")])
    .where("agency_id", "=", agencyId)
    .where("version_id", "=", versionId)
    .groupBy("level")
    .orderBy("level")
    .execute();
  return rows.map((r) => ({ level: Number(r.level), n: Number(r.n) }));
}

// Pending imports ------------------------------------------------------------------------------------------------

export async function insertImportRow(
  db: DbOrTx,
  row: {
    agencyId: string;
    fileName: string;
    format: string;
    sha256: string;
    sizeBytes: number;
    doc: object;
    preview: object;
    createdBy: string | null;
  },
): Promise<string> {
  const r = await db
    .insertInto("catalog_imports")
    .values({
      agency_id: row.agencyId,
      file_name: row.fileName,
      format: row.format,
      sha256: row.sha256,
      size_bytes: row.sizeBytes,
      doc: JSON.stringify(row.doc),
      preview: JSON.stringify(row.preview),
      created_by: row.createdBy,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function findImportRow(db: DbOrTx, agencyId: string, importId: string) {
  return db
    .selectFrom("catalog_imports")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("id", "=", importId)
    .executeTakeFirst();
}

export async function lockPendingImport(db: DbOrTx, agencyId: string, importId: string) {
  return db
    .selectFrom("catalog_imports")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("id", "=", importId)
    .where("status", "=", "pending")
    .forUpdate()
    .executeTakeFirst();
}

export async function closeImportRow(
  db: DbOrTx,
  agencyId: string,
  importId: string,
  status: "committed" | "discarded",
  versionId: string | null,
): Promise<void> {
  await db
    .updateTable("catalog_imports")
    .set({ status, committed_version_id: versionId })
    .where("agency_id", "=", agencyId)
    .where("id", "=", importId)
    .execute();
}

/** Pending previews older than the cut-off are discarded (they hold whole parsed files). */
export async function discardStaleImports(db: DbOrTx, agencyId: string, olderThan: Date): Promise<void> {
  await db
    .updateTable("catalog_imports")
    .set({ status: "discarded", doc: JSON.stringify({}), preview: JSON.stringify({}) })
    .where("agency_id", "=", agencyId)
    .where("status", "=", "pending")
    .where("created_at", "<", olderThan)
    .execute();
}

/** Departments linked to the items of a version (for removing those a discarded draft's import created). */
export async function departmentIdsOfVersion(
  db: DbOrTx,
  agencyId: string,
  versionId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom("catalog_item_units as u")
    .innerJoin("catalog_items as i", (j) =>
      j.onRef("i.agency_id", "=", "u.agency_id").onRef("i.id", "=", "u.item_id"),
    )
    .select("u.department_id")
    .distinct()
    .where("u.agency_id", "=", agencyId)
    .where("i.version_id", "=", versionId)
    .execute();
  return rows.map((r) => r.department_id);
}

/** Of the given departments, those an item of any version names as responsible (deps.departmentUses). */
export const departmentsNamedByItems = departmentRefs("catalog_item_units");
