/**
 * @module Upload checks shared by every feature that accepts files: the type must be allowed AND the content's
 * magic bytes must match the extension (a renamed .exe is rejected), the size must be within the limit
 * (config.maxUploadBytes by default), and a SHA-256 checksum is computed for storage and integrity.
 *
 *   const part = await request.file();                       // @fastify/multipart
 *   const data = await readStream(part.file, deps.config.maxUploadBytes);
 *   const info = inspectUpload({ filename: part.filename, data, allowed: ["pdf", "docx"], maxBytes: deps.config.maxUploadBytes });
 *   // info = { kind, mime, extension, size, sha256, filename }
 *
 * Errors: AppError upload_rejected (415) | payload_too_large (413).
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { AppError } from "../errors.ts";
import { stripUnsafeNameChars } from "../shared/filenames.ts";

export type UploadKind =
  | "pdf"
  | "ofd"
  | "docx"
  | "xlsx"
  | "doc"
  | "xls"
  | "png"
  | "jpeg"
  | "gif"
  | "zip"
  | "txt"
  | "csv";

interface KindSpec {
  extensions: readonly string[];
  mime: string;
  matches(data: Buffer): boolean;
}

const startsWith = (data: Buffer, bytes: number[], offset = 0) =>
  data.length >= offset + bytes.length && bytes.every((b, i) => data[offset + i] === b);
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/** Zip entry names are stored uncompressed in the local headers and central directory. */
const zipHas = (data: Buffer, entry: string) =>
  startsWith(data, ZIP) && data.includes(Buffer.from(entry, "latin1"));
const isText = (data: Buffer) => !data.subarray(0, 64 * 1024).includes(0);

export const UPLOAD_KINDS: Record<UploadKind, KindSpec> = {
  pdf: {
    extensions: [".pdf"],
    mime: "application/pdf",
    matches: (d) => startsWith(d, [0x25, 0x50, 0x44, 0x46, 0x2d]),
  },
  // OFD (GB/T 33190-2016 版式文档): a zip whose root holds OFD.xml.
  ofd: { extensions: [".ofd"], mime: "application/ofd", matches: (d) => zipHas(d, "OFD.xml") },
  docx: {
    extensions: [".docx"],
    mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    matches: (d) => zipHas(d, "word/"),
  },
  xlsx: {
    extensions: [".xlsx"],
    mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    matches: (d) => zipHas(d, "xl/"),
  },
  doc: { extensions: [".doc", ".wps"], mime: "application/msword", matches: (d) => startsWith(d, OLE) },
  xls: { extensions: [".xls", ".et"], mime: "application/vnd.ms-excel", matches: (d) => startsWith(d, OLE) },
  png: {
    extensions: [".png"],
    mime: "image/png",
    matches: (d) => startsWith(d, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  },
  jpeg: {
    extensions: [".jpg", ".jpeg"],
    mime: "image/jpeg",
    matches: (d) => startsWith(d, [0xff, 0xd8, 0xff]),
  },
  gif: {
    extensions: [".gif"],
    mime: "image/gif",
    matches: (d) =>
      startsWith(d, [0x47, 0x49, 0x46, 0x38, 0x37, 0x61]) ||
      startsWith(d, [0x47, 0x49, 0x46, 0x38, 0x39, 0x61]),
  },
  zip: { extensions: [".zip"], mime: "application/zip", matches: (d) => startsWith(d, ZIP) },
  txt: { extensions: [".txt"], mime: "text/plain; charset=utf-8", matches: isText },
  csv: { extensions: [".csv"], mime: "text/csv; charset=utf-8", matches: isText },
};

export interface UploadInfo {
  kind: UploadKind;
  mime: string;
  /** Lower-case extension with the dot, e.g. ".pdf". */
  extension: string;
  size: number;
  /** Hex SHA-256 of the content. */
  sha256: string;
  /** The original name made safe for display and Content-Disposition (no path, no control characters). */
  filename: string;
}

/** Drops directories, control and bidi characters, caps the length (keeps Chinese characters). */
export function safeFilename(name: string): string {
  const base = path.posix.basename(name.replaceAll("\\", "/"));
  const clean = stripUnsafeNameChars(base)
    .replace(/["<>|:*?]/g, "")
    .trim();
  if (clean.length <= 200) return clean || "file";
  const ext = path.extname(clean).slice(0, 10);
  return clean.slice(0, 200 - ext.length) + ext;
}

/**
 * Checks an uploaded file's size, extension and content.
 * @throws AppError payload_too_large | upload_rejected
 */
export function inspectUpload(o: {
  filename: string;
  data: Buffer;
  allowed: readonly UploadKind[];
  maxBytes: number;
}): UploadInfo {
  if (o.data.length > o.maxBytes)
    throw new AppError("payload_too_large", `文件过大（上限 ${Math.floor(o.maxBytes / 1024 / 1024)} MB）。`);
  if (o.data.length === 0) throw new AppError("upload_rejected", "文件为空。");
  const filename = safeFilename(o.filename);
  const extension = path.extname(filename).toLowerCase();
  const kind = o.allowed.find((k) => UPLOAD_KINDS[k].extensions.includes(extension));
  if (!kind) {
    const list = o.allowed.flatMap((k) => UPLOAD_KINDS[k].extensions).join("、");
    throw new AppError("upload_rejected", `不支持该文件类型，允许：${list}。`);
  }
  if (!UPLOAD_KINDS[kind].matches(o.data))
    throw new AppError("upload_rejected", "文件内容与扩展名不符，请确认文件未被改名或损坏。");
  return {
    kind,
    mime: UPLOAD_KINDS[kind].mime,
    extension,
    size: o.data.length,
    sha256: createHash("sha256").update(o.data).digest("hex"),
    filename,
  };
}

/** Reads a stream into memory, failing with payload_too_large as soon as `maxBytes` is exceeded. */
export async function readStream(stream: AsyncIterable<Buffer | string>, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    size += buf.length;
    if (size > maxBytes) {
      const destroy = (stream as { destroy?: () => void }).destroy;
      if (typeof destroy === "function") destroy.call(stream);
      throw new AppError("payload_too_large", `文件过大（上限 ${Math.floor(maxBytes / 1024 / 1024)} MB）。`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, size);
}
