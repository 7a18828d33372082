import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { neutralizeFormula } from "./csv.ts";

describe("neutralizeFormula", () => {
  const cases: [string, string][] = [
    ['=HYPERLINK("http://x","点击")', `'=HYPERLINK("http://x","点击")`],
    ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
    ["-2+3", "'-2+3"],
    ["@SUM(1)", "'@SUM(1)"],
    ["\t=1", "'\t=1"],
    ["\r=1", "'\r=1"],
    ["机构职能", "机构职能"],
    ["2026-03-16", "2026-03-16"],
    ["", ""],
  ];
  for (const [input, expected] of cases)
    it(JSON.stringify(input), () => assert.equal(neutralizeFormula(input), expected));
});
