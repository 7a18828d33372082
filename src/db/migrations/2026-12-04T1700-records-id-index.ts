import { type Kysely, sql } from "kysely";

/**
 * Records looked up by their id alone — the open-data API's `GET /api/v1/records/:id` (which finds the agency
 * first) and a few staff paths — had only the primary key (agency_id, id) to use: PostgreSQL 18 can skip-scan it,
 * PostgreSQL 15 reads the whole index or table (issue 14, at 1,000,000 records). An index on id alone.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX records_id_idx ON records (id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX records_id_idx`.execute(db);
}
