/**
 * Public reads from a real PostgreSQL hot standby (issue 14, DATABASE_READ_URL): runs when TEST_DATABASE_URL (the
 * primary's server) and TEST_DATABASE_READ_URL (its streaming replica) are set, as .ci/replica-tests does; skipped
 * with the reason otherwise. (With both set, the other portal tests read from the standby too: test/test-app.ts.)
 *
 * - a publish on the primary is visible on the portal, search and open-data API served from the standby;
 * - the standby refuses writes, and the read pool does not hide that (a write routed to it fails);
 * - replication lag: with the standby's replay paused, a render after a publish waits for the replay (bounded) and
 *   then reads the primary instead of caching a page without the new record; once replay resumes, the standby
 *   serves again, and a render waiting within the bound is served by the standby as soon as it has replayed.
 */

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import pg from "pg";
import pino from "pino";
import { createAgency, createUser } from "../../test/factories.ts";
import { testConfig } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { replicaSkipReason, testReplicaOf, waitForReplay } from "../../test/test-replica.ts";
import { staffActor } from "../accounts/policy.ts";
import { buildApp } from "../app.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import type { Db } from "../db/database.ts";
import { ReadPool } from "../db/read-pool.ts";
import { createDeps } from "../deps.ts";
import { PageCache } from "../http/page-cache.ts";
import { publishOn, useDemoIndexCode } from "../publishing/publishing.fixtures.ts";
import { fixedClock } from "../shared/clock.ts";

const skip = replicaSkipReason();

describe("public reads from a hot standby", { skip: skip ?? false }, async () => {
  const { db } = await createTestDatabase();
  const agency = await createAgency(db, { slug: "replica-test", name: "备库测试市人力资源和社会保障局" });
  const items = await createPublishedCatalog(db, agency.id, [
    { key: "policy", name: "政策文件", deadline: "信息形成或者变更之日起20个工作日内" },
  ]);
  const boss = await createUser(db, { roles: ["agency_admin", "reviewer", "approver"], agencyId: agency.id });
  const replica = await testReplicaOf(db);
  if (!replica) throw new Error("TEST_DATABASE_READ_URL is set but no replica pool was made");

  /** An app whose public reads go through a read pool on the standby that waits at most `maxWaitMs`. */
  async function appWith(maxWaitMs: number) {
    const lines: { level: number; msg: string }[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const pageCache = new PageCache();
    const readPool = new ReadPool({
      primary: db,
      replica,
      logger,
      changes: () => pageCache.generation,
      maxWaitMs,
    });
    const deps = createDeps(testConfig(), db, {
      clock: fixedClock("2026-03-16T10:00:00+08:00"),
      logger,
      pageCache,
      readPool,
    });
    const app = await buildApp(deps);
    after(() => app.close());
    const publish = (title: string, body: string) =>
      publishOn(deps, staffActor(boss), agency.id, "2026-03-10", {
        title,
        formedDate: "2026-03-09",
        itemId: items.policy?.id as string,
        bodyHtml: `<p>${body}</p>`,
      });
    return {
      app,
      deps,
      readPool,
      publish,
      warnings: () => lines.filter((l) => l.level === 40).map((l) => l.msg),
    };
  }

  // A bound that is never reached while the standby streams normally (a slow CI machine included).
  const main = await appWith(60_000);
  await useDemoIndexCode(main.deps, agency.id, "DEMO-REPLICA");

  /** Runs `fn` with the standby's WAL replay paused (always resumed). */
  async function withReplayPaused<T>(fn: () => Promise<T>): Promise<T> {
    const standby = new pg.Client({ connectionString: process.env.TEST_DATABASE_READ_URL });
    await standby.connect();
    try {
      await standby.query("SELECT pg_wal_replay_pause()");
      return await fn();
    } finally {
      await standby.query("SELECT pg_wal_replay_resume()");
      await standby.end();
    }
  }
  const onStandby = async (id: string) =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM records WHERE id = ${id}`.execute(replica))
      .rows[0]?.n;
  const primaryPosition = async (on: Db) =>
    (await sql<{ lsn: string }>`SELECT pg_current_wal_lsn()::text AS lsn`.execute(on)).rows[0]?.lsn ?? "";

  before(async () => {
    // The fixtures above are on the standby before any test reads it.
    await waitForReplay(await primaryPosition(db));
  });

  it("the standby is a hot standby and refuses writes; the read pool does not send a refused write elsewhere", async () => {
    const { rows } = await sql<{ standby: boolean }>`SELECT pg_is_in_recovery() AS standby`.execute(replica);
    assert.equal(rows[0]?.standby, true);
    const was = { ...main.readPool.counts };
    await assert.rejects(
      main.readPool.read((on) => sql`UPDATE agencies SET name = name WHERE false`.execute(on)),
      (e: { code?: string }) => e.code === "25006",
    );
    assert.equal(main.readPool.counts.replica, was.replica + 1, "the write went to the standby");
    assert.equal(main.readPool.counts.unavailable, was.unavailable);
  });

  it("a publish on the primary shows on the portal, search and API served from the standby", async () => {
    const id = await main.publish("关于备库读取测试的通知", "备库读取测试正文。");
    const was = { ...main.readPool.counts };
    const page = await main.app.inject({ url: `/agencies/replica-test/records/${id}` });
    assert.equal(page.statusCode, 200, page.body.slice(0, 300));
    assert.match(page.body, /关于备库读取测试的通知/);
    const home = await main.app.inject({ url: "/agencies/replica-test" });
    assert.match(home.body, /关于备库读取测试的通知/);
    const search = await main.app.inject({ url: `/search?q=${encodeURIComponent("备库读取")}` });
    assert.equal(search.statusCode, 200);
    assert.match(search.body, /关于<mark>备库读取<\/mark>测试的通知/);
    assert.ok(search.body.includes(`/agencies/replica-test/records/${id}`));
    const api = await main.app.inject({ url: `/api/v1/records/${id}` });
    assert.equal(api.statusCode, 200);
    assert.equal(api.json().data.title, "关于备库读取测试的通知");
    assert.equal(main.readPool.counts.replica, was.replica + 4, JSON.stringify(main.readPool.counts));
    assert.equal(main.readPool.counts.lagging, was.lagging);
    assert.equal(main.readPool.counts.unavailable, was.unavailable);
    assert.equal(await onStandby(id), 1);
    const health = (await main.app.inject({ url: "/healthz" })).json();
    assert.equal(health.replica.state, "streaming");
    assert.equal(typeof health.replica.lagBytes, "number");
  });

  it("lag: a render after a publish the standby has not replayed reads the primary (not a stale page)", async () => {
    const lagging = await appWith(200);
    await lagging.app.inject({ url: "/agencies/replica-test" }); // start-up barrier, standby caught up
    await withReplayPaused(async () => {
      const id = await lagging.publish("关于复制延迟测试的通知", "复制延迟测试正文。");
      assert.equal(await onStandby(id), 0, "replay is paused: the standby does not have the record");
      const was = { ...lagging.readPool.counts };
      const page = await lagging.app.inject({ url: `/agencies/replica-test/records/${id}` });
      assert.equal(page.statusCode, 200, page.body.slice(0, 300));
      assert.match(page.body, /关于复制延迟测试的通知/);
      const home = await lagging.app.inject({ url: "/agencies/replica-test" });
      assert.match(home.body, /关于复制延迟测试的通知/, "the cached home page shows the new record");
      assert.equal(lagging.readPool.counts.lagging, was.lagging + 2);
      assert.equal(lagging.readPool.counts.replica, was.replica);
      assert.deepEqual(lagging.warnings(), [
        "read replica has not replayed the latest change: public reads use the primary until it has",
      ]);
      const health = (await lagging.app.inject({ url: "/healthz" })).json();
      assert.equal(health.replica.state, "streaming");
      assert.ok(health.replica.lagBytes > 0, JSON.stringify(health));
    });
    await waitForReplay(await primaryPosition(db));
    const was = { ...lagging.readPool.counts };
    const catalog = await lagging.app.inject({ url: "/agencies/replica-test/catalog" });
    assert.equal(catalog.statusCode, 200);
    assert.equal(lagging.readPool.counts.replica, was.replica + 1, "the standby serves again once replayed");
  });

  it("lag within the bound: the render waits for the standby's replay, then reads the standby", async () => {
    let id = "";
    let answered = false;
    const was = { ...main.readPool.counts };
    const { pending } = await withReplayPaused(async () => {
      id = await main.publish("关于等待回放测试的通知", "等待回放测试正文。");
      const pending = main.app.inject({ url: "/agencies/replica-test/reports" });
      pending.then(() => {
        answered = true;
      });
      // While replay is paused the render can only wait: neither a stale standby read nor the primary.
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(answered, false, "the render did not wait for the standby");
      // Not awaited here: it answers only once replay resumes (after this function).
      return { pending };
    });
    const res = await pending;
    assert.equal(res.statusCode, 200);
    assert.equal(main.readPool.counts.replica, was.replica + 1, JSON.stringify(main.readPool.counts));
    assert.equal(main.readPool.counts.lagging, was.lagging);
    assert.equal(await onStandby(id), 1);
  });
});
