/**
 * @module Central input hygiene, before any handler: path parameters, query strings and parsed bodies (forms, JSON)
 * must not contain NUL bytes or lone UTF-16 surrogates (what invalid UTF-8 and `\ud800` escapes decode to), which
 * PostgreSQL rejects in text and which no form legitimately sends. Failures are `invalid_input` (400) naming where.
 * The error handler also maps PostgreSQL's data exceptions (SQLSTATE class 22: bad uuid, integer out of range…) to
 * `invalid_input`, so an unchecked parameter is a 400, never a 500.
 */
import type { FastifyInstance } from "fastify";
import { AppError } from "../errors.ts";

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what we reject
const BAD = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The first path (e.g. "query.page") whose string value is bad, looking at most `depth` levels deep. */
export function findBadInput(value: unknown, where: string, depth = 8): string | undefined {
  if (typeof value === "string") return BAD.test(value) ? where : undefined;
  if (depth <= 0 || value === null || typeof value !== "object" || Buffer.isBuffer(value)) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = findBadInput(value[i], `${where}[${i}]`, depth - 1);
      if (bad) return bad;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(value)) {
    if (BAD.test(k)) return `${where}.${k.replace(BAD, "?")}`;
    const bad = findBadInput(v, `${where}.${k}`, depth - 1);
    if (bad) return bad;
  }
  return undefined;
}

export function registerInputGuard(app: FastifyInstance): void {
  app.addHook("preValidation", async (request) => {
    const bad =
      findBadInput(request.params, "params") ??
      findBadInput(request.query, "query") ??
      findBadInput(request.body, "body");
    if (bad)
      throw new AppError("invalid_input", undefined, {
        fields: [{ field: bad.replace(/^(params|query|body)\./, ""), message: "含有空字符或无效编码" }],
      });
  });
}
