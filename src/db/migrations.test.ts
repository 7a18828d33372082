import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { createTestDatabase } from "../../test/test-db.ts";
import { migrateDown, migrateToLatest, migrationStatus } from "./migrator.ts";

describe("migrations", () => {
  it("are applied to the template and can all be rolled back and re-applied", async () => {
    const { db } = await createTestDatabase();
    const before = await migrationStatus(db);
    assert.ok(before.length > 0);
    assert.ok(
      before.every((m) => m.executedAt !== null),
      "template is fully migrated",
    );
    for (let i = 0; i < before.length; i++) await migrateDown(db);
    const tables = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM information_schema.tables
      WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_%'`.execute(db);
    assert.equal(tables.rows[0]?.n, 0, "down migrations remove every table");
    const report = await migrateToLatest(db);
    assert.equal(report.applied.length, before.length);
  });

  it("migration names are timestamped and ordered", async () => {
    const { db } = await createTestDatabase();
    const names = (await migrationStatus(db)).map((m) => m.name);
    for (const n of names) assert.match(n, /^\d{4}-\d{2}-\d{2}T\d{4}-[a-z0-9-]+$/);
    assert.deepEqual([...names].sort(), names);
  });

  it("tenant tables lead their primary key and every foreign key to tenant tables with agency_id", async () => {
    const { db } = await createTestDatabase();
    const tenantTables = (
      await sql<{ table_name: string }>`
        SELECT table_name FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name = 'agency_id'`.execute(db)
    ).rows.map((r) => r.table_name);
    assert.ok(tenantTables.includes("departments"));
    const keys = await sql<{
      table_name: string;
      constraint_type: string;
      columns: string[];
      ref_table: string | null;
    }>`
      SELECT tc.table_name, tc.constraint_type,
             array_agg(kcu.column_name::text ORDER BY kcu.ordinal_position) AS columns,
             max(ccu.table_name) AS ref_table
      FROM information_schema.table_constraints tc
      JOIN information_schema.key_column_usage kcu
        ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
      LEFT JOIN information_schema.constraint_column_usage ccu
        ON ccu.constraint_name = tc.constraint_name AND tc.constraint_type = 'FOREIGN KEY'
      WHERE tc.table_schema = 'public' AND tc.constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')
      GROUP BY tc.table_name, tc.constraint_name, tc.constraint_type`.execute(db);
    for (const table of tenantTables) {
      const pk = keys.rows.find((k) => k.table_name === table && k.constraint_type === "PRIMARY KEY");
      assert.ok(pk, `${table} has a primary key`);
      assert.equal(
        pk.columns[0],
        "agency_id",
        `${table}: primary key must start with agency_id (${pk.columns})`,
      );
      for (const fk of keys.rows.filter(
        (k) => k.table_name === table && k.constraint_type === "FOREIGN KEY",
      )) {
        if (fk.ref_table && tenantTables.includes(fk.ref_table)) {
          assert.ok(
            fk.columns.includes("agency_id"),
            `${table} → ${fk.ref_table}: foreign key must include agency_id`,
          );
        }
      }
    }
  });
});
