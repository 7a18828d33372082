import { type Kysely, sql } from "kysely";

/**
 * 一键脱敏 of an attachment (src/publishing/record-masking.service.ts): its extracted text is masked in place and the
 * public download becomes that masked text; the original file stays in storage for the record (staff only). Who
 * masked it, and when.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE record_attachments
      ADD COLUMN masked_at timestamptz,
      ADD COLUMN masked_by uuid REFERENCES staff_users (id) ON DELETE SET NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE record_attachments DROP COLUMN masked_at, DROP COLUMN masked_by`.execute(db);
}
