import assert from "node:assert/strict";
import { describe, it } from "node:test";
import zlib from "node:zlib";
import { chooseEncoding } from "./content-coding.ts";
import { compressPage, PageCache } from "./page-cache.ts";

describe("PageCache", () => {
  const entry = (body: string, agencyId: string | null) => ({ body, contentType: "text/html", agencyId });

  it("stores, returns and computes a stable ETag per body", () => {
    const c = new PageCache();
    const a = c.set("k", c.generation, entry("A", "x"));
    assert.equal(c.get("k")?.body.toString(), "A");
    assert.equal(c.set("k2", c.generation, entry("A", "x")).etag, a.etag);
    assert.notEqual(c.set("k3", c.generation, entry("B", "x")).etag, a.etag);
  });

  it("invalidating an agency drops its entries and platform-wide ones, keeps other agencies'", () => {
    const c = new PageCache();
    c.set("a", 0, entry("a", "agency-a"));
    c.set("b", 0, entry("b", "agency-b"));
    c.set("home", 0, entry("home", null));
    c.invalidate("agency-a");
    assert.equal(c.get("a"), undefined);
    assert.equal(c.get("home"), undefined);
    assert.equal(c.get("b")?.body.toString(), "b");
    c.invalidate();
    assert.equal(c.size, 0);
  });

  it("does not store a render that started before an invalidation", () => {
    const c = new PageCache();
    const generation = c.generation;
    c.invalidate("agency-a");
    c.set("late", generation, entry("stale", "agency-a"));
    assert.equal(c.get("late"), undefined);
  });

  it("expires entries after the TTL and evicts the least recently used beyond the limit", () => {
    let now = new Date("2026-03-16T00:00:00Z");
    const c = new PageCache({ ttlMs: 1000, maxEntries: 2, now: () => now });
    c.set("1", 0, entry("1", null));
    c.set("2", 0, entry("2", null));
    c.get("1");
    c.set("3", 0, entry("3", null));
    assert.equal(c.get("2"), undefined, "least recently used evicted");
    assert.equal(c.get("1")?.body.toString(), "1");
    now = new Date(now.getTime() + 1001);
    assert.equal(c.get("1"), undefined, "expired");
  });

  it("keeps bodies within the memory budget", () => {
    const c = new PageCache({ maxBytes: 100 });
    c.set("a", 0, entry("x".repeat(20), null));
    c.set("b", 0, entry("y".repeat(20), null));
    assert.equal(c.bytes, 40);
    c.set("c", 0, entry("z".repeat(20), null));
    c.set("d", 0, entry("w".repeat(20), null));
    c.set("e", 0, entry("v".repeat(20), null));
    c.set("f", 0, entry("u".repeat(20), null));
    assert.equal(c.get("a"), undefined, "oldest evicted to stay within budget");
    assert.equal(c.bytes, 100);
    c.set("huge", 0, entry("h".repeat(101), null));
    assert.equal(c.get("huge"), undefined, "a body larger than the budget is not stored");
    c.invalidate();
    assert.equal(c.bytes, 0);
  });
});

describe("pre-compressed pages", () => {
  const page = `<!doctype html><title>测试</title>${"<p>政府信息公开 open government information</p>".repeat(200)}`;

  it("stores gzip and brotli versions that decompress to the same bytes; small bodies stay as they are", async () => {
    const value = await compressPage({ body: page, contentType: "text/html", agencyId: null });
    const body = Buffer.from(page);
    assert.ok(value.gzip && value.br);
    assert.ok(value.gzip.length < body.length && value.br.length < body.length);
    assert.deepEqual(zlib.gunzipSync(value.gzip), body);
    assert.deepEqual(zlib.brotliDecompressSync(value.br), body);
    const small = await compressPage({ body: "<p>短</p>", contentType: "text/html", agencyId: null });
    assert.equal(small.gzip, undefined);
    assert.equal(small.br, undefined);
  });

  it("negotiates br before gzip, honours q=0 and falls back to the body", async () => {
    const c = new PageCache();
    const e = c.set("k", 0, await compressPage({ body: page, contentType: "text/html", agencyId: null }));
    assert.equal(chooseEncoding("gzip, deflate, br", e), "br");
    assert.equal(chooseEncoding("gzip;q=1.0, br;q=0", e), "gzip");
    assert.equal(chooseEncoding("deflate", e), undefined);
    assert.equal(chooseEncoding("*", e), "br");
    assert.equal(chooseEncoding(undefined, e), undefined);
    assert.equal(chooseEncoding("identity", e), undefined);
  });
});

describe("chooseEncoding: Accept-Encoding per RFC 9110 §12.5.3", () => {
  const both = { br: Buffer.from("b"), gzip: Buffer.from("g") };
  const gzipOnly = { br: undefined, gzip: Buffer.from("g") };
  const cases: [string | string[] | undefined, "br" | "gzip" | undefined, string][] = [
    [undefined, undefined, "no header: the body as it is"],
    ["", undefined, "empty: no coding wanted"],
    ["gzip, deflate, br", "br", "equal q: br first"],
    ["br;q=0, gzip", "gzip", "br refused"],
    ["br;q=0", undefined, "br refused, gzip not listed"],
    ["gzip;q=0, br", "br", "gzip refused"],
    ["gzip;q=0", undefined, "gzip refused"],
    ["gzip;q=0, br;q=0", undefined, "both refused"],
    ["*", "br", "any coding"],
    ["*;q=0", undefined, "nothing acceptable: the body as it is (the header disregarded)"],
    ["br;q=0, *", "gzip", "* covers only the codings not listed"],
    ["gzip;q=0, *;q=0.5", "br", "* with a weight"],
    ["*;q=0, gzip", "gzip", "only gzip"],
    ["*;q=0, identity", undefined, "only identity"],
    ["gzip;q=0.5, br;q=0.1", "gzip", "preference by q"],
    ["br;q=0.9, gzip;q=1", "gzip", "preference by q, gzip first"],
    ["gzip;q=0.8, br;q=0.8", "br", "equal q: br"],
    ["identity;q=0", undefined, "identity refused but nothing else listed: the body as it is"],
    ["identity;q=0, gzip", "gzip", "identity refused"],
    ["identity;q=0, *", "br", "identity refused, anything else"],
    ["identity, gzip;q=0.5", undefined, "identity preferred by q"],
    ["identity;q=0.5, gzip", "gzip", "gzip preferred by q"],
    ["identity;q=1, br;q=1", "br", "equal q: compressed"],
    ["GZIP;Q=0.5, BR;Q=0.4", "gzip", "case-insensitive"],
    ["gzip ; q=0.5 , br ; q=0.7", "br", "spaces around parameters"],
    ["x-gzip", "gzip", "x-gzip is gzip"],
    ["br;q=2, gzip", "gzip", "an invalid weight leaves the coding out"],
    ["br;q=0.0001, gzip;q=0.5", "gzip", "more than three decimals is invalid"],
    ["br;q=0.000, gzip", "gzip", "q=0.000 refuses"],
    ["br;q=1.000", "br", "q=1.000"],
    ["deflate", undefined, "nothing stored is acceptable"],
    [["gzip;q=0.1", "br;q=0"], "gzip", "several header lines"],
  ];
  for (const [header, want, why] of cases)
    it(`${JSON.stringify(header)} → ${want ?? "identity"} (${why})`, () =>
      assert.equal(chooseEncoding(header, both), want));
  it("only what is stored is chosen", () => {
    assert.equal(chooseEncoding("br, gzip;q=0.1", gzipOnly), "gzip");
    assert.equal(chooseEncoding("br", gzipOnly), undefined);
    assert.equal(chooseEncoding("br;q=1, gzip;q=0", gzipOnly), undefined);
    assert.equal(chooseEncoding("*", { br: undefined, gzip: undefined }), undefined);
  });
});
