/**
 * @module Building blocks shared by the portal's pages: record and item URLs, pagination,
 * validity badges, feed links.
 */
import type { Agency } from "../agencies/agency.service.ts";
import { html, type SafeHtml } from "../shared/html.ts";

// The agency URL, column navigation and breadcrumbs are shared with the reports and applications pages.
export { type AgencySection, agencyCrumbs, agencyNav, agencyPath } from "../http/public-layout.ts";

export function recordPath(agency: Pick<Agency, "slug">, recordId: string): string {
  return `/agencies/${agency.slug}/records/${recordId}`;
}

export function itemPath(agency: Pick<Agency, "slug">, stableKey: string): string {
  return `/agencies/${agency.slug}/catalog/${encodeURIComponent(stableKey)}`;
}

/** 有效性 badge; 失效/废止 are marked clearly. */
export function validityBadge(validity: string | null | undefined): SafeHtml {
  if (!validity) return html``;
  const cls = validity === "有效" ? "badge-ok" : "badge-err";
  return html`<span class="badge ${cls}">${validity}</span>`;
}

/** Builds a URL with query parameters (empty values dropped). */
export function withQuery(path: string, params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** Page links: previous, numbers around the current one, next. `page` is 1-based. */
export function pagination(
  path: string,
  params: Record<string, string | number | undefined | null>,
  page: number,
  totalPages: number,
): SafeHtml {
  if (totalPages <= 1) return html``;
  const link = (p: number) => withQuery(path, { ...params, page: p === 1 ? undefined : p });
  // A page past the last (an old link, a hand-typed number) leads back to the last page, never to the empty page
  // before it: no chain of empty pages for a crawler to walk down.
  const near = Math.min(page, totalPages);
  const numbers: number[] = [];
  for (let p = Math.max(1, near - 3); p <= Math.min(totalPages, near + 3); p++) numbers.push(p);
  return html`<nav class="pagination no-print" aria-label="分页"><ul>
${page > 1 ? html`<li><a href="${link(Math.min(page - 1, totalPages))}" rel="prev">上一页</a></li>` : ""}
${numbers[0] !== undefined && numbers[0] > 1 ? html`<li><a href="${link(1)}">1</a></li>${numbers[0] > 2 ? html`<li><span aria-hidden="true">…</span></li>` : ""}` : ""}
${numbers.map((p) => (p === page ? html`<li><span aria-current="page">第${p}页</span></li>` : html`<li><a href="${link(p)}" aria-label="第${p}页">${p}</a></li>`))}
${(numbers.at(-1) ?? totalPages) < totalPages ? html`<li><span aria-hidden="true">…</span></li><li><a href="${link(totalPages)}" aria-label="第${totalPages}页">${totalPages}</a></li>` : ""}
${page < totalPages ? html`<li><a href="${link(page + 1)}" rel="next">下一页</a></li>` : ""}
</ul><p class="hint">共 ${totalPages} 页</p></nav>`;
}

/** Parses a 1-based page number from the query; anything odd is page 1. */
export function parsePage(value: unknown, max = 10_000): number {
  const s = Array.isArray(value) ? value[0] : value;
  if (typeof s !== "string" || !/^\d{1,6}$/.test(s)) return 1;
  return Math.min(Math.max(1, Number(s)), max);
}

export function feedLinks(title: string, rss: string, atom: string): SafeHtml {
  return html`<link rel="alternate" type="application/rss+xml" title="${title}（RSS）" href="${rss}">
<link rel="alternate" type="application/atom+xml" title="${title}（Atom）" href="${atom}">`;
}
