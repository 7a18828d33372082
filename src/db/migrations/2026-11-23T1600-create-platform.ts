import { type Kysely, sql } from "kysely";

/**
 * The platform's first tables: regions (行政区划), agencies (机关) and departments (内设机构/股室).
 * Tenancy: every tenant-owned table carries agency_id and leads its primary key and foreign keys with it, so the
 * schema can be distributed by agency_id (Citus) when one server is outgrown.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);

  await db.schema
    .createTable("regions")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("parent_id", "uuid", (c) => c.references("regions.id").onDelete("restrict"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("level", "text", (c) =>
      c.notNull().check(sql`level IN ('province', 'city', 'county', 'township')`),
    )
    .addColumn("code", "text", (c) => c.check(sql`code ~ '^[0-9]{6}$'`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`CREATE UNIQUE INDEX regions_parent_name_key ON regions (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), name)`.execute(
    db,
  );

  await db.schema
    .createTable("agencies")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("slug", "text", (c) => c.notNull().unique().check(sql`slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`))
    .addColumn("name", "text", (c) => c.notNull().check(sql`length(name) BETWEEN 2 AND 100`))
    .addColumn("short_name", "text", (c) => c.notNull())
    .addColumn("credit_code", "text", (c) => c.unique().check(sql`credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'`))
    .addColumn("org_code", "text", (c) => c.check(sql`org_code ~ '^[0-9A-Z]{9}$'`))
    .addColumn("region_id", "uuid", (c) => c.notNull().references("regions.id").onDelete("restrict"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("agencies_region_idx").on("agencies").column("region_id").execute();

  await db.schema
    .createTable("departments")
    .addColumn("agency_id", "uuid", (c) => c.notNull().references("agencies.id").onDelete("cascade"))
    .addColumn("id", "uuid", (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn("name", "text", (c) => c.notNull().check(sql`length(name) BETWEEN 1 AND 100`))
    .addColumn("sort_order", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("active", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("departments_pkey", ["agency_id", "id"])
    .addUniqueConstraint("departments_agency_name_key", ["agency_id", "name"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("departments").execute();
  await db.schema.dropTable("agencies").execute();
  await db.schema.dropTable("regions").execute();
}
