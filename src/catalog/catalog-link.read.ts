/**
 * @module The catalog items publishing links records to (catalog's public read module): an agency's published
 * catalog version, or items by id in any version, each with its content elements, parsed deadline rules
 * (公开时限), responsible departments (lead first), whether it is a leaf, and its version's publication date.
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import type { ParsedRule } from "./catalog-deadline.ts";

export interface LinkedElement {
  id: string;
  stableKey: string;
  label: string;
  content: string;
  deadlineText: string | null;
  rules: ParsedRule[];
}

export interface LinkedItem {
  id: string;
  stableKey: string;
  versionId: string;
  parentId: string | null;
  level: number;
  number: string | null;
  name: string;
  deadlineText: string | null;
  rules: ParsedRule[];
  elements: LinkedElement[];
  /** Responsible departments: the lead first. */
  departmentIds: string[];
  leadDepartmentId: string | null;
  /** True when no other item of the version has this one as parent. */
  leaf: boolean;
  /** Published-version date (the catalog is in force from then). */
  versionPublishedAt: Date | null;
}

async function itemsWhere(db: DbOrTx, agencyId: string, itemIds: string[] | null): Promise<LinkedItem[]> {
  let q = db
    .selectFrom("catalog_items as i")
    .innerJoin("catalog_versions as v", (j) =>
      j.onRef("v.agency_id", "=", "i.agency_id").onRef("v.id", "=", "i.version_id"),
    )
    .select([
      "i.id",
      "i.stable_key",
      "i.version_id",
      "i.parent_id",
      "i.level",
      "i.number",
      "i.name",
      "i.deadline_text",
      "i.deadline_rules",
      "i.sort_order",
      "v.published_at",
      sql<boolean>`NOT EXISTS (SELECT 1 FROM catalog_items c WHERE c.agency_id = i.agency_id AND c.parent_id = i.id)`.as(
        "leaf",
      ),
    ])
    .where("i.agency_id", "=", agencyId);
  if (itemIds === null) q = q.where("v.status", "=", "published");
  else if (itemIds.length === 0) return [];
  else q = q.where("i.id", "in", itemIds);
  const items = await q.orderBy("i.sort_order").execute();
  if (items.length === 0) return [];
  const ids = items.map((i) => i.id);
  const [elements, units] = await Promise.all([
    db
      .selectFrom("catalog_elements")
      .select(["id", "item_id", "stable_key", "label", "content", "deadline_text", "deadline_rules"])
      .where("agency_id", "=", agencyId)
      .where("item_id", "in", ids)
      .orderBy("sort_order")
      .execute(),
    db
      .selectFrom("catalog_item_units")
      .select(["item_id", "department_id", "role"])
      .where("agency_id", "=", agencyId)
      .where("item_id", "in", ids)
      .orderBy("sort_order")
      .execute(),
  ]);
  return items.map((i) => {
    const myUnits = units
      .filter((u) => u.item_id === i.id)
      .sort((a, b) => (a.role === b.role ? 0 : a.role === "lead" ? -1 : 1));
    return {
      id: i.id,
      stableKey: i.stable_key,
      versionId: i.version_id,
      parentId: i.parent_id,
      level: i.level,
      number: i.number,
      name: i.name,
      deadlineText: i.deadline_text,
      rules: toParsedRules(i.deadline_rules),
      elements: elements
        .filter((e) => e.item_id === i.id)
        .map((e) => ({
          id: e.id,
          stableKey: e.stable_key,
          label: e.label,
          content: e.content,
          deadlineText: e.deadline_text,
          rules: toParsedRules(e.deadline_rules),
        })),
      departmentIds: myUnits.map((u) => u.department_id),
      leadDepartmentId:
        myUnits.find((u) => u.role === "lead")?.department_id ?? myUnits[0]?.department_id ?? null,
      leaf: i.leaf,
      versionPublishedAt: i.published_at,
    };
  });
}

/** Items of the agency's published catalog version, in catalog order. Empty when none is published. */
export async function listPublishedItems(db: DbOrTx, agencyId: string): Promise<LinkedItem[]> {
  return itemsWhere(db, agencyId, null);
}

/** One item (any version) of the agency, with elements and units. */
export async function findItem(
  db: DbOrTx,
  agencyId: string,
  itemId: string,
): Promise<LinkedItem | undefined> {
  return (await itemsWhere(db, agencyId, [itemId]))[0];
}

/** Reads stored rules (jsonb) defensively: anything without a rule kind is dropped. */
function toParsedRules(stored: unknown): ParsedRule[] {
  if (!Array.isArray(stored)) return [];
  return stored.filter(
    (r): r is ParsedRule =>
      typeof r === "object" &&
      r !== null &&
      typeof (r as { rule?: { kind?: unknown } }).rule?.kind === "string",
  );
}
