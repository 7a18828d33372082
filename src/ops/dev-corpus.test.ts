import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { existingCorpusAgency, generateRecords, RARE_WORDS } from "./dev-corpus.ts";

const AGENCIES = [
  existingCorpusAgency(
    { id: "00000000-0000-0000-0000-000000000001", slug: "a-hrss", name: "甲市人力资源和社会保障局" },
    [],
  ),
  existingCorpusAgency(
    { id: "00000000-0000-0000-0000-000000000002", slug: "b-hrss", name: "乙市人力资源和社会保障局" },
    [{ id: "00000000-0000-0000-0000-0000000000aa", stableKey: "b-hrss:1.1" }],
  ),
];

describe("dev corpus for existing agencies (the benchmarks' demo agencies)", () => {
  const records = [
    ...generateRecords({ records: 4000, agencies: AGENCIES, rareEvery: 500, from: "2019-01-01" }),
  ].flat();

  it("derives distinct 索引号 prefixes from the slugs and uses the 人社 subjects", () => {
    assert.equal(AGENCIES[0]?.indexPrefix, "GEN-A-HRSS");
    assert.notEqual(AGENCIES[0]?.indexPrefix, AGENCIES[1]?.indexPrefix);
    assert.ok(AGENCIES[0]?.subjects.includes("就业"));
    assert.equal(new Set(records.map((r) => `${r.agencyId} ${r.indexNo}`)).size, records.length);
  });

  it("files records only under the agency's own catalog items, dated from `from`", () => {
    for (const r of records) {
      if (r.agencyId === AGENCIES[0]?.id) assert.equal(r.itemId, null);
      else assert.equal(r.itemStableKey, "b-hrss:1.1");
      assert.ok(r.publishedDate >= "2019-01-01" && r.publishedDate <= "2026-11-30", r.publishedDate);
    }
  });

  it("puts a rare word in about one record in rareEvery", () => {
    const rare = records.filter((r) => RARE_WORDS.some((w) => r.bodyText.includes(w))).length;
    assert.ok(rare >= 3 && rare <= 16, `${rare} rare records of 4000 (expected ~8)`);
    const fewer = [...generateRecords({ records: 4000, agencies: AGENCIES, from: "2019-01-01" })].flat();
    assert.ok(fewer.filter((r) => RARE_WORDS.some((w) => r.bodyText.includes(w))).length < rare);
  });
});
