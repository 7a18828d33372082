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
