/**
 * A record found by its id alone (the open-data API's GET /api/v1/records/:id looks up the agency this way) uses an
 * index on id (migration 2026-12-04T1700), not the primary key (agency_id, id): PostgreSQL 15 cannot skip-scan that
 * and read every entry of it at 1,000,000 records.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { createAgency } from "../../test/factories.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { bulkTestRecord } from "./publishing.fixtures.ts";
import { type BulkRecord, bulkLoadPublishedRecords } from "./record-bulk.ts";
import { findPublishedRecordAgencyId } from "./record-page.read.ts";

describe("record look-up by id alone", async () => {
  const { db } = await createTestDatabase();

  it("finds the agency of a published record through records_id_idx", async () => {
    const agencies = await Promise.all(Array.from({ length: 20 }, () => createAgency(db)));
    const records: BulkRecord[] = agencies.flatMap((agency, a) =>
      Array.from({ length: 100 }, (_, i) =>
        bulkTestRecord(agency.id, {
          indexNo: `ID/${a}-${String(i + 1).padStart(5, "0")}`,
          title: `第${i + 1}号通知`,
          bodyText: "按编号查找的文件。",
        }),
      ),
    );
    await bulkLoadPublishedRecords(db, [records], { lanes: 1 });
    await sql`ANALYZE records`.execute(db);
    const wanted = records[1234] as BulkRecord;
    const id = wanted.id as string;
    assert.equal(await findPublishedRecordAgencyId(db, id), wanted.agencyId);
    assert.equal(await findPublishedRecordAgencyId(db, crypto.randomUUID()), undefined);
    const { rows } = await sql<{ "QUERY PLAN": string }>`EXPLAIN SELECT agency_id FROM records
      WHERE id = ${id}::uuid AND status = 'published'`.execute(db);
    const plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
    assert.match(plan, /records_id_idx/, plan);
  });
});
