import { type Kysely, sql } from "kysely";

/**
 * Notices take the agency's contact details, 行政复议机关 and court from one place: the 政府信息公开指南
 * (agency_profiles). The duplicate fields of info_request_settings are carried over (where the guide's field is
 * still empty) and dropped; the guide gains the court (管辖人民法院).
 *
 * Also (条例第31条 / 国办函〔2020〕109号, issue #16):
 * - `rest_day_receipt`: how a receipt on a rest day is counted (receipt_day: the receipt date is day 0;
 *   next_working_day: the next working day is day 0), shown in every explanation;
 * - `fee_pauses_clock` defaults to true: the 20-working-day payment window cannot lie inside the reply period.
 *   Existing rows keep the value the agency saved.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE agency_profiles ADD COLUMN court text NOT NULL DEFAULT ''`.execute(db);
  await sql`
    INSERT INTO agency_profiles (agency_id)
    SELECT agency_id FROM info_request_settings
    WHERE office_name <> '' OR office_address <> '' OR office_phone <> '' OR review_body <> '' OR court <> ''
    ON CONFLICT (agency_id) DO NOTHING`.execute(db);
  await sql`
    UPDATE agency_profiles p SET
      office_name = CASE WHEN p.office_name = '' THEN s.office_name ELSE p.office_name END,
      office_address = CASE WHEN p.office_address = '' THEN s.office_address ELSE p.office_address END,
      phone = CASE WHEN p.phone = '' THEN s.office_phone ELSE p.phone END,
      review_body = CASE WHEN p.review_body = '' THEN s.review_body ELSE p.review_body END,
      court = s.court
    FROM info_request_settings s
    WHERE s.agency_id = p.agency_id`.execute(db);
  await sql`
    ALTER TABLE info_request_settings
      DROP COLUMN office_name,
      DROP COLUMN office_address,
      DROP COLUMN office_phone,
      DROP COLUMN review_body,
      DROP COLUMN court,
      ALTER COLUMN fee_pauses_clock SET DEFAULT true,
      ADD COLUMN rest_day_receipt text NOT NULL DEFAULT 'receipt_day'
        CHECK (rest_day_receipt IN ('receipt_day', 'next_working_day'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE info_request_settings
      DROP COLUMN rest_day_receipt,
      ALTER COLUMN fee_pauses_clock SET DEFAULT false,
      ADD COLUMN office_name text NOT NULL DEFAULT '',
      ADD COLUMN office_address text NOT NULL DEFAULT '',
      ADD COLUMN office_phone text NOT NULL DEFAULT '',
      ADD COLUMN review_body text NOT NULL DEFAULT '',
      ADD COLUMN court text NOT NULL DEFAULT ''`.execute(db);
  await sql`
    UPDATE info_request_settings s SET
      office_name = p.office_name, office_address = p.office_address, office_phone = p.phone,
      review_body = p.review_body, court = p.court
    FROM agency_profiles p
    WHERE p.agency_id = s.agency_id`.execute(db);
  await sql`ALTER TABLE agency_profiles DROP COLUMN court`.execute(db);
}
