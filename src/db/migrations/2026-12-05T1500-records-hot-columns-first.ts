import { type Kysely, sql } from "kysely";

/**
 * Search (issue 14): the columns a search reads of every candidate come first in a records row.
 *
 * A search reads each candidate's status, agency, date and validity and its search_text (the folded text it checks
 * for the query) and search_head (the fields it ranks by). PostgreSQL finds a column of a row by walking every column
 * before it. search_text was the 56th of 65 columns and search_head the 68th, behind the body and sixty columns no
 * search reads. Measured at 1,000,000 records (EXPLAIN-free psql timings, the same 6,273 rows of 45号, warm):
 *   - counting the candidates: 14.7 ms;
 *   - plus a condition on the 14th column: 16.5 ms; on the 56th (search_text): 22.3 ms; on the 68th: 23.0 ms,
 *     so ~21 ns a column, ~1.2 µs a candidate;
 *   - the same rows in a table with the body moved to the end but search_text still behind sixty columns: no change
 *     (so it is the number of columns walked, not the bytes passed).
 * A search counts up to 10,000 candidates exactly, so this was up to ~12 ms of a search within one agency.
 *
 * PostgreSQL cannot reorder a table's columns; the table is built again in the new order (reorderColumns): a new
 * table with every column's type, default, NOT NULL, storage and statistics target, the rows copied, then the
 * indexes, constraints, triggers and options of the old one and the foreign keys that point at it, and statistics
 * gathered again (search estimates from them). It takes the table's lock for the whole copy: at 1,000,000 records
 * several minutes, in a maintenance window. Names, types and data do not change, so no code changes.
 *
 * Down leaves the order as it is (column order is not part of the schema the code relies on).
 */
export const HOT_COLUMNS = [
  "agency_id",
  "id",
  "status",
  "published_date",
  "first_published_at",
  "validity",
  "genre",
  "search_overflow",
  "search_head",
  "search_text",
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await reorderColumns(db, "records", HOT_COLUMNS);
  await sql`ANALYZE records`.execute(db);
}

export async function down(_db: Kysely<unknown>): Promise<void> {}

interface ColumnDef {
  name: string;
  type: string;
  notnull: boolean;
  def: string | null;
  storage: string;
  typstorage: string;
  compression: string;
  stattarget: number | null;
}

/**
 * Builds `table` again with `leading` columns first (in that order) and the others after them in their present
 * order, keeping its rows, column definitions, indexes, constraints, triggers, options and the foreign keys of
 * other tables that point at it. For a plain table of the public schema without views, policies, generated or
 * identity columns on it (it refuses one that has them rather than lose them). Run it in a transaction.
 */
export async function reorderColumns(
  db: Kysely<unknown>,
  table: string,
  leading: readonly string[],
): Promise<void> {
  const rel = sql`${table}::regclass`;
  const blockers = await sql<{ what: string }>`
    SELECT 'a generated or identity column' AS what FROM pg_attribute
     WHERE attrelid = ${rel} AND attnum > 0 AND NOT attisdropped AND (attgenerated <> '' OR attidentity <> '')
    UNION ALL SELECT 'a policy' FROM pg_policy WHERE polrelid = ${rel}
    UNION ALL SELECT 'a view' FROM pg_depend d JOIN pg_rewrite w ON w.oid = d.objid
     WHERE d.refobjid = ${rel} AND w.ev_class <> ${rel}
    UNION ALL SELECT 'extended statistics' FROM pg_statistic_ext WHERE stxrelid = ${rel}
    UNION ALL SELECT 'a column of a collation of its own' FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
     WHERE a.attrelid = ${rel} AND a.attnum > 0 AND NOT a.attisdropped AND a.attcollation <> t.typcollation
    UNION ALL SELECT 'a comment' FROM pg_description WHERE objoid = ${rel}
    UNION ALL SELECT 'an owned sequence' FROM pg_depend WHERE refobjid = ${rel} AND classid = 'pg_class'::regclass
     AND deptype IN ('a', 'i') AND objid IN (SELECT oid FROM pg_class WHERE relkind = 'S')
    UNION ALL SELECT 'a parent or partitions' FROM pg_inherits WHERE inhrelid = ${rel} OR inhparent = ${rel}
    UNION ALL SELECT 'a replica identity, kind or publication of its own' FROM pg_class WHERE oid = ${rel}
     AND (relkind <> 'r' OR relreplident <> 'd' OR EXISTS (SELECT 1 FROM pg_publication_rel WHERE prrelid = ${rel}))`.execute(
    db,
  );
  if (blockers.rows.length)
    throw new Error(`reorderColumns(${table}): the table has ${blockers.rows.map((b) => b.what).join(", ")}`);
  const { rows: columns } = await sql<ColumnDef>`
    SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
           pg_get_expr(d.adbin, d.adrelid) AS def, a.attstorage AS storage, t.typstorage,
           a.attcompression AS compression, a.attstattarget AS stattarget
    FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attrelid = ${rel} AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY a.attnum`.execute(db);
  const missing = leading.filter((n) => !columns.some((c) => c.name === n));
  if (missing.length) throw new Error(`reorderColumns(${table}): no column ${missing.join(", ")}`);
  const ordered = [
    ...leading.map((n) => columns.find((c) => c.name === n) as ColumnDef),
    ...columns.filter((c) => !leading.includes(c.name)),
  ];
  // Constraint-backed indexes come back with their constraints; the other indexes by their definitions.
  const { rows: indexes } = await sql<{ def: string }>`
    SELECT pg_get_indexdef(i.indexrelid) AS def FROM pg_index i
    WHERE i.indrelid = ${rel} AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid
                                                                          AND c.conrelid = ${rel})
    ORDER BY i.indexrelid`.execute(db);
  const { rows: own } = await sql<{ name: string; def: string }>`
    SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
    WHERE conrelid = ${rel} AND contype IN ('p', 'u', 'c', 'f', 'x')
    ORDER BY (contype = 'f')::int, oid`.execute(db);
  const { rows: incoming } = await sql<{ name: string; tbl: string; def: string }>`
    SELECT conname AS name, conrelid::regclass::text AS tbl, pg_get_constraintdef(oid) AS def FROM pg_constraint
    WHERE confrelid = ${rel} AND conrelid <> ${rel} AND contype = 'f' ORDER BY oid`.execute(db);
  const { rows: triggers } = await sql<{ def: string; enabled: string; name: string }>`
    SELECT pg_get_triggerdef(oid) AS def, tgenabled AS enabled, tgname AS name FROM pg_trigger
    WHERE tgrelid = ${rel} AND NOT tgisinternal ORDER BY oid`.execute(db);
  const { rows: opts } = await sql<{ options: string[] | null; grants: string | null }>`
    SELECT reloptions AS options, relacl::text AS grants FROM pg_class WHERE oid = ${rel}`.execute(db);
  if (opts[0]?.grants) throw new Error(`reorderColumns(${table}): the table has grants of its own`);

  const next = `${table}_reordered`;
  const ident = (n: string) => sql.id(n);
  await sql`CREATE TABLE ${ident(next)} (${sql.join(
    ordered.map(
      (c) =>
        sql`${ident(c.name)} ${sql.raw(c.type)}${
          // PostgreSQL 18 names NOT NULL constraints; keep the names it gave them (earlier versions ignore them).
          c.notnull ? sql` CONSTRAINT ${ident(`${table}_${c.name}_not_null`)} NOT NULL` : sql``
        }${c.def !== null ? sql` DEFAULT ${sql.raw(c.def)}` : sql``}`,
    ),
  )})`.execute(db);
  const storage: Record<string, string> = { p: "PLAIN", e: "EXTERNAL", m: "MAIN", x: "EXTENDED" };
  for (const c of ordered) {
    if (c.storage !== c.typstorage)
      await sql`ALTER TABLE ${ident(next)} ALTER COLUMN ${ident(c.name)} SET STORAGE ${sql.raw(storage[c.storage] ?? "EXTENDED")}`.execute(
        db,
      );
    if (c.compression === "p" || c.compression === "l")
      await sql`ALTER TABLE ${ident(next)} ALTER COLUMN ${ident(c.name)} SET COMPRESSION ${sql.raw(c.compression === "l" ? "lz4" : "pglz")}`.execute(
        db,
      );
    if (c.stattarget !== null && c.stattarget >= 0)
      await sql`ALTER TABLE ${ident(next)} ALTER COLUMN ${ident(c.name)} SET STATISTICS ${sql.raw(String(c.stattarget))}`.execute(
        db,
      );
  }
  if (opts[0]?.options?.length)
    await sql`ALTER TABLE ${ident(next)} SET (${sql.raw(opts[0].options.join(", "))})`.execute(db);
  const names = sql.join(ordered.map((c) => ident(c.name)));
  await sql`INSERT INTO ${ident(next)} (${names}) SELECT ${names} FROM ${ident(table)}`.execute(db);

  for (const fk of incoming)
    await sql`ALTER TABLE ${sql.raw(fk.tbl)} DROP CONSTRAINT ${ident(fk.name)}`.execute(db);
  await sql`DROP TABLE ${ident(table)}`.execute(db);
  await sql`ALTER TABLE ${ident(next)} RENAME TO ${ident(table)}`.execute(db);
  // Keys first (the foreign keys, the table's own included, need them), then the other indexes and constraints.
  for (const c of own)
    await sql`ALTER TABLE ${ident(table)} ADD CONSTRAINT ${ident(c.name)} ${sql.raw(c.def)}`.execute(db);
  for (const i of indexes) await sql.raw(i.def).execute(db);
  for (const fk of incoming)
    await sql`ALTER TABLE ${sql.raw(fk.tbl)} ADD CONSTRAINT ${ident(fk.name)} ${sql.raw(fk.def)}`.execute(db);
  for (const t of triggers) {
    await sql.raw(t.def).execute(db);
    const state: Record<string, string> = { D: "DISABLE", R: "ENABLE REPLICA", A: "ENABLE ALWAYS" };
    if (state[t.enabled])
      await sql`ALTER TABLE ${ident(table)} ${sql.raw(state[t.enabled] as string)} TRIGGER ${ident(t.name)}`.execute(
        db,
      );
  }
}
