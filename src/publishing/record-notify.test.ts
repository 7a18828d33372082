import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import pino from "pino";
import { csrfFromPage, signIn } from "../../test/auth.ts";
import { createAgency, createDepartment, createUser, type TestUser } from "../../test/factories.ts";
import { testConfig } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { type StaffActor, staffActor } from "../accounts/policy.ts";
import { buildApp } from "../app.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { createDeps } from "../deps.ts";
import { captureMessenger } from "../messaging/messenger.ts";
import { fixedClock } from "../shared/clock.ts";
import { FULL_CHECKLIST } from "./publishing.fixtures.ts";
import { createRecord } from "./record-draft.service.ts";
import { notifyRecordStep } from "./record-notify.ts";
import { advanceRecord, returnRecord } from "./record-workflow.service.ts";

const messenger = captureMessenger();
const deps = createDeps(testConfig(), (await createTestDatabase()).db, {
  clock: fixedClock("2026-03-16T10:00:00+08:00"),
  logger: pino({ level: "silent" }),
  messenger,
});
const db = deps.db;
const app = await buildApp(deps);
after(() => app.close());
const agency = await createAgency(db, { name: "测试县人力资源和社会保障局" });
const other = await createAgency(db);
const jobs = await createDepartment(db, agency.id, "就业促进股");
const items = await createPublishedCatalog(db, agency.id, [
  { key: "policy", name: "就业政策文件", deadline: "信息形成之日起20个工作日内", departmentId: jobs.id },
]);
const editor = await createUser(db, {
  roles: [{ role: "editor", agencyId: agency.id, departmentId: jobs.id }],
  agencyId: agency.id,
});
const reviewer = await createUser(db, { roles: ["reviewer"], agencyId: agency.id });
const reviewer2 = await createUser(db, { roles: ["reviewer"], agencyId: agency.id });
const approver = await createUser(db, { roles: ["approver"], agencyId: agency.id });
const otherReviewer = await createUser(db, { roles: ["reviewer"], agencyId: other.id });
await db
  .updateTable("staff_users")
  .set({ email: "reviewer@example.gov.cn" })
  .where("id", "=", reviewer.id)
  .execute();
await db
  .updateTable("staff_users")
  .set({ email: "reviewer2@example.gov.cn", email_notifications: false })
  .where("id", "=", reviewer2.id)
  .execute();
await db
  .updateTable("staff_users")
  .set({ email: "editor@example.gov.cn" })
  .where("id", "=", editor.id)
  .execute();
const as = (u: TestUser): StaffActor => staffActor(u, "127.0.0.1");

async function notificationsOf(u: TestUser) {
  return db
    .selectFrom("staff_notifications")
    .selectAll()
    .where("user_id", "=", u.id)
    .orderBy("created_at")
    .execute();
}

/** The listener runs after the commit without blocking the step: wait (bounded) until its rows are there. */
async function settled(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10));
}

async function draft(title: string): Promise<string> {
  return (
    await createRecord(deps, as(editor), agency.id, {
      title,
      formedDate: "2026-03-10",
      itemId: items.policy!.id,
      summary: "概述",
      bodyHtml: "<p>正文。</p>",
    })
  ).id;
}

describe("notifications of the record workflow", () => {
  it("tells the agency's reviewers when a record is submitted; e-mail only to those who want it", async () => {
    const id = await draft("关于就业见习补贴的通知");
    messenger.sent.length = 0;
    await advanceRecord(deps, as(editor), agency.id, id, "submit");
    const mineFor = async (u: TestUser) => (await notificationsOf(u)).filter((x) => x.link.endsWith(id));
    await settled(async () => (await mineFor(reviewer2)).length > 0 && messenger.sent.length > 0);
    const [n] = await mineFor(reviewer);
    assert.ok(n, "the reviewer is told");
    assert.equal(n.subject, "【待审核】《关于就业见习补贴的通知》");
    assert.equal(n.link, `/admin/agencies/${agency.slug}/records/${id}`);
    assert.equal((await mineFor(reviewer2)).length, 1, "every reviewer of the agency");
    assert.deepEqual(
      messenger.sent.map((m) => m.to),
      ["reviewer@example.gov.cn"],
      "reviewer2 turned e-mail off; the other agency's reviewer is not addressed",
    );
    assert.match(messenger.sent[0]!.text, /办理入口：http.*\/records\//);
    assert.equal((await notificationsOf(otherReviewer)).length, 0);
    assert.equal((await mineFor(approver)).length, 0);
    assert.equal((await mineFor(editor)).length, 0, "not the one who submitted");
    // The same event again (a relayed or repeated delivery) notifies nobody twice.
    const again = await notifyRecordStep(deps, {
      agencyId: agency.id,
      recordId: id,
      step: "submit",
      actorId: editor.id,
    });
    assert.equal(again, 0);
  });

  it("tells the approver after review, and the editor (with the reason) when it is sent back", async () => {
    const id = await draft("就业见习基地名单");
    await advanceRecord(deps, as(editor), agency.id, id, "submit");
    await advanceRecord(deps, as(reviewer), agency.id, id, "review", { checklist: FULL_CHECKLIST });
    const mineFor = async (u: TestUser) => (await notificationsOf(u)).filter((x) => x.link.endsWith(id));
    await settled(async () => (await mineFor(approver)).length > 0);
    assert.match((await mineFor(approver))[0]!.subject, /【待审签】《就业见习基地名单》/);
    messenger.sent.length = 0;
    await returnRecord(deps, as(approver), agency.id, id, "附件缺少盖章页");
    await settled(async () => (await mineFor(editor)).length > 0 && messenger.sent.length > 0);
    const [back] = await mineFor(editor);
    assert.ok(back, "the editor is told");
    assert.equal(back.subject, "【退回修改】《就业见习基地名单》");
    assert.match(back.body, /退回理由：附件缺少盖章页/);
    assert.deepEqual(
      messenger.sent.map((m) => m.to),
      ["editor@example.gov.cn"],
    );
  });
});

describe("counts in the navigation and the 通知 page", () => {
  it("shows the reviewer's to-do count beside 工作台 and 信息发布, and unread notifications beside 通知", async () => {
    const s = await signIn(app, reviewer2);
    const page = await app.inject({
      url: `/admin/agencies/${agency.slug}/records`,
      headers: { cookie: s.cookie },
    });
    assert.equal(page.statusCode, 200);
    const nav = /<nav class="staff-nav"[\s\S]*?<\/nav>/.exec(page.body)?.[0] ?? "";
    const count = (label: string) => new RegExp(`>${label} <span class="nav-count">(\\d+)<`).exec(nav)?.[1];
    const waiting = await db
      .selectFrom("records")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("agency_id", "=", agency.id)
      .where("workflow_status", "=", "submitted")
      .executeTakeFirstOrThrow();
    assert.equal(count("信息发布"), String(waiting.n), nav);
    assert.equal(count("工作台"), String(waiting.n));
    const unread = (await notificationsOf(reviewer2)).filter((n) => n.read_at === null).length;
    assert.ok(unread > 0);
    assert.equal(count("通知"), String(unread));
  });

  it("lists my notifications, marks one and then all read, and saves the e-mail settings", async () => {
    const s = await signIn(app, reviewer2);
    const list = await app.inject({ url: "/admin/notifications", headers: { cookie: s.cookie } });
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /【待审核】《关于就业见习补贴的通知》/);
    const mine = await notificationsOf(reviewer2);
    const post = (url: string, form: Record<string, string>) =>
      app.inject({
        method: "POST",
        url,
        headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({ _csrf: csrfFromPage(list.body) ?? s.csrfToken, ...form }).toString(),
      });
    // Another person's notification id changes nothing.
    const foreign = (await notificationsOf(reviewer))[0]!;
    assert.equal((await post("/admin/notifications/read", { id: foreign.id })).statusCode, 303);
    assert.equal((await notificationsOf(reviewer)).find((n) => n.id === foreign.id)?.read_at, null);
    assert.equal((await post("/admin/notifications/read", { id: mine[0]!.id })).statusCode, 303);
    const after = await notificationsOf(reviewer2);
    assert.ok(after.find((n) => n.id === mine[0]!.id)?.read_at);
    assert.ok(after.some((n) => n.read_at === null));
    await post("/admin/notifications/read", {});
    assert.ok((await notificationsOf(reviewer2)).every((n) => n.read_at !== null));

    const bad = await post("/admin/notifications/settings", { email: "不是邮箱", emailNotifications: "1" });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /请填写正确的邮箱地址/);
    assert.match(bad.body, /value="不是邮箱"/);
    const ok = await post("/admin/notifications/settings", {
      email: "li@example.gov.cn",
      emailNotifications: "1",
    });
    assert.equal(ok.statusCode, 303);
    const row = await db
      .selectFrom("staff_users")
      .select(["email", "email_notifications"])
      .where("id", "=", reviewer2.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { email: "li@example.gov.cn", email_notifications: true });
    await post("/admin/notifications/settings", { email: "li@example.gov.cn" });
    const off = await db
      .selectFrom("staff_users")
      .select("email_notifications")
      .where("id", "=", reviewer2.id)
      .executeTakeFirstOrThrow();
    assert.equal(off.email_notifications, false);
  });
});
