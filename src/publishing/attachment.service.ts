/**
 * @module Attachment files: checking, storing under `<dataDir>/uploads/<agencyId>/<sha256>` (content-addressed,
 * written once, atomically) and extracting text for the personal-data scan. Documents are inspected (zip limits,
 * container structure, PDF/HTML polyglots) and parsed in the document worker pool (src/documents/), never on the
 * server's thread; a file that fails the inspection is rejected before anything is written.
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config.ts";
import type { DocumentPool } from "../documents/document-pool.ts";
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

export function uploadPath(config: Pick<Config, "dataDir">, agencyId: string, sha256: string): string {
  if (!/^[0-9a-f-]{36}$/.test(agencyId) || !/^[0-9a-f]{64}$/.test(sha256))
    throw new Error("invalid upload path");
  return path.join(config.dataDir, "uploads", agencyId, sha256);
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
  const sha256 = createHash("sha256").update(data).digest("hex");
  const target = uploadPath(config, agencyId, sha256);
  if (!fs.existsSync(target)) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const tmp = `${target}.${randomBytes(6).toString("hex")}.tmp`;
    fs.writeFileSync(tmp, data, { mode: 0o640 });
    fs.renameSync(tmp, target);
  }
  return { fileName, type: check.type, mime: check.mime, size: data.length, sha256, text };
}

/** Reads a stored file, verifying its checksum (a corrupted file is reported, never served). */
export function readStoredFile(
  config: Pick<Config, "dataDir">,
  agencyId: string,
  sha256: string,
): Buffer | undefined {
  const file = uploadPath(config, agencyId, sha256);
  if (!fs.existsSync(file)) return undefined;
  const data = fs.readFileSync(file);
  if (createHash("sha256").update(data).digest("hex") !== sha256) return undefined;
  return data;
}

export function storedFileExists(config: Pick<Config, "dataDir">, agencyId: string, sha256: string): boolean {
  return fs.existsSync(uploadPath(config, agencyId, sha256));
}
