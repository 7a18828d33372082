/**
 * @module Use cases of disclosure catalogs (主动公开事项目录): reading the published tree (portal, publishing),
 * versions and drafts, editing items, two-step import, export, diff and publishing with reasons, the linter,
 * and seeding the four seed catalogs. Every change runs in one transaction with its audit event.
 *
 * Public API for other features:
 * - getPublishedCatalog(db, agencyId) → CatalogTree | null   (portal: the published tree and its date)
 * - listPublishedItems(db, agencyId) → FlatCatalogItem[]      (publishing: items to file records under)
 * - findPublishedItemByKey(db, agencyId, stableKey) → CatalogNode | null
 * - getCatalogVersion(db, agencyId, versionId) → CatalogTree
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import {
  ensureDepartments,
  listAgencies,
  listDepartments,
  removeUnusedDepartments,
} from "../agencies/agency.repository.ts";
import { type Agency, agencyRowToAgency } from "../agencies/agency.service.ts";
import { recordAudit } from "../audit/audit.service.ts";
import type { Db, DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import type { DocumentPool } from "../documents/document-pool.ts";
import { AppError, isAppError } from "../errors.ts";
import {
  type CatalogDoc,
  type CatalogDocElement,
  type CatalogDocItem,
  type CatalogDocUnit,
  type CatalogHeader,
  countByLevel,
  emptyItem,
  levelName,
  MAX_ITEM_LEVEL,
  STANDARD_CHANNELS,
  walkItems,
} from "./catalog.model.ts";
import {
  closeImportRow,
  deleteElementsOfItem,
  deleteItemRow,
  deleteUnitsOfItem,
  deleteVersionRow,
  departmentIdsOfVersion,
  discardStaleImports,
  ensureCatalogRow,
  findCatalog,
  findImportRow,
  findItemRow,
  findVersionByStatus,
  findVersionRow,
  insertElementRows,
  insertImportRow,
  insertItemRows,
  insertUnitRows,
  insertVersion,
  listVersionRows,
  loadVersionRows,
  lockCatalog,
  lockPendingImport,
  nextVersionNo,
  updateItemRow,
  updateVersionRow,
  type VersionRows,
} from "./catalog.repository.ts";
import type {
  CatalogItemRow,
  CatalogSource,
  CatalogVersionRow,
  CatalogVersionStatus,
  DisclosureMode,
  NewCatalogElementRow,
  NewCatalogItemRow,
} from "./catalog.table.ts";
import {
  formatElements,
  isGroupDesignation,
  parseChannelCell,
  parseElements,
  parseResponsible,
  splitLegalBasis,
} from "./catalog-cells.rules.ts";
import { type DeadlineReading, describeReading, type ParsedRule, parseDeadline } from "./catalog-deadline.ts";
import {
  type CatalogDiff,
  type DiffItem,
  diffCatalogs,
  type ItemChange,
  missingReasons,
} from "./catalog-diff.rules.ts";
import { EXPORT_CONTENT_TYPES, type ExportFormat, toCsv, toDocx, toJson, toXlsx } from "./catalog-export.ts";
import { type HeaderInput, mergeHeader, validateHeader } from "./catalog-header.rules.ts";
import type { ReadResult } from "./catalog-import.readers.ts";
import {
  buildImport,
  docFromJson,
  type ImportPreview,
  type ImportRowReport,
} from "./catalog-import.rules.ts";
import { type LintFinding, lintCatalog } from "./catalog-lint.rules.ts";

export type { CatalogDoc, CatalogDocItem, CatalogHeader } from "./catalog.model.ts";
export type { CatalogDiff, ItemChange } from "./catalog-diff.rules.ts";
export type { ImportPreview, ImportRowReport } from "./catalog-import.rules.ts";
export type { LintFinding } from "./catalog-lint.rules.ts";

/** Who acts (for created_by/published_by and the audit trail). */
export interface Actor {
  id: string | null;
  name?: string | undefined;
  ip?: string | null | undefined;
}

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

// ---------------------------------------------------------------------------------------------------------------
// Reading

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

function buildTree(rows: VersionRows): CatalogNode[] {
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

async function treeOf(db: DbOrTx, agencyId: string, version: CatalogVersionRow): Promise<CatalogTree> {
  const items = buildTree(await loadVersionRows(db, agencyId, version.id));
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

// ---------------------------------------------------------------------------------------------------------------
// Storing a document as a version

type StoreUnit = CatalogDocUnit & { departmentId?: string };

function newItemKey(): string {
  return `k${randomBytes(6).toString("hex")}`;
}

function newElementKey(itemKey: string): string {
  return `${itemKey}#${randomBytes(3).toString("hex")}`;
}

function normKey(s: string): string {
  return s.replace(/[\s（）()“”"、，,。.：:；;—-]/g, "");
}

/**
 * Gives every item and element of `doc` a stable key: its own (if it names an item of `previous`), else the key of
 * the previous item with the same path of names, else of the sibling with the same number, else a new one.
 * Elements keep the key of the previous element with the same label, content or number.
 */
export function assignStableKeys(doc: CatalogDocItem[], previous: CatalogNode[]): void {
  const prevByKey = new Map<string, CatalogNode>();
  const prevByPath = new Map<string, CatalogNode>();
  for (const { item, path } of walkItems(previous)) {
    prevByKey.set(item.stableKey, item);
    const p = [...path, item].map((x) => normKey(x.name)).join("/");
    if (!prevByPath.has(p)) prevByPath.set(p, item);
  }
  const used = new Set<string>();
  const take = (n: CatalogNode | undefined) => (n && !used.has(n.stableKey) ? n : undefined);
  const visit = (items: CatalogDocItem[], path: string[], prevParent: CatalogNode | undefined) => {
    for (const item of items) {
      const here = [...path, normKey(item.name)];
      const match =
        take(item.stableKey ? prevByKey.get(item.stableKey) : undefined) ??
        take(prevByPath.get(here.join("/"))) ??
        (item.number && prevParent
          ? take(prevParent.children.find((c) => c.number === item.number && !used.has(c.stableKey)))
          : undefined) ??
        (item.number && !prevParent && path.length === 0
          ? take(previous.find((c) => c.number === item.number && !used.has(c.stableKey)))
          : undefined);
      if (match) {
        used.add(match.stableKey);
        item.stableKey = match.stableKey;
      } else {
        let key =
          item.stableKey && !prevByKey.has(item.stableKey) && !used.has(item.stableKey)
            ? item.stableKey
            : newItemKey();
        while (used.has(key)) key = newItemKey();
        used.add(key);
        item.stableKey = key;
      }
      assignElementKeys(item, match);
      visit(item.children, here, match);
    }
  };
  visit(doc, [], undefined);
}

function assignElementKeys(item: CatalogDocItem, prev: CatalogNode | undefined): void {
  const used = new Set<string>();
  const itemKey = item.stableKey as string;
  for (const e of item.elements) {
    const candidates = prev?.elements.filter((p) => !used.has(p.stableKey)) ?? [];
    const match =
      candidates.find((p) => e.stableKey !== undefined && p.stableKey === e.stableKey) ??
      (e.label ? candidates.find((p) => p.label === e.label) : undefined) ??
      candidates.find((p) => normKey(p.content) === normKey(e.content)) ??
      (e.number ? candidates.find((p) => p.number === e.number) : undefined);
    let key =
      match?.stableKey ??
      (e.stableKey?.startsWith(`${itemKey}#`) && !used.has(e.stableKey)
        ? e.stableKey
        : newElementKey(itemKey));
    while (used.has(key)) key = newElementKey(itemKey);
    used.add(key);
    e.stableKey = key;
  }
}

/** Department ids for unit names: existing departments by name, new ones created for concrete unit names. */
async function resolveDepartments(
  trx: DbOrTx,
  agencyId: string,
  names: string[],
): Promise<Map<string, string>> {
  const concrete = [...new Set(names)].filter(
    (n) => !isGroupDesignation(n) && n.length >= 2 && n.length <= 100,
  );
  const existing = await listDepartments(trx, agencyId);
  const known = new Set(existing.map((d) => d.name));
  const missing = concrete.filter((n) => !known.has(n));
  const all = missing.length > 0 ? await ensureDepartments(trx, agencyId, missing) : existing;
  const map = new Map(all.map((d) => [d.name, d.id] as [string, string]));
  // 「就业促进科等科室、单位」 names 就业促进科 first: link it.
  for (const n of names) {
    if (map.has(n)) continue;
    const m = n.match(/^(.+?)等/);
    const head = m?.[1];
    if (head && map.has(head)) map.set(n, map.get(head) as string);
  }
  return map;
}

async function storeItems(
  trx: DbOrTx,
  agencyId: string,
  versionId: string,
  items: CatalogDocItem[],
): Promise<void> {
  const names: string[] = [];
  for (const { item } of walkItems(items))
    for (const u of item.units as StoreUnit[]) if (!u.departmentId) names.push(u.name);
  const departments = await resolveDepartments(trx, agencyId, names);
  const itemRows: NewCatalogItemRow[] = [];
  const elementRows: NewCatalogElementRow[] = [];
  const unitRows: {
    agency_id: string;
    item_id: string;
    department_id: string;
    role: "lead" | "cooperating";
    sort_order: number;
  }[] = [];
  let order = 0;
  const visit = (list: CatalogDocItem[], parentId: string | null, level: number) => {
    for (const item of list) {
      if (level > MAX_ITEM_LEVEL)
        throw new AppError("validation_failed", `事项“${item.name}”超过${MAX_ITEM_LEVEL}级。`);
      const id = randomUUID();
      const reading = parseDeadline(item.deadlineText);
      order += 1;
      itemRows.push({
        agency_id: agencyId,
        id,
        version_id: versionId,
        parent_id: parentId,
        level,
        number: item.number,
        name: item.name.slice(0, 500),
        legal_basis: item.legalBasis,
        deadline_text: item.deadlineText,
        deadline_rules: JSON.stringify(reading.rules),
        deadline_unparsed: reading.unparsed,
        subject: item.subject,
        channels: item.channels,
        channels_other: item.channelsOther,
        audience: item.audience,
        mode: item.mode,
        form: item.form,
        admin_level: item.adminLevel,
        responsible_text: item.responsibleText,
        remarks: item.remarks,
        extra: JSON.stringify(item.extra),
        provenance: JSON.stringify(item.provenance),
        sort_order: order,
        stable_key: item.stableKey as string,
      });
      item.elements.forEach((e, i) => {
        const r = parseDeadline(e.deadlineText);
        elementRows.push({
          agency_id: agencyId,
          item_id: id,
          number: e.number,
          label: e.label,
          content: e.content,
          deadline_text: e.deadlineText,
          deadline_rules: JSON.stringify(r.rules),
          unparsed: r.unparsed,
          extra: JSON.stringify({}),
          sort_order: i + 1,
          stable_key: e.stableKey as string,
        });
      });
      const seen = new Set<string>();
      (item.units as StoreUnit[]).forEach((u, i) => {
        const dep = u.departmentId ?? departments.get(u.name);
        if (!dep || seen.has(dep)) return;
        seen.add(dep);
        unitRows.push({
          agency_id: agencyId,
          item_id: id,
          department_id: dep,
          role: u.role,
          sort_order: i + 1,
        });
      });
      visit(item.children, id, level + 1);
    }
  };
  visit(items, null, 1);
  await insertItemRows(trx, itemRows);
  await insertElementRows(trx, elementRows);
  await insertUnitRows(trx, unitRows);
}

/** Deep copy of a document (so key assignment does not touch the caller's objects). */
function cloneItems(items: CatalogDocItem[]): CatalogDocItem[] {
  return items.map((i) => ({
    ...i,
    legalBasis: [...i.legalBasis],
    channels: [...i.channels],
    channelsOther: [...i.channelsOther],
    units: i.units.map((u) => ({ ...u })),
    extra: { ...i.extra },
    provenance: { ...i.provenance },
    elements: i.elements.map((e) => ({ ...e })),
    children: cloneItems(i.children),
  }));
}

async function audit(
  trx: DbOrTx,
  actor: Actor,
  agencyId: string,
  action: string,
  entityType: string,
  entityId: string | null,
  summary: string,
  extra: { before?: unknown; after?: unknown } = {},
): Promise<void> {
  await recordAudit(trx, {
    actorId: actor.id,
    actorName: actor.name,
    action,
    agencyId,
    entityType,
    entityId,
    summary,
    before: extra.before,
    after: extra.after,
    ip: actor.ip ?? null,
  });
}

interface CreateVersionInput {
  agencyId: string;
  doc: CatalogDoc;
  status: "draft" | "published";
  source: CatalogSource;
  actor: Actor;
  now: Date;
  basedOnVersionId?: string | null;
  replaceDraft?: boolean;
}

/** Creates a version from a document inside `trx` (the catalog is locked). */
async function createVersion(trx: DbOrTx, input: CreateVersionInput): Promise<CatalogVersionRow> {
  const catalog = await ensureCatalogRow(trx, input.agencyId, input.doc.title || "主动公开事项目录");
  await lockCatalog(trx, input.agencyId, catalog.id);
  const draft = await findVersionByStatus(trx, input.agencyId, "draft");
  if (draft && input.status === "draft") {
    if (!input.replaceDraft) throw new AppError("catalog_draft_exists");
    await deleteVersionRow(trx, input.agencyId, draft.id);
  }
  const published = await findVersionByStatus(trx, input.agencyId, "published");
  const previous = published ? buildTree(await loadVersionRows(trx, input.agencyId, published.id)) : [];
  const items = cloneItems(input.doc.items);
  assignStableKeys(items, previous);
  const version = await insertVersion(trx, {
    agencyId: input.agencyId,
    catalogId: catalog.id,
    versionNo: await nextVersionNo(trx, input.agencyId, catalog.id),
    status: input.status,
    title: input.doc.title || catalog.title,
    basedOnVersionId: input.basedOnVersionId ?? published?.id ?? null,
    createdBy: input.actor.id,
    header: input.doc.header,
    source: input.source,
    publishedAt: input.status === "published" ? input.now : null,
    publishedBy: input.status === "published" ? input.actor.id : null,
  });
  if (input.status === "published" && published)
    await updateVersionRow(trx, input.agencyId, published.id, {
      status: "superseded",
      supersededAt: input.now,
    });
  await storeItems(trx, input.agencyId, version.id, items);
  return version;
}

// ---------------------------------------------------------------------------------------------------------------
// Seeds

export interface CatalogSeedInput {
  agencyId: string;
  slug: string;
  doc: CatalogDoc;
  file: string;
}

/**
 * Loads a seed catalog as the agency's first published version. Idempotent: an agency that already has a catalog
 * version is left alone. Returns true when it created the version.
 */
export async function seedCatalog(db: Db, input: CatalogSeedInput, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const existing = await findCatalog(trx, input.agencyId);
    if (existing) {
      await lockCatalog(trx, input.agencyId, existing.id);
      if ((await listVersionRows(trx, input.agencyId)).length > 0) return false;
    }
    const version = await createVersion(trx, {
      agencyId: input.agencyId,
      doc: input.doc,
      status: "published",
      source: { kind: "seed", slug: input.slug, file: input.file, format: "json" },
      actor: { id: null, name: "系统（演示数据）" },
      now,
    });
    await audit(
      trx,
      { id: null, name: "系统（演示数据）" },
      input.agencyId,
      "catalog.seed",
      "catalog_version",
      version.id,
      `载入演示目录《${version.title}》并发布为第1版`,
    );
    return true;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Drafts and edits

async function requireDraft(db: DbOrTx, agencyId: string, versionId: string): Promise<CatalogVersionRow> {
  const v = isUuid(versionId) ? await findVersionRow(db, agencyId, versionId) : undefined;
  if (!v) throw new AppError("catalog_version_not_found");
  if (v.status !== "draft") throw new AppError("catalog_version_not_draft");
  return v;
}

/** Opens a draft: a copy of the published version (same stable keys), or an empty catalog. Returns the existing draft if any. */
export async function openDraft(
  db: Db,
  input: { agencyId: string; actor: Actor; now: Date; title?: string },
): Promise<CatalogVersionInfo> {
  return db.transaction().execute(async (trx) => {
    const catalog = await ensureCatalogRow(trx, input.agencyId, input.title ?? "主动公开事项目录");
    await lockCatalog(trx, input.agencyId, catalog.id);
    const draft = await findVersionByStatus(trx, input.agencyId, "draft");
    if (draft) return versionInfo(draft);
    const published = await findVersionByStatus(trx, input.agencyId, "published");
    const tree = published ? await treeOf(trx, input.agencyId, published) : null;
    const version = await insertVersion(trx, {
      agencyId: input.agencyId,
      catalogId: catalog.id,
      versionNo: await nextVersionNo(trx, input.agencyId, catalog.id),
      status: "draft",
      title: tree?.version.title ?? catalog.title,
      basedOnVersionId: published?.id ?? null,
      createdBy: input.actor.id,
      header: tree?.version.header ?? {},
      source: { kind: "copy" },
    });
    if (tree) await storeItems(trx, input.agencyId, version.id, tree.items);
    await audit(
      trx,
      input.actor,
      input.agencyId,
      "catalog.draft",
      "catalog_version",
      version.id,
      `新建目录草稿（第${version.version_no}版）`,
    );
    return versionInfo(version);
  });
}

export async function discardDraft(
  db: Db,
  input: { agencyId: string; versionId: string; actor: Actor },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const v = await requireDraft(trx, input.agencyId, input.versionId);
    await lockCatalog(trx, input.agencyId, v.catalog_id);
    // Departments the draft's import created (none existed before the draft) go with it unless used elsewhere.
    const linked = await departmentIdsOfVersion(trx, input.agencyId, v.id);
    await deleteVersionRow(trx, input.agencyId, v.id);
    await removeUnusedDepartments(trx, input.agencyId, linked, v.created_at);
    await audit(
      trx,
      input.actor,
      input.agencyId,
      "catalog.discard",
      "catalog_version",
      v.id,
      `放弃目录草稿（第${v.version_no}版）`,
    );
  });
}

/** The form fields of an item, in the cell conventions of the import (one citation/channel/part per line). */
export interface ItemInput {
  number?: string | null;
  name: string;
  /** 公开内容（要素）: 「1. 办事指南：…」 one part per line. */
  contentText: string;
  legalBasisText: string;
  deadlineText: string;
  subject: string;
  channels: string[];
  channelsOtherText: string;
  audience: string;
  mode: string;
  form: string;
  adminLevel: string;
  responsibleText: string;
  remarks: string;
}

export interface ItemSaveResult {
  item: CatalogNode;
  /** The deadline parser's reading of the saved 公开时限 (shown after saving). */
  reading: { described: string[]; unparsed: string[] };
}

function blankToNull(s: string | null | undefined): string | null {
  const t = (s ?? "").trim();
  return t === "" ? null : t;
}

/** Validates the form and turns it into document fields. @throws validation_failed */
export function itemFromInput(input: ItemInput, level: number): CatalogDocItem {
  const fields: { field: string; message: string }[] = [];
  const name = input.name.trim();
  if (name === "") fields.push({ field: "name", message: "请填写事项名称" });
  if (name.length > 500) fields.push({ field: "name", message: "事项名称不能超过500字" });
  const mode = input.mode.trim();
  if (mode !== "" && mode !== "主动" && mode !== "依申请")
    fields.push({ field: "mode", message: "公开方式只能是“主动”或“依申请”" });
  const bad = input.channels.filter((c) => !(STANDARD_CHANNELS as readonly string[]).includes(c));
  if (bad.length > 0) fields.push({ field: "channels", message: `未知的公开渠道：${bad.join("、")}` });
  if (fields.length > 0) throw new AppError("validation_failed", undefined, { fields });
  const item = emptyItem(level, name);
  item.number = blankToNull(input.number);
  item.deadlineText = blankToNull(input.deadlineText);
  item.elements = parseElements(input.contentText, item.deadlineText);
  item.legalBasis = splitLegalBasis(input.legalBasisText);
  item.subject = blankToNull(input.subject);
  item.channels = STANDARD_CHANNELS.filter((c) => input.channels.includes(c));
  for (const line of input.channelsOtherText.split(/\n/)) {
    const parsed = parseChannelCell(line);
    for (const c of parsed.channels) if (!item.channels.includes(c)) item.channels.push(c);
    for (const o of parsed.other) if (!item.channelsOther.includes(o)) item.channelsOther.push(o);
  }
  item.audience = blankToNull(input.audience);
  item.mode = mode === "" ? null : (mode as DisclosureMode);
  item.form = blankToNull(input.form);
  item.adminLevel = blankToNull(input.adminLevel);
  item.responsibleText = blankToNull(input.responsibleText);
  item.units = parseResponsible(input.responsibleText);
  item.remarks = blankToNull(input.remarks);
  return item;
}

/** The form values of a stored item (for the edit page). */
export function inputFromItem(item: CatalogDocItem): ItemInput {
  return {
    number: item.number,
    name: item.name,
    contentText: formatElements(item.elements),
    legalBasisText: item.legalBasis.join("\n"),
    deadlineText: item.deadlineText ?? "",
    subject: item.subject ?? "",
    channels: [...item.channels],
    channelsOtherText: item.channelsOther.join("\n"),
    audience: item.audience ?? "",
    mode: item.mode ?? "",
    form: item.form ?? "",
    adminLevel: item.adminLevel ?? "",
    responsibleText: item.responsibleText ?? "",
    remarks: item.remarks ?? "",
  };
}

function readingOf(r: DeadlineReading): ItemSaveResult["reading"] {
  return { described: describeReading(r), unparsed: r.unparsed };
}

async function nodeById(
  db: DbOrTx,
  agencyId: string,
  versionId: string,
  itemId: string,
): Promise<CatalogNode> {
  for (const { item } of walkItems(buildTree(await loadVersionRows(db, agencyId, versionId))))
    if (item.id === itemId) return item;
  throw new AppError("catalog_item_not_found");
}

async function requireItemInDraft(
  db: DbOrTx,
  agencyId: string,
  itemId: string,
): Promise<{ row: CatalogItemRow; version: CatalogVersionRow }> {
  const row = isUuid(itemId) ? await findItemRow(db, agencyId, itemId) : undefined;
  if (!row) throw new AppError("catalog_item_not_found");
  const version = await requireDraft(db, agencyId, row.version_id);
  return { row, version };
}

async function writeItemFields(
  trx: DbOrTx,
  agencyId: string,
  itemId: string,
  stableKey: string,
  item: CatalogDocItem,
  previous: CatalogNode | undefined,
) {
  const reading = parseDeadline(item.deadlineText);
  await updateItemRow(trx, agencyId, itemId, {
    number: item.number,
    name: item.name,
    legal_basis: item.legalBasis,
    deadline_text: item.deadlineText,
    deadline_rules: JSON.stringify(reading.rules),
    deadline_unparsed: reading.unparsed,
    subject: item.subject,
    channels: item.channels,
    channels_other: item.channelsOther,
    audience: item.audience,
    mode: item.mode,
    form: item.form,
    admin_level: item.adminLevel,
    responsible_text: item.responsibleText,
    remarks: item.remarks,
  });
  item.stableKey = stableKey;
  assignElementKeys(item, previous);
  await deleteElementsOfItem(trx, agencyId, itemId);
  await insertElementRows(
    trx,
    item.elements.map((e, i) => {
      const r = parseDeadline(e.deadlineText);
      return {
        agency_id: agencyId,
        item_id: itemId,
        number: e.number,
        label: e.label,
        content: e.content,
        deadline_text: e.deadlineText,
        deadline_rules: JSON.stringify(r.rules),
        unparsed: r.unparsed,
        extra: JSON.stringify({}),
        sort_order: i + 1,
        stable_key: e.stableKey as string,
      };
    }),
  );
  await deleteUnitsOfItem(trx, agencyId, itemId);
  const departments = await resolveDepartments(
    trx,
    agencyId,
    item.units.map((u) => u.name),
  );
  const seen = new Set<string>();
  const unitRows = item.units.flatMap((u, i) => {
    const dep = departments.get(u.name);
    if (!dep || seen.has(dep)) return [];
    seen.add(dep);
    return [{ agency_id: agencyId, item_id: itemId, department_id: dep, role: u.role, sort_order: i + 1 }];
  });
  await insertUnitRows(trx, unitRows);
  return reading;
}

/** Saves an item of a draft. @throws catalog_item_not_found | catalog_version_not_draft | validation_failed */
export async function updateItem(
  db: Db,
  input: { agencyId: string; itemId: string; fields: ItemInput; actor: Actor },
): Promise<ItemSaveResult> {
  return db.transaction().execute(async (trx) => {
    const { row, version } = await requireItemInDraft(trx, input.agencyId, input.itemId);
    await lockCatalog(trx, input.agencyId, version.catalog_id);
    const before = await nodeById(trx, input.agencyId, version.id, row.id);
    const item = itemFromInput(input.fields, row.level as 1 | 2 | 3);
    const reading = await writeItemFields(trx, input.agencyId, row.id, row.stable_key, item, before);
    const after = await nodeById(trx, input.agencyId, version.id, row.id);
    await audit(
      trx,
      input.actor,
      input.agencyId,
      "catalog.edit",
      "catalog_item",
      row.id,
      `修改目录事项“${after.name}”（第${version.version_no}版草稿）`,
      {
        before: summarizeItem(before),
        after: summarizeItem(after),
      },
    );
    return { item: after, reading: readingOf(reading) };
  });
}

/** Adds an item to a draft, under `parentId` (or as a 一级事项), after the parent's last descendant. */
export async function addItem(
  db: Db,
  input: { agencyId: string; versionId: string; parentId: string | null; fields: ItemInput; actor: Actor },
): Promise<ItemSaveResult> {
  return db.transaction().execute(async (trx) => {
    const version = await requireDraft(trx, input.agencyId, input.versionId);
    await lockCatalog(trx, input.agencyId, version.catalog_id);
    const rows = await loadVersionRows(trx, input.agencyId, version.id);
    let level = 1;
    let after = rows.items.length > 0 ? Math.max(...rows.items.map((r) => r.sort_order)) : 0;
    if (input.parentId) {
      const parent = rows.items.find((r) => r.id === input.parentId);
      if (!parent) throw new AppError("catalog_item_not_found");
      if (parent.level >= MAX_ITEM_LEVEL)
        throw new AppError("validation_failed", `${levelName(MAX_ITEM_LEVEL)}下不能再添加下级事项。`);
      level = parent.level + 1;
      const tree = buildTree(rows);
      let last = parent.sort_order;
      for (const { item } of walkItems(tree))
        if (item.id === parent.id)
          for (const d of walkItems(item.children)) last = Math.max(last, d.item.sortOrder);
      after = last;
    }
    const item = itemFromInput(input.fields, level);
    for (const r of rows.items.filter((x) => x.sort_order > after))
      await updateItemRow(trx, input.agencyId, r.id, { sort_order: r.sort_order + 1 });
    const id = randomUUID();
    const key = newItemKey();
    await insertItemRows(trx, [
      {
        agency_id: input.agencyId,
        id,
        version_id: version.id,
        parent_id: input.parentId,
        level,
        name: item.name,
        sort_order: after + 1,
        stable_key: key,
      },
    ]);
    const reading = await writeItemFields(trx, input.agencyId, id, key, item, undefined);
    const node = await nodeById(trx, input.agencyId, version.id, id);
    await audit(
      trx,
      input.actor,
      input.agencyId,
      "catalog.edit",
      "catalog_item",
      id,
      `新增目录事项“${node.name}”（第${version.version_no}版草稿）`,
      { after: summarizeItem(node) },
    );
    return { item: node, reading: readingOf(reading) };
  });
}

/** Deletes an item (and its sub-items) from a draft. Publishing will ask for a reason if it was published. */
export async function deleteItem(
  db: Db,
  input: { agencyId: string; itemId: string; actor: Actor },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { row, version } = await requireItemInDraft(trx, input.agencyId, input.itemId);
    await lockCatalog(trx, input.agencyId, version.catalog_id);
    const before = await nodeById(trx, input.agencyId, version.id, row.id);
    await deleteItemRow(trx, input.agencyId, row.id);
    await audit(
      trx,
      input.actor,
      input.agencyId,
      "catalog.edit",
      "catalog_item",
      row.id,
      `删除目录事项“${row.name}”（第${version.version_no}版草稿）`,
      { before: summarizeItem(before) },
    );
  });
}

/**
 * Updates a draft's title and header data (填表人/复核人/审签人/填表时间; catalog-header.rules.ts). Header data the
 * form does not edit (单位, 载明的事项数, notes) is kept. `today` (YYYY-MM-DD) bounds 填表时间.
 */
export async function updateDraftHeader(
  db: Db,
  input: {
    agencyId: string;
    versionId: string;
    title: string;
    header: HeaderInput;
    today: string;
    actor: Actor;
  },
): Promise<CatalogVersionInfo> {
  return db.transaction().execute(async (trx) => {
    const v = await requireDraft(trx, input.agencyId, input.versionId);
    const title = input.title.trim();
    const fields = validateHeader(input.header, input.today);
    if (title === "") fields.unshift({ field: "title", message: "请填写目录名称" });
    if (fields.length) throw new AppError("validation_failed", undefined, { fields });
    const header = mergeHeader(v.header, input.header);
    await updateVersionRow(trx, input.agencyId, v.id, { title, header });
    await audit(
      trx,
      input.actor,
      input.agencyId,
      "catalog.edit",
      "catalog_version",
      v.id,
      `修改目录草稿表头（第${v.version_no}版）`,
      {
        before: { title: v.title, header: v.header },
        after: { title, header },
      },
    );
    return versionInfo((await findVersionRow(trx, input.agencyId, v.id)) as CatalogVersionRow);
  });
}

function summarizeItem(n: CatalogNode) {
  return {
    stableKey: n.stableKey,
    name: n.name,
    deadlineText: n.deadlineText,
    channels: [...n.channels, ...n.channelsOther],
    mode: n.mode,
    units: n.units.map((u) => u.name),
    elements: n.elements.length,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Diff and publishing

/** Differences from version `fromId` (or the published version) to version `toId`. */
export async function diffVersions(
  db: DbOrTx,
  agencyId: string,
  fromId: string | null,
  toId: string,
): Promise<{ from: CatalogVersionInfo | null; to: CatalogVersionInfo; diff: CatalogDiff }> {
  const to = await getCatalogVersion(db, agencyId, toId);
  let from: CatalogTree | null = null;
  if (fromId) from = await getCatalogVersion(db, agencyId, fromId);
  else {
    const published = await getPublishedCatalog(db, agencyId);
    from = published && published.version.id !== to.version.id ? published : null;
  }
  return { from: from?.version ?? null, to: to.version, diff: diffCatalogs(from?.items ?? [], to.items) };
}

/** Records reasons for removed/weakened items of a draft (merged with those already given). */
export async function setChangeReasons(
  db: Db,
  input: { agencyId: string; versionId: string; reasons: Record<string, string>; actor: Actor },
): Promise<Record<string, string>> {
  return db.transaction().execute(async (trx) => {
    const v = await requireDraft(trx, input.agencyId, input.versionId);
    const merged = { ...(v.change_reasons ?? {}) };
    for (const [k, r] of Object.entries(input.reasons)) {
      const t = r.trim().slice(0, 2000);
      if (t === "") delete merged[k];
      else merged[k] = t;
    }
    await updateVersionRow(trx, input.agencyId, v.id, { changeReasons: merged });
    await audit(
      trx,
      input.actor,
      input.agencyId,
      "catalog.edit",
      "catalog_version",
      v.id,
      `填写目录变更理由（第${v.version_no}版草稿）`,
      { after: merged },
    );
    return merged;
  });
}

/**
 * Publishes a draft (审签): it becomes the published version, the previous one is superseded. Removed or weakened
 * items need reasons (given here or earlier with setChangeReasons).
 * @throws catalog_version_not_draft | catalog_reason_required (details.changes lists what needs a reason)
 */
export async function publishVersion(
  deps: Pick<Deps, "db" | "events">,
  input: { agencyId: string; versionId: string; actor: Actor; now: Date; reasons?: Record<string, string> },
): Promise<{ version: CatalogVersionInfo; diff: CatalogDiff }> {
  const result = await deps.db.transaction().execute(async (trx) => {
    const v = await requireDraft(trx, input.agencyId, input.versionId);
    await lockCatalog(trx, input.agencyId, v.catalog_id);
    const published = await findVersionByStatus(trx, input.agencyId, "published");
    const before = published ? buildTree(await loadVersionRows(trx, input.agencyId, published.id)) : [];
    const after = buildTree(await loadVersionRows(trx, input.agencyId, v.id));
    const diff = diffCatalogs(before, after);
    const reasons = { ...(v.change_reasons ?? {}) };
    for (const [k, r] of Object.entries(input.reasons ?? {}))
      if (r.trim() !== "") reasons[k] = r.trim().slice(0, 2000);
    const missing = missingReasons(diff, reasons);
    if (missing.length > 0)
      throw new AppError("catalog_reason_required", `有 ${missing.length} 项删除或弱化的事项尚未说明理由。`, {
        details: {
          changes: missing.map((c) => ({
            stableKey: c.stableKey,
            path: c.path,
            kind: c.kind,
            weakenings: c.weakenings.map((w) => w.message),
          })),
        },
      });
    // Keep only the reasons that apply to this publication.
    const relevant: Record<string, string> = {};
    for (const c of diff.needsReason)
      if (reasons[c.stableKey]) relevant[c.stableKey] = reasons[c.stableKey] as string;
    if (published)
      await updateVersionRow(trx, input.agencyId, published.id, {
        status: "superseded",
        supersededAt: input.now,
      });
    await updateVersionRow(trx, input.agencyId, v.id, {
      status: "published",
      publishedAt: input.now,
      publishedBy: input.actor.id,
      changeReasons: relevant,
    });
    await audit(
      trx,
      input.actor,
      input.agencyId,
      "catalog.publish",
      "catalog_version",
      v.id,
      `发布目录第${v.version_no}版（新增${diff.added}项、删除${diff.removed}项、修改${diff.changed}项）`,
      {
        before: published ? { versionNo: published.version_no } : null,
        after: {
          versionNo: v.version_no,
          added: diff.added,
          removed: diff.removed,
          changed: diff.changed,
          reasons: relevant,
        },
      },
    );
    return {
      version: versionInfo((await findVersionRow(trx, input.agencyId, v.id)) as CatalogVersionRow),
      diff,
    };
  });
  // After the commit: the portal drops this agency's cached pages.
  const { id: versionId, versionNo } = result.version;
  deps.events.emit("catalog.published", { agencyId: input.agencyId, versionId, versionNo });
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Import (two steps: preview, then commit as a new draft version)

export interface ImportPreviewResult {
  importId: string;
  fileName: string;
  format: string;
  sha256: string;
  preview: ImportPreview;
}

/**
 * Reads and parses a file into a preview (nothing else changes). The file readers run in the document worker pool
 * (`documents`), never on the server's thread. @throws catalog_import_* | document_* (limits, time, heap)
 */
export async function parseCatalogFile(
  fileName: string,
  bytes: Uint8Array,
  documents: DocumentPool,
): Promise<{ format: string; preview: ImportPreview }> {
  const read = await documents
    .parse<ReadResult>({
      file: bytes,
      module: import.meta.resolve("./catalog-import.readers.ts"),
      fn: "readCatalogFile",
      args: [fileName, bytes],
    })
    .catch((e: unknown) => {
      // A broken container is an unreadable catalog file (named); limit violations keep their document_* code.
      if (isAppError(e) && e.code === "document_structure_invalid")
        throw new AppError("catalog_import_unreadable", `无法读取文件“${fileName}”：${e.message}`);
      throw e;
    });
  const fallbackTitle = fileName.replace(/\.[A-Za-z0-9]+$/, "") || "主动公开事项目录";
  if (read.format === "json") {
    let value: unknown;
    try {
      value = JSON.parse(
        Buffer.from(bytes)
          .toString("utf8")
          .replace(/^\ufeff/, ""),
      );
    } catch (e) {
      throw new AppError(
        "catalog_import_unreadable",
        `“${fileName}”不是有效的 JSON：${(e as Error).message.slice(0, 120)}`,
      );
    }
    const r = docFromJson(value, fallbackTitle);
    if (!r.ok) throw new AppError("catalog_import_unreadable", r.message);
    return { format: "json", preview: previewOfDoc(r.doc, fileName) };
  }
  const result = buildImport(read.tables, {
    fallbackTitle,
    outsideLines: read.lines,
    parseDeadline: (t) => parseDeadline(t),
    describeDeadline: (t) => describeReading(parseDeadline(t)),
  });
  if (!result.ok)
    throw new AppError(result.code, result.message, {
      details: { table: result.table ?? null, row: result.row ?? null, column: result.column ?? null },
    });
  for (const { item } of walkItems(result.preview.doc.items))
    item.provenance = { ...item.provenance, file: fileName, format: read.format };
  return { format: read.format, preview: result.preview };
}

function previewOfDoc(doc: CatalogDoc, fileName: string): ImportPreview {
  const rows: ImportRowReport[] = [];
  const counts = { level1: 0, level2: 0, level3: 0, deeper: 0, elements: 0, warnings: 0 };
  let n = 0;
  for (const { item, path } of walkItems(doc.items)) {
    n++;
    item.provenance = { file: fileName, row: n, format: "json" };
    const warnings: string[] = [];
    if (item.children.length === 0) {
      for (const u of parseDeadline(item.deadlineText).unparsed)
        warnings.push(`公开时限“${u}”未能解析，请核对。`);
      if (item.units.length === 0 && !item.responsibleText) warnings.push("缺少责任单位。");
      for (const o of item.channelsOther) warnings.push(`非标准公开渠道“${o}”：将作为其他渠道保存。`);
    }
    counts[
      item.level === 1 ? "level1" : item.level === 2 ? "level2" : item.level === 3 ? "level3" : "deeper"
    ]++;
    counts.elements += item.elements.length;
    counts.warnings += warnings.length;
    const reading = parseDeadline(item.deadlineText);
    rows.push({
      table: fileName,
      row: n,
      path: [...path.map((p) => p.name), item.name],
      level: item.level,
      warnings,
      fields: {
        number: item.number,
        name: item.name,
        deadlineText: item.deadlineText,
        deadlineReading: describeReading(reading),
        deadlineUnparsed: reading.unparsed,
        subject: item.subject,
        audience: item.audience,
        mode: item.mode,
        adminLevel: item.adminLevel,
        channels: [...item.channels, ...item.channelsOther],
        responsible: item.responsibleText,
        elements: item.elements.length,
        ditto: [],
      },
    });
  }
  return {
    title: doc.title,
    header: doc.header,
    table: fileName,
    headerRows: [],
    columns: [],
    doc,
    rows,
    notes: [],
    counts,
  };
}

/** Step 1: parse the upload and keep it for commit. */
export async function previewImport(
  db: Db,
  input: {
    agencyId: string;
    fileName: string;
    bytes: Uint8Array;
    actor: Actor;
    now: Date;
    /** The worker pool that parses the file (deps.documents). */
    documents: DocumentPool;
  },
): Promise<ImportPreviewResult> {
  const fileName = input.fileName.replace(/[\\/]/g, "_").slice(0, 200) || "catalog";
  const { format, preview } = await parseCatalogFile(fileName, input.bytes, input.documents);
  const sha256 = createHash("sha256").update(input.bytes).digest("hex");
  const { doc, ...rest } = preview;
  await discardStaleImports(db, input.agencyId, new Date(input.now.getTime() - 24 * 3600 * 1000));
  const importId = await insertImportRow(db, {
    agencyId: input.agencyId,
    fileName,
    format,
    sha256,
    sizeBytes: input.bytes.length,
    doc,
    preview: rest,
    createdBy: input.actor.id,
  });
  return { importId, fileName, format, sha256, preview };
}

/** A stored preview (for the preview page). @throws catalog_import_not_found */
export async function getImportPreview(
  db: DbOrTx,
  agencyId: string,
  importId: string,
): Promise<ImportPreviewResult & { status: string; changes: ImportChanges }> {
  const row = isUuid(importId) ? await findImportRow(db, agencyId, importId) : undefined;
  if (!row || row.status === "discarded") throw new AppError("catalog_import_not_found");
  const rest = row.preview as Omit<ImportPreview, "doc">;
  const doc = row.doc as CatalogDoc;
  return {
    importId: row.id,
    fileName: row.file_name,
    format: row.format,
    sha256: row.sha256,
    status: row.status,
    preview: { ...rest, doc },
    changes: await importChanges(db, agencyId, doc),
  };
}

/** The changes an import would make against the current (published) version, before anything is saved. */
export interface ImportChanges {
  against: CatalogVersionInfo | null;
  diff: CatalogDiff;
}

/** The changes importing `doc` would make against the published version (read only; for previews and dry runs). */
export async function importChanges(db: DbOrTx, agencyId: string, doc: CatalogDoc): Promise<ImportChanges> {
  const published = await getPublishedCatalog(db, agencyId);
  const previous = published?.items ?? [];
  const items = cloneItems(doc.items);
  assignStableKeys(items, previous);
  const withRules = (list: CatalogDocItem[]): DiffItem[] =>
    list.map((i) => ({
      ...i,
      stableKey: i.stableKey ?? "",
      deadlineRules: parseDeadline(i.deadlineText).rules,
      children: withRules(i.children),
    }));
  return { against: published?.version ?? null, diff: diffCatalogs(previous, withRules(items)) };
}

/**
 * Step 2: commits a preview as a new draft version, in one transaction (nothing is half-imported).
 * @throws catalog_import_not_found | catalog_draft_exists (unless replaceDraft)
 */
export async function commitImport(
  db: Db,
  input: { agencyId: string; importId: string; actor: Actor; now: Date; replaceDraft?: boolean },
): Promise<CatalogVersionInfo> {
  return db.transaction().execute(async (trx) => {
    const row = isUuid(input.importId)
      ? await lockPendingImport(trx, input.agencyId, input.importId)
      : undefined;
    if (!row) throw new AppError("catalog_import_not_found");
    const doc = row.doc as CatalogDoc;
    const version = await createVersion(trx, {
      agencyId: input.agencyId,
      doc,
      status: "draft",
      source: {
        kind: "import",
        file: row.file_name,
        format: row.format,
        sha256: row.sha256,
        importedAt: input.now.toISOString(),
      },
      actor: input.actor,
      now: input.now,
      replaceDraft: input.replaceDraft ?? false,
    });
    await closeImportRow(trx, input.agencyId, row.id, "committed", version.id);
    const c = countByLevel(doc.items);
    await audit(
      trx,
      input.actor,
      input.agencyId,
      "catalog.import",
      "catalog_version",
      version.id,
      `导入目录文件“${row.file_name}”为第${version.version_no}版草稿（一级${c[1]}项、二级${c[2]}项、三级${c[3]}项）`,
      {
        after: { file: row.file_name, format: row.format, sha256: row.sha256, counts: c },
      },
    );
    return versionInfo(version);
  });
}

export async function discardImport(db: Db, input: { agencyId: string; importId: string }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = isUuid(input.importId)
      ? await lockPendingImport(trx, input.agencyId, input.importId)
      : undefined;
    if (!row) throw new AppError("catalog_import_not_found");
    await closeImportRow(trx, input.agencyId, row.id, "discarded", null);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Export and lint

export interface ExportedCatalog {
  body: Buffer;
  contentType: string;
  fileName: string;
}

/** Exports a version (default: the published one). @throws catalog_not_found | catalog_version_not_found */
export async function exportCatalog(
  db: DbOrTx,
  input: {
    agencyId: string;
    agencySlug: string;
    agencyName: string;
    format: ExportFormat;
    versionId?: string | undefined;
  },
): Promise<ExportedCatalog> {
  const tree = input.versionId
    ? await getCatalogVersion(db, input.agencyId, input.versionId)
    : await getPublishedCatalog(db, input.agencyId);
  if (!tree) throw new AppError("catalog_not_found");
  const doc = treeToDoc(tree);
  const base = `${input.agencySlug}-catalog-v${tree.version.versionNo}`;
  let body: Buffer;
  switch (input.format) {
    case "json":
      body = Buffer.from(
        toJson(doc, {
          agency: { slug: input.agencySlug, name: input.agencyName },
          version: {
            versionNo: tree.version.versionNo,
            status: tree.version.status,
            publishedAt: tree.version.publishedAt,
          },
        }),
      );
      break;
    case "csv":
      body = Buffer.from(toCsv(doc));
      break;
    case "xlsx":
      body = await toXlsx(doc);
      break;
    case "docx":
      body = await toDocx(doc);
      break;
  }
  return { body, contentType: EXPORT_CONTENT_TYPES[input.format], fileName: `${base}.${input.format}` };
}

/** Lints a version (default: the draft if any, else the published one). */
export async function lintCatalogVersion(
  db: DbOrTx,
  input: { agencyId: string; agencyName: string; agencyShortName?: string; versionId?: string | undefined },
): Promise<{ version: CatalogVersionInfo; findings: LintFinding[] }> {
  const tree = input.versionId
    ? await getCatalogVersion(db, input.agencyId, input.versionId)
    : ((await getDraftCatalog(db, input.agencyId)) ?? (await getPublishedCatalog(db, input.agencyId)));
  if (!tree) throw new AppError("catalog_not_found");
  const departments = (await listDepartments(db, input.agencyId)).map((d) => d.name);
  const findings = lintCatalog({
    agencyName: input.agencyName,
    agencyShortName: input.agencyShortName,
    departments,
    items: tree.items,
  });
  return { version: tree.version, findings };
}

/** Whether an item with this id exists in any version of the agency. */
export async function itemExists(db: DbOrTx, agencyId: string, itemId: string): Promise<boolean> {
  return isUuid(itemId) && (await findItemRow(db, agencyId, itemId)) !== undefined;
}

/** Every agency (for the staff index, filtered by the caller's scope). */
export async function listAgenciesByName(db: DbOrTx): Promise<Agency[]> {
  return (await listAgencies(db)).map(agencyRowToAgency);
}

export function isUuid(s: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}

/** Whether a change needs a reason (for views). */
export function needsReason(diff: CatalogDiff, c: ItemChange): boolean {
  return diff.needsReason.includes(c);
}
