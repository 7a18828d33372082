import { type Kysely, sql } from "kysely";

/**
 * Search columns of records, third form (issue 14: 1,000,000 records, bulk loading at thousands per second):
 *  - search_tsv (a tsvector of ~7.5 KB per record: CJK unigram and bigram lexemes as text) is replaced by
 *    search_grams int4[]: the same tokens as integer codes (src/publishing/record-search.rules.ts, ~4 bytes each),
 *    GIN-indexed with the built-in array operators (`@>`). A query of one or two characters is one code, so the
 *    index alone decides it (no recheck of the text);
 *  - search_head: the folded title, 文号, 索引号, 关键词 and summary (fields 1–5 of search_text), small enough to stay
 *    in the row, so ranking reads no body text;
 *  - btree indexes in the portal's date order (global and per agency), so a common word's newest matches are
 *    found by walking the index and stopping after one page;
 *  - gk_search_grams(text): SQL twin of the TypeScript tokeniser, used by the trigger for single-record writes;
 *    bulk writers compute all columns in TypeScript and the trigger keeps them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION gk_search_grams(t text) RETURNS int4[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
      SELECT coalesce(array_agg(DISTINCT v.code), '{}'::int4[])
      FROM (
        SELECT x.c, x.d,
               CASE WHEN ascii(x.c) <= 65535 THEN ascii(x.c) ELSE 55296 + ascii(x.c) % 2048 END AS a,
               CASE WHEN ascii(x.d) <= 65535 THEN ascii(x.d) ELSE 55296 + ascii(x.d) % 2048 END AS b
        FROM (SELECT c, lead(c) OVER (ORDER BY i) AS d
              FROM unnest(string_to_array(gk_search_fold(t), NULL)) WITH ORDINALITY AS u(c, i)) x
      ) k
      CROSS JOIN LATERAL (VALUES (k.a),
        (CASE WHEN k.d IS NULL OR k.d = ' ' THEN NULL ELSE ((k.a::int8 << 16) | k.b)::bit(32)::int4 END)) AS v(code)
      WHERE k.c <> ' ' AND v.code IS NOT NULL
    $$`.execute(db);
  await sql`DROP INDEX IF EXISTS records_search_idx`.execute(db);
  await sql`ALTER TABLE records DROP COLUMN search_tsv,
    ADD COLUMN search_grams int4[], ADD COLUMN search_head text`.execute(db);
  await sql
    .raw(`CREATE OR REPLACE FUNCTION gk_records_search_columns() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE head text;
BEGIN
  IF TG_OP = 'INSERT' AND NEW.search_text IS NOT NULL AND NEW.search_grams IS NOT NULL
     AND NEW.search_head IS NOT NULL THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE'
     AND (NEW.title, NEW.doc_number, NEW.index_no, NEW.keywords, NEW.summary, NEW.body_text)
         IS NOT DISTINCT FROM (OLD.title, OLD.doc_number, OLD.index_no, OLD.keywords, OLD.summary, OLD.body_text)
     AND NEW.search_text IS NOT NULL AND NEW.search_grams IS NOT NULL AND NEW.search_head IS NOT NULL THEN
    RETURN NEW;
  END IF;
  head := gk_search_fold(NEW.title || chr(1) || NEW.doc_number || chr(1) || coalesce(NEW.index_no, '') || chr(1)
    || array_to_string(NEW.keywords, chr(2)) || chr(1) || NEW.summary);
  NEW.search_head := head;
  NEW.search_text := head || chr(1) || gk_search_fold(NEW.body_text);
  NEW.search_grams := gk_search_grams(left(NEW.search_text, 50000));
  NEW.search_overflow := char_length(NEW.search_text) > 50000;
  RETURN NEW;
END $$`)
    .execute(db);
  // Backfill: the trigger computes the new columns (search_text NULL forces it).
  await sql`UPDATE records SET search_text = NULL`.execute(db);
  // Codes are bound to the row (the text is verified separately): keep them out of line, uncompressed.
  await sql`ALTER TABLE records ALTER COLUMN search_grams SET STORAGE EXTERNAL`.execute(db);
  await sql`CREATE INDEX records_search_grams_idx ON records USING gin (search_grams)
    WHERE status = 'published'`.execute(db);
  await sql`CREATE INDEX records_published_order_idx ON records
    (published_date DESC NULLS LAST, first_published_at DESC NULLS LAST, agency_id, id) WHERE status = 'published'`.execute(
    db,
  );
  await sql`CREATE INDEX records_agency_published_order_idx ON records
    (agency_id, published_date DESC NULLS LAST, first_published_at DESC NULLS LAST, id) WHERE status = 'published'`.execute(
    db,
  );
  await sql`ANALYZE records`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX records_agency_published_order_idx, records_published_order_idx, records_search_grams_idx`.execute(
    db,
  );
  await sql`ALTER TABLE records DROP COLUMN search_grams, DROP COLUMN search_head,
    ADD COLUMN search_tsv tsvector`.execute(db);
  await sql
    .raw(`CREATE OR REPLACE FUNCTION gk_records_search_columns() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE src text;
BEGIN
  IF TG_OP = 'INSERT' AND NEW.search_text IS NOT NULL AND NEW.search_tsv IS NOT NULL THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE'
     AND (NEW.title, NEW.doc_number, NEW.index_no, NEW.keywords, NEW.summary, NEW.body_text)
         IS NOT DISTINCT FROM (OLD.title, OLD.doc_number, OLD.index_no, OLD.keywords, OLD.summary, OLD.body_text)
     AND NEW.search_text IS NOT NULL AND NEW.search_tsv IS NOT NULL THEN
    RETURN NEW;
  END IF;
  src := NEW.title || chr(1) || NEW.doc_number || chr(1) || coalesce(NEW.index_no, '') || chr(1)
    || array_to_string(NEW.keywords, chr(2)) || chr(1) || NEW.summary || chr(1) || NEW.body_text;
  NEW.search_text := gk_search_fold(src);
  NEW.search_tsv := array_to_tsvector(gk_search_tokens(left(src, 50000)));
  NEW.search_overflow := char_length(src) > 50000;
  RETURN NEW;
END $$`)
    .execute(db);
  await sql`UPDATE records SET search_text = NULL`.execute(db);
  await sql`CREATE INDEX records_search_idx ON records USING gin (search_tsv) WHERE status = 'published'`.execute(
    db,
  );
  await sql`DROP FUNCTION gk_search_grams(text)`.execute(db);
}
