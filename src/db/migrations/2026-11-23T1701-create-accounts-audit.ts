import { type Kysely, sql } from "kysely";

/**
 * Staff accounts, role grants, sessions, API tokens, sign-in throttling, the first-run setup token, and the
 * append-only, hash-chained audit log (审计日志).
 *
 * Retention (等保2.0 / 网络安全法第21条: logs kept ≥ 6 months): a trigger rejects every UPDATE of audit_events and
 * every DELETE of a row younger than 180 days; TRUNCATE is rejected. Older rows may be archived and deleted by the
 * database owner.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("staff_users")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("username", "text", (c) =>
      c.notNull().unique().check(sql`username ~ '^[a-z0-9][a-z0-9._-]{2,39}$'`),
    )
    .addColumn("display_name", "text", (c) => c.notNull().check(sql`length(display_name) BETWEEN 1 AND 50`))
    .addColumn("home_agency_id", "uuid", (c) => c.references("agencies.id").onDelete("restrict"))
    .addColumn("home_region_id", "uuid", (c) => c.references("regions.id").onDelete("restrict"))
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("must_change_password", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("totp_secret", "text")
    .addColumn("totp_pending_secret", "text")
    .addColumn("totp_last_step", "bigint")
    .addColumn("active", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("password_changed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("last_login_at", "timestamptz")
    .execute();
  await db.schema.createIndex("staff_users_agency_idx").on("staff_users").column("home_agency_id").execute();

  await db.schema
    .createTable("role_grants")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("user_id", "uuid", (c) => c.notNull().references("staff_users.id").onDelete("cascade"))
    .addColumn("role", "text", (c) =>
      c
        .notNull()
        .check(
          sql`role IN ('platform_admin','security_admin','audit_admin','agency_admin','editor','reviewer','approver','request_handler','supervisor')`,
        ),
    )
    .addColumn("scope_agency_id", "uuid", (c) => c.references("agencies.id").onDelete("cascade"))
    .addColumn("department_id", "uuid")
    .addColumn("scope_region_id", "uuid", (c) => c.references("regions.id").onDelete("cascade"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("created_by", "uuid")
    .addForeignKeyConstraint(
      "role_grants_department_fkey",
      ["scope_agency_id", "department_id"],
      "departments",
      ["agency_id", "id"],
      (fk) => fk.onDelete("cascade"),
    )
    // Scope shape per role: platform roles have none, supervisors a region, agency roles an agency.
    .addCheckConstraint(
      "role_grants_scope_check",
      sql`CASE
        WHEN role IN ('platform_admin','security_admin','audit_admin')
          THEN scope_agency_id IS NULL AND scope_region_id IS NULL AND department_id IS NULL
        WHEN role = 'supervisor'
          THEN scope_agency_id IS NULL AND scope_region_id IS NOT NULL AND department_id IS NULL
        ELSE scope_agency_id IS NOT NULL AND scope_region_id IS NULL
          AND (department_id IS NULL OR role = 'editor')
      END`,
    )
    .execute();
  await sql`CREATE UNIQUE INDEX role_grants_unique ON role_grants (user_id, role,
    coalesce(scope_agency_id, '00000000-0000-0000-0000-000000000000'::uuid),
    coalesce(department_id, '00000000-0000-0000-0000-000000000000'::uuid),
    coalesce(scope_region_id, '00000000-0000-0000-0000-000000000000'::uuid))`.execute(db);
  await db.schema.createIndex("role_grants_agency_idx").on("role_grants").column("scope_agency_id").execute();

  await db.schema
    .createTable("staff_sessions")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", "uuid", (c) => c.notNull().references("staff_users.id").onDelete("cascade"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("last_seen_at", "timestamptz", (c) => c.notNull())
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("ip", "text")
    .addColumn("user_agent", "text")
    .execute();
  await db.schema.createIndex("staff_sessions_user_idx").on("staff_sessions").column("user_id").execute();

  await db.schema
    .createTable("api_tokens")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("user_id", "uuid", (c) => c.notNull().references("staff_users.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull().check(sql`length(name) BETWEEN 1 AND 60`))
    .addColumn("prefix", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("scopes", sql`text[]`, (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("last_used_at", "timestamptz")
    .addColumn("expires_at", "timestamptz")
    .addColumn("revoked_at", "timestamptz")
    .execute();
  await db.schema.createIndex("api_tokens_user_idx").on("api_tokens").column("user_id").execute();

  await db.schema
    .createTable("login_failures")
    .addColumn("username", "text", (c) => c.primaryKey())
    .addColumn("failures", "integer", (c) => c.notNull())
    .addColumn("last_failed_at", "timestamptz", (c) => c.notNull())
    .addColumn("locked_until", "timestamptz")
    .execute();

  await db.schema
    .createTable("setup_tokens")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("used_at", "timestamptz")
    .execute();

  await db.schema
    .createTable("audit_events")
    .addColumn("seq", "bigserial", (c) => c.primaryKey())
    .addColumn("occurred_at", "timestamptz", (c) => c.notNull())
    .addColumn("actor_id", "uuid")
    .addColumn("actor_name", "text")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("scope_agency_id", "uuid")
    .addColumn("entity_type", "text", (c) => c.notNull())
    .addColumn("entity_id", "text")
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("before_json", "text")
    .addColumn("after_json", "text")
    .addColumn("ip", "text")
    .addColumn("prev_hash", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull().unique())
    .execute();
  await db.schema.createIndex("audit_events_time_idx").on("audit_events").column("occurred_at").execute();
  await db.schema
    .createIndex("audit_events_agency_idx")
    .on("audit_events")
    .columns(["scope_agency_id", "seq"])
    .execute();
  await db.schema
    .createIndex("audit_events_actor_idx")
    .on("audit_events")
    .columns(["actor_id", "seq"])
    .execute();
  await db.schema
    .createIndex("audit_events_action_idx")
    .on("audit_events")
    .columns(["action", "seq"])
    .execute();

  // Append-only: no UPDATE ever; DELETE only of rows older than the 180-day retention; no TRUNCATE.
  await sql`CREATE FUNCTION audit_events_reject_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_events is append-only (审计日志不可修改)' USING ERRCODE = 'insufficient_privilege';
    END $$`.execute(db);
  await sql`CREATE FUNCTION audit_events_guard_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.occurred_at > now() - interval '180 days' THEN
        RAISE EXCEPTION 'audit_events rows are retained for 180 days (审计日志至少保存180天)'
          USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN OLD;
    END $$`.execute(db);
  await sql`CREATE FUNCTION audit_events_reject_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_events cannot be truncated (审计日志不可清空)' USING ERRCODE = 'insufficient_privilege';
    END $$`.execute(db);
  await sql`CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_reject_update()`.execute(db);
  await sql`CREATE TRIGGER audit_events_retention BEFORE DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_guard_delete()`.execute(db);
  await sql`CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_reject_truncate()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("audit_events").execute();
  await sql`DROP FUNCTION audit_events_reject_update()`.execute(db);
  await sql`DROP FUNCTION audit_events_guard_delete()`.execute(db);
  await sql`DROP FUNCTION audit_events_reject_truncate()`.execute(db);
  await db.schema.dropTable("setup_tokens").execute();
  await db.schema.dropTable("login_failures").execute();
  await db.schema.dropTable("api_tokens").execute();
  await db.schema.dropTable("staff_sessions").execute();
  await db.schema.dropTable("role_grants").execute();
  await db.schema.dropTable("staff_users").execute();
}
