/**
 * @module Central input hygiene, before any handler: path parameters, query strings and parsed bodies (forms, JSON)
 * must not contain NUL bytes or lone UTF-16 surrogates (what invalid UTF-8 and `\ud800` escapes decode to), which
 * PostgreSQL rejects in text and which no form legitimately sends. Failures are `invalid_input` (400) naming where.
 * The error handler also maps PostgreSQL's data exceptions (SQLSTATE class 22: bad uuid, integer out of range…) to
 * `invalid_input`, so an unchecked parameter is a 400, never a 500.
 *
 * The query-string parser keeps an escape it cannot decode as typed (`?q=%C0%AF` would be the text "%C0%AF", and a
 * GBK-encoded link from an old system a search for its escapes), so the raw query is checked too: every run of
 * `%XX` escapes must be UTF-8. A `%` not followed by two hex digits stays literal text, as the parser reads it.
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

/** The parameter name (as far as it decodes) of the first run of %XX escapes in `url`'s query that is not UTF-8. */
export function findBadQueryEncoding(url: string): string | undefined {
  const start = url.indexOf("?");
  if (start < 0) return undefined;
  for (const pair of url.slice(start + 1).split("&")) {
    for (const run of pair.matchAll(/(?:%[0-9A-Fa-f]{2})+/g)) {
      try {
        decodeURIComponent(run[0]);
      } catch {
        const name = pair.split("=", 1)[0] ?? "";
        try {
          return decodeURIComponent(name.replace(/\+/g, " ")) || "query";
        } catch {
          return "query";
        }
      }
    }
  }
  return undefined;
}

export function registerInputGuard(app: FastifyInstance): void {
  app.addHook("preValidation", async (request) => {
    const bad =
      findBadInput(request.params, "params") ??
      findBadInput(request.query, "query") ??
      findBadQueryEncoding(request.url) ??
      findBadInput(request.body, "body");
    if (bad)
      throw new AppError("invalid_input", undefined, {
        fields: [{ field: bad.replace(/^(params|query|body)\./, ""), message: "含有空字符或无效编码" }],
      });
  });
}
