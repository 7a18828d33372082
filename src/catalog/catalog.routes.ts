/**
 * @module Routes of the disclosure catalog (主动公开事项目录).
 *
 * Public API: GET /api/v1/agencies/{slug}/catalog (the published version as JSON) and
 * GET /api/v1/agencies/{slug}/catalog/export?format=xlsx|docx|csv|json.
 * Staff pages (/admin/catalog…): overview and versions, item editing in a draft (catalog.edit), comparison
 * (catalog.read), publishing with reasons (catalog.publish), the statutory check (catalog.read), exports
 * (catalog.read). Import (upload → preview → commit, catalog.edit) lives at /admin/agencies/:agency/catalog/import…
 * (catalog-import.routes.ts).
 * Staff API (/api/v1/agencies/{slug}/catalog/…): versions, lint, import preview/commit, publish.
 */
import multipart from "@fastify/multipart";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type Action, agencyScope, can, type StaffUser } from "../accounts/policy.ts";
import { type Agency, getAgencyBySlug, listAgenciesByName } from "../agencies/agency.service.ts";
import { actorOf } from "../audit/audit.service.ts";
import type { Deps } from "../deps.ts";
import { AppError, isAppError } from "../errors.ts";
import { authorize } from "../http/auth-guard.ts";
import { pageContext, sendHtml } from "../http/context.ts";
import { bodyString, bodyStrings, fieldErrors } from "../http/forms.ts";
import { API_TAGS } from "../http/openapi.ts";
import { readStream } from "../http/uploads.ts";
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
import { walkItems } from "./catalog.model.ts";
import {
  catalogPath,
  comparePage,
  type HeaderFormValues,
  indexPage,
  itemFormPage,
  lintPage,
  type OverviewData,
  overviewPage,
  publishPage,
} from "./catalog.views.ts";
import { exportCatalog } from "./catalog-export.service.ts";
import { isExportFormat } from "./catalog-export.ts";
import { MAX_IMPORT_BYTES } from "./catalog-import.readers.ts";
import { catalogImportRoutes } from "./catalog-import.routes.ts";
import { commitImport, previewImport } from "./catalog-import.service.ts";
import { addItem, deleteItem, type ItemInput, inputFromItem, updateItem } from "./catalog-items.service.ts";
import { lintCatalogVersion } from "./catalog-lint.service.ts";
import type { Actor } from "./catalog-store.service.ts";
import {
  type CatalogNode,
  type CatalogTree,
  getCatalogVersion,
  getDraftCatalog,
  getPublishedCatalog,
  itemExists,
  listCatalogVersions,
} from "./catalog-tree.service.ts";
import {
  diffVersions,
  discardDraft,
  openDraft,
  publishVersion,
  updateDraftHeader,
} from "./catalog-versions.service.ts";

function actor(request: FastifyRequest): Actor {
  const a = actorOf(request);
  return { id: a.actorId, name: a.actorName, ip: a.ip };
}

function resource(agency: Agency) {
  return { agencyId: agency.id, regionId: agency.regionId };
}

function itemInput(body: unknown): ItemInput {
  return {
    number: bodyString(body, "number", 20),
    name: bodyString(body, "name", 600),
    contentText: bodyString(body, "contentText", 20000, true),
    legalBasisText: bodyString(body, "legalBasisText", 5000, true),
    deadlineText: bodyString(body, "deadlineText", 2000),
    subject: bodyString(body, "subject", 200),
    channels: bodyStrings(body, "channels", 20),
    channelsOtherText: bodyString(body, "channelsOtherText", 2000, true),
    audience: bodyString(body, "audience", 100),
    mode: bodyString(body, "mode", 20),
    form: bodyString(body, "form", 100),
    adminLevel: bodyString(body, "adminLevel", 100),
    responsibleText: bodyString(body, "responsibleText", 500),
    remarks: bodyString(body, "remarks", 5000, true),
  };
}

function reasonsFrom(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!body || typeof body !== "object") return out;
  for (const [k, v] of Object.entries(body as Record<string, unknown>))
    if (k.startsWith("reason:") && typeof v === "string") out[k.slice("reason:".length)] = v.slice(0, 2000);
  return out;
}

function findNode(tree: CatalogTree, id: string): CatalogNode | null {
  for (const { item } of walkItems(tree.items)) if (item.id === id) return item;
  return null;
}

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

function contentDisposition(fileName: string): string {
  return `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export function catalogRoutes(app: FastifyInstance, deps: Deps): void {
  deps.consoleLinks.add({
    href: "/admin/catalog",
    label: "公开目录",
    action: "catalog.read",
    order: 200,
    description: "编制、导入、对比、审签发布主动公开事项目录，检查目录是否符合条例要求。",
  });

  async function agencyFor(
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    action: Action,
  ): Promise<{ agency: Agency; user: StaffUser }> {
    const agency = await getAgencyBySlug(deps.db, slug);
    const user = authorize(request, reply, action, resource(agency));
    return { agency, user };
  }

  function noStore(reply: FastifyReply): void {
    reply.header("cache-control", "private, no-store");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Public

  app.get<{ Params: { slug: string } }>(
    "/api/v1/agencies/:slug/catalog",
    {
      config: { policy: "public", errors: ["agency_not_found", "catalog_not_found"] },
      schema: {
        operationId: "getPublishedCatalog",
        summary: "查看机关现行（已发布）的主动公开事项目录",
        tags: [API_TAGS.catalogs],
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
        tags: [API_TAGS.catalogs],
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

  // ---------------------------------------------------------------------------------------------------------------
  // Staff pages

  app.get("/admin/catalog", { config: { policy: "catalog.read" } }, async (request, reply) => {
    const user = authorize(request, reply, "catalog.read");
    const scope = agencyScope(user, "catalog.read");
    const agencies = (await listAgenciesByName(deps.db)).filter(
      (a) => scope.all || scope.agencyIds.includes(a.id) || scope.regionIds.includes(a.regionId),
    );
    if (agencies.length === 1 && agencies[0]) return reply.redirect(catalogPath(agencies[0].slug), 303);
    const entries = [];
    for (const agency of agencies) {
      const versions = await listCatalogVersions(deps.db, agency.id);
      entries.push({
        agency,
        published: versions.find((v) => v.status === "published") ?? null,
        draft: versions.find((v) => v.status === "draft") ?? null,
      });
    }
    noStore(reply);
    return sendHtml(reply, indexPage(pageContext(request), entries));
  });

  async function renderOverview(
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    versionId: string | undefined,
    notice?: string,
    headerForm?: OverviewData["headerForm"],
  ) {
    const { agency, user } = await agencyFor(request, reply, slug, "catalog.read");
    const versions = await listCatalogVersions(deps.db, agency.id);
    const draft = versions.find((v) => v.status === "draft") ?? null;
    const published = versions.find((v) => v.status === "published") ?? null;
    const tree = versionId
      ? await getCatalogVersion(deps.db, agency.id, versionId)
      : ((await getDraftCatalog(deps.db, agency.id)) ?? (await getPublishedCatalog(deps.db, agency.id)));
    noStore(reply);
    return sendHtml(
      reply,
      overviewPage(pageContext(request), {
        agency,
        tree,
        versions,
        draft,
        published,
        canEdit: can(user, "catalog.edit", resource(agency)),
        canPublish: can(user, "catalog.publish", resource(agency)),
        notice,
        headerForm,
      }),
      headerForm ? 400 : 200,
    );
  }

  const NOTICES: Record<string, string> = {
    draft: "已新建草稿。",
    published: "目录已发布。",
    imported: "已导入为新的草稿版本，请检查后提交审签发布。",
    header: "已保存表头。",
    discarded: "已放弃草稿。",
    deleted: "已删除事项。",
  };

  app.get<{ Params: { slug: string }; Querystring: { done?: string } }>(
    "/admin/catalog/:slug",
    { config: { policy: "catalog.read" } },
    async (request, reply) =>
      renderOverview(request, reply, request.params.slug, undefined, NOTICES[request.query.done ?? ""]),
  );

  app.get<{ Params: { slug: string; versionId: string }; Querystring: { done?: string } }>(
    "/admin/catalog/:slug/versions/:versionId",
    { config: { policy: "catalog.read" } },
    async (request, reply) =>
      renderOverview(
        request,
        reply,
        request.params.slug,
        request.params.versionId,
        NOTICES[request.query.done ?? ""],
      ),
  );

  app.post<{ Params: { slug: string } }>(
    "/admin/catalog/:slug/draft",
    { config: { policy: "catalog.edit" } },
    async (request, reply) => {
      const { agency } = await agencyFor(request, reply, request.params.slug, "catalog.edit");
      const v = await openDraft(deps.db, {
        agencyId: agency.id,
        actor: actor(request),
        now: deps.clock.now(),
      });
      return reply.redirect(catalogPath(agency.slug, `/versions/${v.id}?done=draft`), 303);
    },
  );

  app.post<{ Params: { slug: string; versionId: string } }>(
    "/admin/catalog/:slug/versions/:versionId/discard",
    { config: { policy: "catalog.edit" } },
    async (request, reply) => {
      const { agency } = await agencyFor(request, reply, request.params.slug, "catalog.edit");
      await discardDraft(deps.db, {
        agencyId: agency.id,
        versionId: request.params.versionId,
        actor: actor(request),
      });
      return reply.redirect(catalogPath(agency.slug, "?done=discarded"), 303);
    },
  );

  app.post<{ Params: { slug: string; versionId: string } }>(
    "/admin/catalog/:slug/versions/:versionId/header",
    { config: { policy: "catalog.edit" } },
    async (request, reply) => {
      const { agency } = await agencyFor(request, reply, request.params.slug, "catalog.edit");
      const values: HeaderFormValues = {
        title: bodyString(request.body, "title", 200),
        compiledBy: bodyString(request.body, "compiledBy", 200),
        reviewedBy: bodyString(request.body, "reviewedBy", 200),
        signedBy: bodyString(request.body, "signedBy", 200),
        compiledAt: bodyString(request.body, "compiledAt", 50),
      };
      try {
        const { title, ...header } = values;
        await updateDraftHeader(deps.db, {
          agencyId: agency.id,
          versionId: request.params.versionId,
          title,
          header,
          today: deps.clock.today(),
          actor: actor(request),
        });
      } catch (e) {
        if (isAppError(e) && e.code === "validation_failed")
          return renderOverview(request, reply, agency.slug, request.params.versionId, undefined, {
            values,
            errors: fieldErrors(e),
          });
        throw e;
      }
      return reply.redirect(
        catalogPath(agency.slug, `/versions/${request.params.versionId}?done=header`),
        303,
      );
    },
  );

  // Items ----------------------------------------------------------------------------------------------------------

  async function itemContext(agencyId: string, itemId: string) {
    const draft = await getDraftCatalog(deps.db, agencyId);
    const item = draft ? findNode(draft, itemId) : null;
    // An item of a published version (or an unknown id) cannot be edited.
    if (!draft || !item)
      throw new AppError(
        (await itemExists(deps.db, agencyId, itemId))
          ? "catalog_version_not_draft"
          : "catalog_item_not_found",
      );
    return { draft, item };
  }

  app.get<{ Params: { slug: string; itemId: string } }>(
    "/admin/catalog/:slug/items/:itemId/edit",
    { config: { policy: "catalog.edit" } },
    async (request, reply) => {
      const { agency } = await agencyFor(request, reply, request.params.slug, "catalog.edit");
      const { draft, item } = await itemContext(agency.id, request.params.itemId);
      noStore(reply);
      return sendHtml(
        reply,
        itemFormPage(pageContext(request), {
          agency,
          version: draft.version,
          item,
          parent: null,
          values: inputFromItem(item),
          errors: {},
        }),
      );
    },
  );

  app.post<{ Params: { slug: string; itemId: string } }>(
    "/admin/catalog/:slug/items/:itemId/edit",
    { config: { policy: "catalog.edit" } },
    async (request, reply) => {
      const { agency } = await agencyFor(request, reply, request.params.slug, "catalog.edit");
      const { draft, item } = await itemContext(agency.id, request.params.itemId);
      const values = itemInput(request.body);
      try {
        const saved = await updateItem(deps.db, {
          agencyId: agency.id,
          itemId: item.id,
          fields: values,
          actor: actor(request),
        });
        return sendHtml(
          reply,
          itemFormPage(pageContext(request), {
            agency,
            version: draft.version,
            item: saved.item,
            parent: null,
            values: inputFromItem(saved.item),
            errors: {},
            saved: saved.reading,
          }),
        );
      } catch (e) {
        if (isAppError(e) && e.code === "validation_failed")
          return sendHtml(
            reply,
            itemFormPage(pageContext(request), {
              agency,
              version: draft.version,
              item,
              parent: null,
              values,
              errors: fieldErrors(e),
            }),
            400,
          );
        throw e;
      }
    },
  );

  app.post<{ Params: { slug: string; itemId: string } }>(
    "/admin/catalog/:slug/items/:itemId/delete",
    { config: { policy: "catalog.edit" } },
    async (request, reply) => {
      const { agency } = await agencyFor(request, reply, request.params.slug, "catalog.edit");
      const { draft, item } = await itemContext(agency.id, request.params.itemId);
      await deleteItem(deps.db, { agencyId: agency.id, itemId: item.id, actor: actor(request) });
      return reply.redirect(catalogPath(agency.slug, `/versions/${draft.version.id}?done=deleted`), 303);
    },
  );

  const emptyInput: ItemInput = {
    number: "",
    name: "",
    contentText: "",
    legalBasisText: "",
    deadlineText: "信息形成或者变更之日起20个工作日内",
    subject: "",
    channels: ["政府网站"],
    channelsOtherText: "",
    audience: "全社会",
    mode: "主动",
    form: "",
    adminLevel: "",
    responsibleText: "",
    remarks: "",
  };

  async function draftAndParent(agencyId: string, versionId: string, parentId: string | undefined) {
    const tree = await getCatalogVersion(deps.db, agencyId, versionId);
    if (tree.version.status !== "draft") throw new AppError("catalog_version_not_draft");
    const parent = parentId ? findNode(tree, parentId) : null;
    if (parentId && !parent) throw new AppError("catalog_item_not_found");
    return { tree, parent };
  }

  app.get<{ Params: { slug: string; versionId: string }; Querystring: { parent?: string } }>(
    "/admin/catalog/:slug/versions/:versionId/items/new",
    { config: { policy: "catalog.edit" } },
    async (request, reply) => {
      const { agency } = await agencyFor(request, reply, request.params.slug, "catalog.edit");
      const { tree, parent } = await draftAndParent(
        agency.id,
        request.params.versionId,
        request.query.parent,
      );
      noStore(reply);
      return sendHtml(
        reply,
        itemFormPage(pageContext(request), {
          agency,
          version: tree.version,
          item: null,
          parent,
          values: { ...emptyInput, subject: agency.name },
          errors: {},
        }),
      );
    },
  );

  app.post<{ Params: { slug: string; versionId: string }; Querystring: { parent?: string } }>(
    "/admin/catalog/:slug/versions/:versionId/items",
    { config: { policy: "catalog.edit" } },
    async (request, reply) => {
      const { agency } = await agencyFor(request, reply, request.params.slug, "catalog.edit");
      const { tree, parent } = await draftAndParent(
        agency.id,
        request.params.versionId,
        request.query.parent,
      );
      const values = itemInput(request.body);
      try {
        const saved = await addItem(deps.db, {
          agencyId: agency.id,
          versionId: tree.version.id,
          parentId: parent?.id ?? null,
          fields: values,
          actor: actor(request),
        });
        return sendHtml(
          reply,
          itemFormPage(pageContext(request), {
            agency,
            version: tree.version,
            item: saved.item,
            parent: null,
            values: inputFromItem(saved.item),
            errors: {},
            saved: saved.reading,
          }),
        );
      } catch (e) {
        if (isAppError(e) && e.code === "validation_failed")
          return sendHtml(
            reply,
            itemFormPage(pageContext(request), {
              agency,
              version: tree.version,
              item: null,
              parent,
              values,
              errors: fieldErrors(e),
            }),
            400,
          );
        throw e;
      }
    },
  );

  // Import: upload → preview → commit (catalog-import.routes.ts) ---------------------------------------------------

  // The staff API upload (its pages are in catalog-import.routes.ts).
  void app.register(async (scope) => {
    if (!scope.hasRequestDecorator("file"))
      await scope.register(multipart, {
        limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 10, parts: 12 },
      });

    async function readUpload(request: FastifyRequest): Promise<{ fileName: string; bytes: Buffer }> {
      if (!request.isMultipart())
        throw new AppError("unsupported_media_type", "请以 multipart/form-data 上传文件。");
      const part = await request.file({ limits: { fileSize: MAX_IMPORT_BYTES + 1 } });
      if (!part)
        throw new AppError("validation_failed", "请选择要导入的文件。", {
          fields: [{ field: "file", message: "请选择要导入的文件" }],
        });
      const bytes = await readStream(part.file, MAX_IMPORT_BYTES);
      if (part.file.truncated) throw new AppError("payload_too_large", "文件超过 20 MB 上限。");
      return { fileName: part.filename || "catalog", bytes };
    }

    scope.post<{ Params: { slug: string } }>(
      "/api/v1/agencies/:slug/catalog/imports",
      {
        config: {
          policy: "catalog.edit",
          errors: ["agency_not_found", ...UPLOAD_ERRORS],
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
          tags: [API_TAGS.catalogs],
          params: SlugParams,
          response: { 201: ImportPreview },
        },
      },
      async (request, reply) => {
        const { agency } = await agencyFor(request, reply, request.params.slug, "catalog.edit");
        const upload = await readUpload(request);
        const result = await previewImport(deps.db, {
          agencyId: agency.id,
          ...upload,
          actor: actor(request),
          now: deps.clock.now(),
          documents: deps.documents,
        });
        const { doc, ...preview } = result.preview;
        return reply.status(201).send({
          importId: result.importId,
          fileName: result.fileName,
          format: result.format,
          sha256: result.sha256,
          ...preview,
          items: doc.items,
        });
      },
    );
  });

  catalogImportRoutes(app, deps);

  // Compare, publish, lint, export -------------------------------------------------------------------------------

  app.get<{ Params: { slug: string }; Querystring: { from?: string; to?: string } }>(
    "/admin/catalog/:slug/compare",
    { config: { policy: "catalog.read" } },
    async (request, reply) => {
      const { agency } = await agencyFor(request, reply, request.params.slug, "catalog.read");
      const versions = await listCatalogVersions(deps.db, agency.id);
      const to = request.query.to || versions.find((v) => v.status === "draft")?.id || versions[0]?.id;
      if (!to) throw new AppError("catalog_not_found");
      const result = await diffVersions(deps.db, agency.id, request.query.from || null, to);
      noStore(reply);
      return sendHtml(reply, comparePage(pageContext(request), agency, { ...result, versions }));
    },
  );

  async function renderPublish(
    request: FastifyRequest,
    reply: FastifyReply,
    agency: Agency,
    versionId: string,
    reasons: Record<string, string>,
    message?: string,
    status = 200,
  ) {
    const result = await diffVersions(deps.db, agency.id, null, versionId);
    if (result.to.status !== "draft") throw new AppError("catalog_version_not_draft");
    const { findings } = await lintCatalogVersion(deps.db, {
      agencyId: agency.id,
      agencyName: agency.name,
      agencyShortName: agency.shortName,
      versionId,
    });
    const errors: Record<string, string> = {};
    if (message)
      for (const c of result.diff.needsReason)
        if (!(reasons[c.stableKey] ?? "").trim()) errors[`reason:${c.stableKey}`] = "请说明删除或弱化的理由";
    noStore(reply);
    return sendHtml(
      reply,
      publishPage(pageContext(request), agency, {
        version: result.to,
        published: result.from,
        diff: result.diff,
        reasons: { ...result.to.changeReasons, ...reasons },
        errors,
        message,
        findings,
      }),
      status,
    );
  }

  app.get<{ Params: { slug: string; versionId: string } }>(
    "/admin/catalog/:slug/versions/:versionId/publish",
    { config: { policy: "catalog.publish" } },
    async (request, reply) => {
      const { agency } = await agencyFor(request, reply, request.params.slug, "catalog.publish");
      return renderPublish(request, reply, agency, request.params.versionId, {});
    },
  );

  app.post<{ Params: { slug: string; versionId: string } }>(
    "/admin/catalog/:slug/versions/:versionId/publish",
    { config: { policy: "catalog.publish" } },
    async (request, reply) => {
      const { agency } = await agencyFor(request, reply, request.params.slug, "catalog.publish");
      const reasons = reasonsFrom(request.body);
      try {
        await publishVersion(deps, {
          agencyId: agency.id,
          versionId: request.params.versionId,
          actor: actor(request),
          now: deps.clock.now(),
          reasons,
        });
        return reply.redirect(catalogPath(agency.slug, "?done=published"), 303);
      } catch (e) {
        if (isAppError(e) && e.code === "catalog_reason_required")
          return renderPublish(request, reply, agency, request.params.versionId, reasons, e.message, 409);
        throw e;
      }
    },
  );

  app.get<{ Params: { slug: string }; Querystring: { version?: string } }>(
    "/admin/catalog/:slug/lint",
    { config: { policy: "catalog.read" } },
    async (request, reply) => {
      const { agency } = await agencyFor(request, reply, request.params.slug, "catalog.read");
      const { version, findings } = await lintCatalogVersion(deps.db, {
        agencyId: agency.id,
        agencyName: agency.name,
        agencyShortName: agency.shortName,
        versionId: request.query.version || undefined,
      });
      const tree = await getCatalogVersion(deps.db, agency.id, version.id);
      noStore(reply);
      return sendHtml(reply, lintPage(pageContext(request), agency, { tree, findings }));
    },
  );

  app.get<{ Params: { slug: string }; Querystring: { format?: string; version?: string } }>(
    "/admin/catalog/:slug/export",
    { config: { policy: "catalog.read" } },
    async (request, reply) => {
      const { agency } = await agencyFor(request, reply, request.params.slug, "catalog.read");
      const format = request.query.format ?? "xlsx";
      if (!isExportFormat(format))
        throw new AppError("bad_request", "format 只能是 xlsx、docx、csv 或 json。");
      const file = await exportCatalog(deps.db, {
        agencyId: agency.id,
        agencySlug: agency.slug,
        agencyName: agency.name,
        format,
        versionId: request.query.version || undefined,
      });
      noStore(reply);
      reply.header("content-disposition", contentDisposition(file.fileName));
      return reply.type(file.contentType).send(file.body);
    },
  );

  // Staff API ------------------------------------------------------------------------------------------------------

  app.get<{ Params: { slug: string } }>(
    "/api/v1/agencies/:slug/catalog/versions",
    {
      config: { policy: "catalog.read", errors: ["agency_not_found"] },
      schema: {
        operationId: "listCatalogVersions",
        summary: "列出目录的全部版本（草稿、现行、已替代）",
        tags: [API_TAGS.catalogs],
        params: SlugParams,
        response: { 200: Type.Object({ versions: Type.Array(VersionInfo) }) },
      },
    },
    async (request, reply) => {
      const { agency } = await agencyFor(request, reply, request.params.slug, "catalog.read");
      return { versions: await listCatalogVersions(deps.db, agency.id) };
    },
  );

  app.get<{ Params: { slug: string }; Querystring: { version?: string } }>(
    "/api/v1/agencies/:slug/catalog/lint",
    {
      config: {
        policy: "catalog.read",
        errors: ["agency_not_found", "catalog_not_found", "catalog_version_not_found"],
      },
      schema: {
        operationId: "lintCatalog",
        summary: "按条例检查目录版本（默认现行版本）：缺少的事项、时限、渠道等",
        tags: [API_TAGS.catalogs],
        params: SlugParams,
        querystring: Type.Object({
          version: Type.Optional(Type.String({ maxLength: 100, description: "版本 id（默认现行版本）" })),
        }),
        response: { 200: LintResponse },
      },
    },
    async (request, reply) => {
      const { agency } = await agencyFor(request, reply, request.params.slug, "catalog.read");
      const { version, findings } = await lintCatalogVersion(deps.db, {
        agencyId: agency.id,
        agencyName: agency.name,
        agencyShortName: agency.shortName,
        versionId: request.query.version || undefined,
      });
      return { version: { id: version.id, versionNo: version.versionNo, status: version.status }, findings };
    },
  );

  app.post<{ Params: { slug: string; importId: string }; Body: { replaceDraft?: boolean } }>(
    "/api/v1/agencies/:slug/catalog/imports/:importId/commit",
    {
      config: {
        policy: "catalog.edit",
        errors: ["agency_not_found", "catalog_import_not_found", "catalog_draft_exists"],
        openapi: {
          body: Type.Object({
            replaceDraft: Type.Optional(Type.Boolean({ description: "替换已有的草稿版本" })),
          }),
        },
      },
      schema: {
        operationId: "commitCatalogImport",
        summary: "把导入预览保存为目录的草稿版本",
        tags: [API_TAGS.catalogs],
        params: Type.Object({
          slug: Type.String({ maxLength: 100, description: "机关标识（slug）" }),
          importId: Type.String({ maxLength: 100, description: "导入预览 id" }),
        }),
        response: { 201: Type.Object({ version: VersionInfo }) },
      },
    },
    async (request, reply) => {
      const { agency } = await agencyFor(request, reply, request.params.slug, "catalog.edit");
      const replaceDraft = (request.body as { replaceDraft?: unknown } | undefined)?.replaceDraft === true;
      const version = await commitImport(deps.db, {
        agencyId: agency.id,
        importId: request.params.importId,
        actor: actor(request),
        now: deps.clock.now(),
        replaceDraft,
      });
      return reply.status(201).send({ version });
    },
  );

  app.post<{ Params: { slug: string; versionId: string }; Body: { reasons?: Record<string, string> } }>(
    "/api/v1/agencies/:slug/catalog/versions/:versionId/publish",
    {
      config: {
        policy: "catalog.publish",
        errors: [
          "agency_not_found",
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
        tags: [API_TAGS.catalogs],
        params: Type.Object({
          slug: Type.String({ maxLength: 100, description: "机关标识（slug）" }),
          versionId: Type.String({ maxLength: 100, description: "版本 id" }),
        }),
        response: { 200: PublishResponse },
      },
    },
    async (request, reply) => {
      const { agency } = await agencyFor(request, reply, request.params.slug, "catalog.publish");
      const raw = (request.body as { reasons?: unknown } | undefined)?.reasons;
      const reasons: Record<string, string> = {};
      if (raw && typeof raw === "object")
        for (const [k, v] of Object.entries(raw)) if (typeof v === "string") reasons[k] = v.slice(0, 2000);
      const result = await publishVersion(deps, {
        agencyId: agency.id,
        versionId: request.params.versionId,
        actor: actor(request),
        now: deps.clock.now(),
        reasons,
      });
      return {
        version: result.version,
        diff: { added: result.diff.added, removed: result.diff.removed, changed: result.diff.changed },
      };
    },
  );
}
