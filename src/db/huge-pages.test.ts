import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createTestDatabase } from "../../test/test-db.ts";
import { hugePagesFor, reserveHugePages } from "./huge-pages.bench-reserve.ts";
import { HUGE_PAGES_ADVICE_MIN_BYTES, hugePagesAdvice, sharedMemoryFacts } from "./huge-pages.ts";

const GB = 1024 ** 3;

describe("hugePagesAdvice", () => {
  const cases: [string, Parameters<typeof hugePagesAdvice>[0], RegExp | undefined][] = [
    [
      "6 GB off, server knows the count",
      { status: "off", hugePagesNeeded: 3136, sharedBuffersBytes: 6 * GB },
      /reserve 3136 huge pages \(sysctl -w vm\.nr_hugepages=3136/,
    ],
    [
      "6 GB off, count unknown",
      { status: "off", hugePagesNeeded: null, sharedBuffersBytes: 6 * GB },
      /reserve huge pages for it \(vm\.nr_hugepages\)/,
    ],
    ["says the size", { status: "off", hugePagesNeeded: 3136, sharedBuffersBytes: 6 * GB }, /\(6 GB\)/],
    ["already on", { status: "on", hugePagesNeeded: 3136, sharedBuffersBytes: 6 * GB }, undefined],
    [
      "older server: cannot tell",
      { status: "unknown", hugePagesNeeded: 3136, sharedBuffersBytes: 6 * GB },
      undefined,
    ],
    [
      "128 MB: too small to matter",
      { status: "off", hugePagesNeeded: 70, sharedBuffersBytes: 128 * 1024 ** 2 },
      undefined,
    ],
    [
      "exactly the threshold",
      { status: "off", hugePagesNeeded: 600, sharedBuffersBytes: HUGE_PAGES_ADVICE_MIN_BYTES },
      /huge pages/,
    ],
    [
      "just below it",
      { status: "off", hugePagesNeeded: 600, sharedBuffersBytes: HUGE_PAGES_ADVICE_MIN_BYTES - 1 },
      undefined,
    ],
  ];
  for (const [name, facts, expected] of cases)
    it(name, () => {
      const advice = hugePagesAdvice(facts);
      if (expected) assert.match(advice ?? "", expected);
      else assert.equal(advice, undefined);
    });
});

describe("sharedMemoryFacts", () => {
  it("reads the server's shared_buffers, huge page status and the huge pages it would need", async () => {
    const { db } = await createTestDatabase();
    const f = await sharedMemoryFacts(db);
    assert.ok(f.sharedBuffersBytes >= 128 * 1024 ** 2, `shared_buffers ${f.sharedBuffersBytes}`);
    assert.ok(["on", "off", "unknown"].includes(f.status));
    // shared_memory_size_in_huge_pages exists since PostgreSQL 15: more pages than shared_buffers alone fills.
    assert.ok(
      f.hugePagesNeeded !== null && f.hugePagesNeeded * 2 * 1024 ** 2 >= f.sharedBuffersBytes,
      String(f.hugePagesNeeded),
    );
  });
});

describe("hugePagesFor / reserveHugePages (the 1,000,000-record bench)", () => {
  it("covers shared_buffers and the rest of the shared memory PostgreSQL asked for", () => {
    // PostgreSQL 18 asked for 3,102 huge pages beside 6,000 MB of shared_buffers (shared_memory_size_in_huge_pages).
    assert.ok(hugePagesFor(6000) >= 3102, String(hugePagesFor(6000)));
    assert.ok(hugePagesFor(6000) < 3102 * 1.1, "and not much more");
    assert.equal(hugePagesFor(1024, 1024 * 1024), Math.ceil((1024 * 1.04 + 256) / 1024));
  });

  it("reserves nothing when told not to", () => {
    const r = reserveHugePages(6000, { SEARCH_SCALE_HUGE_PAGES: "0" });
    assert.equal(r.added, 0);
    assert.equal(r.skipped, "SEARCH_SCALE_HUGE_PAGES=0");
    r.release();
  });
});
