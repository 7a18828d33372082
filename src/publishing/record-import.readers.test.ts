import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../errors.ts";
import { seededRandom } from "../shared/random.ts";
import { cmsWorkbook, importFixture } from "./record-import.fixtures.ts";
import { readRecordFile } from "./record-import.readers.ts";
import { itemMatcher, mapHeaders, planImport } from "./record-import.rules.ts";

const SOURCES: [string, Buffer][] = [
  ["目录.xlsx", cmsWorkbook()],
  ...[
    "trs-export-gb18030.csv",
    "hanweb-export-utf8-bom.csv",
    "excel-unicode-text.txt",
    "two-row-header-utf8.csv",
    "cms-html-table.xls",
    "bad-rows-utf8.csv",
  ].map((n): [string, Buffer] => [n, importFixture(n)]),
  [
    "export.json",
    Buffer.from(
      JSON.stringify({
        records: [{ 索引号: "J-1", 标题: "一", 发布日期: 1683302400000, 正文: "正文", 关键词: ["a"] }],
      }),
    ),
  ],
];

/** A damaged copy: bytes flipped, a run cut out or doubled, or the file truncated. */
function damage(bytes: Buffer, next: () => number): Buffer {
  const b = Buffer.from(bytes);
  const at = () => Math.floor(next() * b.length);
  switch (Math.floor(next() * 4)) {
    case 0:
      for (let i = 0; i < 1 + next() * 20; i++) b[at()] = Math.floor(next() * 256);
      return b;
    case 1: {
      const from = at();
      return Buffer.concat([b.subarray(0, from), b.subarray(from + Math.floor(next() * 200))]);
    }
    case 2: {
      const from = at();
      const run = b.subarray(from, from + Math.floor(next() * 200));
      return Buffer.concat([b.subarray(0, from), run, run, b.subarray(from)]);
    }
    default:
      return b.subarray(0, at());
  }
}

describe("records import readers", () => {
  it("never crashes on damaged files: each reads, or is refused with a record_import_* error in Chinese", async () => {
    const next = seededRandom(20261204);
    const ctx = {
      agency: { id: "ag", slug: "zw", name: "中卫市人社局", shortName: null },
      matchItem: itemMatcher([
        { id: "i1", stableKey: "k1", number: "1", name: "通知公告", path: ["通知公告"] },
      ]),
      existingIndexNos: new Set<string>(),
      today: "2026-03-16",
    };
    const codes = new Map<string, number>();
    for (let i = 0; i < 240; i++) {
      const [name, bytes] = SOURCES[i % SOURCES.length] as [string, Buffer];
      const input = damage(bytes, next);
      try {
        const read = await readRecordFile(name, input);
        // Whatever was read plans without throwing (rows become records, errors or skipped rows).
        const plan = planImport(mapHeaders(read.headers), read.rows, ctx);
        assert.equal(
          plan.records.length + plan.errors.length + plan.skipped.length + plan.emptyRows,
          read.rows.length,
        );
        codes.set("read", (codes.get("read") ?? 0) + 1);
      } catch (e) {
        assert.ok(e instanceof AppError, `${name} #${i}: ${(e as Error).stack}`);
        assert.match(e.code, /^record_import_|^payload_too_large$/, `${name} #${i}: ${e.code}`);
        assert.match(e.message, /[\u4e00-\u9fff]/, `${name} #${i}: ${e.message}`);
        codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
      }
    }
    // Both outcomes occurred (the damage is neither always fatal nor always harmless).
    assert.ok((codes.get("read") ?? 0) > 0 && codes.size > 1, JSON.stringify([...codes]));
  });

  it("reads a JSON export's Unix-time dates and array keywords", async () => {
    const read = await readRecordFile("export.json", SOURCES[SOURCES.length - 1]?.[1] as Buffer);
    const header = mapHeaders(read.headers);
    const cells = read.rows[0]?.cells ?? [];
    assert.equal(cells[header.columns.get("publishedDate") ?? -1], "1683302400000");
    assert.equal(cells[header.columns.get("keywords") ?? -1], "a");
  });
});
