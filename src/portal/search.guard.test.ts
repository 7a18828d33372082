/**
 * Search cannot exhaust the platform: cache keys from the parsed parameters, one render per key, a per-client
 * limit on uncached searches, statement_timeout, and a gate that leaves record pages their connections while 16
 * uncached common-word searches run (structure only; timings are in the bench).
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { createAgency } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import { isAppError } from "../errors.ts";
import { ClientLimiter, ReadGate } from "../http/read-gate.ts";
import { insertTestRecord } from "../publishing/publishing.fixtures.ts";
import { parseSearchParams, runSearch } from "./search.service.ts";

const WORDS = ["社会保险", "就业", "补贴", "养老", "通知", "关于", "年度", "标准", "调整", "培训", "创业"];

describe("search guards", async () => {
  const { app, db, deps } = await createTestApp();
  const agency = await createAgency(db, { slug: "guard-test", name: "测试市人力资源和社会保障局" });
  const recordIds: string[] = [];

  before(async () => {
    for (let i = 0; i < 300; i++) {
      const body = Array.from({ length: 200 }, (_, j) => WORDS[(i * 7 + j * 3) % WORDS.length]).join("，");
      recordIds.push(
        await insertTestRecord(db, agency.id, {
          title: `关于${WORDS[i % WORDS.length]}工作的通知（第${i}号）`,
          body,
          publishedDate: `${2020 + (i % 6)}-0${1 + (i % 9)}-1${i % 10}`,
        }),
      );
    }
  });

  it("keys the cache on the parsed parameters: unknown or reordered parameters hit the same entry", async () => {
    deps.pageCache.invalidate();
    const q = encodeURIComponent("就业");
    const first = await app.inject({ url: `/search?q=${q}&year=2024` });
    assert.equal(first.headers["x-cache"], "miss");
    for (const url of [
      `/search?year=2024&q=${q}`,
      `/search?q=${q}&year=2024&utm_source=x&junk=${Math.random()}`,
      `/search?q=${q}&year=2024&page=1&sort=relevance`,
      `/search?q=${q}&year=2024&validity=不存在的值`,
    ]) {
      const res = await app.inject({ url });
      assert.equal(res.headers["x-cache"], "hit", url);
      assert.equal(res.body, first.body);
    }
    const other = await app.inject({ url: `/search?q=${q}&year=2023` });
    assert.equal(other.headers["x-cache"], "miss");
  });

  it("concurrent misses of one key wait for one render", async () => {
    deps.pageCache.invalidate();
    const before = deps.pageCache.coalesced;
    const url = `/search?q=${encodeURIComponent("养老")}&sort=date`;
    const responses = await Promise.all(Array.from({ length: 8 }, () => app.inject({ url })));
    const kinds = responses.map((r) => r.headers["x-cache"]).sort();
    assert.deepEqual(kinds, ["miss", "wait", "wait", "wait", "wait", "wait", "wait", "wait"]);
    assert.equal(deps.pageCache.coalesced - before, 7);
    for (const r of responses) assert.equal(r.body, responses[0]?.body);
  });

  it("limits uncached searches per client; cache hits stay free", async () => {
    const saved = deps.searchGuard.misses;
    deps.searchGuard.misses = new ClientLimiter(3);
    try {
      deps.pageCache.invalidate();
      const statuses: number[] = [];
      for (const w of ["甲", "乙", "丙", "丁"])
        statuses.push((await app.inject({ url: `/search?q=${encodeURIComponent(w)}` })).statusCode);
      assert.deepEqual(statuses, [200, 200, 200, 429]);
      const hit = await app.inject({ url: `/search?q=${encodeURIComponent("甲")}` });
      assert.equal(hit.statusCode, 200, "a cached page is served beyond the limit");
      const other = await app.inject({
        url: `/search?q=${encodeURIComponent("戊")}`,
        remoteAddress: "198.51.100.7",
      });
      assert.equal(other.statusCode, 200, "another client has its own allowance");
    } finally {
      deps.searchGuard.misses = saved;
    }
  });

  it("cancels a public search past its statement_timeout (search_timeout)", async () => {
    const scope = await getAgencyBySlug(db, agency.slug);
    await assert.rejects(
      runSearch(db, parseSearchParams({ q: "保" }), scope, { timeoutMs: 1 }),
      (e) => isAppError(e) && e.code === "search_timeout",
    );
    const ok = await runSearch(db, parseSearchParams({ q: "保" }), scope);
    assert.ok(ok.total > 0, "the normal timeout lets the same search finish");
  });

  it("16 concurrent uncached common-word searches leave an uncached record page responding", async () => {
    deps.pageCache.invalidate();
    const gate = new ReadGate(2);
    const saved = deps.searchGuard.gate;
    deps.searchGuard.gate = gate;
    try {
      // Warm the record page's code path on another record (the measured one stays uncached).
      await app.inject({ url: `/agencies/${agency.slug}/records/${recordIds[8]}` });
      let searchesDone = 0;
      const searches = Array.from({ length: 16 }, (_, i) =>
        app
          .inject({ url: `/search?q=${encodeURIComponent(WORDS[i % WORDS.length] as string)}&page=${1 + i}` })
          .then((r) => {
            searchesDone++;
            return r;
          }),
      );
      const started = Date.now();
      const record = await app.inject({ url: `/agencies/${agency.slug}/records/${recordIds[7]}` });
      const recordMs = Date.now() - started;
      const doneWhenRecordAnswered = searchesDone;
      const results = await Promise.all(searches);
      assert.equal(record.statusCode, 200);
      assert.equal(record.headers["x-cache"], "miss", "the record page was rendered, not cached");
      assert.ok(recordMs < 10_000, `record page answered (${recordMs} ms)`);
      assert.ok(doneWhenRecordAnswered < 16, "the record page did not wait for every search");
      for (const r of results) assert.equal(r.statusCode, 200);
      assert.equal(gate.highWater, 2, "at most 2 searches at once, and they did queue at the gate");
    } finally {
      deps.searchGuard.gate = saved;
    }
  });
});
