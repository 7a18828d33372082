import { type Kysely, sql } from "kysely";

/**
 * Bulk loading (publishing/record-bulk.ts): the records indexes a large load drops, with their definitions, written in
 * the transaction that drops them and deleted in the one that builds each again. A load whose process dies between
 * the two leaves its rows here, and the indexes are built again from them (restoreDroppedIndexes: the next load, or
 * the job publishing.restore-indexes of `gongkai serve`) instead of staying dropped.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE record_bulk_dropped_indexes (
    name text PRIMARY KEY,
    definition text NOT NULL,
    dropped_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE record_bulk_dropped_indexes`.execute(db);
}
