/**
 * @module Zip inspection before any parser decompresses a file (runs inside the parser worker): the central
 * directory is read with yauzl (names and declared sizes only, nothing inflated) and checked against the limits by
 * document.rules.ts; then every entry is inflated as a stream, counting bytes, so an archive whose headers lie
 * about sizes is stopped at the limit instead of filling the heap.
 *
 *   await inspectZip(bytes, limits, "docx");   // throws DocumentViolation
 */
import yauzl from "yauzl";
import {
  type ContainerType,
  checkZipEntries,
  type DocumentLimits,
  type Violation,
  type ZipEntryInfo,
} from "./document.rules.ts";

/** A limit or structure violation found inside the worker (sent back to the pool as { code, message }). */
export class DocumentViolation extends Error {
  readonly code: Violation["code"];
  constructor(v: Violation) {
    super(v.message);
    this.name = "DocumentViolation";
    this.code = v.code;
  }
}

function unreadable(): DocumentViolation {
  return new DocumentViolation({
    code: "document_structure_invalid",
    message: "这不是有效的压缩格式文档（.docx/.xlsx 的目录结构已损坏或被截断）。",
  });
}

export async function inspectZip(
  bytes: Uint8Array,
  limits: DocumentLimits,
  expect?: ContainerType,
): Promise<void> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(buffer, {
      lazyEntries: true,
      validateEntrySizes: true,
      strictFileNames: false,
    });
  } catch {
    throw unreadable();
  }
  const entries: yauzl.Entry[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      entries.push(entry);
      // Stop reading the directory early: the count alone is already a violation.
      if (entries.length > limits.maxEntries) break;
    }
  } catch {
    zip.close();
    throw unreadable();
  }
  const infos: ZipEntryInfo[] = entries.map((e) => ({
    name: e.fileName,
    compressedSize: e.compressedSize,
    uncompressedSize: e.uncompressedSize,
  }));
  const violation = checkZipEntries(infos, buffer.length, limits, expect);
  if (violation) {
    zip.close();
    throw new DocumentViolation(violation);
  }
  // The declared sizes passed; now inflate for real with a byte budget (yauzl also fails an entry whose actual size
  // differs from its declared one).
  let budget = limits.maxUncompressedBytes;
  try {
    for (const entry of entries) {
      if (entry.fileName.endsWith("/")) continue;
      const stream = await zip.openReadStreamPromise(entry);
      for await (const chunk of stream) {
        budget -= (chunk as Buffer).length;
        if (budget < 0) {
          stream.destroy();
          throw new DocumentViolation({
            code: "document_too_large_uncompressed",
            message: `文件解压后超过上限 ${Math.round(limits.maxUncompressedBytes / 1024 / 1024)} MB（疑似“压缩炸弹”），已拒绝。`,
          });
        }
      }
    }
  } catch (e) {
    if (e instanceof DocumentViolation) throw e;
    throw unreadable();
  } finally {
    zip.close();
  }
}
