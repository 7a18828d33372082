/**
 * @module Attachment files: checking, storing (src/documents/file-store.ts: `<dataDir>/uploads/<agencyId>/<sha256>`,
 * content-addressed, written once, atomically) and extracting text for the personal-data scan. Documents are inspected (zip limits,
 * container structure, PDF/HTML polyglots) and parsed in the document worker pool (src/documents/), never on the
 * server's thread; a file that fails the inspection is rejected before anything is written.
 */
import type { Config } from "../config.ts";
import type { DocumentPool } from "../documents/document-pool.ts";
import { writeStoredFile } from "../documents/file-store.ts";
import { AppError } from "../errors.ts";
import { type AttachmentType, checkAttachment, safeFileName } from "./attachment.rules.ts";

export interface StoredFile {
  fileName: string;
  type: AttachmentType;
  mime: string;
  size: number;
  sha256: string;
  text: string;
}

/** Containers whose text is extracted (and whose structure is verified) in the document worker. */
const PARSED: ReadonlySet<AttachmentType> = new Set(["pdf", "docx", "xlsx"]);

/**
 * Checks, inspects (in the worker) and stores an uploaded file.
 * @throws AppError upload_rejected (type/content) | payload_too_large | document_* (limits, structure, time, heap)
 */
export async function storeUpload(
  deps: { config: Pick<Config, "dataDir" | "maxUploadBytes">; documents: DocumentPool },
  agencyId: string,
  originalName: string,
  data: Buffer,
): Promise<StoredFile> {
  const config = deps.config;
  const fileName = safeFileName(originalName);
  const check = checkAttachment(fileName, data, data.length, config.maxUploadBytes);
  if (!check.ok) {
    const code = check.reason === "size" ? "payload_too_large" : "upload_rejected";
    throw new AppError(code, check.message, { fields: [{ field: "file", message: check.message }] });
  }
  const type = check.type;
  const text = PARSED.has(type)
    ? await deps.documents.parse<string>({
        file: data,
        expect: type === "pdf" ? "pdf" : type === "docx" ? "docx" : "xlsx",
        module: import.meta.resolve("./attachment-text.ts"),
        fn: "extractAttachmentText",
        args: [type, data],
      })
    : "";
  const sha256 = writeStoredFile(config, agencyId, data);
  return { fileName, type: check.type, mime: check.mime, size: data.length, sha256, text };
}

export { readStoredFile, storedFileExists, uploadPath } from "../documents/file-store.ts";
