/**
 * @module RSS/Atom feeds per agency and per catalog item, sitemap.xml and robots.txt. Public and cached.
 */
import type { FastifyInstance } from "fastify";
import { type Agency, getAgencyBySlug } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { sendPublic } from "../http/public-read.ts";
import { atomXml, type Feed, rssXml, SITEMAP_MAX_URLS, sitemapXml, tagUri } from "./feeds.ts";
import { flattenItems, itemTrail, type PortalRecordSummary } from "./portal.model.ts";
import {
  listAgenciesByName,
  listPortalRecords,
  publishedCatalogTree,
  sitemapRecords,
} from "./portal.service.ts";
import { agencyPath, itemPath, recordPath } from "./portal.views.ts";

export const FEED_SIZE = 50;

/** A `YYYY-MM-DD` legal date as the instant 00:00 Asia/Shanghai. */
function dateInstant(date: string | null, fallback: Date): Date {
  return date ? new Date(`${date}T00:00:00+08:00`) : fallback;
}

function feedOf(
  deps: Deps,
  agency: Agency,
  records: PortalRecordSummary[],
  meta: { title: string; description: string; page: string; self: string; id: string },
): Feed {
  const base = deps.config.publicUrl;
  // The newest change, or the day the regulation took effect for an empty feed.
  const updated = new Date(
    Math.max(new Date("2019-05-15T00:00:00+08:00").getTime(), ...records.map((r) => r.updatedAt.getTime())),
  );
  return {
    title: meta.title,
    description: meta.description,
    pageUrl: base + meta.page,
    selfUrl: base + meta.self,
    id: tagUri(base, meta.id),
    updated,
    entries: records.map((r) => ({
      id: tagUri(base, `record:${r.id}`),
      title: r.validity && r.validity !== "有效" ? `【${r.validity}】${r.title}` : r.title,
      url: base + recordPath(agency, r.id),
      summary: [r.summary, r.docNumber ? `文号：${r.docNumber}` : "", r.indexNo ? `索引号：${r.indexNo}` : ""]
        .filter(Boolean)
        .join("　"),
      published: r.publishedAt ?? dateInstant(r.publishedDate, r.updatedAt),
      updated: r.updatedAt,
      author: r.issuingAgency || agency.name,
      categories: [r.topic, r.genre].filter(Boolean),
    })),
  };
}

export function feedRoutes(app: FastifyInstance, deps: Deps): void {
  const agencyFeed = (format: "rss" | "atom") =>
    app.get<{ Params: { slug: string } }>(
      `/agencies/:slug/${format === "rss" ? "feed.xml" : "atom.xml"}`,
      { config: { policy: "public" } },
      async (request, reply) =>
        sendPublic(
          deps,
          request,
          reply,
          {
            contentType:
              format === "rss" ? "application/rss+xml; charset=utf-8" : "application/atom+xml; charset=utf-8",
          },
          async (db) => {
            const agency = await getAgencyBySlug(db, request.params.slug);
            const { records } = await listPortalRecords(
              { db },
              {
                agencyId: agency.id,
                limit: FEED_SIZE,
                offset: 0,
              },
            );
            const feed = feedOf(deps, agency, records, {
              title: `${agency.name} - 最新公开信息`,
              description: `${agency.name}政府信息公开专栏最新发布的政府信息`,
              page: agencyPath(agency),
              // The feed's canonical URL, never the visitor's (a cached feed would carry its query string).
              self: agencyPath(agency, format === "rss" ? "feed.xml" : "atom.xml"),
              id: `agency:${agency.slug}`,
            });
            return { body: format === "rss" ? rssXml(feed) : atomXml(feed), agencyId: agency.id };
          },
        ),
    );
  agencyFeed("rss");
  agencyFeed("atom");

  const itemFeed = (format: "rss" | "atom") =>
    app.get<{ Params: { slug: string; key: string } }>(
      `/agencies/:slug/catalog/:key/${format === "rss" ? "feed.xml" : "atom.xml"}`,
      { config: { policy: "public" } },
      async (request, reply) =>
        sendPublic(
          deps,
          request,
          reply,
          {
            contentType:
              format === "rss" ? "application/rss+xml; charset=utf-8" : "application/atom+xml; charset=utf-8",
          },
          async (db) => {
            const agency = await getAgencyBySlug(db, request.params.slug);
            const catalog = await publishedCatalogTree({ db }, agency.id);
            const item = catalog ? itemTrail(catalog.items, request.params.key)?.at(-1) : undefined;
            if (!item) throw new AppError("catalog_item_not_found");
            const { records } = await listPortalRecords(
              { db },
              {
                agencyId: agency.id,
                itemStableKeys: flattenItems([item]).map((i) => i.stableKey),
                limit: FEED_SIZE,
                offset: 0,
              },
            );
            const feed = feedOf(deps, agency, records, {
              title: `${agency.shortName} - ${item.name}`,
              description: `${agency.name}主动公开事项“${item.name}”下发布的政府信息`,
              page: itemPath(agency, item.stableKey),
              self: `${itemPath(agency, item.stableKey)}/${format === "rss" ? "feed.xml" : "atom.xml"}`,
              id: `item:${agency.slug}:${item.stableKey}`,
            });
            return { body: format === "rss" ? rssXml(feed) : atomXml(feed), agencyId: agency.id };
          },
        ),
    );
  itemFeed("rss");
  itemFeed("atom");

  app.get("/sitemap.xml", { config: { policy: "public" } }, async (request, reply) =>
    sendPublic(deps, request, reply, { contentType: "application/xml; charset=utf-8" }, async (db) => {
      const base = deps.config.publicUrl;
      const urls: { loc: string; lastmod?: string | null }[] = [
        { loc: `${base}/` },
        { loc: `${base}/search` },
      ];
      for (const agency of await listAgenciesByName(db)) {
        for (const sub of ["", "guide", "catalog", "reports"])
          urls.push({ loc: base + agencyPath(agency, sub) });
        const catalog = await publishedCatalogTree({ db }, agency.id);
        for (const item of catalog ? flattenItems(catalog.items) : [])
          urls.push({ loc: base + itemPath(agency, item.stableKey) });
      }
      for (const r of await sitemapRecords({ db }, SITEMAP_MAX_URLS - urls.length))
        urls.push({ loc: base + recordPath({ slug: r.agencySlug }, r.id), lastmod: r.lastmod });
      return { body: sitemapXml(urls), agencyId: null };
    }),
  );

  // Search result pages stay out of crawlers' reach: every query string is a new uncached search (rate-limited for
  // visitors, docs/scaling.md), and the records they list are in the sitemap already.
  app.get("/robots.txt", { config: { policy: "public" } }, async (_request, reply) =>
    reply
      .type("text/plain; charset=utf-8")
      .header("cache-control", "public, max-age=3600")
      .send(
        `User-agent: *\nDisallow: /admin/\nDisallow: /api/v1/admin/\nDisallow: /search\nDisallow: /agencies/*/search\n` +
          `Sitemap: ${deps.config.publicUrl}/sitemap.xml\n`,
      ),
  );
}
