/**
 * @module The agency's own catalog comparison (目录比对): /admin/agencies/:agency/catalog/compare shows its published
 * catalog against a loaded standard catalog or another agency's (published catalogs are public), and its
 * 政务公开办 (catalog.edit) confirms or rejects each 待确认 match there; the decisions are stored and audited.
 */
import type { FastifyInstance } from "fastify";
import { can } from "../accounts/policy.ts";
import { getAgencyBySlug, listAgenciesByName } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { isAppError } from "../errors.ts";
import { staffAgencyPath } from "../http/agency-paths.ts";
import { pageContext, sendHtml } from "../http/context.ts";
import { bodyString } from "../http/forms.ts";
import { type StaffContext, staffRoute } from "../http/staff-route.ts";
import type { SafeHtml } from "../shared/html.ts";
import {
  type ComparisonWithDecisions,
  compareWithReference,
  decideMatch,
} from "./catalog-compare.service.ts";
import { agencyComparePage } from "./catalog-compare.views.ts";
import { listStandardCatalogs } from "./standard-catalog.service.ts";

async function render(
  deps: Deps,
  c: StaffContext<undefined, unknown>,
  reference: string,
  error?: string,
): Promise<SafeHtml> {
  let result: ComparisonWithDecisions | null = null;
  if (reference && !error) {
    try {
      result = await compareWithReference(deps.db, c.agency, reference, (slug) =>
        getAgencyBySlug(deps.db, slug),
      );
    } catch (e) {
      if (!isAppError(e) || e.status >= 500) throw e;
      error = e.message;
      c.reply.status(e.status);
    }
  }
  const resource = { agencyId: c.agency.id, regionId: c.agency.regionId };
  return agencyComparePage(pageContext(c.request), {
    agency: c.agency,
    standards: await listStandardCatalogs(deps.db),
    agencies: await listAgenciesByName(deps.db),
    reference,
    result,
    canDecide: can(c.user, "catalog.edit", resource),
    error,
  });
}

export function catalogCompareRoutes(app: FastifyInstance, deps: Deps): void {
  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/catalog/compare",
    policy: "catalog.read",
    handle: async (c) => {
      const reference = typeof c.query.reference === "string" ? c.query.reference.slice(0, 120) : "";
      const page = await render(deps, c as StaffContext<undefined, unknown>, reference);
      c.reply.header("cache-control", "private, no-store");
      return sendHtml(c.reply, page, c.reply.statusCode);
    },
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/catalog/compare/decisions",
    policy: "catalog.edit",
    input: (body) => ({
      reference: bodyString(body, "reference", 120),
      agencyItem: bodyString(body, "agencyItem", 2000),
      referenceItem: bodyString(body, "referenceItem", 2000),
      decision: bodyString(body, "decision", 20),
      note: bodyString(body, "note", 600),
    }),
    handle: async (c) => {
      const current = await compareWithReference(deps.db, c.agency, c.input.reference, (slug) =>
        getAgencyBySlug(deps.db, slug),
      );
      await decideMatch(deps, c.actor, c.agency.id, current, c.input);
      return {
        redirect: staffAgencyPath(
          c.agency.slug,
          `/catalog/compare?reference=${encodeURIComponent(c.input.reference)}`,
        ),
      };
    },
    formErrors: [
      "catalog_match_not_found",
      "catalog_not_found",
      "standard_catalog_not_found",
      "agency_not_found",
    ],
    form: (c, failure) =>
      render(
        deps,
        c as StaffContext<undefined, unknown>,
        bodyString(c.body, "reference", 120),
        failure.errors.length ? failure.errors.map((e) => e.message).join("；") : failure.message,
      ),
  });
}
