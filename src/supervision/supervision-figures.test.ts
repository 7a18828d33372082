/**
 * Inspection figures that need more than counts of open items: external links whose domains have lapsed (from the
 * nightly link check, run here with an injected checker and DNS resolver — no network), and application replies
 * that came late although the application is already concluded.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sql } from "kysely";
import { createAgency, createUser } from "../../test/factories.ts";
import { createTestDeps } from "../../test/test-app.ts";
import { staffActor } from "../accounts/policy.ts";
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { checkAgencyExternalLinks } from "../publishing/external-link.service.ts";
import { externalLinkFigures } from "../publishing/inspection.read.ts";
import type { DomainResolver } from "../publishing/link-check.ts";
import { publishOn, useDemoIndexCode } from "../publishing/publishing.fixtures.ts";
import { applicationInspectionFigures } from "../requests/inspection.read.ts";
import { seedDemo } from "../seed.ts";
import { fixedClock } from "../shared/clock.ts";
import { inspectAgency } from "./supervision.service.ts";

describe("external links whose domains have lapsed", async () => {
  const deps = await createTestDeps({ clock: fixedClock("2025-10-30T10:00:00+08:00") });
  const agency = await createAgency(deps.db, { name: "测试县人力资源和社会保障局" });
  const items = await createPublishedCatalog(
    deps.db,
    agency.id,
    [{ key: "policy", name: "政策文件", deadline: "信息形成或者变更之日起20个工作日内" }],
    { publishedAt: new Date("2025-01-02T02:00:00Z") },
  );
  const boss = await createUser(deps.db, {
    roles: ["agency_admin", "reviewer", "approver"],
    agencyId: agency.id,
  });
  await useDemoIndexCode(deps, agency.id, "DEMO-LAPSE");
  await publishOn(deps, staffActor(boss), agency.id, "2025-06-03", {
    title: "就业政策汇编",
    formedDate: "2025-06-02",
    itemId: items.policy?.id as string,
    bodyHtml: `<p><a href="http://www.old-jobfair.cn/2019/">原招聘会网站</a> <a href="http://old-jobfair.cn/list">列表</a>
<a href="https://training-portal.com/apply">培训报名</a> <a href="https://www.mohrss.gov.cn/">人社部</a>
<a href="https://rsj.hangzhou.gov.cn/gone">已删除页面</a></p>`,
  });
  const resolver: DomainResolver = {
    nameServers: async (domain) => {
      if (domain === "old-jobfair.cn") throw Object.assign(new Error("ENOTFOUND"), { code: "ENOTFOUND" });
      if (domain === "training-portal.com") return ["ns1.sedoparking.com", "ns2.sedoparking.com"];
      return [`dns1.${domain}`];
    },
  };
  // The parked page answers 200 (the checker sees nothing wrong); the lapsed name cannot be resolved.
  const check = async (urls: string[]) =>
    new Map(
      urls.map((u) => [
        u,
        u.includes("old-jobfair") ? "域名无法解析" : u.includes("/gone") ? "页面不存在（HTTP 404）" : null,
      ]),
    );

  test("the check stores each link's outcome and its domain's lapse; the inspection counts lapsed domains", async () => {
    const run = await checkAgencyExternalLinks(deps, agency.id, { check, resolver });
    assert.equal(run.checked, 5);
    assert.deepEqual(run.broken.map((b) => [b.url, b.lapse]).sort(), [
      ["http://old-jobfair.cn/list", "nxdomain"],
      ["http://www.old-jobfair.cn/2019/", "nxdomain"],
      ["https://rsj.hangzhou.gov.cn/gone", null],
      ["https://training-portal.com/apply", "parked"],
    ]);
    assert.match(run.broken.find((b) => b.lapse === "parked")?.reason ?? "", /停放或待售/);
    const figures = await externalLinkFigures(deps.db, agency.id);
    assert.deepEqual(
      { ...figures, checkedAt: null },
      { checked: 5, broken: 4, lapsedDomains: 2, lapsedLinks: 3, checkedAt: null },
    );

    const inspection = await inspectAgency(
      deps,
      await getAgencyBySlug(deps.db, agency.slug),
      "",
      "2025-10-30",
    );
    const lapsed = inspection.checks.find((c) => c.code === "lapsed_domains");
    assert.equal(lapsed?.status, "fail");
    assert.equal(lapsed?.value, "2 个域名");
    assert.match(lapsed?.detail ?? "", /外部链接 5 个，其中 3 个指向已注销或被停放的域名/);
  });

  test("a later run replaces the results: a renewed domain no longer counts", async () => {
    const renewed: DomainResolver = { nameServers: async (d) => [`dns1.${d}`] };
    await checkAgencyExternalLinks(deps, agency.id, {
      check: async (u) => new Map(u.map((x) => [x, null])),
      resolver: renewed,
    });
    const figures = await externalLinkFigures(deps.db, agency.id);
    assert.deepEqual([figures.checked, figures.broken, figures.lapsedDomains], [5, 0, 0]);
  });
});

describe("replies that came late although the application is concluded", async () => {
  const deps = await createTestDeps();
  await seedDemo(deps);
  const agency = await getAgencyBySlug(deps.db, "zalantun-hrss");

  test("a concluded application replied after its deadline is counted; open ones keep their own count", async () => {
    const rows = await sql<{ id: string; received_on: string; concluded_on: string }>`
      SELECT id, received_on::text, concluded_on::text FROM info_requests
      WHERE agency_id = ${agency.id} AND concluded_on IS NOT NULL AND received_on IS NOT NULL
        AND extension_approved_on IS NULL AND deferral_decided_on IS NULL
      ORDER BY concluded_on DESC LIMIT 1`.execute(deps.db);
    const r = rows.rows[0];
    assert.ok(r, "the demo has concluded applications");
    const asOf = r.concluded_on;
    const before = await applicationInspectionFigures(deps, agency.id, asOf);
    assert.ok(before.concluded >= 1);
    // The same application, concluded 70 days after it was received: past the 20 working days of 条例第33条.
    await sql`UPDATE info_requests SET concluded_on = ${r.received_on}::date + 70, replied_on = ${r.received_on}::date + 70
      WHERE agency_id = ${agency.id} AND id = ${r.id}`.execute(deps.db);
    const lateOn = (
      await sql<{ d: string }>`SELECT (${r.received_on}::date + 70)::text AS d`.execute(deps.db)
    ).rows[0]?.d as string;
    const after = await applicationInspectionFigures(deps, agency.id, lateOn);
    assert.equal(after.concludedLate, before.concludedLate + 1, JSON.stringify({ before, after }));
    assert.equal(after.open, before.open);

    const inspection = await inspectAgency(deps, agency, "", lateOn);
    const check = inspection.checks.find((c) => c.code === "applications_overdue");
    assert.equal(check?.status, "fail");
    assert.match(check?.detail ?? "", new RegExp(`逾期答复 ${after.concludedLate} 件`));
    assert.equal(check?.points, (after.overdue + after.concludedLate) * 6);
  });
});
