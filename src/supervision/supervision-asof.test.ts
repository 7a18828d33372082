import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signIn } from "../../test/auth.ts";
import { createAgency, createRegion, createUser, type TestUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";

const { app, db } = await createTestApp(); // clock: 2026-03-16
const region = await createRegion(db, { name: "统计日期测试县" });
const agency = await createAgency(db, { regionId: region.id });
const admin = await createUser(db, { roles: ["agency_admin"], agencyId: agency.id });
const supervisor = await createUser(db, { roles: ["supervisor"], regionId: region.id });

async function get(user: TestUser, url: string) {
  return app.inject({ url, headers: (await signIn(app, user)).headers });
}

describe("compliance and supervision views with a date outside the working-day calendar", () => {
  for (const asOf of ["2099-01-01", "1990-01-01", "2026-02-30"]) {
    it(`?asOf=${asOf} shows today's figures, never a 500`, async () => {
      const pages: [TestUser, string][] = [
        [admin, `/admin/agencies/${agency.slug}/compliance?asOf=${asOf}`],
        [admin, `/admin/agencies/${agency.slug}/inspection?asOf=${asOf}`],
        [supervisor, `/admin/supervision?asOf=${asOf}`],
        [supervisor, `/admin/supervision/inspection?asOf=${asOf}`],
        [supervisor, `/admin/supervision/export.xlsx?asOf=${asOf}`],
      ];
      for (const [user, url] of pages) {
        const res = await get(user, url);
        assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 200)}`);
      }
      const dashboard = await get(supervisor, `/admin/supervision?asOf=${asOf}`);
      assert.match(dashboard.body, /2026年3月16日/);
    });
  }
});
