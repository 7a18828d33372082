import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createAgency, createUser, fillGuideContact } from "../../test/factories.ts";
import { createTestDeps } from "../../test/test-app.ts";
import { staffActor } from "../accounts/policy.ts";
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { runRecorded } from "../jobs/job-runner.ts";
import { captureMessenger, type Messenger } from "../messaging/messenger.ts";
import { fixedClock } from "../shared/clock.ts";
import { MAX_ATTEMPTS, sendDueMessages } from "./applicant-messages.service.ts";
import { approveExtension, confirmReceipt, proposeExtension, requestCorrection } from "./handling.service.ts";
import { updateRequestSettings } from "./info-request.service.ts";
import { submitOnlineApplication } from "./intake.service.ts";
import { replyToInfoRequest } from "./reply.service.ts";
import { applicantMessagesJob } from "./requests.jobs.ts";

// Milestones queued with the step, sent after the quiet hours through a captured transport (no network).
const base = await createTestDeps();
const agency = await getAgencyBySlug(base.db, (await createAgency(base.db, { name: "测试县民政局" })).slug);
await fillGuideContact(base.db, agency.id);
const handler = await createUser(base.db, {
  roles: ["request_handler", "agency_admin"],
  agencyId: agency.id,
});
const actor = staffActor(handler);
const at = (instant: string, messenger?: Messenger): Deps => ({
  ...base,
  clock: fixedClock(instant),
  ...(messenger ? { messenger } : {}),
});
const version = async (id: string) =>
  (await base.db.selectFrom("info_requests").select("version").where("id", "=", id).executeTakeFirstOrThrow())
    .version;
const messages = (id: string) =>
  base.db
    .selectFrom("info_request_messages")
    .selectAll()
    .where("request_id", "=", id)
    .orderBy("created_at")
    .execute();

async function apply(email: string, phone: string, day = "2025-09-01T10:00:00+08:00") {
  const { request } = await submitOnlineApplication(at(day), agency, {
    applicantType: "natural_person",
    name: "王五",
    idType: "resident_id",
    idNumber: "11010519491231002X",
    phone,
    email,
    address: "",
    postalCode: "",
    infoTitle: "2024年度低保资金发放情况",
    infoDocNumber: "",
    infoDescription: "",
    form: "electronic",
    delivery: "online",
  });
  return request;
}

describe("notifications to the applicant", () => {
  it("a milestone in the quiet hours waits for their end; e-mail and SMS go to the contact given", async () => {
    const r = await apply("wang@example.com", "13812345678");
    // Receipt confirmed at 23:10 Beijing time: quiet 22–8, so the message waits until 08:00.
    await confirmReceipt(at("2025-09-01T23:10:00+08:00"), agency, r.id, await version(r.id), actor, {
      date: "2025-09-01",
    });
    const [queued] = await messages(r.id);
    assert.equal(queued?.milestone, "received");
    assert.equal(queued?.send_after.toISOString(), new Date("2025-09-02T08:00:00+08:00").toISOString());
    const capture = captureMessenger();
    let sent = await sendDueMessages(at("2025-09-02T07:55:00+08:00"), capture);
    assert.deepEqual(sent, { sent: 0, failed: 0, skipped: 0, retried: 0 });
    assert.equal(capture.sent.length, 0);
    sent = await sendDueMessages(at("2025-09-02T08:00:00+08:00"), capture);
    assert.equal(sent.sent, 1);
    assert.deepEqual(
      capture.sent.map((m) => [m.channel, m.to]),
      [
        ["email", "wang@example.com"],
        ["sms", "13812345678"],
      ],
    );
    assert.match(capture.sent[0]?.subject ?? "", /【测试县民政局】本机关已收到您的申请/);
    assert.match(capture.sent[0]?.text ?? "", /确认收到您的申请/);
    assert.doesNotMatch(capture.sent[0]?.text ?? "", /王五|11010519491231002X/);
    assert.equal((await sendDueMessages(at("2025-09-02T09:00:00+08:00"), capture)).sent, 0, "sent once");
    const [row] = await messages(r.id);
    assert.deepEqual([row?.status, row?.channels], ["sent", ["电子邮件", "短信"]]);
  });

  it("补正, extension and reply are milestones; handling steps in between are not", async () => {
    const r = await apply("li@example.com", "13900001111");
    const day = (d: string) => at(`${d}T10:00:00+08:00`);
    await confirmReceipt(day("2025-09-01"), agency, r.id, await version(r.id), actor, { date: "2025-09-01" });
    await requestCorrection(day("2025-09-02"), agency, r.id, await version(r.id), actor, {
      noticeOn: "2025-09-02",
      items: "请写明年份",
    });
    const { receiveCorrection } = await import("./handling.service.ts");
    await receiveCorrection(day("2025-09-03"), agency, r.id, await version(r.id), actor, {
      receivedOn: "2025-09-03",
    });
    await proposeExtension(day("2025-09-25"), agency, r.id, await version(r.id), actor, {
      days: 10,
      reason: "需调取档案",
    });
    await approveExtension(day("2025-09-25"), agency, r.id, await version(r.id), actor, {
      approvedOn: "2025-09-25",
    });
    await replyToInfoRequest(day("2025-10-09"), agency, r.id, await version(r.id), actor, {
      replyType: "art36_2",
      outcome: "granted",
      repliedOn: "2025-10-09",
    });
    assert.deepEqual(
      (await messages(r.id)).map((m) => m.milestone),
      ["received", "correction", "extended", "replied"],
    );
  });

  it("no contact or no transport: skipped; a failing transport is retried, then given up", async () => {
    const none = await apply("", "13500004444");
    await confirmReceipt(at("2025-09-01T10:00:00+08:00"), agency, none.id, await version(none.id), actor, {
      date: "2025-09-01",
    });
    const failing = await apply("fail@example.com", "13700002222");
    await confirmReceipt(
      at("2025-09-01T10:00:00+08:00"),
      agency,
      failing.id,
      await version(failing.id),
      actor,
      {
        date: "2025-09-01",
      },
    );
    // Phone only and no SMS gateway: nothing can be sent (skipped); the e-mail transport fails.
    const broken = captureMessenger({ fail: true, sms: false });
    let now = new Date("2025-09-01T10:00:00+08:00").getTime();
    const first = await sendDueMessages(at(new Date(now).toISOString(), broken), broken);
    assert.ok(first.skipped >= 1 && first.retried >= 1, JSON.stringify(first));
    for (let i = 1; i < MAX_ATTEMPTS; i++) {
      now += 24 * 3_600_000;
      await sendDueMessages(at(new Date(now).toISOString()), broken);
    }
    const [row] = await messages(failing.id);
    assert.equal(row?.status, "failed");
    assert.equal(row?.attempts, MAX_ATTEMPTS);
    assert.match(row?.last_error ?? "", /电子邮件：captured transport/);
    assert.equal((await messages(none.id))[0]?.status, "skipped");
  });

  it("quiet hours are an agency setting; the job sends through deps.messenger", async () => {
    await updateRequestSettings(base, agency, actor, { quietFrom: 8, quietUntil: 8 });
    const r = await apply("zhao@example.com", "13600003333");
    await confirmReceipt(at("2025-09-01T23:30:00+08:00"), agency, r.id, await version(r.id), actor, {
      date: "2025-09-01",
    });
    const capture = captureMessenger({ sms: false });
    const summary = await runRecorded(applicantMessagesJob, {
      deps: at("2025-09-01T23:31:00+08:00", capture),
      jobId: "t",
      attempt: 0,
      signal: new AbortController().signal,
      data: {},
    });
    assert.ok((summary.totals.sent ?? 0) >= 1);
    assert.ok(
      capture.sent.some((m) => m.to === "zhao@example.com"),
      "no quiet hours: sent at 23:31",
    );
  });
});
