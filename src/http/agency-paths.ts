/**
 * @module Staff URLs of an agency: every staff page of an agency lives under `/admin/agencies/:agency/…` (the
 * agency's slug). Pure; views, notifications, e-mails and routes build their links with these.
 */

/** `/admin/agencies/<slug><rest>` (`rest` starts with "/" or "?", or is empty). */
export function staffAgencyPath(slug: string, rest = ""): string {
  return `/admin/agencies/${encodeURIComponent(slug)}${rest}`;
}

/** The agency slug of a staff page path (`/admin/agencies/:agency/…`), when any. */
export function agencySlugOfPath(path: string): string | undefined {
  const m = /^\/admin\/agencies\/([a-z0-9-]{1,64})(?:[/?#]|$)/.exec(path);
  return m ? m[1] : undefined;
}
