/**
 * @module Encoding worker thread of the bulk loader (record-bulk.ts): receives `{ id, records }`, answers
 * `{ id, buffer, length }` (the binary COPY bytes of record-bulk.encode.ts, transferred) or `{ id, error }`.
 * Only our own generated or already validated records reach it (untrusted files are parsed in the document pool).
 */
import { parentPort } from "node:worker_threads";
import { type BulkRecord, encodeRecords } from "./record-bulk.encode.ts";

parentPort?.on("message", (m: { id: number; records: BulkRecord[] }) => {
  try {
    const b = encodeRecords(m.records);
    // Buffers this large are never slices of Node's shared pool: the whole ArrayBuffer is ours to transfer.
    const ab = b.buffer as ArrayBuffer;
    parentPort?.postMessage({ id: m.id, buffer: ab, length: b.byteOffset + b.length }, [ab]);
  } catch (e) {
    parentPort?.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
  }
});
