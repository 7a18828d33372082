/**
 * @module Supervision pages (/admin/supervision…): the regional dashboard and its xlsx export, the printable
 * inspection report of a region and of an agency, the region's annual-report audit and the catalog comparison.
 * Supervisors see their supervised regions; platform roles every region; an agency's own staff (compliance.read)
 * may run the inspection of their own agency.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { agencyScope, type StaffUser } from "../accounts/policy.ts";
import { asOfDate } from "../calendar/index.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { authorize } from "../http/auth-guard.ts";
import { pageContext, sendHtml } from "../http/context.ts";
import { inProcessProbe } from "../http/in-process-probe.ts";
import { staffRoute } from "../http/staff-route.ts";
import {
  inspectAgency,
  type RegionDashboard,
  regionDashboard,
  supervisedRoots,
} from "./supervision.service.ts";
import { agencyInspectionPage, dashboardPage, regionInspectionPage, sortRows } from "./supervision.views.ts";
import { dashboardWorkbook } from "./supervision.xlsx.ts";
import { compareRoutes } from "./supervision-compare.routes.ts";
import { reportAuditRoutes } from "./supervision-reports.routes.ts";

export const SUPERVISION_BASE = "/admin/supervision";

function str(query: unknown, key: string, max = 100): string {
  const v = (query as Record<string, unknown>)[key];
  return typeof v === "string" ? v.slice(0, max) : "";
}

/** Regions the user may open (supervised roots; every root for platform roles). */
export async function allowedRegions(deps: Deps, user: StaffUser): Promise<{ id: string; name: string }[]> {
  const scope = agencyScope(user, "supervision.read");
  return supervisedRoots(deps, scope.all ? "all" : scope.regionIds);
}

/** Parses region/sub/asOf and loads the dashboard the user may see. @throws forbidden | region_not_found */
export async function loadDashboard(
  app: FastifyInstance,
  deps: Deps,
  request: FastifyRequest,
  user: StaffUser,
): Promise<{ dashboard: RegionDashboard; regions: { id: string; name: string }[]; subRegion: string }> {
  const regions = await allowedRegions(deps, user);
  if (regions.length === 0) throw new AppError("forbidden", "您的账户没有可监督的区域。");
  const asOfRaw = str(request.query, "asOf", 10);
  const asOf = asOfDate(asOfRaw, deps.clock.today());
  const requested = str(request.query, "region", 40);
  // No region chosen: every region the user supervises (a single one is opened as that region).
  const region = requested === "" && regions.length === 1 ? (regions[0] as { id: string }).id : requested;
  const sub = str(request.query, "sub", 40);
  // A region outside the user's scope is not revealed.
  const scope = agencyScope(user, "supervision.read");
  if (region !== "" && !scope.all && !scope.regionIds.includes(region))
    throw new AppError("region_not_found");
  const top = await regionDashboard(deps, {
    regionId: region === "" ? null : region,
    within: region === "" && !scope.all ? regions.map((r) => r.id) : undefined,
    asOf,
    probe: inProcessProbe(app),
  });
  if (sub && !top.subRegions.some((r) => r.id === sub)) throw new AppError("region_not_found");
  if (!sub) return { dashboard: top, regions, subRegion: "" };
  const narrowed = await regionDashboard(deps, { regionId: sub, asOf, probe: inProcessProbe(app) });
  return {
    dashboard: { ...narrowed, subRegions: top.subRegions, region: top.region },
    regions,
    subRegion: sub,
  };
}

function sortParams(request: FastifyRequest): { sort: string; dir: "asc" | "desc" } {
  const sort = str(request.query, "sort", 20) || "points";
  const dir = str(request.query, "dir", 4) === "asc" ? "asc" : "desc";
  return { sort, dir };
}

export function supervisionRoutes(app: FastifyInstance, deps: Deps): void {
  deps.consoleLinks.add({
    href: SUPERVISION_BASE,
    label: "区域监督",
    action: "supervision.read",
    order: 215,
    description:
      "辖区各机关的检查指标（空白栏目、长期未更新、逾期、解读、年报等）、检查报告、年报审核和目录比对。",
  });

  app.get(SUPERVISION_BASE, { config: { policy: "supervision.read" } }, async (request, reply) => {
    const user = authorize(request, reply, "supervision.read");
    const { dashboard, regions, subRegion } = await loadDashboard(app, deps, request, user);
    const { sort, dir } = sortParams(request);
    reply.header("cache-control", "private, no-store");
    return sendHtml(
      reply,
      dashboardPage(pageContext(request), {
        dashboard,
        regions,
        subRegion,
        sort,
        dir,
        rows: sortRows(dashboard.rows, sort, dir),
        base: SUPERVISION_BASE,
      }),
    );
  });

  app.get(
    `${SUPERVISION_BASE}/export.xlsx`,
    { config: { policy: "supervision.read" } },
    async (request, reply) => {
      const user = authorize(request, reply, "supervision.read");
      const { dashboard } = await loadDashboard(app, deps, request, user);
      const { sort, dir } = sortParams(request);
      const body = await dashboardWorkbook(dashboard, sortRows(dashboard.rows, sort, dir));
      const name = `区域监督_${dashboard.region?.name ?? "全平台"}_${dashboard.asOf}.xlsx`;
      return reply
        .type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .header("cache-control", "private, no-store")
        .header(
          "content-disposition",
          `attachment; filename="supervision.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
        )
        .send(body);
    },
  );

  app.get(
    `${SUPERVISION_BASE}/inspection`,
    { config: { policy: "supervision.read" } },
    async (request, reply) => {
      const user = authorize(request, reply, "supervision.read");
      const { dashboard } = await loadDashboard(app, deps, request, user);
      reply.header("cache-control", "private, no-store");
      return sendHtml(
        reply,
        regionInspectionPage(
          pageContext(request),
          dashboard,
          sortRows(dashboard.rows, "name", "asc"),
          SUPERVISION_BASE,
        ),
      );
    },
  );

  // An agency's own staff may run their inspection too (compliance.read in their agency).
  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/inspection",
    policy: "compliance.read",
    handle: async (c) => {
      const asOfRaw = str(c.query, "asOf", 10);
      const asOf = asOfDate(asOfRaw, deps.clock.today());
      const result = await inspectAgency(deps, c.agency, "", asOf, inProcessProbe(app));
      c.reply.header("cache-control", "private, no-store");
      return agencyInspectionPage(pageContext(c.request), result, SUPERVISION_BASE);
    },
  });

  reportAuditRoutes(app, deps);
  compareRoutes(app, deps);
}
