/**
 * @module Staff routes of application files: the handler attaches the disclosed information to the reply
 * (multipart, CSRF token in the form field), removes a file before archiving, and downloads any file of the
 * application (补正 attachments may carry personal data: request.read_personal).
 */
import type { FastifyInstance } from "fastify";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { multipartFiles, registerMultipartBody } from "../http/multipart-body.ts";
import { staffRoute } from "../http/staff-route.ts";
import { requestsBase } from "./info-request.admin.views.ts";
import { findInfoRequest } from "./info-request.repository.ts";
import { attachDisclosedFiles, readRequestFile, removeDisclosedFile } from "./request-files.service.ts";

/** Files per upload of disclosed information. */
const MAX_DISCLOSED_FILES = 20;

export function requestFilesAdminRoutes(app: FastifyInstance, deps: Deps): void {
  const load = async (c: { agency: { id: string }; params: Record<string, string> }) => {
    const row = await findInfoRequest(deps.db, c.agency.id, c.params.id ?? "");
    if (!row) throw new AppError("info_request_not_found");
    return { agencyId: row.agency_id };
  };
  const detail = (c: { agency: { slug: string }; params: Record<string, string> }) =>
    `${requestsBase(c.agency)}/${c.params.id}?done=files#online`;

  void app.register(async (scope) => {
    registerMultipartBody(scope, { maxFileBytes: deps.config.maxUploadBytes, maxFiles: MAX_DISCLOSED_FILES });
    staffRoute(scope, deps, {
      method: "POST",
      url: "/admin/agencies/:agency/requests/:id/files",
      policy: "request.handle",
      options: { config: { csrfFieldOnly: true } },
      load,
      handle: (c) =>
        attachDisclosedFiles(
          deps,
          c.agency,
          c.params.id as string,
          c.actor,
          multipartFiles(c.body).map((f) => ({ fileName: f.fileName, data: f.data })),
        ),
      redirect: detail,
    });
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/requests/:id/files/:fileId/delete",
    policy: "request.handle",
    load,
    handle: (c) =>
      removeDisclosedFile(deps, c.agency, c.params.id as string, c.params.fileId as string, c.actor),
    redirect: detail,
  });

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/requests/:id/files/:fileId",
    policy: "request.read_personal",
    load,
    handle: async (c) => {
      const { file, data } = await readRequestFile(
        deps,
        c.agency.id,
        c.params.id as string,
        c.params.fileId as string,
      );
      c.reply.header("cache-control", "private, no-store");
      c.reply.header("x-content-type-options", "nosniff");
      c.reply.header(
        "content-disposition",
        `attachment; filename="file"; filename*=UTF-8''${encodeURIComponent(file.file_name)}`,
      );
      return c.reply.type(file.mime_type).send(data);
    },
  });
}
