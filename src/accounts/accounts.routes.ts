/**
 * @module Routes of the accounts feature: sign-in/out and first-run set-up. The console home and my account
 * (my-account.routes.ts) and user and role management (users.routes.ts) are registered from here.
 * Thin handlers: parse → authorize → service → render.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Deps } from "../deps.ts";
import { AppError, isAppError } from "../errors.ts";
import { authorize, CHANGE_PASSWORD_PATH } from "../http/auth-guard.ts";
import { pageContext, safeLocalPath, sendHtml } from "../http/context.ts";
import { bodyString, fieldErrors } from "../http/forms.ts";
import { LOGIN_RATE_LIMIT } from "../http/rate-limits.ts";
import { html } from "../shared/html.ts";
import { lockedAccountsNotice, loginPage, setupDonePage, setupPage } from "./accounts.views.ts";
import { sessionCookieOptions } from "./auth.hooks.ts";
import { myAccountRoutes } from "./my-account.routes.ts";
import { endAllSessions, endSession, sessionCookieName, startSession } from "./session.service.ts";
import { completeSetup, isSetupTokenValid } from "./setup.service.ts";
import { attemptLogin, lockedAccounts, recordLogout } from "./sign-in.service.ts";
import { userAdminRoutes } from "./users.routes.ts";

export function accountsRoutes(app: FastifyInstance, deps: Deps): void {
  // The security administrator's notice of accounts locked by a distributed sign-in attack (issue #13).
  deps.consoleLinks.addHomeNotice("accounts.locked", async (user) => {
    if (!user.grants.some((g) => g.role === "security_admin")) return html``;
    return lockedAccountsNotice(await lockedAccounts(deps.db, deps.clock.now()));
  });
  const cookieName = sessionCookieName(deps.config);
  const cookieOpts = sessionCookieOptions(deps);
  const ua = (r: FastifyRequest) => String(r.headers["user-agent"] ?? "").slice(0, 300);

  // ---- sign-in / sign-out -------------------------------------------------------------------------------------

  app.get<{ Querystring: { next?: string; out?: string } }>(
    "/admin/login",
    { config: { policy: "public" } },
    async (request, reply) => {
      if (request.staff && request.authMethod === "session") return reply.redirect("/admin", 303);
      reply.header("cache-control", "no-store");
      return sendHtml(
        reply,
        loginPage(pageContext(request), {
          next: safeLocalPath(request.query.next, ""),
          notice: request.query.out ? "您已安全退出。" : undefined,
        }),
      );
    },
  );

  app.post(
    "/admin/login",
    { config: { policy: "public", rateLimit: LOGIN_RATE_LIMIT } },
    async (request, reply) => {
      const username = bodyString(request.body, "username", 100);
      const password = bodyString(request.body, "password", 200, true);
      const next = safeLocalPath(bodyString(request.body, "next", 2000), "/admin");
      reply.header("cache-control", "no-store");
      const result = await attemptLogin(deps, {
        username,
        password,
        totp: bodyString(request.body, "totp", 20),
        ip: request.ip,
      });
      if (!result.ok && result.reason === "throttled") {
        reply.header("retry-after", String(result.retryAfterSeconds));
        const wait = result.retryAfterSeconds;
        return sendHtml(
          reply,
          loginPage(pageContext(request), {
            username,
            next,
            error: `${new AppError("login_throttled").message}（约 ${wait >= 60 ? `${Math.ceil(wait / 60)} 分钟` : `${wait} 秒`}后）`,
          }),
          429,
        );
      }
      if (!result.ok) {
        const totpRequired = result.reason === "totp_required";
        return sendHtml(
          reply,
          loginPage(pageContext(request), {
            username,
            next,
            totpRequired,
            error: totpRequired ? undefined : new AppError("login_failed").message,
          }),
          totpRequired ? 200 : 401,
        );
      }
      const session = await startSession(deps, result.user.id, {
        ip: request.ip,
        userAgent: ua(request),
        previousToken: request.cookies?.[cookieName],
      });
      reply.setCookie(cookieName, session.token, cookieOpts);
      return reply.redirect(result.user.mustChangePassword ? CHANGE_PASSWORD_PATH : next, 303);
    },
  );

  app.post(
    "/admin/logout",
    { config: { policy: "console.use", allowWithPasswordChangeRequired: true } },
    async (request, reply) => {
      const user = authorize(request, reply, "console.use");
      if (request.sessionTokenHash) await endSession(deps.db, request.sessionTokenHash);
      await recordLogout(deps.db, deps.audit, user, request.ip, false);
      reply.clearCookie(cookieName, cookieOpts);
      return reply.redirect("/admin/login?out=1", 303);
    },
  );

  app.post(
    "/admin/logout-all",
    { config: { policy: "console.use", allowWithPasswordChangeRequired: true } },
    async (request, reply) => {
      const user = authorize(request, reply, "console.use");
      await deps.db.transaction().execute(async (trx) => {
        await endAllSessions(trx, user.id);
        await recordLogout(trx, deps.audit, user, request.ip, true);
      });
      reply.clearCookie(cookieName, cookieOpts);
      return reply.redirect("/admin/login?out=1", 303);
    },
  );

  // ---- first-run set-up ---------------------------------------------------------------------------------------

  app.get<{ Querystring: { token?: string } }>(
    "/admin/setup",
    { config: { policy: "public", rateLimit: LOGIN_RATE_LIMIT } },
    async (request, reply) => {
      const token = String(request.query.token ?? "").slice(0, 100);
      if (!(await isSetupTokenValid(deps.db, token))) throw new AppError("setup_unavailable");
      reply.header("cache-control", "no-store").header("referrer-policy", "no-referrer");
      return sendHtml(reply, setupPage(pageContext(request), { token }));
    },
  );

  app.post(
    "/admin/setup",
    { config: { policy: "public", rateLimit: LOGIN_RATE_LIMIT } },
    async (request, reply) => {
      const token = bodyString(request.body, "token", 100);
      const admin = (role: string) => ({
        username: bodyString(request.body, `${role}.username`, 100),
        displayName: bodyString(request.body, `${role}.displayName`, 100),
        password: bodyString(request.body, `${role}.password`, 200, true),
      });
      const admins = {
        platform_admin: admin("platform_admin"),
        security_admin: admin("security_admin"),
        audit_admin: admin("audit_admin"),
      };
      try {
        const created = await completeSetup(deps, token, admins, request.ip);
        return sendHtml(reply, setupDonePage(pageContext(request), created));
      } catch (e) {
        if (!isAppError(e) || e.code !== "validation_failed") throw e;
        const values: Record<string, string> = {};
        for (const [role, a] of Object.entries(admins)) {
          values[`${role}.username`] = a.username;
          values[`${role}.displayName`] = a.displayName;
        }
        return sendHtml(
          reply,
          setupPage(pageContext(request), { token, values, errors: fieldErrors(e) }),
          400,
        );
      }
    },
  );

  myAccountRoutes(app, deps);
  userAdminRoutes(app, deps);
}
