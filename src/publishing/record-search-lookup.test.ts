/**
 * Titles similar to a query that found nothing (record-search-lookup.read.ts similarPublishedTitles): found by
 * pg_trgm, and with a time bound given up (none) when the look-up takes longer, the caller's transaction going on
 * with its own settings. The bound is made to fire by a lock another connection holds on records (the look-up
 * waits for it), not by timing.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { sql } from "kysely";
import { createAgency } from "../../test/factories.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { createKysely } from "../db/connection.ts";
import { bulkTestRecord } from "./publishing.fixtures.ts";
import { bulkLoadPublishedRecords } from "./record-bulk.ts";
import { similarPublishedTitles } from "./record-search-lookup.read.ts";

describe("similar titles", async () => {
  const { db, url } = await createTestDatabase();

  before(async () => {
    const agency = await createAgency(db);
    await bulkLoadPublishedRecords(
      db,
      [
        ["关于局领导分工调整的通知", "关于印发就业补贴办法的通知", "古树名木保护名录"].map((title, i) =>
          bulkTestRecord(agency.id, { indexNo: `SIM/${i + 1}`, title, bodyText: "正文。" }),
        ),
      ],
      { lanes: 1 },
    );
  });

  it("finds titles similar to a mistyped query, bounded or not", async () => {
    for (const bound of [undefined, 5_000]) {
      const found = await similarPublishedTitles(db, "局领导分工调正的通知", undefined, 5, bound);
      assert.deepEqual(
        found.map((s) => s.title),
        ["关于局领导分工调整的通知"],
      );
    }
  });

  it("past the bound: none, and the caller's transaction goes on with its own statement timeout", async () => {
    const other = createKysely(url, 1);
    try {
      await other.transaction().execute(async (locker) => {
        await sql`LOCK TABLE records IN ACCESS EXCLUSIVE MODE`.execute(locker);
        await db.transaction().execute(async (trx) => {
          await sql`SELECT set_config('statement_timeout', '4000', true)`.execute(trx);
          const started = performance.now();
          assert.deepEqual(await similarPublishedTitles(trx, "局领导分工调正的通知", undefined, 5, 50), []);
          assert.ok(performance.now() - started < 2_000);
          const { rows } = await sql<{ t: string }>`SELECT current_setting('statement_timeout') AS t`.execute(
            trx,
          );
          assert.equal(rows[0]?.t, "4s");
        });
      });
    } finally {
      await other.destroy();
    }
    // Without a bound the look-up waits for the lock like any query (here: none held any more).
    assert.equal((await similarPublishedTitles(db, "局领导分工调正的通知", undefined)).length, 1);
  });
});
