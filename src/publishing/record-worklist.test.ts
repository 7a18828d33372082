import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { csrfFromPage, signIn } from "../../test/auth.ts";
import { createAgency, createDepartment, createUser, type TestUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { type StaffActor, staffActor } from "../accounts/policy.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { fixedClock } from "../shared/clock.ts";
import { createRecord } from "./record-draft.service.ts";
import { getRecordForStaff } from "./record-query.service.ts";
import { advanceRecord, returnRecord } from "./record-workflow.service.ts";
import { publishingWork } from "./record-worklist.ts";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gk-work-"));
const { app, db, deps } = await createTestApp({
  clock: fixedClock("2026-03-16T10:00:00+08:00"),
  config: { dataDir },
});
const agency = await createAgency(db, { name: "测试县人力资源和社会保障局" });
const other = await createAgency(db, { name: "另一县人力资源和社会保障局" });
const dept = await createDepartment(db, agency.id, "就业促进股");
const items = await createPublishedCatalog(db, agency.id, [
  {
    key: "policy",
    name: "就业政策文件",
    deadline: "信息形成或者变更之日起20个工作日内",
    departmentId: dept.id,
  },
]);
const editor = await createUser(db, { roles: ["editor"], agencyId: agency.id });
const editor2 = await createUser(db, { roles: ["editor"], agencyId: agency.id });
const reviewer = await createUser(db, { roles: ["reviewer"], agencyId: agency.id });
const approver = await createUser(db, { roles: ["approver"], agencyId: agency.id });
const otherReviewer = await createUser(db, { roles: ["reviewer"], agencyId: other.id });
const as = (u: TestUser): StaffActor => staffActor(u, "127.0.0.1");
const CHECKLIST = {
  noStateSecret: true,
  noWorkSecret: true,
  noPersonalPrivacy: true,
  noTradeSecret: true,
  noThreeSecurityRisk: true,
  consistentWithPolicy: true,
};

async function draft(title: string, formedDate = "2026-03-02"): Promise<string> {
  const { id } = await createRecord(deps, as(editor), agency.id, {
    title,
    formedDate,
    itemId: items.policy!.id,
    summary: "概述",
    bodyHtml: "<p>正文。</p>",
  });
  return id;
}

async function home(user: TestUser): Promise<string> {
  const s = await signIn(app, user);
  const res = await app.inject({ url: "/admin", headers: { cookie: s.cookie } });
  assert.equal(res.statusCode, 200);
  return res.body;
}

function section(body: string, label: string): string {
  const start = body.indexOf(`<h3>${label}`);
  if (start < 0) return "";
  const end = body.indexOf("</li>\n", body.indexOf("</ul>", start));
  return body.slice(start, end);
}

describe("工作台: my to-do list", () => {
  it("puts each step's work in front of the person who must act, in their own agency only", async () => {
    const id = await draft("关于印发就业补贴办法的通知");
    await advanceRecord(deps, as(editor), agency.id, id, "submit");
    assert.match(section(await home(reviewer), "待我审核"), /关于印发就业补贴办法的通知/);
    assert.equal(section(await home(approver), "待我审核"), "");
    assert.match(section(await home(editor), "我已提交、等待审核"), /关于印发就业补贴办法的通知/);
    assert.doesNotMatch(await home(otherReviewer), /关于印发就业补贴办法的通知/);
    assert.match(await home(otherReviewer), /目前没有等待您处理的事项/);

    await advanceRecord(deps, as(reviewer), agency.id, id, "review", { checklist: CHECKLIST });
    assert.equal(section(await home(reviewer), "待我审核"), "");
    assert.match(section(await home(approver), "待我审签"), /关于印发就业补贴办法的通知/);
  });

  it("tells the editor what was sent back and why", async () => {
    const id = await draft("就业见习基地名单");
    await advanceRecord(deps, as(editor), agency.id, id, "submit");
    await returnRecord(deps, as(reviewer), agency.id, id, "附件缺少盖章页");
    const mine = section(await home(editor), "退回给我修改");
    assert.match(mine, /就业见习基地名单/);
    assert.match(mine, /退回理由：附件缺少盖章页/);
    assert.equal(section(await home(editor2), "退回给我修改"), "");
  });

  it("lists unpublished records whose deadline is near or past, overdue ones flagged", async () => {
    await draft("逾期未发布的文件", "2026-01-05");
    const work = await publishingWork(deps, editor, "2026-03-16");
    const due = work.find((s) => s.key === "records.due");
    const hit = due?.items.find((i) => i.title === "逾期未发布的文件");
    assert.ok(hit, "the overdue draft is listed");
    assert.equal(hit.overdue, true);
    assert.ok(hit.due && hit.due < "2026-03-16");
  });
});

describe("收回: the submitting editor takes a record back before review", () => {
  async function recall(user: TestUser, id: string, slug = agency.slug) {
    const s = await signIn(app, user);
    const page = await app.inject({ url: "/admin", headers: { cookie: s.cookie } });
    return app.inject({
      method: "POST",
      url: `/admin/agencies/${slug}/records/${id}/recall`,
      headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({ _csrf: csrfFromPage(page.body) ?? s.csrfToken }).toString(),
    });
  }

  it("returns the revision to draft and leaves the reviewer's list", async () => {
    const id = await draft("待收回的通知");
    await advanceRecord(deps, as(editor), agency.id, id, "submit");
    assert.equal((await recall(editor2, id)).statusCode, 409, "only the submitter");
    const res = await recall(editor, id);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/admin/agencies/${agency.slug}/records/${id}?done=recall`);
    const after = await getRecordForStaff(deps, agency.id, id);
    assert.equal(after.revision.status, "draft");
    assert.equal(section(await home(reviewer), "待我审核").includes("待收回的通知"), false);
  });

  it("is refused once review has started, and another agency's record is not found", async () => {
    const id = await draft("已审核的通知");
    await advanceRecord(deps, as(editor), agency.id, id, "submit");
    await advanceRecord(deps, as(reviewer), agency.id, id, "review", { checklist: CHECKLIST });
    const refused = await recall(editor, id);
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /审核已经开始，不能收回/);
    assert.equal((await recall(editor, id, other.slug)).statusCode, 404);
    assert.equal((await recall(reviewer, id)).statusCode, 403);
  });
});
