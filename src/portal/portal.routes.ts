/**
 * @module All public portal routes (信息公开专栏), sharing the app's page cache (`deps.pageCache`).
 */
import type { FastifyInstance } from "fastify";
import type { Deps } from "../deps.ts";
import type { PageCache } from "../http/page-cache.ts";
import { agencyRoutes } from "./agency.routes.ts";
import { apiRoutes } from "./api.routes.ts";
import { disclosureRulesRoutes } from "./disclosure-rules.routes.ts";
import { feedRoutes } from "./feeds.routes.ts";
import { guideRoutes } from "./guide.routes.ts";
import { homeRoutes } from "./home.routes.ts";
import { searchRoutes } from "./search.routes.ts";
import { searchSynonymsRoutes } from "./search-synonyms.routes.ts";

export function portalRoutes(app: FastifyInstance, deps: Deps): PageCache {
  const cache = deps.pageCache;
  homeRoutes(app, deps);
  agencyRoutes(app, deps);
  disclosureRulesRoutes(app, deps);
  guideRoutes(app, deps);
  searchRoutes(app, deps);
  searchSynonymsRoutes(app, deps);
  feedRoutes(app, deps);
  apiRoutes(app, deps);
  return cache;
}
