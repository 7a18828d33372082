import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signIn } from "../../test/auth.ts";
import { createAgency, createUser, type TestUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";

const { app, db } = await createTestApp();
const agency = await createAgency(db, { name: "导航测试县人力资源和社会保障局" });
const admin = await createUser(db, { roles: ["agency_admin"], agencyId: agency.id });
const platform = await createUser(db, { roles: ["platform_admin"] });

async function navLinks(user: TestUser, url: string): Promise<string[]> {
  const res = await app.inject({ url, headers: (await signIn(app, user)).headers });
  assert.equal(res.statusCode, 200, url);
  const nav = /<nav class="staff-nav"[\s\S]*?<\/nav>/.exec(res.body)?.[0] ?? "";
  return [...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1] as string);
}

describe("console navigation on pages outside an agency", () => {
  it("an agency's staff get their agency's links on every console page, never a literal :agency", async () => {
    for (const url of [
      "/admin",
      "/admin/reports",
      "/admin/notifications",
      "/admin/account",
      "/admin/users",
    ]) {
      const links = await navLinks(admin, url);
      assert.ok(!links.some((h) => h.includes(":agency")), `${url}: ${links.join(" ")}`);
      assert.ok(links.includes(`/admin/agencies/${agency.slug}/disclosure-rules`), `${url}: 公开制度`);
      assert.ok(links.includes(`/admin/agencies/${agency.slug}/content-checks`), `${url}: 发布前检测`);
    }
  });

  it("a platform account without an agency gets no dead agency links", async () => {
    for (const url of ["/admin", "/admin/account", "/admin/notifications"]) {
      const links = await navLinks(platform, url);
      assert.ok(!links.some((h) => h.includes(":agency")), `${url}: ${links.join(" ")}`);
    }
    // On an agency's page the agency's links are there.
    const onAgency = await navLinks(platform, `/admin/agencies/${agency.slug}/disclosure-rules`);
    assert.ok(onAgency.includes(`/admin/agencies/${agency.slug}/disclosure-rules`));
  });
});
