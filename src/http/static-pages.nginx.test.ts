/**
 * Debian's nginx with the configuration `gongkai pages nginx-config` prints, in front of the app with
 * STATIC_PAGES_DIR: a mirrored page is answered by nginx from its file, with the app's headers; what must reach the
 * app does (POST, a session cookie, a query string); a publish is on the page nginx serves at once. Fails when
 * nginx or its brotli_static module is not installed (CI installs both: .ci/run).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import zlib from "node:zlib";
import { createAgency } from "../../test/factories.ts";
import { type RawResponse, rawRequest } from "../../test/http.ts";
import { BROTLI_STATIC_MODULE, startNginx } from "../../test/nginx.ts";
import { createTestDeps } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { buildApp } from "../app.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { captureIo } from "../cli/cli.fixtures.ts";
import { main } from "../cli/main.ts";
import { insertTestRecord } from "../publishing/publishing.fixtures.ts";
import { chooseEncoding } from "./content-coding.ts";
import { DISPLAY_COOKIE } from "./context.ts";
import { staticPageHeaders, staticPagesNginxConfig } from "./static-pages.nginx.ts";

/** Headers that differ per response or per server, never compared. */
const PER_RESPONSE = new Set([
  "date",
  "content-length",
  "content-encoding",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "x-request-id",
  "x-cache",
  "etag",
  "last-modified",
  "accept-ranges",
  "server",
]);

/** A request with the path sent as it is and the body as received (test/http.ts). */
function raw(url: string, requestPath: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(url, requestPath, { headers });
}

describe("static pages served by nginx (gongkai pages nginx-config)", async () => {
  const { db } = await createTestDatabase();
  const agency = await createAgency(db, { slug: "nginx-a", name: "静态化测试局" });
  await createPublishedCatalog(db, agency.id, [{ key: "k1", name: "政策文件", content: "规范性文件" }], {
    root: null,
  });
  const firstId = await insertTestRecord(db, agency.id, {
    title: "第一份静态化文件",
    body: "正文。".repeat(400),
    itemKey: "k1",
    publishedDate: "2026-03-01",
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-static-nginx-"));
  fs.chmodSync(dir, 0o755);
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const deps = await createTestDeps({ db, config: { staticPagesDir: dir } });
  const app = await buildApp(deps);
  after(() => app.close());
  const appUrl = await app.listen({ host: "127.0.0.1", port: 0 });
  const nginx = await startNginx({
    ...staticPagesNginxConfig({
      dir,
      upstream: appUrl,
      sessionCookie: "gk_session",
      displayCookie: DISPLAY_COOKIE,
      headers: await staticPageHeaders(deps.config),
      brotli: true,
    }),
    modules: [BROTLI_STATIC_MODULE],
  });
  after(() => nginx.stop());
  const recordPage = `/agencies/nginx-a/records/${firstId}`;
  const itemPage = "/agencies/nginx-a/catalog/k1";
  const get = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(nginx.url + url, init);
    const body = await res.text();
    await deps.pageCache.settled();
    return { res, body };
  };
  const fromApp = (res: Response) => res.headers.get("x-request-id") !== null;

  it("the second GET is nginx's, from the file, with the app's headers; gzip and 304 by nginx", async () => {
    const first = await get(recordPage);
    assert.equal(first.res.status, 200);
    assert.ok(fromApp(first.res), "the first request renders in the app");
    assert.ok(fs.existsSync(path.join(dir, recordPage, "index.html")));
    const second = await get(recordPage);
    assert.equal(second.res.status, 200);
    assert.equal(fromApp(second.res), false, "answered by nginx");
    assert.equal(second.res.headers.get("x-cache"), "static");
    assert.equal(second.body, first.body);
    // Every header the app sends with a cached page, the same from nginx.
    const fromAppHeaders = await fetch(appUrl + recordPage);
    await fromAppHeaders.arrayBuffer();
    for (const [name, value] of fromAppHeaders.headers)
      if (!PER_RESPONSE.has(name)) assert.equal(second.res.headers.get(name), value, name);
    assert.ok(second.res.headers.get("content-security-policy")?.includes("default-src 'self'"));
    const gz = await raw(nginx.url, recordPage, { "accept-encoding": "gzip" });
    assert.equal(gz.headers["content-encoding"], "gzip");
    assert.equal(zlib.gunzipSync(gz.body).toString(), first.body);
    const br = await raw(nginx.url, recordPage, { "accept-encoding": "br, gzip" });
    assert.equal(br.headers["content-encoding"], "br");
    assert.equal(zlib.brotliDecompressSync(br.body).toString(), first.body);
    const etag = second.res.headers.get("etag");
    assert.ok(etag);
    const revalidated = await fetch(nginx.url + recordPage, { headers: { "if-none-match": etag } });
    assert.equal(revalidated.status, 304);
  });

  it("Accept-Encoding is negotiated as the app does (RFC 9110 §12.5.3): weights, * and x-gzip go to the app", async () => {
    await get(recordPage);
    await get(recordPage);
    const stored = { br: Buffer.from("b"), gzip: Buffer.from("g") };
    const headers = [
      "gzip, deflate, br, zstd",
      "gzip",
      "br",
      "deflate",
      "",
      "identity",
      "x-gzip",
      "br;q=0, gzip",
      "br;q=0",
      "gzip;q=0",
      "gzip;q=0, br",
      "*",
      "*;q=0",
      "br;q=0, *",
      "gzip;q=0.5, br;q=0.1",
      "identity;q=0",
      "identity;q=0, gzip",
      "identity, gzip;q=0.5",
    ];
    for (const header of headers) {
      const res = await raw(nginx.url, recordPage, { "accept-encoding": header });
      assert.equal(res.status, 200, header);
      assert.equal(res.headers["content-encoding"], chooseEncoding(header, stored), JSON.stringify(header));
      const toApp = /[;*]|x-gzip/.test(header);
      assert.equal(
        res.headers["x-request-id"] !== undefined,
        toApp,
        `${JSON.stringify(header)}: app or nginx`,
      );
    }
  });

  it("a POST, a session cookie, a display cookie, Authorization and a query string reach the app", async () => {
    assert.ok(fs.existsSync(path.join(dir, recordPage, "index.html")), "the page has its file");
    const post = await fetch(nginx.url + recordPage, { method: "POST", body: "x=1" });
    await post.arrayBuffer();
    assert.ok(fromApp(post), "POST");
    const direct = await fetch(appUrl + recordPage, { method: "POST", body: "x=1" });
    await direct.arrayBuffer();
    assert.equal(post.status, direct.status, "the app's status for a POST");
    for (const headers of [
      { cookie: "gk_session=abc" },
      { cookie: `${DISPLAY_COOKIE}=large` },
      { authorization: "Bearer gk_test" },
    ]) {
      const { res } = await get(recordPage, { headers });
      assert.ok(fromApp(res), JSON.stringify(headers));
    }
    const { res } = await get(`${recordPage}?x=1`);
    assert.ok(fromApp(res), "query string");
    for (const url of [
      `${recordPage}/`,
      `/agencies/nginx-a/records/../records/${firstId}`,
      `${recordPage}?`,
    ]) {
      const r = await raw(nginx.url, url);
      assert.ok(r.headers["x-request-id"], url);
    }
  });

  it("a page that does not exist is the app's 404 page (GET and HEAD), not nginx's", async () => {
    const missing = "/agencies/nginx-a/records/00000000-0000-0000-0000-000000000000";
    const direct = await fetch(appUrl + missing);
    const appBody = await direct.text();
    assert.equal(direct.status, 404);
    const { res, body } = await get(missing);
    assert.equal(res.status, 404);
    assert.ok(fromApp(res));
    assert.equal(body, appBody);
    assert.equal(fs.existsSync(path.join(dir, missing, "index.html")), false);
    const head = await fetch(nginx.url + missing, { method: "HEAD" });
    assert.equal(head.status, 404);
    assert.ok(fromApp(head));
  });

  it("after a record is published, the agency's page nginx serves shows it", async () => {
    await get(itemPage);
    const before = await get(itemPage);
    assert.equal(fromApp(before.res), false, "served by nginx");
    assert.ok(!before.body.includes("第二份静态化文件"));
    const id = await insertTestRecord(db, agency.id, {
      title: "第二份静态化文件",
      body: "正文。".repeat(10),
      itemKey: "k1",
      publishedDate: "2026-03-02",
    });
    // What the publishing service emits after its commit.
    deps.events.emit("record.published", { agencyId: agency.id, recordId: id });
    const after1 = await get(itemPage);
    assert.ok(after1.body.includes("第二份静态化文件"));
    const after2 = await get(itemPage);
    assert.equal(fromApp(after2.res), false, "mirrored again");
    assert.ok(after2.body.includes("第二份静态化文件"));
  });

  it("gongkai pages nginx-config prints these parts, and refuses without STATIC_PAGES_DIR", async () => {
    const io = captureIo();
    assert.equal(
      await main(["pages", "nginx-config", "--upstream", appUrl], io, { STATIC_PAGES_DIR: dir }),
      0,
    );
    assert.ok(io.stdout.text.includes("pcre_jit on;"));
    assert.ok(io.stdout.text.includes(`root ${dir};`));
    assert.ok(io.stdout.text.includes(`proxy_pass ${appUrl};`));
    assert.ok(io.stdout.text.includes("add_header content-security-policy"));
    const off = captureIo();
    assert.equal(await main(["pages", "nginx-config"], off, {}), 1);
    assert.match(off.stderr.text, /STATIC_PAGES_DIR is not set/);
  });
});
