import { type Kysely, sql } from "kysely";

/**
 * Annual reports (政府信息公开工作年度报告, 条例第49–50条; format 国办公开办函〔2021〕30号).
 *
 * `annual_reports`: one report per agency and year, with its workflow (draft → submitted → reviewed → approved →
 * published). `source` holds the figures generated from the application register and the records; `manual` the
 * cells staff entered (they survive a refresh); `narratives` the texts staff edited; `data` the effective report
 * (source + manual + narratives, totals computed) that is checked, rendered and exported.
 *
 * `regional_annual_reports`: a government's compiled report (本级政府年度报告) per region and year, aggregated by
 * the region's supervisor from its agencies' approved reports (条例第49条: published by 31 March). Not a tenant table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE annual_reports (
      agency_id uuid NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      year integer NOT NULL CHECK (year BETWEEN 2000 AND 2999),
      status text NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'submitted', 'reviewed', 'approved', 'published')),
      version integer NOT NULL DEFAULT 1,
      data jsonb NOT NULL,
      source jsonb NOT NULL,
      manual jsonb NOT NULL DEFAULT '{}'::jsonb,
      narratives jsonb NOT NULL DEFAULT '{}'::jsonb,
      generated_at timestamptz NOT NULL,
      generated_by uuid REFERENCES staff_users(id) ON DELETE SET NULL,
      submitted_at timestamptz,
      submitted_by uuid REFERENCES staff_users(id) ON DELETE SET NULL,
      reviewed_at timestamptz,
      reviewed_by uuid REFERENCES staff_users(id) ON DELETE SET NULL,
      approved_at timestamptz,
      approved_by uuid REFERENCES staff_users(id) ON DELETE SET NULL,
      published_at timestamptz,
      published_by uuid REFERENCES staff_users(id) ON DELETE SET NULL,
      published_on date,
      returned_at timestamptz,
      returned_by uuid REFERENCES staff_users(id) ON DELETE SET NULL,
      returned_reason text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, id),
      UNIQUE (agency_id, year),
      CHECK ((status = 'published') = (published_on IS NOT NULL AND published_at IS NOT NULL))
    )`.execute(db);
  await sql`CREATE INDEX annual_reports_year_status_idx ON annual_reports (year, status)`.execute(db);

  await sql`
    CREATE TABLE regional_annual_reports (
      region_id uuid NOT NULL REFERENCES regions(id) ON DELETE CASCADE,
      year integer NOT NULL CHECK (year BETWEEN 2000 AND 2999),
      name text NOT NULL,
      data jsonb NOT NULL,
      narratives jsonb NOT NULL DEFAULT '{}'::jsonb,
      sources jsonb NOT NULL DEFAULT '[]'::jsonb,
      missing jsonb NOT NULL DEFAULT '[]'::jsonb,
      generated_at timestamptz NOT NULL,
      generated_by uuid REFERENCES staff_users(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (region_id, year)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE regional_annual_reports`.execute(db);
  await sql`DROP TABLE annual_reports`.execute(db);
}
