/**
 * @module The one error type. Every error a client can see has a stable snake_case code, an HTTP status and a
 * Chinese message. Codes are part of the public API contract: never rename one. All codes are listed in
 * ERROR_CODES and documented in docs/errors.md (errors.test.ts keeps the two in sync).
 */

export const ERROR_CODES = {
  // General
  bad_request: { status: 400, message: "请求格式不正确。" },
  validation_failed: { status: 400, message: "提交的内容未通过校验，请按提示修改。" },
  not_found: { status: 404, message: "您访问的页面或资源不存在。" },
  method_not_allowed: { status: 405, message: "不支持该请求方法。" },
  payload_too_large: { status: 413, message: "提交的内容过大。" },
  unsupported_media_type: { status: 415, message: "不支持该内容类型。" },
  rate_limited: { status: 429, message: "请求过于频繁，请稍后再试。" },
  unauthenticated: { status: 401, message: "请先登录。" },
  forbidden: { status: 403, message: "您没有执行此操作的权限。" },
  csrf_invalid: { status: 403, message: "页面已过期或请求来源不可信，请刷新页面后重试。" },
  internal_error: { status: 500, message: "系统内部错误，请稍后再试。" },
  service_unavailable: { status: 503, message: "服务暂不可用，请稍后再试。" },
  // Platform: agencies and regions
  agency_not_found: { status: 404, message: "未找到该机关。" },
  region_not_found: { status: 404, message: "未找到该行政区划。" },
  department_not_found: { status: 404, message: "未找到该内设机构。" },
  duplicate_slug: { status: 409, message: "该标识已被使用。" },
  invalid_credit_code: { status: 400, message: "统一社会信用代码格式不正确。" },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** A problem with one input field, shown next to that field. */
export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly fields: FieldError[];
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message?: string,
    options: { fields?: FieldError[]; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message ?? ERROR_CODES[code].message, options.cause === undefined ? {} : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.fields = options.fields ?? [];
    this.details = options.details;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** Throws `validation_failed` listing each field's problem. */
export function validationError(fields: FieldError[], message?: string): AppError {
  return new AppError("validation_failed", message, { fields });
}

export function notFound(code: ErrorCode = "not_found", message?: string): AppError {
  return new AppError(code, message);
}
