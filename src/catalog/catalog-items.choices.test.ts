/**
 * 公开对象 / 公开层级 of an item written from the console: the form's choices only (a forged POST cannot store any
 * text), while the free text a real catalog's import kept on an item saves again unchanged.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signIn } from "../../test/auth.ts";
import { createAgency, createUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { systemActor } from "../accounts/policy.ts";
import { ADMIN_LEVEL_CHOICES, AUDIENCE_CHOICES } from "./catalog.model.ts";
import { commitImport, previewImport } from "./catalog-import.service.ts";
import { choiceProblem } from "./catalog-items.service.ts";

const { app, db, deps } = await createTestApp();
const agency = await createAgency(db);
const admin = await createUser(db, { roles: ["agency_admin"], agencyId: agency.id });
const base = `/admin/agencies/${agency.slug}/catalog`;

async function post(url: string, fields: Record<string, string>) {
  const s = await signIn(app, admin);
  return app.inject({
    method: "POST",
    url,
    headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({ _csrf: s.csrfToken, ...fields }).toString(),
  });
}

async function item(name: string) {
  return db
    .selectFrom("catalog_items")
    .select(["id", "audience", "admin_level", "version_id"])
    .where("agency_id", "=", agency.id)
    .where("name", "=", name)
    .executeTakeFirstOrThrow();
}

describe("choiceProblem", () => {
  const table: [string, string | null, boolean][] = [
    ["", null, true],
    ["全社会", null, true],
    [" 特定群体 ", null, true],
    ["全社会、特定群体", null, true],
    ["全市参保人员", null, false],
    ["全市参保人员", "全市参保人员", true],
    ["全市参保人员\r\n退休人员", "全市参保人员\n退休人员", true],
    ["其他文字", "全市参保人员", false],
  ];
  for (const [value, kept, ok] of table)
    it(`“${value}” (kept “${kept ?? ""}”) ${ok ? "accepted" : "refused"}`, () => {
      const problem = choiceProblem("公开对象", value, AUDIENCE_CHOICES, kept);
      if (ok) assert.equal(problem, undefined);
      else assert.match(problem ?? "", /^公开对象只能选“全社会”“特定群体”“全社会、特定群体”之一/);
    });
  it("the 公开层级 choices are the template's two levels, alone or both", () => {
    assert.deepEqual(ADMIN_LEVEL_CHOICES, ["县级", "乡级", "县级、乡级"]);
  });
});

describe("catalog item form: 公开对象 and 公开层级", () => {
  it("imported free text round-trips; a forged value is refused naming the field; nothing is saved", async () => {
    // A real catalog's layout: text under the 特定群体 tick column and a village-level tick column.
    const csv =
      "一级事项,二级事项,公开内容,公开时限,公开对象,公开层级,责任单位\n" +
      "社会保险,参保登记,办事指南,实时公开,全市参保人员,县级、乡级、嘎查级,办公室\n" +
      "社会保险,待遇发放,发放标准,实时公开,全社会,县级,办公室\n";
    const actor = systemActor("测试");
    const now = new Date("2026-03-16T02:00:00Z");
    const preview = await previewImport(db, {
      documents: deps.documents,
      agencyId: agency.id,
      fileName: "catalog.csv",
      bytes: Buffer.from(csv),
      actor,
      now,
    });
    await commitImport(deps, { agencyId: agency.id, importId: preview.importId, actor, now });
    const imported = await item("参保登记");
    assert.equal(imported.audience, "全市参保人员");
    assert.equal(imported.admin_level, "县级、乡级、嘎查级");

    // Saving the imported item with its values unchanged (another field edited) keeps them.
    const fields = { name: "参保登记", contentText: "1. 办事指南", mode: "主动", remarks: "改了备注" };
    const kept = await post(`${base}/items/${imported.id}/edit`, {
      ...fields,
      audience: "全市参保人员",
      adminLevel: "县级、乡级、嘎查级",
    });
    assert.equal(kept.statusCode, 200, kept.body.slice(0, 300));
    assert.match(kept.body, /已保存/);
    assert.deepEqual(
      { audience: (await item("参保登记")).audience, level: (await item("参保登记")).admin_level },
      { audience: "全市参保人员", level: "县级、乡级、嘎查级" },
    );

    // A forged POST: any other text is refused, field by field, and nothing is stored.
    const forged = await post(`${base}/items/${imported.id}/edit`, {
      ...fields,
      audience: "<script>任意文字</script>",
      adminLevel: "省级",
    });
    assert.equal(forged.statusCode, 400);
    assert.match(
      forged.body,
      /公开对象只能选“全社会”“特定群体”“全社会、特定群体”之一，或保留导入时的原文“全市参保人员”/,
    );
    assert.match(
      forged.body,
      /公开层级只能选“县级”“乡级”“县级、乡级”之一，或保留导入时的原文“县级、乡级、嘎查级”/,
    );
    assert.doesNotMatch(forged.body, /<script>任意文字/);
    assert.equal((await item("参保登记")).audience, "全市参保人员");

    // A standard choice replaces the imported text; the old text is then no longer accepted on this item.
    const chosen = await post(`${base}/items/${imported.id}/edit`, {
      ...fields,
      audience: "特定群体",
      adminLevel: "县级、乡级",
    });
    assert.equal(chosen.statusCode, 200);
    assert.equal((await item("参保登记")).audience, "特定群体");
    const back = await post(`${base}/items/${imported.id}/edit`, { ...fields, audience: "全市参保人员" });
    assert.equal(back.statusCode, 400);

    // A new item: the choices only (no imported text to keep).
    const added = await post(`${base}/versions/${imported.version_id}/items`, {
      name: "新事项",
      contentText: "1. 内容",
      mode: "主动",
      audience: "全市参保人员",
    });
    assert.equal(added.statusCode, 400);
    assert.match(
      added.body,
      /公开对象只能选“全社会”“特定群体”“全社会、特定群体”之一（不能填写“全市参保人员”）/,
    );
    const ok = await post(`${base}/versions/${imported.version_id}/items`, {
      name: "新事项",
      contentText: "1. 内容",
      mode: "主动",
      audience: "全社会、特定群体",
      adminLevel: "乡级",
    });
    assert.ok([200, 303].includes(ok.statusCode), ok.body.slice(0, 300));
    assert.equal((await item("新事项")).audience, "全社会、特定群体");
  });
});
