/**
 * @module Page context for cacheable public pages. For anonymous visitors it carries only the path and display
 * preferences, so a rendered page holds nothing per-visitor (no CSRF token, no cookie is set) and can be cached.
 */
import type { FastifyRequest } from "fastify";
import { DISPLAY_COOKIE, pageContext } from "../http/context.ts";
import { type PageContext, parseDisplayCookie } from "../http/layout.ts";

export function portalContext(request: FastifyRequest): PageContext {
  if (request.staff || request.pageExtras?.staffName) return pageContext(request);
  const url = request.url.length > 2000 ? request.url.slice(0, 2000) : request.url;
  return { path: url, display: parseDisplayCookie(request.cookies?.[DISPLAY_COOKIE]) };
}
