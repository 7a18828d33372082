/**
 * @module The OpenAPI document of the JSON API (`/api/v1/…`), served at /api/v1/openapi.json by @fastify/swagger.
 * One central mechanism instead of per-route boilerplate:
 * - every route outside `/api/v1/` (HTML console, portal, feeds, health, metrics) is hidden;
 * - each API route declares in its own schema an `operationId`, a `summary`, its `tags`, its request schemas and its
 *   success response schema, and in `config.errors` the error codes (src/errors.ts) of its own domain;
 * - `transform` adds the error codes every route of its kind can return (validation, authentication, CSRF, rate
 *   limit, body limits, database) and `transformObject` turns the codes into one response per HTTP status that
 *   references the shared error envelope (`#/components/schemas/Error`), lists the codes in its description and in
 *   `x-error-codes`, sets `servers` from PUBLIC_URL (a relative server when it is not configured), the tags with
 *   their descriptions and the licence.
 * src/http/openapi.test.ts checks the result (and runs `redocly lint`); src/http/openapi-client.test.ts generates a
 * typed client from it and calls the API through it.
 */
import type { FastifyDynamicSwaggerOptions } from "@fastify/swagger";
import { Type } from "@sinclair/typebox";
import type { FastifySchema, RouteOptions } from "fastify";
import type { Config } from "../config.ts";
import { ERROR_CODES, type ErrorCode } from "../errors.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /**
     * Error codes (src/errors.ts) this API route returns beyond the ones its kind always can (validation,
     * authentication, CSRF, database…): documented per HTTP status in the OpenAPI document.
     */
    errors?: readonly ErrorCode[];
    /**
     * Shown in the OpenAPI document only, not used by Fastify: the request body or query of a route whose handler
     * validates it with its own error codes, and responses Fastify must not serialise (files, multipart).
     */
    openapi?: {
      body?: unknown;
      querystring?: unknown;
      responses?: Record<string, unknown>;
      consumes?: string[];
    };
  }
}

export const API_PREFIX = "/api/v1/";

/** The tags of the API, in the order integrators read them. */
export const API_TAGS = {
  openData: "开放数据 Open data",
  catalogs: "主动公开事项目录 Catalogs",
  records: "信息发布 Records",
  requests: "依申请公开 Applications",
  reports: "年度报告 Annual reports",
  calendar: "工作日历 Calendar",
  accounts: "账户 Accounts",
  audit: "审计日志 Audit",
} as const;

const TAG_DESCRIPTIONS: Record<string, string> = {
  [API_TAGS.openData]:
    "公开的只读开放数据：机关、已发布的政府信息（分页、ETag、CORS）。无需令牌。Public read-only open data: agencies and published records.",
  [API_TAGS.catalogs]:
    "主动公开事项目录：公开目录、导出、版本、检查、导入和发布。Proactive-disclosure catalogs: public tree, export, versions, lint, import, publish.",
  [API_TAGS.records]:
    "政府信息的起草、审核、审签、发布、撤回和修订（工作人员，Bearer 令牌）。Drafting and the publishing workflow of records.",
  [API_TAGS.requests]:
    "依申请公开：登记申请、查询状态和期限、登记收到确认（不含申请人个人信息）。Applications for disclosure.",
  [API_TAGS.reports]:
    "政府信息公开工作年度报告：查询、生成、提交和发布。Annual reports on open-government-information work.",
  [API_TAGS.calendar]:
    "工作日历：法定节假日和调休，本平台的调整（地区休息日、临时闭馆）。Working-day calendar used for every statutory deadline.",
  [API_TAGS.accounts]: "当前令牌或会话所属的工作人员。The staff user behind the token.",
  [API_TAGS.audit]: "审计日志（审计管理员）。The tamper-evident audit log.",
};

/** The error envelope of every JSON error response (docs/errors.md). */
export const ErrorEnvelope = Type.Object(
  {
    error: Type.Object({
      // No enum: codes are only ever added (never renamed), and a client must accept codes newer than itself.
      code: Type.String({
        description: "稳定的错误代码（永不改名，只会新增），见 docs/errors.md 和各响应的 x-error-codes",
      }),
      message: Type.String({ description: "中文说明，可直接展示给用户" }),
      fields: Type.Optional(
        Type.Array(
          Type.Object({
            field: Type.String({ description: "字段名（请求体、查询参数或路径参数）" }),
            message: Type.String(),
          }),
          { description: "validation_failed：逐个字段的问题" },
        ),
      ),
      details: Type.Optional(
        Type.Object({}, { additionalProperties: true, description: "部分错误附带的详细信息" }),
      ),
      requestId: Type.String({ description: "请求 id（也在 x-request-id 响应头中），报告问题时请提供" }),
    }),
  },
  { description: "错误响应 / error envelope" },
);

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

/** The error codes a route can return: those of its kind plus its own `config.errors`. */
export function errorCodesOf(
  route: Pick<RouteOptions, "method" | "config">,
  schema: FastifySchema,
): ErrorCode[] {
  const config = (route.config ?? {}) as {
    policy?: string;
    errors?: readonly ErrorCode[];
    rateLimit?: unknown;
    openapi?: { body?: unknown; querystring?: unknown };
  };
  const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
  const codes = new Set<ErrorCode>(["invalid_input"]);
  if (
    schema.params ||
    schema.querystring ||
    schema.body ||
    config.openapi?.body ||
    config.openapi?.querystring
  )
    codes.add("validation_failed");
  const withBody = methods.some((m) => BODY_METHODS.has(m));
  if (withBody) {
    codes.add("bad_request");
    codes.add("payload_too_large");
    codes.add("unsupported_media_type");
  }
  if (config.policy && config.policy !== "public") {
    codes.add("unauthenticated");
    codes.add("forbidden");
    codes.add("password_change_required");
    if (withBody || methods.includes("DELETE")) codes.add("csrf_invalid");
  }
  if (config.rateLimit) codes.add("rate_limited");
  for (const code of config.errors ?? []) codes.add(code);
  codes.add("internal_error");
  codes.add("database_unavailable");
  return [...codes];
}

/** Hides non-API routes; adds `x-error-codes` and the per-status error responses' placeholders to API routes. */
function transform({ schema, url, route }: { schema: FastifySchema; url: string; route: RouteOptions }) {
  if (!url.startsWith(API_PREFIX)) return { schema: { ...schema, hide: true }, url };
  const codes = errorCodesOf(route, schema ?? {});
  const response: Record<string, unknown> = {};
  // Error statuses come only from the codes (one response per status referencing the envelope).
  for (const [status, s] of Object.entries((schema?.response ?? {}) as Record<string, unknown>))
    if (!/^[45]/.test(status)) response[status] = s;
  const { policy, openapi: doc = {} } = (route.config ?? {}) as {
    policy?: string;
    openapi?: {
      body?: unknown;
      querystring?: unknown;
      responses?: Record<string, unknown>;
      consumes?: string[];
    };
  };
  Object.assign(response, doc.responses);
  return {
    schema: {
      ...schema,
      ...(doc.body && !schema?.body ? { body: doc.body } : {}),
      ...(doc.querystring && !schema?.querystring ? { querystring: doc.querystring } : {}),
      ...(doc.consumes ? { consumes: doc.consumes } : {}),
      response,
      ...(policy === "public" ? { security: [] } : {}),
      "x-error-codes": codes,
    } as FastifySchema,
    url,
  };
}

type OpenApiDoc = {
  paths?: Record<
    string,
    Record<string, { responses?: Record<string, unknown>; "x-error-codes"?: ErrorCode[] }>
  >;
  components?: { schemas?: Record<string, unknown> };
  [key: string]: unknown;
};

const STATUS_TEXT: Record<number, string> = {
  400: "请求无效",
  401: "未认证",
  403: "无权限",
  404: "不存在",
  405: "方法不支持",
  409: "状态冲突",
  412: "前提条件不成立",
  413: "内容过大",
  415: "类型不支持",
  422: "无法处理",
  428: "缺少前提条件",
  429: "请求过于频繁",
  500: "内部错误",
  503: "暂不可用",
};

/** Error responses from each operation's `x-error-codes`; servers, tags, licence and the Error schema. */
function finish(config: Pick<Config, "publicUrl" | "publicUrlConfigured">) {
  return ({ openapiObject }: { openapiObject: unknown }) => {
    const doc = openapiObject as OpenApiDoc;
    for (const item of Object.values(doc.paths ?? {})) {
      for (const op of Object.values(item)) {
        const codes = op["x-error-codes"] ?? [];
        const byStatus = new Map<number, ErrorCode[]>();
        for (const code of codes) {
          const status = ERROR_CODES[code].status;
          byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
        }
        const responses: Record<string, unknown> = { ...op.responses };
        for (const [status, list] of [...byStatus].sort((a, b) => a[0] - b[0])) {
          responses[String(status)] = {
            // Codes only (their messages are in docs/errors.md): rewording a message does not change the API.
            description: `${STATUS_TEXT[status] ?? "错误"}：${list.map((c) => `\`${c}\``).join("、")}（见 docs/errors.md）`,
            "x-error-codes": list,
            ...(status === 503 || status === 429
              ? { headers: { "Retry-After": { description: "多少秒后重试", schema: { type: "integer" } } } }
              : {}),
            content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
          };
        }
        op.responses = responses;
      }
    }
    const usedTags = new Set(
      Object.values(doc.paths ?? {}).flatMap((item) =>
        Object.values(item).flatMap((op) => (op as { tags?: string[] }).tags ?? []),
      ),
    );
    return {
      ...doc,
      servers: config.publicUrlConfigured
        ? [{ url: config.publicUrl, description: "本平台（PUBLIC_URL）" }]
        : [{ url: "/", description: "与本文档同源（未配置 PUBLIC_URL）" }],
      tags: Object.values(API_TAGS)
        .filter((name) => usedTags.has(name))
        .map((name) => ({ name, description: TAG_DESCRIPTIONS[name] })),
      components: {
        ...doc.components,
        schemas: { ...doc.components?.schemas, Error: ErrorEnvelope },
      },
    };
  };
}

/** Options of @fastify/swagger for the app (src/app.ts registers it). */
export function openApiOptions(
  config: Pick<Config, "publicUrl" | "publicUrlConfigured">,
): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "公开 Gongkai API",
        version: "1.0.0",
        description:
          "政务公开平台的 JSON 接口（/api/v1）。开放数据接口无需认证；工作人员接口使用 Bearer 令牌（控制台“我的账户 → API 令牌”中创建），权限与该工作人员在控制台中的权限相同。分页、错误代码和类型化客户端示例见 docs/api.md。",
        license: { name: "MIT", url: "https://opensource.org/licenses/MIT" },
      },
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer", description: "API 令牌：Authorization: Bearer <token>" },
        },
      },
      security: [{ bearer: [] }],
    },
    stripBasePath: false,
    transform: transform as FastifyDynamicSwaggerOptions["transform"],
    transformObject: finish(config) as FastifyDynamicSwaggerOptions["transformObject"],
  };
}
