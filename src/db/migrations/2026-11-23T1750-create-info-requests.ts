import { type Kysely, sql } from "kysely";

/**
 * Applications for disclosure (依申请公开, 条例第27–45条): the applications, their 补正 rounds, consultations,
 * the event register (条例第45条), generated notices, review/litigation cases (table 四), per-agency notice
 * templates and settings, and per-agency counters (申请编号, notice numbers).
 *
 * Personal data (name, identity number, contact) is one AES-256-GCM ciphertext (`personal_enc`); only masked forms
 * and a keyed hash (`applicant_key`, for per-applicant counts) are stored in clear.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE info_request_settings (
      agency_id uuid PRIMARY KEY REFERENCES agencies(id) ON DELETE CASCADE,
      office_name text NOT NULL DEFAULT '',
      office_address text NOT NULL DEFAULT '',
      office_phone text NOT NULL DEFAULT '',
      doc_prefix text NOT NULL DEFAULT '' CHECK (length(doc_prefix) <= 30),
      review_body text NOT NULL DEFAULT '',
      court text NOT NULL DEFAULT '',
      retention_years integer NOT NULL DEFAULT 10 CHECK (retention_years BETWEEN 1 AND 100),
      correction_days integer NOT NULL DEFAULT 10 CHECK (correction_days BETWEEN 1 AND 60),
      fee_pauses_clock boolean NOT NULL DEFAULT false,
      fee_payment_method text NOT NULL DEFAULT '',
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE info_request_counters (
      agency_id uuid NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
      name text NOT NULL,
      year integer NOT NULL,
      last integer NOT NULL,
      PRIMARY KEY (agency_id, name, year)
    )`.execute(db);

  await sql`
    CREATE TABLE info_requests (
      agency_id uuid NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      number text NOT NULL,
      query_code text NOT NULL CHECK (query_code ~ '^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{12}$'),
      status text NOT NULL CHECK (status IN ('awaiting_confirmation','processing','correction','consultation',
        'reasons_requested','fee_pending','concluded','archived')),
      version integer NOT NULL DEFAULT 1,
      channel text NOT NULL CHECK (channel IN ('online','in_person','oral','post','fax','email','hotline')),
      applicant_type text NOT NULL CHECK (applicant_type IN ('natural_person','commercial','research',
        'public_interest','legal_service','other_org')),
      applicant_display text NOT NULL,
      id_type text NOT NULL,
      id_masked text NOT NULL,
      phone_masked text,
      applicant_key text NOT NULL,
      personal_enc text,
      filled_by_staff boolean NOT NULL DEFAULT false,
      info_title text NOT NULL CHECK (length(info_title) BETWEEN 2 AND 200),
      info_doc_number text,
      info_description text,
      form text NOT NULL CHECK (form IN ('paper','electronic','disc','other')),
      delivery text NOT NULL CHECK (delivery IN ('post','email','pickup','online')),
      submitted_at timestamptz NOT NULL,
      submitted_on date NOT NULL,
      signed_for_on date,
      confirmed_on date,
      received_on date,
      receipt_basis text,
      department_id uuid,
      assignee_id uuid REFERENCES staff_users(id) ON DELETE SET NULL,
      reasons_requested_on date,
      deferral_decided_on date,
      deferral_due_on date,
      extension_days integer CHECK (extension_days BETWEEN 1 AND 20),
      extension_reason text,
      extension_proposed_on date,
      extension_approved_on date,
      extension_approved_by text,
      extension_notified_on date,
      fee_basis text CHECK (fee_basis IN ('per_item','per_page')),
      fee_units integer CHECK (fee_units > 0),
      fee_amount integer CHECK (fee_amount >= 0),
      fee_explanation text,
      fee_served_on date,
      fee_paid_on date,
      fee_paid_amount integer,
      outcome text CHECK (outcome IN ('granted','partially_granted','withheld_state_secret',
        'withheld_prohibited_by_law','withheld_security_stability','withheld_third_party','withheld_internal_affairs',
        'withheld_process_information','withheld_enforcement_file','withheld_administrative_inquiry',
        'unavailable_not_held','unavailable_needs_creation','unavailable_still_unclear','not_processed_petition',
        'not_processed_repeated','not_processed_publication','not_processed_excessive','not_processed_confirmation',
        'other_not_corrected','other_fee_unpaid','other_other')),
      reply_type text,
      legal_basis text,
      reply_reasons text,
      replied_on date,
      concluded_on date,
      delivered_on date,
      delivery_actual text CHECK (delivery_actual IN ('post','email','pickup','online')),
      delivery_proof text,
      archived_on date,
      catalog_item_id uuid,
      next_due_on date,
      next_due_kind text,
      personal_purged_on date,
      created_by uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, id),
      UNIQUE (agency_id, number),
      UNIQUE (agency_id, query_code),
      FOREIGN KEY (agency_id, department_id) REFERENCES departments(agency_id, id) ON DELETE SET NULL (department_id),
      FOREIGN KEY (agency_id, catalog_item_id) REFERENCES catalog_items(agency_id, id)
        ON DELETE SET NULL (catalog_item_id),
      -- Exactly one outcome once concluded (table 三 counts each application once).
      CHECK ((status IN ('concluded','archived')) = (outcome IS NOT NULL AND concluded_on IS NOT NULL)),
      CHECK (status = 'awaiting_confirmation' OR received_on IS NOT NULL),
      CHECK (personal_enc IS NOT NULL OR personal_purged_on IS NOT NULL)
    )`.execute(db);
  await sql`CREATE INDEX info_requests_query_code_idx ON info_requests (query_code)`.execute(db);
  await sql`CREATE INDEX info_requests_status_idx ON info_requests (agency_id, status, next_due_on)`.execute(
    db,
  );
  await sql`CREATE INDEX info_requests_applicant_idx ON info_requests (agency_id, applicant_key, received_on)`.execute(
    db,
  );
  await sql`CREATE INDEX info_requests_received_idx ON info_requests (agency_id, received_on)`.execute(db);
  await sql`CREATE INDEX info_requests_concluded_idx ON info_requests (agency_id, concluded_on)`.execute(db);
  // 条例第44条: similar applications (pg_trgm, created by the platform migration).
  await sql`CREATE INDEX info_requests_text_trgm_idx ON info_requests
    USING gin ((info_title || ' ' || coalesce(info_description, '')) gin_trgm_ops)`.execute(db);

  await sql`
    CREATE TABLE info_request_corrections (
      agency_id uuid NOT NULL,
      request_id uuid NOT NULL,
      round integer NOT NULL CHECK (round >= 1),
      notice_on date NOT NULL,
      due_on date NOT NULL,
      items text NOT NULL,
      received_on date,
      lapsed_on date,
      PRIMARY KEY (agency_id, request_id, round),
      FOREIGN KEY (agency_id, request_id) REFERENCES info_requests(agency_id, id) ON DELETE CASCADE,
      CHECK (due_on >= notice_on),
      CHECK (received_on IS NULL OR lapsed_on IS NULL)
    )`.execute(db);

  await sql`
    CREATE TABLE info_request_consultations (
      agency_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      request_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('third_party','other_organ')),
      party text NOT NULL,
      matters text NOT NULL DEFAULT '',
      sent_on date NOT NULL,
      ended_on date,
      result text CHECK (result IN ('consent','objection','no_reply')),
      note text,
      PRIMARY KEY (agency_id, id),
      FOREIGN KEY (agency_id, request_id) REFERENCES info_requests(agency_id, id) ON DELETE CASCADE,
      CHECK ((ended_on IS NULL) = (result IS NULL)),
      CHECK (ended_on IS NULL OR ended_on >= sent_on)
    )`.execute(db);
  await sql`CREATE INDEX info_request_consultations_request_idx ON info_request_consultations (agency_id, request_id)`.execute(
    db,
  );

  await sql`
    CREATE TABLE info_request_events (
      agency_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      request_id uuid NOT NULL,
      kind text NOT NULL,
      on_date date NOT NULL,
      at timestamptz NOT NULL DEFAULT now(),
      actor_id uuid,
      actor_name text,
      public boolean NOT NULL DEFAULT true,
      note text,
      data jsonb NOT NULL DEFAULT '{}'::jsonb,
      PRIMARY KEY (agency_id, id),
      FOREIGN KEY (agency_id, request_id) REFERENCES info_requests(agency_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX info_request_events_request_idx ON info_request_events (agency_id, request_id, at)`.execute(
    db,
  );

  await sql`
    CREATE TABLE info_request_notices (
      agency_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      request_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('receipt','correction','consultation','extension','fee','reply')),
      doc_number text NOT NULL,
      issued_on date NOT NULL,
      title text NOT NULL,
      recipient text NOT NULL,
      paragraphs jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid,
      PRIMARY KEY (agency_id, id),
      FOREIGN KEY (agency_id, request_id) REFERENCES info_requests(agency_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX info_request_notices_request_idx ON info_request_notices (agency_id, request_id)`.execute(
    db,
  );

  await sql`
    CREATE TABLE info_request_cases (
      agency_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      request_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('review','litigation_direct','litigation_after_review')),
      filed_on date NOT NULL,
      body text NOT NULL DEFAULT '',
      case_number text NOT NULL DEFAULT '',
      result text NOT NULL DEFAULT 'pending' CHECK (result IN ('upheld','corrected','other','pending')),
      concluded_on date,
      note text,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, id),
      FOREIGN KEY (agency_id, request_id) REFERENCES info_requests(agency_id, id) ON DELETE CASCADE,
      CHECK ((result = 'pending') = (concluded_on IS NULL)),
      CHECK (concluded_on IS NULL OR concluded_on >= filed_on)
    )`.execute(db);
  await sql`CREATE INDEX info_request_cases_request_idx ON info_request_cases (agency_id, request_id)`.execute(
    db,
  );

  await sql`
    CREATE TABLE info_request_templates (
      agency_id uuid NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
      kind text NOT NULL,
      body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by uuid,
      PRIMARY KEY (agency_id, kind)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "info_request_templates",
    "info_request_cases",
    "info_request_notices",
    "info_request_events",
    "info_request_consultations",
    "info_request_corrections",
    "info_requests",
    "info_request_counters",
    "info_request_settings",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
