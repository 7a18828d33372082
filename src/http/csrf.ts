/**
 * @module CSRF protection (signed double-submit). Every visitor gets a random secret in an httpOnly cookie; the
 * token rendered into forms is HMAC(server secret, cookie secret | session binding), so it cannot be forged without
 * the server secret and changes when the staff session changes. Every non-GET/HEAD/OPTIONS request that is not
 * authenticated by a Bearer token must carry the token: form field `_csrf`, header `x-csrf-token`, or (multipart
 * uploads only) query parameter `_csrf`. Failures are `csrf_invalid` (403).
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Config } from "../config.ts";
import { AppError } from "../errors.ts";

export const CSRF_FIELD = "_csrf";
export const CSRF_HEADER = "x-csrf-token";

declare module "fastify" {
  interface FastifyRequest {
    /** How the staff user was authenticated, when any. Bearer requests are exempt from CSRF checks. */
    authMethod?: "session" | "bearer" | undefined;
    /** Binds CSRF tokens to the staff session (its token hash); "" when anonymous. */
    csrfBinding?: string | undefined;
  }
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const SECRET_RE = /^[A-Za-z0-9_-]{32,64}$/;

export function csrfCookieName(config: Pick<Config, "cookieSecure">): string {
  return config.cookieSecure ? "__Host-gk_csrf" : "gk_csrf";
}

export interface CsrfOptions {
  key: string | Buffer;
  cookieSecure: boolean;
}

/** The token for a cookie secret and session binding (tests use it to build requests). */
export function sign(key: string | Buffer, secret: string, binding: string): string {
  return createHmac("sha256", key).update(`csrf|${secret}|${binding}`).digest("base64url");
}

export function newCsrfSecret(): string {
  return randomBytes(24).toString("base64url");
}

/** Has the request's cookie secret (creating and setting one when missing). */
function cookieSecret(request: FastifyRequest, reply: FastifyReply, options: CsrfOptions): string {
  const name = csrfCookieName(options);
  const existing = request.cookies?.[name];
  if (existing && SECRET_RE.test(existing)) return existing;
  const fresh = newCsrfSecret();
  reply.setCookie(name, fresh, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: options.cookieSecure,
  });
  // Later calls in the same request reuse it.
  if (request.cookies) request.cookies[name] = fresh;
  return fresh;
}

/** The CSRF token for this request (what pages render into `_csrf`). */
export function csrfTokenFor(request: FastifyRequest, reply: FastifyReply, options: CsrfOptions): string {
  return sign(options.key, cookieSecret(request, reply, options), request.csrfBinding ?? "");
}

function submittedToken(request: FastifyRequest): string | undefined {
  const header = request.headers[CSRF_HEADER];
  if (typeof header === "string" && header) return header;
  const body = request.body;
  if (body && typeof body === "object" && !Buffer.isBuffer(body)) {
    const v = (body as Record<string, unknown>)[CSRF_FIELD];
    if (typeof v === "string" && v) return v;
    // @fastify/multipart with attachFieldsToBody: { value }
    if (v && typeof v === "object" && typeof (v as { value?: unknown }).value === "string")
      return (v as { value: string }).value;
  }
  if (String(request.headers["content-type"] ?? "").startsWith("multipart/form-data")) {
    const q = (request.query as Record<string, unknown> | undefined)?.[CSRF_FIELD];
    if (typeof q === "string" && q) return q;
  }
  return undefined;
}

/** True when the request carries a valid token for its cookie secret and session. */
export function isValidCsrf(request: FastifyRequest, options: CsrfOptions): boolean {
  const secret = request.cookies?.[csrfCookieName(options)];
  const token = submittedToken(request);
  if (!secret || !SECRET_RE.test(secret) || !token) return false;
  const expected = Buffer.from(sign(options.key, secret, request.csrfBinding ?? ""));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Registers the check on every state-changing request (after body parsing, before validation). */
export function registerCsrf(app: FastifyInstance, options: CsrfOptions): void {
  app.addHook("preValidation", async (request) => {
    if (SAFE_METHODS.has(request.method)) return;
    if (request.authMethod === "bearer") return;
    if (!isValidCsrf(request, options)) throw new AppError("csrf_invalid");
  });
}
