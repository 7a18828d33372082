/**
 * @module Routes of the applicant's secure page (public, guarded): the access form and 查询码 look-up, one-time
 * links, and under /apply/applications/:id the page, the online 补正 (multipart, CSRF token in the form field), the
 * notices and the files. The session cookie is scoped to the application's path (`Path=/apply/applications/<id>`,
 * HttpOnly, SameSite=Strict); any failure to open or use a session is the same generic answer (404 with the access
 * form). Every route is rate-limited per address; look-ups are also limited per application (service).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Deps } from "../deps.ts";
import { AppError, isAppError } from "../errors.ts";
import { pageContext, sendHtml } from "../http/context.ts";
import { bodyString, fieldErrors } from "../http/forms.ts";
import { multipartFiles, registerMultipartBody } from "../http/multipart-body.ts";
import { accessPage, applicantPageView, applicantPath, linkConfirmPage } from "./applicant.views.ts";
import {
  type ApplicantContext,
  type ApplicantSession,
  applicantContext,
  endApplicantSession,
  openWithCode,
  openWithLink,
  requestLink,
} from "./applicant-access.service.ts";
import {
  applicantFile,
  applicantNotice,
  applicantPage,
  submitOnlineCorrection,
} from "./applicant-page.service.ts";
import { renderNoticeDocx } from "./notices.docx.ts";
import { noticePrintPage, parseNoticeFile } from "./notices.views.ts";
import { normalizeQueryCode } from "./personal-data.ts";
import { MAX_CORRECTION_FILES } from "./request-files.service.ts";

export const APPLICANT_COOKIE = "gk_applicant";
/** Look-ups and link requests: 10 per minute per address. */
export const ACCESS_RATE_LIMIT = { max: 10, timeWindow: "1 minute" };
/** Page views and downloads within a session. */
export const APPLICANT_READ_RATE_LIMIT = { max: 120, timeWindow: "1 minute" };
/** Writes within a session (补正, sign-out). */
export const APPLICANT_WRITE_RATE_LIMIT = { max: 10, timeWindow: "1 minute" };

type IdParams = { Params: { id: string } };

export function applicantRoutes(app: FastifyInstance, deps: Deps): void {
  const noStore = (reply: FastifyReply) => {
    reply.header("cache-control", "no-store");
    reply.header("referrer-policy", "no-referrer");
  };

  function startSession(reply: FastifyReply, s: ApplicantSession) {
    reply.setCookie(APPLICANT_COOKIE, s.token, {
      path: applicantPath(s.requestId),
      httpOnly: true,
      sameSite: "strict",
      secure: deps.config.cookieSecure,
    });
    return reply.redirect(applicantPath(s.requestId), 303);
  }

  const denied = (
    request: FastifyRequest,
    reply: FastifyReply,
    error = new AppError("applicant_access_denied"),
  ) => sendHtml(reply, accessPage(pageContext(request), { error: error.message }), 404);

  /** Runs `handle` with the application the session cookie opens, or answers the generic access form. */
  async function guarded(
    request: FastifyRequest<IdParams>,
    reply: FastifyReply,
    handle: (c: ApplicantContext) => Promise<unknown>,
  ) {
    noStore(reply);
    let c: ApplicantContext;
    try {
      c = await applicantContext(
        deps,
        request.cookies?.[APPLICANT_COOKIE],
        request.params.id,
        request.ip ?? null,
      );
    } catch (e) {
      if (isAppError(e) && e.code === "applicant_access_denied") return denied(request, reply, e);
      throw e;
    }
    return handle(c);
  }

  app.get("/apply/status", { config: { policy: "public" } }, async (request, reply) => {
    noStore(reply);
    return sendHtml(reply, accessPage(pageContext(request), {}));
  });

  app.post(
    "/apply/status",
    { config: { policy: "public", rateLimit: ACCESS_RATE_LIMIT } },
    async (request, reply) => {
      noStore(reply);
      const code = bodyString(request.body, "code", 30);
      const last4 = bodyString(request.body, "last4", 10);
      // What was typed cannot be a code or four digits: say which (nothing about whether a code exists).
      const malformed =
        code === ""
          ? "请填写查询码。"
          : normalizeQueryCode(code) === null
            ? "查询码应为12位字母和数字（如 K7M2-9QXP-4RTA），请核对申请回执上的查询码。"
            : !/^\d{4}$/.test(last4.normalize("NFKC"))
              ? "请填写申请时所留联系电话的后四位数字。"
              : null;
      if (malformed)
        return sendHtml(reply, accessPage(pageContext(request), { error: malformed, code }), 400);
      try {
        const session = await openWithCode(deps, { code, last4, ip: request.ip ?? null });
        return startSession(reply, session);
      } catch (e) {
        if (isAppError(e) && e.code === "info_request_lookup_failed")
          return sendHtml(reply, accessPage(pageContext(request), { error: e.message, code }), 404);
        throw e;
      }
    },
  );

  app.post(
    "/apply/link",
    { config: { policy: "public", rateLimit: ACCESS_RATE_LIMIT } },
    async (request, reply) => {
      noStore(reply);
      await requestLink(deps, { code: bodyString(request.body, "code", 30), ip: request.ip ?? null });
      // The same answer whether the code exists, has an e-mail address or hit the hourly cap (no enumeration).
      return sendHtml(
        reply,
        accessPage(pageContext(request), {
          info: "如果该查询码对应的申请留有电子邮箱（或手机号码），一次性链接已经发出，30分钟内有效。没有收到时，请用查询码和联系电话后四位查询。",
        }),
      );
    },
  );

  app.get<{ Params: { token: string } }>(
    "/apply/link/:token",
    { config: { policy: "public", rateLimit: ACCESS_RATE_LIMIT } },
    async (request, reply) => {
      noStore(reply);
      const token = /^[A-Za-z0-9_.-]{1,100}$/.test(request.params.token) ? request.params.token : "";
      return sendHtml(reply, linkConfirmPage(pageContext(request), { token }));
    },
  );

  app.post<{ Params: { token: string } }>(
    "/apply/link/:token",
    { config: { policy: "public", rateLimit: ACCESS_RATE_LIMIT } },
    async (request, reply) => {
      noStore(reply);
      try {
        return startSession(
          reply,
          await openWithLink(deps, { token: request.params.token, ip: request.ip ?? null }),
        );
      } catch (e) {
        if (isAppError(e) && e.code === "applicant_access_denied") return denied(request, reply, e);
        throw e;
      }
    },
  );

  app.get<IdParams & { Querystring: { done?: string } }>(
    "/apply/applications/:id",
    { config: { policy: "public", rateLimit: APPLICANT_READ_RATE_LIMIT } },
    (request, reply) =>
      guarded(request, reply, async (c) =>
        sendHtml(
          reply,
          applicantPageView(pageContext(request), {
            agency: c.agency,
            page: await applicantPage(deps, c),
            ...(request.query.done === "correction" ? { done: "correction" } : {}),
          }),
        ),
      ),
  );

  app.get<{ Params: { id: string; file: string } }>(
    "/apply/applications/:id/notices/:file",
    { config: { policy: "public", rateLimit: APPLICANT_READ_RATE_LIMIT } },
    (request, reply) =>
      guarded(request, reply, async (c) => {
        const file = parseNoticeFile(request.params.file);
        if (!file) throw new AppError("not_found");
        const rendered = await applicantNotice(deps, c, file.noticeId);
        const base = applicantPath(c.row.id);
        if (file.format === "html")
          return sendHtml(
            reply,
            noticePrintPage(rendered.document, { back: base, docx: `${base}/notices/${file.noticeId}.docx` }),
          );
        const fileName = `${rendered.requestNumber}-${rendered.notice.title}.docx`;
        reply.header(
          "content-disposition",
          `attachment; filename="notice-${rendered.requestNumber}.docx"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
        );
        return reply
          .type("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
          .send(await renderNoticeDocx(rendered.document));
      }),
  );

  app.get<{ Params: { id: string; fileId: string } }>(
    "/apply/applications/:id/files/:fileId",
    { config: { policy: "public", rateLimit: APPLICANT_READ_RATE_LIMIT } },
    (request, reply) =>
      guarded(request, reply, async (c) => {
        const { file, data } = await applicantFile(deps, c, request.params.fileId);
        reply.header(
          "content-disposition",
          `attachment; filename="file"; filename*=UTF-8''${encodeURIComponent(file.file_name)}`,
        );
        reply.header("x-content-type-options", "nosniff");
        return reply.type(file.mime_type).send(data);
      }),
  );

  app.post<IdParams>(
    "/apply/applications/:id/logout",
    { config: { policy: "public", rateLimit: APPLICANT_WRITE_RATE_LIMIT } },
    (request, reply) =>
      guarded(request, reply, async (c) => {
        await endApplicantSession(deps, c);
        reply.clearCookie(APPLICANT_COOKIE, { path: applicantPath(c.row.id) });
        return reply.redirect("/apply/status", 303);
      }),
  );

  // The online 补正: multipart parsed as a body (files and fields, CSRF token in `_csrf`), in its own scope.
  void app.register(async (scope) => {
    registerMultipartBody(scope, {
      maxFileBytes: deps.config.maxUploadBytes,
      maxFiles: MAX_CORRECTION_FILES,
    });
    scope.post<IdParams>(
      "/apply/applications/:id/correction",
      { config: { policy: "public", rateLimit: APPLICANT_WRITE_RATE_LIMIT, csrfFieldOnly: true } },
      (request, reply) =>
        guarded(request, reply, async (c) => {
          // CRLF counts as one, as the textarea's maxlength counts it; read past the limit (refused, not cut).
          const text = bodyString(request.body, "text", 20_000).replace(/\r\n?/g, "\n");
          try {
            await submitOnlineCorrection(deps, c, {
              text,
              files: multipartFiles(request.body).map((f) => ({ fileName: f.fileName, data: f.data })),
            });
            return reply.redirect(`${applicantPath(c.row.id)}?done=correction`, 303);
          } catch (e) {
            if (
              isAppError(e) &&
              (e.status === 400 ||
                e.status === 409 ||
                e.status === 413 ||
                e.status === 415 ||
                e.status === 422)
            ) {
              const errors = fieldErrors(e);
              if (!Object.keys(errors).length && e.status !== 409) errors.files = e.message;
              return sendHtml(
                reply,
                applicantPageView(pageContext(request), {
                  agency: c.agency,
                  page: await applicantPage(deps, c),
                  errors,
                  error: e.message,
                  text,
                }),
                e.status,
              );
            }
            throw e;
          }
        }),
    );
  });
}
