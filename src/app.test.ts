import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createTestApp } from "../test/test-app.ts";
import { seedDemoAgencies } from "./agencies/agency.service.ts";

describe("web shell", async () => {
  const { app, db } = await createTestApp();
  await seedDemoAgencies(db);

  it("serves the portal home page listing the four seed agencies under their regions", async () => {
    const res = await app.inject({ url: "/" });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers["content-type"] as string, /text\/html; charset=utf-8/);
    for (const name of [
      "旗人力资源和社会保障局",
      "扎兰屯市人力资源和社会保障局",
      "聊城市人力资源和社会保障局",
      "中卫市人力资源和社会保障局",
    ]) {
      assert.ok(res.body.includes(name), name);
    }
    for (const region of ["内蒙古自治区", "呼伦贝尔市", "山东省", "宁夏回族自治区"])
      assert.ok(res.body.includes(region), region);
    assert.match(res.body, /<html lang="zh-CN">/);
  });

  it("sends a strict CSP without inline script, and a request id", async () => {
    const res = await app.inject({ url: "/" });
    const csp = res.headers["content-security-policy"] as string;
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.ok(res.headers["x-request-id"]);
    assert.equal(res.headers["x-content-type-options"], "nosniff");
    assert.doesNotMatch(res.body, /<script(?![^>]*src=)/, "no inline scripts");
  });

  it("healthz and readyz", async () => {
    assert.deepEqual((await app.inject({ url: "/healthz" })).json(), { status: "ok" });
    assert.deepEqual((await app.inject({ url: "/readyz" })).json(), { status: "ready" });
  });

  it("404 is a Chinese HTML page outside /api and JSON inside, without stack traces", async () => {
    const page = await app.inject({ url: "/no/such/page" });
    assert.equal(page.statusCode, 404);
    assert.match(page.body, /页面不存在/);
    assert.match(page.body, /not_found/);
    const api = await app.inject({ url: "/api/v1/nothing" });
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().error.code, "not_found");
    assert.doesNotMatch(api.body, /at .*\.ts:\d+/);
  });

  it("bad JSON gives bad_request, not a stack trace", async () => {
    const { app: fresh } = await createTestApp();
    fresh.post("/api/v1/__echo", async (req) => req.body);
    const res = await fresh.inject({
      method: "POST",
      url: "/api/v1/__echo",
      headers: { "content-type": "application/json" },
      payload: "{not json",
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, "bad_request");
  });

  it("persists large-text mode in a cookie and only redirects to local paths", async () => {
    const res = await app.inject({ url: "/settings/display?mode=large&back=%2Fagencies%2Fqi-hrss" });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, "/agencies/qi-hrss");
    const cookie = String(res.headers["set-cookie"]);
    assert.match(cookie, /gk_display=large/);
    const page = await app.inject({ url: "/", headers: { cookie: "gk_display=large" } });
    assert.match(page.body, /<body class="large-text/);
    const evil = await app.inject({ url: "/settings/display?mode=large&back=%2F%2Fevil.example" });
    assert.equal(evil.headers.location, "/");
  });

  it("serves static assets with caching headers", async () => {
    const res = await app.inject({ url: "/static/site.css" });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers["cache-control"]), /max-age=\d+/);
    assert.ok(res.headers.etag);
  });
});
