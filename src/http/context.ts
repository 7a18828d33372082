/**
 * @module Per-request view context and small HTTP helpers shared by features' routes.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { SafeHtml } from "../shared/html.ts";
import { type PageContext, parseDisplayCookie } from "./layout.ts";

export const DISPLAY_COOKIE = "gk_display";

declare module "fastify" {
  interface FastifyRequest {
    /** Extra page context set by hooks of other features (e.g. the signed-in staff user). */
    pageExtras?: Partial<PageContext>;
  }
}

export function pageContext(request: FastifyRequest): PageContext {
  const url = request.url.length > 2000 ? request.url.slice(0, 2000) : request.url;
  return {
    path: url,
    display: parseDisplayCookie(request.cookies?.[DISPLAY_COOKIE]),
    ...request.pageExtras,
  };
}

export function sendHtml(reply: FastifyReply, body: SafeHtml, status = 200): FastifyReply {
  return reply.status(status).type("text/html; charset=utf-8").send(body.value);
}

/** True for JSON API paths: errors there are JSON, elsewhere HTML pages. */
export function isApiPath(url: string): boolean {
  return url === "/api" || url.startsWith("/api/");
}

/** Only same-site relative paths are allowed as redirect targets (no open redirects). */
export function safeLocalPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2000) return fallback;
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) < 0x20) return fallback;
  return value;
}
