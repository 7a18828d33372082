/**
 * @module The edge: maps every error to a response. AppError → its status, code and Chinese message; Fastify's own
 * errors (validation, body too large, bad JSON, a plugin's 4xx) → our codes; PostgreSQL data exceptions →
 * invalid_input and lost connections → database_unavailable (503, Retry-After); anything else → 500
 * internal_error, logged, never leaked.
 * JSON for /api/…, a Chinese HTML page elsewhere.
 */
import type { Socket } from "node:net";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AppError, ERROR_CODES, type ErrorCode, isAppError } from "../errors.ts";
import { RedirectSent } from "./auth-guard.ts";
import { isApiPath, pageContext, sendHtml } from "./context.ts";
import { errorPage } from "./layout.ts";

/** Body limit for ordinary forms and JSON (uploads have their own, larger limit: MAX_UPLOAD_MB). */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** payload_too_large for a form or JSON body over BODY_LIMIT_BYTES. */
export const BODY_TOO_LARGE_MESSAGE =
  `提交的内容超过 ${BODY_LIMIT_BYTES / 1024 / 1024} MB 上限（约 30 万个汉字），未保存。` +
  "正文很长时，请将全文作为附件上传，或拆分为多条信息；浏览器“后退”可找回刚才填写的内容。";

type SchemaError = NonNullable<FastifyError["validation"]>[number];

const TYPE_NAMES: Record<string, string> = {
  integer: "整数",
  number: "数字",
  string: "文本",
  boolean: "true 或 false",
  array: "列表",
  object: "对象",
  null: "null",
};
const FORMAT_NAMES: Record<string, string> = {
  date: "日期（YYYY-MM-DD）",
  "date-time": "日期时间（ISO 8601）",
  time: "时间",
  email: "电子邮箱地址",
  uuid: "UUID",
  uri: "网址",
};

/** A schema (Ajv) error in Chinese: the message a client may show as is, as the API promises. */
export function schemaErrorMessage(v: SchemaError): string {
  const p = (v.params ?? {}) as Record<string, unknown>;
  const limit = String(p.limit ?? "");
  switch (v.keyword) {
    case "required":
      return "必填";
    case "type": {
      const types = (Array.isArray(p.type) ? p.type : String(p.type ?? "").split(",")).map(String);
      return `应为${types.map((t) => TYPE_NAMES[t] ?? t).join("或")}`;
    }
    case "minimum":
      return `不能小于 ${limit}`;
    case "maximum":
      return `不能大于 ${limit}`;
    case "exclusiveMinimum":
      return `应大于 ${limit}`;
    case "exclusiveMaximum":
      return `应小于 ${limit}`;
    case "minLength":
      return Number(p.limit) === 1 ? "不能为空" : `至少 ${limit} 个字符`;
    case "maxLength":
      return `不能超过 ${limit} 个字符`;
    case "minItems":
      return `至少 ${limit} 项`;
    case "maxItems":
      return `最多 ${limit} 项`;
    case "enum":
      return `应为以下值之一：${(Array.isArray(p.allowedValues) ? p.allowedValues : []).map(String).join("、")}`;
    case "const":
      return `应为 ${String(p.allowedValue)}`;
    case "format":
      return `格式不正确，应为${FORMAT_NAMES[String(p.format)] ?? String(p.format)}`;
    case "additionalProperties":
      return "不支持该字段";
    default:
      return "格式不正确";
  }
}

/** The field a schema error is about: its path, the missing or unexpected property, else "body". */
function schemaErrorField(v: SchemaError): string {
  const p = (v.params ?? {}) as { missingProperty?: string; additionalProperty?: string };
  const path = v.instancePath.replace(/^\//, "");
  const property = p.missingProperty ?? p.additionalProperty;
  return (property ? (path ? `${path}/${property}` : property) : path) || "body";
}

function fromFastifyError(error: FastifyError): AppError | undefined {
  if (error.validation) {
    const fields = error.validation.map((v) => ({
      field: schemaErrorField(v),
      message: schemaErrorMessage(v),
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
  // A form or JSON body over the limit (a record body of ~300,000 characters pasted into the editor): the limit and
  // what to do instead, not only "too large".
  if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE")
    return new AppError("payload_too_large", BODY_TOO_LARGE_MESSAGE);
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
 * Fastify's `frameworkErrors`: errors raised before a route is found, answered with our envelope (a Chinese page, or
 * JSON under /api) instead of Fastify's English JSON echoing the URL. A path that is not valid percent-encoded UTF-8
 * (FST_ERR_BAD_URL: %C0%AF, %ED%A0%80, %FF) is invalid_input, like the same bytes in a parameter (input-guard.ts); a
 * path segment longer than the router's maxParamLength (FST_ERR_MAX_PARAM_LENGTH, Fastify's 414) names no agency,
 * record or item there can be: not_found.
 */
export function sendFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const appError =
    error.code === "FST_ERR_BAD_URL"
      ? new AppError(
          "invalid_input",
          "网址中含有无效的字符编码（不合法的 UTF-8），请检查链接是否完整、正确。",
        )
      : error.code === "FST_ERR_MAX_PARAM_LENGTH"
        ? new AppError("not_found", "网址过长，没有与之对应的页面或资源，请检查链接是否完整、正确。")
        : (fromFastifyError(error) ?? new AppError("bad_request"));
  sendError(request, reply, appError);
}

/**
 * Fastify's `clientErrorHandler`: a request Node's HTTP parser refused before any route (headers or URL over 16 KB,
 * raw non-ASCII bytes in the URL, a timeout). The path is unknown, so the answer is plain Chinese text, not
 * Fastify's English JSON ("Client Error").
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const [status, reason, message] =
    error.code === "ERR_HTTP_REQUEST_TIMEOUT"
      ? [408, "Request Timeout", "请求超时，请重试。"]
      : error.code === "HPE_HEADER_OVERFLOW"
        ? [431, "Request Header Fields Too Large", "请求的网址或请求头过长（例如搜索词过长），请缩短后重试。"]
        : [400, "Bad Request", "请求格式不正确（例如网址中含有未编码的字符），请检查链接是否完整、正确。"];
  const body = Buffer.from(`${message}\n`);
  const head =
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n` +
    "X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
  // One write, as Fastify's own handler does: small enough to leave at once, before the socket is destroyed.
  if (socket.writable) socket.write(Buffer.concat([Buffer.from(head), body]));
  socket.destroy(error);
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
