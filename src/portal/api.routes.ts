/**
 * @module The read-only public JSON API (open data): agencies and their published records, with pagination
 * (`page`, `per_page` ≤ 100, RFC 8288 `Link` header) and ETags (304 on If-None-Match). CORS is open (GET only;
 * src/http/open-data-cors.ts).
 * The catalog endpoint belongs to the catalog feature.
 */
import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { type Agency, findAgency, getAgencyBySlug } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { getGuideProfile } from "../guide/index.ts";
import { API_TAGS } from "../http/openapi.ts";
import { sendPublic } from "../http/public-read.ts";
import { publicRecordPath } from "../publishing/published.read.ts";
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
    const n = typeof s === "number" ? s : typeof s === "string" && /^\d{1,6}$/.test(s) ? Number(s) : 0;
    return Number.isInteger(n) && n > 0 && n <= 999999 ? n : d;
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

// OpenAPI: these routes send pre-serialised (cached) JSON, so the schemas below document the responses.
const TAGS = [API_TAGS.openData];
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const SlugParams = Type.Object({ slug: Type.String({ maxLength: 100, description: "机关标识（slug）" }) });
const Paging = {
  page: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 999999, default: 1, description: "页码，从1开始" }),
  ),
  per_page: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 999999,
      default: 20,
      description: "每页条数，最多100（更大的值按100计）",
    }),
  ),
};
const PageMeta = Type.Object({
  meta: Type.Object({
    page: Type.Integer(),
    perPage: Type.Integer(),
    total: Type.Integer({ description: "总条数" }),
    totalPages: Type.Integer(),
  }),
  links: Type.Object(
    {
      self: Type.String(),
      first: Type.String(),
      last: Type.String(),
      prev: Type.Optional(Type.String()),
      next: Type.Optional(Type.String()),
    },
    { description: "分页链接（也在 Link 响应头中，RFC 8288）" },
  ),
});
const AgencyJson = Type.Object({
  slug: Type.String(),
  name: Type.String({ description: "机关全称" }),
  shortName: Type.String(),
  creditCode: Nullable(Type.String({ description: "统一社会信用代码" })),
  region: Type.Array(Type.String(), { description: "所在行政区划，由上到下" }),
  urls: Type.Object({
    portal: Type.String(),
    guide: Type.String(),
    catalog: Type.String(),
    records: Type.String(),
    rss: Type.String(),
    atom: Type.String(),
  }),
});
const RecordSummaryJson = Type.Object({
  id: Type.String(),
  agency: Type.String({ description: "机关标识" }),
  kind: Type.String({ description: "document 政府信息 | interpretation 政策解读" }),
  title: Type.String(),
  summary: Type.String(),
  indexNo: Nullable(Type.String({ description: "索引号" })),
  docNumber: Type.String({ description: "文号" }),
  issuingAgency: Type.String(),
  formedDate: Type.String({ description: "成文日期 YYYY-MM-DD" }),
  publishedDate: Nullable(Type.String({ description: "发布日期 YYYY-MM-DD" })),
  revisedDate: Nullable(Type.String()),
  validity: Nullable(Type.String({ description: "有效性" })),
  topic: Type.String(),
  genre: Type.String(),
  catalogItem: Nullable(Type.String({ description: "所属目录事项的标识（stableKey）" })),
  urls: Type.Object({ html: Type.String(), api: Type.String() }),
});
const Linked = Type.Object({ id: Type.String(), title: Type.String(), url: Type.String() });
const RecordJson = Type.Composite([
  Type.Omit(RecordSummaryJson, ["catalogItem"]),
  Type.Object({
    keywords: Type.Array(Type.String()),
    effectiveDate: Nullable(Type.String()),
    repealDate: Nullable(Type.String()),
    replacedBy: Type.Union([
      Type.Object({ title: Type.String(), id: Nullable(Type.String()), url: Nullable(Type.String()) }),
      Type.Null(),
    ]),
    catalogItem: Type.Union([
      Type.Object({ stableKey: Type.String(), name: Type.String(), url: Type.String() }),
      Type.Null(),
    ]),
    bodyHtml: Type.String({ description: "正文 HTML（已清理）" }),
    attachments: Type.Array(
      Type.Object({
        id: Type.String(),
        fileName: Type.String(),
        fileType: Type.String(),
        sizeBytes: Type.Integer(),
        url: Type.String(),
      }),
    ),
    interpretations: Type.Array(Linked, { description: "解读本文件的政策解读" }),
    interprets: Type.Array(Linked, { description: "本解读所解读的文件" }),
  }),
]);
const NotModified = Type.Null({ description: "未修改（If-None-Match 与 ETag 相同）" });

export function apiRoutes(app: FastifyInstance, deps: Deps): void {
  const base = deps.config.publicUrl;
  const json = (v: unknown) => JSON.stringify(v);

  app.get(
    "/api/v1/agencies",
    {
      config: { policy: "public" },
      schema: {
        operationId: "listAgencies",
        summary: "列出本平台的机关（开放数据）",
        tags: TAGS,
        querystring: Type.Object(Paging),
        response: {
          200: Type.Composite([Type.Object({ data: Type.Array(AgencyJson) }), PageMeta]),
          304: NotModified,
        },
      },
    },
    async (request, reply) => {
      const { page, perPage } = paging(request.query as Record<string, unknown>);
      const query = { page, perPage };
      return sendPublic(deps, request, reply, { contentType: JSON_TYPE, query }, async (db) => {
        const all = await listAgenciesByName(db);
        const slice = all.slice((page - 1) * perPage, page * perPage);
        const data = await Promise.all(
          slice.map(async (a) => agencyJson(base, a, await regionPathOf(db, a))),
        );
        const m = meta("/api/v1/agencies", base, page, perPage, all.length);
        return { body: json({ data, ...m }), agencyId: null, headers: linkHeader(m.links) };
      });
    },
  );

  app.get<{ Params: { slug: string } }>(
    "/api/v1/agencies/:slug",
    {
      config: { policy: "public", errors: ["agency_not_found"] },
      schema: {
        operationId: "getAgency",
        summary: "查看机关及其公开指南中的联系方式（开放数据）",
        tags: TAGS,
        params: SlugParams,
        response: {
          200: Type.Object({
            data: Type.Composite([
              AgencyJson,
              Type.Object({
                guide: Type.Object(
                  {},
                  { additionalProperties: true, description: "政府信息公开指南中的联系方式等" },
                ),
              }),
            ]),
          }),
          304: NotModified,
        },
      },
    },
    async (request, reply) => {
      return sendPublic(deps, request, reply, { contentType: JSON_TYPE }, async (db) => {
        const agency = await getAgencyBySlug(db, request.params.slug);
        const [region, profile] = await Promise.all([
          regionPathOf(db, agency),
          getGuideProfile(db, agency.id),
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
    {
      config: { policy: "public", errors: ["agency_not_found"] },
      schema: {
        operationId: "listPublishedRecords",
        summary: "列出机关已发布的政府信息（开放数据，按发布日期倒序）",
        tags: TAGS,
        params: SlugParams,
        querystring: Type.Object({
          ...Paging,
          item: Type.Optional(
            Type.String({ maxLength: 200, description: "只列出该目录事项（stableKey）下的信息" }),
          ),
        }),
        response: {
          200: Type.Composite([Type.Object({ data: Type.Array(RecordSummaryJson) }), PageMeta]),
          304: NotModified,
        },
      },
    },
    async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      const { page, perPage } = paging(query);
      const item = typeof query.item === "string" && query.item.length <= 200 ? query.item : undefined;
      const key = { page, perPage, item };
      return sendPublic(deps, request, reply, { contentType: JSON_TYPE, query: key }, async (db) => {
        const agency = await getAgencyBySlug(db, request.params.slug);
        const { records, total } = await listPortalRecords(
          { db },
          {
            agencyId: agency.id,
            ...(item ? { itemStableKeys: [item] } : {}),
            limit: perPage,
            offset: (page - 1) * perPage,
          },
        );
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
    {
      config: { policy: "public", errors: ["record_not_found"] },
      schema: {
        operationId: "getPublishedRecord",
        summary: "查看一条已发布的政府信息（正文、附件、解读）",
        tags: TAGS,
        params: Type.Object({ id: Type.String({ maxLength: 100, description: "信息 id（UUID）" }) }),
        response: { 200: Type.Object({ data: RecordJson }), 304: NotModified },
      },
    },
    async (request, reply) => {
      return sendPublic(deps, request, reply, { contentType: JSON_TYPE }, async (db) => {
        const agencyId = await findPublishedRecordAgencyId({ db }, request.params.id);
        if (!agencyId) throw new AppError("record_not_found");
        const agency = await findAgency(db, agencyId);
        if (!agency) throw new AppError("record_not_found");
        const record = await getPortalRecord({ db }, agency, request.params.id);
        return { body: json({ data: recordJson(base, agency, record) }), agencyId: agency.id };
      });
    },
  );
}
