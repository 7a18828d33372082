/**
 * @module The 通知 page (/admin/notifications): list, mark read (one or all), e-mail settings. Every signed-in
 * staff member sees only their own notifications (console.use). Thin handlers: parse → authorize → service → render.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Deps } from "../deps.ts";
import { isAppError } from "../errors.ts";
import { authorize } from "../http/auth-guard.ts";
import { pageContext, sendHtml } from "../http/context.ts";
import { bodyString, fieldErrors } from "../http/forms.ts";
import { markRead, myNotifications, saveNotificationSettings } from "./notifications.service.ts";
import { NOTIFICATIONS_PATH, notificationsPage } from "./notifications.views.ts";

export function notificationsRoutes(app: FastifyInstance, deps: Deps): void {
  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: {
      saved?: boolean;
      errors?: Record<string, string>;
      email?: string;
      emailNotifications?: boolean;
    } = {},
    status = 200,
  ) => {
    const user = authorize(request, reply, "console.use");
    const mine = await myNotifications(deps.db, user);
    reply.header("cache-control", "no-store");
    return sendHtml(
      reply,
      notificationsPage(pageContext(request), {
        ...mine,
        ...(extra.email !== undefined ? { email: extra.email } : {}),
        ...(extra.emailNotifications !== undefined ? { emailNotifications: extra.emailNotifications } : {}),
        mailConfigured: Boolean(deps.messenger?.email),
        errors: extra.errors ?? {},
        saved: extra.saved ?? false,
      }),
      status,
    );
  };

  app.get<{ Querystring: { saved?: string } }>(
    NOTIFICATIONS_PATH,
    { config: { policy: "console.use" } },
    async (request, reply) => render(request, reply, { saved: request.query.saved === "1" }),
  );

  app.post(`${NOTIFICATIONS_PATH}/read`, { config: { policy: "console.use" } }, async (request, reply) => {
    const user = authorize(request, reply, "console.use");
    const id = bodyString(request.body, "id", 100);
    await markRead(deps.db, user, id || null, deps.clock.now());
    return reply.redirect(NOTIFICATIONS_PATH, 303);
  });

  app.post(
    `${NOTIFICATIONS_PATH}/settings`,
    { config: { policy: "console.use" } },
    async (request, reply) => {
      const user = authorize(request, reply, "console.use");
      const input = {
        email: bodyString(request.body, "email", 300),
        emailNotifications: bodyString(request.body, "emailNotifications", 10) === "1",
      };
      try {
        await saveNotificationSettings(deps, user, input, request.ip);
      } catch (e) {
        if (!isAppError(e) || e.code !== "validation_failed") throw e;
        return render(request, reply, { errors: fieldErrors(e), ...input }, 400);
      }
      return reply.redirect(`${NOTIFICATIONS_PATH}?saved=1`, 303);
    },
  );
}
