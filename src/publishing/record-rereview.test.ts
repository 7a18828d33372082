import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signIn } from "../../test/auth.ts";
import { createAgency, createUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { staffActor } from "../accounts/policy.ts";
import { createPublishedCatalog } from "../catalog/catalog.fixtures.ts";
import { isAppError } from "../errors.ts";
import { fixedClock } from "../shared/clock.ts";
import { complianceReport } from "./compliance.service.ts";
import { useDemoIndexCode } from "./publishing.fixtures.ts";
import { createRecord } from "./record-draft.service.ts";
import {
  countOverdueRereviews,
  listRereviewQueue,
  recordRereview,
  setRereviewInterval,
} from "./record-rereview.service.ts";

const TODAY = "2026-03-16";
const { app, db, deps } = await createTestApp({ clock: fixedClock(`${TODAY}T10:00:00+08:00`) });
const agency = await createAgency(db, { name: "评估测试局" });
await createPublishedCatalog(db, agency.id, [
  { key: "policy", name: "政策文件", deadline: "信息形成或者变更之日起20个工作日内" },
]);
await useDemoIndexCode(deps, agency.id, "DEMO-RR");
const editor = await createUser(db, { roles: ["editor"], agencyId: agency.id });
const reviewer = await createUser(db, { roles: ["reviewer"], agencyId: agency.id });
const approver = await createUser(db, { roles: ["approver", "reviewer"], agencyId: agency.id });
const admin = await createUser(db, { roles: ["agency_admin"], agencyId: agency.id });
const other = await createAgency(db, { name: "别的局" });
const outsider = await createUser(db, { roles: ["reviewer"], agencyId: other.id });

async function withheld(
  title: string,
  formedDate: string,
  disclosure: "不予公开" | "依申请公开" = "不予公开",
) {
  const { id } = await createRecord(deps, staffActor(editor), agency.id, {
    title,
    formedDate,
    disclosure,
    nonDisclosureReason: disclosure === "不予公开" ? "内部事务信息（条例第十六条）" : "",
  });
  return id;
}

const overdueId = await withheld("逾期未评估的内部研究意见", "2025-01-10");
const scheduledId = await withheld("近期形成的工作底稿", "2025-12-01");
const onRequestId = await withheld("依申请公开的许可材料", "2025-03-01", "依申请公开");
const active = await createRecord(deps, staffActor(editor), agency.id, {
  title: "主动公开的文件",
  formedDate: "2025-01-01",
});

describe("re-review queue (service)", () => {
  it("lists 不予公开 and 依申请公开 records with their next review dates", async () => {
    const queue = await listRereviewQueue(db, agency.id, TODAY);
    assert.deepEqual(
      queue.map((e) => [e.title, e.nextDate, e.state]),
      [
        ["逾期未评估的内部研究意见", "2026-01-10", "overdue"],
        ["依申请公开的许可材料", "2026-03-01", "overdue"],
        ["近期形成的工作底稿", "2026-12-01", "scheduled"],
      ],
    );
    assert.ok(!queue.some((e) => e.recordId === active.id));
    assert.equal(await countOverdueRereviews(db, agency.id, TODAY), 2);
  });

  it("records a review (维持不予公开): next date moves 12 months on, audited as record.review", async () => {
    await assert.rejects(
      recordRereview(
        deps,
        staffActor(reviewer),
        agency.id,
        onRequestId,
        { conclusion: "", reason: " " },
        TODAY,
      ),
      (e) => isAppError(e) && e.fields.map((f) => f.field).join() === "conclusion,reason",
    );
    await assert.rejects(
      recordRereview(
        deps,
        staffActor(editor),
        agency.id,
        onRequestId,
        { conclusion: "维持不予公开", reason: "x" },
        TODAY,
      ),
      (e) => isAppError(e) && e.code === "forbidden",
    );
    await recordRereview(
      deps,
      staffActor(reviewer),
      agency.id,
      onRequestId,
      { conclusion: "维持不予公开", reason: "情势未变化" },
      TODAY,
    );
    const entry = (await listRereviewQueue(db, agency.id, TODAY)).find((e) => e.recordId === onRequestId);
    assert.equal(entry?.nextDate, "2027-03-16");
    assert.equal(entry?.state, "scheduled");
    assert.equal(entry?.lastReview?.by, reviewer.displayName);
    const audit = await db
      .selectFrom("audit_events")
      .select(["action", "actor_id"])
      .where("entity_id", "=", onRequestId)
      .where("action", "=", "record.review")
      .execute();
    assert.deepEqual(audit, [{ action: "record.review", actor_id: reviewer.id }]);
  });

  it("a shorter agency interval brings reviews forward; only agency.manage may set it", async () => {
    await assert.rejects(
      setRereviewInterval(deps, staffActor(reviewer), agency.id, 6),
      (e) => isAppError(e) && e.code === "forbidden",
    );
    await assert.rejects(
      setRereviewInterval(deps, staffActor(admin), agency.id, 0),
      (e) => isAppError(e) && e.code === "validation_failed",
    );
    await setRereviewInterval(deps, staffActor(admin), agency.id, 3);
    const entry = (await listRereviewQueue(db, agency.id, TODAY)).find((e) => e.recordId === scheduledId);
    assert.equal(entry?.nextDate, "2026-03-01");
    assert.equal(entry?.state, "overdue");
    await setRereviewInterval(deps, staffActor(admin), agency.id, 12);
  });

  it("the compliance view counts overdue re-reviews", async () => {
    const report = await complianceReport(deps, { agencyId: agency.id, asOf: TODAY });
    assert.equal(report.overdueRereviews, 1);
  });
});

describe("re-review page (/admin/agencies/:agency/records/rereview)", () => {
  const url = (id: string) => `/admin/agencies/${agency.slug}/records/rereview/${id}`;

  it("is for reviewers of the agency only", async () => {
    const anon = await app.inject({ url: `/admin/agencies/${agency.slug}/records/rereview` });
    assert.equal(anon.statusCode, 303);
    const e = await signIn(app, editor);
    assert.equal(
      (await app.inject({ url: `/admin/agencies/${agency.slug}/records/rereview`, headers: e.headers }))
        .statusCode,
      403,
    );
    const o = await signIn(app, outsider);
    const res = await app.inject({
      url: `/admin/agencies/${agency.slug}/records/rereview`,
      headers: o.headers,
    });
    assert.ok([403, 404].includes(res.statusCode), String(res.statusCode));
    const r = await signIn(app, reviewer);
    const page = await app.inject({
      url: `/admin/agencies/${agency.slug}/records/rereview`,
      headers: r.headers,
    });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /逾期未评估的内部研究意见/);
    assert.match(page.body, /逾期未评估<strong>1<\/strong>条/);
    // A reviewer cannot release information: no 转为主动公开 option.
    assert.doesNotMatch(page.body, /value="转为主动公开"/);
  });

  it("the 政务公开办 sees the queue and the interval form, but no review form", async () => {
    const a = await signIn(app, admin);
    const page = await app.inject({
      url: `/admin/agencies/${agency.slug}/records/rereview`,
      headers: a.headers,
    });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /action="\/admin\/agencies\/[a-z0-9-]+\/records\/rereview\/interval"/);
    assert.doesNotMatch(page.body, /name="conclusion"/);
  });

  it("records a review with CSRF and field errors", async () => {
    const r = await signIn(app, reviewer);
    const noCsrf = await app.inject({
      method: "POST",
      url: url(overdueId),
      headers: { cookie: r.cookie },
      payload: { conclusion: "维持不予公开", reason: "情势未变化" },
    });
    assert.equal(noCsrf.statusCode, 403);
    const bad = await app.inject({
      method: "POST",
      url: url(overdueId),
      headers: { cookie: r.cookie },
      payload: { _csrf: r.csrfToken, conclusion: "维持不予公开", reason: "" },
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, new RegExp(`id="rr-${overdueId}-reason-error"`));
    // A reviewer may not conclude 转为主动公开 (record.approve).
    const release = await app.inject({
      method: "POST",
      url: url(overdueId),
      headers: r.headers,
      payload: { conclusion: "转为主动公开", reason: "情势变化" },
    });
    assert.equal(release.statusCode, 403);
    const ok = await app.inject({
      method: "POST",
      url: url(overdueId),
      headers: { cookie: r.cookie },
      payload: { _csrf: r.csrfToken, conclusion: "维持不予公开", reason: "核查仍在进行" },
    });
    assert.equal(ok.statusCode, 303);
    const rows = await db
      .selectFrom("record_rereviews")
      .selectAll()
      .where("record_id", "=", overdueId)
      .execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.reviewed_on, TODAY);
    assert.equal(rows[0]?.reviewed_by, reviewer.id);
  });

  it("an approver releases a record: 公开属性 becomes 主动公开 and it leaves the queue", async () => {
    const a = await signIn(app, approver);
    const page = await app.inject({
      url: `/admin/agencies/${agency.slug}/records/rereview`,
      headers: a.headers,
    });
    assert.match(page.body, /value="转为主动公开"/);
    const res = await app.inject({
      method: "POST",
      url: url(scheduledId),
      headers: a.headers,
      payload: { conclusion: "转为主动公开", reason: "工作已完成，情势变化，可以公开" },
    });
    assert.equal(res.statusCode, 303);
    const rec = await db
      .selectFrom("records")
      .select(["disclosure", "non_disclosure_reason", "workflow_status"])
      .where("id", "=", scheduledId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(rec, { disclosure: "主动公开", non_disclosure_reason: "", workflow_status: "draft" });
    const rev = await db
      .selectFrom("record_revisions")
      .select("content")
      .where("record_id", "=", scheduledId)
      .executeTakeFirstOrThrow();
    assert.equal(rev.content.disclosure, "主动公开");
    assert.ok(!(await listRereviewQueue(db, agency.id, TODAY)).some((e) => e.recordId === scheduledId));
    const audit = await db
      .selectFrom("audit_events")
      .select("action")
      .where("entity_id", "=", scheduledId)
      .where("action", "=", "record.approve")
      .execute();
    assert.equal(audit.length, 1);
    // Reviewing a record no longer withheld is refused.
    const again = await app.inject({
      method: "POST",
      url: url(scheduledId),
      headers: a.headers,
      payload: { conclusion: "维持不予公开", reason: "x" },
    });
    assert.equal(again.statusCode, 409);
  });
});
