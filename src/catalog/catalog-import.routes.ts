/**
 * @module The catalog import routes (issue #15) on `staffRoute`, the agency in the path:
 *   GET  /admin/agencies/:agency/catalog/import                    upload form
 *   POST /admin/agencies/:agency/catalog/import                    upload (multipart) → stored preview
 *   GET  /admin/agencies/:agency/catalog/import/:importId          the preview a clerk can trust
 *   POST /admin/agencies/:agency/catalog/import/:importId/commit   save as a new draft version
 *   POST /admin/agencies/:agency/catalog/import/:importId/discard  drop it (and departments it created)
 * (The staff API upload, POST /api/v1/agencies/:slug/catalog/imports, stays in catalog.routes.ts with its OpenAPI schema.)
 * Old URLs (/admin/catalog/:slug/import…) answer 301 (GET) / 308 (POST) to the new ones — for staff who may act in
 * that agency and, for a preview, only when the preview is that agency's (others get 404, as on the new URL).
 */
import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Action } from "../accounts/policy.ts";
import { type Agency, getAgencyBySlug } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { AppError, isAppError } from "../errors.ts";
import { requireStaff } from "../http/auth-guard.ts";
import { pageContext, sendHtml } from "../http/context.ts";
import { bodyString } from "../http/forms.ts";
import { agenciesFor, legacyRedirect, type StaffContext, staffRoute } from "../http/staff-route.ts";
import { readStream } from "../http/uploads.ts";
import { isUuid } from "../shared/ids.ts";
import { findImportRow } from "./catalog.repository.ts";
import { catalogPath } from "./catalog.views.ts";
import { importPath } from "./catalog-import.paths.ts";
import { MAX_IMPORT_BYTES } from "./catalog-import.readers.ts";
import { commitImport, discardImport, getImportPreview, previewImport } from "./catalog-import.service.ts";
import { importFormPage, importPreviewPage } from "./catalog-import.views.ts";
import { listCatalogVersions } from "./catalog-tree.service.ts";

const POLICY: Action = "catalog.edit";

/** Errors of an uploaded file that the form shows above the upload field (the clerk picks another file). */
function isFileError(e: unknown): e is AppError {
  return (
    isAppError(e) &&
    (e.code.startsWith("catalog_import_") ||
      e.code.startsWith("document_") ||
      e.code === "payload_too_large" ||
      e.code === "validation_failed")
  );
}

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

export function catalogImportRoutes(app: FastifyInstance, deps: Deps): void {
  const actor = (c: StaffContext) => ({ id: c.actor.id, name: c.actor.name, ip: c.actor.ip });

  async function previewPage(c: StaffContext, error?: string) {
    const p = await getImportPreview(deps.db, c.agency.id, c.params.importId ?? "");
    const hasDraft = (await listCatalogVersions(deps.db, c.agency.id)).some((v) => v.status === "draft");
    return importPreviewPage(pageContext(c.request), c.agency, { ...p, hasDraft, error });
  }

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/catalog/import",
    policy: POLICY,
    handle: (c) => importFormPage(pageContext(c.request), c.agency),
  });

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/catalog/import/:importId",
    policy: POLICY,
    handle: (c) => previewPage(c),
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/catalog/import/:importId/commit",
    policy: POLICY,
    handle: async (c) => {
      try {
        const v = await commitImport(deps.db, {
          agencyId: c.agency.id,
          importId: c.params.importId ?? "",
          actor: actor(c),
          now: deps.clock.now(),
          replaceDraft: bodyString(c.body, "replaceDraft") === "1",
        });
        return { redirect: catalogPath(c.agency.slug, `/versions/${v.id}?done=imported`) };
      } catch (e) {
        if (!isAppError(e) || e.code !== "catalog_draft_exists") throw e;
        c.reply.header("cache-control", "private, no-store");
        return sendHtml(c.reply, await previewPage(c, e.message), 409);
      }
    },
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/catalog/import/:importId/discard",
    policy: POLICY,
    handle: async (c) => {
      await discardImport(deps.db, { agencyId: c.agency.id, importId: c.params.importId ?? "" });
      return { redirect: catalogPath(c.agency.slug) };
    },
  });

  // Uploads: multipart in its own scope with the upload limit.
  void app.register(async (scope) => {
    if (!scope.hasRequestDecorator("file"))
      await scope.register(multipart, {
        limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 10, parts: 12 },
      });

    staffRoute(scope, deps, {
      method: "POST",
      url: "/admin/agencies/:agency/catalog/import",
      policy: POLICY,
      handle: async (c) => {
        try {
          const upload = await readUpload(c.request);
          const result = await previewImport(deps.db, {
            agencyId: c.agency.id,
            ...upload,
            actor: actor(c),
            now: deps.clock.now(),
            documents: deps.documents,
          });
          return { redirect: importPath(c.agency.slug, `/${result.importId}`) };
        } catch (e) {
          if (!isFileError(e)) throw e;
          const page = importFormPage(
            pageContext(c.request),
            c.agency,
            `${e.message}（错误代码：${e.code}）`,
          );
          return sendHtml(c.reply, page, e.status);
        }
      },
    });

    legacy(scope, "POST", "/admin/catalog/:slug/import");
  });

  legacy(app, "GET", "/admin/catalog/:slug/import");
  legacy(app, "GET", "/admin/catalog/:slug/import/:importId");
  legacy(app, "POST", "/admin/catalog/:slug/import/:importId/commit");
  legacy(app, "POST", "/admin/catalog/:slug/import/:importId/discard");

  /**
   * An old URL → the same page under the agency. Only for staff who may import in the agency the URL names, and a
   * preview only when it is that agency's: anything else is the 404 the new URL would give.
   */
  function legacy(scope: FastifyInstance, method: "GET" | "POST", url: string): void {
    legacyRedirect(scope, {
      method,
      url,
      policy: POLICY,
      to: async (request, reply) => {
        const params = request.params as { slug: string; importId?: string };
        const user = requireStaff(request, reply);
        const agency: Agency = await getAgencyBySlug(deps.db, params.slug);
        if (!(await agenciesFor(deps, user, POLICY)).some((a) => a.id === agency.id))
          throw new AppError("not_found");
        if (params.importId !== undefined) {
          const row = isUuid(params.importId)
            ? await findImportRow(deps.db, agency.id, params.importId)
            : undefined;
          if (!row) throw new AppError("catalog_import_not_found");
        }
        const step = url.match(/\/(commit|discard)$/)?.[0] ?? "";
        return importPath(agency.slug, params.importId !== undefined ? `/${params.importId}${step}` : "");
      },
    });
  }
}
