import { type Kysely, sql } from "kysely";

/**
 * Publication of the government's compiled report and corrections (更正) of published agency reports.
 *
 * `regional_annual_reports` gains its publication (a supervisor with report.aggregate publishes it; 条例第49条):
 * `published_data` is the report as published (the portal shows it; a recompilation is public only once republished).
 *
 * `annual_reports`: a correction reopens a published report as a new revision in draft; `published_on` keeps the
 * first publication date (the 31 January deadline is judged on it), `corrected_on` is the date the current revision
 * was published. The status check becomes "published implies a publication date" so that a report under correction
 * (draft, published_on set) stays listed on the portal with its previous revision.
 *
 * `annual_report_revisions`: the superseded published revisions (still downloadable on the portal).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE regional_annual_reports
      ADD COLUMN published_on date,
      ADD COLUMN published_at timestamptz,
      ADD COLUMN published_by uuid REFERENCES staff_users(id) ON DELETE SET NULL,
      ADD COLUMN published_data jsonb,
      ADD CHECK ((published_on IS NULL) = (published_at IS NULL)),
      ADD CHECK ((published_on IS NULL) = (published_data IS NULL))`.execute(db);

  await sql`ALTER TABLE annual_reports DROP CONSTRAINT annual_reports_check`.execute(db);
  await sql`
    ALTER TABLE annual_reports
      ADD COLUMN revision integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
      ADD COLUMN corrected_on date,
      ADD CONSTRAINT annual_reports_published_check
        CHECK (status <> 'published' OR (published_on IS NOT NULL AND published_at IS NOT NULL))`.execute(db);

  await sql`
    CREATE TABLE annual_report_revisions (
      agency_id uuid NOT NULL,
      report_id uuid NOT NULL,
      revision integer NOT NULL CHECK (revision >= 1),
      data jsonb NOT NULL,
      published_on date NOT NULL,
      superseded_at timestamptz NOT NULL,
      superseded_by uuid REFERENCES staff_users(id) ON DELETE SET NULL,
      reason text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, report_id, revision),
      FOREIGN KEY (agency_id, report_id) REFERENCES annual_reports(agency_id, id) ON DELETE CASCADE
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE annual_report_revisions`.execute(db);
  await sql`
    ALTER TABLE annual_reports
      DROP CONSTRAINT annual_reports_published_check,
      DROP COLUMN corrected_on,
      DROP COLUMN revision`.execute(db);
  await sql`
    ALTER TABLE annual_reports ADD CONSTRAINT annual_reports_check
      CHECK ((status = 'published') = (published_on IS NOT NULL AND published_at IS NOT NULL))`.execute(db);
  await sql`
    ALTER TABLE regional_annual_reports
      DROP COLUMN published_data,
      DROP COLUMN published_by,
      DROP COLUMN published_at,
      DROP COLUMN published_on`.execute(db);
}
