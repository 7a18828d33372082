import { type Kysely, sql } from "kysely";

/**
 * Search columns of records, second form (portal search, issue 14):
 *  - the searched text now also holds the 索引号 and the 关键词: title, 文号, 索引号, keywords,
 *    summary and body, folded and joined by U+0001 (fields 1–6 of split_part; keywords joined by U+0002; no
 *    query contains either);
 *  - the columns are plain columns kept by a BEFORE trigger instead of generated columns, so a bulk writer that
 *    computed them already (gongkai dev generate, bulk import: src/portal/search.rules.ts, the mirror the SQL test
 *    keeps equal) inserts them as they are and pays no per-row SQL tokenising. A row inserted without them, and
 *    any update of a searched field, gets them from gk_search_fold / gk_search_tokens as before;
 *  - exact 索引号 / 文号 look-ups (a query that is exactly one opens the record) get expression indexes.
 */
const SOURCE = `NEW.title || chr(1) || NEW.doc_number || chr(1) || coalesce(NEW.index_no, '') || chr(1)
  || array_to_string(NEW.keywords, chr(2)) || chr(1) || NEW.summary || chr(1) || NEW.body_text`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE records DROP COLUMN search_overflow, DROP COLUMN search_tsv, DROP COLUMN search_text`.execute(
    db,
  );
  await sql`ALTER TABLE records ADD COLUMN search_text text, ADD COLUMN search_tsv tsvector,
    ADD COLUMN search_overflow boolean NOT NULL DEFAULT false`.execute(db);
  await sql
    .raw(`CREATE FUNCTION gk_records_search_columns() RETURNS trigger LANGUAGE plpgsql AS $$
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
  src := ${SOURCE};
  NEW.search_text := gk_search_fold(src);
  NEW.search_tsv := array_to_tsvector(gk_search_tokens(left(src, 50000)));
  NEW.search_overflow := char_length(src) > 50000;
  RETURN NEW;
END $$`)
    .execute(db);
  await sql`CREATE TRIGGER records_search_columns BEFORE INSERT OR UPDATE ON records
    FOR EACH ROW EXECUTE FUNCTION gk_records_search_columns()`.execute(db);
  // Backfill: the trigger computes them (search_text is NULL on every existing row).
  await sql`UPDATE records SET search_text = NULL`.execute(db);
  await sql`CREATE INDEX records_search_idx ON records USING gin (search_tsv) WHERE status = 'published'`.execute(
    db,
  );
  await sql`CREATE INDEX records_search_overflow_idx ON records (agency_id, id) WHERE search_overflow`.execute(
    db,
  );
  await sql`CREATE INDEX records_index_no_fold_idx ON records (gk_search_fold(index_no))
    WHERE status = 'published' AND index_no IS NOT NULL`.execute(db);
  await sql`CREATE INDEX records_doc_number_fold_idx ON records (gk_search_fold(doc_number))
    WHERE status = 'published' AND doc_number <> ''`.execute(db);
  await sql`CREATE TABLE agency_search_synonyms (
    agency_id uuid PRIMARY KEY REFERENCES agencies(id) ON DELETE CASCADE,
    groups jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(groups) = 'array'),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by uuid)`.execute(db);
  await sql`ANALYZE records`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX records_index_no_fold_idx, records_doc_number_fold_idx`.execute(db);
  await sql`DROP TABLE agency_search_synonyms`.execute(db);
  await sql`DROP TRIGGER records_search_columns ON records`.execute(db);
  await sql`DROP FUNCTION gk_records_search_columns()`.execute(db);
  await sql`ALTER TABLE records DROP COLUMN search_overflow, DROP COLUMN search_tsv, DROP COLUMN search_text`.execute(
    db,
  );
  const source = sql.raw(`title || chr(1) || doc_number || chr(1) || summary || chr(1) || body_text`);
  await sql`ALTER TABLE records
    ADD COLUMN search_text text GENERATED ALWAYS AS (gk_search_fold(${source})) STORED,
    ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (array_to_tsvector(gk_search_tokens(left(${source}, 50000)))) STORED,
    ADD COLUMN search_overflow boolean GENERATED ALWAYS AS (char_length(${source}) > 50000) STORED`.execute(
    db,
  );
  await sql`CREATE INDEX records_search_idx ON records USING gin (search_tsv) WHERE status = 'published'`.execute(
    db,
  );
  await sql`CREATE INDEX records_search_overflow_idx ON records (agency_id, id) WHERE search_overflow`.execute(
    db,
  );
}
