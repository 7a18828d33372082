/**
 * @module Files of an application: what the applicant attaches to an online 补正 and the disclosed information the
 * handler attaches to the reply (在线查看 / 电子文档). Every file goes through the upload checks (type allowed,
 * magic bytes match the extension, size; src/http/uploads.ts) and, for PDF and Office files, the untrusted-document
 * checks in an isolated parser process (src/documents/) before a byte is written; then it is stored
 * content-addressed (src/documents/file-store.ts).
 */

import type { Actor } from "../accounts/policy.ts";
import type { Agency } from "../agencies/agency.service.ts";
import type { Tx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { readStoredFile, writeStoredFile } from "../documents/file-store.ts";
import { AppError } from "../errors.ts";
import { inspectUpload, type UploadKind } from "../http/uploads.ts";
import { isUuid } from "../shared/ids.ts";
import { deleteFile, findFile, insertFile, listFiles } from "./applicant-online.repository.ts";
import type { FilePurpose, RequestFileRow } from "./applicant-online.table.ts";
import { findInfoRequest } from "./info-request.repository.ts";

/** What an applicant may attach to a 补正 and a handler to a reply. */
export const REQUEST_FILE_KINDS: readonly UploadKind[] = ["pdf", "ofd", "docx", "xlsx", "png", "jpeg", "txt"];
/** Files per online 补正. */
export const MAX_CORRECTION_FILES = 5;

const PARSED: Partial<Record<UploadKind, "pdf" | "docx" | "xlsx">> = {
  pdf: "pdf",
  docx: "docx",
  xlsx: "xlsx",
};

export interface CheckedFile {
  fileName: string;
  mime: string;
  size: number;
  data: Buffer;
}

/**
 * The upload and untrusted-document checks, without storing.
 * @throws AppError upload_rejected | payload_too_large | document_* (limits, structure, polyglot, time, heap)
 */
export async function checkRequestFile(
  deps: Pick<Deps, "config" | "documents">,
  file: { fileName: string; data: Buffer },
): Promise<CheckedFile> {
  const info = inspectUpload({
    filename: file.fileName,
    data: file.data,
    allowed: REQUEST_FILE_KINDS,
    maxBytes: deps.config.maxUploadBytes,
  });
  const expect = PARSED[info.kind];
  if (expect || info.kind === "ofd")
    await deps.documents.parse<true>({
      file: file.data,
      expect,
      module: import.meta.resolve("./request-file.check.ts"),
      fn: "containerChecked",
      args: [],
    });
  return { fileName: info.filename, mime: info.mime, size: info.size, data: file.data };
}

/** Stores checked files and their rows (inside the caller's transaction). */
export async function saveRequestFiles(
  trx: Tx,
  deps: Pick<Deps, "config">,
  o: { agencyId: string; requestId: string; purpose: FilePurpose; uploadedBy: string; files: CheckedFile[] },
): Promise<RequestFileRow[]> {
  const out: RequestFileRow[] = [];
  for (const f of o.files) {
    const sha256 = writeStoredFile(deps.config, o.agencyId, f.data);
    out.push(
      await insertFile(trx, {
        agency_id: o.agencyId,
        request_id: o.requestId,
        purpose: o.purpose,
        file_name: f.fileName,
        mime_type: f.mime,
        size_bytes: f.size,
        sha256,
        uploaded_by: o.uploadedBy,
      }),
    );
  }
  return out;
}

export async function requestFiles(
  deps: Pick<Deps, "db">,
  agencyId: string,
  requestId: string,
  purpose?: FilePurpose,
): Promise<RequestFileRow[]> {
  return listFiles(deps.db, agencyId, requestId, purpose);
}

/**
 * A stored file of an application with its bytes (checksum verified).
 * @throws AppError not_found
 */
export async function readRequestFile(
  deps: Pick<Deps, "db" | "config">,
  agencyId: string,
  requestId: string,
  fileId: string,
): Promise<{ file: RequestFileRow; data: Buffer }> {
  if (!isUuid(fileId)) throw new AppError("not_found");
  const file = await findFile(deps.db, agencyId, requestId, fileId);
  if (!file) throw new AppError("not_found");
  const data = readStoredFile(deps.config, agencyId, file.sha256);
  if (!data) throw new AppError("not_found", "文件缺失或已损坏，请联系本机关。");
  return { file, data };
}

/**
 * The handler attaches disclosed information to the reply (条例第40条: 在线查看 / 电子文档), audited.
 * @throws AppError info_request_not_found | upload_rejected | payload_too_large | document_*
 */
export async function attachDisclosedFiles(
  deps: Deps,
  agency: Agency,
  requestId: string,
  actor: Actor,
  files: { fileName: string; data: Buffer }[],
): Promise<RequestFileRow[]> {
  if (files.length === 0)
    throw new AppError("validation_failed", "请选择要提供给申请人的文件。", {
      fields: [{ field: "file", message: "请选择文件" }],
    });
  const checked: CheckedFile[] = [];
  for (const f of files) checked.push(await checkRequestFile(deps, f));
  return deps.db.transaction().execute(async (trx) => {
    const row = await findInfoRequest(trx, agency.id, requestId);
    if (!row) throw new AppError("info_request_not_found");
    if (row.status === "archived")
      throw new AppError("info_request_invalid_state", "该申请已归档，不能再添加答复材料。");
    const saved = await saveRequestFiles(trx, deps, {
      agencyId: agency.id,
      requestId,
      purpose: "disclosure",
      uploadedBy: actor.name,
      files: checked,
    });
    await deps.audit.record(trx, {
      actorId: actor.id,
      actorName: actor.name,
      ip: actor.ip,
      action: "request.handle",
      agencyId: agency.id,
      entityType: "info_request",
      entityId: requestId,
      summary: `${row.number}：添加答复提供的信息 ${saved.map((f) => `《${f.file_name}》`).join("")}`,
      after: {
        files: saved.map((f) => ({ id: f.id, name: f.file_name, sha256: f.sha256, size: f.size_bytes })),
      },
    });
    return saved;
  });
}

/** Removes a disclosed file before the application is archived (audited). */
export async function removeDisclosedFile(
  deps: Deps,
  agency: Agency,
  requestId: string,
  fileId: string,
  actor: Actor,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await findInfoRequest(trx, agency.id, requestId);
    if (!row) throw new AppError("info_request_not_found");
    if (row.status === "archived")
      throw new AppError("info_request_invalid_state", "该申请已归档，不能再删除答复材料。");
    const file = isUuid(fileId) ? await findFile(trx, agency.id, requestId, fileId) : undefined;
    if (file?.purpose !== "disclosure") throw new AppError("not_found");
    await deleteFile(trx, agency.id, requestId, fileId);
    await deps.audit.record(trx, {
      actorId: actor.id,
      actorName: actor.name,
      ip: actor.ip,
      action: "request.handle",
      agencyId: agency.id,
      entityType: "info_request",
      entityId: requestId,
      summary: `${row.number}：删除答复提供的信息《${file.file_name}》`,
    });
  });
}
