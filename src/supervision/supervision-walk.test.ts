/**
 * The "Done when" of issue #17 walked through the routes on the demo platform: a supervisor of the four seed
 * agencies' regions sees them on the dashboard with their findings and drills down to each agency's compliance
 * view, compares them with each other and with the loaded standard catalog, and audits their published reports;
 * the agency's 政务公开办 confirms or rejects 待确认 matches, the supervisor sees the decisions (read-only).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sql } from "kysely";
import { signIn } from "../../test/auth.ts";
import { createUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { getAgencyBySlug, regionTree } from "../agencies/agency.service.ts";
import { seedDemo } from "../seed.ts";

const SEED = ["zalantun-hrss", "liaocheng-hrss", "zhongwei-hrss", "qi-hrss"];

describe("the supervisor's walk on the demo platform", async () => {
  const { app, deps, db } = await createTestApp();
  await seedDemo(deps);
  const roots = await regionTree(db);
  const supervisor = await createUser(db, {
    roles: roots.map((r) => ({ role: "supervisor" as const, regionId: r.id })),
  });
  const s = await signIn(app, supervisor);
  const get = (url: string, headers = s.headers) => app.inject({ url, headers });

  test("dashboard: the four seed agencies with their findings; drill-down opens each compliance view", async () => {
    const page = await get("/admin/supervision");
    assert.equal(page.statusCode, 200, page.body.slice(0, 300));
    for (const slug of SEED) {
      const agency = await getAgencyBySlug(db, slug);
      assert.ok(page.body.includes(agency.name), agency.name);
      const link = new RegExp(`href="/admin/agencies/${slug}/compliance\\?asOf=\\d{4}-\\d{2}-\\d{2}"`);
      assert.match(page.body, link, `drill-down of ${slug}`);
      const href = link.exec(page.body)?.[0].slice(6, -1) as string;
      const drill = await get(href);
      assert.equal(drill.statusCode, 200, `${href}: ${drill.body.slice(0, 200)}`);
      const inspection = await get(`/admin/agencies/${slug}/inspection`);
      assert.equal(inspection.statusCode, 200);
      assert.match(inspection.body, /政务公开检查报告/);
    }
    assert.doesNotMatch(page.body, /\/admin\/compliance\?agency=/);
    assert.match(page.body, /不合格|提醒|单项否决/, "the seed agencies have findings");
  });

  test("comparisons: each seed agency with each other and with the loaded standard catalog", async () => {
    for (const a of SEED) {
      const standard = await get(`/admin/supervision/compare?agency=${a}&reference=standard:shbx-excerpt`);
      assert.equal(standard.statusCode, 200, `${a}: ${standard.body.slice(0, 300)}`);
      assert.match(standard.body, /对照/);
      for (const b of SEED.filter((x) => x !== a)) {
        const peer = await get(`/admin/supervision/compare?agency=${a}&reference=agency:${b}`);
        assert.equal(peer.statusCode, 200, `${a} vs ${b}`);
        assert.match(peer.body, /匹配的事项/);
      }
    }
  });

  test("report audit: every region's stored reports audited in one run", async () => {
    const all = await get("/admin/supervision/reports?year=2025");
    assert.equal(all.statusCode, 200, all.body.slice(0, 300));
    for (const slug of SEED) assert.ok(all.body.includes((await getAgencyBySlug(db, slug)).name), slug);
    assert.match(all.body, /全部辖区/);
    for (const root of roots) {
      const page = await get(`/admin/supervision/reports?region=${root.id}&year=2025`);
      assert.equal(page.statusCode, 200, page.body.slice(0, 300));
      assert.match(page.body, /2025年度政府信息公开工作年度报告审核/);
      for (const a of root.agencies.concat(root.children.flatMap((c) => c.agencies)))
        assert.ok(page.body.includes(a.name), `${root.name}: ${a.name}`);
    }
  });

  test("待确认 matches: the 政务公开办 confirms or rejects; the decision is stored, audited, read-only for supervisors", async () => {
    const qi = await getAgencyBySlug(db, "qi-hrss");
    const office = await signIn(app, await createUser(db, { roles: ["agency_admin"], agencyId: qi.id }));
    const url = "/admin/agencies/qi-hrss/catalog/compare?reference=agency:zhongwei-hrss";
    const page = await get(url, office.headers);
    assert.equal(page.statusCode, 200, page.body.slice(0, 300));
    const form =
      /<input type="hidden" name="agencyItem" value="([^"]+)"><input type="hidden" name="referenceItem" value="([^"]+)">/.exec(
        page.body,
      );
    assert.ok(form, "a 待确认 match offers the decision form");
    const decodeEntities = (t: string) =>
      t
        .replace(/&amp;/g, "&")
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'");
    const pair = {
      agencyItem: decodeEntities(form[1] as string),
      referenceItem: decodeEntities(form[2] as string),
    };
    const post = (headers: Record<string, string>, payload: Record<string, string>) =>
      app.inject({
        method: "POST",
        url: "/admin/agencies/qi-hrss/catalog/compare/decisions",
        headers,
        payload: { reference: "agency:zhongwei-hrss", ...pair, ...payload },
      });

    const done = await post(office.headers, { decision: "confirmed", note: "同一事项" });
    assert.equal(done.statusCode, 303, done.body.slice(0, 300));
    assert.equal(
      done.headers.location,
      "/admin/agencies/qi-hrss/catalog/compare?reference=agency%3Azhongwei-hrss",
    );
    const stored = await sql<{ decision: string; note: string }>`
      SELECT decision, note FROM catalog_match_decisions WHERE agency_id = ${qi.id}`.execute(db);
    assert.deepEqual(stored.rows, [{ decision: "confirmed", note: "同一事项" }]);
    // A second decision on the same pair replaces the first; both are audited.
    assert.equal((await post(office.headers, { decision: "rejected", note: "" })).statusCode, 303);
    const audit = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM audit_events WHERE action = 'catalog.match_decide' AND scope_agency_id = ${qi.id}`.execute(
      db,
    );
    assert.equal(audit.rows[0]?.n, 2);

    // The supervisor sees the decision and has no form; an editor or the supervisor may not decide.
    const seen = await get("/admin/supervision/compare?agency=qi-hrss&reference=agency:zhongwei-hrss");
    assert.match(seen.body, /已否定/);
    assert.doesNotMatch(seen.body, /name="decision"/);
    assert.equal((await post(s.headers, { decision: "confirmed" })).statusCode, 403);
    const editor = await signIn(app, await createUser(db, { roles: ["editor"], agencyId: qi.id }));
    assert.equal((await post(editor.headers, { decision: "confirmed" })).statusCode, 403);

    // Refusals: no decision, a pair the comparison does not propose, an unknown reference.
    assert.equal((await post(office.headers, { decision: "" })).statusCode, 400);
    const stale = await post(office.headers, { decision: "confirmed", agencyItem: "不存在的事项" });
    assert.equal(stale.statusCode, 404);
    assert.match(stale.body, /待确认的匹配/);
    const unknown = await post(office.headers, { decision: "confirmed", reference: "standard:no-such" });
    assert.equal(unknown.statusCode, 404);
    const rows = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM catalog_match_decisions WHERE agency_id = ${qi.id}`.execute(db);
    assert.equal(rows.rows[0]?.n, 1, "refused decisions write nothing");
  });
});
