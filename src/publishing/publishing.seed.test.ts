import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createTestDeps } from "../../test/test-app.ts";
import { seedDemoAgencies } from "../agencies/agency.service.ts";
import { seedDemoCatalogs } from "../catalog/catalog.seed.ts";
import { fixedClock } from "../shared/clock.ts";
import { complianceReport } from "./compliance.service.ts";
import { seedDemoRecords } from "./publishing.seed.ts";
import { getPublishedRecord, listPublishedRecords } from "./record-query.service.ts";

const deps = await createTestDeps({ clock: fixedClock("2026-03-16T10:00:00+08:00") });
await seedDemoAgencies(deps.db);
await seedDemoCatalogs(deps);
const first = await seedDemoRecords(deps);
const agencyId = async (slug: string) =>
  (await deps.db.selectFrom("agencies").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;

describe("demo records", () => {
  it("seeds every seed agency, idempotently", async () => {
    assert.deepEqual(Object.keys(first.created).sort(), [
      "liaocheng-hrss",
      "qi-hrss",
      "zalantun-hrss",
      "zhongwei-hrss",
    ]);
    for (const [slug, n] of Object.entries(first.created)) assert.ok(n >= 15, `${slug}: ${n} records`);
    const again = await seedDemoRecords(deps);
    assert.deepEqual(again.created, {});
  });

  it("records span the last 24 months, with demo 索引号 and realistic titles", async () => {
    const id = await agencyId("liaocheng-hrss");
    const list = await listPublishedRecords(deps.db, { agencyId: id, page: 1, pageSize: 100 });
    const dates = list.items.map((r) => r.publishedDate).sort();
    assert.ok(dates[0]! >= "2024-03-16" && dates[0]! < "2024-07-01", dates[0]);
    assert.ok(dates.at(-1)! <= "2026-03-16");
    assert.ok(
      list.items.every((r) => /^DEMO-LIAOCHENG-HRSS\/\d{6}-\d{5}$/.test(r.indexNo)),
      list.items[0]?.indexNo,
    );
    assert.ok(list.items.some((r) => /^\d{4}年\d{1,2}月全市社会保险基金运行情况$/.test(r.title)));
    const one = await getPublishedRecord(deps.db, id, list.items[0]!.id);
    assert.equal(one.indexCodeIsDemo, true);
    assert.ok(list.items.every((r) => !/lorem/i.test(r.title)));
  });

  it("gives the compliance view real situations: late, overdue, attested, blank, broken links, pending", async () => {
    for (const slug of ["qi-hrss", "liaocheng-hrss"]) {
      const r = await complianceReport(deps, { agencyId: await agencyId(slug), asOf: "2026-03-16" });
      assert.ok(r.onTime.late > 0, `${slug}: some late`);
      assert.ok(r.onTime.onTime > r.onTime.late, `${slug}: mostly on time`);
      assert.ok(r.blankItems.length > 0, `${slug}: 空白栏目`);
      assert.ok(
        r.brokenLinks.some((l) => l.reason === "链接的信息已撤回"),
        `${slug}: broken link`,
      );
      assert.ok(
        r.overdue.some((e) => e.kind === "record"),
        `${slug}: a draft past its due date`,
      );
      assert.ok(
        r.dueSoon.some((e) => e.kind === "record"),
        `${slug}: a draft due soon`,
      );
    }
    // Periodic duties (the 旗 catalog has none): some met by attestations, some missing.
    for (const slug of ["liaocheng-hrss", "zalantun-hrss", "zhongwei-hrss"]) {
      const r = await complianceReport(deps, { agencyId: await agencyId(slug), asOf: "2026-03-16" });
      assert.ok(r.obligations.met > 0, `${slug}: periods met by records`);
      assert.ok(r.obligations.attested > 0, `${slug}: attestations`);
    }
    const lc = await complianceReport(deps, {
      agencyId: await agencyId("liaocheng-hrss"),
      asOf: "2026-03-16",
    });
    assert.ok(lc.obligations.overdue > 0, "missing periods");
    assert.ok(lc.staleItems.length > 0, "长期未更新");
  });

  it("a 规范性文件 was repealed through a revision and links to its replacement", async () => {
    const id = await agencyId("zhongwei-hrss");
    const row = await deps.db
      .selectFrom("records")
      .select(["id", "validity", "replaced_by_record_id", "current_revision_no"])
      .where("agency_id", "=", id)
      .where("validity", "=", "废止")
      .executeTakeFirstOrThrow();
    assert.equal(row.current_revision_no, 2);
    const pub = await getPublishedRecord(deps.db, id, row.id);
    assert.ok(pub.replacedBy?.title.includes("修订"));
  });
});
