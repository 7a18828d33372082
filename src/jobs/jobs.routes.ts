/**
 * @module /admin/jobs (后台任务): platform administrators see every job and may run one now; agency administrators
 * see the same list with their agency's figures.
 */
import type { FastifyInstance } from "fastify";
import { agencyScope, can } from "../accounts/policy.ts";
import { actorOf } from "../audit/audit.service.ts";
import type { Deps } from "../deps.ts";
import { authorize } from "../http/auth-guard.ts";
import { pageContext, sendHtml } from "../http/context.ts";
import type { JobDefinition } from "./job.ts";
import { jobsOverview, runJobNow } from "./jobs.service.ts";
import { jobsPage } from "./jobs.views.ts";

const MESSAGES: Record<string, string> = {
  queued: "已加入队列，稍后运行。",
  already_queued: "该任务已在队列中，不再重复加入。",
};

export function jobsRoutes(app: FastifyInstance, deps: Deps, definitions: readonly JobDefinition[]): void {
  deps.consoleLinks.add({
    href: "/admin/jobs",
    label: "后台任务",
    action: "jobs.read",
    order: 870,
    description: "查看提醒、链接检查、个人信息删除等后台任务的计划、运行记录和失败。",
  });

  app.get("/admin/jobs", { config: { policy: "jobs.read" } }, async (request, reply) => {
    const user = authorize(request, reply, "jobs.read");
    const scope = agencyScope(user, "jobs.read");
    const overview = await jobsOverview(deps, deps.jobs, definitions, scope.all ? "all" : scope.agencyIds);
    const done = (request.query as Record<string, unknown>).done;
    reply.header("cache-control", "private, no-store");
    return sendHtml(
      reply,
      jobsPage(pageContext(request), {
        overview,
        canRun: can(user, "jobs.run"),
        message: typeof done === "string" ? MESSAGES[done] : undefined,
      }),
    );
  });

  app.post<{ Params: { name: string } }>(
    "/admin/jobs/:name/run",
    { config: { policy: "jobs.run" } },
    async (request, reply) => {
      authorize(request, reply, "jobs.run");
      const outcome = await runJobNow(
        deps,
        deps.jobs,
        definitions,
        actorOf(request),
        request.params.name.slice(0, 100),
      );
      return reply.redirect(`/admin/jobs?done=${outcome}`, 303);
    },
  );
}
