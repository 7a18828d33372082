import { type Kysely, sql } from "kysely";

/**
 * The nightly link check's results for external links (外部链接) of published records, one row per agency and URL,
 * replaced at each run: the failure (null when the link works) and whether the link's domain has lapsed — the name no
 * longer exists (DNS NXDOMAIN) or is parked by a registrar or a parking service (待售/停放页). Owned by publishing;
 * the inspection counts lapsed domains from here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("external_link_results")
    .addColumn("agency_id", "uuid", (c) => c.notNull().references("agencies.id").onDelete("cascade"))
    .addColumn("url", "text", (c) => c.notNull().check(sql`length(url) between 1 and 4000`))
    .addColumn("domain", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("lapse", "text", (c) => c.check(sql`lapse in ('nxdomain', 'parked')`))
    .addColumn("checked_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("external_link_results_pkey", ["agency_id", "url"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("external_link_results").execute();
}
