import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { seededRandom } from "./random.ts";

describe("seededRandom (mulberry32)", () => {
  it("gives mulberry32's published sequence for seed 42", () => {
    const r = seededRandom(42);
    assert.deepEqual([r(), r(), r()], [0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
  });

  it("repeats for a seed, differs between seeds, stays in [0, 1)", () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const xs = Array.from({ length: 10_000 }, () => a());
    assert.deepEqual(
      xs.slice(0, 5),
      Array.from({ length: 5 }, () => b()),
    );
    assert.notEqual(xs[0], c());
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    // Seeds are 32-bit: a negative seed and its unsigned value are the same seed.
    assert.equal(seededRandom(-1)(), seededRandom(2 ** 32 - 1)());
  });
});
