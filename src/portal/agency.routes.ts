/**
 * @module Public pages of one agency: home, catalog tree, item pages, record pages, attachment downloads and the
 * annual-report list. All public, rendered on the server and cached (http/page-cache.ts).
 */
import type { FastifyInstance } from "fastify";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { cachedAgencyPage, cachedAgencyPageOf } from "../http/cached-agency-page.ts";
import { agencyHomePage, reportsPage } from "./agency.views.ts";
import { catalogPage, itemPage } from "./catalog.views.ts";
import { flattenItems, itemTrail } from "./portal.model.ts";
import {
  getPortalRecordPage,
  listPortalRecords,
  listPublishedReports,
  publishedCatalogTree,
  regionPathOf,
} from "./portal.service.ts";
import { parsePage } from "./portal.views.ts";
import { recordPage } from "./record.views.ts";

export const ITEM_PAGE_SIZE = 20;

export function agencyRoutes(app: FastifyInstance, deps: Deps): void {
  cachedAgencyPage(app, deps, "/agencies/:slug", async ({ ctx, agency, db }) => {
    const [regionPath, catalog, latest, reports] = await Promise.all([
      regionPathOf(db, agency),
      publishedCatalogTree({ db }, agency.id),
      listPortalRecords({ db }, { agencyId: agency.id, limit: 10, offset: 0 }),
      listPublishedReports({ db }, agency),
    ]);
    return agencyHomePage(ctx, {
      agency,
      regionPath,
      catalog,
      latest: latest.records,
      recordTotal: latest.total,
      reports,
    });
  });

  cachedAgencyPage(app, deps, "/agencies/:slug/catalog", async ({ ctx, agency, db }) =>
    catalogPage(ctx, agency, await publishedCatalogTree({ db }, agency.id)),
  );

  cachedAgencyPage<{ slug: string; key: string }, { page: number | undefined }>(
    app,
    deps,
    "/agencies/:slug/catalog/:key",
    async ({ ctx, agency, params, query, db }) => {
      const catalog = await publishedCatalogTree({ db }, agency.id);
      const trail = catalog ? itemTrail(catalog.items, params.key) : undefined;
      const item = trail?.at(-1);
      if (!trail || !item) throw new AppError("catalog_item_not_found");
      const page = query.page ?? 1;
      const { records, total } = await listPortalRecords(
        { db },
        {
          agencyId: agency.id,
          itemStableKeys: flattenItems([item]).map((i) => i.stableKey),
          limit: ITEM_PAGE_SIZE,
          offset: (page - 1) * ITEM_PAGE_SIZE,
        },
      );
      // A page past the last is not a page (404, never cached): crawlers get no soft 404, and ?page=2…10000 of every
      // item cannot fill the page cache.
      if (page > 1 && (page - 1) * ITEM_PAGE_SIZE >= total)
        throw new AppError(
          "not_found",
          total
            ? `本事项共 ${Math.ceil(total / ITEM_PAGE_SIZE)} 页，没有第 ${page} 页。`
            : `本事项暂无公开信息，没有第 ${page} 页。`,
        );
      return itemPage(ctx, {
        agency,
        trail,
        item,
        records,
        total,
        page,
        totalPages: Math.ceil(total / ITEM_PAGE_SIZE),
      });
    },
    // Page 1 is the item's plain URL (?page=1 and ?page=junk are the same page).
    { query: (raw) => ({ page: parsePage(raw.page) > 1 ? parsePage(raw.page) : undefined }) },
  );

  // A first hit reads the agency, the record and its catalog item's name in one statement.
  cachedAgencyPageOf<{ slug: string; id: string }>(
    app,
    deps,
    "/agencies/:slug/records/:id",
    async ({ ctx, params, db }) => {
      const { agency, record } = await getPortalRecordPage({ db }, params.slug, params.id);
      return { agency, page: recordPage(ctx, agency, record) };
    },
  );

  cachedAgencyPage(app, deps, "/agencies/:slug/reports", async ({ ctx, agency, db }) =>
    reportsPage(ctx, agency, await listPublishedReports({ db }, agency)),
  );
}
