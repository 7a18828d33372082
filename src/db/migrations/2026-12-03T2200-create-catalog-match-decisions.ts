import { type Kysely, sql } from "kysely";

/**
 * Decisions on the 待确认 (probable) matches of a catalog comparison: the agency's 政务公开办 confirms or rejects
 * each pair of its item and the reference's item. Owned by the catalog feature; one row per agency, reference and
 * pair (a new decision on the same pair replaces the old one; every decision is in the audit log).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("catalog_match_decisions")
    .addColumn("agency_id", "uuid", (c) => c.notNull().references("agencies.id").onDelete("cascade"))
    .addColumn("reference", "text", (c) =>
      c.notNull().check(sql`reference ~ '^(standard|agency):[a-z0-9][a-z0-9-]{0,63}$'`),
    )
    .addColumn("agency_item", "text", (c) => c.notNull().check(sql`length(agency_item) between 1 and 2000`))
    .addColumn("reference_item", "text", (c) =>
      c.notNull().check(sql`length(reference_item) between 1 and 2000`),
    )
    .addColumn("decision", "text", (c) => c.notNull().check(sql`decision in ('confirmed', 'rejected')`))
    .addColumn("note", "text", (c) => c.notNull().defaultTo("").check(sql`length(note) <= 500`))
    .addColumn("decided_by", "uuid")
    .addColumn("decided_by_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("decided_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("catalog_match_decisions_pkey", [
      "agency_id",
      "reference",
      "agency_item",
      "reference_item",
    ])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("catalog_match_decisions").execute();
}
