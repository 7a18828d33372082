import { type Kysely, sql } from "kysely";

/**
 * The public portal (信息公开专栏):
 *  - agency_profiles: the data of each agency's 政府信息公开指南 (条例第12条): the disclosure office, its address,
 *    hours, phone, fax, e-mail, the application channels it announces, and notes on fees and remedies.
 *  - gk_search_fold / gk_search_tokens: the IMMUTABLE functions of the Chinese full-text search (CJK unigrams and
 *    bigrams of the folded text). Their TypeScript mirror is src/portal/search.rules.ts; a test keeps them equal.
 *    The folding table is written out here (not imported) so this migration never changes after it ran.
 */
function foldTable(): { from: string; to: string } {
  let from = "";
  let to = "";
  const lower = (c: number) => (c >= 0x41 && c <= 0x5a ? c + 0x20 : c);
  for (let c = 0xff01; c <= 0xff5e; c++) {
    from += String.fromCharCode(c);
    to += String.fromCharCode(lower(c - 0xfee0));
  }
  for (const ws of ["\t", "\n", "\v", "\f", "\r", "\u00a0", "\u3000"]) {
    from += ws;
    to += " ";
  }
  for (let c = 0x41; c <= 0x5a; c++) {
    from += String.fromCharCode(c);
    to += String.fromCharCode(c + 0x20);
  }
  return { from, to };
}

/** A SQL string literal (standard_conforming_strings: only quotes need doubling). */
function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const { from, to } = foldTable();
  await sql
    .raw(
      `CREATE FUNCTION gk_search_fold(t text) RETURNS text
       LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
       RETURN translate(t, ${literal(from)}, ${literal(to)})`,
    )
    .execute(db);
  // Linear in the text length: string_to_array(s, NULL) splits into characters once (substr(s, i, n) would rescan
  // the multibyte string from its start for every i).
  await sql`
    CREATE FUNCTION gk_search_tokens(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
      SELECT coalesce(array_agg(DISTINCT v.tok), '{}'::text[])
      FROM (
        SELECT c, lead(c) OVER (ORDER BY i) AS d
        FROM unnest(string_to_array(gk_search_fold(t), NULL)) WITH ORDINALITY AS u(c, i)
      ) x
      CROSS JOIN LATERAL (VALUES (x.c), (x.c || x.d)) AS v(tok)
      WHERE v.tok IS NOT NULL AND strpos(v.tok, ' ') = 0
    $$`.execute(db);

  await db.schema
    .createTable("agency_profiles")
    .addColumn("agency_id", "uuid", (c) => c.primaryKey().references("agencies.id").onDelete("cascade"))
    /** 政府信息公开工作机构 */
    .addColumn("office_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("office_address", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("postal_code", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("office_hours", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("phone", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("fax", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("email", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("website", "text", (c) => c.notNull().defaultTo(""))
    /** 政府信息公开查阅场所 (reading room), if any. */
    .addColumn("reading_room", "text", (c) => c.notNull().defaultTo(""))
    /** Application channels announced in the guide (国办公开办函〔2017〕19号): in_person, post, online, fax, email. */
    .addColumn("channels", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{in_person,post,online}'::text[]`))
    /** Free-text paragraphs the agency adds to the generated guide. */
    .addColumn("intro", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("obtain_note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("apply_note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("fees_note", "text", (c) => c.notNull().defaultTo(""))
    /** 行政复议机关 and 监督机关 named in the remedies section (条例第51条). */
    .addColumn("review_body", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("supervisor_body", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("remedies_note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_by", "uuid")
    .addCheckConstraint(
      "agency_profiles_channels_check",
      sql`channels <@ '{in_person,post,online,fax,email}'::text[]`,
    )
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("agency_profiles").execute();
  await sql`DROP FUNCTION gk_search_tokens(text)`.execute(db);
  await sql`DROP FUNCTION gk_search_fold(text)`.execute(db);
}
