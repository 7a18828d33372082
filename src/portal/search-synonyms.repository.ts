/**
 * @module SQL of agency_search_synonyms (the portal's table): an agency's own synonym groups.
 */
import type { DbOrTx } from "../db/database.ts";

export async function findAgencySynonyms(
  db: DbOrTx,
  agencyId: string,
): Promise<{ groups: string[][]; updated_at: Date } | undefined> {
  return db
    .selectFrom("agency_search_synonyms")
    .select(["groups", "updated_at"])
    .where("agency_id", "=", agencyId)
    .executeTakeFirst();
}

/** Locks the agency's row (if any) for an update in this transaction. */
export async function lockAgencySynonyms(db: DbOrTx, agencyId: string): Promise<string[][] | undefined> {
  const row = await db
    .selectFrom("agency_search_synonyms")
    .select("groups")
    .where("agency_id", "=", agencyId)
    .forUpdate()
    .executeTakeFirst();
  return row?.groups;
}

export async function upsertAgencySynonyms(
  db: DbOrTx,
  agencyId: string,
  groups: string[][],
  actorId: string | null,
): Promise<void> {
  const json = JSON.stringify(groups);
  await db
    .insertInto("agency_search_synonyms")
    .values({ agency_id: agencyId, groups: json, updated_by: actorId })
    .onConflict((oc) =>
      oc.column("agency_id").doUpdateSet({ groups: json, updated_by: actorId, updated_at: new Date() }),
    )
    .execute();
}
