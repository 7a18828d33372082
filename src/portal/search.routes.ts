/**
 * @module Search routes: /search (whole platform) and /agencies/:slug/search (one agency). Public, cached per URL.
 * A query that is exactly a record's 索引号 or 文号 redirects to the record.
 */
import type { FastifyInstance } from "fastify";
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { type PageCache, sendCached } from "../http/page-cache.ts";
import { catalogItemOptions } from "./portal.service.ts";
import { recordPath } from "./portal.views.ts";
import { portalContext } from "./portal-context.ts";
import { exactRecordTarget, parseSearchParams, runSearch } from "./search.service.ts";
import { searchPage } from "./search.views.ts";

const HTML = "text/html; charset=utf-8";

/** 索引号 and 文号 always hold a digit; other queries never need the look-up. */
const MAY_BE_IDENTIFIER = /[0-9０-９]/;

export function searchRoutes(app: FastifyInstance, deps: Deps, cache: PageCache): void {
  app.get("/search", { config: { policy: "public" } }, async (request, reply) => {
    const ctx = portalContext(request);
    const params = parseSearchParams(request.query as Record<string, unknown>);
    if (MAY_BE_IDENTIFIER.test(params.q) && !params.agency) {
      const target = await exactRecordTarget(deps.db, params);
      if (target) return reply.redirect(recordPath({ slug: target.slug }, target.id), 303);
    }
    return sendCached(cache, request, reply, { contentType: HTML, display: ctx.display }, async () => {
      const result = await runSearch(deps.db, params, undefined, { today: deps.clock.today() });
      return { body: searchPage(ctx, result).value, agencyId: null };
    });
  });

  app.get<{ Params: { slug: string } }>(
    "/agencies/:slug/search",
    { config: { policy: "public" } },
    async (request, reply) => {
      const ctx = portalContext(request);
      const params = parseSearchParams(request.query as Record<string, unknown>);
      if (MAY_BE_IDENTIFIER.test(params.q)) {
        const agency = await getAgencyBySlug(deps.db, request.params.slug);
        const target = await exactRecordTarget(deps.db, params, agency);
        if (target) return reply.redirect(recordPath({ slug: target.slug }, target.id), 303);
      }
      return sendCached(cache, request, reply, { contentType: HTML, display: ctx.display }, async () => {
        const agency = await getAgencyBySlug(deps.db, request.params.slug);
        const [result, items] = await Promise.all([
          runSearch(deps.db, params, agency, { today: deps.clock.today() }),
          catalogItemOptions(deps, agency.id),
        ]);
        return { body: searchPage(ctx, result, agency, items).value, agencyId: agency.id };
      });
    },
  );
}
