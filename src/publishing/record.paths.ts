/**
 * @module URLs of records (shared by staff pages, the API, the portal and the link check).
 */

/** Public record page (rendered by the portal). */
export function publicRecordPath(agencySlug: string, recordId: string): string {
  return `/agencies/${agencySlug}/records/${recordId}`;
}

/** Public download of an attachment of a published record (served by publishing). */
export function publicAttachmentPath(agencySlug: string, recordId: string, attachmentId: string): string {
  return `/agencies/${agencySlug}/records/${recordId}/files/${attachmentId}`;
}

export function adminRecordPath(recordId: string, agencySlug?: string): string {
  return `/admin/records/${recordId}${agencySlug ? `?agency=${encodeURIComponent(agencySlug)}` : ""}`;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
