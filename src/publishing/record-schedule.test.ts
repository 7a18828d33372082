// Scheduled publication (定时发布) and withdrawal (定时下线/废止): rules, service refusals, the job publishing and
// withdrawing at the set time with events (page cache) and audit, failures as notices, and the console forms.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signIn } from "../../test/auth.ts";
import { movableClock } from "../../test/clock.ts";
import { createAgency, createUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { staffActor } from "../accounts/policy.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { isAppError } from "../errors.ts";
import { FULL_CHECKLIST, useDemoIndexCode } from "./publishing.fixtures.ts";
import { scheduledPublicationJob } from "./publishing.jobs.ts";
import { createRecord } from "./record-draft.service.ts";
import { checkScheduleTime, parseBeijingDateTime } from "./record-schedule.rules.ts";
import { cancelSchedule, schedulePublication, scheduleWithdrawal } from "./record-schedule.service.ts";
import { advanceRecord, returnRecord } from "./record-workflow.service.ts";

const clock = movableClock("2026-03-16T10:00:00+08:00");
const { app, deps, db } = await createTestApp({ clock });
const agency = await createAgency(db, { name: "测试县水利局" });
const items = await createPublishedCatalog(db, agency.id, [
  { key: "policy", name: "政策文件", deadline: "信息形成或者变更之日起20个工作日内" },
]);
const boss = await createUser(db, { roles: ["agency_admin", "reviewer", "approver"], agencyId: agency.id });
const editor = await createUser(db, { roles: ["editor"], agencyId: agency.id });
await useDemoIndexCode(deps, agency.id, "DEMO-SCHED");
const me = staffActor(boss);

async function approved(title: string): Promise<string> {
  const { id } = await createRecord(deps, me, agency.id, {
    title,
    formedDate: "2026-03-10",
    itemId: items.policy!.id,
    bodyHtml: "<p>正文</p>",
  });
  await advanceRecord(deps, me, agency.id, id, "submit");
  await advanceRecord(deps, me, agency.id, id, "review", { checklist: FULL_CHECKLIST });
  await advanceRecord(deps, me, agency.id, id, "approve");
  return id;
}

const runJob = () =>
  scheduledPublicationJob.run({
    deps,
    jobId: "t",
    attempt: 0,
    signal: new AbortController().signal,
    data: {},
  });

const record = (id: string) =>
  db.selectFrom("records").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

const refusedWith = (code: string, message?: RegExp) => (e: unknown) => {
  assert.ok(isAppError(e), String(e));
  assert.equal(e.code, code);
  if (message) assert.match(`${e.message} ${e.fields.map((f) => f.message).join(" ")}`, message);
  return true;
};

describe("scheduled publication rules", () => {
  it("reads Beijing time and refuses impossible times", () => {
    assert.equal(parseBeijingDateTime("2026-03-16T14:30")?.toISOString(), "2026-03-16T06:30:00.000Z");
    assert.equal(parseBeijingDateTime("2026-03-16 14:30:15")?.toISOString(), "2026-03-16T06:30:15.000Z");
    for (const bad of ["", "2026-02-30T10:00", "2026-03-16T24:00", "2026-03-16", "16/03/2026 10:00", "x"])
      assert.equal(parseBeijingDateTime(bad), null, bad);
  });

  it("the time must be ahead, within a year, and after the scheduled publication", () => {
    const now = new Date("2026-03-16T02:00:00Z");
    const check = { field: "publishAt", label: "定时发布时间" };
    const msg = (text: string, extra = {}) =>
      checkScheduleTime(text, now, { ...check, ...extra }).problems[0]?.message;
    assert.equal(msg(""), "请填写定时发布时间");
    assert.equal(msg("明天"), "请按“年-月-日 时:分”（北京时间）填写定时发布时间");
    assert.equal(msg("2026-03-16T10:00"), "定时发布时间须晚于当前时间");
    assert.equal(msg("2027-03-18T10:00"), "定时发布时间不能晚于一年之后");
    assert.equal(
      msg("2026-03-17T10:00", { after: { at: new Date("2026-03-18T00:00:00Z"), label: "定时发布时间" } }),
      "定时发布时间须晚于定时发布时间",
    );
    assert.equal(msg("2026-03-16T10:01"), undefined);
  });
});

describe("scheduled publication and withdrawal", () => {
  it("an approved record goes live at its time through the job, with events and audit", async () => {
    const id = await approved("定时发布的水利政策");
    await assert.rejects(
      schedulePublication(deps, staffActor(editor), agency.id, id, "2026-03-16T14:00"),
      refusedWith("forbidden"),
    );
    await assert.rejects(
      schedulePublication(deps, me, agency.id, id, "2026-03-16T09:00"),
      refusedWith("validation_failed", /须晚于当前时间/),
    );
    await schedulePublication(deps, me, agency.id, id, "2026-03-16T14:00");
    assert.equal((await record(id)).scheduled_publish_at?.toISOString(), "2026-03-16T06:00:00.000Z");

    // The portal page of the agency is cached before the publication.
    const page = `/agencies/${agency.slug}`;
    await app.inject({ url: page });
    assert.equal((await app.inject({ url: page })).headers["x-cache"], "hit");
    const published: string[] = [];
    deps.events.on("record.published", (p) => published.push(p.recordId));

    clock.set("2026-03-16T13:59:00+08:00");
    assert.deepEqual((await runJob()).totals, { published: 0, withdrawn: 0, failed: 0 });
    assert.equal((await record(id)).status, "draft");

    clock.set("2026-03-16T14:00:30+08:00");
    const run = await runJob();
    assert.equal(run.totals.published, 1);
    assert.deepEqual(run.agencies?.[agency.id], { published: 1 });
    const r = await record(id);
    assert.equal(r.status, "published");
    assert.equal(r.published_date, "2026-03-16");
    assert.ok(r.index_no);
    assert.equal(r.scheduled_publish_at, null, "the schedule is used up");
    assert.deepEqual(
      published,
      [id],
      "record.published fired (page caches of every process drop the agency)",
    );
    const after = await app.inject({ url: page });
    assert.equal(after.headers["x-cache"], "miss");
    assert.match(after.body, /定时发布的水利政策/);
    assert.deepEqual((await runJob()).totals, { published: 0, withdrawn: 0, failed: 0 }, "never twice");

    const audit = await db
      .selectFrom("audit_events")
      .select(["action", "actor_name", "summary"])
      .where("entity_id", "=", id)
      .where("action", "in", ["record.schedule_publish", "record.publish"])
      .orderBy("seq")
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ["record.schedule_publish", "record.publish"],
    );
    assert.match(audit[0]!.summary, /2026-03-16 14:00/);
    assert.match(audit[1]!.actor_name ?? "", /（定时任务）$/);
  });

  it("a published record is withdrawn at its 下线/废止 time, with the reason", async () => {
    clock.set("2026-03-17T10:00:00+08:00");
    const id = await approved("将要废止的文件");
    await advanceRecord(deps, me, agency.id, id, "publish");
    await assert.rejects(
      scheduleWithdrawal(deps, me, agency.id, id, "2026-03-18T09:00", " "),
      refusedWith("validation_failed", /下线理由/),
    );
    await assert.rejects(
      scheduleWithdrawal(deps, staffActor(editor), agency.id, id, "2026-03-18T09:00", "文件废止"),
      refusedWith("forbidden"),
    );
    await scheduleWithdrawal(deps, me, agency.id, id, "2026-03-18T09:00", "文件已于2026年3月18日废止");
    const publicPage = `/agencies/${agency.slug}/records/${id}`;
    assert.equal((await app.inject({ url: publicPage })).statusCode, 200);
    const withdrawn: string[] = [];
    deps.events.on("record.withdrawn", (p) => withdrawn.push(p.recordId));
    clock.set("2026-03-18T09:00:00+08:00");
    assert.equal((await runJob()).totals.withdrawn, 1);
    const r = await record(id);
    assert.equal(r.status, "withdrawn");
    assert.match(r.withdrawn_reason ?? "", /^定时下线：文件已于2026年3月18日废止$/);
    assert.equal(r.scheduled_withdraw_at, null);
    assert.deepEqual(withdrawn, [id]);
    assert.notEqual((await app.inject({ url: publicPage })).statusCode, 200, "off the portal");
  });

  it("sending back, cancelling and publishing by hand clear the schedule; refusals are specific", async () => {
    clock.set("2026-03-19T10:00:00+08:00");
    const id = await approved("退回的文件");
    await schedulePublication(deps, me, agency.id, id, "2026-03-20T10:00");
    await assert.rejects(
      scheduleWithdrawal(deps, me, agency.id, id, "2026-03-20T09:00", "到期"),
      refusedWith("validation_failed", /定时下线时间须晚于定时发布时间/),
    );
    await returnRecord(deps, me, agency.id, id, "请补充附件");
    assert.equal((await record(id)).scheduled_publish_at, null);
    await assert.rejects(
      schedulePublication(deps, me, agency.id, id, "2026-03-20T10:00"),
      refusedWith("record_invalid_transition", /审签通过/),
    );
    await assert.rejects(
      cancelSchedule(deps, me, agency.id, id, "publish"),
      refusedWith("record_invalid_transition"),
    );

    const other = await approved("手动发布的文件");
    await schedulePublication(deps, me, agency.id, other, "2026-03-20T10:00");
    await cancelSchedule(deps, me, agency.id, other, "publish");
    assert.equal((await record(other)).scheduled_publish_at, null);
    await schedulePublication(deps, me, agency.id, other, "2026-03-20T10:00");
    await advanceRecord(deps, me, agency.id, other, "publish");
    assert.equal((await record(other)).scheduled_publish_at, null);
  });

  it("a schedule the workflow refuses at its time is cancelled, audited and notified", async () => {
    clock.set("2026-03-21T10:00:00+08:00");
    const id = await approved("无法定时发布的文件");
    await schedulePublication(deps, me, agency.id, id, "2026-03-21T11:00");
    // Changed behind the schedule's back (as a concurrent edit could): the revision is no longer approved.
    await db.updateTable("record_revisions").set({ status: "draft" }).where("record_id", "=", id).execute();
    clock.set("2026-03-21T11:00:00+08:00");
    const run = await runJob();
    assert.equal(run.totals.failed, 1);
    assert.equal((await record(id)).scheduled_publish_at, null);
    const notice = await db
      .selectFrom("duty_notices")
      .select(["kind", "subject"])
      .where("agency_id", "=", agency.id)
      .where("kind", "=", "schedule_publish_failed")
      .executeTakeFirstOrThrow();
    assert.match(notice.subject, /定时发布未完成：《无法定时发布的文件》/);
    const audit = await db
      .selectFrom("audit_events")
      .select("summary")
      .where("action", "=", "record.schedule_publish_failed")
      .executeTakeFirstOrThrow();
    assert.match(audit.summary, /无法定时发布的文件/);
  });
});

describe("console forms of scheduled publication", () => {
  it("schedule, show, cancel; Chinese messages on bad input", async () => {
    clock.set("2026-03-22T10:00:00+08:00");
    const id = await approved("控制台定时发布");
    const s = await signIn(app, boss);
    const url = (action: string) => `/admin/agencies/${agency.slug}/records/${id}/${action}`;
    const post = (action: string, body: Record<string, string>) =>
      app.inject({
        method: "POST",
        url: url(action),
        headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({ _csrf: s.csrfToken, ...body }).toString(),
      });
    const detail = await app.inject({
      url: `/admin/agencies/${agency.slug}/records/${id}`,
      headers: s.headers,
    });
    assert.equal(detail.statusCode, 200, `${detail.statusCode} ${JSON.stringify(detail.headers)}`);
    assert.match(detail.body, /name="publishAt"/);
    assert.match(detail.body, /type="datetime-local"/);

    const bad = await post("schedule-publish", { publishAt: "2026-03-22T09:00" });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /定时发布时间须晚于当前时间/);
    assert.match(bad.body, /aria-invalid="true"/);

    const ok = await post("schedule-publish", { publishAt: "2026-03-23T08:30" });
    assert.equal(ok.statusCode, 303, ok.body);
    const shown = await app.inject({ url: ok.headers.location as string, headers: s.headers });
    assert.match(shown.body, /已定于2026-03-23 08:30（北京时间）定时发布/);

    const cancelled = await post("cancel-schedule-publish", {});
    assert.equal(cancelled.statusCode, 303);
    assert.equal((await record(id)).scheduled_publish_at, null);

    await advanceRecord(deps, me, agency.id, id, "publish");
    const noReason = await post("schedule-withdraw", { withdrawAt: "2026-04-01T00:00", withdrawReason: "" });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /下线理由/);
    const set = await post("schedule-withdraw", {
      withdrawAt: "2026-04-01T00:00",
      withdrawReason: "有效期届满",
    });
    assert.equal(set.statusCode, 303);
    const page = await app.inject({ url: set.headers.location as string, headers: s.headers });
    assert.match(page.body, /已定于2026-04-01 00:00（北京时间）下线：有效期届满/);
    assert.equal((await post("cancel-schedule-withdraw", {})).statusCode, 303);
    assert.equal((await record(id)).scheduled_withdraw_at, null);
  });
});
