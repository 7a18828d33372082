import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { createTestDatabase } from "../../test/test-db.ts";
import {
  exportAuditCsv,
  listAuditEvents,
  neutralizeFormula,
  recordAudit,
  recordPersonalDataRead,
  verifyAuditChain,
} from "./audit.service.ts";

const base = {
  actorId: null,
  actorName: "测试",
  agencyId: null,
  entityType: "test",
  entityId: "1",
  summary: "测试事件",
};

describe("audit trail", async () => {
  const { db } = await createTestDatabase();

  it("appends events in the caller's transaction and rolls back with it", async () => {
    await db.transaction().execute(async (trx) => {
      await recordAudit(trx, { ...base, action: "test.commit", before: { b: 1, a: 2 }, after: { a: 3 } });
    });
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await recordAudit(trx, { ...base, action: "test.rollback" });
        throw new Error("abort");
      }),
    );
    const events = await listAuditEvents(db, { action: "test." });
    assert.deepEqual(
      events.map((e) => e.action),
      ["test.commit"],
    );
    assert.equal(events[0]?.before, '{"a":2,"b":1}', "snapshot keys are sorted");
    assert.equal((await verifyAuditChain(db)).ok, true);
  });

  it("concurrent transactions do not fork the chain", async () => {
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        db.transaction().execute(async (trx) => {
          await recordAudit(trx, { ...base, action: "test.concurrent", entityId: String(i) });
          await sql`SELECT pg_sleep(0.005)`.execute(trx);
        }),
      ),
    );
    const report = await verifyAuditChain(db);
    assert.equal(report.ok, true, JSON.stringify(report));
    const prevs = await db.selectFrom("audit_events").select("prev_hash").execute();
    assert.equal(
      new Set(prevs.map((p) => p.prev_hash)).size,
      prevs.length,
      "every row has its own predecessor",
    );
  });

  it("rejects UPDATE, DELETE of recent rows and TRUNCATE", async () => {
    await recordAudit(db, { ...base, action: "test.guard" });
    await assert.rejects(
      db.updateTable("audit_events").set({ summary: "改" }).where("action", "=", "test.guard").execute(),
      /append-only/,
    );
    await assert.rejects(db.deleteFrom("audit_events").where("action", "=", "test.guard").execute(), /180/);
    await assert.rejects(sql`TRUNCATE audit_events`.execute(db), /truncated/);
  });

  it("records reads of personal data", async () => {
    const agency = await db
      .selectFrom("agencies")
      .select("id")
      .executeTakeFirst()
      .then((r) => r?.id ?? null);
    await recordPersonalDataRead(db, {
      actorId: null,
      actorName: "经办人",
      agencyId: agency,
      entityType: "info_request",
      entityId: "r1",
      fields: ["姓名", "身份证号"],
      purpose: "办理申请",
    });
    const [event] = await listAuditEvents(db, { action: "personal_data.read" });
    assert.equal(event?.summary, "查看个人信息（姓名、身份证号）：办理申请");
  });

  it("exports CSV with a BOM, a header and formula injection neutralised", async () => {
    await recordAudit(db, { ...base, action: "test.csv", summary: '=HYPERLINK("http://x")' });
    const csv = await exportAuditCsv(db, { action: "test.csv" });
    assert.ok(csv.startsWith("\uFEFF序号,"));
    assert.match(csv, /'=HYPERLINK/);
    assert.equal(neutralizeFormula("+1"), "'+1");
    assert.equal(neutralizeFormula("正常"), "正常");
  });

  it("verify names the first row edited directly in the database", async () => {
    const rows = await db.selectFrom("audit_events").select("seq").orderBy("seq").execute();
    const target = rows[2]?.seq as number;
    await sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update`.execute(db);
    await sql`UPDATE audit_events SET summary = 'tampered' WHERE seq = ${target}`.execute(db);
    await sql`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update`.execute(db);
    const report = await verifyAuditChain(db, 3);
    assert.equal(report.ok, false);
    assert.deepEqual(report.firstBroken, { seq: Number(target), problem: "hash_mismatch" });
  });

  it("verify detects a deleted row by the broken link of the next one", async () => {
    const { db: fresh } = await createTestDatabase();
    for (let i = 0; i < 4; i++)
      await recordAudit(fresh, { ...base, action: "test.del", entityId: String(i) });
    const rows = await fresh.selectFrom("audit_events").select("seq").orderBy("seq").execute();
    await sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_retention`.execute(fresh);
    await sql`DELETE FROM audit_events WHERE seq = ${rows[1]?.seq}`.execute(fresh);
    const report = await verifyAuditChain(fresh);
    assert.deepEqual(report.firstBroken, { seq: Number(rows[2]?.seq), problem: "broken_link" });
  });
});
