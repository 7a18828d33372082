import { type Kysely, sql } from "kysely";

/**
 * Full-text search over records (portal /search):
 *  - search_text: the folded (gk_search_fold) title, 文号, summary and body text, separated by U+0001 (a character
 *    no query can contain, so no match spans two fields). Candidates are verified with strpos on it.
 *  - search_tsv: a tsvector of the CJK unigrams and bigrams (gk_search_tokens, migration
 *    2026-11-23T1710-create-portal) of the same text, with a GIN index. Lexemes are made by our function
 *    (array_to_tsvector), so no text search configuration or parser is involved: the tokens are exactly those of
 *    the TypeScript mirror in src/portal/search.rules.ts.
 * A tsvector is limited to 1 MB, so only the first 50,000 characters are tokenised; longer records carry
 * search_overflow = true and are always verified by strpos (recall stays 100%).
 * A trigram index on the folded title serves the "did you mean" suggestions (pg_trgm, queries of ≥ 3 characters).
 */
const SEARCH_TEXT = sql.raw(`title || chr(1) || doc_number || chr(1) || summary || chr(1) || body_text`);

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE records
    ADD COLUMN search_text text GENERATED ALWAYS AS (gk_search_fold(${SEARCH_TEXT})) STORED,
    ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (array_to_tsvector(gk_search_tokens(left(${SEARCH_TEXT}, 50000)))) STORED,
    ADD COLUMN search_overflow boolean GENERATED ALWAYS AS (char_length(${SEARCH_TEXT}) > 50000) STORED`.execute(
    db,
  );
  await sql`CREATE INDEX records_search_idx ON records USING gin (search_tsv) WHERE status = 'published'`.execute(
    db,
  );
  await sql`CREATE INDEX records_title_trgm_idx ON records USING gin (gk_search_fold(title) gin_trgm_ops) WHERE status = 'published'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX records_title_trgm_idx`.execute(db);
  await sql`DROP INDEX records_search_idx`.execute(db);
  await sql`ALTER TABLE records DROP COLUMN search_overflow, DROP COLUMN search_tsv, DROP COLUMN search_text`.execute(
    db,
  );
}
