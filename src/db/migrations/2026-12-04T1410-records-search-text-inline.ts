import { type Kysely, sql } from "kysely";

/**
 * Search: the folded search text stays in the row, uncompressed, so verifying a candidate of the gram index
 * (record-search.read.ts) reads one heap page and no TOAST. Measured at 200,000 generated records (EXPLAIN ANALYZE,
 * BUFFERS; docs/scaling.md "Search"): a 6-character word with 6,089 matches read ~30,000 buffers — heap, then the
 * TOAST index and chunks of search_text for every candidate, then decompressed it — against ~6,100 for the heap
 * alone. Verifying those candidates (load average ~20): 220–310 ms out of line, 185–230 ms compressed in the row,
 * 32–49 ms uncompressed in the row (the heap pages alone: 14–55 ms). With the default tuple target (2 kB) the compressed text was moved out of line; storage MAIN alone would
 * keep it but push every small column (title, search_head…) out instead, so the target is raised to a page
 * (8,160 bytes): the large columns (search_grams, then body_html and body_text, compressed) leave the row first and
 * the search text stays inline and uncompressed. A text too long for a page (about 2,500 Chinese characters and
 * more) is still compressed or moved out as a last resort.
 *
 * Rows already written keep their compressed text until it is written again (VACUUM FULL keeps a compressed value
 * compressed). On a large table, rewrite it in a maintenance window (it writes every row again):
 *   ALTER TABLE records DISABLE TRIGGER records_search_columns;
 *   UPDATE records SET search_text = search_text || '' WHERE pg_column_compression(search_text) IS NOT NULL;
 *   ALTER TABLE records ENABLE TRIGGER records_search_columns; VACUUM FULL records;
 * A corpus loaded after this migration (gongkai dev generate, record import, publishing) needs nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE records ALTER COLUMN search_text SET STORAGE MAIN`.execute(db);
  await sql`ALTER TABLE records SET (toast_tuple_target = 8160)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE records ALTER COLUMN search_text SET STORAGE EXTERNAL`.execute(db);
  await sql`ALTER TABLE records RESET (toast_tuple_target)`.execute(db);
}
