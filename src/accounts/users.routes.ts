/**
 * @module Routes of user and role management (/admin/users…): accounts, role grants, activation, password and
 * TOTP resets, API token revocation. Security admins manage every agency, agency admins their own.
 */

import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Deps } from "../deps.ts";
import { AppError, isAppError } from "../errors.ts";
import { authorize } from "../http/auth-guard.ts";
import { pageContext, sendHtml } from "../http/context.ts";
import { bodyString, fieldErrors } from "../http/forms.ts";
import { AGENCY_ROLES } from "./accounts.rules.ts";
import {
  type Account,
  addGrant,
  createAccount,
  getAccount,
  listAccounts,
  loadDirectory,
  removeGrant,
  resetPassword,
  setAccountActive,
} from "./accounts.service.ts";
import {
  type Directory,
  newUserPage,
  oneTimePasswordPage,
  userDetailPage,
  usersPage,
} from "./accounts.views.ts";
import { listTokens, revokeToken } from "./api-token.service.ts";
import { agencyScope, ROLES, type Role, type RoleGrant, type StaffUser, staffActor } from "./policy.ts";
import { disableTotp } from "./totp.service.ts";

export function userAdminRoutes(app: FastifyInstance, deps: Deps): void {
  // ---- user and role management -------------------------------------------------------------------------------

  /** What the manager may see and grant: all agencies (security admin) or their own (agency admin). */
  const managerView = async (user: StaffUser) => {
    const scope = agencyScope(user, "user.manage");
    const full = await loadDirectory(deps.db);
    if (scope.all) {
      return {
        scope,
        dir: full,
        full,
        roles: Object.keys(ROLES) as Role[],
        fixedAgencyId: null as string | null,
      };
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
      full,
      roles: AGENCY_ROLES,
      fixedAgencyId: scope.agencyIds.length === 1 ? (scope.agencyIds[0] as string) : null,
    };
  };

  /** An account's page (grants named from the whole directory, its API tokens), with a notice or a form's errors. */
  const detailPage = async (
    request: FastifyRequest,
    account: Account,
    view: Awaited<ReturnType<typeof managerView>>,
    extra: Pick<Parameters<typeof userDetailPage>[1], "isSelf" | "notice" | "errors" | "values" | "message">,
  ) =>
    userDetailPage(pageContext(request), {
      account,
      dir: view.full,
      roles: view.roles,
      fixedAgencyId: view.fixedAgencyId,
      tokens: await listTokens(deps.db, account.id),
      ...extra,
    });

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
      const { account, oneTimePassword } = await createAccount(deps, staffActor(user, request.ip), {
        username: values.username,
        displayName: values.displayName,
        homeAgencyId: grant.agencyId,
        homeRegionId: grant.regionId,
        grants: [grant],
      });
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
        await detailPage(request, account, view, {
          isSelf: account.id === user.id,
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
      await revokeToken(deps, staffActor(user, request.ip), request.params.tokenId, account);
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
        await addGrant(deps, staffActor(user, request.ip), account.id, grant);
      } catch (e) {
        if (!isAppError(e) || !["validation_failed", "role_separation_violation"].includes(e.code)) throw e;
        return sendHtml(
          reply,
          await detailPage(request, account, view, {
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
      await removeGrant(deps, staffActor(user, request.ip), account.id, request.params.grantId);
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
        await setAccountActive(deps, staffActor(user, request.ip), account.id, active);
        return reply.redirect(`/admin/users/${account.id}?done=${path}`, 303);
      },
    );
  }

  app.post<{ Params: { id: string } }>(
    "/admin/users/:id/reset-password",
    { config: { policy: "user.manage" } },
    async (request, reply) => {
      const { user, account } = await loadTarget(request, reply, request.params.id, true);
      const password = await resetPassword(deps, staffActor(user, request.ip), account.id);
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
      await disableTotp(deps, staffActor(user, request.ip), account.id);
      return reply.redirect(`/admin/users/${account.id}?done=totp`, 303);
    },
  );
}
