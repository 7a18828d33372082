import { type Kysely, sql } from "kysely";

/**
 * Search (issue 14): a signature of each record's token codes, `search_sig` (256 bytes: a 2,048-bit Bloom filter,
 * bit `code mod 2039` per code; src/publishing/record-search.rules.ts searchSignature), INCLUDEd in the date-ordered
 * index with search_overflow. The date walk of a common word (record-search.read.ts) then reads the index only —
 * an index-only scan testing each record's signature bits with get_bit — and the heap only for the records whose
 * signature holds every bit of the query, instead of reading and verifying every record it passes. Measured at
 * 1,000,000 records: a word in ~3 % of the records on page 50 walked 16,300 records through the heap (114 ms);
 * testing the signature costs ~0.3 µs a record in the index (docs/scaling.md "Search").
 *
 * gk_search_sig(int4[]) is the SQL twin used by the trigger for single-record writes; bulk writers compute the
 * column in TypeScript. Rows written before this migration are filled here (one UPDATE of every record: on a large
 * table run it in a maintenance window; a VACUUM afterwards sets the visibility map that index-only scans need).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`CREATE FUNCTION gk_search_sig(g int4[]) RETURNS bytea
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE s bytea := decode(repeat('00', 256), 'hex'); c int4;
BEGIN
  FOREACH c IN ARRAY g LOOP
    s := set_bit(s, ((c % 2039) + 2039) % 2039, 1);
  END LOOP;
  RETURN s;
END $$`)
    .execute(db);
  await sql`ALTER TABLE records ADD COLUMN search_sig bytea`.execute(db);
  await sql`ALTER TABLE records ALTER COLUMN search_sig SET STORAGE PLAIN`.execute(db);
  await sql.raw(trigger(true)).execute(db);
  await sql`UPDATE records SET search_sig = gk_search_sig(search_grams) WHERE search_grams IS NOT NULL`.execute(
    db,
  );
  await sql`DROP INDEX records_published_order_idx`.execute(db);
  await sql`CREATE INDEX records_published_order_idx ON records
    (published_date DESC NULLS LAST, first_published_at DESC NULLS LAST, agency_id, id)
    INCLUDE (search_sig, search_overflow) WHERE status = 'published'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX records_published_order_idx`.execute(db);
  await sql`CREATE INDEX records_published_order_idx ON records
    (published_date DESC NULLS LAST, first_published_at DESC NULLS LAST, agency_id, id) WHERE status = 'published'`.execute(
    db,
  );
  await sql.raw(trigger(false)).execute(db);
  await sql`ALTER TABLE records DROP COLUMN search_sig`.execute(db);
  await sql`DROP FUNCTION gk_search_sig(int4[])`.execute(db);
}

/** The search-columns trigger function, with (`sig`) or without the signature. */
function trigger(sig: boolean): string {
  const keep = sig
    ? `IF NEW.search_sig IS NULL OR (TG_OP = 'UPDATE' AND NEW.search_grams IS DISTINCT FROM OLD.search_grams) THEN
      NEW.search_sig := gk_search_sig(NEW.search_grams);
    END IF;
    `
    : "";
  return `CREATE OR REPLACE FUNCTION gk_records_search_columns() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE head text;
BEGIN
  IF TG_OP = 'INSERT' AND NEW.search_text IS NOT NULL AND NEW.search_grams IS NOT NULL
     AND NEW.search_head IS NOT NULL THEN
    ${keep}RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE'
     AND (NEW.title, NEW.doc_number, NEW.index_no, NEW.keywords, NEW.summary, NEW.body_text)
         IS NOT DISTINCT FROM (OLD.title, OLD.doc_number, OLD.index_no, OLD.keywords, OLD.summary, OLD.body_text)
     AND NEW.search_text IS NOT NULL AND NEW.search_grams IS NOT NULL AND NEW.search_head IS NOT NULL THEN
    ${keep}RETURN NEW;
  END IF;
  head := gk_search_fold(NEW.title || chr(1) || NEW.doc_number || chr(1) || coalesce(NEW.index_no, '') || chr(1)
    || array_to_string(NEW.keywords, chr(2)) || chr(1) || NEW.summary);
  NEW.search_head := head;
  NEW.search_text := head || chr(1) || gk_search_fold(NEW.body_text);
  NEW.search_grams := gk_search_grams(left(NEW.search_text, 50000));
  NEW.search_overflow := char_length(NEW.search_text) > 50000;
  ${sig ? "NEW.search_sig := gk_search_sig(NEW.search_grams);\n  " : ""}RETURN NEW;
END $$`;
}
