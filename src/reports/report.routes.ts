/**
 * @module Routes of the annual report.
 *
 * Staff (/admin/reports…): list with reminders, generate/refresh, the report with its checks, editing of cells and
 * narratives (draft only), the workflow (submit → review → approve → publish, return), downloads and 图解.
 * Supervisors (/admin/region-reports…, action report.aggregate): the region's compiled report.
 * API (/api/v1/reports/{slug}/{year}…): read, generate, transitions (refusals carry `report_check_failed` and the
 * findings in `details.findings`).
 * Public (/agencies/{slug}/reports/{year}…): published reports only (the list page belongs to the portal), with the
 * revisions superseded by a correction (更正) under …/revisions/{n}/files/…; the regions' published compiled reports
 * (/regions/{regionId}/reports…).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type Action, agencyScope, can, type StaffUser } from "../accounts/policy.ts";
import type { Agency } from "../agencies/agency.service.ts";
import { actorOf } from "../audit/audit.service.ts";
import type { Deps } from "../deps.ts";
import { AppError, isAppError } from "../errors.ts";
import { authorize } from "../http/auth-guard.ts";
import { pageContext, sendHtml } from "../http/context.ts";
import { API_TAGS } from "../http/openapi.ts";
import { sendCached } from "../http/page-cache.ts";
import { agencyCrumbs, agencyNav } from "../portal/portal.views.ts";
import { portalContext } from "../portal/portal-context.ts";
import { annualReportToJson } from "./annual-report.json.ts";
import type { AnnualReportData } from "./annual-report.rules.ts";
import { ReportBody, ReportParams, ReportResponse, TransitionParams } from "./report.api-schemas.ts";
import { contentDisposition, formatFromFileName, renderExport, standaloneHtmlCsp } from "./report.exports.ts";
import {
  CELL_SECTIONS,
  type CellSection,
  dueReportYear,
  FIRST_REPORT_YEAR,
  NARRATIVE_FIELDS,
  type NarrativeKey,
  type ReportTransition,
  returnAction,
  TRANSITIONS,
  yearOf,
} from "./report.rules.ts";
import {
  type Actor,
  agenciesVisibleTo,
  correctReport,
  findReportView,
  generateRegionalReport,
  generateReport,
  getAgencyBySlug,
  getPublishedRegionalReport,
  getPublishedReport,
  getPublishedRevision,
  getRegionalReport,
  getReport,
  listPublishedRegionalReports,
  listRegionalReportSummaries,
  listRegionsWithAgencies,
  listReports,
  publishRegionalReport,
  type ReportView,
  reportReminders,
  transitionReport,
  updateCells,
  updateNarratives,
  updateRegionalNarratives,
} from "./report.service.ts";
import {
  adminReportPath,
  chartPage,
  editCellsPage,
  editTextPage,
  publicRegionalIndexPage,
  publicRegionalReportPage,
  publicReportPage,
  publicReportPath,
  regionalIndexPage,
  regionalReportPage,
  regionalReportPath,
  reportPage,
  reportsIndexPage,
} from "./report.views.ts";

const TRANSITION_NAMES: readonly ReportTransition[] = ["submit", "review", "approve", "publish", "return"];
const DONE_KEYS = new Set(["generate", "cells", "text", "correct", ...TRANSITION_NAMES]);

type Body = Record<string, unknown>;

function str(body: Body, key: string): string | undefined {
  const v = body[key];
  if (typeof v === "string") return v;
  if (Array.isArray(v) && typeof v[0] === "string") return v[0];
  if (typeof v === "number") return String(v);
  return undefined;
}

function list(body: Body, key: string): string[] {
  const v = body[key];
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
  return [];
}

/** A 4-digit year from the URL; anything else is 404. */
function yearParam(value: string): number {
  if (!/^\d{4}$/.test(value)) throw new AppError("not_found");
  return Number(value);
}

/** A year from a form: invalid → report_year_invalid. */
function yearField(value: string | undefined): number {
  if (!value || !/^\d{4}$/.test(value.trim())) throw new AppError("report_year_invalid");
  return Number(value.trim());
}

function versionField(body: Body): number | undefined {
  const v = str(body, "version");
  if (v === undefined || v === "") return undefined;
  if (!/^\d{1,9}$/.test(v)) throw new AppError("bad_request");
  return Number(v);
}

function actor(request: FastifyRequest): Actor {
  const a = actorOf(request);
  return { id: a.actorId, name: a.actorName, ip: a.ip };
}

function agencyResource(agency: Agency) {
  return { agencyId: agency.id, regionId: agency.regionId };
}

export function reportRoutes(app: FastifyInstance, deps: Deps): void {
  const cache = deps.pageCache;
  const today = () => deps.clock.today();

  deps.consoleLinks.add({
    href: "/admin/reports",
    label: "年度报告",
    action: "report.read",
    order: 600,
    description: "编制、审核、发布政府信息公开工作年度报告（每年1月31日前公布上一年度报告）。",
  });

  /** The agency from the URL, authorized for `action` (another agency's → 404). */
  async function agencyFor(
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    action: Action,
  ): Promise<{ agency: Agency; user: StaffUser }> {
    const agency = await getAgencyBySlug(deps.db, slug);
    const user = authorize(request, reply, action, agencyResource(agency));
    return { agency, user };
  }

  function allowedFor(
    user: StaffUser,
    agency: Agency,
    status: ReportView["status"],
  ): Partial<Record<ReportTransition | "edit" | "correct", boolean>> {
    const r = agencyResource(agency);
    return {
      edit: can(user, "report.edit", r),
      submit: can(user, "report.edit", r),
      review: can(user, "report.review", r),
      approve: can(user, "report.approve", r),
      publish: can(user, "report.approve", r),
      correct: can(user, "report.approve", r),
      return: can(user, returnAction(status), r),
    };
  }

  function noStore(reply: FastifyReply): void {
    reply.header("cache-control", "private, no-store");
  }

  async function sendExport(
    reply: FastifyReply,
    data: AnnualReportData,
    file: string,
  ): Promise<FastifyReply> {
    const format = formatFromFileName(file);
    if (!format) throw new AppError("not_found");
    const out = await renderExport(data, format);
    reply.header("content-disposition", contentDisposition(out));
    if (format === "html") reply.header("content-security-policy", standaloneHtmlCsp());
    return reply.type(out.contentType).send(out.body);
  }

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
  // Staff: generate / refresh
  // -------------------------------------------------------------------------------------------------------------

  app.post<{ Params: { slug: string } }>(
    "/admin/reports/:slug/generate",
    { config: { policy: "report.edit" } },
    async (request, reply) => {
      const { agency } = await agencyFor(request, reply, request.params.slug, "report.edit");
      const body = (request.body ?? {}) as Body;
      const year = yearField(str(body, "year"));
      const version = versionField(body);
      await generateReport(deps.db, {
        agency,
        year,
        actor: actor(request),
        today: today(),
        now: deps.clock.now(),
        ...(version !== undefined ? { version } : {}),
      });
      return reply.redirect(`${adminReportPath(agency, year)}?done=generate`, 303);
    },
  );

  // -------------------------------------------------------------------------------------------------------------
  // Staff: one report
  // -------------------------------------------------------------------------------------------------------------

  async function renderReport(
    request: FastifyRequest,
    reply: FastifyReply,
    agency: Agency,
    user: StaffUser,
    view: ReportView,
    extra: { done?: string; error?: AppError } = {},
    status = 200,
  ): Promise<FastifyReply> {
    noStore(reply);
    return sendHtml(
      reply,
      reportPage(pageContext(request), {
        agency,
        view,
        allowed: allowedFor(user, agency, view.status),
        done: extra.done,
        error: extra.error ? { message: extra.error.message, code: extra.error.code } : undefined,
      }),
      status,
    );
  }

  app.get<{ Params: { slug: string; year: string }; Querystring: { done?: string } }>(
    "/admin/reports/:slug/:year",
    { config: { policy: "report.read" } },
    async (request, reply) => {
      const year = yearParam(request.params.year);
      const { agency, user } = await agencyFor(request, reply, request.params.slug, "report.read");
      const view = await getReport(deps.db, agency, year, today());
      const done =
        typeof request.query.done === "string" && DONE_KEYS.has(request.query.done)
          ? request.query.done
          : undefined;
      return renderReport(request, reply, agency, user, view, done ? { done } : {});
    },
  );

  app.get<{ Params: { slug: string; year: string } }>(
    "/admin/reports/:slug/:year/chart",
    { config: { policy: "report.read" } },
    async (request, reply) => {
      const year = yearParam(request.params.year);
      const { agency } = await agencyFor(request, reply, request.params.slug, "report.read");
      const view = await getReport(deps.db, agency, year, today());
      noStore(reply);
      return sendHtml(
        reply,
        chartPage(pageContext(request), view.data, {
          area: "staff",
          back: adminReportPath(agency, year),
          breadcrumbs: [
            { href: "/admin", label: "工作台" },
            { href: "/admin/reports", label: "年度报告" },
            { href: adminReportPath(agency, year), label: `${agency.shortName} ${year}年度` },
            { label: "图解" },
          ],
        }),
      );
    },
  );

  app.get<{ Params: { slug: string; year: string; file: string } }>(
    "/admin/reports/:slug/:year/files/:file",
    { config: { policy: "report.read" } },
    async (request, reply) => {
      const year = yearParam(request.params.year);
      const { agency } = await agencyFor(request, reply, request.params.slug, "report.read");
      const view = await getReport(deps.db, agency, year, today());
      noStore(reply);
      return sendExport(reply, view.data, request.params.file);
    },
  );

  // Editing (draft only): cells of one section, or the narratives ("text").
  function parseSection(value: string): CellSection | "text" {
    if (value === "text") return "text";
    if ((CELL_SECTIONS as readonly string[]).includes(value)) return value as CellSection;
    throw new AppError("not_found");
  }

  app.get<{ Params: { slug: string; year: string; section: string } }>(
    "/admin/reports/:slug/:year/edit/:section",
    { config: { policy: "report.edit" } },
    async (request, reply) => {
      const year = yearParam(request.params.year);
      const section = parseSection(request.params.section);
      const { agency, user } = await agencyFor(request, reply, request.params.slug, "report.edit");
      const view = await getReport(deps.db, agency, year, today());
      if (view.status !== "draft") {
        return renderReport(
          request,
          reply,
          agency,
          user,
          view,
          {
            error: new AppError(
              "report_invalid_transition",
              "只有起草中的报告可以修改；如需修改，请先退回。",
            ),
          },
          409,
        );
      }
      noStore(reply);
      const ctx = pageContext(request);
      return sendHtml(
        reply,
        section === "text"
          ? editTextPage(ctx, { agency, view, errors: [] })
          : editCellsPage(ctx, { agency, view, section, errors: [] }),
      );
    },
  );

  app.post<{ Params: { slug: string; year: string; section: string } }>(
    "/admin/reports/:slug/:year/edit/:section",
    { config: { policy: "report.edit" } },
    async (request, reply) => {
      const year = yearParam(request.params.year);
      const section = parseSection(request.params.section);
      const { agency, user } = await agencyFor(request, reply, request.params.slug, "report.edit");
      const body = (request.body ?? {}) as Body;
      const version = versionField(body) ?? -1;
      try {
        if (section === "text") {
          const values: Partial<Record<NarrativeKey, string>> = {};
          for (const f of NARRATIVE_FIELDS) {
            const v = str(body, f.key);
            if (v !== undefined) values[f.key] = v;
          }
          const reset = list(body, "reset").filter((k): k is NarrativeKey =>
            NARRATIVE_FIELDS.some((f) => f.key === k),
          );
          await updateNarratives(deps.db, {
            agency,
            year,
            version,
            values,
            reset,
            actor: actor(request),
            today: today(),
          });
        } else {
          const values: Record<string, string> = {};
          for (const [k, v] of Object.entries(body)) {
            const s = str(body, k);
            if (k !== "_csrf" && k !== "version" && s !== undefined && v !== undefined) values[k] = s;
          }
          await updateCells(deps.db, {
            agency,
            year,
            version,
            section,
            values,
            actor: actor(request),
            today: today(),
          });
        }
      } catch (err) {
        if (!isAppError(err)) throw err;
        const view = await getReport(deps.db, agency, year, today());
        if (err.code === "validation_failed") {
          noStore(reply);
          const ctx = pageContext(request);
          if (section === "text") {
            const entered: Partial<Record<NarrativeKey, string>> = {};
            for (const f of NARRATIVE_FIELDS) entered[f.key] = str(body, f.key) ?? "";
            return sendHtml(reply, editTextPage(ctx, { agency, view, errors: err.fields, entered }), 400);
          }
          const entered: Record<string, string> = {};
          for (const k of Object.keys(body)) entered[k] = str(body, k) ?? "";
          return sendHtml(
            reply,
            editCellsPage(ctx, { agency, view, section, errors: err.fields, entered }),
            400,
          );
        }
        if (err.code === "report_conflict" || err.code === "report_invalid_transition") {
          return renderReport(request, reply, agency, user, view, { error: err }, err.status);
        }
        throw err;
      }
      return reply.redirect(
        `${adminReportPath(agency, year)}?done=${section === "text" ? "text" : "cells"}`,
        303,
      );
    },
  );

  // Correction (更正) of a published report, by an approver: a new revision in draft.
  app.post<{ Params: { slug: string; year: string } }>(
    "/admin/reports/:slug/:year/correct",
    { config: { policy: "report.approve" } },
    async (request, reply) => {
      const year = yearParam(request.params.year);
      const { agency, user } = await agencyFor(request, reply, request.params.slug, "report.approve");
      const body = (request.body ?? {}) as Body;
      try {
        await correctReport(deps.db, {
          agency,
          year,
          reason: str(body, "reason") ?? "",
          actor: actor(request),
          today: today(),
          now: deps.clock.now(),
          ...(versionField(body) !== undefined ? { version: versionField(body) } : {}),
        });
      } catch (err) {
        return renderWorkflowError(request, reply, agency, user, year, err);
      }
      return reply.redirect(`${adminReportPath(agency, year)}?done=correct`, 303);
    },
  );

  /** A refused workflow step (correction or transition): the report page again, with the reason. */
  async function renderWorkflowError(
    request: FastifyRequest,
    reply: FastifyReply,
    agency: Parameters<typeof renderReport>[2],
    user: Parameters<typeof renderReport>[3],
    year: number,
    err: unknown,
  ) {
    if (!isAppError(err) || err.status >= 500) throw err;
    const view = await getReport(deps.db, agency, year, today());
    const message =
      err.code === "validation_failed"
        ? err.fields.map((f) => f.message).join("；") || err.message
        : err.message;
    return renderReport(
      request,
      reply,
      agency,
      user,
      view,
      { error: new AppError(err.code, message) },
      err.status,
    );
  }

  // Workflow. The route admits anyone who may read reports; the handler authorizes the transition's own action.
  app.post<{ Params: { slug: string; year: string; transition: string } }>(
    "/admin/reports/:slug/:year/:transition",
    { config: { policy: "report.read" } },
    async (request, reply) => {
      const year = yearParam(request.params.year);
      const transition = request.params.transition as ReportTransition;
      if (!TRANSITION_NAMES.includes(transition)) throw new AppError("not_found");
      const { agency } = await agencyFor(request, reply, request.params.slug, "report.read");
      const current = await getReport(deps.db, agency, year, today());
      const action = transition === "return" ? returnAction(current.status) : TRANSITIONS[transition].action;
      const user = authorize(request, reply, action, agencyResource(agency));
      const body = (request.body ?? {}) as Body;
      try {
        await transitionReport(deps, {
          agency,
          year,
          transition,
          reason: str(body, "reason") ?? "",
          actor: actor(request),
          today: today(),
          now: deps.clock.now(),
          ...(versionField(body) !== undefined ? { version: versionField(body) } : {}),
        });
      } catch (err) {
        return renderWorkflowError(request, reply, agency, user, year, err);
      }
      return reply.redirect(`${adminReportPath(agency, year)}?done=${transition}`, 303);
    },
  );

  // -------------------------------------------------------------------------------------------------------------
  // Supervisors: the region's compiled report
  // -------------------------------------------------------------------------------------------------------------

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
      const view = await generateRegionalReport(deps.db, {
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
      const year = yearParam(request.params.year);
      authorize(request, reply, "report.aggregate", { regionId: request.params.regionId });
      const view = await getRegionalReport(deps.db, request.params.regionId, year);
      noStore(reply);
      const done = ["generate", "text", "publish"].includes(request.query.done ?? "")
        ? request.query.done
        : undefined;
      return sendHtml(reply, regionalReportPage(pageContext(request), { view, errors: [], done }));
    },
  );

  app.post<{ Params: { regionId: string; year: string } }>(
    "/admin/region-reports/:regionId/:year/publish",
    { config: { policy: "report.aggregate" } },
    async (request, reply) => {
      const year = yearParam(request.params.year);
      authorize(request, reply, "report.aggregate", { regionId: request.params.regionId });
      try {
        await publishRegionalReport(deps.db, {
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
        const view = await getRegionalReport(deps.db, request.params.regionId, year);
        noStore(reply);
        return sendHtml(
          reply,
          regionalReportPage(pageContext(request), {
            view,
            errors: [],
            error: { message: err.message, code: err.code },
          }),
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
      const year = yearParam(request.params.year);
      authorize(request, reply, "report.aggregate", { regionId: request.params.regionId });
      const body = (request.body ?? {}) as Body;
      const values: Partial<Record<NarrativeKey, string>> = {};
      for (const f of NARRATIVE_FIELDS) {
        const v = str(body, f.key);
        if (v !== undefined) values[f.key] = v;
      }
      const name = str(body, "name") ?? "";
      try {
        await updateRegionalNarratives(deps.db, {
          regionId: request.params.regionId,
          year,
          name,
          values,
          actor: actor(request),
        });
      } catch (err) {
        if (!isAppError(err) || err.code !== "validation_failed") throw err;
        const view = await getRegionalReport(deps.db, request.params.regionId, year);
        noStore(reply);
        return sendHtml(
          reply,
          regionalReportPage(pageContext(request), { view, errors: err.fields, entered: { name, values } }),
          400,
        );
      }
      return reply.redirect(`${regionalReportPath(request.params.regionId, year)}?done=text`, 303);
    },
  );

  app.get<{ Params: { regionId: string; year: string; file: string } }>(
    "/admin/region-reports/:regionId/:year/files/:file",
    { config: { policy: "report.aggregate" } },
    async (request, reply) => {
      const year = yearParam(request.params.year);
      authorize(request, reply, "report.aggregate", { regionId: request.params.regionId });
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

  app.get<{ Params: { slug: string; year: string } }>(
    "/api/v1/reports/:slug/:year",
    {
      config: {
        policy: "report.read",
        errors: ["agency_not_found", "report_not_found", "report_year_invalid"],
      },
      schema: {
        operationId: "getAnnualReport",
        summary: "查看机关某年度的政府信息公开工作年度报告（状态、校验结果和内容）",
        tags: [API_TAGS.reports],
        params: ReportParams,
        response: { 200: ReportResponse },
      },
    },
    async (request, reply) => {
      const year = yearParam(request.params.year);
      const { agency } = await agencyFor(request, reply, request.params.slug, "report.read");
      noStore(reply);
      return presentView(await getReport(deps.db, agency, year, today()));
    },
  );

  app.post<{ Params: { slug: string; year: string } }>(
    "/api/v1/reports/:slug/:year/generate",
    {
      config: {
        policy: "report.edit",
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
    async (request, reply) => {
      const year = yearParam(request.params.year);
      const { agency } = await agencyFor(request, reply, request.params.slug, "report.edit");
      const body = (request.body ?? {}) as Body;
      const version = versionField(body);
      const existed = (await findReportView(deps.db, agency, year, today())) !== undefined;
      const view = await generateReport(deps.db, {
        agency,
        year,
        actor: actor(request),
        today: today(),
        now: deps.clock.now(),
        ...(version !== undefined ? { version } : {}),
      });
      return reply.status(existed ? 200 : 201).send(presentView(view));
    },
  );

  app.post<{ Params: { slug: string; year: string; transition: string } }>(
    "/api/v1/reports/:slug/:year/transitions/:transition",
    {
      config: {
        policy: "report.read",
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
      },
      schema: {
        operationId: "transitionAnnualReport",
        summary: "年度报告流转：提交、审核、审签、发布或退回",
        tags: [API_TAGS.reports],
        params: TransitionParams,
        response: { 200: ReportResponse },
      },
    },
    async (request, reply) => {
      const year = yearParam(request.params.year);
      const transition = request.params.transition as ReportTransition;
      if (!TRANSITION_NAMES.includes(transition)) throw new AppError("not_found");
      const { agency } = await agencyFor(request, reply, request.params.slug, "report.read");
      const current = await getReport(deps.db, agency, year, today());
      const action = transition === "return" ? returnAction(current.status) : TRANSITIONS[transition].action;
      authorize(request, reply, action, agencyResource(agency));
      const body = (request.body ?? {}) as Body;
      const version = versionField(body);
      const view = await transitionReport(deps, {
        agency,
        year,
        transition,
        reason: str(body, "reason") ?? "",
        actor: actor(request),
        today: today(),
        now: deps.clock.now(),
        ...(version !== undefined ? { version } : {}),
      });
      return presentView(view);
    },
  );

  // -------------------------------------------------------------------------------------------------------------
  // Public: one published report, its 图解 and downloads (the list page is the portal's)
  // -------------------------------------------------------------------------------------------------------------

  app.get<{ Params: { slug: string; year: string } }>(
    "/agencies/:slug/reports/:year",
    { config: { policy: "public" } },
    async (request, reply) => {
      const ctx = portalContext(request);
      return sendCached(
        cache,
        request,
        reply,
        { contentType: "text/html; charset=utf-8", display: ctx.display },
        async () => {
          const year = yearParam(request.params.year);
          const agency = await getAgencyBySlug(deps.db, request.params.slug);
          const report = await getPublishedReport(deps.db, agency.id, year);
          return {
            body: publicReportPage(ctx, agency, report).value,
            agencyId: agency.id,
          };
        },
      );
    },
  );

  app.get<{ Params: { slug: string; year: string } }>(
    "/agencies/:slug/reports/:year/chart",
    { config: { policy: "public" } },
    async (request, reply) => {
      const ctx = portalContext(request);
      return sendCached(
        cache,
        request,
        reply,
        { contentType: "text/html; charset=utf-8", display: ctx.display },
        async () => {
          const year = yearParam(request.params.year);
          const agency = await getAgencyBySlug(deps.db, request.params.slug);
          const report = await getPublishedReport(deps.db, agency.id, year);
          return {
            body: chartPage(ctx, report.data, {
              area: "portal",
              back: publicReportPath(agency, year),
              nav: agencyNav(agency, "reports"),
              breadcrumbs: agencyCrumbs(
                agency,
                { href: publicReportPath(agency), label: "政府信息公开年报" },
                { href: publicReportPath(agency, year), label: `${year}年度` },
                { label: "图解" },
              ),
            }).value,
            agencyId: agency.id,
          };
        },
      );
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
