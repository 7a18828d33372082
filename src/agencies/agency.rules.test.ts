import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isValidSlug } from "./agency.rules.ts";

describe("slugs", () => {
  it("accepts kebab-case", () => assert.equal(isValidSlug("zhongwei-hrss"), true));
  for (const bad of ["Zhongwei", "a--b", "-a", "a_b", "中卫", ""]) {
    it(`rejects "${bad}"`, () => assert.equal(isValidSlug(bad), false));
  }
});
