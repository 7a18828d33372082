import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { signIn } from "../../test/auth.ts";
import { createAgency, createUser } from "../../test/factories.ts";
import { createTestDeps } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { buildApp } from "../app.ts";
import { featureJobs } from "../app-jobs.ts";
import { startJobRunner } from "./job-runner.ts";
import { finishRun, insertRun } from "./jobs.repository.ts";

describe("/admin/jobs", async () => {
  const { db, url } = await createTestDatabase();
  const deps = await createTestDeps({ db });
  const app = await buildApp(deps);
  after(() => app.close());
  const admin = await createUser(db, { roles: ["platform_admin"] });
  const agency = await createAgency(db);
  const other = await createAgency(db);
  const agencyAdmin = await createUser(db, { roles: ["agency_admin"], agencyId: agency.id });
  const editor = await createUser(db, { roles: ["editor"], agencyId: agency.id });
  // One finished run with figures for two agencies, one failure.
  const runId = await insertRun(db, {
    job: "publishing.link-check",
    boss_id: "x",
    attempt: 0,
    started_at: new Date(),
  });
  await finishRun(db, runId, {
    finished_at: new Date(),
    status: "succeeded",
    summary: {
      totals: { broken: 7 },
      agencies: { [agency.id]: { broken: 2 }, [other.id]: { broken: 5 } },
    },
    error: null,
  });
  const failed = await insertRun(db, {
    job: "requests.purge-personal-data",
    boss_id: "y",
    attempt: 1,
    started_at: new Date(),
  });
  await finishRun(db, failed, {
    finished_at: new Date(),
    status: "failed",
    summary: null,
    error: "连接中断 boom",
  });

  it("platform administrators see every job, totals, failures with their errors", async () => {
    const s = await signIn(app, admin);
    const res = await app.inject({ url: "/admin/jobs", headers: s.headers });
    assert.equal(res.statusCode, 200);
    for (const def of featureJobs()) assert.ok(res.body.includes(def.title), def.name);
    assert.match(res.body, /失效链接 7/);
    assert.match(res.body, /连接中断 boom/);
    assert.match(res.body, /每天 03:00/);
    assert.match(res.body, /立即运行/);
  });

  it("agency administrators see their agency's figures only, no errors, no run button", async () => {
    const s = await signIn(app, agencyAdmin);
    const res = await app.inject({ url: "/admin/jobs", headers: s.headers });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /失效链接 2/);
    assert.doesNotMatch(res.body, /失效链接 7|失效链接 5|boom|立即运行/);
    const post = await app.inject({
      method: "POST",
      url: "/admin/jobs/publishing.link-check/run",
      headers: s.headers,
    });
    assert.equal(post.statusCode, 403);
  });

  it("other roles may not see the page", async () => {
    const s = await signIn(app, editor);
    assert.equal((await app.inject({ url: "/admin/jobs", headers: s.headers })).statusCode, 403);
  });

  it("run now: 503 without a runner; queued (and audited) with one; unknown jobs 404", async () => {
    const s = await signIn(app, admin);
    const runUrl = "/admin/jobs/requests.purge-personal-data/run";
    assert.equal((await app.inject({ method: "POST", url: runUrl, headers: s.headers })).statusCode, 503);
    const runner = await startJobRunner({
      deps,
      connectionString: url,
      definitions: featureJobs(),
      work: false,
    });
    after(() => runner.stop());
    deps.jobs = runner;
    const first = await app.inject({ method: "POST", url: runUrl, headers: s.headers });
    assert.equal(first.statusCode, 303);
    assert.equal(first.headers.location, "/admin/jobs?done=queued");
    const second = await app.inject({ method: "POST", url: runUrl, headers: s.headers });
    assert.equal(second.headers.location, "/admin/jobs?done=already_queued");
    const page = await app.inject({ url: "/admin/jobs", headers: s.headers });
    assert.match(page.body, /等待 1，运行 0/);
    const missing = await app.inject({ method: "POST", url: "/admin/jobs/nope/run", headers: s.headers });
    assert.equal(missing.statusCode, 404);
    const audit = await db
      .selectFrom("audit_events")
      .select("summary")
      .where("action", "=", "job.run")
      .execute();
    assert.equal(audit.length, 2);
  });
});
