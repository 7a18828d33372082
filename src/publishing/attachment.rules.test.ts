import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkAttachment, extensionOf, formatSize, safeFileName, sniff } from "./attachment.rules.ts";

const PDF = Buffer.from("%PDF-1.4\n...");
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
const DOCX = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from("....word/document.xml")]);
const XLSX = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from("....xl/workbook.xml")]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]);
const JPG = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
const GIF = Buffer.from("GIF89a");
const EXE = Buffer.from("MZ\x90\x00");
const MB = 1024 * 1024;

describe("attachment checks (type by extension AND content, size)", () => {
  const cases: [string, Buffer, string | null][] = [
    ["通知.pdf", PDF, "pdf"],
    ["通知.PDF", PDF, "pdf"],
    ["表格.doc", OLE, "doc"],
    ["表格.xls", OLE, "xls"],
    ["通知.docx", DOCX, "docx"],
    ["名单.xlsx", XLSX, "xlsx"],
    ["照片.png", PNG, "png"],
    ["照片.jpeg", JPG, "jpg"],
    ["照片.jpg", JPG, "jpg"],
    ["动图.gif", GIF, "gif"],
    ["病毒.pdf", EXE, null], // content does not match
    ["名单.docx", XLSX, null], // an xlsx renamed to docx
    ["程序.exe", EXE, null], // type not allowed
    ["无扩展名", PDF, null],
    ["压缩包.zip", DOCX, null],
  ];
  for (const [name, data, type] of cases) {
    it(`${name} → ${type ?? "rejected"}`, () => {
      const r = checkAttachment(name, data, data.length, 20 * MB);
      assert.equal(r.ok ? r.type : null, type);
    });
  }
  it("size limit and empty files", () => {
    const big = checkAttachment("a.pdf", PDF, 21 * MB, 20 * MB);
    assert.ok(!big.ok && big.reason === "size");
    const empty = checkAttachment("a.pdf", Buffer.alloc(0), 0, 20 * MB);
    assert.ok(!empty.ok && empty.reason === "empty");
  });
  it("helpers", () => {
    assert.equal(sniff(PNG), "png");
    assert.equal(extensionOf("a.b.XLSX"), "xlsx");
    assert.equal(safeFileName("../../etc/pass\u0000wd.pdf"), "passwd.pdf");
    assert.equal(safeFileName("C:\\Users\\x\\名单.xlsx"), "名单.xlsx");
    assert.equal(formatSize(1536), "1.5 KB");
  });
});
