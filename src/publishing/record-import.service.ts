/**
 * @module Bulk import of an agency's published history (`gongkai records import FILE --agency SLUG [--commit]`):
 * the file is read in a parser child process (record-import.readers.ts through deps.documents), every row is
 * checked (record-import.rules.ts) against the agency's published catalog and the 索引号 it already uses, and
 * valid rows are written through the bulk loader's binary COPY (record-bulk.encode.ts: search columns computed in
 * TypeScript, so the insert trigger keeps them) as published records, in one transaction with the audit event
 * (record.import): all rows or none. A file with any invalid row imports nothing (the agency fixes the file and
 * imports again; a partial import would leave it to find which rows went in).
 */

import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Actor } from "../accounts/policy.ts";
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import { listPublishedItems } from "../catalog/catalog.read.ts";
import { kyselyOnClient, rawClient } from "../db/connection.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { emptyContent } from "./record.service.ts";
import type { RecordContent, Validity } from "./record.table.ts";
import { type BulkRecord, encodeRecords } from "./record-bulk.encode.ts";
import { analyzeRecords, copyEncoded } from "./record-bulk.ts";
import type { ReadRecordFile } from "./record-import.readers.ts";
import {
  type ImportCatalogItem,
  type ImportPlan,
  itemMatcher,
  mapHeaders,
  planImport,
} from "./record-import.rules.ts";
import { parseValidityWords } from "./record-import-values.rules.ts";

export interface RecordImportPreview extends ImportPlan {
  fileName: string;
  format: string;
  table: string;
  /** Source rows read (besides the header). */
  rows: number;
  /** The columns read and the field each became (生成日期→成文日期). */
  columns: string[];
  ignoredColumns: string[];
  /** Worksheets with content but no header row (not imported). */
  ignoredSheets: string[];
  agency: { id: string; slug: string; name: string };
  /** The catalog item given for rows without one (`--item`), as its path. */
  defaultItem: string[] | null;
}

export interface RecordImportResult extends RecordImportPreview {
  /** Records written (0 on a dry run or when any row is invalid). */
  imported: number;
  auditSeq: number | null;
}

type ImportDeps = Pick<Deps, "db" | "documents" | "audit" | "clock" | "pageCache">;

/** 10:00 Beijing time of the published date, as the bulk loader stamps first_published_at. */
function publishedAt(date: string): Date {
  return new Date(`${date}T10:00:00+08:00`);
}

/** The content of an imported record's first revision (what the editor would have saved). */
function revisionContent(agencyName: string, r: BulkRecord): RecordContent {
  return {
    ...emptyContent(agencyName, r.formedDate ?? r.publishedDate),
    kind: r.kind ?? "document",
    title: r.title,
    summary: r.summary,
    issuingAgency: r.issuingAgency,
    docNumber: r.docNumber,
    topic: r.topic,
    genre: r.genre,
    keywords: r.keywords,
    validity: r.validity,
    itemId: r.itemId,
    itemStableKey: r.itemStableKey,
    bodyHtml: r.bodyHtml,
  };
}

/** Reads the file in the parser pool. @throws record_import_* and document_* (limits) */
export async function readRecordImportFile(
  deps: Pick<Deps, "documents">,
  fileName: string,
  bytes: Uint8Array,
): Promise<ReadRecordFile> {
  return deps.documents
    .parse<ReadRecordFile>({
      file: bytes,
      module: import.meta.resolve("./record-import.readers.ts"),
      fn: "readRecordFile",
      args: [fileName, bytes],
    })
    .catch((e: unknown) => {
      if (e instanceof AppError && e.code === "document_structure_invalid")
        throw new AppError("record_import_unreadable", `无法读取“${fileName}”：${e.message}`);
      throw e;
    });
}

export interface RecordImportInput {
  agencySlug: string;
  fileName: string;
  bytes: Uint8Array;
  /**
   * The catalog item (id, number, name or path, as a row's 目录事项 is matched) of every row that names none: CMS
   * exports of a 政府信息公开目录 rarely carry Gongkai's catalog items.
   */
  defaultItem?: string;
  /** The file's own 有效性 words and what they mean (`已修改=有效,部分失效=有效`, parseValidityWords). */
  validityWords?: string;
}

/** Reads and checks the file for the agency (writes nothing). @throws agency_not_found, record_import_* */
export async function previewRecordImport(
  deps: ImportDeps,
  input: RecordImportInput,
): Promise<RecordImportPreview> {
  const agency = await getAgencyBySlug(deps.db, input.agencySlug).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "agency_not_found")
      throw new AppError("agency_not_found", `未找到标识为“${input.agencySlug}”的机关。`);
    throw e;
  });
  const items = await listPublishedItems(deps.db, agency.id);
  if (items.length === 0)
    throw new AppError(
      "catalog_not_found",
      `机关“${agency.name}”尚未发布主动公开事项目录，无法对应目录事项。`,
    );
  const matchItem = itemMatcher(items);
  let defaultItem: ImportCatalogItem | undefined;
  if (input.defaultItem !== undefined) {
    const hit = matchItem(input.defaultItem);
    if (!hit.ok) throw new AppError("record_import_item_invalid", `指定的默认目录事项无效：${hit.message}。`);
    defaultItem = hit.item;
  }
  let validityWords: Map<string, Validity> | undefined;
  if (input.validityWords !== undefined) {
    const parsed = parseValidityWords(input.validityWords);
    if (!parsed.ok) throw new AppError("record_import_option_invalid", `${parsed.message}。`);
    validityWords = parsed.words;
  }
  const read = await readRecordImportFile(deps, input.fileName, input.bytes);
  const header = mapHeaders(read.headers);
  for (const sheet of read.sheets) {
    const missing = sheet.missing.filter((m) => !(m === "目录事项" && defaultItem));
    if (missing.length)
      throw new AppError(
        "record_import_no_header",
        `“${input.fileName}”${read.sheets.length > 1 ? `的工作表“${sheet.name}”` : ""}缺少必需的列：${missing.join("、")}（表头：${read.sourceHeaders.filter((h) => h.trim()).join("、") || "无"}）。${missing.includes("目录事项") ? "导出文件没有目录事项列时，可为整个文件指定一个目录事项（--item）。" : ""}${missing.includes("正文") ? "信息公开目录的清单导出通常不含正文，请导出含正文的数据。" : ""}`,
      );
  }
  const indexNos = read.rows
    .map((r) => r.cells[header.columns.get("indexNo") ?? -1]?.trim() ?? "")
    .filter((s) => s !== "");
  const existing = indexNos.length
    ? await deps.db
        .selectFrom("records")
        .select("index_no")
        .where("agency_id", "=", agency.id)
        .where("index_no", "in", [...new Set(indexNos)])
        .execute()
    : [];
  const plan = planImport(header, read.rows, {
    agency: { id: agency.id, slug: agency.slug, name: agency.name, shortName: agency.shortName },
    matchItem,
    defaultItem,
    validityWords,
    existingIndexNos: new Set(existing.map((r) => r.index_no as string)),
    today: deps.clock.today(),
  });
  return {
    ...plan,
    fileName: input.fileName,
    format: read.format,
    table: read.table,
    rows: read.rows.length,
    columns: read.columns,
    ignoredColumns: read.ignoredColumns,
    ignoredSheets: read.ignoredSheets,
    agency: { id: agency.id, slug: agency.slug, name: agency.name },
    defaultItem: defaultItem?.path ?? null,
  };
}

/**
 * Previews, and with `commit` writes the valid rows when there is no invalid one, with the audit event in the same
 * transaction; then drops the agency's cached pages and refreshes the planner statistics after a large import.
 */
export async function importRecords(
  deps: ImportDeps,
  input: RecordImportInput & { commit: boolean; actor: Actor },
): Promise<RecordImportResult> {
  const preview = await previewRecordImport(deps, input);
  if (!input.commit || preview.errors.length > 0 || preview.records.length === 0)
    return { ...preview, imported: 0, auditSeq: null };
  const agencyId = preview.agency.id;
  const rows: BulkRecord[] = preview.records.map((r) => ({
    agencyId,
    id: randomUUID(),
    kind: r.kind,
    indexNo: r.indexNo,
    title: r.title,
    summary: r.summary,
    issuingAgency: r.issuingAgency,
    docNumber: r.docNumber,
    formedDate: r.formedDate,
    publishedDate: r.publishedDate,
    topic: r.topic,
    genre: r.genre,
    keywords: r.keywords,
    validity: r.validity,
    itemId: r.itemId,
    itemStableKey: r.itemStableKey,
    bodyHtml: r.bodyHtml,
    bodyText: r.bodyText,
  }));
  const client = await rawClient(deps.db);
  const onClient = kyselyOnClient(client);
  let auditSeq: number;
  try {
    auditSeq = await onClient.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 1000)
        await copyEncoded(client, encodeRecords(rows.slice(i, i + 1000)));
      // Revision 1 of each record, as publishing leaves one (editing, withdrawing and the history read it).
      for (let i = 0; i < rows.length; i += 500)
        await trx
          .insertInto("record_revisions")
          .values(
            rows.slice(i, i + 500).map((r) => ({
              agency_id: agencyId,
              record_id: r.id as string,
              revision_no: 1,
              status: "published" as const,
              content: JSON.stringify(revisionContent(preview.agency.name, r)),
              body_text: r.bodyText,
              change_note: `批量导入（${preview.fileName}）`,
              created_by: input.actor.id,
              published_by: input.actor.id,
              published_at: publishedAt(r.publishedDate),
            })),
          )
          .execute();
      return deps.audit.record(trx, {
        actorId: input.actor.id,
        actorName: input.actor.name,
        action: "record.import",
        agencyId,
        entityType: "agency",
        entityId: agencyId,
        summary: `批量导入已发布信息${rows.length}条（${preview.fileName}）`,
        after: {
          file: preview.fileName,
          format: preview.format,
          records: rows.length,
          firstIndexNo: rows[0]?.indexNo,
          lastIndexNo: rows[rows.length - 1]?.indexNo,
        },
      });
    });
  } catch (e) {
    // Another writer took one of the 索引号 between the check and the COPY.
    if ((e as { code?: string }).code === "23505")
      throw new AppError(
        "record_import_duplicate",
        "导入期间有索引号已被其他信息使用，未导入任何信息，请重新导入。",
      );
    throw e;
  } finally {
    client.release();
    await onClient.destroy();
  }
  deps.pageCache.invalidate(agencyId);
  await deps.pageCache.settled();
  const { rows: est } = await sql<{ n: number }>`
    SELECT greatest(reltuples, 0)::float8 AS n FROM pg_class WHERE oid = 'records'::regclass`.execute(
    deps.db,
  );
  if (rows.length >= 0.05 * Number(est[0]?.n ?? 0)) await analyzeRecords(deps.db);
  return { ...preview, imported: rows.length, auditSeq };
}
