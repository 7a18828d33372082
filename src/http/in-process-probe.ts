/**
 * @module Resolves internal links in process (no network): the status the app would answer for an anonymous GET.
 * Used by link checks (publishing's compliance view, supervision's dashboards) to test the app's own URLs.
 */
import type { FastifyInstance } from "fastify";

export function inProcessProbe(app: FastifyInstance): (path: string) => Promise<number> {
  return async (path) => (await app.inject({ method: "GET", url: path })).statusCode;
}
