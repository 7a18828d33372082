/**
 * @module CORS of the open data (docs/api.md: "CORS is open for GET"): every public GET/HEAD under /api/v1/ —
 * agencies, records, catalogs, the calendar, the API document — answers `Access-Control-Allow-Origin: *`, also when
 * it is an error (a browser client can read the Chinese message of a 400 or 404), and exposes the headers the API
 * documents (ETag, Link, X-Request-Id, Retry-After), which a cross-origin script cannot read otherwise. A preflight
 * (OPTIONS, sent when a script adds a header such as If-None-Match) is answered for GET and HEAD with those request
 * headers; never with Authorization or cookies: the staff API is for servers, not for other sites' pages.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { API_PREFIX } from "./openapi.ts";

export const EXPOSED_HEADERS = "ETag, Link, X-Request-Id, Retry-After";
const ALLOWED_REQUEST_HEADERS = "Accept, Accept-Language, If-None-Match, If-Modified-Since, X-Request-Id";

function isOpenData(request: FastifyRequest): boolean {
  return (
    (request.method === "GET" || request.method === "HEAD") &&
    request.url.startsWith(API_PREFIX) &&
    (request.routeOptions.config as { policy?: string } | undefined)?.policy === "public"
  );
}

function allowAnyOrigin(reply: FastifyReply): void {
  reply.header("access-control-allow-origin", "*");
  reply.header("access-control-expose-headers", EXPOSED_HEADERS);
}

export function registerOpenDataCors(app: FastifyInstance): void {
  app.addHook("onRequest", async (request, reply) => {
    if (isOpenData(request)) allowAnyOrigin(reply);
  });
  app.options(
    `${API_PREFIX}*`,
    { config: { policy: "public" }, schema: { hide: true } },
    async (_request, reply) => {
      allowAnyOrigin(reply);
      reply.header("access-control-allow-methods", "GET, HEAD");
      reply.header("access-control-allow-headers", ALLOWED_REQUEST_HEADERS);
      reply.header("access-control-max-age", "86400");
      return reply.status(204).send();
    },
  );
}
