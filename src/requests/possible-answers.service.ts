/**
 * @module 条例第36条第（一）项: before an application is submitted, published records of the agency that may already
 * answer it (the applicant can read them at once and need not apply). Searches with the 文号, the title, then the
 * longest phrases of the title, through `deps.recordSearch` (the portal's record search, wired in createDeps:
 * requests does not import the portal).
 */
import type { Agency } from "../agencies/agency.service.ts";
import type { Db } from "../db/database.ts";
import { publicRecordPath } from "../publishing/published.read.ts";

/** A published record a search found (plain text, no highlighting). */
export interface RecordSearchHit {
  id: string;
  title: string;
  docNumber: string;
  publishedDate: string | null;
}

/** Searches one agency's published records for a phrase, best first (`deps.recordSearch`). */
export type RecordSearch = (db: Db, agency: Agency, phrase: string) => Promise<RecordSearchHit[]>;

export interface PossibleAnswer {
  title: string;
  url: string;
  docNumber: string;
  publishedDate: string | null;
}

const STOP =
  /[\s，。、；：,.;:!?！？（）()《》〈〉【】“”"'‘’·\-—_/]+|(?:关于|有关|以及|情况|信息|申请|公开|政府|的|和|与|及)+/g;

/** Search phrases from what the applicant typed, most specific first. */
export function searchPhrases(title: string, docNumber: string): string[] {
  const out: string[] = [];
  const doc = docNumber.trim();
  if (doc.length >= 4) out.push(doc);
  const t = title.trim();
  if (t.length >= 2) out.push(t);
  const parts = t
    .split(STOP)
    .map((p) => p.trim())
    .filter((p) => [...p].length >= 2)
    .sort((a, b) => [...b].length - [...a].length);
  for (const p of parts) if (!out.includes(p)) out.push(p);
  return out.slice(0, 4);
}

export async function findPossibleAnswers(
  deps: { db: Db; recordSearch: RecordSearch },
  agency: Agency,
  input: { title: string; docNumber: string },
  limit = 5,
): Promise<PossibleAnswer[]> {
  const found = new Map<string, PossibleAnswer>();
  for (const q of searchPhrases(input.title.slice(0, 200), input.docNumber.slice(0, 100))) {
    if (found.size >= limit) break;
    for (const hit of await deps.recordSearch(deps.db, agency, q)) {
      if (found.size >= limit) break;
      if (found.has(hit.id)) continue;
      found.set(hit.id, {
        title: hit.title,
        url: publicRecordPath(agency.slug, hit.id),
        docNumber: hit.docNumber,
        publishedDate: hit.publishedDate,
      });
    }
  }
  return [...found.values()];
}
