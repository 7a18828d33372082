/**
 * @module 条例第36条第（一）项: before an application is submitted, published records of the agency that may already
 * answer it (the applicant can read them at once and need not apply). Uses the portal's record search (exact
 * phrase matching) with the 文号, the title, then the longest phrases of the title.
 */
import type { Agency } from "../agencies/agency.service.ts";
import type { DbOrTx } from "../db/database.ts";
import { parseSearchParams, runSearch } from "../portal/search.service.ts";
import { publicRecordPath } from "../publishing/published.read.ts";

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
  db: DbOrTx,
  agency: Agency,
  input: { title: string; docNumber: string },
  limit = 5,
): Promise<PossibleAnswer[]> {
  const found = new Map<string, PossibleAnswer>();
  for (const q of searchPhrases(input.title.slice(0, 200), input.docNumber.slice(0, 100))) {
    if (found.size >= limit) break;
    const result = await runSearch(db, parseSearchParams({ q }), agency);
    for (const hit of result.hits) {
      if (found.size >= limit) break;
      if (found.has(hit.id)) continue;
      found.set(hit.id, {
        title: hit.plainTitle,
        url: publicRecordPath(agency.slug, hit.id),
        docNumber: plainText(hit.docNumber.value),
        publishedDate: hit.publishedDate,
      });
    }
  }
  return [...found.values()];
}

const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
  "&#96;": "`",
};

/** Highlighted markup from the search back to plain text (the views escape it again). */
function plainText(markup: string): string {
  return markup.replace(/<[^>]*>/g, "").replace(/&(?:amp|lt|gt|quot|#39|#96);/g, (e) => ENTITIES[e] ?? e);
}
