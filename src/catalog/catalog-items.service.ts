/**
 * @module Editing the items of a draft catalog version (主动公开事项目录): the item form's fields in the import's cell
 * conventions, saving, adding (under a parent, after its last descendant) and deleting items. Every change runs in
 * one transaction with its audit event; the saved 公开时限 comes back with the deadline parser's reading.
 */

import { randomUUID } from "node:crypto";
import type { Actor } from "../accounts/policy.ts";
import type { DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { contentStamp } from "../shared/crypto.ts";
import { isUuid } from "../shared/ids.ts";
import {
  ADMIN_LEVEL_CHOICES,
  AUDIENCE_CHOICES,
  type CatalogDocItem,
  emptyItem,
  levelName,
  MAX_ITEM_LEVEL,
  STANDARD_CHANNELS,
  walkItems,
} from "./catalog.model.ts";
import {
  deleteElementsOfItem,
  deleteItemRow,
  deleteUnitsOfItem,
  findItemRow,
  insertElementRows,
  insertItemRows,
  insertUnitRows,
  lockCatalog,
  updateItemRow,
} from "./catalog.repository.ts";
import type { CatalogItemRow, CatalogVersionRow, DisclosureMode } from "./catalog.table.ts";
import {
  formatElements,
  parseChannelCell,
  parseElements,
  parseResponsible,
  splitLegalBasis,
} from "./catalog-cells.rules.ts";
import { type DeadlineReading, describeReading, parseDeadline } from "./catalog-deadline.ts";
import {
  assignElementKeys,
  audit,
  itemFieldColumns,
  newItemKey,
  requireDraft,
  resolveDepartments,
} from "./catalog-store.service.ts";
import { buildTree, type CatalogNode, loadNodes, loadVersion } from "./catalog-tree.service.ts";

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

/** The longest value of each text field of the item form (a longer one is refused, never cut). */
export const ITEM_FIELD_LIMITS = {
  number: { max: 20, label: "序号" },
  contentText: { max: 20000, label: "公开内容（要素）" },
  legalBasisText: { max: 5000, label: "公开依据" },
  deadlineText: { max: 2000, label: "公开时限" },
  subject: { max: 200, label: "公开主体" },
  channelsOtherText: { max: 2000, label: "其他公开渠道" },
  audience: { max: 100, label: "公开对象" },
  form: { max: 100, label: "公开形式" },
  adminLevel: { max: 100, label: "公开层级" },
  responsibleText: { max: 500, label: "责任单位" },
  remarks: { max: 5000, label: "备注" },
} as const satisfies Partial<Record<keyof ItemInput, { max: number; label: string }>>;

/** A browser sends a line break inside a value as CRLF: the stored text has LF. */
function oneLineEnding(s: string): string {
  return s.replace(/\r\n?/g, "\n").trim();
}

/**
 * Whether a 公开对象 / 公开层级 value may be written: empty, one of the form's choices, or the value the item already
 * holds (free text a real catalog's import kept, saved again unchanged). A message naming the field otherwise.
 */
export function choiceProblem(
  label: string,
  value: string,
  choices: readonly string[],
  kept: string | null | undefined,
): string | undefined {
  const v = oneLineEnding(value);
  if (v === "" || choices.includes(v) || (kept != null && v === oneLineEnding(kept))) return undefined;
  const allowed = choices.map((c) => `“${c}”`).join("");
  return `${label}只能选${allowed}之一${kept ? `，或保留导入时的原文“${kept}”` : ""}（不能填写“${v.length > 20 ? `${v.slice(0, 20)}…` : v}”）`;
}

/**
 * Validates the form and turns it into document fields; `kept` is the item as stored (an edit), whose imported
 * 公开对象 / 公开层级 text may be saved again unchanged. @throws validation_failed
 */
export function itemFromInput(
  input: ItemInput,
  level: number,
  kept?: Pick<CatalogDocItem, "audience" | "adminLevel">,
): CatalogDocItem {
  const fields: { field: string; message: string }[] = [];
  const name = input.name.trim();
  if (name === "") fields.push({ field: "name", message: "请填写事项名称" });
  if (name.length > 500) fields.push({ field: "name", message: "事项名称不能超过500字" });
  for (const [field, { max, label }] of Object.entries(ITEM_FIELD_LIMITS)) {
    const length = (input[field as keyof typeof ITEM_FIELD_LIMITS] ?? "").trim().length;
    if (length > max) fields.push({ field, message: `${label}不能超过${max}字（现有${length}字）` });
  }
  const mode = input.mode.trim();
  if (mode !== "" && mode !== "主动" && mode !== "依申请")
    fields.push({ field: "mode", message: "公开方式只能是“主动”或“依申请”" });
  for (const [field, label, choices] of [
    ["audience", "公开对象", AUDIENCE_CHOICES],
    ["adminLevel", "公开层级", ADMIN_LEVEL_CHOICES],
  ] as const) {
    const problem = choiceProblem(label, input[field], choices, kept?.[field]);
    if (problem) fields.push({ field, message: problem });
  }
  const bad = input.channels.filter((c) => !(STANDARD_CHANNELS as readonly string[]).includes(c));
  if (bad.length > 0) fields.push({ field: "channels", message: `未知的公开渠道：${bad.join("、")}` });
  if (fields.length > 0) throw new AppError("validation_failed", undefined, { fields });
  const item = emptyItem(level, name);
  item.number = blankToNull(input.number);
  item.deadlineText = blankToNull(input.deadlineText);
  item.elements = parseElements(
    input.contentText,
    item.deadlineText,
    (t) => parseDeadline(t).unparsed.length === 0,
  );
  item.legalBasis = splitLegalBasis(input.legalBasisText);
  item.subject = blankToNull(input.subject);
  item.channels = STANDARD_CHANNELS.filter((c) => input.channels.includes(c));
  for (const line of input.channelsOtherText.split(/\n/)) {
    const parsed = parseChannelCell(line);
    for (const c of parsed.channels) if (!item.channels.includes(c)) item.channels.push(c);
    for (const o of parsed.other) if (!item.channelsOther.includes(o)) item.channelsOther.push(o);
  }
  item.audience = blankToNull(oneLineEnding(input.audience));
  item.mode = mode === "" ? null : (mode as DisclosureMode);
  item.form = blankToNull(input.form);
  item.adminLevel = blankToNull(oneLineEnding(input.adminLevel));
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
  for (const { item } of walkItems(await loadNodes(db, agencyId, versionId)))
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
  await updateItemRow(trx, agencyId, itemId, itemFieldColumns(item, reading));
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

/** A fingerprint of an item's form values: the edit form carries it, a save over a later save is refused. */
export function itemStamp(item: CatalogDocItem): string {
  return contentStamp(inputFromItem(item));
}

/**
 * Saves the item form. `stamp` (itemStamp of the item when the form was opened) refuses a save over someone else's
 * later save of the same item. @throws validation_failed | catalog_item_not_found | catalog_item_conflict
 */
export async function updateItem(
  deps: Pick<Deps, "db" | "audit">,
  input: { agencyId: string; itemId: string; fields: ItemInput; actor: Actor; stamp?: string },
): Promise<ItemSaveResult> {
  return deps.db.transaction().execute(async (trx) => {
    const { row, version } = await requireItemInDraft(trx, input.agencyId, input.itemId);
    await lockCatalog(trx, input.agencyId, version.catalog_id);
    const before = await nodeById(trx, input.agencyId, version.id, row.id);
    if (input.stamp && input.stamp !== itemStamp(before)) throw new AppError("catalog_item_conflict");
    const item = itemFromInput(input.fields, row.level, before);
    const reading = await writeItemFields(trx, input.agencyId, row.id, row.stable_key, item, before);
    const after = await nodeById(trx, input.agencyId, version.id, row.id);
    await audit(
      trx,
      deps.audit,
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
  deps: Pick<Deps, "db" | "audit">,
  input: { agencyId: string; versionId: string; parentId: string | null; fields: ItemInput; actor: Actor },
): Promise<ItemSaveResult> {
  return deps.db.transaction().execute(async (trx) => {
    const version = await requireDraft(trx, input.agencyId, input.versionId);
    await lockCatalog(trx, input.agencyId, version.catalog_id);
    const rows = await loadVersion(trx, input.agencyId, version.id);
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
      deps.audit,
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
  deps: Pick<Deps, "db" | "audit">,
  input: { agencyId: string; itemId: string; actor: Actor },
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const { row, version } = await requireItemInDraft(trx, input.agencyId, input.itemId);
    await lockCatalog(trx, input.agencyId, version.catalog_id);
    const before = await nodeById(trx, input.agencyId, version.id, row.id);
    await deleteItemRow(trx, input.agencyId, row.id);
    await audit(
      trx,
      deps.audit,
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
