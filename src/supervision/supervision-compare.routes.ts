/**
 * @module /admin/supervision/compare: an agency's published catalog against a loaded standard catalog or another
 * agency's, for supervisors (agencies of their regions) and platform roles.
 */
import type { FastifyInstance } from "fastify";
import { agencyScope } from "../accounts/policy.ts";
import { agenciesInRegions, regionTree } from "../agencies/agency.service.ts";
import { compareWithReference, listStandardCatalogs } from "../catalog/catalog-compare.read.ts";
import type { Deps } from "../deps.ts";
import { AppError, isAppError } from "../errors.ts";
import { authorize } from "../http/auth-guard.ts";
import { pageContext, sendHtml } from "../http/context.ts";
import { comparePage } from "./supervision-compare.views.ts";

const BASE = "/admin/supervision";

export function compareRoutes(app: FastifyInstance, deps: Deps): void {
  app.get(`${BASE}/compare`, { config: { policy: "supervision.read" } }, async (request, reply) => {
    const user = authorize(request, reply, "supervision.read");
    const scope = agencyScope(user, "supervision.read");
    const tree = await regionTree(deps.db);
    const agencies = agenciesInRegions(tree, scope.all ? "all" : scope.regionIds).map((r) => r.agency);
    const q = request.query as Record<string, unknown>;
    const agencySlug = typeof q.agency === "string" ? q.agency.slice(0, 100) : "";
    const reference = typeof q.reference === "string" ? q.reference.slice(0, 120) : "";
    const standards = await listStandardCatalogs(deps.db);
    let result = null;
    let error: string | undefined;
    if (agencySlug && reference) {
      // Agencies outside the user's regions are not revealed.
      const visible = async (slug: string) => {
        const agency = agencies.find((a) => a.slug === slug);
        if (!agency) throw new AppError("agency_not_found");
        return agency;
      };
      try {
        result = await compareWithReference(deps.db, await visible(agencySlug), reference, visible);
      } catch (e) {
        if (!isAppError(e) || e.status >= 500) throw e;
        error = e.message;
        reply.status(e.status);
      }
    }
    reply.header("cache-control", "private, no-store");
    return sendHtml(
      reply,
      comparePage(pageContext(request), {
        base: BASE,
        agencies,
        standards,
        agency: agencySlug,
        reference,
        result,
        error,
      }),
      reply.statusCode,
    );
  });
}
