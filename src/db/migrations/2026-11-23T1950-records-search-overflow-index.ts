import { type Kysely, sql } from "kysely";

/**
 * Search: records whose text exceeds the indexed length are matched by `search_overflow` (then verified by strpos).
 * The condition `search_tsv @@ q OR search_overflow` could only use the GIN index when the second branch has an index
 * of its own: with this partial index the planner combines both (BitmapOr) instead of scanning every record.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX records_search_overflow_idx ON records (agency_id, id) WHERE search_overflow`.execute(
    db,
  );
  await sql`ANALYZE records`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX records_search_overflow_idx`.execute(db);
}
