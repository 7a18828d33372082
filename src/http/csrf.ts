/**
 * @module CSRF protection (signed double-submit). Every visitor gets a random secret in an httpOnly cookie; the
 * token rendered into forms is HMAC(server secret, cookie secret | session binding), so it cannot be forged without
 * the server secret and changes when the staff session changes. Every non-GET/HEAD/OPTIONS request that is not
 * authenticated by a Bearer token must carry the token: form field `_csrf` or header `x-csrf-token` — never the URL
 * (URLs land in access logs, proxies and Referer headers). Failures are `csrf_invalid` (403).
 *
 * Multipart uploads: their body is still unread when the hook runs (the handler first checks ownership, so another
 * agency's URL stays a 404, then streams the file). Without the header, the hook defers the check to the moment the
 * handler reads the body: `request.file()` / `files()` / `parts()` verify the `_csrf` field — which the forms send as
 * their FIRST field — before the handler sees any file byte, and refuse with csrf_invalid otherwise. Routes whose
 * multipart body is parsed as a body (src/http/multipart-body.ts, `config.csrfFieldOnly`) are checked here at once.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Config } from "../config.ts";
import { AppError } from "../errors.ts";

export const CSRF_FIELD = "_csrf";
export const CSRF_HEADER = "x-csrf-token";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The multipart body is parsed before this check (src/http/multipart-body.ts): the `_csrf` field is checked now. */
    csrfFieldOnly?: boolean;
  }
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
  return undefined;
}

/** A token (as submitted) valid for this request's cookie secret and session. */
function tokenMatches(request: FastifyRequest, options: CsrfOptions, token: string | undefined): boolean {
  const secret = request.cookies?.[csrfCookieName(options)];
  if (!secret || !SECRET_RE.test(secret) || !token) return false;
  const expected = Buffer.from(sign(options.key, secret, request.csrfBinding ?? ""));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const isMultipart = (request: FastifyRequest) =>
  String(request.headers["content-type"] ?? "").startsWith("multipart/form-data");

interface PartLike {
  type?: string;
  fieldname?: string;
  value?: unknown;
  file?: { resume(): unknown };
  fields?: Record<string, unknown>;
}

/**
 * The `_csrf` field sent BEFORE this file part (@fastify/multipart's `part.fields` keeps insertion order; a body
 * already buffered may hold later fields too, which do not count).
 */
function fieldToken(part: PartLike | undefined): string | undefined {
  const keys = Object.keys(part?.fields ?? {});
  const at = keys.indexOf(CSRF_FIELD);
  if (at < 0 || (part?.fieldname !== undefined && keys.indexOf(part.fieldname) < at)) return undefined;
  const f = part?.fields?.[CSRF_FIELD];
  const v = Array.isArray(f) ? f[0] : f;
  const value = (v as { value?: unknown } | undefined)?.value;
  return typeof value === "string" ? value : undefined;
}

/**
 * Makes the request's multipart readers verify the `_csrf` field before handing out the first file part. Fields
 * after the first file are too late: the forms put `_csrf` first.
 */
function deferToMultipartReaders(request: FastifyRequest, options: CsrfOptions): void {
  const r = request as unknown as Record<string, unknown>;
  let verified = false;
  const refuse = (part: PartLike | undefined): never => {
    part?.file?.resume(); // drain the unread file so the connection is not left hanging
    throw new AppError("csrf_invalid");
  };
  const check = (part: PartLike | undefined) => {
    if (verified) return;
    if (part?.type === "field" && part.fieldname === CSRF_FIELD) {
      if (!tokenMatches(request, options, typeof part.value === "string" ? part.value : undefined))
        refuse(part);
      verified = true;
      return;
    }
    if (part === undefined || part.type === "file" || part.file) {
      if (!tokenMatches(request, options, fieldToken(part))) refuse(part);
      verified = true;
      return;
    }
    // another field before _csrf: keep reading until the first file part
  };
  const file = r.file as ((...a: unknown[]) => Promise<PartLike | undefined>) | undefined;
  if (typeof file === "function")
    r.file = async (...args: unknown[]) => {
      const part = await file.apply(request, args);
      check(part);
      return part;
    };
  for (const name of ["files", "parts"]) {
    const iterate = r[name] as ((...a: unknown[]) => AsyncIterable<PartLike>) | undefined;
    if (typeof iterate !== "function") continue;
    r[name] = async function* (...args: unknown[]) {
      for await (const part of iterate.apply(request, args)) {
        check(part);
        yield part;
      }
      if (!verified) throw new AppError("csrf_invalid");
    };
  }
}

/** True when the request carries a valid token for its cookie secret and session. */
export function isValidCsrf(request: FastifyRequest, options: CsrfOptions): boolean {
  return tokenMatches(request, options, submittedToken(request));
}

/** Registers the check on every state-changing request (after body parsing, before validation). */
export function registerCsrf(app: FastifyInstance, options: CsrfOptions): void {
  app.addHook("preValidation", async (request) => {
    if (SAFE_METHODS.has(request.method)) return;
    // No route (DELETE /api/v1/agencies, POST to a page): nothing to protect; the answer is 404, not "页面已过期".
    if (request.is404) return;
    if (request.authMethod === "bearer") return;
    if (isValidCsrf(request, options)) return;
    // A multipart upload without the header: verified from its first field when the handler reads the body.
    if (
      isMultipart(request) &&
      request.headers[CSRF_HEADER] === undefined &&
      request.routeOptions?.config?.csrfFieldOnly !== true
    )
      return deferToMultipartReaders(request, options);
    throw new AppError("csrf_invalid");
  });
}
