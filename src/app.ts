/**
 * @module buildApp(deps): the Fastify application, without listening. Tests call `app.inject()`; main listens.
 * Registration order (Fastify guide): ecosystem plugins → our plumbing → hooks → feature routes.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import path from "node:path";
import compress from "@fastify/compress";
import cookie from "@fastify/cookie";
import formbody from "@fastify/formbody";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { accountsRoutes } from "./accounts/accounts.routes.ts";
import { registerAuth } from "./accounts/auth.hooks.ts";
import { notificationsRoutes } from "./accounts/notifications.routes.ts";
import { sessionCookieName } from "./accounts/session.service.ts";
import { featureJobs } from "./app-jobs.ts";
import { auditRoutes } from "./audit/audit.routes.ts";
import { calendarRoutes } from "./calendar/calendar.routes.ts";
import { catalogRoutes } from "./catalog/catalog.routes.ts";
import { catalogCompareRoutes } from "./catalog/catalog-compare.routes.ts";
import type { Deps } from "./deps.ts";
import { DISPLAY_COOKIE } from "./http/context.ts";
import { registerVendorAssets } from "./http/editor.ts";
import {
  answerClientError,
  BODY_LIMIT_BYTES,
  registerErrorHandling,
  sendFrameworkError,
} from "./http/error-handler.ts";
import { healthRoutes } from "./http/health.routes.ts";
import { registerInputGuard } from "./http/input-guard.ts";
import { registerOpenDataCors } from "./http/open-data-cors.ts";
import { openApiOptions } from "./http/openapi.ts";
import { PageHits, requestIdOf } from "./http/page-hits.ts";
import { postgresRateLimitStore } from "./http/rate-limit-store.ts";
import { createRequestSampler, fastifyRequestLogging, registerRequestLog } from "./http/request-log.ts";
import { helmetOptions } from "./http/security-headers.ts";
import { startStaticPages } from "./http/static-pages.ts";
import { jobsRoutes } from "./jobs/jobs.routes.ts";
import { metricsRoutes } from "./metrics/metrics.routes.ts";
import { exportRoutes } from "./ops/export.routes.ts";
import { portalRoutes } from "./portal/portal.routes.ts";
import { complianceRoutes } from "./publishing/compliance.routes.ts";
import { contentChecksRoutes } from "./publishing/content-checks.routes.ts";
import { publishingDeskRoutes } from "./publishing/publishing-desk.routes.ts";
import { recordApiRoutes } from "./publishing/record.api.ts";
import { recordRoutes } from "./publishing/record.routes.ts";
import { recordLegacyRoutes } from "./publishing/record-legacy.routes.ts";
import { recordMaskingRoutes } from "./publishing/record-masking.routes.ts";
import { recordRecallRoutes } from "./publishing/record-recall.routes.ts";
import { reportRoutes } from "./reports/report.routes.ts";
import { reportAdminRoutes } from "./reports/report-admin.routes.ts";
import { infoRequestRoutes } from "./requests/info-request.routes.ts";
import { supervisionRoutes } from "./supervision/supervision.routes.ts";

declare module "fastify" {
  interface FastifyInstance {
    /** Cached public pages answered by the HTTP server before Fastify (src/http/page-hits.ts). */
    pageHits: PageHits;
  }
}

export async function buildApp(deps: Deps): Promise<FastifyInstance> {
  const sampler = createRequestSampler(deps.config);
  const pageHits = new PageHits(deps.pageCache, {
    sessionCookie: sessionCookieName(deps.config),
    displayCookie: DISPLAY_COOKIE,
    logger: deps.logger,
    sampler,
  });
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    genReqId: (req) => requestIdOf(req.headers["x-request-id"]),
    // The hit path answers a cached public page before Fastify sees the request (src/http/page-hits.ts); the
    // server's timeouts are Fastify's defaults.
    serverFactory: (handler) => {
      const server = http.createServer((req, res) => {
        if (!pageHits.serve(req, res)) handler(req, res);
      });
      server.keepAliveTimeout = 72_000;
      server.requestTimeout = 0;
      return server;
    },
    bodyLimit: BODY_LIMIT_BYTES,
    // LOG_REQUESTS: off, sampled (default) or all (src/http/request-log.ts).
    ...fastifyRequestLogging(deps.config),
    // Behind a reverse proxy (TRUST_PROXY): request.ip is the client, for rate limits and audit rows.
    // (Cast: Fastify's overloads do not resolve a union here; false, a hop count and an address list are all valid.)
    trustProxy: deps.config.trustProxy as boolean,
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: true },
    // Errors raised before routing (a path with invalid percent-encoding such as %C0%AF): our envelope and Chinese
    // message, not Fastify's English JSON echoing the URL.
    frameworkErrors: sendFrameworkError,
    // Requests Node's HTTP parser refuses (URL or headers over 16 KB, raw bytes in the URL): Chinese text.
    clientErrorHandler: answerClientError,
  });

  app.decorate("pageHits", pageHits);
  app.addHook("preClose", async () => {
    pageHits.closing = true;
  });
  // After the pipeline answered a cached page: remember its headers for the hit path.
  app.addHook("onResponse", async (request, reply) => {
    const hit = request.pageHit;
    if (hit)
      pageHits.remember(
        request.raw,
        hit,
        request.routeOptions.url ?? "(unmatched)",
        reply.statusCode,
        reply.getHeaders(),
      );
  });
  app.addHook("onClose", async () => deps.documents.close());
  startStaticPages(app, deps);
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  // Request counts and latencies by route (an onResponse hook), served at /metrics.
  metricsRoutes(app, deps);
  registerRequestLog(app, deps.config, sampler);

  await app.register(helmet, helmetOptions(deps.config));
  // br and gzip only: cached public pages carry both pre-computed (src/http/page-cache.ts), so no client is ever
  // answered by compressing a cached body per request.
  await app.register(compress, { global: true, threshold: 1024, encodings: ["br", "gzip"] });
  await app.register(cookie, { secret: deps.config.secret ?? randomUUID() + randomUUID() });
  await app.register(formbody, { bodyLimit: BODY_LIMIT_BYTES });
  // Counters in PostgreSQL: every app process on the database shares them (src/http/rate-limit-store.ts).
  await app.register(rateLimit, { global: false, store: postgresRateLimitStore(deps.db) });
  // OpenAPI description of the JSON API only, collected from the routes' TypeBox schemas (src/http/openapi.ts).
  await app.register(swagger, openApiOptions(deps.config));
  await app.register(fastifyStatic, {
    root: path.join(import.meta.dirname, "http", "assets"),
    prefix: "/static/",
    maxAge: "7d",
    immutable: false,
    etag: true,
    lastModified: true,
  });
  // The rich-text editor's browser build, from node_modules (src/http/editor.ts).
  await registerVendorAssets(app, path.join(import.meta.dirname, "..", "node_modules"));

  registerErrorHandling(app);
  // NUL bytes and invalid UTF-8 in parameters and bodies: 400 invalid_input before any handler.
  registerInputGuard(app);
  // Open data (public GETs under /api/v1/): CORS on every answer, errors included, and preflights.
  registerOpenDataCors(app);
  // Accounts: request.staff, CSRF and the route guard; must precede every feature route.
  registerAuth(app, deps);
  accountsRoutes(app, deps);
  notificationsRoutes(app, deps);
  auditRoutes(app, deps);
  calendarRoutes(app, deps);
  catalogRoutes(app, deps);
  catalogCompareRoutes(app, deps);
  healthRoutes(app, deps);
  portalRoutes(app, deps);
  reportRoutes(app, deps);
  reportAdminRoutes(app, deps);
  infoRequestRoutes(app, deps);
  await recordRoutes(app, deps);
  publishingDeskRoutes(app, deps);
  await recordLegacyRoutes(app, deps);
  recordApiRoutes(app, deps);
  recordRecallRoutes(app, deps);
  recordMaskingRoutes(app, deps);
  contentChecksRoutes(app, deps);
  complianceRoutes(app, deps);
  jobsRoutes(app, deps, featureJobs());
  exportRoutes(app, deps);
  supervisionRoutes(app, deps);
  app.get("/api/v1/openapi.json", { config: { policy: "public" }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  return app;
}
