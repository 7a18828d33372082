/**
 * @module Routes of the annual report.
 *
 * Staff: /admin/reports, the reports of the agencies a user may read with reminders (one agency's pages are in
 * report-admin.routes.ts, /admin/agencies/:agency/reports…).
 * Supervisors (/admin/region-reports…, action report.aggregate): the region's compiled report.
 * API (/api/v1/reports/{slug}/{year}…): read, generate, transitions (refusals carry `report_check_failed` and the
 * findings in `details.findings`).
 * Public (/agencies/{slug}/reports/{year}…): published reports only (the list page belongs to the portal), with the
 * revisions superseded by a correction (更正) under …/revisions/{n}/files/…; the regions' published compiled reports
 * (/regions/{regionId}/reports…).
 */

import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { agencyScope, can, type StaffUser } from "../accounts/policy.ts";
import type { Deps } from "../deps.ts";
import { AppError, isAppError } from "../errors.ts";
import { authorize } from "../http/auth-guard.ts";
import { cachedAgencyPage } from "../http/cached-agency-page.ts";
import { pageContext, sendHtml } from "../http/context.ts";
import { API_TAGS } from "../http/openapi.ts";
import { agencyCrumbs, agencyNav, portalContext } from "../http/public-layout.ts";
import { staffRoute } from "../http/staff-route.ts";
import { annualReportToJson } from "./annual-report.json.ts";
import { getPublishedReport, getPublishedRevision, previousYearData } from "./published-reports.read.ts";
import { ReportBody, ReportParams, ReportResponse, TransitionParams } from "./report.api-schemas.ts";
import {
  actor,
  agencyResource,
  type Body,
  noStore,
  sendExport,
  str,
  versionField,
  yearField,
  yearParam,
} from "./report.http.ts";
import {
  dueReportYear,
  FIRST_REPORT_YEAR,
  NARRATIVE_FIELDS,
  type NarrativeKey,
  type ReportTransition,
  yearOf,
} from "./report.rules.ts";
import {
  agenciesVisibleTo,
  findReportView,
  getAgencyBySlug,
  getReport,
  listRegionsWithAgencies,
  listReports,
  type ReportView,
  reportReminders,
} from "./report.service.ts";
import { publicReportPage, publicReportPath, regionalReportPath, reportsIndexPage } from "./report.views.ts";
import { runTransition, TRANSITION_NAMES, TRANSITION_POLICY } from "./report-admin.routes.ts";
import { chartPage } from "./report-chart.views.ts";
import {
  generateRegionalReport,
  getPublishedRegionalReport,
  getRegionalReport,
  listPublishedRegionalReports,
  listRegionalReportSummaries,
  publishRegionalReport,
  updateRegionalNarratives,
} from "./report-compiled.service.ts";
import { generateReport } from "./report-edit.service.ts";
import {
  publicRegionalIndexPage,
  publicRegionalReportPage,
  type RegionalPageModel,
  regionalIndexPage,
  regionalReportPage,
} from "./report-regional.views.ts";

export function reportRoutes(app: FastifyInstance, deps: Deps): void {
  const today = () => deps.clock.today();

  deps.consoleLinks.add({
    href: "/admin/reports",
    label: "年度报告",
    action: "report.read",
    order: 600,
    description: "编制、审核、发布政府信息公开工作年度报告（每年1月31日前公布上一年度报告）。",
  });

  function reportYears(): number[] {
    const current = yearOf(today());
    const years: number[] = [];
    for (let y = current; y >= FIRST_REPORT_YEAR; y--) years.push(y);
    // The report due now first (the previous year), then the current year (preview), then older years.
    return [dueReportYear(today()), ...years.filter((y) => y !== dueReportYear(today()))].filter(
      (y) => y >= FIRST_REPORT_YEAR,
    );
  }

  // -------------------------------------------------------------------------------------------------------------
  // Staff: list
  // -------------------------------------------------------------------------------------------------------------

  app.get("/admin/reports", { config: { policy: "report.read" } }, async (request, reply) => {
    const user = authorize(request, reply, "report.read");
    const agencies = await agenciesVisibleTo(deps.db, user);
    const summaries = await listReports(
      deps.db,
      agencies.map((a) => a.id),
      today(),
    );
    const reminders = await reportReminders(deps.db, agencies, today());
    noStore(reply);
    return sendHtml(
      reply,
      reportsIndexPage(pageContext(request), {
        agencies: agencies.map((agency) => ({
          agency,
          reports: summaries.filter((s) => s.agencyId === agency.id),
          canEdit: can(user, "report.edit", agencyResource(agency)),
        })),
        reminders,
        years: reportYears(),
        canAggregate: can(user, "report.aggregate"),
      }),
    );
  });

  // -------------------------------------------------------------------------------------------------------------
  // Supervisors: the region's compiled report
  // -------------------------------------------------------------------------------------------------------------

  type RegionRequest = FastifyRequest<{ Params: { regionId: string; year: string } }>;

  /** The year of a region's report URL, once the user may compile that region's report. */
  function regionalYear(request: RegionRequest, reply: FastifyReply): number {
    const year = yearParam(request.params.year);
    authorize(request, reply, "report.aggregate", { regionId: request.params.regionId });
    return year;
  }

  /** The region's report page (again, with a refusal or the typed values and their errors, and its status). */
  async function regionalPage(
    request: RegionRequest,
    reply: FastifyReply,
    year: number,
    model: Omit<RegionalPageModel, "view" | "errors"> & { errors?: RegionalPageModel["errors"] },
    status = 200,
  ) {
    const view = await getRegionalReport(deps.db, request.params.regionId, year);
    noStore(reply);
    return sendHtml(reply, regionalReportPage(pageContext(request), { view, errors: [], ...model }), status);
  }

  async function regionsFor(user: StaffUser) {
    const scope = agencyScope(user, "report.aggregate");
    const regions = await listRegionsWithAgencies(deps.db);
    return scope.all ? regions : regions.filter((r) => scope.regionIds.includes(r.id));
  }

  app.get("/admin/region-reports", { config: { policy: "report.aggregate" } }, async (request, reply) => {
    const user = authorize(request, reply, "report.aggregate");
    const regions = await regionsFor(user);
    const reports = await listRegionalReportSummaries(
      deps.db,
      regions.map((r) => r.id),
    );
    noStore(reply);
    return sendHtml(
      reply,
      regionalIndexPage(pageContext(request), {
        regions: regions.map((region) => ({
          region,
          reports: reports.filter((r) => r.regionId === region.id),
        })),
        years: reportYears(),
      }),
    );
  });

  app.post<{ Params: { regionId: string } }>(
    "/admin/region-reports/:regionId/generate",
    { config: { policy: "report.aggregate" } },
    async (request, reply) => {
      authorize(request, reply, "report.aggregate", { regionId: request.params.regionId });
      const year = yearField(str((request.body ?? {}) as Body, "year"));
      const view = await generateRegionalReport(deps, {
        regionId: request.params.regionId,
        year,
        actor: actor(request),
        today: today(),
        now: deps.clock.now(),
      });
      return reply.redirect(`${regionalReportPath(view.regionId, year)}?done=generate`, 303);
    },
  );

  app.get<{ Params: { regionId: string; year: string }; Querystring: { done?: string } }>(
    "/admin/region-reports/:regionId/:year",
    { config: { policy: "report.aggregate" } },
    async (request, reply) => {
      const year = regionalYear(request, reply);
      const done = ["generate", "text", "publish"].includes(request.query.done ?? "")
        ? request.query.done
        : undefined;
      return regionalPage(request, reply, year, { done });
    },
  );

  app.post<{ Params: { regionId: string; year: string } }>(
    "/admin/region-reports/:regionId/:year/publish",
    { config: { policy: "report.aggregate" } },
    async (request, reply) => {
      const year = regionalYear(request, reply);
      try {
        await publishRegionalReport(deps, {
          regionId: request.params.regionId,
          year,
          actor: actor(request),
          today: today(),
          now: deps.clock.now(),
        });
      } catch (err) {
        if (
          !isAppError(err) ||
          (err.code !== "report_check_failed" && err.code !== "report_year_not_ended")
        ) {
          throw err;
        }
        return regionalPage(
          request,
          reply,
          year,
          { error: { message: err.message, code: err.code } },
          err.status,
        );
      }
      return reply.redirect(`${regionalReportPath(request.params.regionId, year)}?done=publish`, 303);
    },
  );

  app.post<{ Params: { regionId: string; year: string } }>(
    "/admin/region-reports/:regionId/:year/text",
    { config: { policy: "report.aggregate" } },
    async (request, reply) => {
      const year = regionalYear(request, reply);
      const body = (request.body ?? {}) as Body;
      const values: Partial<Record<NarrativeKey, string>> = {};
      for (const f of NARRATIVE_FIELDS) {
        const v = str(body, f.key);
        if (v !== undefined) values[f.key] = v;
      }
      const name = str(body, "name") ?? "";
      try {
        await updateRegionalNarratives(deps, {
          regionId: request.params.regionId,
          year,
          name,
          values,
          actor: actor(request),
        });
      } catch (err) {
        if (!isAppError(err) || err.code !== "validation_failed") throw err;
        return regionalPage(request, reply, year, { errors: err.fields, entered: { name, values } }, 400);
      }
      return reply.redirect(`${regionalReportPath(request.params.regionId, year)}?done=text`, 303);
    },
  );

  app.get<{ Params: { regionId: string; year: string; file: string } }>(
    "/admin/region-reports/:regionId/:year/files/:file",
    { config: { policy: "report.aggregate" } },
    async (request, reply) => {
      const year = regionalYear(request, reply);
      const view = await getRegionalReport(deps.db, request.params.regionId, year);
      noStore(reply);
      return sendExport(reply, view.data, request.params.file);
    },
  );

  // -------------------------------------------------------------------------------------------------------------
  // JSON API
  // -------------------------------------------------------------------------------------------------------------

  function presentView(view: ReportView) {
    return {
      agencyId: view.agencyId,
      year: view.year,
      title: view.title,
      status: view.status,
      statusLabel: view.statusLabel,
      version: view.version,
      submittable: view.submittable,
      findings: view.findings,
      manualCells: view.manual,
      editedNarratives: Object.keys(view.narratives),
      generatedAt: view.generatedAt.toISOString(),
      publishedOn: view.publishedOn,
      deadline: view.lateness.deadline,
      publishedLate: view.lateness.publishedLate,
      overdue: view.lateness.overdue,
      report: annualReportToJson(view.data),
    };
  }

  staffRoute(app, deps, {
    method: "GET",
    url: "/api/v1/reports/:slug/:year",
    policy: "report.read",
    options: {
      config: { errors: ["agency_not_found", "report_not_found", "report_year_invalid"] },
      schema: {
        operationId: "getAnnualReport",
        summary: "查看机关某年度的政府信息公开工作年度报告（状态、校验结果和内容）",
        tags: [API_TAGS.reports],
        params: ReportParams,
        response: { 200: ReportResponse },
      },
    },
    handle: async (c) => {
      noStore(c.reply);
      return presentView(await getReport(deps.db, c.agency, yearParam(c.params.year ?? ""), today()));
    },
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/api/v1/reports/:slug/:year/generate",
    policy: "report.edit",
    options: {
      config: {
        errors: ["agency_not_found", "report_year_invalid", "report_conflict", "report_invalid_transition"],
        openapi: { body: ReportBody },
      },
      schema: {
        operationId: "generateAnnualReport",
        summary: "根据平台数据生成（或重新生成）年度报告草稿",
        tags: [API_TAGS.reports],
        params: ReportParams,
        response: {
          200: { ...ReportResponse, description: "重新生成了已有的报告" },
          201: { ...ReportResponse, description: "生成了新的报告" },
        },
      },
    },
    handle: async (c) => {
      const year = yearParam(c.params.year ?? "");
      const version = versionField((c.body ?? {}) as Body);
      const existed = (await findReportView(deps.db, c.agency, year, today())) !== undefined;
      const view = await generateReport(deps, {
        agency: c.agency,
        year,
        actor: c.actor,
        today: today(),
        now: deps.clock.now(),
        ...(version !== undefined ? { version } : {}),
      });
      return c.reply.status(existed ? 200 : 201).send(presentView(view));
    },
  });

  // One documented operation for every transition (clients name it in the URL): the guard checks the transition's
  // own action (policyByParam, the pages' TRANSITION_POLICY), the handler the action the report's status needs.
  staffRoute(app, deps, {
    method: "POST",
    url: "/api/v1/reports/:slug/:year/transitions/:transition",
    policy: "report.read",
    options: {
      config: {
        errors: [
          "not_found",
          "agency_not_found",
          "report_not_found",
          "report_year_invalid",
          "report_year_not_ended",
          "report_conflict",
          "report_invalid_transition",
          "report_check_failed",
        ],
        openapi: { body: ReportBody },
        policyByParam: { param: "transition", policies: TRANSITION_POLICY },
      },
      schema: {
        operationId: "transitionAnnualReport",
        summary: "年度报告流转：提交、审核、审签、发布或退回",
        tags: [API_TAGS.reports],
        params: TransitionParams,
        response: { 200: ReportResponse },
      },
    },
    handle: async (c) => {
      const year = yearParam(c.params.year ?? "");
      const transition = c.params.transition as ReportTransition;
      if (!TRANSITION_NAMES.includes(transition)) throw new AppError("not_found");
      return presentView(await runTransition(deps, c, year, transition));
    },
  });

  // -------------------------------------------------------------------------------------------------------------
  // Public: one published report, its 图解 and downloads (the list page is the portal's)
  // -------------------------------------------------------------------------------------------------------------

  cachedAgencyPage<{ slug: string; year: string }>(
    app,
    deps,
    "/agencies/:slug/reports/:year",
    async ({ ctx, agency, params, db }) =>
      publicReportPage(ctx, agency, await getPublishedReport(db, agency.id, yearParam(params.year))),
  );

  cachedAgencyPage<{ slug: string; year: string }>(
    app,
    deps,
    "/agencies/:slug/reports/:year/chart",
    async ({ ctx, agency, params, db }) => {
      const year = yearParam(params.year);
      const report = await getPublishedReport(db, agency.id, year);
      return chartPage(ctx, report.data, {
        previous: await previousYearData(db, agency.id, year),
        area: "portal",
        back: publicReportPath(agency, year),
        nav: agencyNav(agency, "reports"),
        breadcrumbs: agencyCrumbs(
          agency,
          { href: publicReportPath(agency), label: "政府信息公开年报" },
          { href: publicReportPath(agency, year), label: `${year}年度` },
          { label: "图解" },
        ),
      });
    },
  );

  app.get<{ Params: { slug: string; year: string; file: string } }>(
    "/agencies/:slug/reports/:year/files/:file",
    { config: { policy: "public" } },
    async (request, reply) => {
      const year = yearParam(request.params.year);
      const agency = await getAgencyBySlug(deps.db, request.params.slug);
      const report = await getPublishedReport(deps.db, agency.id, year);
      reply.header("cache-control", "public, max-age=300");
      return sendExport(reply, report.data, request.params.file);
    },
  );

  app.get<{ Params: { slug: string; year: string; revision: string; file: string } }>(
    "/agencies/:slug/reports/:year/revisions/:revision/files/:file",
    { config: { policy: "public" } },
    async (request, reply) => {
      const year = yearParam(request.params.year);
      if (!/^\d{1,4}$/.test(request.params.revision)) throw new AppError("not_found");
      const agency = await getAgencyBySlug(deps.db, request.params.slug);
      const data = await getPublishedRevision(deps.db, agency.id, year, Number(request.params.revision));
      reply.header("cache-control", "public, max-age=300");
      return sendExport(reply, data, request.params.file);
    },
  );

  // -------------------------------------------------------------------------------------------------------------
  // Public: the region's published compiled reports (本级政府年度报告)
  // -------------------------------------------------------------------------------------------------------------

  app.get<{ Params: { regionId: string } }>(
    "/regions/:regionId/reports",
    { config: { policy: "public" } },
    async (request, reply) => {
      const { region, reports } = await listPublishedRegionalReports(deps.db, request.params.regionId);
      return sendHtml(reply, publicRegionalIndexPage(portalContext(request), region, reports));
    },
  );

  app.get<{ Params: { regionId: string; year: string } }>(
    "/regions/:regionId/reports/:year",
    { config: { policy: "public" } },
    async (request, reply) => {
      const year = yearParam(request.params.year);
      const report = await getPublishedRegionalReport(deps.db, request.params.regionId, year);
      return sendHtml(
        reply,
        publicRegionalReportPage(portalContext(request), report.region, report.data, report.publishedOn),
      );
    },
  );

  app.get<{ Params: { regionId: string; year: string; file: string } }>(
    "/regions/:regionId/reports/:year/files/:file",
    { config: { policy: "public" } },
    async (request, reply) => {
      const year = yearParam(request.params.year);
      const report = await getPublishedRegionalReport(deps.db, request.params.regionId, year);
      reply.header("cache-control", "public, max-age=300");
      return sendExport(reply, report.data, request.params.file);
    },
  );
}
