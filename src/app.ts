/**
 * @module buildApp(deps): the Fastify application, without listening. Tests call `app.inject()`; main listens.
 * Registration order (Fastify guide): ecosystem plugins → our plumbing → hooks → feature routes.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import compress from "@fastify/compress";
import cookie from "@fastify/cookie";
import formbody from "@fastify/formbody";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Deps } from "./deps.ts";
import { registerErrorHandling } from "./http/error-handler.ts";
import { healthRoutes } from "./http/health.routes.ts";
import { homeRoutes } from "./portal/home.routes.ts";

/** Body limit for ordinary forms and JSON (uploads have their own, larger limit). */
export const BODY_LIMIT_BYTES = 1024 * 1024;

export async function buildApp(deps: Deps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: false,
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: true },
    disableRequestLogging: false,
  });

  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
      },
    },
    crossOriginEmbedderPolicy: false,
    hsts: deps.config.cookieSecure ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: "same-origin" },
  });
  await app.register(compress, { global: true, threshold: 1024 });
  await app.register(cookie, { secret: deps.config.secret ?? randomUUID() + randomUUID() });
  await app.register(formbody, { bodyLimit: BODY_LIMIT_BYTES });
  await app.register(rateLimit, { global: false });
  await app.register(fastifyStatic, {
    root: path.join(import.meta.dirname, "http", "assets"),
    prefix: "/static/",
    maxAge: "7d",
    immutable: false,
    etag: true,
    lastModified: true,
  });

  registerErrorHandling(app);
  healthRoutes(app, deps);
  homeRoutes(app, deps);
  return app;
}
