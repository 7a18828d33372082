/**
 * @module Attachment files: checking, storing under `<dataDir>/uploads/<agencyId>/<sha256>` (content-addressed,
 * written once, atomically) and extracting text for the personal-data scan (text PDFs via unpdf, .docx via
 * mammoth, .xlsx via exceljs; images, .doc and .xls have no extractable text here).
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config.ts";
import { AppError } from "../errors.ts";
import { type AttachmentType, checkAttachment, safeFileName } from "./attachment.rules.ts";

/** Upper bound of extracted text kept per file (the scan and search do not need more). */
const MAX_TEXT = 500_000;

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

/** Extracted text of a document (empty when the format has no text we can read, or it fails to parse). */
export async function extractText(type: AttachmentType, data: Buffer): Promise<string> {
  try {
    if (type === "pdf") {
      const { extractText: pdfText } = await import("unpdf");
      const { text } = await pdfText(new Uint8Array(data), { mergePages: true });
      return text.slice(0, MAX_TEXT);
    }
    if (type === "docx") {
      const mammoth = (await import("mammoth")).default;
      const { value } = await mammoth.extractRawText({ buffer: data });
      return value.slice(0, MAX_TEXT);
    }
    if (type === "xlsx") {
      const ExcelJS = (await import("exceljs")).default;
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(data as unknown as ArrayBuffer);
      const lines: string[] = [];
      wb.eachSheet((sheet) => {
        sheet.eachRow((row) => {
          const cells: string[] = [];
          row.eachCell((cell) => {
            cells.push(cell.text ?? "");
          });
          lines.push(cells.join("\t"));
        });
      });
      return lines.join("\n").slice(0, MAX_TEXT);
    }
  } catch {
    return "";
  }
  return "";
}

/**
 * Checks and stores an uploaded file.
 * @throws AppError upload_rejected (type/content) | payload_too_large
 */
export async function storeUpload(
  config: Pick<Config, "dataDir" | "maxUploadBytes">,
  agencyId: string,
  originalName: string,
  data: Buffer,
): Promise<StoredFile> {
  const fileName = safeFileName(originalName);
  const check = checkAttachment(fileName, data, data.length, config.maxUploadBytes);
  if (!check.ok) {
    const code = check.reason === "size" ? "payload_too_large" : "upload_rejected";
    throw new AppError(code, check.message, { fields: [{ field: "file", message: check.message }] });
  }
  const sha256 = createHash("sha256").update(data).digest("hex");
  const target = uploadPath(config, agencyId, sha256);
  if (!fs.existsSync(target)) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const tmp = `${target}.${randomBytes(6).toString("hex")}.tmp`;
    fs.writeFileSync(tmp, data, { mode: 0o640 });
    fs.renameSync(tmp, target);
  }
  const text = await extractText(check.type, data);
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
