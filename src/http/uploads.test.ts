import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import { inspectUpload, readStream, safeFilename } from "./uploads.ts";

const pdf = Buffer.from("%PDF-1.7\n1 0 obj\n");
const docx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from("....word/document.xml....")]);
const exe = Buffer.from("MZ\x90\x00\x03");

describe("upload checks", () => {
  it("accepts an allowed type whose content matches, with size and sha256", () => {
    const info = inspectUpload({ filename: "通知.PDF", data: pdf, allowed: ["pdf", "docx"], maxBytes: 1024 });
    assert.equal(info.kind, "pdf");
    assert.equal(info.extension, ".pdf");
    assert.equal(info.size, pdf.length);
    assert.match(info.sha256, /^[0-9a-f]{64}$/);
    assert.equal(
      inspectUpload({ filename: "a.docx", data: docx, allowed: ["docx"], maxBytes: 1024 }).kind,
      "docx",
    );
  });
  const rejected: [string, Buffer, string, RegExp][] = [
    ["a renamed executable", exe, "report.pdf", /upload_rejected|不符/],
    ["a disallowed extension", pdf, "report.exe", /不支持/],
    ["a zip posing as docx", Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]), "a.docx", /不符/],
    ["an empty file", Buffer.alloc(0), "a.pdf", /为空/],
  ];
  for (const [label, data, name, re] of rejected) {
    it(`rejects ${label}`, () => {
      assert.throws(
        () => inspectUpload({ filename: name, data, allowed: ["pdf", "docx"], maxBytes: 1024 }),
        (e: Error & { code?: string }) => e.code === "upload_rejected" && re.test(`${e.code} ${e.message}`),
      );
    });
  }
  it("rejects files over the limit", () => {
    assert.throws(
      () => inspectUpload({ filename: "a.pdf", data: pdf, allowed: ["pdf"], maxBytes: 4 }),
      (e: Error & { code?: string }) => e.code === "payload_too_large",
    );
  });
  it("stops reading a stream at the limit", async () => {
    await assert.rejects(readStream(Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), 1000), /文件过大/);
    assert.equal((await readStream(Readable.from([Buffer.alloc(600)]), 1000)).length, 600);
  });
  it("makes file names safe", () => {
    assert.equal(safeFilename("../../etc/passwd"), "passwd");
    assert.equal(safeFilename("C:\\x\\年度报告.pdf"), "年度报告.pdf");
    assert.equal(safeFilename('a"<b>.pdf'), "ab.pdf");
  });
});
