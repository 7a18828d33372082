/**
 * The statistics of records a search reads (record-search-stats.ts): the table's statistics loaded at once
 * (loadTableStats) give the same figures as the per-search query (loadSearchStats), and SearchStatsCache keeps them
 * for its time to live, per database handle, sharing one load and not keeping a failed one.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { sql } from "kysely";
import { createAgency } from "../../test/factories.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { createKysely } from "../db/connection.ts";
import { bulkTestRecord } from "./publishing.fixtures.ts";
import { bulkLoadPublishedRecords } from "./record-bulk.ts";
import { termGrams } from "./record-search.rules.ts";
import { loadSearchStats, loadTableStats, SearchStatsCache, statsForCodes } from "./record-search-stats.ts";

describe("statistics of records for search", async () => {
  const { db } = await createTestDatabase();
  let agencyId = "";
  const load = async (n: number, from: number) => {
    const records = Array.from({ length: n }, (_, i) =>
      bulkTestRecord(agencyId, {
        indexNo: `STATS/${from + i}`,
        title: `通知${from + i}`,
        bodyText: i % 3 === 0 ? "社会保险费征缴工作的通知" : `就业创业补贴第${from + i}号`,
      }),
    );
    await bulkLoadPublishedRecords(db, [records], { lanes: 1 });
    await sql`ANALYZE records`.execute(db);
  };

  before(async () => {
    agencyId = (await createAgency(db)).id;
    await load(120, 0);
  });

  it("the table's statistics give the per-search query's figures", async () => {
    const codes = [...termGrams("社会保险费").codes, ...termGrams("就业").codes, ...termGrams("猎").codes];
    const one = await loadSearchStats(db, codes);
    const table = await loadTableStats(db);
    const derived = statsForCodes(table, codes);
    assert.equal(derived.rows, one.rows);
    assert.ok(one.rows >= 120);
    assert.ok(derived.minCodeFreq !== undefined && one.minCodeFreq !== undefined);
    assert.ok(Math.abs(derived.minCodeFreq - one.minCodeFreq) < 1e-6);
    assert.deepEqual([...derived.codeFreq.keys()].sort(), [...one.codeFreq.keys()].sort());
    assert.ok(one.codeFreq.size > 0);
    for (const [c, f] of one.codeFreq)
      assert.ok(Math.abs((derived.codeFreq.get(c) ?? -1) - f) < 1e-6, `${c}`);
    assert.deepEqual([...derived.columns.keys()].sort(), [...one.columns.keys()].sort());
    assert.ok(table.elems.size >= one.codeFreq.size);
  });

  it("kept for the time to live, then loaded again; one load for concurrent searches", async () => {
    let now = 0;
    const cache = new SearchStatsCache(1_000, () => now);
    const [a, b] = await Promise.all([cache.get(db, db), cache.get(db, db)]);
    assert.equal(a, b);
    await load(60, 1_000);
    now = 999;
    assert.equal(await cache.get(db, db), a, "still kept");
    now = 1_000;
    const c = await cache.get(db, db);
    assert.notEqual(c, a);
    assert.ok(c.rows >= a.rows + 60, `${a.rows} → ${c.rows}`);
  });

  it("per database handle, and a failed load is not kept", async () => {
    const cache = new SearchStatsCache(60_000, () => 0);
    const unreachable = createKysely("postgres://nobody:x@127.0.0.1:1/none", 1, {
      connectionTimeoutMillis: 500,
    });
    try {
      await assert.rejects(cache.get(unreachable, unreachable));
      // The same key, now loaded through a working handle: the failure was not kept.
      const ok = await cache.get(unreachable, db);
      assert.ok(ok.rows > 0);
      assert.notEqual(await cache.get(db, db), undefined);
    } finally {
      await unreachable.destroy();
    }
  });
});
