/**
 * @module Routes of the console home (/admin), the current user's API view (/api/v1/me) and my account: password,
 * dynamic codes (TOTP), API tokens.
 */

import encodeQR from "@paulmillr/qr";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Deps } from "../deps.ts";
import { AppError, isAppError } from "../errors.ts";
import { authorize } from "../http/auth-guard.ts";
import { pageContext, sendHtml } from "../http/context.ts";
import { bodyString, bodyStrings, fieldErrors } from "../http/forms.ts";
import { API_TAGS } from "../http/openapi.ts";
import { raw, type SafeHtml } from "../shared/html.ts";
import { type Account, changeOwnPassword, getAccount, loadDirectory } from "./accounts.service.ts";
import { accountPage, consoleHome, passwordPage } from "./accounts.views.ts";
import { createToken, grantableScopes, listTokens, revokeToken } from "./api-token.service.ts";
import { ROLES, staffActor } from "./policy.ts";
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

export function myAccountRoutes(app: FastifyInstance, deps: Deps): void {
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
        await changeOwnPassword(deps, staffActor(user, request.ip), {
          currentPassword,
          newPassword,
          keepSessionHash: request.sessionTokenHash,
        });
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
      await confirmTotpEnrolment(deps, staffActor(user, request.ip), bodyString(request.body, "code", 20));
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
        deps,
        staffActor(user, request.ip),
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
      const { token } = await createToken(deps, staffActor(user, request.ip), {
        name: bodyString(request.body, "name", 100),
        scopes: bodyStrings(request.body, "scopes"),
        expiresInDays: days === "" ? undefined : Number(days),
      });
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
      await revokeToken(deps, staffActor(user, request.ip), request.params.id);
      return reply.redirect("/admin/account?done=revoked#tokens", 303);
    },
  );
}
