import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { creditCodeCheckChar, isValidCreditCode, isValidSlug } from "./agency.rules.ts";

describe("统一社会信用代码 (GB 32100-2015)", () => {
  // Published codes of public bodies (check characters verified by hand with the weights 3^i mod 31).
  const valid = ["91350100M000100Y43", "11100000000013127D"];
  for (const code of valid) {
    it(`accepts ${code}`, () => assert.equal(isValidCreditCode(code), true));
  }
  it("rejects a wrong check character", () => assert.equal(isValidCreditCode("91350100M000100Y44"), false));
  it("rejects letters outside the alphabet (I, O, S, V, Z)", () =>
    assert.equal(isValidCreditCode("91350100M000100YI3"), false));
  it("rejects wrong lengths", () => assert.equal(isValidCreditCode("91350100M000100Y4"), false));
  it("computes the check character", () => assert.equal(creditCodeCheckChar("91350100M000100Y4"), "3"));
});

describe("slugs", () => {
  it("accepts kebab-case", () => assert.equal(isValidSlug("zhongwei-hrss"), true));
  for (const bad of ["Zhongwei", "a--b", "-a", "a_b", "中卫", ""]) {
    it(`rejects "${bad}"`, () => assert.equal(isValidSlug(bad), false));
  }
});
