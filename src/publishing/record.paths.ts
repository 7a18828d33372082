/**
 * @module URLs of records (shared by staff pages, the API, the portal and the link check).
 */
import { staffAgencyPath } from "../http/agency-paths.ts";

/** Public record page (rendered by the portal). */
export function publicRecordPath(agencySlug: string, recordId: string): string {
  return `/agencies/${agencySlug}/records/${recordId}`;
}

/** Public download of an attachment of a published record (served by publishing). */
export function publicAttachmentPath(agencySlug: string, recordId: string, attachmentId: string): string {
  return `/agencies/${agencySlug}/records/${recordId}/files/${attachmentId}`;
}

/**
 * The only image source a record body keeps (record-html.ts): an attachment of a record on this platform, as
 * publicAttachmentPath writes it. No data: URIs, no other hosts (the page's CSP would refuse them anyway).
 */
export const PLATFORM_IMAGE_SRC =
  /^\/agencies\/[A-Za-z0-9_-]{1,100}\/records\/[0-9a-f-]{36}\/files\/[0-9a-f-]{36}$/;

/** Staff pages of an agency's publishing desk: `/admin/agencies/<slug>/records<rest>`. */
export function recordsPath(agencySlug: string, rest = ""): string {
  return staffAgencyPath(agencySlug, `/records${rest}`);
}

/** Staff page of one record. */
export function adminRecordPath(recordId: string, agencySlug: string): string {
  return recordsPath(agencySlug, `/${recordId}`);
}

/** Duty notices (到期提醒) of an agency. */
export function noticesPath(agencySlug: string, rest = ""): string {
  return staffAgencyPath(agencySlug, `/notices${rest}`);
}

/** The staff records list of an agency, filtered (e.g. `{ workflow: "submitted" }`). */
export function adminRecordListPath(agencySlug: string, filters: Record<string, string> = {}): string {
  const q = new URLSearchParams(filters).toString();
  return recordsPath(agencySlug, q ? `?${q}` : "");
}

/** 收回 (the submitting editor takes a submitted revision back before review). */
export function adminRecordRecallPath(agencySlug: string, recordId: string): string {
  return recordsPath(agencySlug, `/${recordId}/recall`);
}
