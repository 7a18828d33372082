/**
 * The public portal through HTTP (app.inject over a real database): agency home, guide, catalog tree, item and
 * record pages, feeds, sitemap, open-data API, caching with invalidation, search robustness, and the guide editor.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { signIn } from "../../test/auth.ts";
import { createAgency, createUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { insertTestRecord } from "../publishing/publishing.fixtures.ts";

describe("public portal", async () => {
  const { app, db, deps } = await createTestApp();
  const agency = await createAgency(db, { slug: "portal-test", name: "测试市人力资源和社会保障局" });
  const other = await createAgency(db, { slug: "portal-other", name: "其他市人力资源和社会保障局" });
  const ids: Record<string, string> = {};

  before(async () => {
    await createPublishedCatalog(
      db,
      agency.id,
      [
        {
          key: "k1",
          name: "机构职能",
          content: "机构设置、职能职责",
          children: [{ key: "k1.1", name: "领导信息", content: "领导姓名、职务、分工" }],
        },
        {
          key: "k2",
          name: "就业创业",
          deadline: "信息形成之日起5个工作日内",
          channels: ["政府网站", "两微一端"],
          children: [{ key: "k2.1", name: "就业补贴政策", content: "补贴对象、标准、申领程序" }],
        },
      ],
      { root: null },
    );
    for (let i = 0; i < 25; i++)
      await insertTestRecord(db, agency.id, {
        title: `就业补贴公示第${i + 1}期`,
        body: `本期社保补贴发放名单公示。第${i + 1}期。`,
        itemKey: "k2.1",
        publishedDate: `2025-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + i).padStart(2, "0")}`,
      });
    ids.leader = await insertTestRecord(db, agency.id, {
      title: "局领导分工调整的通知",
      body: "局领导分工如下：<b>张三</b>负责全面工作。",
      summary: "领导分工",
      docNumber: "测人社发〔2026〕3号",
      itemKey: "k1.1",
      publishedDate: "2026-03-01",
      topic: "综合政务",
    });
    ids.repealed = await insertTestRecord(db, agency.id, {
      title: "关于旧办法的通知",
      body: "旧办法正文。",
      itemKey: "k1",
      validity: "废止",
      repealDate: "2026-01-01",
    });
    ids.draft = await insertTestRecord(db, agency.id, {
      title: "草稿不公开",
      status: "draft",
      itemKey: "k1",
    });
    ids.withdrawn = await insertTestRecord(db, agency.id, {
      title: "已撤回不公开",
      status: "withdrawn",
      itemKey: "k1",
    });
    ids.otherRecord = await insertTestRecord(db, other.id, { title: "其他机关的社保通知", body: "社保" });
    deps.pageCache.invalidate();
  });

  it("agency home: columns, categories with counts, latest records, feeds, search box", async () => {
    const res = await app.inject({ url: "/agencies/portal-test" });
    assert.equal(res.statusCode, 200);
    for (const text of [
      "测试市人力资源和社会保障局",
      "政府信息公开指南",
      "法定主动公开内容",
      "政府信息公开年报",
      "依申请公开",
      "/agencies/portal-test/apply",
      "就业创业",
      "25 条",
      "局领导分工调整的通知",
      'type="application/rss+xml"',
      'action="/agencies/portal-test/search"',
    ])
      assert.ok(res.body.includes(text), text);
    assert.ok(!res.body.includes("草稿不公开"));
    assert.ok(!res.body.includes("已撤回不公开"));
    const missing = await app.inject({ url: "/agencies/no-such-agency" });
    assert.equal(missing.statusCode, 404);
    assert.match(missing.body, /agency_not_found/);
  });

  it("catalog tree: every item with content, deadline, channels, responsible unit and record count", async () => {
    const res = await app.inject({ url: "/agencies/portal-test/catalog" });
    assert.equal(res.statusCode, 200);
    for (const text of [
      "机构职能",
      "领导信息",
      "就业补贴政策",
      "补贴对象、标准、申领程序",
      "信息形成之日起5个工作日内",
      "政府网站、两微一端",
      "办公室",
      'href="/agencies/portal-test/catalog/k2.1"',
    ])
      assert.ok(res.body.includes(text), text);
    // 机构职能 = 1 (repealed, filed under k1) + 1 (领导信息): drafts and withdrawn records are not counted.
    assert.match(res.body, /机构职能<\/a> <span class="count">2 条<\/span>/);
  });

  it("item page: records newest first, paginated, including sub-items; 404 for unknown items", async () => {
    const p1 = await app.inject({ url: "/agencies/portal-test/catalog/k2" });
    assert.equal(p1.statusCode, 200);
    assert.match(p1.body, /共 25 条/);
    const dates = [...p1.body.matchAll(/<time datetime="(\d{4}-\d{2}-\d{2})">/g)].map((m) => m[1]);
    assert.equal(dates.length, 20);
    assert.deepEqual(dates, [...dates].sort().reverse());
    assert.match(p1.body, /rel="next"/);
    const p2 = await app.inject({ url: "/agencies/portal-test/catalog/k2?page=2" });
    assert.equal([...p2.body.matchAll(/<time datetime=/g)].length, 5);
    // Past the last page: 404 saying how many pages there are (a soft 404 before, and a cache entry per number).
    const beyond = await app.inject({ url: "/agencies/portal-test/catalog/k2?page=99" });
    assert.equal(beyond.statusCode, 404);
    assert.match(beyond.body, /本事项共 2 页，没有第 99 页/);
    assert.equal((await app.inject({ url: "/agencies/portal-test/catalog/k1?page=2" })).statusCode, 404);
    const odd = await app.inject({ url: "/agencies/portal-test/catalog/k2?page=%27%3B--" });
    assert.equal(odd.statusCode, 200);
    const unknown = await app.inject({ url: "/agencies/portal-test/catalog/nope" });
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.body, /catalog_item_not_found/);
  });

  it("record page: metadata table, escaped body from sanitised HTML, breadcrumbs to its item", async () => {
    const res = await app.inject({ url: `/agencies/portal-test/records/${ids.leader}` });
    assert.equal(res.statusCode, 200);
    for (const label of ["索引号", "发布机构", "成文日期", "发布日期", "文号", "有效性", "主题分类"])
      assert.match(res.body, new RegExp(`<th scope="row">${label}</th>`), label);
    assert.ok(res.body.includes("测人社发〔2026〕3号"));
    assert.ok(res.body.includes("综合政务"));
    assert.ok(res.body.includes('<span class="badge badge-ok">有效</span>'));
    assert.ok(res.body.includes('href="/agencies/portal-test/catalog/k1.1"'));
    assert.ok(!res.body.includes("banner-invalid"));
    assert.ok(res.body.includes("&lt;b&gt;张三&lt;/b&gt;"), "fixture body is escaped text");
  });

  it("record page: 废止 records carry a clear banner", async () => {
    const res = await app.inject({ url: `/agencies/portal-test/records/${ids.repealed}` });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /class="banner-invalid"[^>]*><strong>本文件已废止<\/strong>（废止日期：/);
    assert.ok(res.body.includes('<span class="badge badge-err">废止</span>'));
  });

  it("drafts, withdrawn records, other agencies' records and malformed ids are 404", async () => {
    for (const url of [
      `/agencies/portal-test/records/${ids.draft}`,
      `/agencies/portal-test/records/${ids.withdrawn}`,
      `/agencies/portal-test/records/${ids.otherRecord}`,
      "/agencies/portal-test/records/not-a-uuid",
      "/agencies/portal-test/records/%27%20OR%201%3D1",
    ]) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 404, url);
      assert.match(res.body, /record_not_found/, url);
    }
  });

  it("guide: generated per 条例第12条, with 暂未公布 for missing contact data", async () => {
    const res = await app.inject({ url: "/agencies/portal-test/guide" });
    assert.equal(res.statusCode, 200);
    for (const text of [
      "政府信息公开指南",
      "主动公开",
      "获取方式",
      "工作机构",
      "依申请公开",
      "收费",
      "监督和救济",
      "（暂未公布）",
      "就业创业",
    ])
      assert.ok(res.body.includes(text), text);
  });

  it("annual reports list renders (empty)", async () => {
    const res = await app.inject({ url: "/agencies/portal-test/reports" });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /暂无已发布的年度报告/);
  });

  it("RSS and Atom per agency and per item, sitemap and robots", async () => {
    const rss = await app.inject({ url: "/agencies/portal-test/feed.xml" });
    assert.equal(rss.statusCode, 200);
    assert.match(rss.headers["content-type"] as string, /application\/rss\+xml/);
    assert.match(rss.body, /^<\?xml version="1.0" encoding="utf-8"\?>\n<rss version="2.0"/);
    assert.ok(rss.body.includes("<title>局领导分工调整的通知</title>"));
    assert.ok(rss.body.includes("<title>【废止】关于旧办法的通知</title>"));
    assert.ok(!rss.body.includes("草稿不公开"));
    const atom = await app.inject({ url: "/agencies/portal-test/atom.xml" });
    assert.match(atom.body, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
    assert.match(atom.body, /<entry>/);
    const item = await app.inject({ url: "/agencies/portal-test/catalog/k1.1/feed.xml" });
    assert.equal((item.body.match(/<item>/g) ?? []).length, 1);
    const itemAtom = await app.inject({ url: "/agencies/portal-test/catalog/k2/atom.xml" });
    assert.equal((itemAtom.body.match(/<entry>/g) ?? []).length, 25);
    const sitemap = await app.inject({ url: "/sitemap.xml" });
    assert.equal(sitemap.statusCode, 200);
    assert.ok(sitemap.body.includes(`/agencies/portal-test/records/${ids.leader}</loc>`));
    assert.ok(sitemap.body.includes("/agencies/portal-test/catalog/k2.1</loc>"));
    assert.ok(!sitemap.body.includes(ids.draft as string));
    const robots = await app.inject({ url: "/robots.txt" });
    assert.match(robots.body, /Sitemap: .*\/sitemap.xml/);
    // Crawlers keep off the search pages (each query string an uncached search); the records are in the sitemap.
    assert.match(robots.body, /^Disallow: \/search$/m);
    assert.match(robots.body, /^Disallow: \/agencies\/\*\/search$/m);
  });

  it("open-data API: agencies and records with pagination, Link headers and ETags", async () => {
    const agencies = await app.inject({ url: "/api/v1/agencies?per_page=1" });
    assert.equal(agencies.statusCode, 200);
    const body = agencies.json();
    assert.equal(body.data.length, 1);
    assert.equal(body.meta.perPage, 1);
    assert.ok(body.meta.total >= 2);
    assert.match(agencies.headers.link as string, /rel="next"/);
    assert.equal(agencies.headers["access-control-allow-origin"], "*");
    const etag = agencies.headers.etag as string;
    assert.ok(etag);
    const again = await app.inject({
      url: "/api/v1/agencies?per_page=1",
      headers: { "if-none-match": etag },
    });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, "");

    const records = await app.inject({ url: "/api/v1/agencies/portal-test/records?per_page=10&page=3" });
    const r = records.json();
    assert.equal(r.meta.total, 27);
    assert.equal(r.data.length, 7);
    assert.ok(r.links.prev && !r.links.next);
    const byItem = await app.inject({ url: "/api/v1/agencies/portal-test/records?item=k1.1" });
    assert.deepEqual(
      byItem.json().data.map((x: { id: string }) => x.id),
      [ids.leader],
    );

    const one = await app.inject({ url: `/api/v1/records/${ids.leader}` });
    assert.equal(one.statusCode, 200);
    const d = one.json().data;
    assert.equal(d.title, "局领导分工调整的通知");
    assert.equal(d.docNumber, "测人社发〔2026〕3号");
    assert.equal(d.catalogItem.stableKey, "k1.1");
    assert.match(d.urls.html, /\/agencies\/portal-test\/records\//);

    for (const id of [ids.draft, ids.withdrawn, "nope"]) {
      const res = await app.inject({ url: `/api/v1/records/${id}` });
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().error.code, "record_not_found");
    }
    const agencyOne = await app.inject({ url: "/api/v1/agencies/portal-test" });
    assert.equal(agencyOne.json().data.slug, "portal-test");
    assert.equal((await app.inject({ url: "/api/v1/agencies/nope" })).json().error.code, "agency_not_found");
  });

  it("open-data API: malformed paging is 400 validation_failed naming each field in Chinese", async () => {
    const cases: [string, string, RegExp][] = [
      ["/api/v1/agencies?page=abc", "page", /^应为整数$/],
      ["/api/v1/agencies?per_page=0", "per_page", /^不能小于 1$/],
      ["/api/v1/agencies/portal-test/records?page=99999999999999999999", "page", /^不能大于 999999$/],
      [`/api/v1/agencies/portal-test/records?item=${"k".repeat(201)}`, "item", /^不能超过 200 个字符$/],
    ];
    for (const [url, field, message] of cases) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 400, url);
      const { error } = res.json();
      assert.equal(error.code, "validation_failed", url);
      assert.equal(error.fields[0].field, field, url);
      assert.match(error.fields[0].message, message, url);
    }
  });

  it("open-data API: CORS on every answer (errors, catalog, calendar included), exposed headers, preflight", async () => {
    const origin = { origin: "https://portal.example.gov.cn" };
    for (const [url, status] of [
      ["/api/v1/agencies?per_page=1", 200],
      ["/api/v1/agencies?page=abc", 400],
      ["/api/v1/agencies/nope", 404],
      ["/api/v1/records/nope", 404],
      ["/api/v1/agencies/portal-test/catalog", 200],
      ["/api/v1/calendar/2026", 200],
      ["/api/v1/calendar/abc", 400],
    ] as const) {
      const res = await app.inject({ url, headers: origin });
      assert.equal(res.statusCode, status, url);
      assert.equal(res.headers["access-control-allow-origin"], "*", url);
      assert.match(String(res.headers["access-control-expose-headers"]), /ETag, Link, X-Request-Id/, url);
    }
    const preflight = await app.inject({
      method: "OPTIONS",
      url: "/api/v1/agencies/portal-test/records?page=2",
      headers: {
        ...origin,
        "access-control-request-method": "GET",
        "access-control-request-headers": "if-none-match",
      },
    });
    assert.equal(preflight.statusCode, 204);
    assert.equal(preflight.headers["access-control-allow-origin"], "*");
    assert.equal(preflight.headers["access-control-allow-methods"], "GET, HEAD");
    assert.match(String(preflight.headers["access-control-allow-headers"]), /If-None-Match/);
    assert.doesNotMatch(String(preflight.headers["access-control-allow-headers"]), /Authorization/i);
    // The staff API is not opened to other sites' pages.
    const staff = await app.inject({ url: "/api/v1/me", headers: origin });
    assert.equal(staff.headers["access-control-allow-origin"], undefined);
  });

  it("a cached page or feed holds its canonical URL, never the first visitor's spelling or query string", async () => {
    deps.pageCache.invalidate();
    const poisoned: [string, string | undefined, RegExp][] = [
      ["/?utm=POISON", "gk_display=large", /back=%2F"/],
      [
        "/agencies/portal-test/%63atalog/k2/?utm=POISON",
        undefined,
        /back=%2Fagencies%2Fportal-test%2Fcatalog%2Fk2"/,
      ],
      [
        "/agencies/portal-test/atom.xml?utm=POISON",
        undefined,
        /href="[^"]*\/agencies\/portal-test\/atom\.xml"/,
      ],
      [
        "/agencies/portal-test/catalog/k2/feed.xml?utm=POISON",
        undefined,
        /<atom:link href="[^"]*\/catalog\/k2\/feed\.xml"/,
      ],
    ];
    for (const [url, cookie, canonical] of poisoned) {
      const first = await app.inject({ url, headers: cookie ? { cookie } : {} });
      assert.equal(first.statusCode, 200, url);
      const plain = url.replace("%63atalog", "catalog").replace(/\/?\?utm=POISON$/, "") || "/";
      const later = await app.inject({ url: plain, headers: cookie ? { cookie } : {} });
      assert.equal(later.headers["x-cache"], "hit", plain);
      assert.doesNotMatch(later.body, /POISON|%2563atalog/, plain);
      assert.match(later.body, canonical, plain);
    }
  });

  it("caches pages per URL and display mode; a record.published event of the agency shows new records", async () => {
    const url = "/agencies/portal-test";
    deps.pageCache.invalidate(agency.id);
    const first = await app.inject({ url });
    assert.equal(first.headers["x-cache"], "miss");
    const second = await app.inject({ url });
    assert.equal(second.headers["x-cache"], "hit");
    assert.equal(second.body, first.body);
    assert.ok(first.headers.etag);
    const notModified = await app.inject({ url, headers: { "if-none-match": first.headers.etag as string } });
    assert.equal(notModified.statusCode, 304);
    const large = await app.inject({ url, headers: { cookie: "gk_display=large" } });
    assert.match(large.body, /<body class="large-text/);
    assert.doesNotMatch((await app.inject({ url })).body, /<body class="large-text/);

    const recordId = await insertTestRecord(db, agency.id, {
      title: "缓存后新发布的信息",
      publishedDate: "2026-03-15",
    });
    assert.ok(!(await app.inject({ url })).body.includes("缓存后新发布的信息"), "served from cache");
    deps.events.emit("record.published", { agencyId: other.id, recordId: ids.otherRecord! });
    assert.ok(
      !(await app.inject({ url })).body.includes("缓存后新发布的信息"),
      "other agency's change keeps it",
    );
    deps.events.emit("record.published", { agencyId: agency.id, recordId });
    const fresh = await app.inject({ url });
    assert.equal(fresh.headers["x-cache"], "miss");
    assert.ok(fresh.body.includes("缓存后新发布的信息"));
    assert.ok(!fresh.headers["set-cookie"], "cached public pages set no cookies");
  });

  it("search: two-character words with highlighted snippets, per agency, and any input without errors", async () => {
    deps.pageCache.invalidate();
    const res = await app.inject({ url: "/search?q=%E7%A4%BE%E4%BF%9D" });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /找到 <strong>26<\/strong> 条与“社保”相关的信息/);
    assert.ok(res.body.includes("<mark>社保</mark>"));
    const scoped = await app.inject({ url: "/agencies/portal-test/search?q=%E7%A4%BE%E4%BF%9D&item=k2.1" });
    assert.match(scoped.body, /找到 <strong>25<\/strong> 条/);
    assert.ok(!scoped.body.includes("其他机关的社保通知"));
    const parent = await app.inject({ url: "/agencies/portal-test/search?q=%E7%A4%BE%E4%BF%9D&item=k2" });
    assert.match(parent.body, /找到 <strong>25<\/strong> 条/, "an item's filter includes its sub-items");
    const empty = await app.inject({ url: "/search?q=%E4%B8%8D%E5%AD%98%E5%9C%A8%E7%9A%84%E8%AF%8D" });
    assert.match(empty.body, /未找到与“不存在的词”相关的信息/);
    assert.match(empty.body, /建议您/);
    const typo = await app.inject({ url: `/search?q=${encodeURIComponent("局领导分工调正的通知")}` });
    assert.match(typo.body, /未找到/);
    assert.match(typo.body, /您是不是要找[\s\S]*局领导分工调整的通知/, "similar titles by pg_trgm");
    // Only a filter excludes the matches: no similar titles (the year facet shows where they are).
    const filtered = await app.inject({
      url: `/search?q=${encodeURIComponent("局领导分工调整的通知")}&year=2001`,
    });
    assert.match(filtered.body, /未找到/);
    assert.doesNotMatch(filtered.body, /您是不是要找/);

    const hostile = [
      "x".repeat(10_000),
      "社".repeat(10_000),
      "😀".repeat(3000),
      "' OR 1=1 --",
      "a & b | !c <-> d:* ''",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: regex metacharacters, on purpose
      ".*+?^${}()|[]\\",
      "%00%01",
      "<script>alert(1)</script>",
    ];
    for (const q of hostile) {
      const r = await app.inject({ url: `/search?q=${encodeURIComponent(q)}&year=x&page=-3&sort=%27` });
      assert.equal(r.statusCode, 200, q.slice(0, 20));
      assert.doesNotMatch(r.body, /<script>alert/);
    }
    for (const raw of [
      "/search?q=%E0%A4%A",
      "/search?q=%00",
      "/search?q=%ED%A0%80",
      "/search?q[]=a&q[]=b",
      "/search?q=%FF",
    ]) {
      const r = await app.inject({ url: raw });
      assert.ok(r.statusCode === 200 || r.statusCode === 400, `${raw}: ${r.statusCode}`);
      assert.doesNotMatch(r.body, /internal_error/, raw);
    }
  });

  it("declares a policy on every portal route", () => {
    const mine = app.routeTable.filter(
      (r) =>
        r.url === "/" ||
        r.url.startsWith("/agencies/") ||
        r.url.startsWith("/search") ||
        r.url.includes("guide") ||
        r.url.startsWith("/api/v1/agencies") ||
        r.url.startsWith("/api/v1/records") ||
        r.url.endsWith(".xml") ||
        r.url === "/robots.txt",
    );
    assert.ok(mine.length >= 15);
    for (const r of mine) assert.ok(r.policy, `${r.method} ${r.url}`);
  });
});

describe("guide editor (/admin/agencies/:agency/guide)", async () => {
  const { app, db } = await createTestApp();
  const agency = await createAgency(db, { slug: "guide-test", name: "指南测试局" });
  const other = await createAgency(db, { slug: "guide-other", name: "另一测试局" });
  const admin = await createUser(db, { roles: ["agency_admin"], agencyId: agency.id });
  const editor = await createUser(db, { roles: ["editor"], agencyId: agency.id });

  it("requires sign-in and the agency.manage action", async () => {
    const anon = await app.inject({ url: "/admin/agencies/guide-test/guide" });
    assert.equal(anon.statusCode, 303);
    assert.match(anon.headers.location as string, /^\/admin\/login/);
    const s = await signIn(app, editor);
    assert.equal(
      (await app.inject({ url: "/admin/agencies/guide-test/guide", headers: s.headers })).statusCode,
      403,
    );
    const a = await signIn(app, admin);
    const otherAgency = await app.inject({ url: "/admin/agencies/guide-other/guide", headers: a.headers });
    assert.equal(otherAgency.statusCode, 404, "another agency's guide is not revealed");
    const unknown = await app.inject({ url: "/admin/agencies/no-such-agency/guide", headers: a.headers });
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.body, /agency_not_found|未找到该机关/);
    assert.ok(other.id);
  });

  it("shows the form; rejects a missing CSRF token and invalid input; saves, audits and refreshes the portal", async () => {
    const s = await signIn(app, admin);
    const form = await app.inject({ url: "/admin/agencies/guide-test/guide", headers: s.headers });
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="_csrf"/);
    assert.match(form.body, /尚未填写：工作机构名称、办公地址/);

    const before = await app.inject({ url: "/agencies/guide-test/guide" });
    assert.ok(before.body.includes("（暂未公布）"));

    const noCsrf = await app.inject({
      method: "POST",
      url: "/admin/agencies/guide-test/guide",
      headers: { cookie: s.cookie },
      payload: { phone: "0470-1234567" },
    });
    assert.equal(noCsrf.statusCode, 403);

    const bad = await app.inject({
      method: "POST",
      url: "/admin/agencies/guide-test/guide",
      headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({
        _csrf: s.csrfToken,
        email: "not-an-email",
        postalCode: "12",
      }).toString(),
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /电子邮箱格式不正确/);
    assert.match(bad.body, /邮政编码应为6位数字/);
    assert.match(bad.body, /aria-invalid="true"/);

    const ok = await app.inject({
      method: "POST",
      url: "/admin/agencies/guide-test/guide",
      headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams([
        ["_csrf", s.csrfToken],
        ["officeName", "指南测试局办公室"],
        ["officeAddress", "测试路1号"],
        ["postalCode", "162650"],
        ["officeHours", "工作日9:00—17:00"],
        ["phone", "0470-1234567"],
        ["fax", "0470-7654321"],
        ["email", "gk@example.gov.cn"],
        ["channels", "email"],
        ["remediesNote", "投诉电话：12345"],
      ]).toString(),
    });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, "/admin/agencies/guide-test/guide?saved=1");

    const after = await app.inject({ url: "/agencies/guide-test/guide" });
    for (const text of [
      "指南测试局办公室",
      "测试路1号",
      "0470-1234567",
      "gk@example.gov.cn",
      "电子邮件：gk@example.gov.cn",
      "当面提交",
      "邮政寄送",
      "投诉电话：12345",
    ])
      assert.ok(after.body.includes(text), text);
    assert.ok(!after.body.includes("在线申请：通过"), "online channel was unticked");

    const audit = await db
      .selectFrom("audit_events")
      .select(["action", "summary"])
      .where("action", "=", "guide.update")
      .execute();
    assert.equal(audit.length, 1);
  });

  it("two staff editing the guide: a save from a form opened before the other's save is refused, typed text kept", async () => {
    const colleague = await createUser(db, { roles: ["agency_admin"], agencyId: agency.id });
    const stampOf = async (user: typeof admin) => {
      const s = await signIn(app, user);
      const page = await app.inject({ url: "/admin/agencies/guide-test/guide", headers: s.headers });
      const stamp = /name="stamp" value="([0-9a-f]+)"/.exec(page.body)?.[1];
      assert.ok(stamp, "the form carries the stored data's stamp");
      return stamp;
    };
    const save = async (user: typeof admin, fields: [string, string][]) => {
      const s = await signIn(app, user);
      return app.inject({
        method: "POST",
        url: "/admin/agencies/guide-test/guide",
        headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams([["_csrf", s.csrfToken], ...fields]).toString(),
      });
    };
    const mine = await stampOf(admin);
    const theirs = await stampOf(colleague);
    assert.equal(mine, theirs);
    const first = await save(colleague, [
      ["stamp", theirs],
      ["officeName", "同事改的办公室"],
      ["phone", "0470-1111111"],
    ]);
    assert.equal(first.statusCode, 303);
    const late = await save(admin, [
      ["stamp", mine],
      ["officeName", "我改的办公室"],
      ["phone", "0470-2222222"],
    ]);
    assert.equal(late.statusCode, 409);
    assert.match(late.body, /其他工作人员已修改并保存了公开指南/);
    assert.match(late.body, /name="officeName" value="我改的办公室"/, "what was typed comes back");
    const stored = await db
      .selectFrom("agency_profiles")
      .select(["office_name", "phone"])
      .where("agency_id", "=", agency.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(stored, { office_name: "同事改的办公室", phone: "0470-1111111" });
    // The form shown again carries the current stamp: saving now is a deliberate overwrite.
    const current = /name="stamp" value="([0-9a-f]+)"/.exec(late.body)?.[1] as string;
    assert.notEqual(current, mine);
    const retry = await save(admin, [
      ["stamp", current],
      ["officeName", "我改的办公室"],
      ["phone", "0470-2222222"],
    ]);
    assert.equal(retry.statusCode, 303);
  });

  it("old URLs redirect to the agency's URL (301 GET, 308 POST)", async () => {
    const a = await signIn(app, admin);
    const own = await app.inject({ url: "/admin/guide", headers: a.headers });
    assert.equal(own.statusCode, 301);
    assert.equal(own.headers.location, "/admin/agencies/guide-test/guide");
    const named = await app.inject({ url: "/admin/guide?agency=guide-other&saved=1", headers: a.headers });
    assert.equal(named.statusCode, 301);
    assert.equal(named.headers.location, "/admin/agencies/guide-other/guide?saved=1");
    const post = await app.inject({
      method: "POST",
      url: "/admin/guide?agency=guide-test",
      headers: { cookie: a.cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({ _csrf: a.csrfToken, phone: "1" }).toString(),
    });
    assert.equal(post.statusCode, 308);
    assert.equal(post.headers.location, "/admin/agencies/guide-test/guide");
  });

  it("a refused save (403) shows the form again with what was typed and what to do", async () => {
    const s = await signIn(app, editor);
    const res = await app.inject({
      method: "POST",
      url: "/admin/agencies/guide-test/guide",
      headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({ _csrf: s.csrfToken, officeAddress: "草稿路88号" }).toString(),
    });
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /value="草稿路88号"/);
    assert.match(res.body, /没有执行此操作的权限.*联系本机关政务公开办/s);
    const outsider = await signIn(app, await createUser(db, { roles: ["agency_admin"], agencyId: other.id }));
    const foreign = await app.inject({
      method: "POST",
      url: "/admin/agencies/guide-test/guide",
      headers: { cookie: outsider.cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({ _csrf: outsider.csrfToken, officeAddress: "草稿路88号" }).toString(),
    });
    assert.equal(foreign.statusCode, 404, "another agency's staff learn nothing");
    assert.doesNotMatch(foreign.body, /草稿路88号/);
  });
});
