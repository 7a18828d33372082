/**
 * @module All public portal routes (信息公开专栏), sharing one page cache per app.
 */
import type { FastifyInstance } from "fastify";
import type { Deps } from "../deps.ts";
import { agencyRoutes } from "./agency.routes.ts";
import { apiRoutes } from "./api.routes.ts";
import { feedRoutes } from "./feeds.routes.ts";
import { guideRoutes } from "./guide.routes.ts";
import { homeRoutes } from "./home.routes.ts";
import { PortalCache } from "./portal-cache.ts";
import { searchRoutes } from "./search.routes.ts";

export function portalRoutes(app: FastifyInstance, deps: Deps): PortalCache {
  const cache = new PortalCache({ now: () => deps.clock.now() });
  homeRoutes(app, deps, cache);
  agencyRoutes(app, deps, cache);
  guideRoutes(app, deps, cache);
  searchRoutes(app, deps, cache);
  feedRoutes(app, deps, cache);
  apiRoutes(app, deps, cache);
  return cache;
}
