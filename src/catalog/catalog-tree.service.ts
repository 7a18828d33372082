/**
 * @module Reading stored catalogs (主动公开事项目录) as trees: the published version (portal, publishing), any version,
 * the draft, the version list, flat item lists with paths. Items carry their parsed deadline rules and the names of
 * their responsible departments (read through the agencies feature, which owns departments).
 * Other features use these through catalog.read.ts.
 */
import { listDepartments } from "../agencies/agency.service.ts";
import type { DbOrTx } from "../db/database.ts";
import { AppError } from "../errors.ts";
import { isUuid } from "../shared/ids.ts";
import {
  type CatalogDoc,
  type CatalogDocElement,
  type CatalogDocItem,
  type CatalogDocUnit,
  type CatalogHeader,
  countByLevel,
  walkItems,
} from "./catalog.model.ts";
import {
  findItemRow,
  findVersionByStatus,
  findVersionRow,
  listVersionRows,
  loadVersionRows,
  type VersionRows,
  type VersionUnitRow,
} from "./catalog.repository.ts";
import type {
  CatalogItemRow,
  CatalogSource,
  CatalogVersionRow,
  CatalogVersionStatus,
} from "./catalog.table.ts";
import type { ParsedRule } from "./catalog-deadline.ts";

export interface CatalogVersionInfo {
  id: string;
  catalogId: string;
  versionNo: number;
  status: CatalogVersionStatus;
  title: string;
  header: CatalogHeader;
  source: CatalogSource;
  basedOnVersionId: string | null;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  /** ISO instant, when published. */
  publishedAt: string | null;
  publishedBy: string | null;
  supersededAt: string | null;
  /** Reasons for removed/weakened items, by stable_key. */
  changeReasons: Record<string, string>;
  note: string | null;
}

export interface CatalogNodeElement extends CatalogDocElement {
  id: string;
  stableKey: string;
  deadlineRules: ParsedRule[];
  unparsed: string[];
}

export interface CatalogNodeUnit extends CatalogDocUnit {
  departmentId: string;
}

/** An item of a stored version: the document fields plus ids, parsed deadline rules and linked departments. */
export interface CatalogNode extends CatalogDocItem {
  id: string;
  parentId: string | null;
  stableKey: string;
  sortOrder: number;
  deadlineRules: ParsedRule[];
  deadlineUnparsed: string[];
  elements: CatalogNodeElement[];
  units: CatalogNodeUnit[];
  children: CatalogNode[];
}

export interface CatalogTree {
  agencyId: string;
  catalogId: string;
  version: CatalogVersionInfo;
  items: CatalogNode[];
  counts: { level1: number; level2: number; level3: number; deeper: number; elements: number };
}

/** A catalog item with its path, for pick lists (publishing: which item a record fulfils). */
export interface FlatCatalogItem {
  id: string;
  stableKey: string;
  level: number;
  number: string | null;
  name: string;
  /** Names from 一级事项 down to this item. */
  path: string[];
  isLeaf: boolean;
  deadlineText: string | null;
  deadlineRules: ParsedRule[];
  elements: {
    id: string;
    stableKey: string;
    label: string;
    content: string;
    deadlineText: string | null;
    deadlineRules: ParsedRule[];
  }[];
  departmentIds: string[];
}

function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

export function versionInfo(row: CatalogVersionRow): CatalogVersionInfo {
  return {
    id: row.id,
    catalogId: row.catalog_id,
    versionNo: row.version_no,
    status: row.status,
    title: row.title,
    header: row.header ?? {},
    source: row.source ?? {},
    basedOnVersionId: row.based_on_version_id,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    updatedAt: row.updated_at.toISOString(),
    publishedAt: iso(row.published_at),
    publishedBy: row.published_by,
    supersededAt: iso(row.superseded_at),
    changeReasons: row.change_reasons ?? {},
    note: row.note,
  };
}

function rowToNode(row: CatalogItemRow): CatalogNode {
  return {
    id: row.id,
    parentId: row.parent_id,
    stableKey: row.stable_key,
    sortOrder: row.sort_order,
    level: row.level as 1 | 2 | 3,
    number: row.number,
    name: row.name,
    legalBasis: row.legal_basis,
    deadlineText: row.deadline_text,
    deadlineRules: row.deadline_rules as unknown as ParsedRule[],
    deadlineUnparsed: row.deadline_unparsed,
    subject: row.subject,
    channels: row.channels,
    channelsOther: row.channels_other,
    audience: row.audience,
    mode: row.mode,
    form: row.form,
    adminLevel: row.admin_level,
    responsibleText: row.responsible_text,
    units: [],
    remarks: row.remarks,
    extra: row.extra ?? {},
    provenance: row.provenance ?? {},
    elements: [],
    children: [],
  };
}

/** A version's rows with the name of each unit's department. */
export interface NamedVersionRows extends Omit<VersionRows, "units"> {
  units: (VersionUnitRow & { name: string })[];
}

export function buildTree(rows: NamedVersionRows): CatalogNode[] {
  const nodes = new Map<string, CatalogNode>();
  for (const r of rows.items) nodes.set(r.id, rowToNode(r));
  for (const e of rows.elements)
    nodes.get(e.item_id)?.elements.push({
      id: e.id,
      stableKey: e.stable_key,
      number: e.number,
      label: e.label,
      content: e.content,
      deadlineText: e.deadline_text,
      deadlineRules: e.deadline_rules as unknown as ParsedRule[],
      unparsed: e.unparsed,
    });
  for (const u of rows.units)
    nodes.get(u.item_id)?.units.push({ departmentId: u.department_id, name: u.name, role: u.role });
  const roots: CatalogNode[] = [];
  for (const r of rows.items) {
    const node = nodes.get(r.id) as CatalogNode;
    const parent = r.parent_id ? nodes.get(r.parent_id) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

function treeCounts(items: CatalogNode[]): CatalogTree["counts"] {
  const c = countByLevel(items);
  let elements = 0;
  for (const { item } of walkItems(items)) elements += item.elements.length;
  let deeper = 0;
  for (const [level, n] of Object.entries(c)) if (Number(level) > 3) deeper += n;
  return { level1: c[1], level2: c[2], level3: c[3], deeper, elements };
}

export async function treeOf(db: DbOrTx, agencyId: string, version: CatalogVersionRow): Promise<CatalogTree> {
  const items = await loadNodes(db, agencyId, version.id);
  return {
    agencyId,
    catalogId: version.catalog_id,
    version: versionInfo(version),
    items,
    counts: treeCounts(items),
  };
}

/** The agency's current published catalog as a tree (portal, public API), or null when none is published. */
export async function getPublishedCatalog(db: DbOrTx, agencyId: string): Promise<CatalogTree | null> {
  const v = await findVersionByStatus(db, agencyId, "published");
  return v ? treeOf(db, agencyId, v) : null;
}

/** @throws AppError catalog_version_not_found */
export async function getCatalogVersion(
  db: DbOrTx,
  agencyId: string,
  versionId: string,
): Promise<CatalogTree> {
  const v = isUuid(versionId) ? await findVersionRow(db, agencyId, versionId) : undefined;
  if (!v) throw new AppError("catalog_version_not_found");
  return treeOf(db, agencyId, v);
}

export async function getDraftCatalog(db: DbOrTx, agencyId: string): Promise<CatalogTree | null> {
  const v = await findVersionByStatus(db, agencyId, "draft");
  return v ? treeOf(db, agencyId, v) : null;
}

export async function listCatalogVersions(db: DbOrTx, agencyId: string): Promise<CatalogVersionInfo[]> {
  return (await listVersionRows(db, agencyId)).map(versionInfo);
}

/** Published items, flat with their paths (parents before children). */
export async function listPublishedItems(db: DbOrTx, agencyId: string): Promise<FlatCatalogItem[]> {
  const tree = await getPublishedCatalog(db, agencyId);
  if (!tree) return [];
  return flattenTree(tree.items);
}

export function flattenTree(items: CatalogNode[]): FlatCatalogItem[] {
  const out: FlatCatalogItem[] = [];
  for (const { item, path } of walkItems(items))
    out.push({
      id: item.id,
      stableKey: item.stableKey,
      level: item.level,
      number: item.number,
      name: item.name,
      path: [...path.map((p) => p.name), item.name],
      isLeaf: item.children.length === 0,
      deadlineText: item.deadlineText,
      deadlineRules: item.deadlineRules,
      elements: item.elements.map((e) => ({
        id: e.id,
        stableKey: e.stableKey,
        label: e.label,
        content: e.content,
        deadlineText: e.deadlineText,
        deadlineRules: e.deadlineRules,
      })),
      departmentIds: item.units.map((u) => u.departmentId),
    });
  return out;
}

/** The published item with this stable key (the same item across versions), or null. */
export async function findPublishedItemByKey(
  db: DbOrTx,
  agencyId: string,
  stableKey: string,
): Promise<CatalogNode | null> {
  const tree = await getPublishedCatalog(db, agencyId);
  if (!tree) return null;
  for (const { item } of walkItems(tree.items)) if (item.stableKey === stableKey) return item;
  return null;
}

/** A stored tree as a plain document (for export, diff, copying). */
export function treeToDoc(tree: Pick<CatalogTree, "version" | "items">): CatalogDoc {
  return { title: tree.version.title, header: tree.version.header, items: tree.items };
}

/**
 * The rows of a version with each responsible unit's department name. Departments belong to the agencies feature:
 * their names come from its exported list, never from a join on its table.
 */
export async function loadVersion(
  db: DbOrTx,
  agencyId: string,
  versionId: string,
): Promise<NamedVersionRows> {
  const rows = await loadVersionRows(db, agencyId, versionId);
  if (rows.units.length === 0) return { ...rows, units: [] };
  const names = new Map((await listDepartments(db, agencyId)).map((d) => [d.id, d.name] as const));
  const units = rows.units.flatMap((u) => {
    const name = names.get(u.department_id);
    return name === undefined ? [] : [{ ...u, name }];
  });
  return { ...rows, units };
}

/** The items of a stored version as a tree. */
export async function loadNodes(db: DbOrTx, agencyId: string, versionId: string): Promise<CatalogNode[]> {
  return buildTree(await loadVersion(db, agencyId, versionId));
}

/** Whether an item with this id exists in any version of the agency. */
export async function itemExists(db: DbOrTx, agencyId: string, itemId: string): Promise<boolean> {
  return isUuid(itemId) && (await findItemRow(db, agencyId, itemId)) !== undefined;
}
