/**
 * @module /admin/compliance (action compliance.read): an agency's or department's compliance report, printable,
 * and for supervisors (and platform roles) an overview of the agencies they oversee.
 */
import type { FastifyInstance } from "fastify";
import { agencyScope } from "../accounts/policy.ts";
import { isValidDate } from "../calendar/date.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { authorize } from "../http/auth-guard.ts";
import { pageContext, sendHtml } from "../http/context.ts";
import { complianceOverview, complianceReport } from "./compliance.service.ts";
import { compliancePage, overviewPage } from "./compliance.views.ts";
import { scheduleDutyNotices } from "./notification.service.ts";
import { UUID } from "./record.paths.ts";
import { agencyRefs, departmentsOf } from "./record.service.ts";

/** Resolves internal links in process (no network): the status the app would answer for an anonymous GET. */
export function inProcessProbe(app: FastifyInstance): (path: string) => Promise<number> {
  return async (path) => (await app.inject({ method: "GET", url: path })).statusCode;
}

export function complianceRoutes(app: FastifyInstance, deps: Deps): void {
  app.get("/admin/compliance", { config: { policy: "compliance.read" } }, async (request, reply) => {
    const user = authorize(request, reply, "compliance.read");
    const query = request.query as Record<string, unknown>;
    const asOfRaw = typeof query.asOf === "string" ? query.asOf : "";
    const asOf = isValidDate(asOfRaw) ? asOfRaw : deps.clock.today();
    const all = await agencyRefs(deps.db);
    const scope = agencyScope(user, "compliance.read");
    const visible = scope.all
      ? all
      : all.filter((a) => scope.agencyIds.includes(a.id) || scope.regionIds.includes(a.regionId));
    const slug = typeof query.agency === "string" ? query.agency : "";
    const own = visible.find((a) => a.id === user.agencyId);
    const agency = slug ? all.find((a) => a.slug === slug) : visible.length === 1 ? visible[0] : own;
    reply.header("cache-control", "private, no-store");
    if (slug && !agency) throw new AppError("agency_not_found");
    if (!agency) {
      const rows = await complianceOverview(
        deps,
        visible.map((a) => a.id),
        asOf,
      );
      return sendHtml(reply, overviewPage(pageContext(request), { asOf, rows }));
    }
    authorize(request, reply, "compliance.read", { agencyId: agency.id, regionId: agency.regionId });
    const department =
      typeof query.department === "string" && UUID.test(query.department) ? query.department : null;
    const report = await complianceReport(deps, {
      agencyId: agency.id,
      asOf,
      departmentId: department,
      probe: inProcessProbe(app),
    });
    if (asOf === deps.clock.today()) scheduleDutyNotices(deps, agency.id, asOf);
    return sendHtml(
      reply,
      compliancePage(pageContext(request), {
        report,
        agencies: visible,
        departments: await departmentsOf(deps.db, agency.id),
        print: query.print === "1",
      }),
    );
  });
}
