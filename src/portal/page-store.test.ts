/**
 * The shared page store (PostgreSQL) behind each app's in-memory page cache: apps on one database serve each
 * other's renders, a change in one app drops the page in the others (NOTIFY through the event bridge), a new app
 * (restart) serves what is still valid, a page rendered before a change is never served, and the size limits.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import zlib from "node:zlib";
import { createAgency } from "../../test/factories.ts";
import { createTestDeps } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { buildApp } from "../app.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { startEventBridge } from "../cluster/event-bridge.ts";
import type { Deps } from "../deps.ts";
import { type Entry, PageCache } from "../http/page-cache.ts";
import { insertTestRecord } from "../publishing/publishing.fixtures.ts";
import { createPageStore } from "./page-store.ts";

async function waitFor(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`gave up waiting: ${what}`);
}

const entry = (body: string, agencyId: string | null): Entry => ({
  body: Buffer.from(body),
  contentType: "text/html; charset=utf-8",
  etag: `"${body.length}"`,
  agencyId,
  expiresAt: Date.now() + 60_000,
});

describe("shared page store", async () => {
  const { db, url } = await createTestDatabase();
  const agency = await createAgency(db, { slug: "store-a", name: "共享缓存测试局" });
  const other = await createAgency(db, { slug: "store-b", name: "另一个测试局" });
  await createPublishedCatalog(db, agency.id, [{ key: "k1", name: "政策文件", content: "规范性文件" }], {
    root: null,
  });
  const id = await insertTestRecord(db, agency.id, {
    title: "共享缓存的第一份文件",
    body: "正文。".repeat(400),
    itemKey: "k1",
    publishedDate: "2026-03-01",
  });
  const page = `/agencies/store-a/records/${id}`;

  const startApp = async () => {
    const deps = await createTestDeps({ db });
    const app = await buildApp(deps);
    const bridge = await startEventBridge(deps, url);
    const stop = async () => {
      await bridge.stop();
      await app.close();
    };
    after(stop);
    return { app, deps, stop };
  };
  const a = await startApp();
  const b = await startApp();
  const settled = (deps: Deps) => deps.pageCache.settled();

  it("serves a page rendered by one app from another app's shared level, same bytes and validator", async () => {
    const first = await a.app.inject({ url: page, headers: { "accept-encoding": "br" } });
    assert.equal(first.headers["x-cache"], "miss");
    await settled(a.deps);
    const row = await db.selectFrom("page_cache").select("scope").executeTakeFirstOrThrow();
    assert.equal(row.scope, agency.id);
    const fromStore = await b.app.inject({ url: page, headers: { "accept-encoding": "br" } });
    assert.equal(fromStore.headers["x-cache"], "store");
    assert.equal(fromStore.headers.etag, first.headers.etag);
    assert.equal(fromStore.headers["content-encoding"], "br");
    // The render answered with a fast brotli level; the best one, computed after, is what A keeps and stores.
    const best = await a.app.inject({ url: page, headers: { "accept-encoding": "br" } });
    assert.equal(best.headers["x-cache"], "hit");
    assert.ok(best.rawPayload.length <= first.rawPayload.length);
    assert.deepEqual(fromStore.rawPayload, best.rawPayload);
    assert.deepEqual(
      zlib.brotliDecompressSync(fromStore.rawPayload),
      zlib.brotliDecompressSync(first.rawPayload),
    );
    assert.equal((await b.app.inject({ url: page })).headers["x-cache"], "hit", "then from B's memory");
  });

  it("a change in app A drops the page from app B's memory (NOTIFY) and from the shared level", async () => {
    await db
      .updateTable("records")
      .set({ title: "共享缓存的第一份文件（修订）" })
      .where("id", "=", id)
      .execute();
    a.deps.events.emit("record.updated", { agencyId: agency.id, recordId: id });
    await settled(a.deps);
    await waitFor("B's memory dropped the agency's pages", () => b.deps.pageCache.size === 0);
    const res = await b.app.inject({ url: page });
    assert.equal(res.headers["x-cache"], "miss", "the stored copy is stale: rendered again");
    assert.ok(res.body.includes("（修订）"));
    // Another agency's change leaves the page alone (only its own agency and the platform's pages go).
    await settled(b.deps);
    b.deps.events.emit("record.updated", { agencyId: other.id, recordId: id });
    await settled(b.deps);
    assert.equal((await b.app.inject({ url: page })).headers["x-cache"], "hit");
  });

  it("a new app on the database (a restart) serves the still-valid pages from the shared level", async () => {
    await a.app.inject({ url: page });
    await a.stop();
    const c = await startApp();
    const res = await c.app.inject({ url: page });
    assert.ok(["store", "hit"].includes(String(res.headers["x-cache"])), String(res.headers["x-cache"]));
    assert.equal(res.headers["x-cache"], "store");
    assert.ok(res.body.includes("（修订）"));
  });

  it("never serves a page rendered before a change of its scope, nor after its expiry", async () => {
    const store = createPageStore(db, { warn: () => {} });
    const before = await store.load("k-race");
    // A change commits while the render is running; the render then stores its page with its older generation.
    await store.invalidate(agency.id, "test");
    store.save("k-race", before.generation, entry("<p>old</p>", agency.id));
    await store.settled();
    assert.equal((await store.load("k-race")).page, undefined, "stale generation");
    const now = await store.load("k-race");
    store.save("k-race", now.generation, entry("<p>new</p>", agency.id));
    await store.settled();
    assert.equal((await store.load("k-race")).page?.body.toString(), "<p>new</p>");
    // An older render never overwrites a newer one.
    store.save("k-race", before.generation, entry("<p>old</p>", agency.id));
    await store.settled();
    assert.equal((await store.load("k-race")).page?.body.toString(), "<p>new</p>");
    // A platform page goes with any agency's change; everything goes with invalidate().
    const g = (await store.load("k-platform")).generation;
    store.save("k-platform", g, entry("<p>home</p>", null));
    await store.settled();
    assert.equal((await store.load("k-platform")).page?.agencyId, null);
    await store.invalidate(other.id, "test");
    assert.equal((await store.load("k-platform")).page, undefined);
    assert.ok((await store.load("k-race")).page, "another agency's change keeps this agency's page");
    await store.invalidate(undefined, "test");
    assert.equal((await store.load("k-race")).page, undefined);
    // Expiry (the clock of the store).
    const later = createPageStore(db, { warn: () => {} }, { now: () => new Date(Date.now() + 120_000) });
    const g2 = (await store.load("k-exp")).generation;
    store.save("k-exp", g2, entry("<p>exp</p>", agency.id));
    await store.settled();
    assert.ok((await store.load("k-exp")).page);
    assert.equal((await later.load("k-exp")).page, undefined);
  });

  it("keeps pages above the entry limit out, and prunes stale and the oldest pages beyond the budget", async () => {
    await db.deleteFrom("page_cache").execute();
    const store = createPageStore(db, { warn: () => {} }, { maxEntryBytes: 1000, maxBytes: 2000 });
    const { generation } = await store.load("x");
    store.save("big", generation, entry("x".repeat(1001), agency.id));
    for (const k of ["p1", "p2", "p3", "p4"]) {
      store.save(k, generation, entry(k.repeat(400), agency.id));
      await store.settled();
    }
    assert.equal((await store.load("big")).page, undefined, "too big for the shared level");
    assert.equal(await store.prune(), 2, "800 bytes each: the two oldest go beyond 2,000");
    const kept = await db.selectFrom("page_cache").select("bytes").execute();
    assert.equal(kept.length, 2);
    assert.equal((await store.load("p1")).page, undefined);
    assert.ok((await store.load("p4")).page);
    await store.invalidate(agency.id, "test");
    assert.equal(await store.prune(), 2, "stale pages are pruned");
  });

  it("an app without a store keeps pages in its memory only", async () => {
    const local = new PageCache();
    assert.equal(local.shared, false);
    assert.equal(await local.load("k"), undefined);
  });
});
