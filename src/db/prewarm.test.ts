import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { createTestDatabase } from "../../test/test-db.ts";
import { planWarm, warmRelations } from "./prewarm.ts";

describe("planWarm", () => {
  const cases: [string, { relation: string; blocks: number }[], number, number[]][] = [
    [
      "all fit",
      [
        { relation: "a", blocks: 10 },
        { relation: "b", blocks: 5 },
      ],
      100,
      [10, 5],
    ],
    [
      "the first takes what it needs, the next the rest",
      [
        { relation: "a", blocks: 10 },
        { relation: "b", blocks: 50 },
      ],
      30,
      [10, 20],
    ],
    [
      "the budget ends inside the first",
      [
        { relation: "a", blocks: 10 },
        { relation: "b", blocks: 5 },
      ],
      4,
      [4, 0],
    ],
    ["no budget", [{ relation: "a", blocks: 10 }], 0, [0]],
    ["a fractional budget rounds down", [{ relation: "a", blocks: 10 }], 3.9, [3]],
    [
      "an empty relation",
      [
        { relation: "a", blocks: 0 },
        { relation: "b", blocks: 2 },
      ],
      1,
      [0, 1],
    ],
  ];
  for (const [name, targets, budget, want] of cases)
    it(name, () => {
      const plan = planWarm(targets, budget);
      assert.deepEqual(
        plan.map((p) => p.blocks),
        want,
      );
      assert.deepEqual(
        plan.map((p) => p.of),
        targets.map((t) => t.blocks),
      );
    });
});

describe("warmRelations", async () => {
  const { db } = await createTestDatabase();
  // Autovacuum off: its ANALYZE of the new table would read heap pages into shared_buffers during the residency
  // check (seen on a loaded machine: blocks 0… resident beside the warmed tail).
  await sql`CREATE TABLE warm_t (id int PRIMARY KEY, pad text) WITH (autovacuum_enabled = false)`.execute(db);
  // ~4 rows a page: 400 rows fill ~100 heap blocks.
  await sql`INSERT INTO warm_t SELECT g, repeat('x', 1800) FROM generate_series(1, 400) g`.execute(db);
  const blocksOf = async (rel: string) =>
    Number(
      (await sql<{ n: string }>`SELECT (pg_relation_size(${rel}::regclass) / 8192)::text AS n`.execute(db))
        .rows[0]?.n,
    );
  const heapBlocks = await blocksOf("warm_t");
  const indexBlocks = await blocksOf("warm_t_pkey");

  it("reads the targets in order within the budget, the tail of a heap, and leaves out missing relations", async () => {
    const budget = indexBlocks + 10;
    const report = await warmRelations(
      db,
      [{ relation: "warm_t_pkey" }, { relation: "no_such_index" }, { relation: "warm_t", tail: true }],
      { budgetBlocks: budget },
    );
    assert.equal(report.skipped, undefined);
    assert.deepEqual(report.read, [
      { relation: "warm_t_pkey", blocks: indexBlocks, of: indexBlocks },
      { relation: "warm_t", blocks: 10, of: heapBlocks },
    ]);
  });

  it("the pages read are in shared_buffers: the index, and the heap's last blocks only (PostgreSQL 18)", async (t) => {
    await sql`CREATE EXTENSION IF NOT EXISTS pg_buffercache`.execute(db);
    const { rows } = await sql<{ ok: boolean }>`
      SELECT to_regproc('pg_buffercache_evict_relation') IS NOT NULL AS ok`.execute(db);
    if (!rows[0]?.ok) {
      t.skip("pg_buffercache_evict_relation needs PostgreSQL 18");
      return;
    }
    await sql`SELECT pg_buffercache_evict_relation('warm_t'), pg_buffercache_evict_relation('warm_t_pkey')`.execute(
      db,
    );
    const resident = async (rel: string) =>
      (
        await sql<{ b: number }>`
          SELECT relblocknumber::int AS b FROM pg_buffercache
          WHERE relfilenode = pg_relation_filenode(${rel}::regclass) AND relforknumber = 0
            AND reldatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
          ORDER BY 1`.execute(db)
      ).rows.map((r) => r.b);
    assert.deepEqual(await resident("warm_t"), [], "evicted");
    await warmRelations(db, [{ relation: "warm_t_pkey" }, { relation: "warm_t", tail: true }], {
      budgetBlocks: indexBlocks + 10,
    });
    assert.deepEqual(
      await resident("warm_t_pkey"),
      Array.from({ length: indexBlocks }, (_, i) => i),
    );
    assert.deepEqual(
      await resident("warm_t"),
      Array.from({ length: 10 }, (_, i) => heapBlocks - 10 + i),
    );
  });
});
