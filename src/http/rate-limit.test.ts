import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { createTestDeps } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { buildApp } from "../app.ts";
import { countHit, deleteExpiredRateLimits, readHits } from "./rate-limit.repository.ts";

const { db } = await createTestDatabase();

/** Two app instances on ONE database, as two `gongkai serve` processes behind nginx are. */
async function appOnSharedDb() {
  const app = await buildApp(await createTestDeps({ db }));
  after(() => app.close());
  return app;
}

describe("rate limits shared across app processes (PostgreSQL store)", () => {
  it("two app instances on one database share one limit per client and route", async () => {
    const a = await appOnSharedDb();
    const b = await appOnSharedDb();
    const codes: number[] = [];
    // LOGIN_RATE_LIMIT: 10 per minute. Alternate the instances: 5 on each are still within the limit…
    for (let i = 0; i < 10; i++) {
      const res = await (i % 2 === 0 ? a : b).inject({ url: "/admin/setup?token=nope" });
      codes.push(res.statusCode);
    }
    assert.ok(!codes.includes(429), codes.join(","));
    // …and the 11th request is refused by both, although each instance counted only 5 (per-process stores allow 10).
    const fromA = await a.inject({ url: "/admin/setup?token=nope" });
    const fromB = await b.inject({ url: "/admin/setup?token=nope" });
    assert.equal(fromA.statusCode, 429);
    assert.equal(fromB.statusCode, 429);
    assert.match(fromB.body, /rate_limited/);
    assert.ok(Number(fromB.headers["retry-after"]) > 0, "Retry-After from the shared window");
    // Another route keeps its own counter; another client its own.
    const otherRoute = await b.inject({ url: "/apply/status" });
    assert.notEqual(otherRoute.statusCode, 429);
    const otherClient = await a.inject({ url: "/admin/setup?token=nope", remoteAddress: "192.0.2.7" });
    assert.notEqual(otherClient.statusCode, 429);
  });

  it("concurrent hits on one key are all counted (atomic upsert)", async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, () => countHit(db, "test-concurrent", 60_000, 100, false)),
    );
    assert.deepEqual(
      results.map((r) => r.hits).sort((x, y) => x - y),
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    assert.ok(results.every((r) => r.ttlMs > 0 && r.ttlMs <= 60_000));
    assert.equal((await readHits(db, "test-concurrent")).hits, 40);
  });

  it("a window ends, then counting starts again; expired counters are swept", async () => {
    const endWindow = (key: string) =>
      db
        .updateTable("rate_limits")
        .set({ expires_at: new Date(Date.now() - 60_000) })
        .where("key", "=", key)
        .execute();
    await countHit(db, "test-short", 60_000, 1, false);
    assert.equal((await countHit(db, "test-short", 60_000, 1, false)).hits, 2);
    await endWindow("test-short");
    assert.equal((await readHits(db, "test-short")).hits, 0);
    assert.equal((await countHit(db, "test-short", 60_000, 1, false)).hits, 1, "a new window");
    await countHit(db, "test-live", 60_000, 1, false);
    await endWindow("test-short");
    assert.ok((await deleteExpiredRateLimits(db)) >= 1);
    const left = await db
      .selectFrom("rate_limits")
      .select("key")
      .where("key", "in", ["test-short", "test-live"])
      .execute();
    assert.deepEqual(left, [{ key: "test-live" }]);
  });

  it("continueExceeding restarts the window on every request over the limit", async () => {
    const expiry = async (key: string) =>
      (
        await db
          .selectFrom("rate_limits")
          .select("expires_at")
          .where("key", "=", key)
          .executeTakeFirstOrThrow()
      ).expires_at.getTime();
    for (const [key, continueExceeding] of [
      ["test-continue", true],
      ["test-plain", false],
    ] as const) {
      await countHit(db, key, 60_000, 1, continueExceeding);
      const first = await expiry(key);
      await new Promise((r) => setTimeout(r, 30));
      assert.equal((await countHit(db, key, 60_000, 1, continueExceeding)).hits, 2);
      const second = await expiry(key);
      if (continueExceeding) assert.ok(second > first, "window restarted");
      else assert.equal(second, first, "window kept");
    }
  });
});
