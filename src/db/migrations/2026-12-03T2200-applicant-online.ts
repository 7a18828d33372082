import { type Kysely, sql } from "kysely";

/**
 * The applicant's online loop (issue #16 items 3 and 5), all tables owned by requests:
 * - `info_request_applicant_sessions`: a session on the secure applicant page, scoped to one application (the
 *   cookie holds a random token; only its SHA-256 is stored);
 * - `info_request_applicant_links`: one-time links sent by e-mail/SMS (hash stored, expiring, single use);
 * - `info_request_access_log`: every access by the applicant (look-up, failed look-up, link, view, downloads,
 *   online 补正), visible to the handler; failed look-ups also drive the per-application lock-out;
 * - `info_request_files`: files of an application — attachments of an online 补正 (purpose `correction`) and the
 *   disclosed information the reply provides (purpose `disclosure`); bytes live in `<data>/uploads/<agency>/<sha256>`;
 * - `info_request_messages`: the outbox of applicant notifications (milestones), sent by the job
 *   requests.applicant-messages no earlier than `send_after` (quiet hours);
 * - settings: quiet hours and the handler reminder lead time; the 补正 text the applicant typed online.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE info_request_applicant_sessions (
      agency_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      request_id uuid NOT NULL,
      token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
      via text NOT NULL CHECK (via IN ('code', 'link')),
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (agency_id, id),
      FOREIGN KEY (agency_id, request_id) REFERENCES info_requests(agency_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`
    CREATE TABLE info_request_applicant_links (
      agency_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      request_id uuid NOT NULL,
      token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
      channel text NOT NULL CHECK (channel IN ('email', 'sms')),
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      PRIMARY KEY (agency_id, id),
      FOREIGN KEY (agency_id, request_id) REFERENCES info_requests(agency_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`
    CREATE TABLE info_request_access_log (
      agency_id uuid NOT NULL,
      id bigserial,
      request_id uuid NOT NULL,
      at timestamptz NOT NULL DEFAULT now(),
      kind text NOT NULL CHECK (kind IN ('lookup', 'lookup_failed', 'link_sent', 'link_used', 'view', 'notice',
        'file', 'correction', 'logout')),
      target text,
      ip text,
      PRIMARY KEY (agency_id, id),
      FOREIGN KEY (agency_id, request_id) REFERENCES info_requests(agency_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX info_request_access_log_request ON info_request_access_log (agency_id, request_id, at DESC)`.execute(
    db,
  );
  await sql`
    CREATE TABLE info_request_files (
      agency_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      request_id uuid NOT NULL,
      purpose text NOT NULL CHECK (purpose IN ('correction', 'disclosure')),
      file_name text NOT NULL,
      mime_type text NOT NULL,
      size_bytes integer NOT NULL CHECK (size_bytes > 0),
      sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      uploaded_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, id),
      FOREIGN KEY (agency_id, request_id) REFERENCES info_requests(agency_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX info_request_files_request ON info_request_files (agency_id, request_id)`.execute(
    db,
  );
  await sql`
    CREATE TABLE info_request_messages (
      agency_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      request_id uuid NOT NULL,
      milestone text NOT NULL CHECK (milestone IN ('received', 'correction', 'extended', 'replied')),
      subject text NOT NULL,
      body text NOT NULL,
      send_after timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed', 'skipped')),
      channels text[] NOT NULL DEFAULT '{}',
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      sent_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (agency_id, id),
      UNIQUE (agency_id, request_id, milestone),
      FOREIGN KEY (agency_id, request_id) REFERENCES info_requests(agency_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`CREATE INDEX info_request_messages_due ON info_request_messages (send_after) WHERE status = 'queued'`.execute(
    db,
  );
  await sql`
    ALTER TABLE info_request_corrections
      ADD COLUMN online_text text,
      ADD COLUMN submitted_online_at timestamptz`.execute(db);
  await sql`
    ALTER TABLE info_request_settings
      ADD COLUMN quiet_from smallint NOT NULL DEFAULT 22 CHECK (quiet_from BETWEEN 0 AND 23),
      ADD COLUMN quiet_until smallint NOT NULL DEFAULT 8 CHECK (quiet_until BETWEEN 0 AND 23),
      ADD COLUMN reminder_days smallint NOT NULL DEFAULT 3 CHECK (reminder_days BETWEEN 1 AND 10)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE info_request_settings DROP COLUMN quiet_from, DROP COLUMN quiet_until, DROP COLUMN reminder_days`.execute(
    db,
  );
  await sql`ALTER TABLE info_request_corrections DROP COLUMN online_text, DROP COLUMN submitted_online_at`.execute(
    db,
  );
  await sql`DROP TABLE info_request_messages`.execute(db);
  await sql`DROP TABLE info_request_files`.execute(db);
  await sql`DROP TABLE info_request_access_log`.execute(db);
  await sql`DROP TABLE info_request_applicant_links`.execute(db);
  await sql`DROP TABLE info_request_applicant_sessions`.execute(db);
}
