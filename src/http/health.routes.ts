/**
 * @module /healthz (the process is up and can recover: 503 once the supervised embedded PostgreSQL could not be
 * restarted) and /readyz (the database answers now). With DATABASE_READ_URL, /healthz also reports the read
 * replica's state and lag (`replica`); a replica that is down does not make the process unhealthy (public reads use
 * the primary meanwhile: src/db/read-pool.ts).
 */
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";

export function healthRoutes(app: FastifyInstance, deps: Deps): void {
  app.get("/healthz", { config: { policy: "public" } }, async (_request, reply) => {
    reply.header("cache-control", "no-store");
    const database = deps.databaseState?.();
    // Restarting is recoverable (the process stays healthy, /readyz says not ready); failed is not.
    if (database === "failed")
      throw new AppError("database_unavailable", "内置数据库已停止且多次重启失败，需要运维人员处理。");
    const replica = await deps.readPool.status();
    return reply.send({
      status: "ok",
      ...(database ? { database } : {}),
      ...(replica.state === "none" ? {} : { replica }),
    });
  });
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
