/**
 * Cached public pages over HTTP (app.inject): pre-compressed bodies (br, gzip) decompress to the same bytes as the
 * plain one, ETag / 304, lean headers that keep the security ones, and request-log sampling (LOG_REQUESTS).
 */
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import zlib from "node:zlib";
import pino from "pino";
import { createAgency } from "../../test/factories.ts";
import { createTestApp, testConfig } from "../../test/test-app.ts";
import { buildApp } from "../app.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { createDeps } from "../deps.ts";
import { insertTestRecord } from "../publishing/publishing.fixtures.ts";
import { fixedClock } from "../shared/clock.ts";

describe("cached public pages over HTTP", async () => {
  const { app, db, deps } = await createTestApp();
  const agency = await createAgency(db, { slug: "cache-http", name: "缓存测试局" });
  await createPublishedCatalog(db, agency.id, [{ key: "k1", name: "政策文件", content: "规范性文件" }], {
    root: null,
  });
  const id = await insertTestRecord(db, agency.id, {
    title: "压缩测试的政策文件",
    body: "正文。".repeat(400),
    itemKey: "k1",
    publishedDate: "2026-03-01",
  });
  const url = `/agencies/cache-http/records/${id}`;

  it("serves br and gzip versions stored beside the body; all decompress to the same bytes", async () => {
    deps.pageCache.invalidate();
    const plain = await app.inject({ url });
    assert.equal(plain.statusCode, 200);
    assert.equal(plain.headers["x-cache"], "miss");
    assert.equal(plain.headers["content-encoding"], undefined);
    const br = await app.inject({ url, headers: { "accept-encoding": "gzip, deflate, br" } });
    assert.equal(br.headers["x-cache"], "hit");
    assert.equal(br.headers["content-encoding"], "br");
    assert.deepEqual(zlib.brotliDecompressSync(br.rawPayload), plain.rawPayload);
    const gz = await app.inject({ url, headers: { "accept-encoding": "gzip" } });
    assert.equal(gz.headers["content-encoding"], "gzip");
    assert.deepEqual(zlib.gunzipSync(gz.rawPayload), plain.rawPayload);
    // A client that takes neither gets the body as it is: nothing is compressed per request.
    const deflate = await app.inject({ url, headers: { "accept-encoding": "deflate" } });
    assert.equal(deflate.headers["content-encoding"], undefined);
    assert.deepEqual(deflate.rawPayload, plain.rawPayload);
    for (const res of [plain, br, gz, deflate]) {
      assert.equal(res.headers.etag, plain.headers.etag, "one validator for every encoding");
      assert.match(String(res.headers.vary), /Accept-Encoding/);
    }
    assert.ok(plain.body.includes("压缩测试的政策文件"));
  });

  it("answers 304 to If-None-Match, with no body", async () => {
    const first = await app.inject({ url });
    const etag = first.headers.etag as string;
    const again = await app.inject({ url, headers: { "if-none-match": etag, "accept-encoding": "br" } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.rawPayload.length, 0);
    assert.equal((await app.inject({ url, headers: { "if-none-match": '"other"' } })).statusCode, 200);
  });

  it("keeps the security headers and drops the legacy ones on cached pages", async () => {
    const res = await app.inject({ url, headers: { "accept-encoding": "br" } });
    assert.match(String(res.headers["content-security-policy"]), /script-src 'self'/);
    assert.equal(res.headers["x-content-type-options"], "nosniff");
    assert.equal(res.headers["x-frame-options"], "SAMEORIGIN");
    assert.equal(res.headers["referrer-policy"], "same-origin");
    for (const h of [
      "x-xss-protection",
      "x-dns-prefetch-control",
      "x-download-options",
      "origin-agent-cluster",
    ])
      assert.equal(res.headers[h], undefined, h);
    // Pages that are not cached keep helmet's full set.
    assert.equal((await app.inject({ url: "/accessibility" })).headers["x-dns-prefetch-control"], "off");
  });

  it("keys pages on the route's parsed parameters: junk or reordered queries hit the same entry", async () => {
    // A second page to ask for (a page past the last is a 404, never cached).
    for (let i = 0; i < 20; i++)
      await insertTestRecord(db, agency.id, {
        title: `第二页的文件${i}`,
        itemKey: "k1",
        publishedDate: "2026-02-01",
      });
    deps.pageCache.invalidate();
    const item = "/agencies/cache-http/catalog/k1";
    assert.equal((await app.inject({ url: item })).headers["x-cache"], "miss");
    for (const url of [`${item}?junk=1`, `${item}?page=1`, `${item}?page=x&utm=2`])
      assert.equal((await app.inject({ url })).headers["x-cache"], "hit", url);
    const second = await app.inject({ url: `${item}?page=2&junk=<b>` });
    assert.equal(second.headers["x-cache"], "miss", "another page number is another page");
    assert.equal((await app.inject({ url: `${item}?junk=9&page=2` })).headers["x-cache"], "hit");
    // The cached page holds the canonical URL (display switch's back link), never the first visitor's query.
    assert.ok(!second.body.includes("junk"), "no query of the first visitor in the cached page");
    assert.ok(second.body.includes(encodeURIComponent(`${item}?page=2`)));
    const home = await app.inject({ url: "/?x=1" });
    assert.equal(home.statusCode, 200);
    assert.equal((await app.inject({ url: "/?y=2" })).headers["x-cache"], "hit");
    assert.equal((await app.inject({ url: `${url}?a=b` })).headers["x-cache"], "miss");
    assert.equal((await app.inject({ url: `${url}?c=d` })).headers["x-cache"], "hit");
  });
});

describe("request log sampling (LOG_REQUESTS)", async () => {
  const { db } = await createTestApp();

  async function linesFor(config: Parameters<typeof testConfig>[0], requests: { url: string }[]) {
    const lines: { msg: string; res?: { statusCode: number } }[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });
    const deps = createDeps(testConfig({ logLevel: "info", ...config }), db, {
      clock: fixedClock("2026-03-16T10:00:00+08:00"),
      logger: pino({ level: "info" }, stream),
    });
    const app = await buildApp(deps);
    app.get("/test-boom", { config: { policy: "public" } }, async () => {
      throw new Error("boom");
    });
    try {
      for (const r of requests) await app.inject(r);
    } finally {
      await app.close();
    }
    return lines.filter((l) => l.msg === "request completed" || l.msg === "incoming request");
  }

  const ten = Array.from({ length: 10 }, () => ({ url: "/healthz" }));

  it("samples every 1/rate-th request, logs none when off and two lines each when all", async () => {
    assert.equal((await linesFor({ logRequests: "sample", logRequestSampleRate: 0.2 }, ten)).length, 2);
    assert.equal((await linesFor({ logRequests: "off" }, ten)).length, 0);
    assert.equal((await linesFor({ logRequests: "all" }, ten)).length, 20);
  });

  it("always logs a response with a status of 500 or more", async () => {
    const lines = await linesFor({ logRequests: "off" }, [...ten, { url: "/test-boom" }]);
    assert.deepEqual(
      lines.map((l) => l.res?.statusCode),
      [500],
    );
  });
});
