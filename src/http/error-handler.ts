/**
 * @module The edge: maps every error to a response. AppError → its status, code and Chinese message; Fastify's own
 * errors (validation, body too large, bad JSON) → our codes; anything else → 500 internal_error, logged, never leaked.
 * JSON for /api/…, a Chinese HTML page elsewhere.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AppError, ERROR_CODES, type ErrorCode, isAppError } from "../errors.ts";
import { RedirectSent } from "./auth-guard.ts";
import { isApiPath, pageContext, sendHtml } from "./context.ts";
import { errorPage } from "./layout.ts";

function fromFastifyError(error: FastifyError): AppError | undefined {
  if (error.validation) {
    const fields = error.validation.map((v) => ({
      field:
        (v.instancePath || (v.params as { missingProperty?: string })?.missingProperty || "").replace(
          /^\//,
          "",
        ) || "body",
      message: v.message ?? "无效",
    }));
    return new AppError("validation_failed", undefined, { fields });
  }
  const map: Record<string, ErrorCode> = {
    FST_ERR_CTP_BODY_TOO_LARGE: "payload_too_large",
    FST_REQ_FILE_TOO_LARGE: "payload_too_large",
    FST_FILES_LIMIT: "payload_too_large",
    FST_ERR_CTP_INVALID_MEDIA_TYPE: "unsupported_media_type",
    FST_ERR_CTP_EMPTY_JSON_BODY: "bad_request",
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: "bad_request",
    FST_ERR_CTP_EMPTY_TYPE: "unsupported_media_type",
    FST_ERR_CTP_INVALID_TYPE: "unsupported_media_type",
    FST_ERR_BAD_URL: "bad_request",
    FST_INVALID_MULTIPART_CONTENT_TYPE: "unsupported_media_type",
    FST_PROTO_VIOLATION: "bad_request",
    FST_PARTS_LIMIT: "payload_too_large",
    FST_FIELDS_LIMIT: "payload_too_large",
  };
  const code = error.code ? map[error.code] : undefined;
  if (code) return new AppError(code);
  if (error.statusCode === 429) return new AppError("rate_limited");
  if (error instanceof SyntaxError || error.statusCode === 400) return new AppError("bad_request");
  if (error.statusCode === 413) return new AppError("payload_too_large");
  if (error.statusCode === 415) return new AppError("unsupported_media_type");
  return undefined;
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  reply.header("cache-control", "no-store");
  if (isApiPath(request.url) || request.headers.accept === "application/json") {
    return reply.status(error.status).send({
      error: {
        code: error.code,
        message: error.message,
        ...(error.fields.length ? { fields: error.fields } : {}),
        ...(error.details ? { details: error.details } : {}),
        requestId: request.id,
      },
    });
  }
  return sendHtml(
    reply,
    errorPage(pageContext(request), error.status, error.code, error.message),
    error.status,
  );
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof RedirectSent || reply.sent) return reply;
    const appError = isAppError(error) ? error : fromFastifyError(error);
    if (appError) {
      if (appError.status >= 500) request.log.error({ err: error }, "request failed");
      return sendError(request, reply, appError);
    }
    request.log.error({ err: error }, "unhandled error");
    return sendError(request, reply, new AppError("internal_error"));
  });
  app.setNotFoundHandler((request, reply) => sendError(request, reply, new AppError("not_found")));
}

export { ERROR_CODES };
