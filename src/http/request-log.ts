/**
 * @module Request logging (LOG_REQUESTS): Fastify's own two lines per request ("incoming request", "request
 * completed") cost a third or more of a cached page's throughput, so by default only a sample is logged — one
 * "request completed" line (method, url, status, time) for every 1/LOG_REQUEST_SAMPLE_RATE-th request. `all` keeps
 * Fastify's lines; `off` logs none. A response with a status ≥ 500 is always logged (and the error handler logs the
 * error itself). See docs/operations.md (Logs).
 */
import { type FastifyInstance, LogController } from "fastify";
import type { Config } from "../config.ts";

/**
 * Fastify's request logging for this configuration: its own lines only with LOG_REQUESTS=all. Given as a
 * LogController (Fastify 5.12 deprecates the top-level `disableRequestLogging` option, FSTDEP023).
 */
export function fastifyRequestLogging(config: Pick<Config, "logRequests">): { logController: LogController } {
  return { logController: new LogController({ disableRequestLogging: config.logRequests !== "all" }) };
}

/** Every n-th request of a sample (deterministic, so a test can count lines). */
export function sampleEvery(rate: number): number {
  return Math.max(1, Math.round(1 / rate));
}

/** Which requests a log line is written for: `pick` returns 0 (none), or the sampling factor of the line. */
export interface RequestSampler {
  pick(failed: boolean): number;
}

/** The 1-in-N counter of LOG_REQUESTS=sample, shared by the pipeline and the hit path (src/http/page-hits.ts). */
export function createRequestSampler(
  config: Pick<Config, "logRequests" | "logRequestSampleRate">,
): RequestSampler {
  const every =
    config.logRequests === "sample"
      ? sampleEvery(config.logRequestSampleRate)
      : config.logRequests === "all"
        ? 1
        : 0;
  let count = 0;
  return {
    pick(failed) {
      if (failed) return 1;
      if (every === 0) return 0;
      count = (count + 1) % every;
      return count === 0 ? every : 0;
    },
  };
}

export function registerRequestLog(
  app: FastifyInstance,
  config: Pick<Config, "logRequests">,
  sampler: RequestSampler,
): void {
  if (config.logRequests === "all") return;
  app.addHook("onResponse", async (request, reply) => {
    const failed = reply.statusCode >= 500;
    const every = sampler.pick(failed);
    if (every === 0) return;
    const line = {
      req: { method: request.method, url: request.url },
      res: { statusCode: reply.statusCode },
      responseTime: Math.round(reply.elapsedTime * 10) / 10,
      ...(every > 1 && !failed ? { sampled: every } : {}),
    };
    if (failed) request.log.error(line, "request completed");
    else request.log.info(line, "request completed");
  });
}
