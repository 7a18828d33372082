/**
 * @module Importing a catalog file in two steps: parse the upload into a preview (in the document worker pool) and
 * keep it, then commit it as a new draft version in one transaction; the changes an import would make against the
 * published version are shown before anything is saved.
 */

import { createHash } from "node:crypto";
import type { Actor } from "../accounts/policy.ts";
import type { Db, DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import type { DocumentPool } from "../documents/document-pool.ts";
import { AppError, isAppError } from "../errors.ts";
import { isUuid } from "../shared/ids.ts";
import { parseStorableJson } from "../shared/storable-text.ts";
import { type CatalogDoc, type CatalogDocItem, countByLevel, walkItems } from "./catalog.model.ts";
import {
  closeImportRow,
  discardStaleImports,
  findImportRow,
  insertImportRow,
  lockPendingImport,
} from "./catalog.repository.ts";
import { describeReading, parseDeadline } from "./catalog-deadline.ts";
import { type CatalogDiff, type DiffItem, diffCatalogs } from "./catalog-diff.rules.ts";
import type { ReadResult } from "./catalog-import.readers.ts";
import {
  buildImport,
  docFromJson,
  type ImportPreview,
  type ImportRowReport,
} from "./catalog-import.rules.ts";
import { assignStableKeys, audit, cloneItems, createVersion } from "./catalog-store.service.ts";
import { type CatalogVersionInfo, getPublishedCatalog, versionInfo } from "./catalog-tree.service.ts";

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
      value = parseStorableJson(
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

/** Whether a preview with this id exists in the agency (committed or not; old-URL redirects). */
export async function importExists(db: DbOrTx, agencyId: string, importId: string): Promise<boolean> {
  return isUuid(importId) && (await findImportRow(db, agencyId, importId)) !== undefined;
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
  deps: Pick<Deps, "db" | "audit">,
  input: { agencyId: string; importId: string; actor: Actor; now: Date; replaceDraft?: boolean },
): Promise<CatalogVersionInfo> {
  return deps.db.transaction().execute(async (trx) => {
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
      deps.audit,
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
