import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createAgency } from "../../test/factories.ts";
import { createTestDeps } from "../../test/test-app.ts";
import type { Deps } from "../deps.ts";
import { runRecorded } from "../jobs/job-runner.ts";
import { fixedClock } from "../shared/clock.ts";
import { reminderPhase, reportRemindersJob } from "./report.jobs.ts";

const base = await createTestDeps();
const agency = await createAgency(base.db, { name: "测试县审计局" });
const on = (day: string): Deps => ({ ...base, clock: fixedClock(`${day}T10:00:00+08:00`) });
const run = (day: string) =>
  runRecorded(reportRemindersJob, {
    deps: on(day),
    jobId: "t",
    attempt: 0,
    signal: new AbortController().signal,
    data: {},
  });

describe("annual-report reminders job", () => {
  it("phases: January, the last week, overdue", () => {
    assert.equal(reminderPhase("2026-01-02", "2026-01-31", false), "open");
    assert.equal(reminderPhase("2026-01-24", "2026-01-31", false), "week");
    assert.equal(reminderPhase("2026-02-01", "2026-01-31", true), "overdue");
  });

  it("reminds an agency without its 2025 report once per phase", async () => {
    const first = await run("2026-01-05");
    assert.equal(first.agencies?.[agency.id]?.notices, 1);
    assert.equal((await run("2026-01-06")).agencies?.[agency.id]?.notices, 0, "same phase: no new notice");
    assert.equal((await run("2026-01-26")).agencies?.[agency.id]?.notices, 1, "last week");
    assert.equal((await run("2026-02-02")).agencies?.[agency.id]?.notices, 1, "overdue");
    const subjects = await base.db
      .selectFrom("duty_notices")
      .select(["kind", "subject"])
      .where("agency_id", "=", agency.id)
      .orderBy("created_at")
      .execute();
    assert.deepEqual(
      subjects.map((s) => s.kind),
      ["report_due", "report_due", "report_overdue"],
    );
    assert.match(subjects[0]!.subject, /2025年度报告尚未发布/);
  });
});
