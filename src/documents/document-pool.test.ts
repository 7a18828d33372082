/**
 * The worker pool on real parsers and real zip bombs: a bomb is rejected from its central directory before any
 * inflation, a lying archive is stopped while inflating, a parse that overruns its heap or wall time ends its
 * worker, and the pool then serves the next document from a fresh worker.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, describe, it } from "node:test";
import { Document, Packer, Paragraph } from "docx";
import { ooxmlBomb, tinyXlsx } from "../../test/documents.ts";
import { AppError } from "../errors.ts";
import { createDocumentPool, type DocumentPool, type ParserDeath, parserDeathCode } from "./document-pool.ts";

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
    assert.equal(e.code, code, `${e.message} ${JSON.stringify(e.details ?? {})}`);
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
    // Its limits are on its command line: the heap, and one GC thread (see the note at spawn in document-pool.ts).
    const cmdline = (await readFile(`/proc/${p.pids()[0]}/cmdline`, "utf8")).split("\0");
    assert.ok(cmdline.includes("--max-old-space-size=256"), cmdline.join(" "));
    assert.ok(cmdline.includes("--single-threaded-gc"), cmdline.join(" "));
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
    const deaths: unknown[] = [];
    // (A generous wall time: this test is about the heap, and a loaded CI machine is slow.)
    const p = pool({
      size: 1,
      limits: { maxRatio: 1_000_000, maxHeapMb: 32, timeoutMs: 180_000 },
      onParserDeath: (d) => deaths.push(d),
    });
    try {
      await rejects(docxText(p, heavy), "document_parse_memory");
    } catch (e) {
      // What the process left behind, to tell a different death from a misreading of this one.
      throw new Error(`${String(e)}\n${JSON.stringify(deaths, null, 1)}`);
    }
    assert.equal(deaths.length, 1);
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

  it("a parser killed from outside (the kernel's OOM killer) is a memory overrun, and the pool goes on", async () => {
    const heavy = await ooxmlBomb("docx", 20 * 1024 * 1024);
    const deaths: { signal: string | null; code: string }[] = [];
    const p = pool({
      size: 1,
      limits: { maxRatio: 1_000_000, timeoutMs: 60_000 },
      onParserDeath: (d) => deaths.push(d),
    });
    const job = docxText(p, heavy);
    // Kill the busy process as the kernel would: SIGKILL from another process, while it parses.
    for (let i = 0; i < 200 && p.stats().busy === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const pid = p.pids()[0];
    assert.ok(pid, "the pool names its parser processes");
    process.kill(pid, "SIGKILL");
    await rejects(job, "document_parse_memory");
    assert.deepEqual(
      deaths.map((d) => [d.signal, d.code]),
      [["SIGKILL", "document_parse_memory"]],
    );
    assert.match(await docxText(p, await small()), /110101199003071234/);
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

describe("table range bombs: a few bytes that a reader would expand cell by cell", () => {
  const TABLES = import.meta.resolve("./table-readers.ts");
  const WHOLE_SHEET = "A1:XFD1048576"; // 17,179,869,184 cells
  const tables = (p: DocumentPool, bytes: Uint8Array) =>
    p.parse<{ name: string; rows: { cells: string[]; spanLeft?: boolean[] }[] }[]>({
      file: bytes,
      expect: "xlsx",
      module: TABLES,
      fn: "readXlsxTables",
      args: [
        "目录.xlsx",
        bytes,
        { unreadable: "validation_failed", tooLarge: "validation_failed", maxRows: 20_000 },
      ],
    });
  const xlsxText = (p: DocumentPool, bytes: Uint8Array) =>
    p.parse<string>({
      file: bytes,
      expect: "xlsx",
      module: TEXT,
      fn: "extractAttachmentText",
      args: ["xlsx", bytes],
    });

  // Before: each held its parser process 10–25 s until the heap or wall-time limit killed it.
  it("a merge over the whole sheet: an import refuses it at once; text extraction reads the text", async () => {
    const bomb = await tinyXlsx({
      afterSheetData: `<mergeCells count="1"><mergeCell ref="C1:XFD1048576"/></mergeCells>`,
    });
    assert.ok(bomb.length < 2048, `${bomb.length} bytes`);
    const p = pool({ size: 1 });
    const e = await rejects(tables(p, bomb), "document_too_many_cells");
    assert.match(
      e.message,
      /合并单元格共覆盖 17,177,772,032 个单元格（最大的是 C1:XFD1048576），超过上限 250,000 个/,
    );
    assert.equal(await xlsxText(p, bomb), "索引号\t标题");
    assert.equal(p.stats().recycled, 0, "no parser process was killed");
  });

  it("data validations and defined names over the whole sheet are not read", async () => {
    const validated = await tinyXlsx({
      afterSheetData: `<dataValidations count="1"><dataValidation type="list" sqref="${WHOLE_SHEET}"><formula1>"有效,废止"</formula1></dataValidation></dataValidations>`,
    });
    const named = await tinyXlsx({
      definedNames: `<definedName name="全表">目录!$A$1:$XFD$1048576</definedName>`,
    });
    const p = pool({ size: 1 });
    for (const bomb of [validated, named]) {
      assert.deepEqual((await tables(p, bomb))[0]?.rows[0]?.cells, ["索引号", "标题"]);
      assert.equal(await xlsxText(p, bomb), "索引号\t标题");
    }
    assert.equal(p.stats().recycled, 0, "no parser process was killed");
  });

  it("an HTML table whose rowspan/colspan expand to 200 million cells: both imports refuse it at once", async () => {
    const table = (colspan: number) =>
      Buffer.from(
        `<html><body><table><tr>${`<td colspan="${colspan}" rowspan="20000">x</td>`.repeat(200)}</tr>${"<tr></tr>".repeat(19_999)}</table></body></html>`,
      );
    const p = pool({ size: 1 });
    for (const [module, fn, bytes] of [
      [import.meta.resolve("../catalog/catalog-import.readers.ts"), "readCatalogFile", table(50)],
      [import.meta.resolve("../publishing/record-import.readers.ts"), "readRecordFile", table(200)],
    ] as const) {
      assert.ok(bytes.length < 200_000);
      const e = await rejects(
        p.parse({ file: bytes, module, fn, args: ["目录.html", bytes] }),
        "document_too_many_cells",
      );
      assert.match(e.message, /展开后超过 1,000,000 个单元格/);
    }
    assert.equal(p.stats().recycled, 0, "no parser process was killed");
  });

  it("ordinary merges (a two-row header) are still read", async () => {
    const sheet = await tinyXlsx({
      cells: `<row r="1"><c r="A1" t="inlineStr"><is><t>日期</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>成文日期</t></is></c><c r="B2" t="inlineStr"><is><t>发布日期</t></is></c></row>`,
      afterSheetData: `<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>`,
    });
    const p = pool({ size: 1 });
    const [table] = await tables(p, sheet);
    assert.deepEqual(table?.rows[0]?.spanLeft, [false, true]);
  });
});

describe("parserDeathCode: how a parser process that died during a job is reported", () => {
  const none = { signal: null, exitCode: null, outOfMemory: false, otherFatal: false } satisfies ParserDeath;
  const cases: [string, Partial<ParserDeath>, string][] = [
    [
      "V8 named the heap overrun and aborted",
      { signal: "SIGABRT", outOfMemory: true },
      "document_parse_memory",
    ],
    ["V8 named it, whatever the exit", { exitCode: 134, outOfMemory: true }, "document_parse_memory"],
    [
      "a SIGKILL nobody in the pool sent: the kernel's OOM killer",
      { signal: "SIGKILL" },
      "document_parse_memory",
    ],
    ["SIGABRT whose message was lost", { signal: "SIGABRT" }, "document_parse_memory"],
    [
      "SIGABRT from a failed assertion",
      { signal: "SIGABRT", otherFatal: true },
      "document_structure_invalid",
    ],
    ["a segmentation fault in a parser", { signal: "SIGSEGV" }, "document_structure_invalid"],
    ["V8's trap on a failed check", { signal: "SIGTRAP", otherFatal: true }, "document_structure_invalid"],
    ["an exit with a code", { exitCode: 1 }, "document_structure_invalid"],
  ];
  for (const [name, death, code] of cases)
    it(name, () => assert.equal(parserDeathCode({ ...none, ...death }), code));
});
