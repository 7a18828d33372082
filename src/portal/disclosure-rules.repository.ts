/**
 * @module SQL of 公开制度.
 */
import type { DbOrTx } from "../db/database.ts";
import type { DisclosureRuleRow } from "./disclosure-rules.table.ts";

export async function listRules(db: DbOrTx, agencyId: string): Promise<DisclosureRuleRow[]> {
  return db
    .selectFrom("disclosure_rules")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .orderBy("issued_on", "desc")
    .orderBy("title")
    .execute();
}

export async function insertRule(
  db: DbOrTx,
  row: { agency_id: string; title: string; doc_number: string; issued_on: string | null; body: string },
): Promise<DisclosureRuleRow> {
  return db.insertInto("disclosure_rules").values(row).returningAll().executeTakeFirstOrThrow();
}

export async function deleteRule(
  db: DbOrTx,
  agencyId: string,
  id: string,
): Promise<DisclosureRuleRow | undefined> {
  return db
    .deleteFrom("disclosure_rules")
    .where("agency_id", "=", agencyId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
}
