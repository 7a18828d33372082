import { type Kysely, sql } from "kysely";

/**
 * Catalogs of any depth (issue #15): agencies publish catalogs with 四级–六级事项 and deeper; items were limited to
 * three levels and deeper rows were flattened. The level check now allows up to 9 levels (MAX_ITEM_LEVEL).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE catalog_items DROP CONSTRAINT IF EXISTS catalog_items_level_check`.execute(db);
  await sql`ALTER TABLE catalog_items ADD CONSTRAINT catalog_items_level_check CHECK (level BETWEEN 1 AND 9)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM catalog_items WHERE level > 3`.execute(db);
  await sql`ALTER TABLE catalog_items DROP CONSTRAINT IF EXISTS catalog_items_level_check`.execute(db);
  await sql`ALTER TABLE catalog_items ADD CONSTRAINT catalog_items_level_check CHECK (level BETWEEN 1 AND 3)`.execute(
    db,
  );
}
