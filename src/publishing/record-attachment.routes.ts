/**
 * @module Attachments of a record: upload (multipart, checked before the file is read), delete and the staff
 * download under /admin/agencies/:agency/records/:id/attachments…, and the public download of a published
 * record's attachment (/agencies/:slug/records/:id/files/:aid). Registered by recordRoutes (record.routes.ts),
 * which passes the record page helpers a refused upload re-renders with.
 */
import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyReply } from "fastify";
import { can } from "../accounts/policy.ts";
import type { Deps } from "../deps.ts";
import { AppError, type FieldError, validationError } from "../errors.ts";
import { type StaffContext, staffRoute } from "../http/staff-route.ts";
import type { SafeHtml } from "../shared/html.ts";
import { isUuid } from "../shared/ids.ts";
import { extensionOf } from "./attachment.rules.ts";
import { publicAttachmentPath } from "./record.paths.ts";
import { addAttachment, removeAttachment } from "./record-attachment.service.ts";
import { agencyRefs, getAttachmentFile, getPublishedAttachment } from "./record-query.service.ts";

type Ctx = StaffContext<unknown, unknown>;
/** Images a body may show (by name here; storeUpload then requires the content to match the name). */
const IMAGE_EXTENSIONS = new Set(["png", "jpg", "jpeg", "gif"]);
type Loaded = { agencyId: string; departmentId: string | null };

/** What record.routes.ts shares with the attachment routes. */
export interface RecordPageHelpers {
  /** The record page again, with field errors and a message (a refused upload). */
  renderDetail: (c: Ctx, extra: { errors?: FieldError[]; error?: string | undefined }) => Promise<SafeHtml>;
  /** Loads the record within the path's agency (another agency's record → 404). */
  inAgency: (c: StaffContext) => Promise<Loaded>;
  /** The same, for writes: a department-scoped editor only reaches their own department's records. */
  inDepartment: (c: StaffContext) => Promise<Loaded>;
  /** The record page URL with ?done=what. */
  done: (c: Ctx, what: string) => string;
}

function attachmentHeaders(
  reply: FastifyReply,
  a: { file_name: string; mime_type: string; sha256: string },
  inline: boolean,
) {
  reply
    .type(a.mime_type)
    .header(
      "content-disposition",
      `${inline ? "inline" : "attachment"}; filename="${a.file_name.replace(/[^\x20-\x7e]|"/g, "_")}"; filename*=UTF-8''${encodeURIComponent(a.file_name)}`,
    )
    .header("x-content-type-options", "nosniff")
    .header("etag", `"${a.sha256}"`);
}

export async function recordAttachmentRoutes(
  app: FastifyInstance,
  deps: Deps,
  { renderDetail, inAgency, inDepartment, done }: RecordPageHelpers,
): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize: deps.config.maxUploadBytes, files: 1, fields: 10, fieldSize: 10_000 },
    });
    // The agency and the record are checked before the upload is read (staffRoute's preValidation and load).
    staffRoute(scope, deps, {
      method: "POST",
      url: "/admin/agencies/:agency/records/:id/attachments",
      policy: "record.draft",
      load: inDepartment,
      handle: async (c) => {
        const file = await c.request.file();
        if (!file) throw validationError([{ field: "file", message: "请选择文件" }]);
        const data = await file.toBuffer();
        await addAttachment(deps, c.actor, c.agency.id, c.params.id as string, {
          fileName: file.filename,
          data,
        });
      },
      redirect: (c) => done(c, "attach"),
      form: (c, failure) =>
        renderDetail(c, {
          errors: failure.errors.length ? failure.errors : [{ field: "file", message: failure.message }],
          error: failure.message,
        }),
      formErrors: (code) =>
        ["upload_rejected", "payload_too_large", "record_invalid_transition"].includes(code) ||
        code.startsWith("document_"),
    });
    // An image for the body (pasted from Word/WPS, or 插入图片 in the editor): stored as an attachment through the
    // same checks (type by content, size), answered with its platform URL, the only image source bodies keep
    // (record-html.ts). The editor sends the CSRF token as the x-csrf-token header and asks for JSON.
    staffRoute(scope, deps, {
      method: "POST",
      url: "/admin/agencies/:agency/records/:id/images",
      policy: "record.draft",
      load: inDepartment,
      handle: async (c) => {
        const file = await c.request.file();
        if (!file) throw validationError([{ field: "file", message: "请选择图片" }]);
        if (!IMAGE_EXTENSIONS.has(extensionOf(file.filename)))
          throw new AppError("upload_rejected", "正文中只能插入 PNG、JPG 或 GIF 图片。");
        const data = await file.toBuffer();
        const row = await addAttachment(deps, c.actor, c.agency.id, c.params.id as string, {
          fileName: file.filename,
          data,
        });
        return {
          url: publicAttachmentPath(c.agency.slug, c.params.id as string, row.id),
          attachmentId: row.id,
          fileName: row.file_name,
        };
      },
    });
  });

  const attachmentId = (c: StaffContext<unknown, unknown>) => {
    const aid = c.params.aid ?? "";
    if (!isUuid(aid)) throw new AppError("attachment_not_found");
    return aid;
  };

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/records/:id/attachments/:aid/delete",
    policy: "record.draft",
    load: inDepartment,
    handle: (c) => removeAttachment(deps, c.actor, c.agency.id, c.params.id as string, attachmentId(c)),
    redirect: (c) => done(c, "detach"),
  });

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/records/:id/attachments/:aid",
    policy: "record.read",
    load: inAgency,
    handle: async (c) => {
      const { attachment, data } = await getAttachmentFile(
        deps,
        c.agency.id,
        c.params.id as string,
        attachmentId(c),
      );
      attachmentHeaders(c.reply, attachment, false);
      c.reply.header("cache-control", "private, no-store");
      return c.reply.send(data);
    },
  });

  app.get<{ Params: { slug: string; id: string; aid: string } }>(
    "/agencies/:slug/records/:id/files/:aid",
    { config: { policy: "public" } },
    async (request, reply) => {
      const { slug, id, aid } = request.params;
      if (!isUuid(id) || !isUuid(aid)) throw new AppError("attachment_not_found");
      const agency = (await agencyRefs(deps.db)).find((a) => a.slug === slug);
      if (!agency) throw new AppError("attachment_not_found");
      const staff = request.staff;
      // Staff who may read the agency's records also see a draft's files here: body images keep their public URL
      // from the editor to the portal (never cached: the file may not be public yet).
      const preview = staff !== undefined && can(staff, "record.read", { agencyId: agency.id });
      const published = await getPublishedAttachment(deps, agency.id, id, aid).catch((e: unknown) => {
        if (preview && e instanceof AppError && e.code === "attachment_not_found") return null;
        throw e;
      });
      const { attachment, data } = published ?? (await getAttachmentFile(deps, agency.id, id, aid));
      if (published && request.headers["if-none-match"] === `"${attachment.sha256}"`)
        return reply.status(304).send();
      const inline = ["pdf", "png", "jpg", "gif"].includes(attachment.file_type);
      attachmentHeaders(reply, attachment, inline);
      reply.header("cache-control", published ? "public, max-age=3600" : "private, no-store");
      return reply.send(data);
    },
  );
}
