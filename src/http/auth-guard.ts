/**
 * @module The route guard. Every staff route declares `config: { policy: "<action>" }` (or `"public"` for public
 * routes); `guard` checks the signed-in user (`request.staff`, set by the accounts feature from the session cookie or
 * a Bearer token) against the policy module. Anonymous → 401 (API) or a redirect to sign-in (pages); not allowed →
 * 403; another agency's resource → 404 (its existence is not revealed).
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { type Action, can, type Resource, type StaffUser } from "../accounts/policy.ts";
import { AppError } from "../errors.ts";
import { isApiPath } from "./context.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** The authenticated staff user (session or API token), when any. */
    staff?: StaffUser;
  }
  interface FastifyContextConfig {
    /** The action this route performs, or "public". Required on every route (a test enforces it). */
    policy?: Action | "public";
  }
}

/** Signed-in user or 401 / redirect. */
export function requireStaff(request: FastifyRequest, reply: FastifyReply): StaffUser {
  if (request.staff) return request.staff;
  if (!isApiPath(request.url) && request.method === "GET") {
    reply.redirect(`/admin/login?next=${encodeURIComponent(request.url)}`, 303);
    throw new RedirectSent();
  }
  throw new AppError("unauthenticated");
}

/** Thrown after a redirect was sent so the handler stops; the error handler ignores it. */
export class RedirectSent extends Error {
  constructor() {
    super("redirect sent");
    this.name = "RedirectSent";
  }
}

/**
 * Checks `action` on `resource` for the signed-in user.
 * @throws AppError unauthenticated (401) | forbidden (403) | not_found (404 when the resource is another agency's)
 */
export function authorize(
  request: FastifyRequest,
  reply: FastifyReply,
  action: Action,
  resource: Resource = {},
): StaffUser {
  const user = requireStaff(request, reply);
  if (can(user, action, resource)) return user;
  // The user could do this in their own agency: the resource is another agency's → do not reveal it exists.
  if (
    resource.agencyId &&
    user.agencyId &&
    resource.agencyId !== user.agencyId &&
    can(user, action, { ...resource, agencyId: user.agencyId })
  ) {
    throw new AppError("not_found");
  }
  throw new AppError("forbidden");
}
