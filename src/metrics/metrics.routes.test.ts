import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { createTestApp } from "../../test/test-app.ts";

describe("/metrics", async () => {
  const { app, deps } = await createTestApp({ config: { metricsToken: "metrics-token-0123456789" } });
  await app.listen({ host: "127.0.0.1", port: 0 });
  after(() => app.close());
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

  it("answers loopback requests in Prometheus format with route patterns, pool, cache and process metrics", async () => {
    // Two portal pages of the same pattern, one twice (a cache hit), and an unmatched URL.
    await fetch(`${base}/agencies/no-such-agency`);
    await fetch(`${base}/`);
    // Its best compression is in place: the second request is a hit through Fastify, the third one is answered on
    // the hit path, before Fastify (src/http/page-hits.ts): counted and timed in the same series.
    await deps.pageCache.settled();
    await fetch(`${base}/`);
    await fetch(`${base}/`);
    // The same page again after this process's memory forgot it: served from the shared page_cache table.
    await deps.pageCache.settled();
    deps.pageCache.dropLocal();
    assert.equal((await fetch(`${base}/`)).headers.get("x-cache"), "store");
    await fetch(`${base}/definitely/not/a/route?x=1`);
    const res = await fetch(`${base}/metrics`);
    assert.equal(res.status, 200);
    assert.match(String(res.headers.get("content-type")), /^text\/plain/);
    const text = await res.text();
    assert.match(
      text,
      /gongkai_http_requests_total\{method="GET",route="\/agencies\/:slug",status_code="404",pid="\d+"\} 1/,
    );
    assert.match(
      text,
      /gongkai_http_requests_total\{method="GET",route="\/",status_code="200",pid="\d+"\} 4/,
    );
    assert.match(text, /gongkai_http_requests_total\{method="GET",route="\(unmatched\)",status_code="404"/);
    assert.doesNotMatch(text, /no-such-agency|definitely/, "raw URLs never become labels");
    assert.match(text, /gongkai_http_request_duration_seconds_count\{[^}]*route="\/"[^}]*\} 4/);
    assert.match(text, /gongkai_db_pool_connections\{state="max",pid="\d+"\} \d+/);
    assert.match(text, /gongkai_page_cache_lookups_total\{result="hit",pid="\d+"\} 2/);
    assert.match(text, /gongkai_page_cache_lookups_total\{result="store",pid="\d+"\} 1/);
    assert.match(text, /gongkai_page_cache_lookups_total\{result="wait",pid="\d+"\} 0/);
    assert.match(text, /gongkai_page_cache_lookups_total\{result="miss",pid="\d+"\} [1-9]/);
    assert.match(text, /gongkai_process_resident_memory_bytes/);
  });

  it("refuses proxied and remote requests unless they carry the token", async () => {
    const proxied = await fetch(`${base}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9" } });
    assert.equal(proxied.status, 403);
    const wrong = await fetch(`${base}/metrics`, {
      headers: { "x-forwarded-for": "203.0.113.9", authorization: "Bearer wrong-token-0123456789x" },
    });
    assert.equal(wrong.status, 403);
    const right = await fetch(`${base}/metrics`, {
      headers: { "x-forwarded-for": "203.0.113.9", authorization: "Bearer metrics-token-0123456789" },
    });
    assert.equal(right.status, 200);
    assert.match(await right.text(), /gongkai_http_requests_total/);
  });
});
