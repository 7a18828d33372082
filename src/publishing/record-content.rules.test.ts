import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateContent } from "./record.rules.ts";
import { emptyContent } from "./record.service.ts";

describe("a record's 收费金额 (万元), as any client sends it", () => {
  const table: [number | null, boolean][] = [
    [null, true],
    [0, true],
    [12.5, true],
    [12.3456, true],
    [1e9, true],
    [12.34567, false],
    [0.123456789, false],
    [-1, false],
    [1e9 + 1, false],
    [1e300, false],
    [Number.POSITIVE_INFINITY, false],
  ];
  for (const [fee, ok] of table)
    it(`${fee} ${ok ? "accepted" : "refused"}`, () => {
      const content = { ...emptyContent("测试局", "2026-03-16"), title: "收费公示", feeAmountWan: fee };
      const problems = validateContent(content, "2026-03-16", "save").filter(
        (p) => p.field === "feeAmountWan",
      );
      assert.equal(problems.length === 0, ok, JSON.stringify(problems));
    });
});
