import { type Kysely, sql } from "kysely";

/**
 * 公开制度 (src/portal/disclosure-rules.*): an agency's own rules for its disclosure work (保密审查、发布审核、
 * 依申请公开办理 …), maintained in the console and shown in the portal's 公开制度 column.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE disclosure_rules (
      agency_id uuid NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      title text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 200),
      doc_number text NOT NULL DEFAULT '',
      issued_on date,
      body text NOT NULL CHECK (length(body) <= 50000),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, id)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE disclosure_rules`.execute(db);
}
