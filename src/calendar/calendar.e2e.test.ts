// End to end: an application's reply deadline that depends on 2027 is provisional while 2027 has no data, and
// becomes official — recomputed by the applications feature's calendar hook (deps.calendarHooks), in the same
// transaction, and audited — once an administrator enters the 2027 notice.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createAgency, createUser, fillGuideContact } from "../../test/factories.ts";
import { createTestDeps } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { staffActor } from "../accounts/policy.ts";
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { getInfoRequestDetail } from "../requests/info-request-query.service.ts";
import { registerApplication } from "../requests/intake.service.ts";
import { fixedClock } from "../shared/clock.ts";
import { NOTICE_2027 } from "./calendar.fixtures.ts";
import { addNotice, deleteNotice } from "./calendar-admin.service.ts";

describe("calendar change → open deadlines recomputed (applications)", async () => {
  const { db } = await createTestDatabase();
  const deps = await createTestDeps({ db, clock: fixedClock("2027-02-10") });
  const agency = await getAgencyBySlug(db, (await createAgency(db)).slug);
  await fillGuideContact(db, agency.id);
  const handler = await createUser(db, { roles: ["request_handler"], agencyId: agency.id });
  const actor = staffActor(handler);
  const admin = { actorId: null, actorName: "平台管理员", ip: null };

  const { request } = await registerApplication(deps, agency, actor, {
    applicantType: "natural_person",
    name: "张三",
    idType: "resident_id",
    idNumber: "11010519491231002X",
    phone: "13812345678",
    email: "zhang@example.com",
    address: "某市某路1号",
    postalCode: "010000",
    infoTitle: "2026年度就业补助资金分配情况",
    infoDocNumber: "",
    infoDescription: "",
    form: "electronic",
    delivery: "email",
    channel: "in_person",
    submittedOn: "2027-02-10",
  });
  const reply = async () =>
    (await getInfoRequestDetail(deps, agency, request.id)).deadlines.deadlines.find(
      (d) => d.kind === "reply",
    );
  const cachedNextDue = async () =>
    (
      await db
        .selectFrom("info_requests")
        .select("next_due_on")
        .where("id", "=", request.id)
        .executeTakeFirstOrThrow()
    ).next_due_on;

  it("is provisional while 2027 has no data (statutory holidays, Monday–Friday)", async () => {
    const r = await reply();
    assert.equal(r?.due, "2027-03-10");
    assert.equal(r?.provisional, true);
    assert.equal(await cachedNextDue(), "2027-03-10");
  });

  it("becomes official once the 2027 notice is entered; the listener recomputes it and the count is audited", async () => {
    const result = await addNotice(deps, admin, NOTICE_2027);
    const requests = result.recomputed.find((c) => c.listener === "info-requests");
    assert.equal(requests?.count, 1);
    const r = await reply();
    assert.equal(r?.due, "2027-03-11", "the notice rests 2-11 and 2-12 and works 2-20");
    assert.equal(r?.provisional, false);
    assert.equal(await cachedNextDue(), "2027-03-11");
    const [audit] = await listAuditEvents(db, { action: "calendar.recompute" });
    assert.match(audit?.summary ?? "", /重新计算截止日期\d+项/);
    assert.match(audit?.after ?? "", /info-requests/);
  });

  it("is provisional again when the notice is removed", async () => {
    await deleteNotice(deps, admin, 2027);
    const r = await reply();
    assert.deepEqual([r?.due, r?.provisional], ["2027-03-10", true]);
    assert.equal(await cachedNextDue(), "2027-03-10");
  });
});
