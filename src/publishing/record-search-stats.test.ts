/**
 * The statistics of records a search reads (record-search-stats.ts): the table's statistics loaded at once
 * (loadTableStats, and a search's share of them, loadSearchStats) are the figures pg_stats and pg_class list, and
 * SearchStatsCache keeps them for its time to live, per database handle, sharing one load and not keeping a failed
 * one.
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
import { loadSearchStats, loadTableStats, SearchStatsCache } from "./record-search-stats.ts";

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

  it("a search's statistics are the figures pg_stats and pg_class list", async () => {
    const codes = [...termGrams("社会保险费").codes, ...termGrams("就业").codes, ...termGrams("猎").codes];
    const got = await loadSearchStats(db, codes);
    // The catalogs read directly, element by element.
    const { rows: listed } = await sql<{ code: number; freq: number }>`
      SELECT e.code, e.freq::float8 AS freq FROM pg_stats s
      CROSS JOIN LATERAL unnest(s.most_common_elems::text::int4[], s.most_common_elem_freqs) AS e(code, freq)
      WHERE s.tablename = 'records' AND s.attname = 'search_grams' AND e.code = ANY(${codes}::int4[])`.execute(
      db,
    );
    const { rows: table } = await sql<{ tuples: number; min: number; columns: number }>`
      SELECT (SELECT reltuples::float8 FROM pg_class WHERE oid = 'records'::regclass) AS tuples,
             (SELECT most_common_elem_freqs[array_length(most_common_elems, 1) + 1]::float8 FROM pg_stats
              WHERE tablename = 'records' AND attname = 'search_grams') AS min,
             (SELECT count(*)::int FROM pg_stats WHERE tablename = 'records'
              AND attname IN ('status', 'agency_id', 'published_date', 'validity', 'genre')) AS columns`.execute(
      db,
    );
    assert.ok(listed.length > 0, "some of the codes are listed");
    assert.ok(listed.length < new Set(codes).size, "and some (猎) are not");
    assert.deepEqual(
      [...got.codeFreq.keys()].sort((a, b) => a - b),
      listed.map((r) => r.code).sort((a, b) => a - b),
    );
    for (const r of listed)
      assert.ok(Math.abs((got.codeFreq.get(r.code) ?? -1) - r.freq) < 1e-6, `${r.code}`);
    assert.equal(got.rows, table[0]?.tuples);
    assert.ok(got.rows >= 120);
    assert.ok(Math.abs((got.minCodeFreq ?? -1) - (table[0]?.min ?? -2)) < 1e-6);
    assert.equal(got.columns.size, table[0]?.columns);
    assert.ok((await loadTableStats(db)).elems.size >= listed.length);
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
