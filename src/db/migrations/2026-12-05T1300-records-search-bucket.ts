import { type Kysely, sql } from "kysely";
import { trigger as agencyTrigger } from "./2026-12-05T1100-records-search-agency.ts";

/**
 * Search (issue 14): every record's codes (search_grams) also hold its sampling bucket's code (gk_search_bucket_code,
 * a hash of the record's id into 64 buckets, in codes no text can give: src/publishing/record-search.rules.ts
 * bucketCode). The index sample of a search (record-search-path.ts indexSample) reads 200 of a query's candidates
 * to learn its precision and its years; the GIN index built the bitmap of all of them first (2020年 at 1,000,000
 * records: 67,181 candidates, 19 ms in the index and 9 ms sorting the bitmap, for 200 rows). One bucket's candidates
 * are a uniform random 1/64 of them and cost ~1/64 of that.
 *
 * gk_search_codes(text, date, uuid, uuid) is the column; the trigger passes the record's id. Existing rows get their
 * bucket's code in one UPDATE, with the GIN index dropped first and built again after. It writes every record again:
 * on a large table run it in a maintenance window and VACUUM afterwards (index-only date walks need the visibility
 * map).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION gk_search_bucket_code(r uuid) RETURNS int4
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT 4259840 + 65000 + coalesce(
      (('x' || right(replace(r::text, '-', ''), 8))::bit(32)::int8 % 64)::int4, 0) $$`.execute(db);
  await sql`
    CREATE FUNCTION gk_search_codes(t text, d date, a uuid, r uuid) RETURNS int4[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
      SELECT array_agg(c ORDER BY c) FROM (
        SELECT unnest(gk_search_grams(left(t, 50000)))
        UNION SELECT gk_search_year_code(d)
        UNION SELECT gk_search_agency_code(a)
        UNION SELECT gk_search_bucket_code(r)) x(c)
    $$`.execute(db);
  await sql.raw(trigger(true)).execute(db);
  await sql`DROP INDEX records_search_grams_idx`.execute(db);
  await sql`UPDATE records SET search_grams = (
      SELECT array_agg(c ORDER BY c) FROM (
        SELECT unnest(search_grams) UNION SELECT gk_search_bucket_code(id)) x(c))
    WHERE search_grams IS NOT NULL`.execute(db);
  await sql`CREATE INDEX records_search_grams_idx ON records USING gin (search_grams)
    WHERE status = 'published'`.execute(db);
  await sql`ANALYZE records (search_grams)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(trigger(false)).execute(db);
  await sql`DROP INDEX records_search_grams_idx`.execute(db);
  await sql`UPDATE records SET search_grams = array_remove(search_grams, gk_search_bucket_code(id))
    WHERE search_grams IS NOT NULL`.execute(db);
  await sql`CREATE INDEX records_search_grams_idx ON records USING gin (search_grams)
    WHERE status = 'published'`.execute(db);
  await sql`DROP FUNCTION gk_search_codes(text, date, uuid, uuid)`.execute(db);
  await sql`DROP FUNCTION gk_search_bucket_code(uuid)`.execute(db);
}

/**
 * The search-columns trigger function: migration 2026-12-05T1100's (the codes with the agency's), and with `bucket`
 * the codes also hold the record's sampling bucket and a change of the id alone recomputes them.
 */
function trigger(bucket: boolean): string {
  const before = agencyTrigger(true);
  if (!bucket) return before;
  const codes = "gk_search_codes(NEW.search_text, NEW.published_date, NEW.agency_id)";
  const unchanged = "AND NEW.agency_id IS NOT DISTINCT FROM OLD.agency_id\n";
  if (!before.includes(codes) || !before.includes(unchanged))
    throw new Error("trigger of 2026-12-05T1100 changed");
  return before
    .replace(codes, "gk_search_codes(NEW.search_text, NEW.published_date, NEW.agency_id, NEW.id)")
    .replace(unchanged, `${unchanged}     AND NEW.id IS NOT DISTINCT FROM OLD.id\n`);
}
