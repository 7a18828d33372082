import { type Kysely, sql } from "kysely";

/**
 * Search (issue 14): every record's codes (search_grams) also hold its agency's code (gk_search_agency_code, a hash
 * of the agency's id into codes no text can give: src/publishing/record-search.rules.ts agencyCode), so that the
 * GIN index intersects a query with one agency's records. A search within an agency walked that agency's date
 * index and read the row of every record whose signature passed: at 1,000,000 records (100 agencies) 健为 (no match
 * in the agency, one signature bit set in 99 % of its records) read 9,870 rows, 93–150 ms; it now reads the
 * matches' rows only.
 *
 * gk_search_codes(text, date, uuid) is the column; the trigger recomputes the codes when the agency changes too.
 * Existing rows get their agency's code in one UPDATE, with the GIN index dropped first and built again after. It
 * writes every record again: on a large table run it in a maintenance window and VACUUM afterwards (index-only date
 * walks need the visibility map).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION gk_search_agency_code(a uuid) RETURNS int4
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT 4259840 + 21000 + coalesce(
      (('x' || right(replace(a::text, '-', ''), 8))::bit(32)::int8 % 44000)::int4, 0) $$`.execute(db);
  await sql`
    CREATE FUNCTION gk_search_codes(t text, d date, a uuid) RETURNS int4[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
      SELECT array_agg(c ORDER BY c) FROM (
        SELECT unnest(gk_search_grams(left(t, 50000)))
        UNION SELECT gk_search_year_code(d)
        UNION SELECT gk_search_agency_code(a)) x(c)
    $$`.execute(db);
  await sql.raw(trigger(true)).execute(db);
  await sql`DROP INDEX records_search_grams_idx`.execute(db);
  await sql`UPDATE records SET search_grams = (
      SELECT array_agg(c ORDER BY c) FROM (
        SELECT unnest(search_grams) UNION SELECT gk_search_agency_code(agency_id)) x(c))
    WHERE search_grams IS NOT NULL`.execute(db);
  await sql`CREATE INDEX records_search_grams_idx ON records USING gin (search_grams)
    WHERE status = 'published'`.execute(db);
  await sql`ANALYZE records (search_grams)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(trigger(false)).execute(db);
  await sql`DROP INDEX records_search_grams_idx`.execute(db);
  await sql`UPDATE records SET search_grams = array_remove(search_grams, gk_search_agency_code(agency_id))
    WHERE search_grams IS NOT NULL`.execute(db);
  await sql`CREATE INDEX records_search_grams_idx ON records USING gin (search_grams)
    WHERE status = 'published'`.execute(db);
  await sql`DROP FUNCTION gk_search_codes(text, date, uuid)`.execute(db);
  await sql`DROP FUNCTION gk_search_agency_code(uuid)`.execute(db);
}

/**
 * The search-columns trigger function (as in migration 2026-12-05T0900), the codes with (`agency`) or without the
 * agency's; with it, a change of the agency alone recomputes them as well. (Migration 2026-12-05T1300 builds its
 * own from this text.)
 */
export function trigger(agency: boolean): string {
  const keep = `IF NEW.search_sig IS NULL OR (TG_OP = 'UPDATE' AND NEW.search_grams IS DISTINCT FROM OLD.search_grams) THEN
      NEW.search_sig := gk_search_sig(NEW.search_grams);
    END IF;
    `;
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
     AND NEW.published_date IS NOT DISTINCT FROM OLD.published_date
     ${agency ? "AND NEW.agency_id IS NOT DISTINCT FROM OLD.agency_id\n     " : ""}AND NEW.search_text IS NOT NULL AND NEW.search_grams IS NOT NULL AND NEW.search_head IS NOT NULL THEN
    ${keep}RETURN NEW;
  END IF;
  head := gk_search_fold(NEW.title || chr(1) || NEW.doc_number || chr(1) || coalesce(NEW.index_no, '') || chr(1)
    || array_to_string(NEW.keywords, chr(2)) || chr(1) || NEW.summary);
  NEW.search_head := head;
  NEW.search_text := head || chr(1) || gk_search_fold(NEW.body_text);
  NEW.search_grams := ${agency ? "gk_search_codes(NEW.search_text, NEW.published_date, NEW.agency_id)" : "gk_search_codes(NEW.search_text, NEW.published_date)"};
  NEW.search_overflow := char_length(NEW.search_text) > 50000;
  NEW.search_sig := gk_search_sig(NEW.search_grams);
  RETURN NEW;
END $$`;
}
