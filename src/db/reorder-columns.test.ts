import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Kysely, sql } from "kysely";
import { createTestDatabase } from "../../test/test-db.ts";
import type { Db } from "./database.ts";
import { HOT_COLUMNS, reorderColumns } from "./migrations/2026-12-05T1500-records-hot-columns-first.ts";

const raw = (db: Db) => db as unknown as Kysely<unknown>;

async function columnOrder(db: Db, table: string): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    SELECT attname AS name FROM pg_attribute
    WHERE attrelid = ${table}::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`.execute(db);
  return rows.map((r) => r.name);
}

/** Everything reorderColumns must keep, as sorted text: definitions of columns, indexes, constraints, triggers. */
async function shape(db: Db, table: string): Promise<Record<string, string[]>> {
  const q = async (query: ReturnType<typeof sql<{ d: string }>>) =>
    (await query.execute(db)).rows.map((r) => r.d).sort();
  return {
    columns: await q(sql<{ d: string }>`
      SELECT concat_ws(' ', a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attstorage,
                       a.attstattarget, pg_get_expr(d.adbin, d.adrelid)) AS d
      FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = ${table}::regclass AND a.attnum > 0 AND NOT a.attisdropped`),
    indexes: await q(sql<{ d: string }>`
      SELECT pg_get_indexdef(indexrelid) AS d FROM pg_index WHERE indrelid = ${table}::regclass`),
    constraints: await q(sql<{ d: string }>`
      SELECT concat_ws(' ', conname, conrelid::regclass::text, pg_get_constraintdef(oid)) AS d FROM pg_constraint
      WHERE (conrelid = ${table}::regclass OR confrelid = ${table}::regclass) AND contype <> 'n'`),
    triggers: await q(sql<{ d: string }>`
      SELECT concat_ws(' ', pg_get_triggerdef(oid), tgenabled) AS d FROM pg_trigger
      WHERE tgrelid = ${table}::regclass AND NOT tgisinternal`),
    options: await q(sql<{ d: string }>`
      SELECT coalesce(array_to_string(reloptions, ','), '') AS d FROM pg_class WHERE oid = ${table}::regclass`),
  };
}

describe("reorderColumns (migration 2026-12-05T1500)", () => {
  it("puts the leading columns first and keeps rows, definitions, indexes, constraints, triggers and options", async () => {
    const { db } = await createTestDatabase();
    await sql`CREATE TABLE ro_parent (
      tenant uuid NOT NULL, id uuid NOT NULL DEFAULT gen_random_uuid(), code text, body text NOT NULL DEFAULT '',
      hot text, n int CHECK (n >= 0), parent_id uuid,
      PRIMARY KEY (tenant, id), FOREIGN KEY (tenant, parent_id) REFERENCES ro_parent (tenant, id))`.execute(
      db,
    );
    await sql`CREATE UNIQUE INDEX ro_parent_code ON ro_parent (tenant, code) WHERE code IS NOT NULL`.execute(
      db,
    );
    await sql`CREATE INDEX ro_parent_hot ON ro_parent (lower(hot)) WHERE n > 0`.execute(db);
    await sql`ALTER TABLE ro_parent ALTER COLUMN hot SET STORAGE MAIN, ALTER COLUMN body SET STATISTICS 50,
      SET (toast_tuple_target = 4000)`.execute(db);
    await sql`CREATE TABLE ro_child (tenant uuid NOT NULL, id int NOT NULL, parent uuid NOT NULL,
      PRIMARY KEY (tenant, id), FOREIGN KEY (tenant, parent) REFERENCES ro_parent (tenant, id) ON DELETE CASCADE)`.execute(
      db,
    );
    await sql`CREATE FUNCTION ro_upper() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN NEW.hot := upper(NEW.hot); RETURN NEW; END $$`.execute(db);
    await sql`CREATE TRIGGER ro_upper BEFORE INSERT OR UPDATE ON ro_parent FOR EACH ROW EXECUTE FUNCTION ro_upper()`.execute(
      db,
    );
    await sql`CREATE TRIGGER ro_off BEFORE DELETE ON ro_parent FOR EACH ROW EXECUTE FUNCTION ro_upper()`.execute(
      db,
    );
    await sql`ALTER TABLE ro_parent DISABLE TRIGGER ro_off`.execute(db);
    const t = "00000000-0000-4000-8000-000000000001";
    await sql`INSERT INTO ro_parent (tenant, id, code, body, hot, n) VALUES
      (${t}, '00000000-0000-4000-8000-0000000000a1', 'A', 'body a', 'x', 1),
      (${t}, '00000000-0000-4000-8000-0000000000a2', NULL, '', 'y', NULL)`.execute(db);
    await sql`UPDATE ro_parent SET parent_id = '00000000-0000-4000-8000-0000000000a1'
      WHERE id = '00000000-0000-4000-8000-0000000000a2'`.execute(db);
    await sql`INSERT INTO ro_child VALUES (${t}, 1, '00000000-0000-4000-8000-0000000000a2')`.execute(db);
    const before = await shape(db, "ro_parent");
    const rowsBefore = await sql`SELECT * FROM ro_parent ORDER BY id`.execute(db);

    await db.transaction().execute((tx) => reorderColumns(raw(tx as Db), "ro_parent", ["hot", "id"]));

    assert.deepEqual(await columnOrder(db, "ro_parent"), [
      "hot",
      "id",
      "tenant",
      "code",
      "body",
      "n",
      "parent_id",
    ]);
    assert.deepEqual(await shape(db, "ro_parent"), before);
    const rowsAfter = await sql`SELECT * FROM ro_parent ORDER BY id`.execute(db);
    assert.deepEqual(rowsAfter.rows, rowsBefore.rows);
    // The constraints hold: the partial unique index, the check, both foreign keys; the trigger runs.
    await assert.rejects(
      sql`INSERT INTO ro_parent (tenant, code) VALUES (${t}, 'A')`.execute(db),
      /ro_parent_code/,
    );
    await assert.rejects(sql`INSERT INTO ro_parent (tenant, n) VALUES (${t}, -1)`.execute(db), /check/);
    await assert.rejects(
      sql`INSERT INTO ro_child VALUES (${t}, 2, '00000000-0000-4000-8000-0000000000ff')`.execute(db),
      /foreign key/,
    );
    await assert.rejects(
      sql`UPDATE ro_parent SET parent_id = '00000000-0000-4000-8000-0000000000ff'`.execute(db),
      /foreign key/,
    );
    const inserted = await sql<{ hot: string; id: string }>`
      INSERT INTO ro_parent (tenant, hot) VALUES (${t}, 'z') RETURNING hot, id`.execute(db);
    assert.equal(inserted.rows[0]?.hot, "Z");
    assert.match(inserted.rows[0]?.id ?? "", /^[0-9a-f-]{36}$/);
    await sql`DELETE FROM ro_parent WHERE id = '00000000-0000-4000-8000-0000000000a2'`.execute(db);
    const children = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ro_child`.execute(db);
    assert.equal(children.rows[0]?.n, 0, "ON DELETE CASCADE kept");
  });

  it("refuses a table it would lose something of, and a leading column that does not exist", async () => {
    const { db } = await createTestDatabase();
    await sql`CREATE TABLE ro_viewed (id int PRIMARY KEY, a text)`.execute(db);
    await sql`CREATE VIEW ro_view AS SELECT a FROM ro_viewed`.execute(db);
    await assert.rejects(
      db.transaction().execute((tx) => reorderColumns(raw(tx as Db), "ro_viewed", ["a"])),
      /a view/,
    );
    await sql`CREATE TABLE ro_serial (id serial PRIMARY KEY, a text)`.execute(db);
    await assert.rejects(
      db.transaction().execute((tx) => reorderColumns(raw(tx as Db), "ro_serial", ["a"])),
      /owned sequence/,
    );
    await sql`CREATE TABLE ro_plain (id int PRIMARY KEY, a text)`.execute(db);
    await assert.rejects(
      db.transaction().execute((tx) => reorderColumns(raw(tx as Db), "ro_plain", ["b"])),
      /no column b/,
    );
    assert.deepEqual(await columnOrder(db, "ro_viewed"), ["id", "a"]);
  });

  it("the migrated records table leads with the columns a search reads of every candidate", async () => {
    const { db } = await createTestDatabase();
    const order = await columnOrder(db, "records");
    assert.deepEqual(order.slice(0, HOT_COLUMNS.length), [...HOT_COLUMNS]);
    assert.ok(order.includes("body_text") && order.includes("search_grams"));
    const { rows } = await sql<{ storage: string }>`
      SELECT attstorage AS storage FROM pg_attribute WHERE attrelid = 'records'::regclass AND attname = 'search_text'`.execute(
      db,
    );
    assert.equal(rows[0]?.storage, "m", "search_text stays inline (migration 2026-12-04T1410)");
  });
});
