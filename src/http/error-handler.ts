/**
 * @module The edge: maps every error to a response. AppError → its status, code and Chinese message; Fastify's own
 * errors (validation, body too large, bad JSON, a plugin's 4xx) → our codes; PostgreSQL data exceptions →
 * invalid_input and lost connections → database_unavailable (503, Retry-After); anything else → 500
 * internal_error, logged, never leaked.
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
  // Any other client error a plugin raised (e.g. @fastify/static's 403 for "/static/../x") keeps its class.
  if (error.statusCode === 401) return new AppError("unauthenticated");
  if (error.statusCode === 403) return new AppError("forbidden");
  if (error.statusCode === 404) return new AppError("not_found");
  if (error.statusCode === 405) return new AppError("method_not_allowed");
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
    return new AppError("bad_request");
  // Multipart bodies cut short or malformed (busboy's messages): the client's fault.
  if (
    /^(Unexpected end of (form|file|multipart data)|Malformed part header|Multipart: Boundary not found)/.test(
      error.message,
    )
  )
    return new AppError("bad_request", "上传的表单数据不完整或格式错误。");
  return undefined;
}

const CONNECTION_ERRNO = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/**
 * PostgreSQL errors that are not bugs: a data exception (SQLSTATE class 22: a non-UUID id, an integer out of range,
 * a NUL byte) is the client's input → invalid_input; a lost or refused connection (class 08, 57P01–57P03, socket
 * errors, pg's "Connection terminated") → database_unavailable (503 with Retry-After).
 */
export function fromDatabaseError(error: unknown): AppError | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") {
    if (/^22[0-9A-Z]{3}$/.test(code)) return new AppError("invalid_input");
    if (/^08[0-9A-Z]{3}$/.test(code) || /^57P0[1-3]$/.test(code) || CONNECTION_ERRNO.has(code))
      return new AppError("database_unavailable");
  }
  if (
    /Connection terminated|terminating connection|Client has encountered a connection error|timeout exceeded when trying to connect|the database system is (starting up|shutting down|in recovery mode)/i.test(
      error.message,
    )
  )
    return new AppError("database_unavailable");
  return undefined;
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  reply.header("cache-control", "no-store");
  // A temporary condition (database restarting, parser queue full): tell clients when to retry.
  if (error.status === 503 && !reply.hasHeader("retry-after")) reply.header("retry-after", "5");
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

/**
 * Fastify's `frameworkErrors`: errors raised before a route is found. A path that is not valid percent-encoded UTF-8
 * (FST_ERR_BAD_URL: %C0%AF, %ED%A0%80, %FF) is invalid_input, like the same bytes in a parameter (input-guard.ts).
 */
export function sendFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const appError =
    error.code === "FST_ERR_BAD_URL"
      ? new AppError(
          "invalid_input",
          "网址中含有无效的字符编码（不合法的 UTF-8），请检查链接是否完整、正确。",
        )
      : (fromFastifyError(error) ?? new AppError("bad_request"));
  sendError(request, reply, appError);
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof RedirectSent || reply.sent) return reply;
    const appError = isAppError(error) ? error : (fromDatabaseError(error) ?? fromFastifyError(error));
    if (appError) {
      if (appError.code === "database_unavailable") request.log.warn({ err: error }, "database unavailable");
      else if (appError.status >= 500) request.log.error({ err: error }, "request failed");
      return sendError(request, reply, appError);
    }
    request.log.error({ err: error }, "unhandled error");
    return sendError(request, reply, new AppError("internal_error"));
  });
  app.setNotFoundHandler((request, reply) => sendError(request, reply, new AppError("not_found")));
}

export { ERROR_CODES };
