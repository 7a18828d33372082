import { type Kysely, sql } from "kysely";

/**
 * Proactive-disclosure catalogs (主动公开事项目录) as data: catalog → versions → item tree (一级/二级/三级事项)
 * → content elements (公开内容（要素）), plus the responsible units (责任单位) of each item.
 * Tenancy: agency_id leads every primary key and every foreign key to another tenant table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("catalogs")
    .addColumn("agency_id", "uuid", (c) => c.notNull().references("agencies.id").onDelete("cascade"))
    .addColumn("id", "uuid", (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    /** 'proactive' = 主动公开事项目录 (the only kind for now). */
    .addColumn("kind", "text", (c) => c.notNull().defaultTo("proactive"))
    .addColumn("title", "text", (c) => c.notNull().check(sql`length(title) BETWEEN 1 AND 200`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("catalogs_pkey", ["agency_id", "id"])
    .addUniqueConstraint("catalogs_agency_kind_key", ["agency_id", "kind"])
    .execute();

  await db.schema
    .createTable("catalog_versions")
    .addColumn("agency_id", "uuid", (c) => c.notNull())
    .addColumn("id", "uuid", (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn("catalog_id", "uuid", (c) => c.notNull())
    .addColumn("version_no", "integer", (c) => c.notNull().check(sql`version_no >= 1`))
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status IN ('draft', 'published', 'superseded')`),
    )
    .addColumn("title", "text", (c) => c.notNull())
    /** The version this draft was copied from (null for an import or the first version). */
    .addColumn("based_on_version_id", "uuid")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("created_by", "uuid")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("published_at", "timestamptz")
    .addColumn("published_by", "uuid")
    .addColumn("superseded_at", "timestamptz")
    /** 填表人 / 复核人 / 审签人 / 填表时间, stated totals (as the source states them). */
    .addColumn("header", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    /** Where the content came from: seed file, imported file name/format/sha256, … */
    .addColumn("source", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    /** Reasons given for removing or weakening items, keyed by item stable_key: { [key]: reason }. */
    .addColumn("change_reasons", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("note", "text")
    .addPrimaryKeyConstraint("catalog_versions_pkey", ["agency_id", "id"])
    .addUniqueConstraint("catalog_versions_no_key", ["agency_id", "catalog_id", "version_no"])
    .addForeignKeyConstraint(
      "catalog_versions_catalog_fkey",
      ["agency_id", "catalog_id"],
      "catalogs",
      ["agency_id", "id"],
      (fk) => fk.onDelete("cascade"),
    )
    .addCheckConstraint("catalog_versions_published_check", sql`status = 'draft' OR published_at IS NOT NULL`)
    .execute();
  // Deleting a version clears only the reference, never agency_id (PostgreSQL 15+ column list).
  await sql`ALTER TABLE catalog_versions ADD CONSTRAINT catalog_versions_based_on_fkey
    FOREIGN KEY (agency_id, based_on_version_id) REFERENCES catalog_versions (agency_id, id)
    ON DELETE SET NULL (based_on_version_id)`.execute(db);
  // At most one draft and one published version per catalog.
  await sql`CREATE UNIQUE INDEX catalog_versions_one_draft ON catalog_versions (agency_id, catalog_id) WHERE status = 'draft'`.execute(
    db,
  );
  await sql`CREATE UNIQUE INDEX catalog_versions_one_published ON catalog_versions (agency_id, catalog_id) WHERE status = 'published'`.execute(
    db,
  );

  await db.schema
    .createTable("catalog_items")
    .addColumn("agency_id", "uuid", (c) => c.notNull())
    .addColumn("id", "uuid", (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn("version_id", "uuid", (c) => c.notNull())
    .addColumn("parent_id", "uuid")
    .addColumn("level", "smallint", (c) => c.notNull().check(sql`level BETWEEN 1 AND 3`))
    /** Number as the source numbers it (一、 / 1 / (1) / 1.2 …), or null. */
    .addColumn("number", "text")
    /** Empty only when the source lost the name (the linter flags it). */
    .addColumn("name", "text", (c) => c.notNull().check(sql`length(name) <= 500`))
    /** 公开依据: one citation per entry. */
    .addColumn("legal_basis", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    /** 公开时限 as written. */
    .addColumn("deadline_text", "text")
    /** Parsed deadline rules (calendar parser ParsedRule[]), and clauses the parser could not read. */
    .addColumn("deadline_rules", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("deadline_unparsed", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    /** 公开主体 */
    .addColumn("subject", "text")
    /** 公开渠道和载体: standard channel codes, and free-text channels. */
    .addColumn("channels", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn("channels_other", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    /** 公开对象: 全社会 / 特定群体 (free text kept as written when neither). */
    .addColumn("audience", "text")
    /** 公开方式 */
    .addColumn("mode", "text", (c) => c.check(sql`mode IN ('主动', '依申请')`))
    /** 公开形式: 全文 / 摘要 */
    .addColumn("form", "text")
    /** 公开层级: 县级 / 乡级 … */
    .addColumn("admin_level", "text")
    /** 责任单位 cell as written (incl. group designations such as 所有科室、单位 that are not departments). */
    .addColumn("responsible_text", "text")
    .addColumn("remarks", "text")
    /** Unknown source columns: { header: value }. */
    .addColumn("extra", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    /** { file, sheet?, row?, format? } */
    .addColumn("provenance", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("sort_order", "integer", (c) => c.notNull().defaultTo(0))
    /** Identity that survives across versions ("the same item" in a later version). */
    .addColumn("stable_key", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("catalog_items_pkey", ["agency_id", "id"])
    .addUniqueConstraint("catalog_items_stable_key", ["agency_id", "version_id", "stable_key"])
    .addForeignKeyConstraint(
      "catalog_items_version_fkey",
      ["agency_id", "version_id"],
      "catalog_versions",
      ["agency_id", "id"],
      (fk) => fk.onDelete("cascade"),
    )
    .addForeignKeyConstraint(
      "catalog_items_parent_fkey",
      ["agency_id", "parent_id"],
      "catalog_items",
      ["agency_id", "id"],
      (fk) => fk.onDelete("cascade"),
    )
    .execute();
  await db.schema
    .createIndex("catalog_items_version_idx")
    .on("catalog_items")
    .columns(["agency_id", "version_id", "sort_order"])
    .execute();
  await db.schema
    .createIndex("catalog_items_parent_idx")
    .on("catalog_items")
    .columns(["agency_id", "parent_id"])
    .execute();
  await db.schema
    .createIndex("catalog_items_stable_key_idx")
    .on("catalog_items")
    .columns(["agency_id", "stable_key"])
    .execute();

  await db.schema
    .createTable("catalog_elements")
    .addColumn("agency_id", "uuid", (c) => c.notNull())
    .addColumn("id", "uuid", (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn("item_id", "uuid", (c) => c.notNull())
    /** The part's ordinal as printed ("1", "2"), when numbered. */
    .addColumn("number", "text")
    /** e.g. 办事指南 / 办理结果 / 工作动态 (may be empty when the element is just a content text). */
    .addColumn("label", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("content", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("deadline_text", "text")
    .addColumn("deadline_rules", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("unparsed", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn("extra", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("sort_order", "integer", (c) => c.notNull().defaultTo(0))
    /** Identity across versions (item stable_key + element label/position). */
    .addColumn("stable_key", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("catalog_elements_pkey", ["agency_id", "id"])
    .addForeignKeyConstraint(
      "catalog_elements_item_fkey",
      ["agency_id", "item_id"],
      "catalog_items",
      ["agency_id", "id"],
      (fk) => fk.onDelete("cascade"),
    )
    .execute();
  await db.schema
    .createIndex("catalog_elements_item_idx")
    .on("catalog_elements")
    .columns(["agency_id", "item_id", "sort_order"])
    .execute();

  await db.schema
    .createTable("catalog_item_units")
    .addColumn("agency_id", "uuid", (c) => c.notNull())
    .addColumn("item_id", "uuid", (c) => c.notNull())
    .addColumn("department_id", "uuid", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull().check(sql`role IN ('lead', 'cooperating')`))
    .addColumn("sort_order", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("catalog_item_units_pkey", ["agency_id", "item_id", "department_id"])
    .addForeignKeyConstraint(
      "catalog_item_units_item_fkey",
      ["agency_id", "item_id"],
      "catalog_items",
      ["agency_id", "id"],
      (fk) => fk.onDelete("cascade"),
    )
    .addForeignKeyConstraint(
      "catalog_item_units_department_fkey",
      ["agency_id", "department_id"],
      "departments",
      ["agency_id", "id"],
      (fk) => fk.onDelete("restrict"),
    )
    .execute();
  await db.schema
    .createIndex("catalog_item_units_department_idx")
    .on("catalog_item_units")
    .columns(["agency_id", "department_id"])
    .execute();

  // Two-step import: the parsed file waits here between preview and commit.
  await db.schema
    .createTable("catalog_imports")
    .addColumn("agency_id", "uuid", (c) => c.notNull().references("agencies.id").onDelete("cascade"))
    .addColumn("id", "uuid", (c) => c.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("pending").check(sql`status IN ('pending', 'committed', 'discarded')`),
    )
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("format", "text", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("size_bytes", "integer", (c) => c.notNull())
    /** The parsed catalog (CatalogDoc). */
    .addColumn("doc", "jsonb", (c) => c.notNull())
    /** Preview rows with their warnings. */
    .addColumn("preview", "jsonb", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("created_by", "uuid")
    .addColumn("committed_version_id", "uuid")
    .addPrimaryKeyConstraint("catalog_imports_pkey", ["agency_id", "id"])
    .execute();
  await sql`ALTER TABLE catalog_imports ADD CONSTRAINT catalog_imports_version_fkey
    FOREIGN KEY (agency_id, committed_version_id) REFERENCES catalog_versions (agency_id, id)
    ON DELETE SET NULL (committed_version_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("catalog_imports").execute();
  await db.schema.dropTable("catalog_item_units").execute();
  await db.schema.dropTable("catalog_elements").execute();
  await db.schema.dropTable("catalog_items").execute();
  await db.schema.dropTable("catalog_versions").execute();
  await db.schema.dropTable("catalogs").execute();
}
