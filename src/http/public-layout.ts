/**
 * @module Layout pieces every public page of an agency's 政府信息公开专栏 shares, whichever feature renders it (the
 * portal, the annual reports, the application form): the agency's URL, its column navigation (专栏导航), its
 * breadcrumbs, and the page context of cacheable public pages. Plumbing: no feature knowledge beyond the column
 * URLs, which are the public URL scheme.
 */
import type { FastifyRequest } from "fastify";
import { html, type SafeHtml } from "../shared/html.ts";
import { DISPLAY_COOKIE, pageContext } from "./context.ts";
import { type Crumb, type PageContext, parseDisplayCookie } from "./layout.ts";

/** What the public layout needs to know of an agency. */
export interface PublicAgency {
  slug: string;
  name: string;
  shortName: string;
}

export type AgencySection = "home" | "guide" | "rules" | "catalog" | "reports" | "apply" | "search";

/** The public URL of an agency's 专栏 (or of one of its columns / pages below it). */
export function agencyPath(agency: Pick<PublicAgency, "slug">, sub = ""): string {
  return `/agencies/${agency.slug}${sub ? `/${sub}` : ""}`;
}

/** The usual first-level columns of a 政府信息公开专栏 (国办公开办函〔2019〕61号). */
export function agencyNav(agency: PublicAgency, current: AgencySection): SafeHtml {
  const entries: { key: AgencySection; href: string; label: string }[] = [
    { key: "home", href: agencyPath(agency), label: "专栏首页" },
    { key: "guide", href: agencyPath(agency, "guide"), label: "政府信息公开指南" },
    { key: "rules", href: agencyPath(agency, "rules"), label: "公开制度" },
    { key: "catalog", href: agencyPath(agency, "catalog"), label: "法定主动公开内容" },
    { key: "reports", href: agencyPath(agency, "reports"), label: "政府信息公开年报" },
    { key: "apply", href: agencyPath(agency, "apply"), label: "依申请公开" },
    { key: "search", href: agencyPath(agency, "search"), label: "信息检索" },
  ];
  return html`<nav class="agency-nav no-print" aria-label="${agency.shortName}专栏导航"><ul>${entries.map(
    (e) =>
      html`<li><a href="${e.href}"${e.key === current ? html` aria-current="page"` : ""}>${e.label}</a></li>`,
  )}</ul></nav>`;
}

export function agencyCrumbs(agency: PublicAgency, ...rest: Crumb[]): Crumb[] {
  return [{ href: "/", label: "首页" }, { href: agencyPath(agency), label: agency.name }, ...rest];
}

/**
 * Page context for cacheable public pages. For anonymous visitors it carries only the path and display
 * preferences, so a rendered page holds nothing per-visitor (no CSRF token, no cookie is set) and can be cached.
 */
export function portalContext(request: FastifyRequest): PageContext {
  if (request.staff || request.pageExtras?.staffName) return pageContext(request);
  const url = request.url.length > 2000 ? request.url.slice(0, 2000) : request.url;
  return { path: url, display: parseDisplayCookie(request.cookies?.[DISPLAY_COOKIE]) };
}
