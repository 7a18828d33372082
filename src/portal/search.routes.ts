/**
 * @module Search routes: /search (whole platform) and /agencies/:slug/search (one agency). Public, cached per URL.
 * A query that is exactly a record's 索引号 or 文号 redirects to the record.
 *
 * Protection (issue 14): the cache key is built from the parsed parameters; concurrent misses of one key wait for
 * one render; a render counts against the client's uncached-search limit (deps.searchGuard.misses, 429) and waits
 * for a slot of the search gate (deps.searchGuard.gate: a few searches at once, 503 search_busy when the queue is
 * full); its queries run under statement_timeout (search.service.ts, 503 search_timeout), on the search lane's own
 * small pool (deps.readPool, src/db/read-pool.ts), so searches never take the connections record pages need.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { publicRead, sendPublic } from "../http/public-read.ts";
import { catalogItemOptions } from "./portal.service.ts";
import { recordPath } from "./portal.views.ts";
import { portalContext } from "./portal-context.ts";
import { exactRecordTarget, parseSearchParams, runSearch, searchCacheKey } from "./search.service.ts";
import { searchPage } from "./search.views.ts";

const HTML = "text/html; charset=utf-8";

/** 索引号 and 文号 always hold a digit; other queries never need the look-up. */
const MAY_BE_IDENTIFIER = /[0-9０-９]/;

/** The page context with the canonical URL (the cache key) as its path: a cached page holds no visitor's URL. */
function canonicalContext(request: FastifyRequest, key: string) {
  const ctx = portalContext(request);
  return ctx.staffName ? ctx : { ...ctx, path: key.slice(0, 2000) };
}

export function searchRoutes(app: FastifyInstance, deps: Deps): void {
  app.get("/search", { config: { policy: "public" } }, async (request, reply) => {
    const params = parseSearchParams(request.query as Record<string, unknown>);
    if (MAY_BE_IDENTIFIER.test(params.q) && !params.agency) {
      const target = await publicRead(deps, request, (db) => exactRecordTarget(db, params), "search");
      if (target) return reply.redirect(recordPath({ slug: target.slug }, target.id), 303);
    }
    const key = searchCacheKey("/search", params);
    const ctx = canonicalContext(request, key);
    return sendPublic(
      deps,
      request,
      reply,
      { contentType: HTML, display: ctx.display, key },
      async (db) => {
        deps.searchGuard.misses.take(request.ip);
        const result = await deps.searchGuard.gate.run(() =>
          runSearch(db, params, undefined, { today: deps.clock.today(), statsCache: deps.searchStatsCache }),
        );
        return { body: searchPage(ctx, result).value, agencyId: null };
      },
      "search",
    );
  });

  app.get<{ Params: { slug: string } }>(
    "/agencies/:slug/search",
    { config: { policy: "public" } },
    async (request, reply) => {
      const params = parseSearchParams(request.query as Record<string, unknown>);
      if (MAY_BE_IDENTIFIER.test(params.q)) {
        const target = await publicRead(
          deps,
          request,
          async (db) => exactRecordTarget(db, params, await getAgencyBySlug(db, request.params.slug)),
          "search",
        );
        if (target) return reply.redirect(recordPath({ slug: target.slug }, target.id), 303);
      }
      const key = searchCacheKey(`/agencies/${request.params.slug}/search`, params);
      const ctx = canonicalContext(request, key);
      return sendPublic(
        deps,
        request,
        reply,
        { contentType: HTML, display: ctx.display, key },
        async (db) => {
          const agency = await getAgencyBySlug(db, request.params.slug);
          deps.searchGuard.misses.take(request.ip);
          const [result, items] = await Promise.all([
            deps.searchGuard.gate.run(() =>
              runSearch(db, params, agency, { today: deps.clock.today(), statsCache: deps.searchStatsCache }),
            ),
            catalogItemOptions({ db }, agency.id),
          ]);
          return { body: searchPage(ctx, result, agency, items).value, agencyId: agency.id };
        },
        "search",
      );
    },
  );
}
