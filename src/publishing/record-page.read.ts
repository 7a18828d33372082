/**
 * @module Publishing's public read of one record page (信息公开专栏 record page, open-data API look-up): the
 * published record with its attachments, linked 政策解读, the record replacing it and the name of its catalog item
 * in ONE statement (JSON sub-selects on publishing's own tables, the item's name as the catalog's sub-select
 * `publishedItemNameSql`); `findAgencyRecordPage` also finds the agency by its slug in the same statement (the
 * agencies' sub-select `agencyBySlugSql`), so a first hit of a record page costs one round trip for its data.
 * "Published" is records.status = 'published', as everywhere in publishing.
 */

import { sql } from "kysely";
import { type AgencyColumns, agencyBySlugSql, agencyOfColumns } from "../agencies/agencies.read.ts";
import type { Agency } from "../agencies/agency.service.ts";
import { publishedItemNameSql } from "../catalog/published-item.read.ts";
import { executePrepared } from "../db/connection.ts";
import type { DbOrTx } from "../db/database.ts";
import { isUuid } from "../shared/ids.ts";
import { publicAttachmentPath } from "./record.paths.ts";
import type { RecordRow } from "./record.table.ts";
import { maskedFileName } from "./record-masking.service.ts";

export interface RecordPageLink {
  id: string;
  title: string;
}

export interface RecordPageData {
  id: string;
  agencyId: string;
  kind: RecordRow["kind"];
  title: string;
  summary: string;
  indexNo: string | null;
  docNumber: string;
  issuingAgency: string;
  formedDate: string;
  publishedDate: string | null;
  revisedDate: string | null;
  validity: RecordRow["validity"];
  topic: string;
  genre: string;
  itemStableKey: string | null;
  publishedAt: Date | null;
  updatedAt: Date;
  keywords: string[];
  effectiveDate: string | null;
  repealDate: string | null;
  /** The published record replacing this one, or the replacement named in text. */
  replacedBy: { id: string | null; title: string } | null;
  bodyHtml: string;
  attachments: { id: string; fileName: string; fileType: string; sizeBytes: number; href: string }[];
  /** 政策解读 of this record (published ones). */
  interpretations: RecordPageLink[];
  /** For an interpretation: the published policies it interprets. */
  interprets: RecordPageLink[];
  /** Its item in the agency's published catalog (null: none, or not in the published version). */
  item: { stableKey: string; name: string } | null;
}

interface Row {
  id: string;
  agency_id: string;
  kind: RecordRow["kind"];
  title: string;
  summary: string;
  index_no: string | null;
  doc_number: string;
  issuing_agency: string;
  formed_date: string;
  published_date: string | null;
  revised_date: string | null;
  validity: RecordRow["validity"];
  topic: string;
  genre: string;
  item_stable_key: string | null;
  first_published_at: Date | null;
  published_at: Date | null;
  updated_at: Date;
  keywords: string[];
  effective_date: string | null;
  repeal_date: string | null;
  replaced_by_text: string | null;
  body_html: string;
  attachments: {
    id: string;
    file_name: string;
    file_type: string;
    size_bytes: number;
    /** 一键脱敏: published as its masked text (record-masking.service.ts). */
    masked: boolean;
    text_bytes: number;
  }[];
  interpretations: RecordPageLink[];
  interprets: RecordPageLink[];
  replaced_by: RecordPageLink | null;
  item_name: string | null;
}

/** What a record page shows, as columns of a statement over `records r` (Row). */
const PAGE_COLUMNS = sql`r.id, r.agency_id, r.kind, r.title, r.summary, r.index_no, r.doc_number, r.issuing_agency,
      r.formed_date, r.published_date, r.revised_date, r.validity, r.topic, r.genre, r.item_stable_key,
      r.first_published_at, r.published_at, r.updated_at, r.keywords, r.effective_date, r.repeal_date,
      r.replaced_by_text, r.body_html,
      (SELECT coalesce(json_agg(json_build_object('id', t.id, 'file_name', t.file_name, 'file_type', t.file_type,
                'size_bytes', t.size_bytes, 'masked', t.masked_at IS NOT NULL,
                'text_bytes', octet_length(t.extracted_text)) ORDER BY array_position(r.attachment_ids, t.id)), '[]')
         FROM record_attachments t WHERE t.agency_id = r.agency_id AND t.id = ANY (r.attachment_ids)) AS attachments,
      (SELECT coalesce(json_agg(json_build_object('id', p.id, 'title', p.title) ORDER BY p.published_date), '[]')
         FROM record_interpretations l JOIN records p ON p.agency_id = l.agency_id AND p.id = l.interpretation_id
        WHERE l.agency_id = r.agency_id AND l.policy_id = r.id AND p.status = 'published') AS interpretations,
      (SELECT coalesce(json_agg(json_build_object('id', p.id, 'title', p.title) ORDER BY p.published_date), '[]')
         FROM record_interpretations l JOIN records p ON p.agency_id = l.agency_id AND p.id = l.policy_id
        WHERE l.agency_id = r.agency_id AND l.interpretation_id = r.id AND p.status = 'published') AS interprets,
      (SELECT json_build_object('id', x.id, 'title', x.title) FROM records x
        WHERE x.agency_id = r.agency_id AND x.id = r.replaced_by_record_id AND x.status = 'published') AS replaced_by,
      ${publishedItemNameSql(sql.ref("r.agency_id"), sql.ref("r.item_stable_key"))} AS item_name`;

/** A published record of the agency with everything its public page shows, or undefined (draft, withdrawn, none). */
export async function findRecordPage(
  db: DbOrTx,
  agency: { id: string; slug: string },
  id: string,
): Promise<RecordPageData | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await sql<Row>`
    SELECT ${PAGE_COLUMNS}
    FROM records r
    WHERE r.agency_id = ${agency.id} AND r.id = ${id} AND r.status = 'published'`.execute(db);
  return rows[0] ? toPageData(rows[0], agency.slug) : undefined;
}

/**
 * The agency of `slug` and its published record `id` with everything the record's public page shows, in one
 * statement: undefined when there is no such agency; `record` undefined when the agency has no such published
 * record (draft, withdrawn, another agency's, malformed id).
 */
export async function findAgencyRecordPage(
  db: DbOrTx,
  slug: string,
  id: string,
): Promise<{ agency: Agency; record: RecordPageData | undefined } | undefined> {
  // Prepared: planning this statement costs more than running it (db/connection.ts).
  const rows = await executePrepared(
    db,
    sql<AgencyColumns & (Row | { [K in keyof Row]: null })>`
    SELECT ag.*, page.*
    FROM (${agencyBySlugSql(slug)}) AS ag
    LEFT JOIN LATERAL (
      SELECT ${PAGE_COLUMNS}
      FROM records r
      WHERE r.agency_id = ag.ag_id AND r.id = ${isUuid(id) ? id : null}::uuid AND r.status = 'published'
    ) AS page ON true`,
  );
  const row = rows[0];
  if (!row) return undefined;
  const agency = agencyOfColumns(row);
  return { agency, record: row.id === null ? undefined : toPageData(row as Row, agency.slug) };
}

function toPageData(r: Row, agencySlug: string): RecordPageData {
  return {
    id: r.id,
    agencyId: r.agency_id,
    kind: r.kind,
    title: r.title,
    summary: r.summary,
    indexNo: r.index_no || null,
    docNumber: r.doc_number,
    issuingAgency: r.issuing_agency,
    formedDate: r.formed_date,
    publishedDate: r.published_date || null,
    revisedDate: r.revised_date,
    validity: r.validity,
    topic: r.topic,
    genre: r.genre,
    itemStableKey: r.item_stable_key,
    publishedAt: r.first_published_at,
    updatedAt: r.published_at ?? r.updated_at,
    keywords: r.keywords,
    effectiveDate: r.effective_date,
    repealDate: r.repeal_date,
    replacedBy: r.replaced_by ?? (r.replaced_by_text ? { id: null, title: r.replaced_by_text } : null),
    bodyHtml: r.body_html,
    attachments: r.attachments.map((a) => ({
      id: a.id,
      fileName: a.masked ? maskedFileName(a.file_name) : a.file_name,
      fileType: a.masked ? "txt" : a.file_type,
      sizeBytes: Number(a.masked ? a.text_bytes : a.size_bytes),
      href: publicAttachmentPath(agencySlug, r.id, a.id),
    })),
    interpretations: r.interpretations,
    interprets: r.interprets,
    item: r.item_stable_key && r.item_name ? { stableKey: r.item_stable_key, name: r.item_name } : null,
  };
}

/** The agency of a published record, found by its id alone (ids are UUIDs, unique in practice). */
export async function findPublishedRecordAgencyId(db: DbOrTx, id: string): Promise<string | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db
    .selectFrom("records")
    .select("agency_id")
    .where("id", "=", id)
    .where("status", "=", "published")
    .executeTakeFirst();
  return row?.agency_id;
}
