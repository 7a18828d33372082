import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createTestDeps } from "../../test/test-app.ts";
import { getAgencyBySlug, seedDemoAgencies } from "../agencies/agency.service.ts";
import { DEMO_AGENCIES } from "../agencies/demo-agencies.ts";
import { fixedClock } from "../shared/clock.ts";
import { annualRequestStats } from "./request-stats.read.ts";
import { seedDemoRequests } from "./requests.seed.ts";

const deps = await createTestDeps({ clock: fixedClock("2026-11-23T09:00:00+08:00") });
await seedDemoAgencies(deps.db);

describe("demo applications", () => {
  it("seeds every demo agency through the services, idempotently", async () => {
    const first = await seedDemoRequests(deps);
    assert.deepEqual(Object.keys(first.created).sort(), DEMO_AGENCIES.map((a) => a.slug).sort());
    for (const n of Object.values(first.created)) assert.equal(n, 17);
    const second = await seedDemoRequests(deps);
    assert.deepEqual(second.created, {});
    assert.equal(second.skipped.length, DEMO_AGENCIES.length);
  });

  it("gives the 2025 annual report numbers that add up", async () => {
    const agency = await getAgencyBySlug(deps.db, DEMO_AGENCIES[0]!.slug);
    const s = await annualRequestStats(deps.db, agency.id, 2025);
    const t = s.applications;
    assert.ok(t.received.total > 5, `received ${t.received.total}`);
    assert.ok(t.concluded_total.total > 5);
    for (const col of Object.keys(t.received) as (keyof typeof t.received)[]) {
      assert.equal(
        t.received[col] + t.carried_over[col],
        t.concluded_total[col] + t.carried_forward[col],
        col,
      );
    }
    assert.ok(t.other_not_corrected.total + t.other_fee_unpaid.total >= 1);
    assert.equal(s.reviewLitigation.review.total, 1);
    assert.ok(s.processingFees.notices >= 1);
    const states = await deps.db
      .selectFrom("info_requests")
      .select("status")
      .distinct()
      .where("agency_id", "=", agency.id)
      .execute();
    const set = new Set(states.map((x) => x.status));
    for (const st of ["awaiting_confirmation", "correction", "processing", "concluded", "archived"])
      assert.ok(set.has(st as never), st);
  });

  it("without an encryption key seeds nothing and says why", async () => {
    const noKey = await createTestDeps({
      clock: fixedClock("2026-11-23"),
      config: { encryptionKey: undefined },
    });
    const r = await seedDemoRequests(noKey);
    assert.deepEqual(r.created, {});
    assert.match(r.note ?? "", /GONGKAI_ENCRYPTION_KEY/);
  });
});
