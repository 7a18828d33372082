/**
 * @module The life of a catalog version (主动公开事项目录): opening a draft (a copy of the published version),
 * discarding it (with departments its import created), editing its title and header, the differences between
 * versions, reasons for removed or weakened items, and publishing (审签) with the `catalog.published` event.
 * Every change runs in one transaction with its audit event.
 */
import type { Actor } from "../accounts/policy.ts";
import { removeUnusedDepartments } from "../agencies/agency.service.ts";
import type { DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { contentStamp } from "../shared/crypto.ts";
import {
  deleteVersionRow,
  departmentIdsOfVersion,
  ensureCatalogRow,
  findVersionByStatus,
  findVersionRow,
  insertVersion,
  lockCatalog,
  nextVersionNo,
  updateVersionRow,
} from "./catalog.repository.ts";
import type { CatalogVersionRow } from "./catalog.table.ts";
import { type CatalogDiff, diffCatalogs, type ItemChange, missingReasons } from "./catalog-diff.rules.ts";
import { type HeaderInput, mergeHeader, validateHeader } from "./catalog-header.rules.ts";
import { audit, requireDraft, storeItems } from "./catalog-store.service.ts";
import {
  type CatalogTree,
  type CatalogVersionInfo,
  getCatalogVersion,
  getPublishedCatalog,
  loadNodes,
  treeOf,
  versionInfo,
} from "./catalog-tree.service.ts";

/** Opens a draft: a copy of the published version (same stable keys), or an empty catalog. Returns the existing draft if any. */
export async function openDraft(
  deps: Pick<Deps, "db" | "audit">,
  input: { agencyId: string; actor: Actor; now: Date; title?: string },
): Promise<CatalogVersionInfo> {
  return deps.db.transaction().execute(async (trx) => {
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
      deps.audit,
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
  deps: Pick<Deps, "db" | "departmentUses" | "audit">,
  input: { agencyId: string; versionId: string; actor: Actor },
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const v = await requireDraft(trx, input.agencyId, input.versionId);
    await lockCatalog(trx, input.agencyId, v.catalog_id);
    // Departments the draft's import created (none existed before the draft) go with it unless used elsewhere.
    const linked = await departmentIdsOfVersion(trx, input.agencyId, v.id);
    await deleteVersionRow(trx, input.agencyId, v.id);
    await removeUnusedDepartments(trx, deps.departmentUses, input.agencyId, linked, v.created_at);
    await audit(
      trx,
      deps.audit,
      input.actor,
      input.agencyId,
      "catalog.discard",
      "catalog_version",
      v.id,
      `放弃目录草稿（第${v.version_no}版）`,
    );
  });
}

/**
 * Updates a draft's title and header data (填表人/复核人/审签人/填表时间; catalog-header.rules.ts). Header data the
 * form does not edit (单位, 载明的事项数, notes) is kept. `today` (YYYY-MM-DD) bounds 填表时间.
 */
export async function updateDraftHeader(
  deps: Pick<Deps, "db" | "audit">,
  input: {
    agencyId: string;
    versionId: string;
    title: string;
    header: HeaderInput;
    today: string;
    actor: Actor;
  },
): Promise<CatalogVersionInfo> {
  return deps.db.transaction().execute(async (trx) => {
    const v = await requireDraft(trx, input.agencyId, input.versionId);
    const title = input.title.trim();
    const fields = validateHeader(input.header, input.today);
    if (title === "") fields.unshift({ field: "title", message: "请填写目录名称" });
    if (fields.length) throw new AppError("validation_failed", undefined, { fields });
    const header = mergeHeader(v.header, input.header);
    await updateVersionRow(trx, input.agencyId, v.id, { title, header });
    await audit(
      trx,
      deps.audit,
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
  deps: Pick<Deps, "db" | "audit">,
  input: { agencyId: string; versionId: string; reasons: Record<string, string>; actor: Actor },
): Promise<Record<string, string>> {
  return deps.db.transaction().execute(async (trx) => {
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
      deps.audit,
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

/** A fingerprint of a version's items: the publish page carries it, so what is published is what the signer saw. */
export async function versionStamp(db: DbOrTx, agencyId: string, versionId: string): Promise<string> {
  return contentStamp(await loadNodes(db, agencyId, versionId));
}

/**
 * Publishes a draft (审签): it becomes the published version, the previous one is superseded. Removed or weakened
 * items need reasons (given here or earlier with setChangeReasons). `stamp` (versionStamp when the publish page was
 * opened) refuses to publish a draft edited since.
 * @throws catalog_version_not_draft | catalog_reason_required (details.changes lists what needs a reason) |
 * catalog_changed_since_opened
 */
export async function publishVersion(
  deps: Pick<Deps, "db" | "events" | "audit">,
  input: {
    agencyId: string;
    versionId: string;
    actor: Actor;
    now: Date;
    reasons?: Record<string, string>;
    stamp?: string;
  },
): Promise<{ version: CatalogVersionInfo; diff: CatalogDiff }> {
  const result = await deps.db.transaction().execute(async (trx) => {
    const v = await requireDraft(trx, input.agencyId, input.versionId);
    await lockCatalog(trx, input.agencyId, v.catalog_id);
    const published = await findVersionByStatus(trx, input.agencyId, "published");
    const before = published ? await loadNodes(trx, input.agencyId, published.id) : [];
    const after = await loadNodes(trx, input.agencyId, v.id);
    if (input.stamp && input.stamp !== contentStamp(after))
      throw new AppError("catalog_changed_since_opened");
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
      deps.audit,
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

/** Whether a change needs a reason (for views). */
export function needsReason(diff: CatalogDiff, c: ItemChange): boolean {
  return diff.needsReason.includes(c);
}
