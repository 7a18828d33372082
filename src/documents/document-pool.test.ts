/**
 * The worker pool on real parsers and real zip bombs: a bomb is rejected from its central directory before any
 * inflation, a lying archive is stopped while inflating, a parse that overruns its heap or wall time ends its
 * worker, and the pool then serves the next document from a fresh worker.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { Document, Packer, Paragraph } from "docx";
import { ooxmlBomb } from "../../test/documents.ts";
import { AppError } from "../errors.ts";
import { createDocumentPool, type DocumentPool } from "./document-pool.ts";

const TEXT = import.meta.resolve("../publishing/attachment-text.ts");
const pools: DocumentPool[] = [];
after(() => Promise.all(pools.map((p) => p.close())));
function pool(...args: Parameters<typeof createDocumentPool>): DocumentPool {
  const p = createDocumentPool(...args);
  pools.push(p);
  return p;
}

const docxText = (p: DocumentPool, bytes: Uint8Array) =>
  p.parse<string>({
    file: bytes,
    expect: "docx",
    module: TEXT,
    fn: "extractAttachmentText",
    args: ["docx", bytes],
  });

async function rejects(promise: Promise<unknown>, code: string): Promise<AppError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof AppError, String(e));
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code}`);
}

const small = async () =>
  Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph("身份证号 110101199003071234")] }] }));

describe("document pool", () => {
  it("extracts text from a real .docx in a parser process", async () => {
    const p = pool({ size: 1 });
    assert.match(await docxText(p, await small()), /110101199003071234/);
    assert.equal(p.stats().completed, 1);
  });

  it("rejects a 200 MB zip bomb from the central directory, without inflating it", async () => {
    const bomb = await ooxmlBomb("docx", 200 * 1024 * 1024);
    assert.ok(bomb.length < 1024 * 1024, `bomb is ${bomb.length} bytes`);
    const p = pool({ size: 1 });
    const rss = process.memoryUsage().rss;
    const e = await rejects(docxText(p, bomb), "document_compression_ratio");
    assert.match(e.message, /压缩炸弹/);
    // Nothing was inflated on this thread (generous bound: the XML alone would be 200 MB).
    assert.ok(process.memoryUsage().rss - rss < 150 * 1024 * 1024);
    // Without the ratio rule the total-size rule still stops it.
    const lenient = pool({ size: 1, limits: { maxRatio: 1_000_000 } });
    await rejects(docxText(lenient, bomb), "document_too_large_uncompressed");
  });

  it("stops an archive whose headers lie about its sizes while inflating", async () => {
    const bomb = await ooxmlBomb("docx", 30 * 1024 * 1024);
    // Rewrite the declared uncompressed size of word/document.xml (local header + central directory) to 1 MiB.
    const lie = Buffer.from(bomb);
    const name = Buffer.from("word/document.xml");
    for (const [sig, sizeAt, nameAt] of [
      [0x04034b50, 22, 30],
      [0x02014b50, 24, 46],
    ] as const) {
      for (let i = 0; i < lie.length - 4; i++) {
        if (lie.readUInt32LE(i) !== sig) continue;
        if (!lie.subarray(i + nameAt, i + nameAt + name.length).equals(name)) continue;
        lie.writeUInt32LE(1024 * 1024, i + sizeAt);
      }
    }
    const p = pool({ size: 1, limits: { maxRatio: 1_000_000 } });
    await rejects(docxText(p, lie), "document_structure_invalid");
  });

  it("verifies the container: a 14-byte 'PK..word/' file is not a .docx", async () => {
    const p = pool({ size: 1 });
    await rejects(docxText(p, Buffer.from("PK\x03\x04word/xxxxx", "latin1")), "document_structure_invalid");
  });

  it("kills a parse that overruns its heap, then serves the next document from a fresh process", async () => {
    const heavy = await ooxmlBomb("docx", 60 * 1024 * 1024);
    // (A generous wall time: this test is about the heap, and a loaded CI machine is slow.)
    const p = pool({ size: 1, limits: { maxRatio: 1_000_000, maxHeapMb: 32, timeoutMs: 180_000 } });
    await rejects(docxText(p, heavy), "document_parse_memory");
    assert.equal(p.stats().recycled, 1);
    assert.match(await docxText(p, await small()), /110101199003071234/);
  });

  it("kills a parse that overruns its wall time, and replaces the process", async () => {
    const heavy = await ooxmlBomb("docx", 20 * 1024 * 1024);
    const p = pool({ size: 1, limits: { maxRatio: 1_000_000, timeoutMs: 300 } });
    await rejects(docxText(p, heavy), "document_parse_timeout");
    assert.equal(p.stats().recycled, 1);
    assert.equal(p.stats().workers, 0);
    // The next job gets a fresh worker (rejected by the inspection, which is fast).
    await rejects(docxText(p, Buffer.from("PK\x03\x04word/xxxxx", "latin1")), "document_structure_invalid");
  });

  it("refuses new work when the queue is full", async () => {
    const p = pool({ size: 1, maxQueue: 1 });
    const bytes = await small();
    // The first job waits for the parser process to start; the second finds the queue full.
    const first = docxText(p, bytes);
    await rejects(docxText(p, bytes), "document_parser_busy");
    assert.match(await first, /110101199003071234/);
  });
});
