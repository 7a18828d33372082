import { type Kysely, sql } from "kysely";

/**
 * Publishing (政府信息发布): records with their revisions and workflow history, attachments, the 索引号 counters,
 * 政策解读 links, the channel log, periodic obligations (月度/季度/年度更新) and duty notices.
 * Tenancy: agency_id leads every primary key and every foreign key to another tenant table.
 * Catalog items are referenced by (agency_id, item_id) and, across catalog versions, by item_stable_key.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("publishing_settings")
    .addColumn("agency_id", "uuid", (c) => c.primaryKey().references("agencies.id").onDelete("cascade"))
    .addColumn("index_template", "text", (c) => c.notNull().defaultTo("{CREDIT}/{YYYY}-{NNNNN}"))
    .addColumn("index_code", "text", (c) => c.check(sql`index_code ~ '^[0-9A-Za-z-]{1,30}$'`))
    .addColumn("index_code_is_demo", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("notify_emails", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("index_counters")
    .addColumn("agency_id", "uuid", (c) => c.notNull().references("agencies.id").onDelete("cascade"))
    .addColumn("year", "integer", (c) => c.notNull().check(sql`year BETWEEN 1990 AND 2999`))
    .addColumn("last_serial", "integer", (c) => c.notNull().check(sql`last_serial >= 0`))
    .addPrimaryKeyConstraint("index_counters_pkey", ["agency_id", "year"])
    .execute();

  await db.schema
    .createTable("records")
    .addColumn("agency_id", "uuid", (c) => c.notNull().references("agencies.id").onDelete("cascade"))
    .addColumn("id", "uuid", (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind IN ('document', 'interpretation')`))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status IN ('draft', 'published', 'withdrawn')`))
    .addColumn("index_no", "text")
    .addColumn("index_pattern", "text")
    .addColumn("current_revision_no", "integer")
    .addColumn("latest_revision_no", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("workflow_status", "text", (c) =>
      c
        .notNull()
        .check(sql`workflow_status IN ('draft','submitted','reviewed','approved','published','superseded')`),
    )
    .addColumn("title", "text", (c) => c.notNull().check(sql`length(title) BETWEEN 1 AND 300`))
    .addColumn("summary", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("issuing_agency", "text", (c) => c.notNull())
    .addColumn("doc_number", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("formed_date", "date", (c) => c.notNull())
    .addColumn("changed_date", "date")
    .addColumn("published_date", "date")
    .addColumn("revised_date", "date")
    .addColumn("topic", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("genre", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("keywords", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn("validity", "text", (c) => c.check(sql`validity IN ('有效', '失效', '废止')`))
    .addColumn("effective_date", "date")
    .addColumn("repeal_date", "date")
    .addColumn("replaced_by_record_id", "uuid")
    .addColumn("replaced_by_text", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("disclosure", "text", (c) =>
      c.notNull().check(sql`disclosure IN ('主动公开', '依申请公开', '不予公开')`),
    )
    .addColumn("non_disclosure_reason", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("item_id", "uuid")
    .addColumn("item_stable_key", "text")
    .addColumn("element_id", "uuid")
    .addColumn("element_stable_key", "text")
    .addColumn("department_id", "uuid")
    .addColumn("doc_category", "text", (c) =>
      c.check(
        sql`doc_category IN ('rules','normative_documents','licensing','penalty','coercion','administrative_fees')`,
      ),
    )
    .addColumn("decision_count", "integer", (c) => c.notNull().defaultTo(0).check(sql`decision_count >= 0`))
    .addColumn("fee_amount_wan", "numeric(14, 4)")
    .addColumn("body_html", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("body_text", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("attachment_ids", sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'::uuid[]`))
    .addColumn("due_date", "date")
    .addColumn("due_explanation", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("due_basis", "text")
    .addColumn("due_provisional", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("due_rule", "jsonb")
    .addColumn("late", "boolean")
    .addColumn("created_by", "uuid", (c) => c.references("staff_users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("first_published_at", "timestamptz")
    .addColumn("published_at", "timestamptz")
    .addColumn("withdrawn_at", "timestamptz")
    .addColumn("withdrawn_by", "uuid", (c) => c.references("staff_users.id").onDelete("set null"))
    .addColumn("withdrawn_reason", "text")
    .addPrimaryKeyConstraint("records_pkey", ["agency_id", "id"])
    .addForeignKeyConstraint("records_department_fkey", ["agency_id", "department_id"], "departments", [
      "agency_id",
      "id",
    ])
    .addForeignKeyConstraint("records_replaced_by_fkey", ["agency_id", "replaced_by_record_id"], "records", [
      "agency_id",
      "id",
    ])
    .addCheckConstraint(
      "records_published_check",
      sql`status = 'draft' OR (index_no IS NOT NULL AND published_date IS NOT NULL AND current_revision_no IS NOT NULL)`,
    )
    .addCheckConstraint(
      "records_withdrawn_check",
      sql`status <> 'withdrawn' OR (withdrawn_at IS NOT NULL AND withdrawn_reason IS NOT NULL)`,
    )
    .execute();
  // Catalog item / element: the row may be deleted with a draft catalog version; keep agency_id, clear the id only.
  await sql`ALTER TABLE records ADD CONSTRAINT records_item_fkey FOREIGN KEY (agency_id, item_id)
    REFERENCES catalog_items (agency_id, id) ON DELETE SET NULL (item_id)`.execute(db);
  await sql`ALTER TABLE records ADD CONSTRAINT records_element_fkey FOREIGN KEY (agency_id, element_id)
    REFERENCES catalog_elements (agency_id, id) ON DELETE SET NULL (element_id)`.execute(db);
  // 索引号: unique and permanent (never reassigned, also when the record is withdrawn).
  await sql`CREATE UNIQUE INDEX records_index_no_key ON records (agency_id, index_no) WHERE index_no IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX records_public_idx ON records (agency_id, published_date DESC, id) WHERE status = 'published'`.execute(
    db,
  );
  await db.schema
    .createIndex("records_item_idx")
    .on("records")
    .columns(["agency_id", "item_stable_key", "published_date"])
    .execute();
  await db.schema.createIndex("records_status_idx").on("records").columns(["agency_id", "status"]).execute();
  await db.schema
    .createIndex("records_department_idx")
    .on("records")
    .columns(["agency_id", "department_id"])
    .execute();

  await db.schema
    .createTable("record_revisions")
    .addColumn("agency_id", "uuid", (c) => c.notNull())
    .addColumn("record_id", "uuid", (c) => c.notNull())
    .addColumn("revision_no", "integer", (c) => c.notNull().check(sql`revision_no >= 1`))
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status IN ('draft','submitted','reviewed','approved','published','superseded')`),
    )
    .addColumn("content", "jsonb", (c) => c.notNull())
    .addColumn("body_text", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("change_note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_by", "uuid", (c) => c.references("staff_users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("submitted_by", "uuid")
    .addColumn("submitted_at", "timestamptz")
    .addColumn("reviewed_by", "uuid")
    .addColumn("reviewed_at", "timestamptz")
    .addColumn("review_checklist", "jsonb")
    .addColumn("approved_by", "uuid")
    .addColumn("approved_at", "timestamptz")
    .addColumn("published_by", "uuid")
    .addColumn("published_at", "timestamptz")
    .addColumn("returned_by", "uuid")
    .addColumn("returned_at", "timestamptz")
    .addColumn("returned_reason", "text")
    .addColumn("pii_findings", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("pii_override_by", "uuid")
    .addColumn("pii_override_reason", "text")
    .addPrimaryKeyConstraint("record_revisions_pkey", ["agency_id", "record_id", "revision_no"])
    .addForeignKeyConstraint(
      "record_revisions_record_fkey",
      ["agency_id", "record_id"],
      "records",
      ["agency_id", "id"],
      (fk) => fk.onDelete("cascade"),
    )
    .execute();
  // At most one open (unpublished) revision per record.
  await sql`CREATE UNIQUE INDEX record_revisions_one_open ON record_revisions (agency_id, record_id)
    WHERE status IN ('draft', 'submitted', 'reviewed', 'approved')`.execute(db);

  await db.schema
    .createTable("record_events")
    .addColumn("agency_id", "uuid", (c) => c.notNull())
    .addColumn("id", "uuid", (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn("record_id", "uuid", (c) => c.notNull())
    .addColumn("revision_no", "integer", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("from_status", "text")
    .addColumn("to_status", "text")
    .addColumn("actor_id", "uuid")
    .addColumn("actor_name", "text")
    .addColumn("reason", "text")
    .addColumn("occurred_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("record_events_pkey", ["agency_id", "id"])
    .addForeignKeyConstraint(
      "record_events_record_fkey",
      ["agency_id", "record_id"],
      "records",
      ["agency_id", "id"],
      (fk) => fk.onDelete("cascade"),
    )
    .execute();
  await db.schema
    .createIndex("record_events_record_idx")
    .on("record_events")
    .columns(["agency_id", "record_id", "occurred_at"])
    .execute();

  await db.schema
    .createTable("record_attachments")
    .addColumn("agency_id", "uuid", (c) => c.notNull())
    .addColumn("id", "uuid", (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn("record_id", "uuid", (c) => c.notNull())
    .addColumn("file_name", "text", (c) => c.notNull().check(sql`length(file_name) BETWEEN 1 AND 255`))
    .addColumn("mime_type", "text", (c) => c.notNull())
    .addColumn("file_type", "text", (c) =>
      c.notNull().check(sql`file_type IN ('pdf','doc','docx','xls','xlsx','png','jpg','gif')`),
    )
    .addColumn("size_bytes", "integer", (c) => c.notNull().check(sql`size_bytes > 0`))
    .addColumn("sha256", "text", (c) => c.notNull().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn("extracted_text", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_by", "uuid")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("record_attachments_pkey", ["agency_id", "id"])
    .addForeignKeyConstraint(
      "record_attachments_record_fkey",
      ["agency_id", "record_id"],
      "records",
      ["agency_id", "id"],
      (fk) => fk.onDelete("cascade"),
    )
    .execute();
  await db.schema
    .createIndex("record_attachments_record_idx")
    .on("record_attachments")
    .columns(["agency_id", "record_id"])
    .execute();

  await db.schema
    .createTable("record_interpretations")
    .addColumn("agency_id", "uuid", (c) => c.notNull())
    .addColumn("interpretation_id", "uuid", (c) => c.notNull())
    .addColumn("policy_id", "uuid", (c) => c.notNull())
    .addPrimaryKeyConstraint("record_interpretations_pkey", ["agency_id", "interpretation_id", "policy_id"])
    .addForeignKeyConstraint(
      "record_interpretations_interpretation_fkey",
      ["agency_id", "interpretation_id"],
      "records",
      ["agency_id", "id"],
      (fk) => fk.onDelete("cascade"),
    )
    .addForeignKeyConstraint(
      "record_interpretations_policy_fkey",
      ["agency_id", "policy_id"],
      "records",
      ["agency_id", "id"],
      (fk) => fk.onDelete("cascade"),
    )
    .addCheckConstraint("record_interpretations_not_self", sql`interpretation_id <> policy_id`)
    .execute();
  await db.schema
    .createIndex("record_interpretations_policy_idx")
    .on("record_interpretations")
    .columns(["agency_id", "policy_id"])
    .execute();

  await db.schema
    .createTable("record_channels")
    .addColumn("agency_id", "uuid", (c) => c.notNull())
    .addColumn("id", "uuid", (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn("record_id", "uuid", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull().check(sql`length(channel) BETWEEN 1 AND 50`))
    .addColumn("published_on", "date", (c) => c.notNull())
    .addColumn("evidence", "text", (c) => c.notNull().check(sql`length(evidence) BETWEEN 1 AND 2000`))
    .addColumn("created_by", "uuid")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("record_channels_pkey", ["agency_id", "id"])
    .addForeignKeyConstraint(
      "record_channels_record_fkey",
      ["agency_id", "record_id"],
      "records",
      ["agency_id", "id"],
      (fk) => fk.onDelete("cascade"),
    )
    .execute();
  await db.schema
    .createIndex("record_channels_record_idx")
    .on("record_channels")
    .columns(["agency_id", "record_id"])
    .execute();

  await db.schema
    .createTable("record_obligations")
    .addColumn("agency_id", "uuid", (c) => c.notNull())
    .addColumn("id", "uuid", (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn("item_stable_key", "text", (c) => c.notNull())
    .addColumn("item_id", "uuid")
    .addColumn("element_stable_key", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("period_unit", "text", (c) =>
      c.notNull().check(sql`period_unit IN ('month', 'quarter', 'year', 'fixedYearly')`),
    )
    .addColumn("period_year", "integer", (c) => c.notNull())
    .addColumn("period_index", "integer", (c) => c.notNull())
    .addColumn("period_label", "text", (c) => c.notNull())
    .addColumn("period_start", "date", (c) => c.notNull())
    .addColumn("period_end", "date", (c) => c.notNull())
    .addColumn("due_date", "date", (c) => c.notNull())
    .addColumn("due_explanation", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status IN ('open', 'met', 'attested')`))
    .addColumn("met_record_id", "uuid")
    .addColumn("met_on", "date")
    .addColumn("attested_by", "uuid")
    .addColumn("attested_by_name", "text")
    .addColumn("attested_at", "timestamptz")
    .addColumn("attestation_reason", "text")
    .addColumn("department_id", "uuid")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("record_obligations_pkey", ["agency_id", "id"])
    .addUniqueConstraint("record_obligations_period_key", [
      "agency_id",
      "item_stable_key",
      "element_stable_key",
      "period_unit",
      "period_year",
      "period_index",
    ])
    .addForeignKeyConstraint("record_obligations_record_fkey", ["agency_id", "met_record_id"], "records", [
      "agency_id",
      "id",
    ])
    .addForeignKeyConstraint(
      "record_obligations_department_fkey",
      ["agency_id", "department_id"],
      "departments",
      ["agency_id", "id"],
    )
    .addCheckConstraint(
      "record_obligations_attestation_check",
      sql`status <> 'attested' OR (attested_at IS NOT NULL AND attestation_reason IS NOT NULL AND met_on IS NOT NULL)`,
    )
    .addCheckConstraint("record_obligations_met_check", sql`status <> 'met' OR met_record_id IS NOT NULL`)
    .execute();
  await sql`ALTER TABLE record_obligations ADD CONSTRAINT record_obligations_item_fkey FOREIGN KEY (agency_id, item_id)
    REFERENCES catalog_items (agency_id, id) ON DELETE SET NULL (item_id)`.execute(db);
  await db.schema
    .createIndex("record_obligations_due_idx")
    .on("record_obligations")
    .columns(["agency_id", "status", "due_date"])
    .execute();

  await db.schema
    .createTable("duty_notices")
    .addColumn("agency_id", "uuid", (c) => c.notNull().references("agencies.id").onDelete("cascade"))
    .addColumn("id", "uuid", (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn("department_id", "uuid")
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("link", "text", (c) => c.notNull())
    .addColumn("dedupe_key", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("read_at", "timestamptz")
    .addColumn("emailed_at", "timestamptz")
    .addPrimaryKeyConstraint("duty_notices_pkey", ["agency_id", "id"])
    .addUniqueConstraint("duty_notices_dedupe_key", ["agency_id", "dedupe_key"])
    .addForeignKeyConstraint(
      "duty_notices_department_fkey",
      ["agency_id", "department_id"],
      "departments",
      ["agency_id", "id"],
      (fk) => fk.onDelete("cascade"),
    )
    .execute();
  await db.schema
    .createIndex("duty_notices_department_idx")
    .on("duty_notices")
    .columns(["agency_id", "department_id", "created_at"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("duty_notices").execute();
  await db.schema.dropTable("record_obligations").execute();
  await db.schema.dropTable("record_channels").execute();
  await db.schema.dropTable("record_interpretations").execute();
  await db.schema.dropTable("record_attachments").execute();
  await db.schema.dropTable("record_events").execute();
  await db.schema.dropTable("record_revisions").execute();
  await db.schema.dropTable("records").execute();
  await db.schema.dropTable("index_counters").execute();
  await db.schema.dropTable("publishing_settings").execute();
}
