import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { stripUnsafeNameChars } from "./filenames.ts";

describe("stripUnsafeNameChars", () => {
  const cases: [string, string][] = [
    ["报告\u202Efdp.exe", "报告fdp.exe"],
    ["a\u202Ab\u202Bc\u202Cd\u202De", "abcde"],
    ["x\u2066y\u2067z\u2068w\u2069.pdf", "xyzw.pdf"],
    ["\u200Fname\u200E.docx", "name.docx"],
    ["tab\there\r\n\u0000.pdf", "tabhere.pdf"],
    ["c1\u0085\u009b.pdf", "c1.pdf"],
    ["普通文件名（2026）.pdf", "普通文件名（2026）.pdf"],
  ];
  for (const [input, expected] of cases)
    it(`cleans ${JSON.stringify(input)}`, () => assert.equal(stripUnsafeNameChars(input), expected));
});
