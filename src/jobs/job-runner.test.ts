import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { sql } from "kysely";
import { createTestDeps } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import type { JobDefinition } from "./job.ts";
import { BOSS_SCHEMA, type JobRunner, startJobRunner } from "./job-runner.ts";
import { runsOf } from "./jobs.repository.ts";

// pg-boss on the test database (its own schema, created at start), short polling.
const { db, url } = await createTestDatabase();
const deps = await createTestDeps({ db });
const runners: JobRunner[] = [];
after(async () => {
  for (const r of runners) await r.stop().catch(() => {});
});

async function start(definitions: JobDefinition[], work = true): Promise<JobRunner> {
  const r = await startJobRunner({
    deps,
    connectionString: url,
    definitions,
    work,
    pollingIntervalSeconds: 0.5,
  });
  runners.push(r);
  return r;
}

async function until<T>(what: string, check: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function job(name: string, run: JobDefinition["run"], extra: Partial<JobDefinition> = {}): JobDefinition {
  return { name, title: name, description: name, cron: null, retryDelaySeconds: 1, ...extra, run };
}

describe("job runner (pg-boss)", () => {
  it("runs a queued job and records the run with its summary", async () => {
    let calls = 0;
    const r = await start([
      job("test.count", async () => {
        calls++;
        return { totals: { done: 1 } };
      }),
    ]);
    assert.ok(await r.enqueue("test.count"));
    const [run] = await until("a succeeded run", async () => {
      const runs = await runsOf(db, "test.count", 5);
      return runs[0]?.status === "succeeded" && runs;
    });
    assert.equal(calls, 1);
    assert.deepEqual(run?.summary, { totals: { done: 1 } });
    await r.stop();
  });

  it("retries a failed job with backoff and records both attempts", async () => {
    let calls = 0;
    const r = await start([
      job("test.flaky", async () => {
        calls++;
        if (calls === 1) throw new Error("first attempt fails");
        return { totals: { ok: 1 } };
      }),
    ]);
    await r.enqueue("test.flaky");
    const runs = await until("a retry that succeeds", async () => {
      const list = await runsOf(db, "test.flaky", 5);
      return list.some((x) => x.status === "succeeded") && list;
    });
    assert.deepEqual(runs.map((x) => [x.attempt, x.status, x.error]).reverse(), [
      [0, "failed", "first attempt fails"],
      [1, "succeeded", null],
    ]);
    await r.stop();
  });

  it("a job queued before a restart runs after it (the queue is in the database)", async () => {
    let ran = false;
    const def = job("test.durable", async () => {
      ran = true;
      return { totals: {} };
    });
    const producer = await start([def], false);
    await producer.enqueue("test.durable");
    await producer.stop();
    assert.equal(ran, false, "no worker yet");
    const worker = await start([def]);
    await until("the job to run in the new process", async () => ran);
    await worker.stop();
  });

  it("never runs the same job twice at once, even with two runners, and keeps one schedule", async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    // Runs block until the test opens the gate, so "one is running" holds however slow the machine is.
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const def = job(
      "test.slow",
      async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await gate;
        await new Promise((r) => setTimeout(r, 50));
        active--;
        runs++;
        return { totals: {} };
      },
      { cron: "0 4 * * *" },
    );
    const a = await start([def]);
    const b = await start([def]);
    assert.ok(await a.enqueue("test.slow"));
    await until("the first run to start", async () => active === 1);
    assert.ok(await b.enqueue("test.slow"), "one more may wait while one runs");
    assert.equal(await a.enqueue("test.slow"), null, "but only one may wait (stately queue)");
    open();
    await until("both runs", async () => runs === 2);
    assert.equal(maxActive, 1);
    const schedules = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM ${sql.id(BOSS_SCHEMA, "schedule")} WHERE name = 'test.slow'`.execute(db);
    assert.equal(schedules.rows[0]?.n, 1, "two runners, one schedule");
    assert.ok(a.nextRuns().get("test.slow") instanceof Date);
    // The handler's return is recorded as completion just after it returns: wait for the queue to settle.
    await until("the queue to settle", async () => (await a.depth())[0]?.active === 0);
    const depth = await a.depth();
    assert.deepEqual(depth, [{ name: "test.slow", queued: 0, active: 0, failed: 0 }]);
  });

  it("refuses bad or duplicate job names", async () => {
    const ok = job("test.ok", async () => ({ totals: {} }));
    await assert.rejects(start([ok, ok]), /defined twice/);
    await assert.rejects(start([job("Bad Name", async () => ({ totals: {} }))]), /must be/);
  });
});
