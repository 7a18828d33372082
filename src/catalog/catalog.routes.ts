/**
 * @module Routes of the disclosure catalog (主动公开事项目录). Staff pages of an agency live under
 * /admin/agencies/:agency/catalog… on `staffRoute`: versions, publishing, the statutory check and exports
 * (catalog-versions.routes.ts), item editing (catalog-items.routes.ts), import (catalog-import.routes.ts) and the
 * comparison with a reference catalog (catalog-compare.routes.ts). /admin/catalog lists the agencies a user may read
 * (platform and regional accounts; one agency: straight to its catalog). The JSON API is in catalog-api.routes.ts,
 * the old /admin/catalog/:slug… URLs' redirects in catalog-legacy.routes.ts.
 */
import type { FastifyInstance } from "fastify";
import type { Deps } from "../deps.ts";
import { authorize } from "../http/auth-guard.ts";
import { pageContext, sendHtml } from "../http/context.ts";
import { agenciesFor } from "../http/staff-route.ts";
import { catalogPath, indexPage } from "./catalog.views.ts";
import { catalogApiRoutes } from "./catalog-api.routes.ts";
import { catalogImportRoutes } from "./catalog-import.routes.ts";
import { catalogItemRoutes } from "./catalog-items.routes.ts";
import { catalogLegacyRoutes } from "./catalog-legacy.routes.ts";
import { listCatalogVersions } from "./catalog-tree.service.ts";
import { catalogVersionRoutes } from "./catalog-versions.routes.ts";

export function catalogRoutes(app: FastifyInstance, deps: Deps): void {
  deps.consoleLinks.add({
    href: "/admin/agencies/:agency/catalog",
    entry: "/admin/catalog",
    label: "公开目录",
    action: "catalog.read",
    order: 200,
    description: "编制、导入、对比、审签发布主动公开事项目录，检查目录是否符合条例要求。",
  });

  app.get("/admin/catalog", { config: { policy: "catalog.read" } }, async (request, reply) => {
    const user = authorize(request, reply, "catalog.read");
    const agencies = await agenciesFor(deps, user, "catalog.read");
    if (agencies.length === 1 && agencies[0]) return reply.redirect(catalogPath(agencies[0].slug), 303);
    const entries = [];
    for (const agency of agencies) {
      const versions = await listCatalogVersions(deps.db, agency.id);
      entries.push({
        agency,
        published: versions.find((v) => v.status === "published") ?? null,
        draft: versions.find((v) => v.status === "draft") ?? null,
      });
    }
    reply.header("cache-control", "private, no-store");
    return sendHtml(reply, indexPage(pageContext(request), entries));
  });

  catalogVersionRoutes(app, deps);
  catalogItemRoutes(app, deps);
  catalogImportRoutes(app, deps);
  catalogApiRoutes(app, deps);
  catalogLegacyRoutes(app, deps);
}
