/**
 * Schema (Ajv) errors reach clients in Chinese: the API promises `message` (and each field's message) may be shown
 * to a user as is. Route-level cases: src/portal/portal.routes.test.ts (open-data paging).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FastifyError } from "fastify";
import { schemaErrorMessage } from "./error-handler.ts";

type SchemaError = NonNullable<FastifyError["validation"]>[number];
const e = (keyword: string, params: Record<string, unknown>): SchemaError => ({
  keyword,
  params,
  instancePath: "",
  schemaPath: "#",
  message: "must be something",
});

describe("schemaErrorMessage", () => {
  it("says what each keyword wants in Chinese, with its limit", () => {
    const cases: [SchemaError, string][] = [
      [e("required", { missingProperty: "title" }), "必填"],
      [e("type", { type: "integer" }), "应为整数"],
      [e("type", { type: "string,null" }), "应为文本或null"],
      [e("minimum", { comparison: ">=", limit: 1 }), "不能小于 1"],
      [e("maximum", { comparison: "<=", limit: 366 }), "不能大于 366"],
      [e("minLength", { limit: 1 }), "不能为空"],
      [e("maxLength", { limit: 200 }), "不能超过 200 个字符"],
      [e("enum", { allowedValues: ["主动", "依申请"] }), "应为以下值之一：主动、依申请"],
      [e("format", { format: "date" }), "格式不正确，应为日期（YYYY-MM-DD）"],
      [e("additionalProperties", { additionalProperty: "x" }), "不支持该字段"],
      [e("anyOf", {}), "格式不正确"],
    ];
    for (const [error, message] of cases) assert.equal(schemaErrorMessage(error), message, error.keyword);
  });
});
