/**
 * @module Display names of staff users for other features' histories (e.g. publishing's workflow history), by id,
 * in one query (pass every id at once).
 */
import type { DbOrTx } from "../db/database.ts";

/** Display names of staff users (for workflow history). */
export async function userNames(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .selectFrom("staff_users")
    .select(["id", "display_name"])
    .where("id", "in", unique)
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}
