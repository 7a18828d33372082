import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createAgency, createUser, fillGuideContact } from "../../test/factories.ts";
import { createTestDeps } from "../../test/test-app.ts";
import { staffActor } from "../accounts/policy.ts";
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import type { JobDefinition } from "../jobs/job.ts";
import { runRecorded } from "../jobs/job-runner.ts";
import { fixedClock } from "../shared/clock.ts";
import { registerApplication } from "./intake.service.ts";
import { purgePersonalDataJob, requestRemindersJob } from "./requests.jobs.ts";

const base = await createTestDeps();
const agency = await getAgencyBySlug(base.db, (await createAgency(base.db, { name: "测试县民政局" })).slug);
await fillGuideContact(base.db, agency.id);
const handler = await createUser(base.db, { roles: ["request_handler"], agencyId: agency.id });
const on = (day: string): Deps => ({ ...base, clock: fixedClock(`${day}T10:00:00+08:00`) });
const run = (def: JobDefinition, day: string) =>
  runRecorded(def, { deps: on(day), jobId: "t", attempt: 0, signal: new AbortController().signal, data: {} });

// Handed in at the counter on 2025-09-01: the reply is due 20 working days later.
const { request } = await registerApplication(on("2025-09-01"), agency, staffActor(handler), {
  applicantType: "natural_person",
  name: "王五",
  idType: "resident_id",
  idNumber: "11010519491231002X",
  phone: "13812345678",
  email: "wang@example.com",
  address: "某市某路1号",
  postalCode: "010000",
  infoTitle: "2024年度低保资金发放情况",
  infoDocNumber: "",
  infoDescription: "",
  form: "electronic",
  delivery: "email",
  channel: "in_person",
  submittedOn: "2025-09-01",
});

describe("application jobs", () => {
  it("deadline reminders: none early, N working days before, on the day, once overdue", async () => {
    assert.equal(request.nextDueOn, "2025-09-28"); // a Sunday worked (调休) before 国庆
    assert.equal((await run(requestRemindersJob, "2025-09-02")).agencies?.[agency.id]?.notices, 0);
    // The default lead time is 3 working days: from 2025-09-24, 09-25, 09-26 and 09-28 are left.
    assert.equal((await run(requestRemindersJob, "2025-09-23")).agencies?.[agency.id]?.notices, 0);
    const dueSoon = await run(requestRemindersJob, "2025-09-24");
    assert.equal(dueSoon.agencies?.[agency.id]?.notices, 1);
    assert.equal((await run(requestRemindersJob, "2025-09-25")).agencies?.[agency.id]?.notices, 0, "once");
    assert.equal((await run(requestRemindersJob, "2025-09-28")).agencies?.[agency.id]?.notices, 1);
    assert.equal((await run(requestRemindersJob, "2025-11-20")).agencies?.[agency.id]?.notices, 1);
    const rows = await base.db
      .selectFrom("duty_notices")
      .select(["kind", "subject", "link"])
      .where("agency_id", "=", agency.id)
      .orderBy("created_at")
      .execute();
    assert.deepEqual(
      rows.map((r) => r.kind),
      ["request_due_soon", "request_due_today", "request_overdue"],
    );
    assert.match(rows[0]?.subject ?? "", /还剩3个工作日/);
    assert.match(rows[1]?.subject ?? "", /今日到期/);
    assert.ok(rows.every((r) => r.subject.includes(request.number) && r.link.endsWith(request.id)));
  });

  it("the purge job runs the retention purge and reports the count", async () => {
    const summary = await run(purgePersonalDataJob, "2025-09-02");
    assert.deepEqual(summary.totals, { purged: 0 });
  });
});
