/**
 * @module Writing catalog versions (主动公开事项目录): a document stored as a version (stable keys carried over from
 * the published version, departments resolved by name through the agencies feature, deadline rules parsed), the
 * audit helper every catalog change uses, and seeding the four seed catalogs as first published versions.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { type Actor, systemActor } from "../accounts/policy.ts";
import { ensureDepartments, listDepartments } from "../agencies/agency.service.ts";
import type { AuditWriter } from "../audit/audit.service.ts";
import type { DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { isUuid } from "../shared/ids.ts";
import {
  type CatalogDoc,
  type CatalogDocItem,
  type CatalogDocUnit,
  MAX_ITEM_LEVEL,
  walkItems,
} from "./catalog.model.ts";
import {
  deleteVersionRow,
  ensureCatalogRow,
  findCatalog,
  findVersionByStatus,
  findVersionRow,
  insertElementRows,
  insertItemRows,
  insertUnitRows,
  insertVersion,
  listVersionRows,
  lockCatalog,
  nextVersionNo,
  updateVersionRow,
} from "./catalog.repository.ts";
import type {
  CatalogSource,
  CatalogVersionRow,
  NewCatalogElementRow,
  NewCatalogItemRow,
} from "./catalog.table.ts";
import { isGroupDesignation } from "./catalog-cells.rules.ts";
import { type DeadlineReading, parseDeadline } from "./catalog-deadline.ts";
import { type CatalogNode, loadNodes } from "./catalog-tree.service.ts";

/** Who acts (for created_by/published_by and the audit trail): the one Actor of accounts/policy.ts. */

type StoreUnit = CatalogDocUnit & { departmentId?: string };

export function newItemKey(): string {
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

export function assignElementKeys(item: CatalogDocItem, prev: CatalogNode | undefined): void {
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
export async function resolveDepartments(
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

/** The item's own columns (the catalog's fields and its deadline reading), as stored on insert and on edit. */
export function itemFieldColumns(
  item: CatalogDocItem,
  reading: DeadlineReading = parseDeadline(item.deadlineText),
) {
  return {
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
  };
}

export async function storeItems(
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
      order += 1;
      itemRows.push({
        agency_id: agencyId,
        id,
        version_id: versionId,
        parent_id: parentId,
        level,
        ...itemFieldColumns(item),
        name: item.name.slice(0, 500),
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
export function cloneItems(items: CatalogDocItem[]): CatalogDocItem[] {
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

export async function audit(
  trx: DbOrTx,
  writer: AuditWriter,
  actor: Actor,
  agencyId: string,
  action: string,
  entityType: string,
  entityId: string | null,
  summary: string,
  extra: { before?: unknown; after?: unknown } = {},
): Promise<void> {
  await writer.record(trx, {
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

export interface CreateVersionInput {
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
export async function createVersion(trx: DbOrTx, input: CreateVersionInput): Promise<CatalogVersionRow> {
  const catalog = await ensureCatalogRow(trx, input.agencyId, input.doc.title || "主动公开事项目录");
  await lockCatalog(trx, input.agencyId, catalog.id);
  const draft = await findVersionByStatus(trx, input.agencyId, "draft");
  if (draft && input.status === "draft") {
    if (!input.replaceDraft) throw new AppError("catalog_draft_exists");
    await deleteVersionRow(trx, input.agencyId, draft.id);
  }
  const published = await findVersionByStatus(trx, input.agencyId, "published");
  const previous = published ? await loadNodes(trx, input.agencyId, published.id) : [];
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

/** The draft version `versionId`. @throws catalog_version_not_found | catalog_version_not_draft */
export async function requireDraft(
  db: DbOrTx,
  agencyId: string,
  versionId: string,
): Promise<CatalogVersionRow> {
  const v = isUuid(versionId) ? await findVersionRow(db, agencyId, versionId) : undefined;
  if (!v) throw new AppError("catalog_version_not_found");
  if (v.status !== "draft") throw new AppError("catalog_version_not_draft");
  return v;
}

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
export async function seedCatalog(
  deps: Pick<Deps, "db" | "audit">,
  input: CatalogSeedInput,
  now: Date,
): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
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
      actor: systemActor("系统（演示数据）"),
      now,
    });
    await audit(
      trx,
      deps.audit,
      systemActor("系统（演示数据）"),
      input.agencyId,
      "catalog.seed",
      "catalog_version",
      version.id,
      `载入演示目录《${version.title}》并发布为第1版`,
    );
    return true;
  });
}
