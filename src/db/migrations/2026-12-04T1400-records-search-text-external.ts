import { type Kysely, sql } from "kysely";

/**
 * records.search_text is stored out of line without compression (STORAGE EXTERNAL), like search_grams: it is the
 * column search reads (strpos verification of every candidate row) and the third copy of each body (body_html,
 * body_text, search_text), and its pglz compression was CPU spent on every insert. Measured on 10,000 generated
 * records (COPY into records without secondary indexes, backend CPU from /proc, two rounds, load average ~20;
 * docs/performance.md "Bulk loading"): 185–190 µs a record compressed, 164–165 µs uncompressed; a strpos scan of
 * every row 8–9 µs a record compressed, 5 µs uncompressed; the table 94 MB → 113 MB (+20 %).
 *
 * Existing rows keep their compressed values (valid either way; rewriting every row would re-insert each into the
 * GIN index): an updated or newly published record is stored uncompressed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE records ALTER COLUMN search_text SET STORAGE EXTERNAL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE records ALTER COLUMN search_text SET STORAGE EXTENDED`.execute(db);
}
