/**
 * The hit path (src/http/page-hits.ts) over a real socket (app.inject bypasses the server): a cached page is
 * answered with exactly the headers the whole pipeline gave it (security headers included), each stored encoding,
 * 304, HEAD; staff, stale sessions, other display preferences and invalidated pages never take it.
 */
import assert from "node:assert/strict";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import zlib from "node:zlib";
import { createAgency, createUser } from "../../test/factories.ts";
import { type RawResponse, rawRequest } from "../../test/http.ts";
import { createTestApp } from "../../test/test-app.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { insertTestRecord } from "../publishing/publishing.fixtures.ts";

function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = "GET",
): Promise<RawResponse> {
  return rawRequest(`http://127.0.0.1:${port}`, path, { headers, method });
}

/** The headers that must be the same on the hit path as through the pipeline. */
function stable(headers: http.IncomingHttpHeaders): Record<string, unknown> {
  const {
    date: _d,
    "x-request-id": _id,
    "x-cache": _c,
    connection: _k,
    "keep-alive": _ka,
    ...rest
  } = headers;
  return rest;
}

describe("hit path: cached pages answered before Fastify", async () => {
  const { app, db, deps } = await createTestApp();
  const agency = await createAgency(db, { slug: "hit-path", name: "快速命中测试局" });
  await createPublishedCatalog(db, agency.id, [{ key: "k1", name: "政策文件", content: "规范性文件" }], {
    root: null,
  });
  const id = await insertTestRecord(db, agency.id, {
    title: "快速命中的政策文件",
    body: "正文。".repeat(400),
    itemKey: "k1",
    publishedDate: "2026-03-01",
  });
  const url = `/agencies/hit-path/records/${id}`;
  await app.listen({ host: "127.0.0.1", port: 0 });
  const port = (app.server.address() as AddressInfo).port;

  it("replays the pipeline's headers exactly, for identity, gzip and br", async () => {
    for (const encoding of ["identity", "gzip", "br"]) {
      deps.pageCache.invalidate();
      const headers = { "accept-encoding": encoding };
      const before = app.pageHits.served;
      const piped = await get(port, url, headers);
      assert.equal(piped.status, 200);
      assert.notEqual(piped.headers["x-cache"], "hit", "the first request goes through the pipeline");
      // The render answered with its fast compression; the best one replaces the entry (and the alias) after.
      await deps.pageCache.settled();
      const again = await get(port, url, headers);
      assert.equal(again.headers["x-cache"], "hit");
      assert.equal(app.pageHits.served, before, "a replaced entry is answered by the pipeline once more");
      const fast = await get(port, url, headers);
      assert.equal(fast.headers["x-cache"], "hit");
      assert.equal(app.pageHits.served, before + 1, "the second one is answered on the hit path");
      assert.deepEqual(stable(fast.headers), stable(again.headers));
      assert.deepEqual(fast.body, again.body);
      assert.match(String(fast.headers["x-request-id"]), /^[0-9a-f-]{36}$/);
      assert.notEqual(fast.headers["x-request-id"], again.headers["x-request-id"]);
    }
    const plain = await get(port, url, { "accept-encoding": "identity" });
    const br = await get(port, url, { "accept-encoding": "gzip, br" });
    assert.equal(br.headers["content-encoding"], "br");
    assert.deepEqual(zlib.brotliDecompressSync(br.body), plain.body);
    const gz = await get(port, url, { "accept-encoding": "br;q=0, gzip" });
    assert.equal(gz.headers["content-encoding"], "gzip");
    assert.deepEqual(zlib.gunzipSync(gz.body), plain.body);
    // The security headers are there (the same values as the pipeline's, checked above).
    assert.match(String(plain.headers["content-security-policy"]), /script-src 'self'/);
    assert.equal(plain.headers["x-content-type-options"], "nosniff");
    assert.equal(plain.headers["x-frame-options"], "SAMEORIGIN");
    assert.equal(plain.headers["referrer-policy"], "same-origin");
    assert.equal(plain.headers["cache-control"], "public, no-cache");
    assert.equal(plain.headers.vary, "Cookie, Accept-Encoding");
    assert.ok(plain.body.toString().includes("快速命中的政策文件"));
  });

  it("answers 304 to If-None-Match and HEAD without a body", async () => {
    await deps.pageCache.settled();
    const first = await get(port, url);
    const before = app.pageHits.served;
    const etag = String(first.headers.etag);
    const again = await get(port, url, { "if-none-match": etag });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    assert.equal(again.headers.etag, etag);
    const head = await get(port, url, { "accept-encoding": "identity" }, "HEAD");
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.equal(head.headers["content-length"], String(first.body.length));
    assert.equal(app.pageHits.served, before + 2);
  });

  it("never serves staff, a stale session or other display preferences from the anonymous page", async () => {
    await get(port, url);
    await deps.pageCache.settled();
    const before = app.pageHits.served;
    const editor = await createUser(db, { roles: ["editor"], agencyId: agency.id });
    const { cookie } = await app.credentials.forUser(editor.id);
    const staff = await get(port, url, { cookie });
    assert.equal(staff.status, 200);
    assert.equal(staff.headers["cache-control"], "private, no-store");
    assert.equal(staff.headers["x-cache"], undefined);
    // A session cookie that is no longer valid: the pipeline clears it.
    const stale = await get(port, url, { cookie: "gk_session=expired-token" });
    assert.match(String(stale.headers["set-cookie"]), /gk_session=;/);
    const bearer = await get(port, url, { authorization: "Bearer nope" });
    assert.equal(bearer.status, 401);
    // Large text is another page (another key and alias); the first request of it goes through the pipeline.
    const large = await get(port, url, { cookie: "gk_display=large" });
    assert.equal(large.status, 200);
    assert.notEqual(large.headers.etag, (await get(port, url)).headers.etag);
    await deps.pageCache.settled();
    await get(port, url, { cookie: "gk_display=large" });
    assert.equal(app.pageHits.served, before + 1, "only the last anonymous request took the hit path");
    assert.equal((await get(port, url, { cookie: "gk_display=large; other=1" })).headers["x-cache"], "hit");
  });

  it("stops at once when the page is invalidated, and counts hits in /metrics", async () => {
    await get(port, url);
    await deps.pageCache.settled();
    await get(port, url);
    assert.equal((await get(port, url)).headers["x-cache"], "hit");
    deps.pageCache.invalidate(agency.id);
    const before = app.pageHits.served;
    const after = await get(port, url);
    assert.equal(after.headers["x-cache"], "miss");
    assert.equal(app.pageHits.served, before);
    await get(port, url);
    const metrics = (await get(port, "/metrics")).body.toString();
    assert.match(
      metrics,
      /gongkai_http_requests_total\{method="GET",route="\/agencies\/:slug\/records\/:id",status_code="200"[^}]*\} \d+/,
    );
  });

  it("counts and times hit-path requests in /metrics, in the pipeline's series", async () => {
    await get(port, url);
    await deps.pageCache.settled();
    await get(port, url);
    assert.equal((await get(port, url)).headers["x-cache"], "hit");
    const series = async () => {
      const text = (await get(port, "/metrics")).body.toString();
      const value = (name: string) =>
        Number(
          new RegExp(
            `^${name}\\{[^}]*method="GET",route="/agencies/:slug/records/:id",status_code="200"[^}]*\\} ([0-9.e+-]+)$`,
            "m",
          ).exec(text)?.[1] ?? Number.NaN,
        );
      return {
        requests: value("gongkai_http_requests_total"),
        timed: value("gongkai_http_request_duration_seconds_count"),
        seconds: value("gongkai_http_request_duration_seconds_sum"),
      };
    };
    const before = await series();
    const served = app.pageHits.served;
    for (let i = 0; i < 5; i++) assert.equal((await get(port, url)).headers["x-cache"], "hit");
    assert.equal(app.pageHits.served, served + 5, "all five took the hit path");
    const after = await series();
    assert.equal(after.requests - before.requests, 5);
    assert.equal(after.timed - before.timed, 5, "each hit is observed in the latency histogram");
    assert.ok(after.seconds > before.seconds);
  });
});
