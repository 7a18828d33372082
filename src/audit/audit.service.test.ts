import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { createTestDatabase } from "../../test/test-db.ts";
import type { Db } from "../db/database.ts";
import { auditKeyFrom, canonicalize, chainHash, headMac } from "./audit.rules.ts";
import {
  createAuditWriter,
  exportAuditCsv,
  listAuditEvents,
  neutralizeFormula,
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

const SECRET = "audit-test-secret-audit-test-secret-0123";
/** The writer of this file's deployment (what createDeps builds from a configuration with this secret). */
const audit = createAuditWriter(auditKeyFrom({ secret: SECRET }));
const { key: KEY } = audit;

/** What an attacker with database access but without the key can do: edit, re-hash with plain SHA-256. */
async function rows(db: Db) {
  return db.selectFrom("audit_events").selectAll().orderBy("seq").execute();
}
function fieldsOf(r: Awaited<ReturnType<typeof rows>>[number]) {
  return {
    seq: Number(r.seq),
    occurredAt: r.occurred_at,
    actorId: r.actor_id,
    actorName: r.actor_name,
    action: r.action,
    agencyId: r.scope_agency_id,
    entityType: r.entity_type,
    entityId: r.entity_id,
    summary: r.summary,
    beforeJson: r.before_json,
    afterJson: r.after_json,
    ip: r.ip,
    prevHash: r.prev_hash,
  };
}
async function freshChain(n: number): Promise<Db> {
  const { db } = await createTestDatabase();
  for (let i = 0; i < n; i++) await audit.record(db, { ...base, action: "test.keyed", entityId: String(i) });
  return db;
}
/** Runs statements with the append-only triggers off, as a database superuser could. */
async function asOwner(db: Db, fn: (trx: Db) => Promise<unknown>) {
  await db.transaction().execute(async (trx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    await fn(trx as unknown as Db);
  });
}

describe("audit trail", async () => {
  const { db } = await createTestDatabase();

  it("appends events in the caller's transaction and rolls back with it", async () => {
    await db.transaction().execute(async (trx) => {
      await audit.record(trx, { ...base, action: "test.commit", before: { b: 1, a: 2 }, after: { a: 3 } });
    });
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await audit.record(trx, { ...base, action: "test.rollback" });
        throw new Error("abort");
      }),
    );
    const events = await listAuditEvents(db, { action: "test." });
    assert.deepEqual(
      events.map((e) => e.action),
      ["test.commit"],
    );
    assert.equal(events[0]?.before, '{"a":2,"b":1}', "snapshot keys are sorted");
    assert.equal((await verifyAuditChain(db, { key: KEY })).ok, true);
  });

  it("concurrent transactions do not fork the chain", async () => {
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        db.transaction().execute(async (trx) => {
          await audit.record(trx, { ...base, action: "test.concurrent", entityId: String(i) });
          await sql`SELECT pg_sleep(0.005)`.execute(trx);
        }),
      ),
    );
    const report = await verifyAuditChain(db, { key: KEY });
    assert.equal(report.ok, true, JSON.stringify(report));
    const prevs = await db.selectFrom("audit_events").select("prev_hash").execute();
    assert.equal(
      new Set(prevs.map((p) => p.prev_hash)).size,
      prevs.length,
      "every row has its own predecessor",
    );
  });

  it("rejects UPDATE, DELETE of recent rows and TRUNCATE", async () => {
    await audit.record(db, { ...base, action: "test.guard" });
    await assert.rejects(
      db.updateTable("audit_events").set({ summary: "改" }).where("action", "=", "test.guard").execute(),
      /append-only/,
    );
    await assert.rejects(db.deleteFrom("audit_events").where("action", "=", "test.guard").execute(), /180/);
    await assert.rejects(sql`TRUNCATE audit_events`.execute(db), /truncated/);
    await assert.rejects(db.deleteFrom("audit_chain_head").execute(), /链头/);
  });

  it("records reads of personal data", async () => {
    const agency = await db
      .selectFrom("agencies")
      .select("id")
      .executeTakeFirst()
      .then((r) => r?.id ?? null);
    await audit.personalDataRead(db, {
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
    await audit.record(db, { ...base, action: "test.csv", summary: '=HYPERLINK("http://x")' });
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
    const report = await verifyAuditChain(db, { key: KEY, pageSize: 3 });
    assert.equal(report.ok, false);
    assert.deepEqual(report.firstBroken, { seq: Number(target), problem: "hash_mismatch" });
  });

  it("verify detects a deleted row by the broken link of the next one", async () => {
    const { db: fresh } = await createTestDatabase();
    for (let i = 0; i < 4; i++)
      await audit.record(fresh, { ...base, action: "test.del", entityId: String(i) });
    const rows = await fresh.selectFrom("audit_events").select("seq").orderBy("seq").execute();
    await sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_retention`.execute(fresh);
    await sql`DELETE FROM audit_events WHERE seq = ${rows[1]?.seq}`.execute(fresh);
    const report = await verifyAuditChain(fresh, { key: KEY });
    assert.deepEqual(report.firstBroken, { seq: Number(rows[2]?.seq), problem: "broken_link" });
  });
});

describe("keyed audit chain (HMAC-SHA-256, key from configuration)", () => {
  const key = KEY as Buffer;

  it("writes keyed rows and a chain head with its own MAC", async () => {
    const db = await freshChain(3);
    const all = await rows(db);
    assert.deepEqual(
      all.map((r) => r.hash_alg),
      ["hmac-sha256", "hmac-sha256", "hmac-sha256"],
    );
    const last = all[2] as (typeof all)[number];
    assert.equal(last.hash, chainHash(fieldsOf(last), "hmac-sha256", key));
    assert.notEqual(last.hash, chainHash(fieldsOf(last), "sha256"), "not the unkeyed hash");
    const head = await db.selectFrom("audit_chain_head").selectAll().executeTakeFirstOrThrow();
    assert.equal(Number(head.last_seq), Number(last.seq));
    assert.equal(head.last_hash, last.hash);
    assert.equal(head.head_mac, headMac(key, Number(last.seq), last.hash));
    const report = await verifyAuditChain(db, { key });
    assert.deepEqual(
      { ok: report.ok, checked: report.checked, unkeyedRows: report.unkeyedRows, head: report.head },
      { ok: true, checked: 3, unkeyedRows: 0, head: "ok" },
    );
  });

  it("verification with the wrong key, or without a key, fails", async () => {
    const db = await freshChain(2);
    const first = Number((await rows(db))[0]?.seq);
    const wrong = auditKeyFrom({ secret: "another-secret-another-secret-0123456" });
    assert.deepEqual((await verifyAuditChain(db, { key: wrong })).firstBroken, {
      seq: first,
      problem: "hash_mismatch",
    });
    assert.deepEqual((await verifyAuditChain(db, { key: undefined })).firstBroken, {
      seq: first,
      problem: "key_missing",
    });
  });

  it("detects a row rewritten and re-hashed with plain SHA-256 by someone without the key", async () => {
    for (const claimedAlg of ["hmac-sha256", "sha256"] as const) {
      const db = await freshChain(4);
      const target = (await rows(db))[1] as Awaited<ReturnType<typeof rows>>[number];
      const forged = { ...fieldsOf(target), summary: "篡改后的摘要" };
      await asOwner(db, (trx) =>
        sql`UPDATE audit_events SET summary = ${forged.summary}, hash = ${chainHash(forged, "sha256")},
              hash_alg = ${claimedAlg} WHERE seq = ${target.seq}`.execute(trx),
      );
      const report = await verifyAuditChain(db, { key });
      assert.equal(report.ok, false);
      assert.deepEqual(report.firstBroken, {
        seq: Number(target.seq),
        problem: claimedAlg === "sha256" ? "unkeyed_after_keyed" : "hash_mismatch",
      });
    }
  });

  it("detects deletion of the newest rows through the chain head", async () => {
    const db = await freshChain(4);
    const all = await rows(db);
    const newest = all[3] as (typeof all)[number];
    const previous = all[2] as (typeof all)[number];
    await asOwner(db, (trx) => sql`DELETE FROM audit_events WHERE seq = ${newest.seq}`.execute(trx));
    const report = await verifyAuditChain(db, { key });
    assert.deepEqual(
      { ok: report.ok, head: report.head, checked: report.checked },
      {
        ok: false,
        head: "mismatch",
        checked: 3,
      },
    );
    // Moving the head back without the key: an unauthenticated head over a keyed row, or a guessed MAC.
    for (const mac of [null, chainHash(fieldsOf(previous), "sha256")]) {
      await asOwner(db, (trx) =>
        sql`UPDATE audit_chain_head SET last_seq = ${previous.seq}, last_hash = ${previous.hash},
              head_mac = ${mac}`.execute(trx),
      );
      assert.equal((await verifyAuditChain(db, { key })).head, "mismatch");
    }
    // With the key the head would be valid again: the key is what protects it.
    await asOwner(db, (trx) =>
      sql`UPDATE audit_chain_head SET head_mac = ${headMac(key, Number(previous.seq), previous.hash)}`.execute(
        trx,
      ),
    );
    assert.equal((await verifyAuditChain(db, { key })).ok, true);
  });

  it("accepts unkeyed rows from before the upgrade only as a prefix, and counts them", async () => {
    const { db } = await createTestDatabase();
    // A deployment from before the keyed chain: its writer had no key.
    const unkeyed = createAuditWriter(undefined);
    await unkeyed.record(db, { ...base, action: "test.legacy" });
    await unkeyed.record(db, { ...base, action: "test.legacy" });
    const legacy = await verifyAuditChain(db, { key });
    assert.deepEqual(
      { ok: legacy.ok, unkeyedRows: legacy.unkeyedRows, head: legacy.head },
      {
        ok: true,
        unkeyedRows: 2,
        head: "ok",
      },
    );
    await audit.record(db, { ...base, action: "test.after_upgrade" });
    const upgraded = await verifyAuditChain(db, { key });
    assert.deepEqual(
      { ok: upgraded.ok, checked: upgraded.checked, unkeyedRows: upgraded.unkeyedRows },
      {
        ok: true,
        checked: 3,
        unkeyedRows: 2,
      },
    );
    // Editing a legacy row and re-hashing the unkeyed prefix breaks the first keyed row's (HMAC-covered) link.
    const all = await rows(db);
    const l0 = all[0] as (typeof all)[number];
    const l1 = all[1] as (typeof all)[number];
    const f0 = { ...fieldsOf(l0), summary: "改" };
    const h0 = chainHash(f0, "sha256");
    const f1 = { ...fieldsOf(l1), prevHash: h0 };
    const h1 = chainHash(f1, "sha256");
    await asOwner(db, async (trx) => {
      await sql`UPDATE audit_events SET summary = '改', hash = ${h0} WHERE seq = ${l0.seq}`.execute(trx);
      await sql`UPDATE audit_events SET prev_hash = ${h0}, hash = ${h1} WHERE seq = ${l1.seq}`.execute(trx);
    });
    assert.deepEqual((await verifyAuditChain(db, { key })).firstBroken, {
      seq: Number(all[2]?.seq),
      problem: "broken_link",
    });
    assert.ok(canonicalize(f0).includes("gongkai-audit-v1"));
  });
});
