import { type Kysely, sql } from "kysely";

/**
 * Working-day calendar data entered by administrators (工作日历调整), on top of the reviewed year files in
 * src/calendar/data/:
 * - calendar_notices: a newly published State Council holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知)
 *   typed in before its data file ships; one per year;
 * - calendar_overrides: single days — the notice's rest/make-up days (category notice: national, linked to the
 *   notice), other named days (category holiday, e.g. a region's own 地方性假日) and ad-hoc closures (category
 *   closure); region_id set = that region's agencies and its sub-regions' only, null = national;
 * - calendar_state: one row whose `version` changes (a fresh uuid) with every change, so every process can tell
 *   cheaply whether its cached calendars are stale.
 * Platform-level tables (not tenant-owned): no agency_id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("calendar_notices")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("year", "integer", (c) => c.notNull().unique().check(sql`year BETWEEN 2000 AND 2200`))
    .addColumn("title", "text", (c) => c.notNull().check(sql`length(title) BETWEEN 4 AND 200`))
    .addColumn("doc_number", "text", (c) => c.notNull().check(sql`length(doc_number) BETWEEN 1 AND 100`))
    .addColumn("notice_date", "date", (c) => c.notNull())
    .addColumn("url", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("created_by", "uuid")
    .execute();

  await db.schema
    .createTable("calendar_overrides")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("region_id", "uuid", (c) => c.references("regions.id").onDelete("cascade"))
    .addColumn("notice_id", "uuid", (c) => c.references("calendar_notices.id").onDelete("cascade"))
    .addColumn("day", "date", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind IN ('rest', 'work')`))
    .addColumn("category", "text", (c) =>
      c.notNull().check(sql`category IN ('notice', 'holiday', 'closure')`),
    )
    .addColumn("name", "text", (c) => c.notNull().check(sql`length(name) BETWEEN 1 AND 50`))
    .addColumn("note", "text", (c) => c.check(sql`length(note) <= 500`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("created_by", "uuid")
    // A notice's days are national and linked to the notice; holidays and closures may be national or regional.
    .addCheckConstraint(
      "calendar_overrides_notice_check",
      sql`(category = 'notice') = (notice_id IS NOT NULL) AND (category <> 'notice' OR region_id IS NULL)`,
    )
    .execute();
  // One entry per day and scope (national = the zero uuid).
  await sql`CREATE UNIQUE INDEX calendar_overrides_scope_day_key ON calendar_overrides (coalesce(region_id, '00000000-0000-0000-0000-000000000000'::uuid), day)`.execute(
    db,
  );
  await db.schema
    .createIndex("calendar_overrides_notice_idx")
    .on("calendar_overrides")
    .column("notice_id")
    .execute();

  await db.schema
    .createTable("calendar_state")
    .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn("version", "uuid", (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn("changed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`INSERT INTO calendar_state (id) VALUES (1)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("calendar_state").execute();
  await db.schema.dropTable("calendar_overrides").execute();
  await db.schema.dropTable("calendar_notices").execute();
}
