/**
 * @module The 政策解读 picker's queries: the agency's published policy documents (kind `document`) whose title, 文号
 * or 索引号 contains what was typed, newest first, at most `PICKER_LIMIT`; and the chosen documents by id (the form
 * shows their titles). Matching folds both sides with gk_search_fold (full-width/half-width, case), as the site
 * search does.
 *
 * Large agencies: the query walks records_public_idx (agency_id, published_date DESC, id WHERE published) and stops
 * after PICKER_LIMIT + 1 matches, so a common word answers from the newest rows; a word matching nothing reads the
 * agency's published rows once (thousands: milliseconds).
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import { PUBLISHED } from "./record.table.ts";
import { foldForSearch } from "./record-search.rules.ts";

/** Results per search (the rest: type more characters). */
export const PICKER_LIMIT = 20;
/** Longest query taken (characters). */
export const PICKER_QUERY_MAX = 100;

export interface PickerDocument {
  id: string;
  title: string;
  indexNo: string | null;
  docNumber: string;
  publishedDate: string | null;
}

export interface PickerResult {
  documents: PickerDocument[];
  /** More documents match than are listed. */
  more: boolean;
}

interface Row {
  id: string;
  title: string;
  index_no: string | null;
  doc_number: string;
  published_date: string | null;
}

const toDocument = (r: Row): PickerDocument => ({
  id: r.id,
  title: r.title,
  indexNo: r.index_no,
  docNumber: r.doc_number,
  publishedDate: r.published_date,
});

/**
 * Published documents of the agency matching `query` (title, 文号 or 索引号 contains it, folded), newest first,
 * except the ids in `exclude` (the record being edited, documents already chosen). An empty query lists the newest.
 */
export async function searchInterpretableDocuments(
  db: DbOrTx,
  agencyId: string,
  query: string,
  exclude: readonly string[] = [],
  limit = PICKER_LIMIT,
): Promise<PickerResult> {
  const fq = foldForSearch(query.slice(0, PICKER_QUERY_MAX)).trim();
  const match = fq
    ? sql`AND (strpos(gk_search_fold(r.title), ${fq}) > 0
            OR (r.doc_number <> '' AND strpos(gk_search_fold(r.doc_number), ${fq}) > 0)
            OR (r.index_no IS NOT NULL AND strpos(gk_search_fold(r.index_no), ${fq}) > 0))`
    : sql``;
  const { rows } = await sql<Row>`
    SELECT r.id, r.title, r.index_no, r.doc_number, r.published_date::text AS published_date
    FROM records r
    WHERE r.agency_id = ${agencyId}::uuid AND r.status = ${PUBLISHED} AND r.kind = 'document'
      ${exclude.length ? sql`AND r.id <> ALL(${[...exclude]}::uuid[])` : sql``}
      ${match}
    ORDER BY r.published_date DESC, r.id
    LIMIT ${limit + 1}`.execute(db);
  return { documents: rows.slice(0, limit).map(toDocument), more: rows.length > limit };
}

/** The agency's published documents among `ids` (the picker's chosen ones), in the order of `ids`. */
export async function interpretableDocumentsByIds(
  db: DbOrTx,
  agencyId: string,
  ids: readonly string[],
): Promise<PickerDocument[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<Row>`
    SELECT r.id, r.title, r.index_no, r.doc_number, r.published_date::text AS published_date
    FROM records r
    WHERE r.agency_id = ${agencyId}::uuid AND r.status = ${PUBLISHED} AND r.kind = 'document'
      AND r.id = ANY(${[...ids]}::uuid[])`.execute(db);
  const byId = new Map(rows.map((r) => [r.id, toDocument(r)]));
  return ids.map((id) => byId.get(id)).filter((d): d is PickerDocument => d !== undefined);
}
