/**
 * What nginx configured by `gongkai pages nginx-config` does with each kind of request, against an upstream that
 * answers with what it received (method, raw URI, body, the headers that decide) and the status it is asked for: a
 * page whose file exists is nginx's (GET, HEAD, 304), everything else reaches the upstream as the client sent it —
 * other methods with their bodies (never nginx's 405), query strings, escapes and dot-segments in the raw URI, the
 * session and display cookies, Authorization — and a page whose file is missing reaches it with its own URI (not
 * the file's) and the upstream's status and body (never nginx's 404 page). With the app itself:
 * static-pages.nginx.test.ts.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { rawRequest } from "../../test/http.ts";
import { startNginx } from "../../test/nginx.ts";
import { DISPLAY_COOKIE } from "./context.ts";
import { staticPagesNginxConfig } from "./static-pages.nginx.ts";

interface Echo {
  method: string;
  url: string;
  body: string;
  cookie?: string;
  authorization?: string;
}

describe("static pages: what nginx answers and what it passes to the app", async () => {
  const upstream = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const echo: Echo = {
        method: req.method ?? "",
        url: req.url ?? "",
        body: Buffer.concat(chunks).toString(),
        cookie: req.headers.cookie,
        authorization: req.headers.authorization,
      };
      res.writeHead(Number(req.headers["x-want-status"] ?? 200), {
        "content-type": "application/json",
        "x-upstream": "yes",
      });
      res.end(req.method === "HEAD" ? undefined : JSON.stringify(echo));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  after(() => new Promise<void>((resolve) => upstream.close(() => resolve())));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-static-routing-"));
  fs.chmodSync(dir, 0o755);
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const page = "/agencies/a-1/records/r_1.v2";
  const pageBody = "<!doctype html><title>静态</title><p>页面</p>";
  fs.mkdirSync(path.join(dir, page), { recursive: true });
  fs.writeFileSync(path.join(dir, page, "index.html"), pageBody);

  const nginx = await startNginx(
    staticPagesNginxConfig({
      dir,
      upstream: upstreamUrl,
      sessionCookie: "gk_session",
      displayCookie: DISPLAY_COOKIE,
      headers: [["x-cache", "static"]],
    }),
  );
  after(() => nginx.stop());
  const request = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(nginx.url + url, init);
    const text = await res.text();
    const fromUpstream = res.headers.get("x-upstream") === "yes";
    return { res, text, fromUpstream, echo: fromUpstream && text ? (JSON.parse(text) as Echo) : undefined };
  };

  it("a page with its file: GET and HEAD from the file, 304 on its validators; another cookie changes nothing", async () => {
    const get = await request(page, { headers: { cookie: "other=1; lang=zh" } });
    assert.equal(get.res.status, 200);
    assert.equal(get.fromUpstream, false);
    assert.equal(get.text, pageBody);
    assert.equal(get.res.headers.get("x-cache"), "static");
    assert.equal(get.res.headers.get("content-type"), "text/html; charset=utf-8");
    const head = await request(page, { method: "HEAD" });
    assert.equal(head.res.status, 200);
    assert.equal(head.fromUpstream, false);
    assert.equal(head.res.headers.get("content-length"), String(Buffer.byteLength(pageBody)));
    const etag = get.res.headers.get("etag");
    const lastModified = get.res.headers.get("last-modified");
    assert.ok(etag && lastModified);
    assert.equal((await request(page, { headers: { "if-none-match": etag } })).res.status, 304);
    assert.equal((await request(page, { headers: { "if-modified-since": lastModified } })).res.status, 304);
  });

  it("a page without its file reaches the app with its own URI, and the app's status and body are sent", async () => {
    // (The page's file's own path is a page without a file: …/index.html/index.html.)
    for (const url of ["/agencies/a-1/records/missing", "/agencies/a-1", `${page}/index.html`, "/"]) {
      for (const status of [200, 404, 503]) {
        const r = await request(url, { headers: { "x-want-status": String(status) } });
        assert.equal(r.res.status, status, `${url} ${status}`);
        assert.ok(r.fromUpstream, `${url}: nginx's own page instead of the app's`);
        assert.deepEqual([r.echo?.method, r.echo?.url], ["GET", url]);
      }
      const head = await request(url, { method: "HEAD", headers: { "x-want-status": "404" } });
      assert.equal(head.res.status, 404);
      assert.equal(head.res.headers.get("x-upstream"), "yes", `HEAD ${url}`);
    }
    // Once the file is there, nginx answers it.
    fs.writeFileSync(path.join(dir, "index.html"), "<p>首页</p>");
    const home = await request("/");
    assert.equal(home.fromUpstream, false);
    assert.equal(home.text, "<p>首页</p>");
  });

  it("other methods reach the app with their bodies, on a page that has its file (never nginx's 405)", async () => {
    const body = "title=政务公开&x=1";
    for (const method of ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"]) {
      const r = await request(page, {
        method,
        body: method === "OPTIONS" ? undefined : body,
        headers: { "content-type": "application/x-www-form-urlencoded", "x-want-status": "201" },
      });
      assert.equal(r.res.status, 201, method);
      assert.ok(r.fromUpstream, method);
      assert.deepEqual([r.echo?.method, r.echo?.url], [method, page]);
      if (method !== "OPTIONS") assert.equal(r.echo?.body, body, method);
    }
  });

  it("the session cookie, the display cookie, Authorization and a query string reach the app", async () => {
    for (const headers of [
      { cookie: "gk_session=abc" },
      { cookie: `lang=zh; ${DISPLAY_COOKIE}=large` },
      { authorization: "Bearer gk_test" },
      { authorization: "0" },
    ]) {
      const r = await request(page, { headers });
      assert.ok(r.fromUpstream, JSON.stringify(headers));
      assert.equal(r.echo?.url, page);
      assert.equal(r.echo?.cookie, headers.cookie);
      assert.equal(r.echo?.authorization, headers.authorization);
    }
    for (const url of [`${page}?x=1`, `${page}?`]) {
      const r = await request(url);
      assert.ok(r.fromUpstream, url);
      assert.equal(r.echo?.url, url);
    }
  });

  it("a URI that is not a mirrorable path reaches the app as it was sent", async () => {
    for (const url of [
      `${page}/`,
      "/agencies/a-1/records/../records/r_1.v2",
      "/agencies/a-1/records/r%5F1.v2",
      "/agencies//a-1/records/r_1.v2",
      "/agencies/a-1/.scopes",
    ]) {
      const r = await rawRequest(nginx.url, url);
      assert.equal(r.headers["x-upstream"], "yes", url);
      assert.equal((JSON.parse(r.body.toString()) as Echo).url, url);
    }
  });
});
