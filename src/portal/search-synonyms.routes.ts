/**
 * @module The agency's search synonyms in the console: /admin/agencies/:agency/search-synonyms (agency.manage).
 */
import type { FastifyInstance } from "fastify";
import { actorOf } from "../audit/audit.service.ts";
import type { Deps } from "../deps.ts";
import { staffAgencyPath } from "../http/agency-paths.ts";
import { pageContext } from "../http/context.ts";
import { staffRoute } from "../http/staff-route.ts";
import { formatAgencyGroups } from "./search-synonyms.rules.ts";
import { agencySynonymGroups, SHIPPED_SYNONYMS, updateAgencySynonyms } from "./search-synonyms.service.ts";
import { synonymsAdminPage } from "./search-synonyms.views.ts";

export function searchSynonymsRoutes(app: FastifyInstance, deps: Deps): void {
  deps.consoleLinks.add({
    href: "/admin/agencies/:agency/search-synonyms",
    label: "搜索同义词",
    action: "agency.manage",
    order: 155,
    description: "添加本机关常用的简称、俗称，让群众用习惯的说法也能搜到信息。",
  });

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/search-synonyms",
    policy: "agency.manage",
    handle: async (c) =>
      synonymsAdminPage(pageContext(c.request), {
        agency: c.agency,
        text: formatAgencyGroups(await agencySynonymGroups(deps.db, c.agency.id)),
        shipped: SHIPPED_SYNONYMS,
        errors: [],
        saved: c.query.saved === "1",
      }),
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/search-synonyms",
    policy: "agency.manage",
    handle: (c) =>
      updateAgencySynonyms(
        deps,
        c.agency.id,
        (c.body as Record<string, unknown> | undefined)?.groups,
        actorOf(c.request),
      ),
    redirect: (c) => `${staffAgencyPath(c.agency.slug, "/search-synonyms")}?saved=1`,
    form: async (c, failure) => {
      const text = (c.body as Record<string, unknown> | undefined)?.groups;
      return synonymsAdminPage(pageContext(c.request), {
        agency: c.agency,
        text: typeof text === "string" ? text : "",
        shipped: SHIPPED_SYNONYMS,
        errors: failure.errors,
        message: failure.message,
        saved: false,
      });
    },
  });
}
