import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  checkMergedCells,
  checkNoHtml,
  checkPdf,
  checkTableCells,
  checkZipEntries,
  DEFAULT_DOCUMENT_LIMITS,
  MAX_MERGED_CELLS,
  rangeCells,
  type ZipEntryInfo,
} from "./document.rules.ts";

const MB = 1024 * 1024;
const docxParts = (main: Partial<ZipEntryInfo> = {}): ZipEntryInfo[] => [
  { name: "[Content_Types].xml", compressedSize: 300, uncompressedSize: 1200 },
  { name: "_rels/.rels", compressedSize: 200, uncompressedSize: 600 },
  { name: "word/document.xml", compressedSize: 40_000, uncompressedSize: 400_000, ...main },
];

describe("checkZipEntries", () => {
  const cases: {
    name: string;
    entries: ZipEntryInfo[];
    size?: number;
    expect?: "docx" | "xlsx";
    code?: string;
  }[] = [
    { name: "an ordinary .docx passes", entries: docxParts(), expect: "docx" },
    {
      name: "200 MB declared inside a small file is a bomb",
      entries: docxParts({ compressedSize: 700_000, uncompressedSize: 200 * MB }),
      code: "document_compression_ratio",
    },
    {
      name: "total over the uncompressed limit",
      entries: Array.from({ length: 11 }, (_, i) => ({
        name: `xl/media/image${i}.png`,
        compressedSize: 9.5 * MB,
        uncompressedSize: 10 * MB,
      })),
      size: 110 * MB,
      code: "document_too_large_uncompressed",
    },
    {
      name: "too many entries",
      entries: Array.from({ length: 2001 }, (_, i) => ({
        name: `x/${i}.xml`,
        compressedSize: 10,
        uncompressedSize: 20,
      })),
      code: "document_too_many_entries",
    },
    {
      name: "nested archives beyond the limit",
      entries: [
        ...docxParts(),
        ...Array.from({ length: 21 }, (_, i) => ({
          name: `word/embeddings/o${i}.xlsx`,
          compressedSize: 900,
          uncompressedSize: 1000,
        })),
      ],
      code: "document_nested_archive",
    },
    {
      name: "deep paths",
      entries: [...docxParts(), { name: `${"a/".repeat(13)}x.xml`, compressedSize: 1, uncompressedSize: 1 }],
      code: "document_structure_invalid",
    },
    {
      name: "a .docx without [Content_Types].xml",
      entries: docxParts().slice(1),
      expect: "docx",
      code: "document_structure_invalid",
    },
    {
      name: "a .docx is not an .xlsx",
      entries: docxParts(),
      expect: "xlsx",
      code: "document_structure_invalid",
    },
    { name: "an empty archive", entries: [], code: "document_structure_invalid" },
  ];
  for (const c of cases)
    it(c.name, () => {
      const size = c.size ?? c.entries.reduce((n, e) => n + e.compressedSize, 0) + 1000;
      assert.equal(checkZipEntries(c.entries, size, DEFAULT_DOCUMENT_LIMITS, c.expect)?.code, c.code);
    });
});

describe("checkPdf", () => {
  const cases: [string, string, string | undefined][] = [
    ["a minimal PDF", "%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n", undefined],
    ["no header", "garbage%PDF-1.7\n%%EOF", "document_structure_invalid"],
    ["truncated (no %%EOF)", "%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "document_structure_invalid"],
    ["PDF/HTML polyglot", "%PDF-1.7\n<html><script>alert(1)</script></html>\n%%EOF\n", "document_polyglot"],
    ["polyglot in upper case", "%PDF-1.4\n% <IFRAME src=x>\n%%EOF", "document_polyglot"],
  ];
  for (const [name, content, code] of cases)
    it(name, () => assert.equal(checkPdf(Buffer.from(content, "latin1"))?.code, code));
  it("finds HTML anywhere", () =>
    assert.equal(checkNoHtml(Buffer.from("abc <!DOCTYPE html> def"))?.code, "document_polyglot"));
});

describe("rangeCells: the cells an A1 range covers (what exceljs makes an object for)", () => {
  const cases: [string, number][] = [
    ["B2", 1],
    ["A1:B2", 4],
    ["$A$1:$C$3", 9],
    ["C3:A1", 9],
    ["a1:b2", 4],
    ["A1:XFD1048576", 16_384 * 1_048_576],
    ["A1:A1048576", 1_048_576],
    ["A:C", 0],
    ["1:3", 0],
    ["名称", 0],
    ["", 0],
  ];
  for (const [ref, cells] of cases)
    it(`${ref || "(empty)"} → ${cells}`, () => assert.equal(rangeCells(ref), cells));
});

describe("checkMergedCells", () => {
  it("a merged title and header pass", () =>
    assert.equal(checkMergedCells(["A1:H1", "A2:A3", "B2:C2"]), undefined));
  it("up to the limit passes, one more cell is refused naming the largest range", () => {
    assert.equal(checkMergedCells(["A1:L20000", "M1:M10000"], 250_000), undefined);
    assert.equal(MAX_MERGED_CELLS, 250_000);
    const v = checkMergedCells(["A1:L20000", "M1:M10001"]);
    assert.equal(v?.code, "document_too_many_cells");
    assert.match(v?.message ?? "", /共覆盖 250,001 个单元格（最大的是 A1:L20000），超过上限 250,000 个/);
  });
  it("many small merges count together", () =>
    assert.equal(
      checkMergedCells(Array.from({ length: 20_000 }, (_, i) => `A${i + 1}:XFD${i + 1}`))?.code,
      "document_too_many_cells",
    ));
});

describe("checkTableCells", () => {
  it("20,000 rows of 50 columns pass, one more cell is refused", () => {
    assert.equal(checkTableCells("表格1", 20_000 * 50), undefined);
    assert.equal(checkTableCells("表格1", 20_000 * 50 + 1)?.code, "document_too_many_cells");
  });
});
