/**
 * @module The route guard. Every staff route declares `config: { policy: "<action>" }` (or `"public"` for public
 * routes); `guard` checks the signed-in user (`request.staff`, set by the accounts feature from the session cookie or
 * a Bearer token) against the policy module. Anonymous → 401 (API) or a redirect to sign-in (pages); not allowed →
 * 403; another agency's resource → 404 (its existence is not revealed).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
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
    /**
     * A form POST declared with `staffRoute({ form })`: the handler authorizes against the agency and re-renders
     * the form with the typed values on a 403, so the guard does not refuse it early.
     */
    formRoute?: boolean;
    /**
     * A route whose action depends on a URL parameter (one API operation for several workflow transitions): the
     * action of each value. The guard refuses an unknown value (404) and checks the value's action instead of
     * `policy` (the least action that reaches the route); the route × role matrix checks every value with its action.
     */
    policyByParam?: PolicyByParam;
    /** Reachable while the account must change its password (the change-password page, sign-out). */
    allowWithPasswordChangeRequired?: boolean;
  }
}

/** The action of each value of one URL parameter (`config.policyByParam`). */
export interface PolicyByParam {
  param: string;
  policies: Readonly<Record<string, Action>>;
}

/** The action a request performs on a route with `policyByParam`; undefined for an unknown value. */
export function paramPolicy(byParam: PolicyByParam, params: unknown): Action | undefined {
  const value = (params as Record<string, string> | undefined)?.[byParam.param];
  return value !== undefined && Object.hasOwn(byParam.policies, value) ? byParam.policies[value] : undefined;
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

/** Where users whose password was reset are sent until they choose a new one. */
export const CHANGE_PASSWORD_PATH = "/admin/account/password";

/**
 * Route-level guard (defence in depth, before the handler runs): a route whose `config.policy` is an action requires
 * a signed-in user who may perform that action in at least one scope. Handlers still call `authorize()` with the
 * concrete resource (agency, department, region). Registered by the accounts feature.
 */
export function registerRouteGuard(app: FastifyInstance): void {
  app.addHook("preValidation", async (request, reply) => {
    const policy = request.routeOptions.config?.policy;
    if (!policy || policy === "public") return;
    const user = request.staff;
    if (!user) {
      if (!isApiPath(request.url) && (request.method === "GET" || request.method === "HEAD"))
        return reply.redirect(`/admin/login?next=${encodeURIComponent(request.url)}`, 303);
      throw new AppError("unauthenticated");
    }
    if (user.mustChangePassword && !request.routeOptions.config?.allowWithPasswordChangeRequired) {
      if (!isApiPath(request.url) && (request.method === "GET" || request.method === "HEAD"))
        return reply.redirect(CHANGE_PASSWORD_PATH, 303);
      throw new AppError("password_change_required");
    }
    const byParam = request.routeOptions.config?.policyByParam;
    const action = byParam ? paramPolicy(byParam, request.params) : policy;
    if (!action) throw new AppError("not_found");
    if (!can(user, action) && !request.routeOptions.config?.formRoute) throw new AppError("forbidden");
  });
}
