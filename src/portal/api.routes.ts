/**
 * @module The read-only public JSON API (open data): agencies and their published records, with pagination
 * (`page`, `per_page` ≤ 100, RFC 8288 `Link` header) and ETags (304 on If-None-Match). CORS is open (GET only).
 * The catalog endpoint belongs to the catalog feature.
 */
import type { FastifyInstance } from "fastify";
import { type Agency, getAgencyBySlug } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { type PageCache, sendCached } from "../http/page-cache.ts";
import { publicRecordPath } from "../publishing/record.paths.ts";
import { getGuideProfile } from "./guide.service.ts";
import type { PortalRecord, PortalRecordSummary } from "./portal.model.ts";
import {
  findPublishedRecordAgencyId,
  getPortalRecord,
  listAgenciesByName,
  listPortalRecords,
  regionPathOf,
} from "./portal.service.ts";
import { agencyPath, itemPath, withQuery } from "./portal.views.ts";

const JSON_TYPE = "application/json; charset=utf-8";
export const MAX_PER_PAGE = 100;

function paging(query: Record<string, unknown>): { page: number; perPage: number } {
  const num = (v: unknown, d: number) => {
    const s = Array.isArray(v) ? v[0] : v;
    return typeof s === "string" && /^\d{1,6}$/.test(s) && Number(s) > 0 ? Number(s) : d;
  };
  return { page: num(query.page, 1), perPage: Math.min(MAX_PER_PAGE, num(query.per_page, 20)) };
}

function meta(
  path: string,
  base: string,
  page: number,
  perPage: number,
  total: number,
  extra: Record<string, string> = {},
) {
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  const link = (p: number) => base + withQuery(path, { ...extra, page: p, per_page: perPage });
  return {
    meta: { page, perPage, total, totalPages },
    links: {
      self: link(page),
      first: link(1),
      last: link(totalPages),
      ...(page > 1 ? { prev: link(page - 1) } : {}),
      ...(page < totalPages ? { next: link(page + 1) } : {}),
    },
  };
}

function linkHeader(links: Record<string, string>): Record<string, string> {
  const rels = ["first", "prev", "next", "last"].filter((r) => links[r]);
  return { link: rels.map((r) => `<${links[r]}>; rel="${r}"`).join(", ") };
}

function agencyJson(base: string, a: Agency, region: string[]) {
  return {
    slug: a.slug,
    name: a.name,
    shortName: a.shortName,
    creditCode: a.creditCode,
    region,
    urls: {
      portal: base + agencyPath(a),
      guide: base + agencyPath(a, "guide"),
      catalog: base + agencyPath(a, "catalog"),
      records: `${base}/api/v1/agencies/${a.slug}/records`,
      rss: base + agencyPath(a, "feed.xml"),
      atom: base + agencyPath(a, "atom.xml"),
    },
  };
}

function recordSummaryJson(base: string, a: Agency, r: PortalRecordSummary) {
  return {
    id: r.id,
    agency: a.slug,
    kind: r.kind,
    title: r.title,
    summary: r.summary,
    indexNo: r.indexNo,
    docNumber: r.docNumber,
    issuingAgency: r.issuingAgency,
    formedDate: r.formedDate,
    publishedDate: r.publishedDate,
    revisedDate: r.revisedDate,
    validity: r.validity,
    topic: r.topic,
    genre: r.genre,
    catalogItem: r.itemStableKey,
    urls: {
      html: base + publicRecordPath(a.slug, r.id),
      api: `${base}/api/v1/records/${r.id}`,
    },
  };
}

function recordJson(base: string, a: Agency, r: PortalRecord) {
  return {
    ...recordSummaryJson(base, a, r),
    keywords: r.keywords,
    effectiveDate: r.effectiveDate,
    repealDate: r.repealDate,
    replacedBy: r.replacedBy
      ? {
          title: r.replacedBy.title,
          id: r.replacedBy.id,
          url: r.replacedBy.id ? base + publicRecordPath(a.slug, r.replacedBy.id) : null,
        }
      : null,
    catalogItem: r.item
      ? { stableKey: r.item.stableKey, name: r.item.name, url: base + itemPath(a, r.item.stableKey) }
      : null,
    bodyHtml: r.bodyHtml,
    attachments: r.attachments.map((f) => ({
      id: f.id,
      fileName: f.fileName,
      fileType: f.fileType,
      sizeBytes: f.sizeBytes,
      url: base + f.href,
    })),
    interpretations: r.interpretations.map((i) => ({
      id: i.id,
      title: i.title,
      url: base + publicRecordPath(a.slug, i.id),
    })),
    interprets: r.interprets.map((i) => ({
      id: i.id,
      title: i.title,
      url: base + publicRecordPath(a.slug, i.id),
    })),
  };
}

export function apiRoutes(app: FastifyInstance, deps: Deps, cache: PageCache): void {
  const base = deps.config.publicUrl;
  const json = (v: unknown) => JSON.stringify(v);

  app.get("/api/v1/agencies", { config: { policy: "public" } }, async (request, reply) => {
    reply.header("access-control-allow-origin", "*");
    const { page, perPage } = paging(request.query as Record<string, unknown>);
    return sendCached(cache, request, reply, { contentType: JSON_TYPE }, async () => {
      const all = await listAgenciesByName(deps.db);
      const slice = all.slice((page - 1) * perPage, page * perPage);
      const data = await Promise.all(
        slice.map(async (a) => agencyJson(base, a, await regionPathOf(deps.db, a))),
      );
      const m = meta("/api/v1/agencies", base, page, perPage, all.length);
      return { body: json({ data, ...m }), agencyId: null, headers: linkHeader(m.links) };
    });
  });

  app.get<{ Params: { slug: string } }>(
    "/api/v1/agencies/:slug",
    { config: { policy: "public" } },
    async (request, reply) => {
      reply.header("access-control-allow-origin", "*");
      return sendCached(cache, request, reply, { contentType: JSON_TYPE }, async () => {
        const agency = await getAgencyBySlug(deps.db, request.params.slug);
        const [region, profile] = await Promise.all([
          regionPathOf(deps.db, agency),
          getGuideProfile(deps.db, agency.id),
        ]);
        const {
          updatedAt: _u,
          intro: _i,
          obtainNote: _o,
          applyNote: _a,
          feesNote: _f,
          remediesNote: _r,
          ...contact
        } = profile;
        return {
          body: json({ data: { ...agencyJson(base, agency, region), guide: contact } }),
          agencyId: agency.id,
        };
      });
    },
  );

  app.get<{ Params: { slug: string } }>(
    "/api/v1/agencies/:slug/records",
    { config: { policy: "public" } },
    async (request, reply) => {
      reply.header("access-control-allow-origin", "*");
      const query = request.query as Record<string, unknown>;
      const { page, perPage } = paging(query);
      const item = typeof query.item === "string" && query.item.length <= 200 ? query.item : undefined;
      return sendCached(cache, request, reply, { contentType: JSON_TYPE }, async () => {
        const agency = await getAgencyBySlug(deps.db, request.params.slug);
        const { records, total } = await listPortalRecords(deps, {
          agencyId: agency.id,
          ...(item ? { itemStableKeys: [item] } : {}),
          limit: perPage,
          offset: (page - 1) * perPage,
        });
        const m = meta(
          `/api/v1/agencies/${agency.slug}/records`,
          base,
          page,
          perPage,
          total,
          item ? { item } : {},
        );
        return {
          body: json({ data: records.map((r) => recordSummaryJson(base, agency, r)), ...m }),
          agencyId: agency.id,
          headers: linkHeader(m.links),
        };
      });
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/v1/records/:id",
    { config: { policy: "public" } },
    async (request, reply) => {
      reply.header("access-control-allow-origin", "*");
      return sendCached(cache, request, reply, { contentType: JSON_TYPE }, async () => {
        const agencyId = await findPublishedRecordAgencyId(deps, request.params.id);
        if (!agencyId) throw new AppError("record_not_found");
        const agency = (await listAgenciesByName(deps.db)).find((a) => a.id === agencyId);
        if (!agency) throw new AppError("record_not_found");
        const record = await getPortalRecord(deps, agency, request.params.id);
        return { body: json({ data: recordJson(base, agency, record) }), agencyId: agency.id };
      });
    },
  );
}
