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

/** The staff records list of an agency, filtered (e.g. `{ workflow: "submitted" }`). */
export function adminRecordListPath(agencySlug: string, filters: Record<string, string> = {}): string {
  const q = new URLSearchParams({ agency: agencySlug, ...filters });
  return `/admin/records?${q.toString()}`;
}

/** 收回 (the submitting editor takes a submitted revision back before review). */
export function adminRecordRecallPath(agencySlug: string, recordId: string): string {
  return `/admin/agencies/${encodeURIComponent(agencySlug)}/records/${recordId}/recall`;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
