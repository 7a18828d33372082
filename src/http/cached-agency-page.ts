/**
 * @module `cachedAgencyPage()`: the one shape of a cached public page of an agency (GET /agencies/:slug/…), used by
 * the portal (home, catalog, item, record, report list, guide, 公开制度) and the published annual reports.
 *
 * It registers a public GET route whose render runs only on a page-cache miss (http/page-cache.ts): the agency is
 * looked up by its slug (404 agency_not_found), the page is keyed on the route, its path parameters and the query
 * values `query` parsed (nothing else of the query string), and the page context's path is that canonical URL, so
 * a page cached for one visitor holds nothing of another visitor's URL. The render reads `db`: the read pool's
 * choice for anonymous visitors (the replica of DATABASE_READ_URL once it has replayed the latest change), the
 * primary for signed-in staff (http/public-read.ts).
 *
 * `cachedAgencyPageOf()` is the same for a page whose render finds the agency itself, in the statement that reads
 * the page's data (the record page: agency, record and catalog item name in one round trip): a miss then costs the
 * shared page store's look-up and that one statement.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { type Agency, getAgencyBySlug } from "../agencies/agency.service.ts";
import type { Db } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import type { SafeHtml } from "../shared/html.ts";
import type { PageContext } from "./layout.ts";
import { sendCached } from "./page-cache.ts";
import { portalContext } from "./public-layout.ts";
import { publicRead } from "./public-read.ts";

type QueryValues = Record<string, string | number | undefined>;

/** What a page's render gets: the visitor's page context, the agency, the route's parameters and parsed query. */
export interface AgencyPage<P, Q> {
  ctx: PageContext;
  agency: Agency;
  params: P;
  query: Q;
  /** The database this render reads (read-only: it may be a hot standby). */
  db: Db;
}

export interface AgencyPageOptions<Q extends QueryValues> {
  /** The query values the page depends on, parsed (defaults omitted or normalised); the rest is ignored. */
  query?: (raw: Record<string, unknown>) => Q;
  /** Default text/html. */
  contentType?: string;
}

const HTML = "text/html; charset=utf-8";

/**
 * The canonical path of a request: its route's pattern with the path parameters (as the router decoded them)
 * encoded again, never the path as the visitor spelled it (`/%63atalog/`, a trailing slash, lower-case escapes),
 * which a cached page would otherwise show every later visitor.
 */
export function routePath(request: FastifyRequest): string {
  const pattern = request.routeOptions.url;
  if (!pattern) return request.url.split("?", 1)[0] ?? "/";
  const params = (request.params ?? {}) as Record<string, unknown>;
  return pattern.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) =>
    encodeURIComponent(String(params[name] ?? "")),
  );
}

/** The canonical URL of a request: its canonical path and the parsed query values (sorted, undefined ones left out). */
export function canonicalPath(request: FastifyRequest, query: QueryValues): string {
  const path = routePath(request);
  const search = new URLSearchParams();
  for (const name of Object.keys(query).sort()) {
    const value = query[name];
    if (value !== undefined) search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

export function cachedAgencyPage<P extends { slug: string }, Q extends QueryValues = Record<string, never>>(
  app: FastifyInstance,
  deps: Pick<Deps, "db" | "readPool" | "pageCache">,
  url: string,
  render: (page: AgencyPage<P, Q>) => Promise<SafeHtml>,
  options: AgencyPageOptions<Q> = {},
): void {
  cachedAgencyPageOf<P, Q>(
    app,
    deps,
    url,
    async (page) => {
      const agency = await getAgencyBySlug(page.db, page.params.slug);
      return { agency, page: await render({ ...page, agency }) };
    },
    options,
  );
}

/**
 * cachedAgencyPage for a render that finds the agency of `params.slug` itself (throwing agency_not_found when there
 * is none) and returns it beside the page.
 */
export function cachedAgencyPageOf<P extends { slug: string }, Q extends QueryValues = Record<string, never>>(
  app: FastifyInstance,
  deps: Pick<Deps, "db" | "readPool" | "pageCache">,
  url: string,
  render: (page: Omit<AgencyPage<P, Q>, "agency">) => Promise<{ agency: Agency; page: SafeHtml }>,
  options: AgencyPageOptions<Q> = {},
): void {
  app.get(url, { config: { policy: "public" } }, async (request, reply) => {
    const params = request.params as P;
    const query = options.query ? options.query(request.query as Record<string, unknown>) : ({} as Q);
    const base = portalContext(request);
    const ctx = base.staffName ? base : { ...base, path: canonicalPath(request, query).slice(0, 2000) };
    return sendCached(
      deps.pageCache,
      request,
      reply,
      { contentType: options.contentType ?? HTML, display: ctx.display, query },
      () =>
        publicRead(deps, request, async (db) => {
          const { agency, page } = await render({ ctx, params, query, db });
          return { body: page.value, agencyId: agency.id };
        }),
    );
  });
}
