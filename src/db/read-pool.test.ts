/**
 * The read pool without a working standby (runs on every test server): no replica configured, a replica that is down,
 * and a DATABASE_READ_URL that is not a standby. Public pages keep answering from the primary, with a warning log
 * and /healthz and /metrics saying so; signed-in staff always read the primary. The tests against a real primary +
 * hot standby pair are in src/portal/read-replica.test.ts.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { after, describe, it } from "node:test";
import pino from "pino";
import { signIn } from "../../test/auth.ts";
import { createAgency, createUser } from "../../test/factories.ts";
import { testConfig } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { buildApp } from "../app.ts";
import { createDeps } from "../deps.ts";
import { PageCache } from "../http/page-cache.ts";
import { fixedClock } from "../shared/clock.ts";
import { createKysely } from "./connection.ts";
import type { Db } from "./database.ts";
import { ReadPool } from "./read-pool.ts";

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function appWith(primary: Db, replica: Db | undefined) {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const pageCache = new PageCache();
  const readPool = new ReadPool({ primary, replica, logger, changes: () => pageCache.generation });
  const deps = createDeps(testConfig(), primary, {
    clock: fixedClock("2026-03-16T10:00:00+08:00"),
    logger,
    pageCache,
    readPool,
  });
  const app = await buildApp(deps);
  after(() => app.close());
  const warnings = () => lines.filter((l) => l.level === 40).map((l) => l.msg);
  return { app, deps, readPool, warnings };
}

describe("read pool without a usable replica", async () => {
  const { db, url } = await createTestDatabase();
  const agency = await createAgency(db, { slug: "read-pool-test", name: "读库测试局" });
  const staff = await createUser(db, { roles: ["agency_admin"], agencyId: agency.id });

  it("no DATABASE_READ_URL: public reads use the primary; /healthz has no replica entry", async () => {
    const { app, readPool } = await appWith(db, undefined);
    const res = await app.inject({ url: "/agencies/read-pool-test" });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /读库测试局/);
    assert.deepEqual(readPool.counts, { replica: 0, primary: 1, lagging: 0, unavailable: 0 });
    const health = await app.inject({ url: "/healthz" });
    assert.deepEqual(health.json(), { status: "ok" });
    assert.deepEqual(await readPool.status(), { state: "none" });
  });

  it("replica down: pages answer from the primary, one warning, /healthz ok with replica down, /metrics up 0", async () => {
    const replica = createKysely(`postgres://postgres@127.0.0.1:${await closedPort()}/postgres`, 2, {
      connectionTimeoutMillis: 2000,
    });
    after(() => replica.destroy());
    const { app, readPool, warnings } = await appWith(db, replica);
    for (const url of [
      "/agencies/read-pool-test",
      "/search?q=%E6%B5%8B%E8%AF%95",
      "/api/v1/agencies/read-pool-test",
    ]) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 300)}`);
    }
    assert.equal(readPool.counts.replica, 0);
    assert.ok(readPool.counts.unavailable >= 3, JSON.stringify(readPool.counts));
    assert.deepEqual(warnings(), ["read replica unavailable: public reads use the primary"]);
    const health = await app.inject({ url: "/healthz" });
    assert.equal(health.statusCode, 200);
    assert.deepEqual(health.json(), { status: "ok", replica: { state: "down" } });
    const metrics = await app.inject({ url: "/metrics", remoteAddress: "127.0.0.1" });
    assert.match(metrics.body, /^gongkai_replica_up\{[^}]*\} 0$/m);
    assert.match(
      metrics.body,
      /^gongkai_public_reads_total\{[^}]*db="primary",reason="unavailable"[^}]*\} [1-9]/m,
    );
  });

  it("DATABASE_READ_URL that is not a standby (a primary): never read, reported as not_standby", async () => {
    const notStandby = createKysely(url, 2);
    after(() => notStandby.destroy());
    const { app, readPool, warnings } = await appWith(db, notStandby);
    const res = await app.inject({ url: "/agencies/read-pool-test/catalog" });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(readPool.counts, { replica: 0, primary: 0, lagging: 0, unavailable: 1 });
    assert.equal(warnings().length, 1);
    assert.deepEqual((await app.inject({ url: "/healthz" })).json(), {
      status: "ok",
      replica: { state: "not_standby" },
    });
  });

  it("signed-in staff read the primary (read-your-writes): the read pool is not asked", async () => {
    const replica = createKysely(`postgres://postgres@127.0.0.1:${await closedPort()}/postgres`, 2, {
      connectionTimeoutMillis: 2000,
    });
    after(() => replica.destroy());
    const { app, readPool } = await appWith(db, replica);
    const session = await signIn(app, staff);
    const res = await app.inject({ url: "/agencies/read-pool-test", headers: session.headers });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers["cache-control"], "private, no-store");
    assert.deepEqual(readPool.counts, { replica: 0, primary: 0, lagging: 0, unavailable: 0 });
  });
});
