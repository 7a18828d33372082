/**
 * @module Attachment checks: allowed types by file signature AND extension, size limit, safe file names. Pure.
 * 条例第24条: the platform supports viewing and downloading, so attachments are common document formats only.
 */
import { stripUnsafeNameChars } from "../shared/filenames.ts";

export type AttachmentType = "pdf" | "doc" | "docx" | "xls" | "xlsx" | "png" | "jpg" | "gif";

export const ATTACHMENT_MIME: Readonly<Record<AttachmentType, string>> = {
  pdf: "application/pdf",
  doc: "application/msword",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xls: "application/vnd.ms-excel",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  png: "image/png",
  jpg: "image/jpeg",
  gif: "image/gif",
};

export const ALLOWED_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "png", "jpg", "jpeg", "gif"] as const;

type Signature = "pdf" | "ole" | "zip" | "png" | "jpg" | "gif" | "unknown";

/** Identifies the container from the first bytes. */
export function sniff(head: Uint8Array): Signature {
  const b = (i: number) => head[i] ?? -1;
  if (b(0) === 0x25 && b(1) === 0x50 && b(2) === 0x44 && b(3) === 0x46 && b(4) === 0x2d) return "pdf"; // %PDF-
  if (b(0) === 0xd0 && b(1) === 0xcf && b(2) === 0x11 && b(3) === 0xe0 && b(4) === 0xa1 && b(5) === 0xb1)
    return "ole"; // .doc / .xls (Compound File Binary)
  if (b(0) === 0x50 && b(1) === 0x4b && b(2) === 0x03 && b(3) === 0x04) return "zip"; // .docx / .xlsx (OOXML)
  if (b(0) === 0x89 && b(1) === 0x50 && b(2) === 0x4e && b(3) === 0x47) return "png";
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return "jpg";
  if (b(0) === 0x47 && b(1) === 0x49 && b(2) === 0x46 && b(3) === 0x38) return "gif";
  return "unknown";
}

const EXPECTED: Readonly<Record<AttachmentType, Signature>> = {
  pdf: "pdf",
  doc: "ole",
  docx: "zip",
  xls: "ole",
  xlsx: "zip",
  png: "png",
  jpg: "jpg",
  gif: "gif",
};

export function extensionOf(fileName: string): string {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(fileName.trim());
  return m ? m[1]!.toLowerCase() : "";
}

export type AttachmentCheck =
  | { ok: true; type: AttachmentType; mime: string }
  | { ok: false; reason: "type" | "mismatch" | "size" | "empty"; message: string };

/** OOXML packages name their part folders in the (uncompressed) zip headers: word/ for .docx, xl/ for .xlsx. */
function zipHasEntry(data: Uint8Array, prefix: string): boolean {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).includes(Buffer.from(prefix, "latin1"));
}

/**
 * The extension must be allowed and the content must match it (file signature; for .docx/.xlsx also the package's
 * part folder); size within `maxBytes`. `data` is the whole file (or at least its headers).
 */
export function checkAttachment(
  fileName: string,
  data: Uint8Array,
  size: number,
  maxBytes: number,
): AttachmentCheck {
  const head = data.subarray(0, 16);
  if (size <= 0) return { ok: false, reason: "empty", message: "文件为空" };
  if (size > maxBytes)
    return {
      ok: false,
      reason: "size",
      message: `文件大小超过上限（${Math.floor(maxBytes / 1024 / 1024)}MB）`,
    };
  const ext = extensionOf(fileName);
  const type = (ext === "jpeg" ? "jpg" : ext) as AttachmentType;
  if (!(type in EXPECTED))
    return {
      ok: false,
      reason: "type",
      message: "只能上传 PDF、Word（doc/docx）、Excel（xls/xlsx）或图片（png/jpg/gif）文件",
    };
  const mismatch = {
    ok: false as const,
    reason: "mismatch" as const,
    message: `文件内容与扩展名 .${ext} 不符`,
  };
  if (sniff(head) !== EXPECTED[type]) return mismatch;
  if (type === "docx" && !zipHasEntry(data, "word/")) return mismatch;
  if (type === "xlsx" && !zipHasEntry(data, "xl/")) return mismatch;
  return { ok: true, type, mime: ATTACHMENT_MIME[type] };
}

/** A file name safe to store and show: no paths, no control or bidi characters, at most 120 characters. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const clean = stripUnsafeNameChars(base)
    .replace(/[<>:"|?*]/g, "")
    .trim();
  if (clean.length <= 120) return clean || "附件";
  const ext = extensionOf(clean);
  return `${clean.slice(0, 110)}${ext ? `.${ext}` : ""}`;
}

/** Human-readable size, e.g. "1.2 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
