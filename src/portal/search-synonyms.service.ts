/**
 * @module Search synonyms: the dictionary a search uses (shipped data + the agency's own groups) and the agency's
 * console edit (audited; the agency's cached pages are dropped through the search.synonyms_updated event).
 */
import type { AuditEventInput } from "../audit/audit.service.ts";
import type { DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { validationError } from "../errors.ts";
import shipped from "./data/search-synonyms.json" with { type: "json" };
import {
  findAgencySynonyms,
  lockAgencySynonyms,
  upsertAgencySynonyms,
} from "./search-synonyms.repository.ts";
import {
  buildDictionary,
  MAX_AGENCY_GROUPS,
  MAX_TERM_CHARS,
  parseAgencyGroups,
  type SynonymData,
  type SynonymDictionary,
} from "./search-synonyms.rules.ts";

/** The curated dictionary shipped with Gongkai (data/search-synonyms.json). */
export const SHIPPED_SYNONYMS: SynonymData = { same: shipped.same, narrower: shipped.narrower };

const SHIPPED_DICTIONARY = buildDictionary(SHIPPED_SYNONYMS);

/** The agency's own groups ([] when it has none). */
export async function agencySynonymGroups(db: DbOrTx, agencyId: string): Promise<string[][]> {
  return (await findAgencySynonyms(db, agencyId))?.groups ?? [];
}

/** The dictionary of a search: shipped, plus the agency's own groups when the search is limited to one agency. */
export async function searchDictionary(db: DbOrTx, agencyId: string | undefined): Promise<SynonymDictionary> {
  if (!agencyId) return SHIPPED_DICTIONARY;
  const groups = await agencySynonymGroups(db, agencyId);
  return groups.length ? buildDictionary(SHIPPED_SYNONYMS, { same: groups }) : SHIPPED_DICTIONARY;
}

/** Replaces the agency's groups with the console text (one group per line). */
export async function updateAgencySynonyms(
  deps: Pick<Deps, "db" | "events" | "audit">,
  agencyId: string,
  text: unknown,
  actor: Pick<AuditEventInput, "actorId" | "actorName" | "ip">,
): Promise<string[][]> {
  if (typeof text !== "string" || text.length > 20000)
    throw validationError([{ field: "groups", message: "请填写同义词（每行一组，总长不超过20000字）。" }]);
  const { groups, badLines } = parseAgencyGroups(text);
  if (badLines.length)
    throw validationError([
      {
        field: "groups",
        message: badLines.includes(0)
          ? `最多${MAX_AGENCY_GROUPS}组。`
          : `第${badLines.join("、")}行有误：每行至少两个词，词与词之间用顿号、逗号或空格分隔，每个词不超过${MAX_TERM_CHARS}字。`,
      },
    ]);
  await deps.db.transaction().execute(async (trx) => {
    const before = await lockAgencySynonyms(trx, agencyId);
    await upsertAgencySynonyms(trx, agencyId, groups, actor.actorId);
    await deps.audit.record(trx, {
      ...actor,
      action: "search.synonyms.update",
      agencyId,
      entityType: "agency_search_synonyms",
      entityId: agencyId,
      summary: `修改搜索同义词（${groups.length}组）`,
      before: before ?? null,
      after: groups,
    });
  });
  deps.events.emit("search.synonyms_updated", { agencyId });
  return groups;
}
