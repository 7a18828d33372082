/**
 * @module Public pages of one agency: home, catalog tree, item pages, record pages, attachment downloads and the
 * annual-report list. All public, rendered on the server and cached (http/page-cache.ts).
 */
import type { FastifyInstance } from "fastify";
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { type PageCache, sendCached } from "../http/page-cache.ts";
import { agencyHomePage, reportsPage } from "./agency.views.ts";
import { catalogPage, itemPage } from "./catalog.views.ts";
import { flattenItems, itemTrail } from "./portal.model.ts";
import {
  getPortalRecord,
  listPortalRecords,
  listPublishedReports,
  publishedCatalogTree,
  regionPathOf,
} from "./portal.service.ts";
import { parsePage } from "./portal.views.ts";
import { portalContext } from "./portal-context.ts";
import { recordPage } from "./record.views.ts";

const HTML = "text/html; charset=utf-8";
export const ITEM_PAGE_SIZE = 20;

export function agencyRoutes(app: FastifyInstance, deps: Deps, cache: PageCache): void {
  app.get<{ Params: { slug: string } }>(
    "/agencies/:slug",
    { config: { policy: "public" } },
    async (request, reply) => {
      const ctx = portalContext(request);
      return sendCached(cache, request, reply, { contentType: HTML, display: ctx.display }, async () => {
        const agency = await getAgencyBySlug(deps.db, request.params.slug);
        const [regionPath, catalog, latest, reports] = await Promise.all([
          regionPathOf(deps.db, agency),
          publishedCatalogTree(deps, agency.id),
          listPortalRecords(deps, { agencyId: agency.id, limit: 10, offset: 0 }),
          listPublishedReports(deps, agency),
        ]);
        return {
          body: agencyHomePage(ctx, {
            agency,
            regionPath,
            catalog,
            latest: latest.records,
            recordTotal: latest.total,
            reports,
          }).value,
          agencyId: agency.id,
        };
      });
    },
  );

  app.get<{ Params: { slug: string } }>(
    "/agencies/:slug/catalog",
    { config: { policy: "public" } },
    async (request, reply) => {
      const ctx = portalContext(request);
      return sendCached(cache, request, reply, { contentType: HTML, display: ctx.display }, async () => {
        const agency = await getAgencyBySlug(deps.db, request.params.slug);
        const catalog = await publishedCatalogTree(deps, agency.id);
        return { body: catalogPage(ctx, agency, catalog).value, agencyId: agency.id };
      });
    },
  );

  app.get<{ Params: { slug: string; key: string }; Querystring: { page?: string } }>(
    "/agencies/:slug/catalog/:key",
    { config: { policy: "public" } },
    async (request, reply) => {
      const ctx = portalContext(request);
      return sendCached(cache, request, reply, { contentType: HTML, display: ctx.display }, async () => {
        const agency = await getAgencyBySlug(deps.db, request.params.slug);
        const catalog = await publishedCatalogTree(deps, agency.id);
        const trail = catalog ? itemTrail(catalog.items, request.params.key) : undefined;
        const item = trail?.at(-1);
        if (!trail || !item) throw new AppError("catalog_item_not_found");
        const page = parsePage(request.query.page);
        const { records, total } = await listPortalRecords(deps, {
          agencyId: agency.id,
          itemStableKeys: flattenItems([item]).map((i) => i.stableKey),
          limit: ITEM_PAGE_SIZE,
          offset: (page - 1) * ITEM_PAGE_SIZE,
        });
        return {
          body: itemPage(ctx, {
            agency,
            trail,
            item,
            records,
            total,
            page,
            totalPages: Math.ceil(total / ITEM_PAGE_SIZE),
          }).value,
          agencyId: agency.id,
        };
      });
    },
  );

  app.get<{ Params: { slug: string; id: string } }>(
    "/agencies/:slug/records/:id",
    { config: { policy: "public" } },
    async (request, reply) => {
      const ctx = portalContext(request);
      return sendCached(cache, request, reply, { contentType: HTML, display: ctx.display }, async () => {
        const agency = await getAgencyBySlug(deps.db, request.params.slug);
        const record = await getPortalRecord(deps, agency, request.params.id);
        return { body: recordPage(ctx, agency, record).value, agencyId: agency.id };
      });
    },
  );

  app.get<{ Params: { slug: string } }>(
    "/agencies/:slug/reports",
    { config: { policy: "public" } },
    async (request, reply) => {
      const ctx = portalContext(request);
      return sendCached(cache, request, reply, { contentType: HTML, display: ctx.display }, async () => {
        const agency = await getAgencyBySlug(deps.db, request.params.slug);
        const reports = await listPublishedReports(deps, agency);
        return { body: reportsPage(ctx, agency, reports).value, agencyId: agency.id };
      });
    },
  );
}
