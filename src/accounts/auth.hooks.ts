/**
 * @module Request hooks of the accounts feature, registered before any feature route (src/app.ts):
 * 1. onRequest: `request.staff` from a `Authorization: Bearer` API token or the session cookie, and
 *    `request.pageExtras = { staffName, csrfToken, staffNav }` for the layout;
 * 2. preValidation: the route-level policy guard (src/http/auth-guard.ts), then CSRF (src/http/csrf.ts).
 * Also records every route as it is registered (`routeTable`) so tests can check each one.
 */
import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from "fastify";
import { findAgencyInfo } from "../agencies/agencies.read.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { agencySlugOfPath } from "../http/agency-paths.ts";
import { type PolicyByParam, registerRouteGuard } from "../http/auth-guard.ts";
import {
  type CsrfOptions,
  csrfCookieName,
  csrfTokenFor,
  newCsrfSecret,
  registerCsrf,
  sign,
} from "../http/csrf.ts";
import type { PageContext } from "../http/layout.ts";
import { countUnreadStaffNotifications } from "../messaging/staff-notification.repository.ts";
import { NOTIFICATIONS_PATH } from "./notifications.views.ts";
import type { StaffUser } from "./policy.ts";
import { resolveApiToken, resolveSession, sessionCookieName, startSession } from "./session.service.ts";

export interface RouteEntry {
  method: string;
  url: string;
  policy: string | undefined;
  /** The action of each value of a URL parameter, when the route's action depends on it (`config.policyByParam`). */
  policyByParam?: PolicyByParam | undefined;
  /** The route opted into a rate limit (`config.rateLimit`). */
  rateLimited: boolean;
}

declare module "fastify" {
  interface FastifyInstance {
    /** Every route registered after the accounts hooks (method, url, policy), for security tests. */
    routeTable: RouteEntry[];
    /** In-process credentials (tests, tools): a Cookie header and matching CSRF token. Never exposed as a route. */
    credentials: {
      forUser(userId: string): Promise<{ cookie: string; csrfToken: string }>;
      anonymous(): { cookie: string; csrfToken: string };
    };
  }
  interface FastifyRequest {
    /** SHA-256 of the session token, when signed in with a session cookie. */
    sessionTokenHash?: string | undefined;
  }
}

// /metrics has its own check (loopback or METRICS_TOKEN as a Bearer token, which is not an API token).
const SKIP_AUTH_PREFIXES = ["/static/", "/healthz", "/readyz", "/favicon", "/metrics"];

export function sessionCookieOptions(deps: Pick<Deps, "config">) {
  return {
    path: "/",
    httpOnly: true,
    sameSite: "lax" as const,
    secure: deps.config.cookieSecure,
  };
}

export function csrfOptions(deps: Pick<Deps, "config">): CsrfOptions {
  return { key: deps.config.secret ?? processKey, cookieSecure: deps.config.cookieSecure };
}
const processKey = randomBytes(32);

/** The CSRF token for forms on this response. */
export function csrfToken(deps: Pick<Deps, "config">, request: FastifyRequest, reply: FastifyReply): string {
  return csrfTokenFor(request, reply, csrfOptions(deps));
}

/** Console HTML pages (not the sign-in pages, downloads or the API). */
function isConsolePage(path: string): boolean {
  return (
    (path === "/admin" || path.startsWith("/admin/") || path.startsWith("/admin?")) &&
    !/^\/admin\/(login|setup|logout)\b/.test(path) &&
    !/\.(csv|zip|xlsx|docx|json|ics|pdf|svg)(\?|$)/.test(path)
  );
}

/** Link key → count: the 工作台 total, per-feature to-do counts and unread notifications. */
async function navCounts(deps: Deps, staff: StaffUser): Promise<Map<string, number>> {
  const [work, unread] = await Promise.all([
    deps.consoleLinks.navCounts(staff, deps.clock.today()),
    countUnreadStaffNotifications(deps.db, staff.id),
  ]);
  const out = new Map(work.byHref);
  out.set("/admin", work.total);
  out.set(NOTIFICATIONS_PATH, unread);
  return out;
}

export function registerAuth(app: FastifyInstance, deps: Deps): void {
  const routeTable: RouteEntry[] = [];
  app.decorate("routeTable", routeTable);
  app.addHook("onRoute", (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      routeTable.push({
        method: String(method),
        url: route.url,
        policy: (route.config as { policy?: string } | undefined)?.policy,
        policyByParam: (route.config as { policyByParam?: PolicyByParam } | undefined)?.policyByParam,
        rateLimited: Boolean((route.config as { rateLimit?: unknown } | undefined)?.rateLimit),
      });
    }
  });

  const csrf = csrfOptions(deps);
  const cookieName = sessionCookieName(deps.config);
  const csrfCookie = csrfCookieName(deps.config);
  app.decorate("credentials", {
    async forUser(userId: string) {
      const { token, tokenHash } = await startSession(deps, userId, {});
      const secret = newCsrfSecret();
      return {
        cookie: `${cookieName}=${token}; ${csrfCookie}=${secret}`,
        csrfToken: sign(csrf.key, secret, tokenHash),
      };
    },
    anonymous() {
      const secret = newCsrfSecret();
      return { cookie: `${csrfCookie}=${secret}`, csrfToken: sign(csrf.key, secret, "") };
    },
  });

  app.addHook("onRequest", async (request, reply) => {
    const path = request.url;
    if (SKIP_AUTH_PREFIXES.some((p) => path.startsWith(p))) return;
    // Only the Bearer scheme is ours (a reverse proxy may use Basic authentication in front of the app).
    const authorization = request.headers.authorization;
    if (authorization !== undefined && /^Bearer\s/i.test(authorization)) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      const user = match ? await resolveApiToken(deps, match[1] as string) : undefined;
      if (!user) throw new AppError("unauthenticated", "API 令牌无效、已过期或已撤销。");
      // A token never bypasses "must change password" (the change itself needs the console and the password).
      if (user.mustChangePassword) throw new AppError("token_password_change_required");
      request.staff = user;
      request.authMethod = "bearer";
      request.csrfBinding = "";
      return;
    }
    const token = request.cookies?.[cookieName];
    if (token) {
      const session = await resolveSession(deps, token);
      if (session) {
        request.staff = session.user;
        request.authMethod = "session";
        request.sessionTokenHash = session.tokenHash;
      } else {
        reply.clearCookie(cookieName, sessionCookieOptions(deps));
      }
    }
    request.csrfBinding = request.sessionTokenHash ?? "";
    const staff = request.staff;
    const consolePage = staff !== undefined && request.method === "GET" && isConsolePage(path);
    // Agency links (`/admin/agencies/:agency/…`) name the page's agency, else on the console's other pages (年度报告,
    // 通知, 我的账户 …) the user's own, as the console home does.
    const pageAgency = agencySlugOfPath(path);
    const agencySlug =
      pageAgency ??
      (consolePage && staff?.agencyId ? (await findAgencyInfo(deps.db, staff.agencyId))?.slug : undefined);
    const links = staff ? deps.consoleLinks.for(staff, agencySlug) : [];
    // Console pages (GET) show to-do counts and unread notifications beside the links (counts cached per user).
    const counts = staff && consolePage ? await navCounts(deps, staff) : undefined;
    const extras: Partial<PageContext> = {
      ...request.pageExtras,
      staffName: staff?.displayName,
      staffNav: staff ? links.map((l) => ({ href: l.href, label: l.label })) : undefined,
      staffNavCounts: counts
        ? Object.fromEntries(links.map((l) => [l.label, counts.get(l.key) ?? 0]))
        : undefined,
    };
    // Lazy: the CSRF cookie is only set on responses that render a form token.
    Object.defineProperty(extras, "csrfToken", {
      enumerable: true,
      configurable: true,
      get: () => csrfTokenFor(request, reply, csrf),
    });
    request.pageExtras = extras;
  });

  registerRouteGuard(app);
  registerCsrf(app, csrf);
}
