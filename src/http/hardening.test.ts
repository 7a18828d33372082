/**
 * Issue #13's remaining holes, one test each (each failed before its fix): a supervisor reaches its 依申请公开 list and
 * cannot mark an agency's notices read; the public catalog
 * CSV export neutralises spreadsheet formulas; traversal under /static is a 4xx; NUL bytes are 400 invalid_input;
 * behind a trusted proxy, rate limits and audit rows use the client's address, and X-Forwarded-For from anyone else
 * is ignored.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { anonymous, signIn } from "../../test/auth.ts";
import { createAgency, createUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { fromDatabaseError } from "./error-handler.ts";

const { app, db } = await createTestApp();
const agency = await createAgency(db);
await createPublishedCatalog(db, agency.id, [
  { key: "link", name: "政策文件", deadline: '=HYPERLINK("http://evil.example","点击")' },
  { key: "cmd", name: "补贴发放", deadline: "+cmd|' /C calc'!A0" },
  { key: "sum", name: "统计数据", deadline: "@SUM(1)" },
]);
const supervisor = await createUser(db, { roles: ["supervisor"], agencyId: null, regionId: agency.regionId });

describe("read-only roles", () => {
  it("a supervisor's 依申请公开 link leads to a region agency's list", async () => {
    const s = await signIn(app, supervisor);
    const res = await app.inject({ url: "/admin/requests", headers: { cookie: s.cookie } });
    assert.equal(res.statusCode, 303, res.body.slice(0, 200));
    assert.match(String(res.headers.location), /^\/admin\/agencies\/[^/]+\/requests$/);
  });

  it("a supervisor sees an agency's duty notices but cannot mark them read (notice.mark_read)", async () => {
    const notice = await db
      .insertInto("duty_notices")
      .values({
        agency_id: agency.id,
        department_id: null,
        kind: "overdue",
        subject: "【已逾期】测试提醒",
        body: "测试",
        link: "/admin",
        dedupe_key: `test:${agency.id}`,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const s = await signIn(app, supervisor);
    const list = await app.inject({ url: `/admin/agencies/${agency.slug}/notices`, headers: s.headers });
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /测试提醒/);
    assert.doesNotMatch(list.body, /标记为已读/, "no button for a read-only role");
    const res = await app.inject({
      method: "POST",
      url: `/admin/agencies/${agency.slug}/notices/${notice.id}/read`,
      headers: s.headers,
    });
    assert.equal(res.statusCode, 403);
    const row = await db
      .selectFrom("duty_notices")
      .select("read_at")
      .where("id", "=", notice.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.read_at, null, "still unread for the agency's staff");
    // The agency's own staff can, and a second marking keeps the first time.
    const staff = await signIn(app, await createUser(db, { roles: ["editor"], agencyId: agency.id }));
    const url = `/admin/agencies/${agency.slug}/notices/${notice.id}/read`;
    assert.equal((await app.inject({ method: "POST", url, headers: staff.headers })).statusCode, 303);
    assert.equal((await app.inject({ method: "POST", url, headers: staff.headers })).statusCode, 303);
  });
});

describe("CSV formula injection", () => {
  it("the public catalog CSV export neutralises =, +, @ cells", async () => {
    const res = await app.inject({ url: `/api/v1/agencies/${agency.slug}/catalog/export?format=csv` });
    assert.equal(res.statusCode, 200);
    const cells = res.body.split(/[\r\n,]+/).map((c) => c.replace(/^"|"$/g, ""));
    assert.ok(
      cells.some((c) => c.startsWith("'=HYPERLINK")),
      "=HYPERLINK neutralised",
    );
    assert.ok(
      cells.some((c) => c.startsWith("'@SUM")),
      "@SUM neutralised",
    );
    assert.ok(!cells.some((c) => /^[=+@]/.test(c)), "no cell starts a formula");
  });
});

describe("input", () => {
  it("traversal under /static is a 4xx, never a 500", async () => {
    for (const url of [
      "/static/../x",
      "/static/..%2f..%2fetc%2fpasswd",
      "/static/%2e%2e/%2e%2e/etc/passwd",
    ]) {
      const res = await app.inject({ url });
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${url}: ${res.statusCode}`);
    }
  });

  it("NUL bytes in a path or query parameter are 400 invalid_input", async () => {
    for (const url of ["/api/v1/agencies/%00/catalog", `/api/v1/agencies/${agency.slug}/records?item=%00`]) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 400, url);
      assert.equal(res.json().error.code, "invalid_input");
    }
  });

  it("invalid UTF-8 in a path or query is 400 invalid_input in Chinese (a page, or JSON under /api), never the URL echoed", async () => {
    for (const path of [`/agencies/${agency.slug}/catalog/%ED%A0%80`, "/search/%C0%AF", "/%FF"]) {
      const res = await app.inject({ url: path });
      assert.equal(res.statusCode, 400, path);
      assert.match(String(res.headers["content-type"]), /^text\/html/, path);
      assert.match(res.body, /无效的字符编码/, path);
      assert.doesNotMatch(res.body, /not a valid url component|%ED%A0%80|%C0%AF/, path);
    }
    for (const url of [
      "/search?q=%C0%AF",
      "/search?q=%ED%A0%80",
      `/agencies/${agency.slug}/search?q=%E7%A4%BE&genre=%C9%E7%B1%A3`,
    ]) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 400, url);
      assert.match(res.body, /不合法的 UTF-8 编码/, url);
    }
    const records = await app.inject({ url: `/api/v1/agencies/${agency.slug}/records?item=%FF` });
    assert.equal(records.statusCode, 400);
    assert.deepEqual(
      [records.json().error.code, records.json().error.fields[0].field],
      ["invalid_input", "item"],
    );
    // A % without two hex digits is text, as the query parser reads it.
    assert.equal((await app.inject({ url: "/search?q=100%" })).statusCode, 200);
    // A path segment longer than any identifier: Fastify's 414 with the URL echoed in English JSON before.
    const long = await app.inject({ url: `/agencies/${"%3Cscript%3E".repeat(30)}` });
    assert.equal(long.statusCode, 404);
    assert.match(long.body, /网址过长/);
    assert.doesNotMatch(long.body, /<script>|max param length/);
    const longApi = await app.inject({ url: `/api/v1/records/${"a".repeat(300)}` });
    assert.deepEqual([longApi.statusCode, longApi.json().error.code], [404, "not_found"]);
    const api = await app.inject({ url: "/api/v1/records/%C0%AF" });
    assert.equal(api.statusCode, 400);
    assert.equal(api.json().error.code, "invalid_input");
    assert.match(api.json().error.message, /无效的字符编码/);
  });

  it("a method no route has (DELETE on open data, POST to a page) is 404, not 403 csrf_invalid (页面已过期)", async () => {
    const api = await app.inject({ method: "DELETE", url: "/api/v1/agencies" });
    assert.deepEqual([api.statusCode, api.json().error.code], [404, "not_found"]);
    const page = await app.inject({ method: "POST", url: `/agencies/${agency.slug}` });
    assert.equal(page.statusCode, 404);
    assert.doesNotMatch(page.body, /csrf_invalid/);
  });

  it("maps PostgreSQL errors: data exceptions → invalid_input, lost connections → database_unavailable", () => {
    const pgError = (code: string, message = "x") => Object.assign(new Error(message), { code });
    assert.equal(fromDatabaseError(pgError("22P02"))?.code, "invalid_input");
    assert.equal(fromDatabaseError(pgError("22003"))?.code, "invalid_input");
    assert.equal(fromDatabaseError(pgError("57P01"))?.code, "database_unavailable");
    assert.equal(fromDatabaseError(pgError("ECONNREFUSED"))?.code, "database_unavailable");
    assert.equal(
      fromDatabaseError(new Error("Connection terminated unexpectedly"))?.code,
      "database_unavailable",
    );
    assert.equal(fromDatabaseError(pgError("23505")), undefined);
  });
});

describe("behind a reverse proxy (TRUST_PROXY)", async () => {
  const proxied = await createTestApp({ config: { trustProxy: ["10.0.0.1"] } });
  const login = (client: string, remoteAddress = "10.0.0.1") => {
    const a = anonymous(proxied.app);
    return proxied.app.inject({
      method: "POST",
      url: "/admin/login",
      remoteAddress,
      headers: {
        cookie: a.cookie,
        "x-forwarded-for": client,
        "content-type": "application/x-www-form-urlencoded",
      },
      payload: `_csrf=${encodeURIComponent(a.csrfToken)}&username=nobody-${client}&password=wrong-password-1`,
    });
  };

  it("rate-limits each client, not the proxy", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await login("203.0.113.7")).statusCode);
    assert.equal(statuses.at(-1), 429, statuses.join(","));
    const other = await login("203.0.113.8");
    assert.notEqual(other.statusCode, 429, "another client behind the same proxy is not limited");
  });

  it("records the client's address in the audit log; ignores X-Forwarded-For from an untrusted peer", async () => {
    const ips = async () =>
      (await proxied.db.selectFrom("audit_events").select("ip").orderBy("seq", "desc").limit(1).execute())[0]
        ?.ip;
    await login("198.51.100.23");
    assert.equal(await ips(), "198.51.100.23");
    await login("198.51.100.99", "192.0.2.50");
    assert.equal(await ips(), "192.0.2.50", "the spoofed header from an untrusted peer is ignored");
  });
});
