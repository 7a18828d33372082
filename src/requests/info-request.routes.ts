/**
 * @module Registers every route of the applications feature (public portal pages, staff pages, JSON API) and its
 * console link. Called from src/app.ts after the accounts hooks.
 */
import type { FastifyInstance } from "fastify";
import type { Deps } from "../deps.ts";
import { applicantRoutes } from "./applicant.routes.ts";
import { infoRequestAdminRoutes } from "./info-request.admin.routes.ts";
import { infoRequestApiRoutes } from "./info-request.api.routes.ts";
import { infoRequestPublicRoutes } from "./info-request.public.routes.ts";
import { requestFilesAdminRoutes } from "./request-files.admin.routes.ts";

export function infoRequestRoutes(app: FastifyInstance, deps: Deps): void {
  deps.consoleLinks.add({
    href: "/admin/requests",
    label: "依申请公开",
    action: "request.read",
    order: 300,
    description: "登记和办理政府信息公开申请：补正、征求意见、延期、收费、答复、送达、归档，期限提醒。",
  });
  infoRequestPublicRoutes(app, deps);
  applicantRoutes(app, deps);
  requestFilesAdminRoutes(app, deps);
  infoRequestAdminRoutes(app, deps);
  infoRequestApiRoutes(app, deps);
}
