/**
 * @module Compliance (action compliance.read): /admin/agencies/:agency/compliance, an agency's or department's
 * report, printable; /admin/compliance, for supervisors (and platform roles) an overview of the agencies they
 * oversee (a user of one agency, or `?agency=`, is redirected to that agency's report).
 */
import type { FastifyInstance } from "fastify";
import { asOfDate } from "../calendar/index.ts";
import type { Deps } from "../deps.ts";
import { staffAgencyPath } from "../http/agency-paths.ts";
import { authorize } from "../http/auth-guard.ts";
import { pageContext, sendHtml } from "../http/context.ts";
import { inProcessProbe } from "../http/in-process-probe.ts";
import { agenciesFor, legacyAgency, staffRoute } from "../http/staff-route.ts";
import { isUuid } from "../shared/ids.ts";
import { complianceOverview, complianceReport } from "./compliance.service.ts";
import { compliancePage, overviewPage } from "./compliance.views.ts";
import { departmentsOf } from "./record-query.service.ts";

export function complianceRoutes(app: FastifyInstance, deps: Deps): void {
  const asOfOf = (query: Record<string, unknown>) => asOfDate(query.asOf, deps.clock.today());

  // The overview of the agencies a supervisor (or a platform role) oversees; a user with one agency goes there.
  app.get("/admin/compliance", { config: { policy: "compliance.read" } }, async (request, reply) => {
    const user = authorize(request, reply, "compliance.read");
    const query = request.query as Record<string, unknown>;
    const visible = await agenciesFor(deps, user, "compliance.read");
    const own = visible.find((a) => a.id === user.agencyId);
    if ((typeof query.agency === "string" && query.agency !== "") || visible.length === 1 || own) {
      const agency = await legacyAgency(deps, request, reply, "compliance.read");
      const rest = new URLSearchParams(request.url.split("?", 2)[1] ?? "");
      rest.delete("agency");
      const qs = rest.toString();
      return reply.redirect(staffAgencyPath(agency.slug, `/compliance${qs ? `?${qs}` : ""}`), 301);
    }
    const rows = await complianceOverview(
      deps,
      visible.map((a) => a.id),
      asOfOf(query),
    );
    reply.header("cache-control", "private, no-store");
    return sendHtml(reply, overviewPage(pageContext(request), { asOf: asOfOf(query), rows }));
  });

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/compliance",
    policy: "compliance.read",
    handle: async (c) => {
      const asOf = asOfOf(c.query);
      const department =
        typeof c.query.department === "string" && isUuid(c.query.department) ? c.query.department : null;
      const report = await complianceReport(deps, {
        agencyId: c.agency.id,
        asOf,
        departmentId: department,
        probe: inProcessProbe(app),
      });
      return compliancePage(pageContext(c.request), {
        report,
        agencies: await c.agencies(),
        departments: await departmentsOf(deps.db, c.agency.id),
        print: c.query.print === "1",
      });
    },
  });
}
