/**
 * @module Search routes: /search (whole platform) and /agencies/:slug/search (one agency). Public, cached per URL.
 */
import type { FastifyInstance } from "fastify";
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { type PageCache, sendCached } from "../http/page-cache.ts";
import { catalogItemOptions } from "./portal.service.ts";
import { portalContext } from "./portal-context.ts";
import { parseSearchParams, runSearch } from "./search.service.ts";
import { searchPage } from "./search.views.ts";

const HTML = "text/html; charset=utf-8";

export function searchRoutes(app: FastifyInstance, deps: Deps, cache: PageCache): void {
  app.get("/search", { config: { policy: "public" } }, async (request, reply) => {
    const ctx = portalContext(request);
    return sendCached(cache, request, reply, { contentType: HTML, display: ctx.display }, async () => {
      const params = parseSearchParams(request.query as Record<string, unknown>);
      const result = await runSearch(deps.db, params);
      return { body: searchPage(ctx, result).value, agencyId: null };
    });
  });

  app.get<{ Params: { slug: string } }>(
    "/agencies/:slug/search",
    { config: { policy: "public" } },
    async (request, reply) => {
      const ctx = portalContext(request);
      return sendCached(cache, request, reply, { contentType: HTML, display: ctx.display }, async () => {
        const agency = await getAgencyBySlug(deps.db, request.params.slug);
        const params = parseSearchParams(request.query as Record<string, unknown>);
        const [result, items] = await Promise.all([
          runSearch(deps.db, params, agency),
          catalogItemOptions(deps, agency.id),
        ]);
        return { body: searchPage(ctx, result, agency, items).value, agencyId: agency.id };
      });
    },
  );
}
