/**
 * @module Routes of the accounts feature: sign-in/out, first-run set-up, the console home, my account, user and role
 * management. Thin handlers: parse → authorize → service → render.
 */
import encodeQR from "@paulmillr/qr";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Deps } from "../deps.ts";
import { AppError, isAppError } from "../errors.ts";
import { authorize, CHANGE_PASSWORD_PATH } from "../http/auth-guard.ts";
import { pageContext, safeLocalPath, sendHtml } from "../http/context.ts";
import { bodyString, bodyStrings, fieldErrors } from "../http/forms.ts";
import { API_TAGS } from "../http/openapi.ts";
import { LOGIN_RATE_LIMIT } from "../http/rate-limits.ts";
import { html, raw, type SafeHtml } from "../shared/html.ts";
import { AGENCY_ROLES } from "./accounts.rules.ts";
import {
  type Account,
  addGrant,
  changeOwnPassword,
  createAccount,
  getAccount,
  listAccounts,
  loadDirectory,
  removeGrant,
  resetPassword,
  setAccountActive,
} from "./accounts.service.ts";
import {
  accountPage,
  consoleHome,
  type Directory,
  lockedAccountsNotice,
  loginPage,
  newUserPage,
  oneTimePasswordPage,
  passwordPage,
  setupDonePage,
  setupPage,
  userDetailPage,
  usersPage,
} from "./accounts.views.ts";
import { createToken, grantableScopes, listTokens, revokeToken } from "./api-token.service.ts";
import { sessionCookieOptions } from "./auth.hooks.ts";
import { agencyScope, can, ROLES, type Role, type RoleGrant, type StaffUser } from "./policy.ts";
import { endAllSessions, endSession, sessionCookieName, startSession } from "./session.service.ts";
import { completeSetup, isSetupTokenValid } from "./setup.service.ts";
import { attemptLogin, lockedAccounts, recordLogout } from "./sign-in.service.ts";
import {
  beginTotpEnrolment,
  confirmTotpEnrolment,
  disableTotp,
  pendingTotp,
  totpEncryptedAtRest,
} from "./totp.service.ts";

function qrSvg(text: string): SafeHtml | undefined {
  try {
    const svg = encodeQR(text, "svg").replace(
      "<svg ",
      '<svg role="img" aria-label="动态验证码配置二维码" width="220" height="220" class="qr-code" ',
    );
    return raw(svg); // generated markup (no user input in element or attribute names)
  } catch {
    return undefined;
  }
}

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
      await recordLogout(deps.db, user, request.ip, false);
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
        await recordLogout(trx, user, request.ip, true);
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

  // ---- console home and my account ---------------------------------------------------------------------------

  app.get("/admin", { config: { policy: "console.use" } }, async (request, reply) => {
    const user = authorize(request, reply, "console.use");
    const dir = await loadDirectory(deps.db);
    const [notices, work] = await Promise.all([
      deps.consoleLinks.homeNotices(user, deps.clock.today()),
      deps.consoleLinks.work(user, deps.clock.today()),
    ]);
    // Links to agency pages name the user's own agency (platform and regional accounts get the picking URL).
    const ownSlug = dir.agencies.find((a) => a.id === user.agencyId)?.slug;
    const links = deps.consoleLinks.for(user, ownSlug);
    const ctx = { ...pageContext(request), staffNav: links.map((l) => ({ href: l.href, label: l.label })) };
    reply.header("cache-control", "no-store");
    return sendHtml(reply, consoleHome(ctx, user, links, dir, notices, work));
  });

  const Nullable = (description: string) => Type.Union([Type.String(), Type.Null()], { description });
  app.get(
    "/api/v1/me",
    {
      config: { policy: "console.use" },
      schema: {
        operationId: "getCurrentUser",
        summary: "当前令牌（或会话）所属的工作人员、角色和令牌权限范围",
        tags: [API_TAGS.accounts],
        response: {
          200: Type.Object({
            id: Type.String(),
            username: Type.String(),
            displayName: Type.String(),
            agencyId: Nullable("所属机关 id（平台和地区账户为 null）"),
            grants: Type.Array(
              Type.Object({
                role: Type.String({ enum: Object.keys(ROLES), description: "角色" }),
                agencyId: Nullable("机关 id"),
                departmentId: Nullable("股室 id（限于一个股室的起草人）"),
                regionId: Nullable("行政区划 id（督查账户）"),
              }),
            ),
            tokenScopes: Type.Union([Type.Array(Type.String()), Type.Null()], {
              description: "API 令牌的权限范围（会话登录时为 null）",
            }),
          }),
        },
      },
    },
    async (request, reply) => {
      const user = authorize(request, reply, "console.use");
      return {
        id: user.id,
        username: user.username,
        displayName: user.displayName,
        agencyId: user.agencyId,
        grants: user.grants,
        tokenScopes: user.tokenScopes ?? null,
      };
    },
  );

  const renderAccount = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { notice?: string; newToken?: string; errors?: Record<string, string> } = {},
    status = 200,
  ) => {
    const user = authorize(request, reply, "console.use");
    const account = (await getAccount(deps.db, user.id)) as Account;
    const pending = account.totpEnabled ? undefined : await pendingTotp(deps, user);
    reply.header("cache-control", "no-store");
    return sendHtml(
      reply,
      accountPage(pageContext(request), {
        user,
        account,
        dir: await loadDirectory(deps.db),
        tokens: await listTokens(deps.db, user.id),
        scopes: grantableScopes(user),
        totpPending: pending ? { ...pending, qrSvg: qrSvg(pending.uri) } : undefined,
        totpUnencrypted: !totpEncryptedAtRest(deps.config),
        ...extra,
      }),
      status,
    );
  };

  app.get<{ Querystring: { done?: string } }>(
    "/admin/account",
    { config: { policy: "console.use" } },
    async (request, reply) => {
      const notices: Record<string, string> = {
        password: "密码已修改，其他设备上的登录已退出。",
        totp: "已启用动态验证码。",
        "totp-off": "已关闭动态验证码。",
        revoked: "令牌已撤销。",
      };
      return renderAccount(request, reply, { notice: notices[String(request.query.done ?? "")] as string });
    },
  );

  app.get(
    "/admin/account/password",
    { config: { policy: "console.use", allowWithPasswordChangeRequired: true } },
    async (request, reply) => {
      const user = authorize(request, reply, "console.use");
      return sendHtml(reply, passwordPage(pageContext(request), { required: !!user.mustChangePassword }));
    },
  );

  app.post(
    "/admin/account/password",
    { config: { policy: "console.use", allowWithPasswordChangeRequired: true } },
    async (request, reply) => {
      const user = authorize(request, reply, "console.use");
      const currentPassword = bodyString(request.body, "currentPassword", 200, true);
      const newPassword = bodyString(request.body, "newPassword", 200, true);
      const confirm = bodyString(request.body, "confirmPassword", 200, true);
      try {
        if (newPassword !== confirm)
          throw new AppError("validation_failed", undefined, {
            fields: [{ field: "confirmPassword", message: "两次输入的新密码不一致。" }],
          });
        await changeOwnPassword(
          deps.db,
          { user, ip: request.ip },
          { currentPassword, newPassword, keepSessionHash: request.sessionTokenHash },
        );
      } catch (e) {
        if (!isAppError(e) || e.code !== "validation_failed") throw e;
        return sendHtml(
          reply,
          passwordPage(pageContext(request), { required: !!user.mustChangePassword, errors: fieldErrors(e) }),
          400,
        );
      }
      return reply.redirect("/admin/account?done=password", 303);
    },
  );

  app.post("/admin/account/totp/begin", { config: { policy: "console.use" } }, async (request, reply) => {
    const user = authorize(request, reply, "console.use");
    await beginTotpEnrolment(deps, user);
    return reply.redirect("/admin/account#totp", 303);
  });

  app.post("/admin/account/totp/confirm", { config: { policy: "console.use" } }, async (request, reply) => {
    const user = authorize(request, reply, "console.use");
    try {
      await confirmTotpEnrolment(deps, { user, ip: request.ip }, bodyString(request.body, "code", 20));
    } catch (e) {
      if (!isAppError(e) || e.code !== "validation_failed") throw e;
      return renderAccount(request, reply, { errors: fieldErrors(e) }, 400);
    }
    return reply.redirect("/admin/account?done=totp", 303);
  });

  app.post("/admin/account/totp/disable", { config: { policy: "console.use" } }, async (request, reply) => {
    const user = authorize(request, reply, "console.use");
    try {
      await disableTotp(
        deps.db,
        { user, ip: request.ip },
        user.id,
        bodyString(request.body, "currentPassword", 200, true),
      );
    } catch (e) {
      if (!isAppError(e) || e.code !== "validation_failed") throw e;
      return renderAccount(request, reply, { errors: fieldErrors(e) }, 400);
    }
    return reply.redirect("/admin/account?done=totp-off", 303);
  });

  app.post("/admin/account/tokens", { config: { policy: "console.use" } }, async (request, reply) => {
    const user = authorize(request, reply, "console.use");
    const days = bodyString(request.body, "expiresInDays", 10);
    try {
      const { token } = await createToken(
        deps,
        { user, ip: request.ip },
        {
          name: bodyString(request.body, "name", 100),
          scopes: bodyStrings(request.body, "scopes"),
          expiresInDays: days === "" ? undefined : Number(days),
        },
      );
      return renderAccount(request, reply, { newToken: token });
    } catch (e) {
      if (!isAppError(e) || e.code !== "validation_failed") throw e;
      return renderAccount(request, reply, { errors: fieldErrors(e) }, 400);
    }
  });

  app.post<{ Params: { id: string } }>(
    "/admin/account/tokens/:id/revoke",
    { config: { policy: "console.use" } },
    async (request, reply) => {
      const user = authorize(request, reply, "console.use");
      await revokeToken(deps, { user, ip: request.ip }, request.params.id);
      return reply.redirect("/admin/account?done=revoked#tokens", 303);
    },
  );

  // ---- user and role management -------------------------------------------------------------------------------

  /** What the manager may see and grant: all agencies (security admin) or their own (agency admin). */
  const managerView = async (user: StaffUser) => {
    const scope = agencyScope(user, "user.manage");
    const full = await loadDirectory(deps.db);
    if (scope.all) {
      return { scope, dir: full, roles: Object.keys(ROLES) as Role[], fixedAgencyId: null as string | null };
    }
    const ids = new Set(scope.agencyIds);
    const dir: Directory = {
      agencies: full.agencies.filter((a) => ids.has(a.id)),
      departments: full.departments.filter((d) => ids.has(d.agencyId)),
      regions: [],
    };
    return {
      scope,
      dir,
      roles: AGENCY_ROLES,
      fixedAgencyId: scope.agencyIds.length === 1 ? (scope.agencyIds[0] as string) : null,
    };
  };

  /** The target account, authorized for user.manage (another agency's account → 404). */
  const loadTarget = async (request: FastifyRequest, reply: FastifyReply, id: string, mutate: boolean) => {
    const account = await getAccount(deps.db, id);
    const user = authorize(request, reply, "user.manage");
    if (!account) throw new AppError("user_not_found");
    authorize(request, reply, "user.manage", {
      agencyId: account.homeAgencyId,
      ...(mutate ? { targetUserId: account.id } : {}),
    });
    return { user, account };
  };

  const grantFromBody = (body: unknown, fixedAgencyId: string | null): RoleGrant => {
    const role = bodyString(body, "role", 40) as Role;
    const agencyId = bodyString(body, "agencyId", 40) || fixedAgencyId || null;
    const departmentId = bodyString(body, "departmentId", 40) || null;
    const regionId = bodyString(body, "regionId", 40) || null;
    if (!Object.hasOwn(ROLES, role))
      throw new AppError("validation_failed", undefined, {
        fields: [{ field: "role", message: "请选择角色。" }],
      });
    const platform = role === "platform_admin" || role === "security_admin" || role === "audit_admin";
    return {
      role,
      agencyId: platform || role === "supervisor" ? null : agencyId,
      departmentId: role === "editor" ? departmentId : null,
      regionId: role === "supervisor" ? regionId : null,
    };
  };

  app.get<{ Querystring: { q?: string; agency?: string } }>(
    "/admin/users",
    { config: { policy: "user.manage" } },
    async (request, reply) => {
      const user = authorize(request, reply, "user.manage");
      const view = await managerView(user);
      const search = String(request.query.q ?? "").slice(0, 50);
      const agencyFilter = String(request.query.agency ?? "");
      const agencyIds = view.scope.all
        ? agencyFilter
          ? [agencyFilter]
          : undefined
        : view.scope.agencyIds.filter((id) => !agencyFilter || id === agencyFilter);
      const accounts = await listAccounts(deps.db, { agencyIds, search: search || undefined });
      return sendHtml(
        reply,
        usersPage(pageContext(request), {
          accounts,
          dir: view.dir,
          search,
          agencyFilter,
          canPickAgency: view.dir.agencies.length > 1,
        }),
      );
    },
  );

  app.get("/admin/users/new", { config: { policy: "user.manage" } }, async (request, reply) => {
    const user = authorize(request, reply, "user.manage");
    const view = await managerView(user);
    return sendHtml(
      reply,
      newUserPage(pageContext(request), {
        dir: view.dir,
        roles: view.roles,
        fixedAgencyId: view.fixedAgencyId,
      }),
    );
  });

  app.post("/admin/users", { config: { policy: "user.manage" } }, async (request, reply) => {
    const user = authorize(request, reply, "user.manage");
    const view = await managerView(user);
    const values = {
      username: bodyString(request.body, "username", 100),
      displayName: bodyString(request.body, "displayName", 100),
      role: bodyString(request.body, "role", 40),
      agencyId: bodyString(request.body, "agencyId", 40),
      departmentId: bodyString(request.body, "departmentId", 40),
      regionId: bodyString(request.body, "regionId", 40),
    };
    try {
      const grant = grantFromBody(request.body, view.fixedAgencyId);
      if (grant.agencyId) authorize(request, reply, "user.manage", { agencyId: grant.agencyId });
      const { account, oneTimePassword } = await createAccount(
        deps.db,
        { user, ip: request.ip },
        {
          username: values.username,
          displayName: values.displayName,
          homeAgencyId: grant.agencyId,
          homeRegionId: grant.regionId,
          grants: [grant],
        },
      );
      return sendHtml(
        reply,
        oneTimePasswordPage(pageContext(request), {
          account,
          password: oneTimePassword as string,
          created: true,
        }),
        201,
      );
    } catch (e) {
      if (!isAppError(e)) throw e;
      if (!["validation_failed", "duplicate_username", "role_separation_violation"].includes(e.code)) throw e;
      const errors = fieldErrors(e);
      if (e.code === "duplicate_username") errors.username = e.message;
      for (const k of Object.keys(errors)) if (k.startsWith("grants.")) errors.role = errors[k] as string;
      return sendHtml(
        reply,
        newUserPage(pageContext(request), {
          dir: view.dir,
          roles: view.roles,
          fixedAgencyId: view.fixedAgencyId,
          values,
          errors,
          message: e.code === "role_separation_violation" ? e.message : undefined,
        }),
        e.status,
      );
    }
  });

  app.get<{ Params: { id: string }; Querystring: { done?: string } }>(
    "/admin/users/:id",
    { config: { policy: "user.manage" } },
    async (request, reply) => {
      const { user, account } = await loadTarget(request, reply, request.params.id, false);
      const view = await managerView(user);
      const notices: Record<string, string> = {
        grant: "已添加角色。",
        revoke: "已撤销角色，该用户需重新登录。",
        disable: "账户已停用，其登录已全部退出。",
        enable: "账户已启用。",
        totp: "已关闭其动态验证码。",
        token: "已撤销该令牌。",
      };
      return sendHtml(
        reply,
        userDetailPage(pageContext(request), {
          account,
          dir: await loadDirectory(deps.db),
          roles: view.roles,
          fixedAgencyId: view.fixedAgencyId,
          isSelf: account.id === user.id,
          tokens: await listTokens(deps.db, account.id),
          notice: notices[String(request.query.done ?? "")],
        }),
      );
    },
  );

  // The account's API tokens, revocable by whoever manages the account (audited).
  app.post<{ Params: { id: string; tokenId: string } }>(
    "/admin/users/:id/tokens/:tokenId/revoke",
    { config: { policy: "user.manage" } },
    async (request, reply) => {
      const { user, account } = await loadTarget(request, reply, request.params.id, true);
      await revokeToken(deps, { user, ip: request.ip }, request.params.tokenId, account);
      return reply.redirect(`/admin/users/${account.id}?done=token#tokens`, 303);
    },
  );

  app.post<{ Params: { id: string } }>(
    "/admin/users/:id/grants",
    { config: { policy: "user.manage" } },
    async (request, reply) => {
      const { user, account } = await loadTarget(request, reply, request.params.id, true);
      const view = await managerView(user);
      try {
        const grant = grantFromBody(request.body, view.fixedAgencyId);
        await addGrant(deps.db, { user, ip: request.ip }, account.id, grant);
      } catch (e) {
        if (!isAppError(e) || !["validation_failed", "role_separation_violation"].includes(e.code)) throw e;
        return sendHtml(
          reply,
          userDetailPage(pageContext(request), {
            account,
            dir: await loadDirectory(deps.db),
            roles: view.roles,
            fixedAgencyId: view.fixedAgencyId,
            isSelf: false,
            errors: fieldErrors(e),
            values: {
              role: bodyString(request.body, "role", 40),
              agencyId: bodyString(request.body, "agencyId", 40),
            },
            message: e.code === "role_separation_violation" ? e.message : undefined,
          }),
          e.status,
        );
      }
      return reply.redirect(`/admin/users/${account.id}?done=grant`, 303);
    },
  );

  app.post<{ Params: { id: string; grantId: string } }>(
    "/admin/users/:id/grants/:grantId/delete",
    { config: { policy: "user.manage" } },
    async (request, reply) => {
      const { user, account } = await loadTarget(request, reply, request.params.id, true);
      await removeGrant(deps.db, { user, ip: request.ip }, account.id, request.params.grantId);
      return reply.redirect(`/admin/users/${account.id}?done=revoke`, 303);
    },
  );

  for (const [path, active] of [
    ["disable", false],
    ["enable", true],
  ] as const) {
    app.post<{ Params: { id: string } }>(
      `/admin/users/:id/${path}`,
      { config: { policy: "user.manage" } },
      async (request, reply) => {
        const { user, account } = await loadTarget(request, reply, request.params.id, true);
        await setAccountActive(deps.db, { user, ip: request.ip }, account.id, active);
        return reply.redirect(`/admin/users/${account.id}?done=${path}`, 303);
      },
    );
  }

  app.post<{ Params: { id: string } }>(
    "/admin/users/:id/reset-password",
    { config: { policy: "user.manage" } },
    async (request, reply) => {
      const { user, account } = await loadTarget(request, reply, request.params.id, true);
      const password = await resetPassword(deps.db, { user, ip: request.ip }, account.id);
      reply.header("cache-control", "no-store");
      return sendHtml(
        reply,
        oneTimePasswordPage(pageContext(request), { account, password, created: false }),
      );
    },
  );

  app.post<{ Params: { id: string } }>(
    "/admin/users/:id/reset-totp",
    { config: { policy: "user.manage" } },
    async (request, reply) => {
      const { user, account } = await loadTarget(request, reply, request.params.id, true);
      await disableTotp(deps.db, { user, ip: request.ip }, account.id);
      return reply.redirect(`/admin/users/${account.id}?done=totp`, 303);
    },
  );
}
