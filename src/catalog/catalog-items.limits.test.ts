import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signIn } from "../../test/auth.ts";
import { createAgency, createUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { createPublishedCatalog } from "./catalog.fixtures.ts";

const { app, db } = await createTestApp();
const agency = await createAgency(db);
await createPublishedCatalog(db, agency.id, [{ key: "policy", name: "规范性文件", deadline: "实时公开" }]);
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

describe("catalog item form: text longer than a field holds", () => {
  it("is refused with the field and its length, never cut and saved as 已保存", async () => {
    assert.equal((await post(`${base}/draft`, {})).statusCode, 303);
    const item = await db
      .selectFrom("catalog_items")
      .innerJoin("catalog_versions", "catalog_versions.id", "catalog_items.version_id")
      .select(["catalog_items.id", "catalog_items.remarks"])
      .where("catalog_items.agency_id", "=", agency.id)
      .where("catalog_versions.status", "=", "draft")
      .where("catalog_items.name", "=", "规范性文件")
      .executeTakeFirstOrThrow();
    const remarks = `${"备".repeat(6000)}尾部`;
    const res = await post(`${base}/items/${item.id}/edit`, {
      name: "规范性文件",
      contentText: "1. 要素一",
      deadlineText: `${"实时公开".repeat(600)}`,
      remarks,
      mode: "主动",
    });
    assert.equal(res.statusCode, 400, res.body.slice(0, 300));
    assert.match(res.body, /备注不能超过5000字（现有6002字）/);
    assert.match(res.body, /公开时限不能超过2000字（现有2400字）/);
    assert.ok(res.body.includes(`${"备".repeat(20)}尾部</textarea>`), "what was typed comes back whole");
    const after = await db
      .selectFrom("catalog_items")
      .select("remarks")
      .where("id", "=", item.id)
      .executeTakeFirstOrThrow();
    assert.equal(after.remarks, item.remarks, "nothing saved");
  });
});

describe("catalog item form: two staff editing the same item", () => {
  const colleague = createUser(db, { roles: ["agency_admin"], agencyId: agency.id });
  async function formOf(user: { id: string }, itemId: string): Promise<string> {
    const s = await signIn(app, user);
    const page = await app.inject({ url: `${base}/items/${itemId}/edit`, headers: { cookie: s.cookie } });
    const stamp = /name="stamp" value="([^"]+)"/.exec(page.body)?.[1];
    assert.ok(stamp, "the edit form carries the item's stamp");
    return stamp;
  }
  async function postAs(user: { id: string }, url: string, fields: Record<string, string>) {
    const s = await signIn(app, user);
    return app.inject({
      method: "POST",
      url,
      headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({ _csrf: s.csrfToken, ...fields }).toString(),
    });
  }
  const fields = (remarks: string) => ({
    name: "规范性文件",
    contentText: "1. 要素一",
    mode: "主动",
    remarks,
  });

  it("a save from a form opened before another save is refused with the typed text kept", async () => {
    const item = await db
      .selectFrom("catalog_items")
      .innerJoin("catalog_versions", "catalog_versions.id", "catalog_items.version_id")
      .select("catalog_items.id")
      .where("catalog_items.agency_id", "=", agency.id)
      .where("catalog_versions.status", "=", "draft")
      .where("catalog_items.name", "=", "规范性文件")
      .executeTakeFirstOrThrow();
    const other = await colleague;
    const mine = await formOf(admin, item.id);
    const theirs = await formOf(other, item.id);
    assert.equal(mine, theirs);
    const first = await postAs(other, `${base}/items/${item.id}/edit`, {
      ...fields("同事的备注"),
      stamp: theirs,
    });
    assert.equal(first.statusCode, 200, first.body.slice(0, 300));
    assert.match(first.body, /已保存/);

    const late = await postAs(admin, `${base}/items/${item.id}/edit`, { ...fields("我的备注"), stamp: mine });
    assert.equal(late.statusCode, 409);
    assert.match(late.body, /其他工作人员已修改并保存了该目录事项/);
    assert.match(late.body, /name="remarks"[^>]*>我的备注<\/textarea>/);
    const stored = await db
      .selectFrom("catalog_items")
      .select("remarks")
      .where("id", "=", item.id)
      .executeTakeFirstOrThrow();
    assert.equal(stored.remarks, "同事的备注");

    // The form shown again carries the current stamp: saving now is a deliberate overwrite; saving twice is fine.
    const current = /name="stamp" value="([^"]+)"/.exec(late.body)?.[1] as string;
    const retry = await postAs(admin, `${base}/items/${item.id}/edit`, {
      ...fields("我的备注"),
      stamp: current,
    });
    assert.equal(retry.statusCode, 200);
    const next = /name="stamp" value="([^"]+)"/.exec(retry.body)?.[1] as string;
    const again = await postAs(admin, `${base}/items/${item.id}/edit`, {
      ...fields("我的备注二"),
      stamp: next,
    });
    assert.equal(again.statusCode, 200, "the page shown after a save carries the new stamp");
  });
});
