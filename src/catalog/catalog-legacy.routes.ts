/**
 * @module Old catalog URLs (/admin/catalog/:slug/…) answer with a redirect to the same page under
 * /admin/agencies/:agency/catalog/… (301 for GET, 308 for POST so a form sent from an old page is sent again; the
 * version comparison moved from …/compare to …/catalog/diff). Only for staff who may act in the agency the URL names,
 * and an import preview only when it is that agency's: anything else is the 404 the new URL would give.
 */
import type { FastifyInstance } from "fastify";
import type { Action } from "../accounts/policy.ts";
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { requireStaff } from "../http/auth-guard.ts";
import { agenciesFor, legacyRedirect } from "../http/staff-route.ts";
import { catalogPath } from "./catalog.views.ts";
import { withUploads } from "./catalog-import.routes.ts";
import { importExists } from "./catalog-import.service.ts";

/** Old URL (under /admin/catalog/:slug), method and the policy of the page it moved to. */
const OLD: ["GET" | "POST", string, Action][] = [
  ["GET", "", "catalog.read"],
  ["GET", "/versions/:versionId", "catalog.read"],
  ["POST", "/draft", "catalog.edit"],
  ["POST", "/versions/:versionId/discard", "catalog.edit"],
  ["POST", "/versions/:versionId/header", "catalog.edit"],
  ["GET", "/items/:itemId/edit", "catalog.edit"],
  ["POST", "/items/:itemId/edit", "catalog.edit"],
  ["POST", "/items/:itemId/delete", "catalog.edit"],
  ["GET", "/versions/:versionId/items/new", "catalog.edit"],
  ["POST", "/versions/:versionId/items", "catalog.edit"],
  ["GET", "/compare", "catalog.read"],
  ["GET", "/versions/:versionId/publish", "catalog.publish"],
  ["POST", "/versions/:versionId/publish", "catalog.publish"],
  ["GET", "/lint", "catalog.read"],
  ["GET", "/export", "catalog.read"],
  ["GET", "/import", "catalog.edit"],
  ["GET", "/import/:importId", "catalog.edit"],
  ["POST", "/import/:importId/commit", "catalog.edit"],
  ["POST", "/import/:importId/discard", "catalog.edit"],
];

export function catalogLegacyRoutes(app: FastifyInstance, deps: Deps): void {
  const register = (scope: FastifyInstance, method: "GET" | "POST", rest: string, policy: Action) =>
    legacyRedirect(scope, {
      method,
      url: `/admin/catalog/:slug${rest}`,
      policy,
      to: async (request, reply) => {
        const params = request.params as { slug: string; importId?: string };
        const user = requireStaff(request, reply);
        const agency = await getAgencyBySlug(deps.db, params.slug);
        if (!(await agenciesFor(deps, user, policy)).some((a) => a.id === agency.id))
          throw new AppError("not_found");
        if (params.importId !== undefined && !(await importExists(deps.db, agency.id, params.importId)))
          throw new AppError("catalog_import_not_found");
        const path = (request.url.split("?", 1)[0] as string).split("/").slice(4).join("/");
        return catalogPath(agency.slug, path === "compare" ? "/diff" : path ? `/${path}` : "");
      },
    });
  for (const [method, rest, policy] of OLD) register(app, method, rest, policy);
  // The upload form posts multipart: its old URL needs the parser registered to answer at all.
  withUploads(app, (scope) => register(scope, "POST", "/import", "catalog.edit"));
}
