/**
 * @module Reading records: the staff detail and list, the public (portal) record, list and attachments, and the
 * small lookups pages and the API need (agencies, departments, staff names, document options, catalog items, 索引号
 * preview, titles).
 */

import { userNames } from "../accounts/staff-names.read.ts";
import {
  type AgencyInfo,
  type AgencyRefRow,
  listAgencyRefs,
  listDepartmentNames,
} from "../agencies/agencies.read.ts";
import type { CalendarReader } from "../calendar/calendar.service.ts";
import { findItem, type LinkedItem, listPublishedItems } from "../catalog/catalog-link.read.ts";
import type { DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { isUuid } from "../shared/ids.ts";
import { formatSize } from "./attachment.rules.ts";
import { readStoredFile } from "./attachment.service.ts";
import {
  DEFAULT_INDEX_TEMPLATE,
  formatIndexNumber,
  maxSerial,
  resolveCode,
  serialYear,
} from "./index-number.rules.ts";
import { isPublished, listPublishedRecordRows, PUBLISHED } from "./published.read.ts";
import { publicAttachmentPath, publicRecordPath } from "./record.paths.ts";
import {
  currentSerial,
  findAttachments,
  findRecord,
  findRecordAgencyId,
  findRecordsByIds,
  findSettings,
  linkedRecords,
  listAttachmentsOfRecord,
  listChannels,
  listEvents,
  listRecords,
  listRevisions,
  publishedDocumentOptions,
  type StaffRecordFilter,
} from "./record.repository.ts";
import { agencyOrThrow } from "./record.service.ts";
import type {
  RecordAttachmentRow,
  RecordChannelRow,
  RecordEventRow,
  RecordRevisionRow,
  RecordRow,
} from "./record.table.ts";
import type { RecordDue } from "./record-deadline.rules.ts";
import { maskedAttachmentFile } from "./record-masking.service.ts";
import { computeDue } from "./record-workflow.service.ts";

// ---------------------------------------------------------------------------------------------------------------
// Reading: staff
// ---------------------------------------------------------------------------------------------------------------

export interface StaffRecordDetail {
  record: RecordRow;
  /** The latest revision (open draft/in review, or the published one). */
  revision: RecordRevisionRow;
  revisions: RecordRevisionRow[];
  events: RecordEventRow[];
  attachments: RecordAttachmentRow[];
  channels: RecordChannelRow[];
  policies: RecordRow[];
  interpretations: RecordRow[];
  /** Due date the latest revision would get if published now. */
  duePreview: RecordDue;
  item: LinkedItem | undefined;
}

/**
 * The record a staff URL names, as the route's resource: within the agency (another agency's record, or none →
 * record_not_found). `withDepartment` adds its department (department-scoped editors draft only their own).
 */
export async function recordResource(
  db: DbOrTx,
  agencyId: string,
  id: string,
  withDepartment = false,
): Promise<{ agencyId: string; departmentId: string | null }> {
  const record = isUuid(id) ? await findRecord(db, agencyId, id) : undefined;
  if (!record) throw new AppError("record_not_found");
  return { agencyId: record.agency_id, departmentId: withDepartment ? record.department_id : null };
}

/** The agency of a record, for old URLs that did not name it. */
export async function recordAgencyId(db: DbOrTx, id: string): Promise<string | undefined> {
  return isUuid(id) ? findRecordAgencyId(db, id) : undefined;
}

export async function getRecordForStaff(
  reader: CalendarReader,
  agencyId: string,
  recordId: string,
): Promise<StaffRecordDetail> {
  const { db } = reader;
  const record = await findRecord(db, agencyId, recordId);
  if (!record) throw new AppError("record_not_found");
  const [revisions, events, attachments, channels, links] = await Promise.all([
    listRevisions(db, agencyId, recordId),
    listEvents(db, agencyId, recordId),
    listAttachmentsOfRecord(db, agencyId, recordId),
    listChannels(db, agencyId, recordId),
    linkedRecords(db, agencyId, recordId),
  ]);
  const revision = revisions.find((r) => r.revision_no === record.latest_revision_no);
  if (!revision) throw new AppError("record_not_found");
  const policies =
    revision.content.interpretsRecordIds.length > 0
      ? await findRecordsByIds(db, agencyId, revision.content.interpretsRecordIds)
      : links.policies;
  const item = revision.content.itemId ? await findItem(db, agencyId, revision.content.itemId) : undefined;
  return {
    record,
    revision,
    revisions,
    events,
    attachments,
    channels,
    policies,
    interpretations: links.interpretations,
    duePreview: await computeDue(reader, agencyId, revision.content),
    item,
  };
}

export async function listRecordsForStaff(
  db: DbOrTx,
  filter: Omit<StaffRecordFilter, "limit" | "offset"> & { page: number; pageSize: number },
): Promise<{ rows: RecordRow[]; total: number; page: number; pageSize: number }> {
  const pageSize = Math.min(Math.max(filter.pageSize, 1), 100);
  const page = Math.max(filter.page, 1);
  const { rows, total } = await listRecords(db, {
    ...filter,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  return { rows, total, page, pageSize };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading: public (portal)
// ---------------------------------------------------------------------------------------------------------------

export interface PublicAttachment {
  id: string;
  fileName: string;
  fileType: string;
  mimeType: string;
  sizeBytes: number;
  sizeText: string;
  sha256: string;
  url: string;
}

export interface PublicRecordLink {
  id: string;
  title: string;
  indexNo: string | null;
  publishedDate: string | null;
  url: string;
}

export interface PublishedRecordSummary {
  id: string;
  agencyId: string;
  kind: RecordRow["kind"];
  indexNo: string;
  title: string;
  summary: string;
  docNumber: string;
  issuingAgency: string;
  formedDate: string;
  publishedDate: string;
  revisedDate: string | null;
  topic: string;
  genre: string;
  validity: RecordRow["validity"];
  itemStableKey: string | null;
  url: string;
}

export interface PublishedRecord extends PublishedRecordSummary {
  keywords: string[];
  effectiveDate: string | null;
  repealDate: string | null;
  replacedBy: PublicRecordLink | null;
  replacedByText: string;
  disclosure: RecordRow["disclosure"];
  itemId: string | null;
  elementStableKey: string | null;
  departmentId: string | null;
  docCategory: RecordRow["doc_category"];
  bodyHtml: string;
  revisionNo: number;
  attachments: PublicAttachment[];
  /** 政策解读: the documents this record interprets. */
  interprets: PublicRecordLink[];
  /** Policy documents: their published interpretations. */
  interpretations: PublicRecordLink[];
  /** True when the 索引号 prefix is a demo placeholder (demo agencies without a credit code). */
  indexCodeIsDemo: boolean;
}

function summaryOf(row: RecordRow, slug: string): PublishedRecordSummary {
  return {
    id: row.id,
    agencyId: row.agency_id,
    kind: row.kind,
    indexNo: row.index_no ?? "",
    title: row.title,
    summary: row.summary,
    docNumber: row.doc_number,
    issuingAgency: row.issuing_agency,
    formedDate: row.formed_date,
    publishedDate: row.published_date ?? "",
    revisedDate: row.revised_date,
    topic: row.topic,
    genre: row.genre,
    validity: row.validity,
    itemStableKey: row.item_stable_key,
    url: publicRecordPath(slug, row.id),
  };
}

function linkOf(row: RecordRow, slug: string): PublicRecordLink {
  return {
    id: row.id,
    title: row.title,
    indexNo: row.index_no,
    publishedDate: row.published_date,
    url: publicRecordPath(slug, row.id),
  };
}

/** A record as the public sees it (current published revision), or record_not_found (also when withdrawn). */
export async function getPublishedRecord(db: DbOrTx, agencyId: string, id: string): Promise<PublishedRecord> {
  const row = await findRecord(db, agencyId, id);
  if (row?.status !== PUBLISHED) throw new AppError("record_not_found");
  const agency = await agencyOrThrow(db, agencyId);
  const [attachments, links, replaced, settings] = await Promise.all([
    findAttachments(db, agencyId, row.attachment_ids),
    linkedRecords(db, agencyId, id),
    row.replaced_by_record_id
      ? findRecord(db, agencyId, row.replaced_by_record_id)
      : Promise.resolve(undefined),
    findSettings(db, agencyId),
  ]);
  const byId = new Map(attachments.map((a) => [a.id, a]));
  return {
    ...summaryOf(row, agency.slug),
    keywords: row.keywords,
    effectiveDate: row.effective_date,
    repealDate: row.repeal_date,
    replacedBy: replaced && isPublished(replaced.status) ? linkOf(replaced, agency.slug) : null,
    replacedByText: row.replaced_by_text,
    disclosure: row.disclosure,
    itemId: row.item_id,
    elementStableKey: row.element_stable_key,
    departmentId: row.department_id,
    docCategory: row.doc_category,
    bodyHtml: row.body_html,
    revisionNo: row.current_revision_no ?? 1,
    attachments: row.attachment_ids
      .map((aid) => byId.get(aid))
      .filter((a): a is RecordAttachmentRow => a !== undefined)
      .map((a) => (a.masked_at ? maskedAttachmentFile(a).attachment : a))
      .map((a) => ({
        id: a.id,
        fileName: a.file_name,
        fileType: a.file_type,
        mimeType: a.mime_type,
        sizeBytes: a.size_bytes,
        sizeText: formatSize(a.size_bytes),
        sha256: a.sha256,
        url: publicAttachmentPath(agency.slug, row.id, a.id),
      })),
    interprets: links.policies.filter((p) => isPublished(p.status)).map((p) => linkOf(p, agency.slug)),
    interpretations: links.interpretations
      .filter((p) => isPublished(p.status))
      .map((p) => linkOf(p, agency.slug)),
    indexCodeIsDemo: (settings?.index_code_is_demo ?? false) && agency.creditCode === null,
  };
}

/** Published records of an agency (optionally one catalog item, by stable key), newest first. */
export async function listPublishedRecords(
  db: DbOrTx,
  options: { agencyId: string; itemStableKey?: string | undefined; page: number; pageSize: number },
): Promise<{ items: PublishedRecordSummary[]; total: number; page: number; pageSize: number }> {
  const agency = await agencyOrThrow(db, options.agencyId);
  const pageSize = Math.min(Math.max(Math.trunc(options.pageSize) || 20, 1), 100);
  const page = Math.max(Math.trunc(options.page) || 1, 1);
  const { rows, total } = await listPublishedRecordRows(db, {
    agencyId: options.agencyId,
    itemStableKeys: options.itemStableKey ? [options.itemStableKey] : undefined,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  return { items: rows.map((r) => summaryOf(r, agency.slug)), total, page, pageSize };
}

/** An attachment of a published record with its file bytes (checksum verified), for the public download. */
export async function getPublishedAttachment(
  deps: Pick<Deps, "db" | "config">,
  agencyId: string,
  recordId: string,
  attachmentId: string,
): Promise<{ attachment: RecordAttachmentRow; data: Buffer }> {
  const row = await findRecord(deps.db, agencyId, recordId);
  if (row?.status !== PUBLISHED || !row.attachment_ids.includes(attachmentId))
    throw new AppError("attachment_not_found");
  const [attachment] = await findAttachments(deps.db, agencyId, [attachmentId]);
  // 一键脱敏: a masked attachment is published as its masked text; the original is kept for the record only.
  if (attachment?.masked_at) return maskedAttachmentFile(attachment);
  return getAttachmentFile(deps, agencyId, recordId, attachmentId);
}

/** Any attachment of a record (staff preview). */
export async function getAttachmentFile(
  deps: Pick<Deps, "db" | "config">,
  agencyId: string,
  recordId: string,
  attachmentId: string,
): Promise<{ attachment: RecordAttachmentRow; data: Buffer }> {
  const [attachment] = await findAttachments(deps.db, agencyId, [attachmentId]);
  if (!attachment || attachment.record_id !== recordId) throw new AppError("attachment_not_found");
  const data = readStoredFile(deps.config, agencyId, attachment.sha256);
  if (!data) throw new AppError("attachment_not_found");
  return { attachment, data };
}

// ---------------------------------------------------------------------------------------------------------------
// Lookups for pages and the API
// ---------------------------------------------------------------------------------------------------------------

export type { AgencyRefRow } from "../agencies/agencies.read.ts";

/** Every agency (id, slug, name, region), for agency pickers. */
export async function agencyRefs(db: DbOrTx): Promise<AgencyRefRow[]> {
  return listAgencyRefs(db);
}

export async function agencyInfo(db: DbOrTx, agencyId: string): Promise<AgencyInfo> {
  return agencyOrThrow(db, agencyId);
}

export async function departmentsOf(db: DbOrTx, agencyId: string): Promise<{ id: string; name: string }[]> {
  return listDepartmentNames(db, agencyId);
}

export async function staffNames(db: DbOrTx, ids: (string | null)[]): Promise<Map<string, string>> {
  return userNames(
    db,
    ids.filter((i): i is string => i !== null),
  );
}

export async function documentOptions(db: DbOrTx, agencyId: string) {
  return publishedDocumentOptions(db, agencyId);
}

/** Catalog items of the agency's published catalog (for the record form). */
export async function catalogItemsForForm(db: DbOrTx, agencyId: string): Promise<LinkedItem[]> {
  return listPublishedItems(db, agencyId);
}

/** The next 索引号 the agency's settings would produce on `date` (settings page preview; takes no serial). */
export async function previewIndexNumber(db: DbOrTx, agencyId: string, date: string): Promise<string | null> {
  const agency = await agencyOrThrow(db, agencyId);
  const settings = await findSettings(db, agencyId);
  const template = settings?.index_template ?? DEFAULT_INDEX_TEMPLATE;
  const code = resolveCode(template, {
    creditCode: agency.creditCode,
    orgCode: agency.orgCode,
    configuredCode: settings?.index_code ?? null,
  });
  if ("error" in code) return null;
  const last = await currentSerial(db, agencyId, serialYear(date));
  const next = last + 1;
  return next > maxSerial(template) ? null : formatIndexNumber(template, code.code, date, next);
}

/** Titles of records by id. */
export async function recordTitles(
  db: DbOrTx,
  agencyId: string,
  ids: string[],
): Promise<Map<string, string>> {
  const rows = await findRecordsByIds(db, agencyId, [...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, r.title]));
}
