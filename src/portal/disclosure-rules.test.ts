import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signIn } from "../../test/auth.ts";
import { createAgency, createUser, type TestUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";

const { app, db } = await createTestApp();
const agency = await createAgency(db, { name: "测试县财政局" });
const admin = await createUser(db, { roles: ["agency_admin"], agencyId: agency.id });
const editor = await createUser(db, { roles: ["editor"], agencyId: agency.id });
const base = `/admin/agencies/${agency.slug}/disclosure-rules`;

async function post(user: TestUser, url: string, fields: Record<string, string>) {
  const s = await signIn(app, user);
  return app.inject({
    method: "POST",
    url,
    headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({ _csrf: s.csrfToken, ...fields }).toString(),
  });
}

describe("公开制度 (the agency's disclosure rules)", () => {
  it("the 政务公开办 publishes a rule; the portal column shows it in full and the home page links to it", async () => {
    const empty = await app.inject({ url: `/agencies/${agency.slug}/rules` });
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /尚未在本平台发布公开制度/);
    const home = await app.inject({ url: `/agencies/${agency.slug}` });
    assert.ok(home.body.includes(`href="/agencies/${agency.slug}/rules"`));

    const refused = await post(admin, base, { title: "", body: "", issuedOn: "2026/1/1" });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /请填写制度名称/);
    assert.match(refused.body, /印发日期/);
    assert.equal((await post(editor, base, { title: "x", body: "y" })).statusCode, 403);

    const added = await post(admin, base, {
      title: "测试县财政局政府信息公开保密审查制度",
      docNumber: "测财办〔2026〕3号",
      issuedOn: "2026-02-01",
      body: "第一条 为规范政府信息发布前的保密审查，制定本制度。\n第二条 信息发布前须经审核、审签。",
    });
    assert.equal(added.statusCode, 303, added.body.slice(0, 300));
    const page = await app.inject({ url: `/agencies/${agency.slug}/rules` });
    assert.match(page.body, /政府信息公开保密审查制度/);
    assert.match(page.body, /<p>第二条 信息发布前须经审核、审签。<\/p>/);
    assert.match(page.body, /测财办〔2026〕3号/);
    const audit = await db
      .selectFrom("audit_events")
      .select("action")
      .where("action", "=", "disclosure_rule.add")
      .execute();
    assert.equal(audit.length, 1);

    const row = await db.selectFrom("disclosure_rules").select("id").executeTakeFirstOrThrow();
    assert.equal((await post(admin, `${base}/delete`, { id: row.id })).statusCode, 303);
    assert.match(
      (await app.inject({ url: `/agencies/${agency.slug}/rules` })).body,
      /尚未在本平台发布公开制度/,
    );
    assert.equal((await post(admin, `${base}/delete`, { id: row.id })).statusCode, 404);
  });
});
