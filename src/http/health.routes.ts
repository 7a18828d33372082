/**
 * @module /healthz (the process is up) and /readyz (the database answers).
 */
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";

export function healthRoutes(app: FastifyInstance, deps: Deps): void {
  app.get("/healthz", { config: { policy: "public" } }, async (_request, reply) =>
    reply.header("cache-control", "no-store").send({ status: "ok" }),
  );
  app.get("/readyz", { config: { policy: "public" } }, async (request, reply) => {
    try {
      await sql`SELECT 1`.execute(deps.db);
    } catch (err) {
      request.log.warn({ err }, "database not reachable");
      throw new AppError("service_unavailable", "数据库不可用。");
    }
    return reply.header("cache-control", "no-store").send({ status: "ready" });
  });
}
