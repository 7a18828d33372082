/**
 * @module The catalog's JSON API (/api/v1/agencies/{slug}/catalog…), described in the OpenAPI document.
 * Public: the published catalog as JSON and its export (xlsx/docx/csv/json). Staff (Bearer token or session), each a
 * `staffRoute` with the agency in the path: the version list, the statutory check, import preview (multipart upload)
 * and commit, publishing a draft with reasons.
 */
import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { type Agency, getAgencyBySlug } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { API_TAGS } from "../http/openapi.ts";
import { staffRoute } from "../http/staff-route.ts";
import {
  EXPORT_RESPONSES,
  ImportPreview,
  LintResponse,
  PublicCatalog,
  PublishResponse,
  SlugParams,
  UPLOAD_ERRORS,
  VersionInfo,
} from "./catalog.api-schemas.ts";
import { exportCatalog } from "./catalog-export.service.ts";
import { isExportFormat } from "./catalog-export.ts";
import { previewUpload, withUploads } from "./catalog-import.routes.ts";
import { commitImport } from "./catalog-import.service.ts";
import { lintCatalogVersion } from "./catalog-lint.service.ts";
import {
  type CatalogNode,
  type CatalogTree,
  getPublishedCatalog,
  listCatalogVersions,
} from "./catalog-tree.service.ts";
import { contentDisposition } from "./catalog-versions.routes.ts";
import { publishVersion } from "./catalog-versions.service.ts";

const TAGS = [API_TAGS.catalogs];
const SLUG = Type.String({ maxLength: 100, description: "机关标识（slug）" });

/** A compact public JSON of a published catalog. */
function publicJson(agency: Agency, tree: CatalogTree) {
  const node = (n: CatalogNode): unknown => ({
    stableKey: n.stableKey,
    level: n.level,
    number: n.number,
    name: n.name,
    elements: n.elements.map((e) => ({
      stableKey: e.stableKey,
      number: e.number,
      label: e.label,
      content: e.content,
      deadlineText: e.deadlineText,
    })),
    legalBasis: n.legalBasis,
    deadlineText: n.deadlineText,
    deadlineRules: n.deadlineRules,
    subject: n.subject,
    channels: n.channels,
    channelsOther: n.channelsOther,
    audience: n.audience,
    mode: n.mode,
    form: n.form,
    adminLevel: n.adminLevel,
    responsible: n.responsibleText,
    units: n.units.map((u) => ({ name: u.name, role: u.role })),
    remarks: n.remarks,
    children: n.children.map(node),
  });
  return {
    agency: { slug: agency.slug, name: agency.name },
    title: tree.version.title,
    versionNo: tree.version.versionNo,
    publishedAt: tree.version.publishedAt,
    header: tree.version.header,
    counts: tree.counts,
    items: tree.items.map(node),
  };
}

export function catalogApiRoutes(app: FastifyInstance, deps: Deps): void {
  // Public -------------------------------------------------------------------------------------------------------

  app.get<{ Params: { slug: string } }>(
    "/api/v1/agencies/:slug/catalog",
    {
      config: { policy: "public", errors: ["agency_not_found", "catalog_not_found"] },
      schema: {
        operationId: "getPublishedCatalog",
        summary: "查看机关现行（已发布）的主动公开事项目录",
        tags: TAGS,
        params: SlugParams,
        response: { 200: PublicCatalog },
      },
    },
    async (request, reply) => {
      const agency = await getAgencyBySlug(deps.db, request.params.slug);
      const tree = await getPublishedCatalog(deps.db, agency.id);
      if (!tree) throw new AppError("catalog_not_found");
      reply.header("cache-control", "public, max-age=300");
      return publicJson(agency, tree);
    },
  );

  app.get<{ Params: { slug: string }; Querystring: { format?: string } }>(
    "/api/v1/agencies/:slug/catalog/export",
    {
      config: {
        policy: "public",
        errors: ["agency_not_found", "catalog_not_found", "bad_request"],
        openapi: {
          querystring: Type.Object({
            format: Type.Optional(
              Type.String({
                enum: ["json", "xlsx", "docx", "csv"],
                default: "json",
                description: "文件格式",
              }),
            ),
          }),
          responses: EXPORT_RESPONSES,
        },
      },
      schema: {
        operationId: "exportPublishedCatalog",
        summary: "下载现行目录（JSON、Excel、Word 或 CSV）",
        tags: TAGS,
        params: SlugParams,
      },
    },
    async (request, reply) => {
      const format = request.query.format ?? "json";
      if (!isExportFormat(format))
        throw new AppError("bad_request", "format 只能是 xlsx、docx、csv 或 json。");
      const agency = await getAgencyBySlug(deps.db, request.params.slug);
      const file = await exportCatalog(deps.db, {
        agencyId: agency.id,
        agencySlug: agency.slug,
        agencyName: agency.name,
        format,
      });
      reply.header("content-disposition", contentDisposition(file.fileName));
      reply.header("cache-control", "public, max-age=300");
      return reply.type(file.contentType).send(file.body);
    },
  );

  // Staff --------------------------------------------------------------------------------------------------------

  staffRoute(app, deps, {
    method: "GET",
    url: "/api/v1/agencies/:slug/catalog/versions",
    policy: "catalog.read",
    options: {
      config: { errors: ["agency_not_found", "not_found"] },
      schema: {
        operationId: "listCatalogVersions",
        summary: "列出目录的全部版本（草稿、现行、已替代）",
        tags: TAGS,
        params: SlugParams,
        response: { 200: Type.Object({ versions: Type.Array(VersionInfo) }) },
      },
    },
    handle: async (c) => ({ versions: await listCatalogVersions(deps.db, c.agency.id) }),
  });

  staffRoute(app, deps, {
    method: "GET",
    url: "/api/v1/agencies/:slug/catalog/lint",
    policy: "catalog.read",
    options: {
      config: { errors: ["agency_not_found", "not_found", "catalog_not_found", "catalog_version_not_found"] },
      schema: {
        operationId: "lintCatalog",
        summary: "按条例检查目录版本（默认现行版本）：缺少的事项、时限、渠道等",
        tags: TAGS,
        params: SlugParams,
        querystring: Type.Object({
          version: Type.Optional(Type.String({ maxLength: 100, description: "版本 id（默认现行版本）" })),
        }),
        response: { 200: LintResponse },
      },
    },
    handle: async (c) => {
      const version = typeof c.query.version === "string" ? c.query.version : "";
      const result = await lintCatalogVersion(deps.db, {
        agencyId: c.agency.id,
        agencyName: c.agency.name,
        agencyShortName: c.agency.shortName,
        versionId: version || undefined,
      });
      const v = result.version;
      return { version: { id: v.id, versionNo: v.versionNo, status: v.status }, findings: result.findings };
    },
  });

  withUploads(app, (scope) =>
    staffRoute(scope, deps, {
      method: "POST",
      url: "/api/v1/agencies/:slug/catalog/imports",
      policy: "catalog.edit",
      options: {
        config: {
          errors: ["agency_not_found", "not_found", ...UPLOAD_ERRORS],
          openapi: {
            consumes: ["multipart/form-data"],
            body: Type.Object({
              file: Type.String({
                format: "binary",
                description: "目录文件：.xlsx、.docx、.csv、.tsv、.html 或 .json（最大 20 MB）",
              }),
            }),
          },
        },
        schema: {
          operationId: "previewCatalogImport",
          summary: "上传目录文件，生成导入预览（不修改目录）",
          tags: TAGS,
          params: SlugParams,
          response: { 201: ImportPreview },
        },
      },
      handle: async (c) => {
        const result = await previewUpload(deps, c);
        const { doc, ...preview } = result.preview;
        return c.reply.status(201).send({
          importId: result.importId,
          fileName: result.fileName,
          format: result.format,
          sha256: result.sha256,
          ...preview,
          items: doc.items,
        });
      },
    }),
  );

  staffRoute(app, deps, {
    method: "POST",
    url: "/api/v1/agencies/:slug/catalog/imports/:importId/commit",
    policy: "catalog.edit",
    options: {
      config: {
        errors: ["agency_not_found", "not_found", "catalog_import_not_found", "catalog_draft_exists"],
        openapi: {
          body: Type.Object({
            replaceDraft: Type.Optional(Type.Boolean({ description: "替换已有的草稿版本" })),
          }),
        },
      },
      schema: {
        operationId: "commitCatalogImport",
        summary: "把导入预览保存为目录的草稿版本",
        tags: TAGS,
        params: Type.Object({
          slug: SLUG,
          importId: Type.String({ maxLength: 100, description: "导入预览 id" }),
        }),
        response: { 201: Type.Object({ version: VersionInfo }) },
      },
    },
    handle: async (c) => {
      const version = await commitImport(deps, {
        agencyId: c.agency.id,
        importId: c.params.importId ?? "",
        actor: c.actor,
        now: deps.clock.now(),
        replaceDraft: (c.body as { replaceDraft?: unknown } | undefined)?.replaceDraft === true,
      });
      return c.reply.status(201).send({ version });
    },
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/api/v1/agencies/:slug/catalog/versions/:versionId/publish",
    policy: "catalog.publish",
    options: {
      config: {
        errors: [
          "agency_not_found",
          "not_found",
          "catalog_version_not_found",
          "catalog_version_not_draft",
          "catalog_reason_required",
        ],
        openapi: {
          body: Type.Object({
            reasons: Type.Optional(
              Type.Record(Type.String(), Type.String({ maxLength: 2000 }), {
                description: "删除或弱化事项的理由，按事项标识（stableKey）",
              }),
            ),
          }),
        },
      },
      schema: {
        operationId: "publishCatalogVersion",
        summary: "发布目录草稿版本（删除或弱化的事项须逐项说明理由）",
        tags: TAGS,
        params: Type.Object({
          slug: SLUG,
          versionId: Type.String({ maxLength: 100, description: "版本 id" }),
        }),
        response: { 200: PublishResponse },
      },
    },
    handle: async (c) => {
      const raw = (c.body as { reasons?: unknown } | undefined)?.reasons;
      const reasons: Record<string, string> = {};
      if (raw && typeof raw === "object")
        for (const [k, v] of Object.entries(raw)) if (typeof v === "string") reasons[k] = v.slice(0, 2000);
      const result = await publishVersion(deps, {
        agencyId: c.agency.id,
        versionId: c.params.versionId ?? "",
        actor: c.actor,
        now: deps.clock.now(),
        reasons,
      });
      const { added, removed, changed } = result.diff;
      return { version: result.version, diff: { added, removed, changed } };
    },
  });
}
