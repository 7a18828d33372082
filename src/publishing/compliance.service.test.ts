import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createAgency, createDepartment, createUser } from "../../test/factories.ts";
import { createTestDeps } from "../../test/test-app.ts";
import { type StaffActor, staffActor } from "../accounts/policy.ts";
import { addOverride, SYSTEM_ACTOR } from "../calendar/calendar-admin.service.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { AppError } from "../errors.ts";
import { fixedClock } from "../shared/clock.ts";
import { complianceReport } from "./compliance.service.ts";
import { listObligations } from "./obligation.repository.ts";
import { attestObligation, ensureObligations, obligationState } from "./obligation.service.ts";
import { publishOn, useDemoIndexCode } from "./publishing.fixtures.ts";
import { createRecord } from "./record-draft.service.ts";
import { withdrawRecord } from "./record-workflow.service.ts";

// One agency with a published catalog (2025-01-02) and a history of records, measured with fixed clocks.
const deps = await createTestDeps({ clock: fixedClock("2025-10-30T10:00:00+08:00") });
const agency = await createAgency(deps.db, { name: "测试县人力资源和社会保障局" });
const agencyId = agency.id;
const jobs = await createDepartment(deps.db, agencyId, "就业促进股");
const insurance = await createDepartment(deps.db, agencyId, "社会保险股");
const items = await createPublishedCatalog(
  deps.db,
  agencyId,
  [
    { key: "subsidy", name: "就业补贴发放情况", deadline: "季度更新", departmentId: jobs.id },
    {
      key: "policy",
      name: "就业政策文件",
      deadline: "信息形成或者变更之日起20个工作日内",
      departmentId: jobs.id,
    },
    {
      key: "annual",
      name: "政府信息公开工作年度报告",
      deadline: "每年1月31日前",
      departmentId: insurance.id,
    },
    {
      key: "blank",
      name: "职业技能培训定点机构名单",
      deadline: "根据变动及时更新",
      departmentId: insurance.id,
    },
  ],
  { publishedAt: new Date("2025-01-02T02:00:00Z") },
);
const boss = await createUser(deps.db, { roles: ["agency_admin", "reviewer", "approver"], agencyId });
const editor = await createUser(deps.db, { roles: ["editor"], agencyId });
const actor: StaffActor = staffActor(boss);
await useDemoIndexCode(deps, agencyId, "DEMO-COMPL");

const at = (date: string) => ({ ...deps, clock: fixedClock(`${date}T10:00:00+08:00`) });
await ensureObligations(deps, agencyId, { asOf: "2025-01-03" });

// 年度报告 2024, published before 2025-01-31 → the 2025 obligation is met.
await publishOn(deps, actor, agencyId, "2025-01-20", {
  title: "测试县人力资源和社会保障局2024年政府信息公开工作年度报告",
  formedDate: "2025-01-15",
  itemId: items.annual!.id,
  bodyHtml: "<p>年度报告正文</p>",
});
// Q1 subsidy list published in its window (Q1 due 2025-04-22).
await publishOn(deps, actor, agencyId, "2025-04-10", {
  title: "2025年第一季度就业补贴发放情况公示",
  formedDate: "2025-04-08",
  itemId: items.subsidy!.id,
  bodyHtml: "<p>第一季度共发放就业补贴……</p>",
});
// A policy formed 2025-03-03 (due 2025-03-31) published 2025-04-30: late.
const latePolicy = await publishOn(deps, actor, agencyId, "2025-04-30", {
  title: "关于做好2025年高校毕业生就业创业工作的通知",
  formedDate: "2025-03-03",
  itemId: items.policy!.id,
  bodyHtml: "<p>各有关单位……</p>",
});
// An on-time policy.
const withdrawn = await publishOn(deps, actor, agencyId, "2025-05-12", {
  title: "关于调整失业保险金标准的通知",
  formedDate: "2025-05-06",
  itemId: items.policy!.id,
  bodyHtml: "<p>失业保险金标准调整为……</p>",
});
await withdrawRecord(at("2025-06-01"), actor, agencyId, withdrawn, "标准有误，重新发布");
// A published page with internal links: one to the withdrawn record, one missing static file, one good.
await publishOn(deps, actor, agencyId, "2025-06-03", {
  title: "2025年就业创业政策汇编",
  formedDate: "2025-06-02",
  itemId: items.policy!.id,
  bodyHtml: `<p><a href="/agencies/${agency.slug}/records/${withdrawn}">失业保险金标准</a>
<a href="/agencies/${agency.slug}/records/${latePolicy}">高校毕业生就业</a>
<a href="/agencies/${agency.slug}/records/00000000-0000-4000-8000-000000000000">不存在的文件</a>
<a href="/static/missing.png">缺失的图片</a><a href="/static/favicon.svg">图标</a>
<a href="https://www.gov.cn/">中国政府网</a> <a href="/agencies/${agency.slug}/guide">指南</a></p>`,
});
// Q2: nothing new → attested before its due date (2025-07-21).
await ensureObligations(deps, agencyId, { asOf: "2025-07-15" });
const q2 = (await listObligations(deps.db, { agencyId, itemStableKey: "subsidy" })).find(
  (o) => o.period_index === 2,
);
assert.ok(q2);
await attestObligation(at("2025-07-15"), actor, agencyId, q2.id, "本季度未发放就业补贴，无新增信息");
// Drafts: one formed 2025-09-01 (due 2025-09-28, overdue on 2025-10-30), one formed 2025-10-27.
await createRecord(at("2025-09-02"), staffActor(editor), agencyId, {
  title: "关于开展2025年度企业职工基本养老保险待遇资格认证的通知",
  formedDate: "2025-09-01",
  itemId: items.policy!.id,
  departmentId: jobs.id,
});
await createRecord(at("2025-10-28"), staffActor(editor), agencyId, {
  title: "2025年10月城镇新增就业情况",
  formedDate: "2025-10-23",
  itemId: items.policy!.id,
  departmentId: jobs.id,
});

describe("periodic obligations", () => {
  it("creates one obligation per period per item, idempotently", async () => {
    await ensureObligations(deps, agencyId, { asOf: "2025-10-30" });
    const again = await ensureObligations(deps, agencyId, { asOf: "2025-10-30" });
    assert.equal(again.created, 0);
    const subsidy = await listObligations(deps.db, { agencyId, itemStableKey: "subsidy" });
    assert.deepEqual(
      subsidy.map((o) => [o.period_label, o.due_date, o.status]),
      [
        ["2025年第一季度", "2025-04-22", "met"],
        ["2025年第二季度", "2025-07-21", "attested"],
        // Q3 ends 09-30; 国庆节、中秋节 10-01..10-08 skipped, 10-11 (Sat) works → 15th working day 10-28.
        ["2025年第三季度", "2025-10-28", "open"],
        ["2025年第四季度", subsidy[3]?.due_date, "open"],
      ],
    );
    const annual = await listObligations(deps.db, { agencyId, itemStableKey: "annual" });
    assert.deepEqual(
      annual.map((o) => [o.period_year, o.due_date, o.status]),
      [[2025, "2025-01-31", "met"]],
    );
  });

  it("becomes overdue at its due date, not before", () => {
    return listObligations(deps.db, { agencyId, itemStableKey: "subsidy" }).then((list) => {
      const q3 = list.find((o) => o.period_index === 3)!;
      assert.equal(obligationState(q3, "2025-10-28"), "open");
      assert.equal(obligationState(q3, "2025-10-29"), "overdue");
    });
  });

  it("attestation: only the roles that publish may sign, and only once", async () => {
    const q3 = (await listObligations(deps.db, { agencyId, itemStableKey: "subsidy" })).find(
      (o) => o.period_index === 3,
    )!;
    await assert.rejects(
      attestObligation(deps, staffActor(editor), agencyId, q3.id, "编辑不能签署"),
      (e) => e instanceof AppError && e.code === "forbidden",
    );
    await assert.rejects(
      attestObligation(deps, actor, agencyId, q2.id, "重复签署"),
      (e) => e instanceof AppError && e.code === "record_obligation_closed",
    );
  });
});

describe("compliance report", () => {
  it("before the Q3 due date: Q3 is due soon, not overdue", async () => {
    const r = await complianceReport(deps, { agencyId, asOf: "2025-10-23" });
    assert.ok(r.dueSoon.some((e) => e.kind === "obligation" && e.title.includes("第三季度")));
    assert.ok(!r.overdue.some((e) => e.kind === "obligation" && e.title.includes("第三季度")));
  });

  it("on 2025-10-30: on-time rate, overdue, due soon, blank and stale items, broken links", async () => {
    const r = await complianceReport(deps, { agencyId, asOf: "2025-10-30" });
    // Published in the last 12 months: annual report, Q1 list, late policy, withdrawn policy, compilation. The
    // annual report and the Q1 list belong to periodic items: they are measured by their obligations instead.
    assert.equal(r.onTime.published, 5);
    assert.equal(r.onTime.measured, 3);
    assert.equal(r.onTime.late, 1);
    assert.equal(r.onTime.onTime, 2);
    assert.deepEqual(
      r.overdue.map((e) => [e.kind, e.due]),
      [
        // 2025-09-01 + 20 working days: the 20th is Sunday 09-28, a 调休 working day before 国庆节.
        ["record", "2025-09-28"],
        ["obligation", "2025-10-28"],
      ],
    );
    assert.ok(r.overdue[0]!.explanation.includes("20个工作日"));
    assert.equal(r.overdue[0]!.departmentName, "就业促进股");
    assert.deepEqual(r.dueSoon, [], "the October draft is due 2025-11-20, beyond 5 working days");
    assert.deepEqual(
      r.blankItems.map((i) => i.name),
      ["职业技能培训定点机构名单"],
    );
    assert.deepEqual(
      r.staleItems.map((i) => [i.name, i.behindPeriod]),
      [["就业补贴发放情况", "2025年第三季度"]],
    );
    assert.deepEqual(
      r.brokenLinks.map((l) => l.reason).sort(),
      ["链接的信息不存在", "链接的信息已撤回", "链接的静态文件不存在"].sort(),
    );
    assert.equal(r.unverifiedLinks, 1, "the guide page cannot be checked without a probe");
    assert.equal(r.obligations.overdue, 1);
    assert.equal(r.trend.length, 12);
    assert.deepEqual(
      r.trend.find((t) => t.month === "2025-04"),
      {
        month: "2025-04",
        label: "2025年4月",
        published: 2,
        onTime: 0,
        late: 1,
        obligationsDue: 1,
        obligationsMissed: 0,
      },
    );
    const jobsRow = r.departments.find((d) => d.name === "就业促进股")!;
    assert.equal(jobsRow.overdue, 2);
  });

  it("with a probe, other internal pages are checked too", async () => {
    const r = await complianceReport(deps, {
      agencyId,
      asOf: "2025-10-30",
      probe: async (p) => (p.endsWith("/guide") ? 404 : 200),
    });
    assert.equal(r.unverifiedLinks, 0);
    assert.ok(r.brokenLinks.some((l) => l.reason.includes("404")));
  });

  it("for one department", async () => {
    const r = await complianceReport(deps, { agencyId, asOf: "2025-10-30", departmentId: insurance.id });
    assert.equal(r.department?.name, "社会保险股");
    assert.equal(r.overdue.length, 0);
    assert.deepEqual(
      r.blankItems.map((i) => i.name),
      ["职业技能培训定点机构名单"],
    );
    assert.equal(r.onTime.published, 1);
    assert.deepEqual(r.departments, []);
  });
});

describe("calendar changes", () => {
  it("recompute the due dates of open periodic obligations (a regional closure day)", async () => {
    const q4 = async () =>
      (await listObligations(deps.db, { agencyId, itemStableKey: "subsidy" })).find(
        (o) => o.period_year === 2025 && o.period_index === 4,
      )!;
    // Q4 2025 ends 12-31; 元旦 01-01..01-03 off, Sunday 01-04 works → 15th working day 2026-01-22.
    assert.equal((await q4()).due_date, "2026-01-22");
    await addOverride(deps, SYSTEM_ACTOR, {
      date: "2026-01-05",
      kind: "rest",
      name: "地方停工日（测试）",
      category: "closure",
      regionId: agency.regionId,
    });
    assert.equal((await q4()).due_date, "2026-01-23");
  });
});
