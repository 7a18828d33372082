import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type HeaderInput, mergeHeader, parseCompiledAt, validateHeader } from "./catalog-header.rules.ts";

const TODAY = "2026-03-16";
const blank: HeaderInput = { compiledBy: "", reviewedBy: "", signedBy: "", compiledAt: "" };

describe("parseCompiledAt", () => {
  const cases: [string, string | null][] = [
    ["2026-03-16", "2026-03-16"],
    ["2026-03", "2026-03-01"],
    ["2026年3月16日", "2026-03-16"],
    ["2026年3月", "2026-03-01"],
    ["2024-02-29", "2024-02-29"],
    ["2026-02-29", null],
    ["2026-13-01", null],
    ["2026-04-31", null],
    ["2026/03/16", null],
    ["去年", null],
    ["", null],
  ];
  for (const [text, expected] of cases)
    it(`${JSON.stringify(text)} → ${String(expected)}`, () => assert.equal(parseCompiledAt(text), expected));
});

describe("validateHeader", () => {
  const cases: [string, Partial<HeaderInput>, string[]][] = [
    ["all empty is allowed", {}, []],
    ["full header", { compiledBy: "李永翔", reviewedBy: "王", signedBy: "张", compiledAt: "2026-03-16" }, []],
    ["today is allowed", { compiledAt: TODAY }, []],
    ["future date", { compiledAt: "2026-03-17" }, ["compiledAt"]],
    ["future month (first day after today)", { compiledAt: "2026-04" }, ["compiledAt"]],
    ["current month", { compiledAt: "2026年3月" }, []],
    ["not a date", { compiledAt: "2026-02-30" }, ["compiledAt"]],
    ["name too long", { signedBy: "张".repeat(51) }, ["signedBy"]],
    ["two problems", { compiledBy: "李".repeat(51), compiledAt: "x" }, ["compiledBy", "compiledAt"]],
  ];
  for (const [name, input, fields] of cases)
    it(name, () =>
      assert.deepEqual(
        validateHeader({ ...blank, ...input }, TODAY).map((e) => e.field),
        fields,
      ),
    );
});

describe("mergeHeader", () => {
  it("keeps other header data, trims, and drops cleared fields", () => {
    const merged = mergeHeader(
      { unit: "某局", compiledBy: "甲", reviewedBy: "乙", statedTotals: { 一级事项: 3 } },
      { compiledBy: " 丙 ", reviewedBy: "", signedBy: "丁", compiledAt: "2026-03" },
    );
    assert.deepEqual(merged, {
      unit: "某局",
      compiledBy: "丙",
      signedBy: "丁",
      compiledAt: "2026-03",
      statedTotals: { 一级事项: 3 },
    });
  });
});
