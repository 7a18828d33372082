/**
 * Static pages (STATIC_PAGES_DIR): which cached pages are mirrored as files, that a change deletes its agency's and
 * the platform's files (also when it races with a write), the sweep by age and the emptying at start.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import zlib from "node:zlib";
import { createAgency } from "../../test/factories.ts";
import { createTestDeps } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { buildApp } from "../app.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { createPageStore } from "../portal/page-store.ts";
import { insertTestRecord } from "../publishing/publishing.fixtures.ts";
import { type Entry, PageCache, type PageStore } from "./page-cache.ts";
import { isMirrorablePath, PageMirror, validatorTime } from "./page-mirror.ts";

const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-static-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
};
const silent = { warn: () => {} };

describe("static pages (STATIC_PAGES_DIR)", async () => {
  const { db } = await createTestDatabase();
  const agency = await createAgency(db, { slug: "static-a", name: "静态化测试局" });
  const other = await createAgency(db, { slug: "static-b", name: "另一个静态化测试局" });
  for (const a of [agency, other])
    await createPublishedCatalog(db, a.id, [{ key: "k1", name: "政策文件", content: "规范性文件" }], {
      root: null,
    });
  const record = async (agencyId: string, title: string) =>
    insertTestRecord(db, agencyId, {
      title,
      body: "正文。".repeat(400),
      itemKey: "k1",
      publishedDate: "2026-03-01",
    });
  const id = await record(agency.id, "静态化的第一份文件");
  const otherId = await record(other.id, "另一个局的文件");
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, "agencies", "old"), { recursive: true });
  fs.writeFileSync(path.join(dir, "agencies", "old", "index.html"), "<p>a previous run</p>");
  const deps = await createTestDeps({ db, config: { staticPagesDir: dir } });
  const app = await buildApp(deps);
  after(() => app.close());
  const mirror = deps.pageCache.mirror;
  assert.ok(mirror);
  const file = (urlPath: string) => path.join(dir, urlPath, "index.html");
  const get = async (url: string, headers: Record<string, string> = {}) => {
    const res = await app.inject({ url, headers });
    assert.equal(res.statusCode, 200, url);
    await deps.pageCache.settled();
    return res;
  };
  const recordPage = `/agencies/static-a/records/${id}`;
  const otherPage = `/agencies/static-b/records/${otherId}`;

  it("starts with an empty directory (pages of a previous run may be stale)", () => {
    assert.equal(fs.existsSync(path.join(dir, "agencies", "old", "index.html")), false);
  });

  it("mirrors an anonymous HTML page as index.html and its gzip, the bytes the cache stores", async () => {
    const res = await get(recordPage, { "accept-encoding": "identity" });
    assert.deepEqual(fs.readFileSync(file(recordPage)), res.rawPayload);
    const gz = fs.readFileSync(path.join(dir, recordPage, "index.html.gz"));
    assert.deepEqual(zlib.gunzipSync(gz), res.rawPayload);
    const br = fs.readFileSync(path.join(dir, recordPage, "index.html.br"));
    assert.deepEqual(zlib.brotliDecompressSync(br), res.rawPayload);
    await get("/");
    assert.ok(fs.readFileSync(file("/")).toString().includes("</html>"));
    await get(otherPage);
    assert.ok(fs.existsSync(file(otherPage)));
  });

  it("does not mirror a query string, a display mode, an unsafe path or a non-HTML page", async () => {
    await get("/agencies/static-a/catalog?page=1&junk=1");
    await get("/agencies/static-a/guide", { cookie: "gk_display=large" });
    await get("/agencies/static-a/reports/");
    await get("/agencies/static-a/feed.xml");
    await get("/sitemap.xml");
    for (const p of ["/agencies/static-a/catalog", "/agencies/static-a/guide", "/agencies/static-a/reports"])
      assert.equal(fs.existsSync(file(p)), false, p);
    assert.equal(fs.existsSync(path.join(dir, "agencies/static-a/feed.xml")), false);
    assert.equal(fs.existsSync(path.join(dir, "sitemap.xml")), false);
    for (const p of ["/a/../b", "/a/./b", "/a%2Fb", "/a//b", "/a/", "/.scopes/x", "/a?b", "/记录"])
      assert.equal(isMirrorablePath(p), false, p);
    assert.equal(isMirrorablePath("/agencies/qi-hrss/records/0a1b-2c.html"), true);
  });

  it("a publish deletes the agency's files and the platform's, and keeps another agency's", async () => {
    assert.ok(fs.existsSync(file(recordPage)) && fs.existsSync(file("/")));
    deps.events.emit("record.published", { agencyId: agency.id, recordId: id });
    // Synchronously: the publishing request has not answered yet.
    assert.equal(fs.existsSync(file(recordPage)), false);
    assert.equal(fs.existsSync(path.join(dir, recordPage, "index.html.gz")), false);
    assert.equal(fs.existsSync(path.join(dir, recordPage, "index.html.br")), false);
    assert.equal(fs.existsSync(file("/")), false);
    assert.ok(fs.existsSync(file(otherPage)), "another agency's page stays");
    await deps.pageCache.settled();
    await get(recordPage);
    assert.ok(fs.existsSync(file(recordPage)), "written again by the next render");
  });

  it("a change between the render and the rename leaves no file (this process, or another through the store)", async () => {
    const entry: Entry = {
      body: Buffer.from("<p>old</p>"),
      contentType: "text/html; charset=utf-8",
      etag: '"x"',
      agencyId: agency.id,
      expiresAt: Date.now() + 60_000,
    };
    const target = {
      path: "/agencies/static-a/race",
      generation: deps.pageCache.generation,
      storeGeneration: 0,
    };
    const before = await deps.pageCache.load("race-key");
    assert.ok(before);
    // In this process: the change is processed while the write is under way.
    deps.pageCache.mirrorEntry({ ...target, storeGeneration: before.generation }, entry);
    deps.pageCache.invalidate(agency.id);
    await deps.pageCache.settled();
    assert.equal(fs.existsSync(file(target.path)), false);
    // In another process (its own cache on the same database): only the shared store's generation moved.
    const elsewhere = new PageCache({ store: createPageStore(db, silent) });
    elsewhere.invalidate(agency.id);
    await elsewhere.settled();
    const discarded = mirror.discarded;
    deps.pageCache.mirrorEntry(
      { ...target, generation: deps.pageCache.generation, storeGeneration: before.generation },
      entry,
    );
    await deps.pageCache.settled();
    assert.equal(fs.existsSync(file(target.path)), false);
    assert.equal(mirror.discarded, discarded + 1);
    // A render after the change keeps its file.
    const now = await deps.pageCache.load("race-key");
    deps.pageCache.mirrorEntry(
      { ...target, generation: deps.pageCache.generation, storeGeneration: now?.generation },
      entry,
    );
    await deps.pageCache.settled();
    assert.equal(fs.readFileSync(file(target.path)).toString(), "<p>old</p>");
  });

  it("the process making a change deletes again once the store has the new generation (a write elsewhere in between)", async () => {
    const dir2 = tempDir();
    const shared = createPageStore(db, silent);
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The store's invalidation waits until released: the window between this process's first deletion and the bump.
    const store: PageStore = {
      ...shared,
      invalidate: async (...args) => gate.then(() => shared.invalidate(...args)),
    };
    const mirror2 = new PageMirror({ dir: dir2, ttlMs: 300_000, logger: silent });
    const cache = new PageCache({ store, mirror: mirror2 });
    const elsewhere = new PageMirror({ dir: dir2, ttlMs: 300_000, logger: silent });
    const page = { path: "/agencies/static-a/late", agencyId: agency.id, body: Buffer.from("<p>old</p>") };
    cache.invalidate(agency.id);
    // Another process renames a page whose checks passed before the bump.
    elsewhere.write(
      { ...page, gzip: undefined, br: undefined, renderedAt: 0 },
      {
        local: () => true,
        shared: async () => true,
      },
    );
    await elsewhere.settled();
    assert.ok(fs.existsSync(path.join(dir2, page.path, "index.html")));
    release();
    await cache.settled();
    assert.equal(fs.existsSync(path.join(dir2, page.path, "index.html")), false);
  });

  it("sweeps files written more than the page TTL ago; file times are digests of the bytes (nginx's validators)", async () => {
    const valid = { local: () => true, shared: async () => true };
    let now = Date.now();
    const own = new PageMirror({ dir: tempDir(), ttlMs: 300_000, logger: silent, now: () => now });
    own.reset();
    const page = (p: string, body = p) => ({
      path: p,
      agencyId: null,
      body: Buffer.from(body),
      gzip: zlib.gzipSync(body),
      br: zlib.brotliCompressSync(body),
      renderedAt: 0,
    });
    own.write(page("/old"), valid);
    await own.settled();
    const written = fs.statSync(path.join(own.dir, "old", "index.html"));
    now = written.ctimeMs + 300_000 - 1;
    assert.equal(await own.sweep(), 0);
    now = written.ctimeMs + 300_000;
    assert.equal(await own.sweep(), 1);
    assert.equal(fs.existsSync(path.join(own.dir, "old", "index.html")), false);
    assert.equal(fs.existsSync(path.join(own.dir, "old", "index.html.gz")), false);
    assert.equal(fs.existsSync(path.join(own.dir, "old", "index.html.br")), false);
    // Same size, other bytes: another mtime (so another ETag and Last-Modified from nginx); same bytes: the same.
    own.write(page("/v", "<p>version 1</p>"), valid);
    await own.settled();
    const v1 = fs.statSync(path.join(own.dir, "v", "index.html")).mtimeMs;
    assert.equal(v1, validatorTime(Buffer.from("<p>version 1</p>")).getTime());
    own.write(page("/v", "<p>version 2</p>"), valid);
    await own.settled();
    const v2 = fs.statSync(path.join(own.dir, "v", "index.html")).mtimeMs;
    assert.notEqual(v2, v1);
    assert.equal(v2, validatorTime(Buffer.from("<p>version 2</p>")).getTime());
    // A change in another process between the shared check and the renames: the second check deletes the files.
    let checks = 0;
    own.write(page("/late"), { local: () => true, shared: async () => ++checks === 1 });
    await own.settled();
    assert.equal(checks, 2);
    assert.equal(fs.existsSync(path.join(own.dir, "late", "index.html")), false);
    assert.equal(fs.existsSync(path.join(own.dir, "late", "index.html.br")), false);
    // An invalidation of everything deletes every file.
    own.drop(undefined);
    assert.equal(fs.existsSync(path.join(own.dir, "v", "index.html")), false);
  });
});
