import { type Kysely, sql } from "kysely";

/**
 * Search (issue 14): more kinds of code in search_grams (src/publishing/record-search.rules.ts):
 *  - digit grams: every 3 and 4 consecutive ASCII digits of a run of digits. A year or a number was looked up by
 *    its digit pairs, which nearly every record holds: 2019 at 1,000,000 records verified ~376,000 candidates and
 *    ran into the statement timeout. Its 4-digit code now names exactly the records that hold it;
 *  - digit boundaries: a digit with its two neighbours, one of them not a digit (12号, 第5条, 〔2019〕): 45号 took
 *    0.45 s verifying every record holding 45 and 5号;
 *  - the publication year (gk_search_year_code), so the GIN index intersects a query with one year's records
 *    without reading the heap: the newest matches of a query whose matches are years back are found year by year
 *    (record-search-years.read.ts) instead of by walking every newer record.
 * gk_search_grams(text) gains the digit grams and boundaries; gk_search_codes(text, date) is the column (sorted, distinct, as
 * the bulk writers store it); the trigger recomputes the codes when the text or the publication date changes.
 *
 * Existing rows get the new codes in one UPDATE, with the GIN index dropped first and built again after (cheaper
 * than updating it row by row). It writes every record again: on a large table run it in a maintenance window
 * and VACUUM afterwards (index-only date walks need the visibility map).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION gk_search_year_code(d date) RETURNS int4
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT 4259840 + 11000 + coalesce(extract(year FROM d)::int, 0) $$`.execute(db);
  await sql`
    CREATE FUNCTION gk_search_digit_grams(t text) RETURNS SETOF int4
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
      SELECT CASE w.n WHEN 3 THEN 4259840 ELSE 4259840 + 1000 END + substr(m.run[1], w.i, w.n)::int
      FROM regexp_matches(t, '[0-9]{3,}', 'g') AS m(run)
      CROSS JOIN LATERAL (SELECT n, i FROM generate_series(3, 4) n,
                                 generate_series(1, length(m.run[1]) - n + 1) i) w
    $$`.execute(db);
  // record-search.rules.ts boundaryCode: characters a, b, c hashed into the pairs starting with B–Z (66–90) or a
  // full-width form (65281–65374), which folded text never holds.
  await sql`
    CREATE FUNCTION gk_search_boundary_code(a text, b text, c text) RETURNS int4
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
      SELECT (((CASE WHEN h / 65536 < 25 THEN 66 + h / 65536 ELSE 65281 + h / 65536 - 25 END) << 16)
              | (h % 65536))::bit(32)::int4
      FROM (SELECT ((x * 40503 + y) * 40503 + z) % 7798784 AS h
            FROM (SELECT CASE WHEN ascii(a) <= 65535 THEN ascii(a) ELSE 55296 + ascii(a) % 2048 END::int8 AS x,
                         CASE WHEN ascii(b) <= 65535 THEN ascii(b) ELSE 55296 + ascii(b) % 2048 END::int8 AS y,
                         CASE WHEN ascii(c) <= 65535 THEN ascii(c) ELSE 55296 + ascii(c) % 2048 END::int8 AS z) q) w
    $$`.execute(db);
  // The digit boundaries of folded text: each run of digits with the characters before and after it (one pass for
  // each side; both list the runs in order).
  await sql`
    CREATE FUNCTION gk_search_digit_boundaries(t text) RETURNS SETOF int4
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
      SELECT gk_search_boundary_code(x.a, x.b, x.c)
      FROM regexp_matches(t, '([^0-9]?)([0-9]+)', 'g') WITH ORDINALITY AS l(m, i)
      JOIN regexp_matches(t, '([0-9]+)([^0-9]?)', 'g') WITH ORDINALITY AS r(m, i) ON r.i = l.i
      CROSS JOIN LATERAL (VALUES
        (l.m[1], left(l.m[2], 1), CASE WHEN length(l.m[2]) > 1 THEN substr(l.m[2], 2, 1) ELSE r.m[2] END),
        (CASE WHEN length(l.m[2]) > 1 THEN substr(l.m[2], length(l.m[2]) - 1, 1) ELSE l.m[1] END,
         right(l.m[2], 1), r.m[2])) AS x(a, b, c)
      WHERE x.a NOT IN ('', ' ') AND x.c NOT IN ('', ' ')
    $$`.execute(db);
  await sql.raw(gramsFunction(true)).execute(db);
  await sql`
    CREATE FUNCTION gk_search_codes(t text, d date) RETURNS int4[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
      SELECT array_agg(c ORDER BY c) FROM (
        SELECT unnest(gk_search_grams(left(t, 50000))) UNION SELECT gk_search_year_code(d)) x(c)
    $$`.execute(db);
  await sql.raw(trigger("gk_search_codes(NEW.search_text, NEW.published_date)", true)).execute(db);
  // Existing rows: the codes they have, the digit grams and boundaries of their indexed text and their year.
  await sql`DROP INDEX records_search_grams_idx`.execute(db);
  await sql`UPDATE records SET search_grams = (
      SELECT array_agg(c ORDER BY c) FROM (
        SELECT unnest(search_grams)
        UNION SELECT gk_search_digit_grams(left(search_text, 50000))
        UNION SELECT gk_search_digit_boundaries(left(search_text, 50000))
        UNION SELECT gk_search_year_code(published_date)) x(c))
    WHERE search_grams IS NOT NULL`.execute(db);
  await sql`CREATE INDEX records_search_grams_idx ON records USING gin (search_grams)
    WHERE status = 'published'`.execute(db);
  await sql`ANALYZE records (search_grams)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(trigger("gk_search_grams(left(NEW.search_text, 50000))", false)).execute(db);
  await sql`DROP FUNCTION gk_search_codes(text, date)`.execute(db);
  await sql.raw(gramsFunction(false)).execute(db);
  await sql`DROP FUNCTION gk_search_digit_boundaries(text)`.execute(db);
  await sql`DROP FUNCTION gk_search_boundary_code(text, text, text)`.execute(db);
  await sql`DROP FUNCTION gk_search_digit_grams(text)`.execute(db);
  await sql`DROP FUNCTION gk_search_year_code(date)`.execute(db);
  await sql`UPDATE records SET search_text = NULL`.execute(db);
}

/**
 * gk_search_grams(text): the characters and pairs of the folded text (migration 2026-12-04T0600), with (`digits`)
 * or without its digit grams and boundaries.
 */
function gramsFunction(digits: boolean): string {
  return `CREATE OR REPLACE FUNCTION gk_search_grams(t text) RETURNS int4[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
      SELECT coalesce(array_agg(DISTINCT z.code), '{}'::int4[])
      FROM (
        SELECT v.code
        FROM (
          SELECT x.c, x.d,
                 CASE WHEN ascii(x.c) <= 65535 THEN ascii(x.c) ELSE 55296 + ascii(x.c) % 2048 END AS a,
                 CASE WHEN ascii(x.d) <= 65535 THEN ascii(x.d) ELSE 55296 + ascii(x.d) % 2048 END AS b
          FROM (SELECT c, lead(c) OVER (ORDER BY i) AS d
                FROM unnest(string_to_array(gk_search_fold(t), NULL)) WITH ORDINALITY AS u(c, i)) x
        ) k
        CROSS JOIN LATERAL (VALUES (k.a),
          (CASE WHEN k.d IS NULL OR k.d = ' ' THEN NULL ELSE ((k.a::int8 << 16) | k.b)::bit(32)::int4 END)) AS v(code)
        WHERE k.c <> ' ' AND v.code IS NOT NULL${
          digits
            ? `
        UNION ALL
        SELECT gk_search_digit_grams(gk_search_fold(t))
        UNION ALL
        SELECT gk_search_digit_boundaries(gk_search_fold(t))`
            : ""
        }
      ) z(code)
    $$`;
}

/**
 * The search-columns trigger function; `codes` computes search_grams from NEW (the text already set). With
 * `byDate`, a change of the publication date alone recomputes the codes too (the year is one of them).
 */
function trigger(codes: string, byDate: boolean): string {
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
     ${byDate ? "AND NEW.published_date IS NOT DISTINCT FROM OLD.published_date\n     " : ""}AND NEW.search_text IS NOT NULL AND NEW.search_grams IS NOT NULL AND NEW.search_head IS NOT NULL THEN
    ${keep}RETURN NEW;
  END IF;
  head := gk_search_fold(NEW.title || chr(1) || NEW.doc_number || chr(1) || coalesce(NEW.index_no, '') || chr(1)
    || array_to_string(NEW.keywords, chr(2)) || chr(1) || NEW.summary);
  NEW.search_head := head;
  NEW.search_text := head || chr(1) || gk_search_fold(NEW.body_text);
  NEW.search_grams := ${codes};
  NEW.search_overflow := char_length(NEW.search_text) > 50000;
  NEW.search_sig := gk_search_sig(NEW.search_grams);
  RETURN NEW;
END $$`;
}
