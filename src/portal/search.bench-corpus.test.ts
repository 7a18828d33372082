import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type CorpusAgency, generateCorpus, RARE_PHRASE } from "./search.bench-corpus.ts";

const AGENCIES: CorpusAgency[] = [
  { id: "00000000-0000-0000-0000-000000000001", slug: "a-hrss", name: "甲市人力资源和社会保障局", items: [] },
  {
    id: "00000000-0000-0000-0000-000000000002",
    slug: "b-hrss",
    name: "乙市人力资源和社会保障局",
    items: [{ id: "00000000-0000-0000-0000-0000000000aa", stableKey: "b-hrss:1.1" }],
  },
];

describe("search benchmark corpus", () => {
  const corpus = generateCorpus(4100, AGENCIES);

  it("is deterministic for a seed and differs for another seed", () => {
    assert.deepEqual(generateCorpus(20, AGENCIES), generateCorpus(20, AGENCIES));
    assert.notDeepEqual(generateCorpus(20, AGENCIES, 1), generateCorpus(20, AGENCIES, 2));
  });

  it("spreads records round-robin over the agencies with unique 索引号 per agency", () => {
    assert.equal(corpus.filter((r) => r.agencyId === AGENCIES[0]!.id).length, 2050);
    assert.equal(new Set(corpus.map((r) => `${r.agencyId} ${r.indexNo}`)).size, corpus.length);
  });

  it("has bodies of roughly 500–2000 characters of plain text derived from the HTML", () => {
    for (const r of corpus) {
      const n = Array.from(r.bodyText).length;
      assert.ok(n >= 500 && n <= 2400, `body length ${n}`);
      assert.ok(!r.bodyText.includes("<p>"));
      assert.ok(r.bodyHtml.startsWith("<p>"));
    }
  });

  it("uses catalog items only of the record's own agency, and dates in range", () => {
    for (const r of corpus) {
      if (r.agencyId === AGENCIES[0]!.id) assert.equal(r.itemId, null);
      else assert.equal(r.itemStableKey, "b-hrss:1.1");
      assert.ok(r.publishedDate >= "2019-01-01" && r.publishedDate <= "2026-11-20", r.publishedDate);
    }
  });

  it("puts the rare phrase in about one record in 2000", () => {
    assert.equal(corpus.filter((r) => r.bodyText.includes(RARE_PHRASE)).length, 3);
    assert.ok(corpus.filter((r) => r.title.includes("就业")).length > 100);
  });
});
