/**
 * @module The catalog import routes (issue #15) on `staffRoute`, the agency in the path:
 *   GET  /admin/agencies/:agency/catalog/import                    upload form
 *   POST /admin/agencies/:agency/catalog/import                    upload (multipart) → stored preview
 *   GET  /admin/agencies/:agency/catalog/import/:importId          the preview a clerk can trust
 *   POST /admin/agencies/:agency/catalog/import/:importId/commit   save as a new draft version
 *   POST /admin/agencies/:agency/catalog/import/:importId/discard  drop it (and departments it created)
 * `withUploads` and `previewUpload` serve the staff API upload too (catalog-api.routes.ts); the old
 * /admin/catalog/:slug/import… URLs redirect (catalog-legacy.routes.ts).
 */
import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Action } from "../accounts/policy.ts";
import type { Deps } from "../deps.ts";
import { AppError, isAppError } from "../errors.ts";
import { pageContext, sendHtml } from "../http/context.ts";
import { bodyString } from "../http/forms.ts";
import { type StaffContext, staffRoute } from "../http/staff-route.ts";
import { readStream } from "../http/uploads.ts";
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

/** The uploaded catalog file of a multipart request (one file, at most MAX_IMPORT_BYTES). */
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

/** Parses the file uploaded to a staff route into a stored import preview of the route's agency. */
export async function previewUpload(deps: Deps, c: Pick<StaffContext, "request" | "agency" | "actor">) {
  const upload = await readUpload(c.request);
  return previewImport(deps.db, {
    agencyId: c.agency.id,
    ...upload,
    actor: c.actor,
    now: deps.clock.now(),
    documents: deps.documents,
  });
}

/** Registers routes that receive a catalog file: multipart in their own scope, with the upload limit. */
export function withUploads(app: FastifyInstance, register: (scope: FastifyInstance) => void): void {
  void app.register(async (scope) => {
    if (!scope.hasRequestDecorator("file"))
      await scope.register(multipart, {
        limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 10, parts: 12 },
      });
    register(scope);
  });
}

export function catalogImportRoutes(app: FastifyInstance, deps: Deps): void {
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
        const v = await commitImport(deps, {
          agencyId: c.agency.id,
          importId: c.params.importId ?? "",
          actor: c.actor,
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

  withUploads(app, (scope) =>
    staffRoute(scope, deps, {
      method: "POST",
      url: "/admin/agencies/:agency/catalog/import",
      policy: POLICY,
      handle: async (c) => {
        try {
          const result = await previewUpload(deps, c);
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
    }),
  );
}
