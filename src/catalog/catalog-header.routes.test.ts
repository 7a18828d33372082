import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signIn } from "../../test/auth.ts";
import { createUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { systemActor } from "../accounts/policy.ts";
import { seedDemoAgencies } from "../agencies/agency.service.ts";
import { isAppError } from "../errors.ts";
import { seedDemoCatalogs } from "./catalog.seed.ts";
import { getCatalogVersion } from "./catalog-tree.service.ts";
import { openDraft, updateDraftHeader } from "./catalog-versions.service.ts";

const { app, db, deps } = await createTestApp();
await seedDemoAgencies(db);
await seedDemoCatalogs(deps);
const agencyOf = async (slug: string) =>
  db.selectFrom("agencies").select(["id", "slug", "name"]).where("slug", "=", slug).executeTakeFirstOrThrow();

const TODAY = deps.clock.today();

describe("updateDraftHeader (service)", () => {
  it("validates, merges with the stored header and audits catalog.edit", async () => {
    const ag = await agencyOf("qi-hrss");
    const draft = await openDraft(deps, {
      agencyId: ag.id,
      actor: systemActor("测试"),
      now: deps.clock.now(),
    });
    const before = (await getCatalogVersion(db, ag.id, draft.id)).version.header;
    await assert.rejects(
      updateDraftHeader(deps, {
        agencyId: ag.id,
        versionId: draft.id,
        title: "",
        header: { compiledBy: "甲", reviewedBy: "", signedBy: "", compiledAt: "2026-02-30" },
        today: TODAY,
        actor: systemActor("测试"),
      }),
      (e) =>
        isAppError(e) &&
        e.code === "validation_failed" &&
        e.fields.map((f) => f.field).join() === "title,compiledAt",
    );
    const saved = await updateDraftHeader(deps, {
      agencyId: ag.id,
      versionId: draft.id,
      title: "  齐目录  ",
      header: { compiledBy: " 王五 ", reviewedBy: "赵六", signedBy: "", compiledAt: "2025-12" },
      today: TODAY,
      actor: systemActor("测试"),
    });
    assert.equal(saved.title, "齐目录");
    assert.equal(saved.header.compiledBy, "王五");
    assert.equal(saved.header.reviewedBy, "赵六");
    assert.equal(saved.header.signedBy, undefined);
    assert.equal(saved.header.compiledAt, "2025-12");
    assert.deepEqual(saved.header.statedTotals, before.statedTotals);
    const audit = await db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "catalog.edit")
      .where("entity_id", "=", draft.id)
      .execute();
    assert.equal(audit.length, 1);
    assert.match(String(audit[0]?.summary), /表头/);
  });
});

describe("draft header form", () => {
  it("edits 填表人/复核人/审签人/填表时间 with CSRF, roles and field errors", async () => {
    const ag = await agencyOf("zhongwei-hrss");
    const admin = await createUser(db, { roles: ["agency_admin"], agencyId: ag.id });
    const editor = await createUser(db, { roles: ["editor"], agencyId: ag.id });
    const a = await signIn(app, admin);
    const draft = await app.inject({
      method: "POST",
      url: "/admin/agencies/zhongwei-hrss/catalog/draft",
      headers: a.headers,
      payload: {},
    });
    assert.equal(draft.statusCode, 303);
    const draftUrl = String(draft.headers.location).replace(/\?.*$/, "");
    const versionId = draftUrl.split("/").at(-1) ?? "";
    const page = await app.inject({ url: draftUrl, headers: a.headers });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /编辑表头/);
    assert.match(
      page.body,
      new RegExp(`action="/admin/agencies/zhongwei-hrss/catalog/versions/${versionId}/header"`),
    );
    assert.match(page.body, /name="compiledBy" value="李永翔"/);

    const url = `/admin/agencies/zhongwei-hrss/catalog/versions/${versionId}/header`;
    const payload = {
      title: "中卫人社目录",
      compiledBy: "张三",
      reviewedBy: "李四",
      signedBy: "王五",
      compiledAt: "2999-01-01",
    };
    // No CSRF token: refused.
    const noCsrf = await app.inject({ method: "POST", url, headers: { cookie: a.cookie }, payload });
    assert.equal(noCsrf.statusCode, 403);
    // An editor may read the catalog but not edit it.
    const e = await signIn(app, editor);
    const byEditor = await app.inject({ method: "POST", url, headers: e.headers, payload });
    assert.equal(byEditor.statusCode, 403);
    // The form again, with what the editor typed and why it was refused (nothing saved).
    assert.match(byEditor.body, /name="signedBy" value="王五"/);
    assert.match(byEditor.body, /您没有执行此操作的权限/);
    const editorPage = await app.inject({ url: draftUrl, headers: e.headers });
    assert.doesNotMatch(editorPage.body, /编辑表头/);

    // A future 填表时间: 400 with a field-level error, values kept.
    const bad = await app.inject({
      method: "POST",
      url,
      headers: { cookie: a.cookie },
      payload: { ...payload, _csrf: a.csrfToken },
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="f-compiledAt-error"[^>]*>填表时间不能晚于今天/);
    assert.match(bad.body, /name="signedBy" value="王五"/);
    let v = await getCatalogVersion(db, ag.id, versionId);
    assert.equal(v.version.header.compiledBy, "李永翔");

    const ok = await app.inject({
      method: "POST",
      url,
      headers: { cookie: a.cookie },
      payload: { ...payload, compiledAt: "2025年12月1日", _csrf: a.csrfToken },
    });
    assert.equal(ok.statusCode, 303);
    assert.match(String(ok.headers.location), /done=header/);
    v = await getCatalogVersion(db, ag.id, versionId);
    assert.equal(v.version.title, "中卫人社目录");
    assert.deepEqual(
      [
        v.version.header.compiledBy,
        v.version.header.reviewedBy,
        v.version.header.signedBy,
        v.version.header.compiledAt,
      ],
      ["张三", "李四", "王五", "2025年12月1日"],
    );
    const audit = await db
      .selectFrom("audit_events")
      .select(["actor_id", "action"])
      .where("entity_id", "=", versionId)
      .where("action", "=", "catalog.edit")
      .execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.actor_id, admin.id);
  });

  it("the portal catalog page shows the published header", async () => {
    const res = await app.inject({ url: "/agencies/zhongwei-hrss/catalog" });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<dt>填表人<\/dt><dd>李永翔<\/dd>/);
  });
});
