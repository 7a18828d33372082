/**
 * @module The app's security headers (helmet's options, one place): registered by buildApp (src/app.ts) and read by
 * `gongkai pages nginx-config` (src/http/static-pages.nginx.ts), which makes nginx send the same headers with the
 * static pages it serves (`securityHeaders`), so the two cannot drift apart.
 */
import helmet, { type FastifyHelmetOptions } from "@fastify/helmet";
import Fastify from "fastify";
import type { Config } from "../config.ts";

export function helmetOptions(config: Pick<Config, "cookieSecure">): FastifyHelmetOptions {
  return {
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
    hsts: config.cookieSecure ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: "same-origin" },
  };
}

/** The headers helmet adds to a response with these options (lower-case names, in helmet's order). */
export async function securityHeaders(config: Pick<Config, "cookieSecure">): Promise<[string, string][]> {
  const app = Fastify({ logger: false });
  try {
    await app.register(helmet, helmetOptions(config));
    app.get("/", async () => "");
    const res = await app.inject({ url: "/" });
    const out: [string, string][] = [];
    for (const [name, value] of Object.entries(res.headers)) {
      if (["content-type", "content-length", "date", "connection", "keep-alive"].includes(name)) continue;
      if (value !== undefined) out.push([name, Array.isArray(value) ? value.join(", ") : String(value)]);
    }
    return out;
  } finally {
    await app.close();
  }
}
