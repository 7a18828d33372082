/**
 * Searches cannot take the connections pages render with (issue 14, part 5): public searches read the search lane's
 * own pool (deps.readPool, src/db/read-pool.ts), so with that pool exhausted an uncached record page still renders
 * while the search waits. (How long a record page takes beside 16 concurrent searches is a figure of the
 * search-isolation bench, not a test.)
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import pino from "pino";
import { createAgency } from "../../test/factories.ts";
import { testConfig } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { buildApp } from "../app.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { createKysely, poolStats } from "../db/connection.ts";
import { createDeps } from "../deps.ts";
import { insertTestRecord } from "../publishing/publishing.fixtures.ts";
import { fixedClock } from "../shared/clock.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("search lane: its own pool", async () => {
  const { db, url } = await createTestDatabase();
  // One connection, so one held transaction exhausts it.
  const searchDb = createKysely(url, 1, { applicationName: "gongkai-search" });
  after(() => searchDb.destroy());
  const deps = createDeps(testConfig(), db, {
    clock: fixedClock("2026-03-16T10:00:00+08:00"),
    logger: pino({ level: "silent" }),
    searchDb,
  });
  const app = await buildApp(deps);
  after(() => app.close());
  const agency = await createAgency(db, { slug: "lane", name: "检索通道测试局" });
  await createPublishedCatalog(db, agency.id, [{ key: "k1", name: "政策文件", content: "规范性文件" }], {
    root: null,
  });
  const id = await insertTestRecord(db, agency.id, {
    title: "社会保险费征缴政策",
    body: "关于社会保险费征缴的规定。".repeat(20),
    itemKey: "k1",
    publishedDate: "2026-03-01",
  });

  /** Holds the search pool's only connection until the returned function is called. */
  async function holdLane(): Promise<() => Promise<void>> {
    let release: () => void = () => {};
    let holding: () => void = () => {};
    const isHeld = new Promise<void>((resolve) => {
      holding = resolve;
    });
    const holder = searchDb.connection().execute(async () => {
      holding();
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    await isHeld;
    return async () => {
      release();
      await holder;
    };
  }

  it("runs public searches on the search pool; a record page renders while that pool is exhausted", async () => {
    const release = await holdLane();
    const search = app.inject({ url: `/search?q=${encodeURIComponent("社会保险")}` });
    // The search waits for the search pool's one connection…
    while ((poolStats(searchDb)?.waiting ?? 0) === 0) await sleep(5);
    // …while an uncached record page renders on the main pool.
    const page = await app.inject({ url: `/agencies/lane/records/${id}` });
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers["x-cache"], "miss");
    assert.ok(page.body.includes("社会保险费征缴政策"));
    assert.equal(poolStats(searchDb)?.waiting, 1, "the search is still waiting for its lane");
    await release();
    const res = await search;
    assert.equal(res.statusCode, 200);
    assert.ok(res.body.includes(`/agencies/lane/records/${id}`), "the search found the record");
  });

  it("an agency's search and the 索引号 look-up use the lane too", async () => {
    for (const q of ["征缴", "征缴 2026"]) {
      const release = await holdLane();
      const search = app.inject({ url: `/agencies/lane/search?q=${encodeURIComponent(q)}` });
      while ((poolStats(searchDb)?.waiting ?? 0) === 0) await sleep(5);
      await release();
      assert.equal((await search).statusCode, 200, q);
    }
  });
});
