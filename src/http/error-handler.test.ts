/**
 * Schema (Ajv) errors reach clients in Chinese: the API promises `message` (and each field's message) may be shown
 * to a user as is. Route-level cases: src/portal/portal.routes.test.ts (open-data paging). Requests Node's HTTP
 * parser refuses (over a real socket: app.inject skips the parser) are answered in Chinese too.
 */
import assert from "node:assert/strict";
import net, { type AddressInfo } from "node:net";
import { describe, it } from "node:test";
import type { FastifyError } from "fastify";
import { createTestApp } from "../../test/test-app.ts";
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

/** Sends raw bytes to the server and returns everything it answers before closing. */
function raw(port: number, request: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, "127.0.0.1", () => socket.write(request));
    socket.on("data", (c) => chunks.push(c));
    socket.on("error", reject);
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

describe("requests the HTTP parser refuses", async () => {
  const { app } = await createTestApp();
  await app.listen({ host: "127.0.0.1", port: 0 });
  const port = (app.server.address() as AddressInfo).port;

  it("a URL over the header limit is 431 with a Chinese message, not Fastify's English JSON", async () => {
    const answer = await raw(
      port,
      Buffer.from(`GET /search?q=${"a".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`),
    );
    assert.match(answer, /^HTTP\/1\.1 431 /);
    assert.match(answer, /content-type: text\/plain; charset=utf-8/i);
    assert.match(answer, /请求的网址或请求头过长/);
    assert.doesNotMatch(answer, /Exceeded maximum allowed HTTP header size/);
  });

  it("raw (unencoded) UTF-8 bytes in a URL are 400 with a Chinese message", async () => {
    const answer = await raw(
      port,
      Buffer.concat([
        Buffer.from("GET /search?q="),
        Buffer.from("社保"),
        Buffer.from(" HTTP/1.1\r\nHost: x\r\n\r\n"),
      ]),
    );
    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.match(answer, /请求格式不正确/);
    assert.doesNotMatch(answer, /Client Error/);
  });
});

describe("a form body over the limit", async () => {
  const { app } = await createTestApp();

  it("is 413 saying the limit and what to do instead, not only “too large”", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/apply/status",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: `code=${"社".repeat(400_000)}`,
    });
    assert.equal(res.statusCode, 413);
    assert.match(res.body, /提交的内容超过 1 MB 上限（约 30 万个汉字），未保存/);
    assert.match(res.body, /作为附件上传/);
  });
});
