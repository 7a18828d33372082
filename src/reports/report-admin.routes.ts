/**
 * @module Staff pages of one agency's annual reports, on `staffRoute` (/admin/agencies/:agency/reports…): generate or
 * refresh, the report with its checks, 图解 and downloads, editing of cells and narratives (draft only), correction
 * (更正) and the workflow, one route per transition with its own action (submit → report.edit, review →
 * report.review, approve/publish → report.approve, return → report.return, then the action the report's status
 * needs). A refused step shows the report page again with the reason. The old /admin/reports/:slug/… URLs redirect.
 */
import type { FastifyInstance } from "fastify";
import { type Action, can, type StaffUser } from "../accounts/policy.ts";
import type { Agency } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { authorize } from "../http/auth-guard.ts";
import { pageContext, sendHtml } from "../http/context.ts";
import { type FormFailure, legacyRedirect, type StaffContext, staffRoute } from "../http/staff-route.ts";
import type { SafeHtml } from "../shared/html.ts";
import { previousYearData } from "./published-reports.read.ts";
import {
  agencyResource,
  type Body,
  list,
  noStore,
  sendExport,
  str,
  versionField,
  yearField,
  yearParam,
} from "./report.http.ts";
import {
  CELL_SECTIONS,
  type CellSection,
  canTransition,
  NARRATIVE_FIELDS,
  type NarrativeKey,
  notDraftMessage,
  type ReportTransition,
  returnAction,
  TRANSITIONS,
} from "./report.rules.ts";
import { getReport, type ReportView } from "./report.service.ts";
import { adminReportPath, reportPage } from "./report.views.ts";
import { chartPage } from "./report-chart.views.ts";
import { generateReport, updateCells, updateNarratives } from "./report-edit.service.ts";
import { editCellsPage, editTextPage } from "./report-edit.views.ts";
import { correctReport, transitionReport } from "./report-workflow.service.ts";

/** A save over someone else's later save: what was typed is shown again (report_conflict alone says to reload). */
const REPORT_CONFLICT_KEPT =
  "您打开编辑页面后，其他工作人员已修改并保存了该年度报告，本次修改尚未保存。您填写的内容保留在下方；请先另开窗口查看对方的修改，核对后再保存（再次保存将覆盖对方的修改）。";

export const TRANSITION_NAMES: readonly ReportTransition[] = [
  "submit",
  "review",
  "approve",
  "publish",
  "return",
];
const DONE_KEYS = new Set(["generate", "cells", "text", "correct", ...TRANSITION_NAMES]);

/** The action a transition's route declares (return: any role that may send back; the status decides which). */
export const TRANSITION_POLICY: Record<ReportTransition, Action> = {
  submit: TRANSITIONS.submit.action,
  review: TRANSITIONS.review.action,
  approve: TRANSITIONS.approve.action,
  publish: TRANSITIONS.publish.action,
  return: "report.return",
};

/**
 * Authorizes a transition of the report as it is now by the transition's own action (the pages' routes declare it,
 * the API's one route declares report.read): `return` needs the action of the step it sends back from, and one its
 * status does not allow is refused as such (409) whoever asks.
 */
export function authorizeTransition(
  c: StaffContext<unknown, unknown>,
  view: ReportView,
  transition: ReportTransition,
): void {
  if (transition === "return" && !canTransition(view.status, "return"))
    throw new AppError("report_invalid_transition", "当前状态的报告不能退回。");
  const action = transition === "return" ? returnAction(view.status) : TRANSITIONS[transition].action;
  authorize(c.request, c.reply, action, { agencyId: c.agency.id, regionId: c.agency.regionId });
}

type Ctx = StaffContext<unknown, unknown>;

/** Authorizes (authorizeTransition) and performs a transition with the form's reason and version (pages and API). */
export async function runTransition(
  deps: Deps,
  c: Ctx,
  year: number,
  transition: ReportTransition,
): Promise<ReportView> {
  const today = deps.clock.today();
  authorizeTransition(c, await getReport(deps.db, c.agency, year, today), transition);
  const body = (c.body ?? {}) as Body;
  const version = versionField(body);
  return transitionReport(deps, {
    agency: c.agency,
    year,
    transition,
    reason: str(body, "reason") ?? "",
    actor: c.actor,
    today,
    now: deps.clock.now(),
    ...(version !== undefined ? { version } : {}),
  });
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

/** Editing (draft only): cells of one section, or the narratives ("text"). */
function parseSection(value: string): CellSection | "text" {
  if (value === "text") return "text";
  if ((CELL_SECTIONS as readonly string[]).includes(value)) return value as CellSection;
  throw new AppError("not_found");
}

export function reportAdminRoutes(app: FastifyInstance, deps: Deps): void {
  const today = () => deps.clock.today();
  const yearOfUrl = (c: Ctx) => yearParam(c.params.year ?? "");

  function renderReport(
    c: Ctx,
    view: ReportView,
    extra: { done?: string | undefined; error?: { message: string; code: string } } = {},
  ): SafeHtml {
    return reportPage(pageContext(c.request), {
      agency: c.agency,
      view,
      allowed: allowedFor(c.user, c.agency, view.status),
      done: extra.done,
      error: extra.error,
    });
  }

  /** A refused workflow step (correction or transition): the report page again, with the reason. */
  async function workflowRefused(c: Ctx, failure: FormFailure): Promise<SafeHtml> {
    const view = await getReport(deps.db, c.agency, yearOfUrl(c), today());
    const message =
      failure.code === "validation_failed"
        ? failure.errors.map((f) => f.message).join("；") || failure.message
        : failure.message;
    return renderReport(c, view, { error: { message, code: failure.code } });
  }
  const anyRefusal = (code: string) => !code.endsWith("not_found");

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/reports/generate",
    policy: "report.edit",
    input: (body) => ({
      year: yearField(str((body ?? {}) as Body, "year")),
      version: versionField((body ?? {}) as Body),
    }),
    handle: (c) =>
      generateReport(deps, {
        agency: c.agency,
        year: c.input.year,
        actor: c.actor,
        today: today(),
        now: deps.clock.now(),
        ...(c.input.version !== undefined ? { version: c.input.version } : {}),
      }),
    redirect: (c) => `${adminReportPath(c.agency, c.input.year)}?done=generate`,
  });

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/reports/:year",
    policy: "report.read",
    handle: async (c) => {
      const view = await getReport(deps.db, c.agency, yearOfUrl(c), today());
      const done = typeof c.query.done === "string" && DONE_KEYS.has(c.query.done) ? c.query.done : undefined;
      return renderReport(c, view, { done });
    },
  });

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/reports/:year/chart",
    policy: "report.read",
    handle: async (c) => {
      const year = yearOfUrl(c);
      const view = await getReport(deps.db, c.agency, year, today());
      return chartPage(pageContext(c.request), view.data, {
        previous: await previousYearData(deps.db, c.agency.id, year),
        area: "staff",
        back: adminReportPath(c.agency, year),
        breadcrumbs: [
          { href: "/admin", label: "工作台" },
          { href: "/admin/reports", label: "年度报告" },
          { href: adminReportPath(c.agency, year), label: `${c.agency.shortName} ${year}年度` },
          { label: "图解" },
        ],
      });
    },
  });

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/reports/:year/files/:file",
    policy: "report.read",
    handle: async (c) => {
      const view = await getReport(deps.db, c.agency, yearOfUrl(c), today());
      noStore(c.reply);
      return sendExport(c.reply, view.data, c.params.file ?? "");
    },
  });

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/reports/:year/edit/:section",
    policy: "report.edit",
    handle: async (c) => {
      const section = parseSection(c.params.section ?? "");
      const view = await getReport(deps.db, c.agency, yearOfUrl(c), today());
      if (view.status !== "draft") {
        noStore(c.reply);
        const page = renderReport(c, view, {
          error: {
            code: "report_invalid_transition",
            message: notDraftMessage(view.status),
          },
        });
        return sendHtml(c.reply, page, 409);
      }
      const ctx = pageContext(c.request);
      return section === "text"
        ? editTextPage(ctx, { agency: c.agency, view, errors: [] })
        : editCellsPage(ctx, { agency: c.agency, view, section, errors: [] });
    },
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/reports/:year/edit/:section",
    policy: "report.edit",
    handle: async (c) => {
      const year = yearOfUrl(c);
      const section = parseSection(c.params.section ?? "");
      const body = (c.body ?? {}) as Body;
      const version = versionField(body) ?? -1;
      if (section === "text") {
        const values: Partial<Record<NarrativeKey, string>> = {};
        for (const f of NARRATIVE_FIELDS) {
          const v = str(body, f.key);
          if (v !== undefined) values[f.key] = v;
        }
        const reset = list(body, "reset").filter((k): k is NarrativeKey =>
          NARRATIVE_FIELDS.some((f) => f.key === k),
        );
        await updateNarratives(deps, {
          agency: c.agency,
          year,
          version,
          values,
          reset,
          actor: c.actor,
          today: today(),
        });
      } else {
        const values: Record<string, string> = {};
        for (const [k, v] of Object.entries(body)) {
          const s = str(body, k);
          if (k !== "_csrf" && k !== "version" && s !== undefined && v !== undefined) values[k] = s;
        }
        await updateCells(deps, {
          agency: c.agency,
          year,
          version,
          section,
          values,
          actor: c.actor,
          today: today(),
        });
      }
      return { redirect: `${adminReportPath(c.agency, year)}?done=${section === "text" ? "text" : "cells"}` };
    },
    // What was typed comes back on a validation error, a refusal or a conflict with a draft someone else saved
    // meanwhile (the form then carries the current version: saving again is a deliberate overwrite); a report that
    // is no longer a draft shows the report with the reason.
    form: async (c, failure) => {
      const section = parseSection(c.params.section ?? "");
      const view = await getReport(deps.db, c.agency, yearOfUrl(c), today());
      if (
        failure.code === "report_invalid_transition" ||
        (failure.code === "report_conflict" && view.status !== "draft")
      )
        return renderReport(c, view, { error: { message: failure.message, code: failure.code } });
      const body = (c.body ?? {}) as Body;
      const ctx = pageContext(c.request);
      const message =
        failure.code === "validation_failed"
          ? undefined
          : failure.code === "report_conflict"
            ? REPORT_CONFLICT_KEPT
            : failure.message;
      if (section === "text") {
        const entered: Partial<Record<NarrativeKey, string>> = {};
        for (const f of NARRATIVE_FIELDS) entered[f.key] = str(body, f.key) ?? "";
        return editTextPage(ctx, { agency: c.agency, view, errors: failure.errors, entered, message });
      }
      const entered: Record<string, string> = {};
      for (const k of Object.keys(body)) entered[k] = str(body, k) ?? "";
      return editCellsPage(ctx, {
        agency: c.agency,
        view,
        section,
        errors: failure.errors,
        entered,
        message,
      });
    },
    formErrors: ["report_conflict", "report_invalid_transition"],
  });

  // Correction (更正) of a published report, by an approver: a new revision in draft.
  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/reports/:year/correct",
    policy: "report.approve",
    handle: (c) => {
      const body = (c.body ?? {}) as Body;
      const version = versionField(body);
      return correctReport(deps, {
        agency: c.agency,
        year: yearOfUrl(c),
        reason: str(body, "reason") ?? "",
        actor: c.actor,
        today: today(),
        now: deps.clock.now(),
        ...(version !== undefined ? { version } : {}),
      });
    },
    redirect: (c) => `${adminReportPath(c.agency, yearOfUrl(c))}?done=correct`,
    form: workflowRefused,
    formErrors: anyRefusal,
  });

  for (const transition of TRANSITION_NAMES) {
    staffRoute(app, deps, {
      method: "POST",
      url: `/admin/agencies/:agency/reports/:year/${transition}`,
      policy: TRANSITION_POLICY[transition],
      handle: async (c) => {
        await runTransition(deps, c, yearOfUrl(c), transition);
      },
      redirect: (c) => `${adminReportPath(c.agency, yearOfUrl(c))}?done=${transition}`,
      form: workflowRefused,
      formErrors: anyRefusal,
    });
  }

  // Old URLs (/admin/reports/:slug/…): the agency was already in the path.
  const moved = (url: string) =>
    url.replace(/^\/admin\/reports\/([^/?]+)/, (_m, slug: string) => `/admin/agencies/${slug}/reports`);
  const OLD: ["GET" | "POST", string, Action][] = [
    ["POST", "/admin/reports/:slug/generate", "report.edit"],
    ["GET", "/admin/reports/:slug/:year", "report.read"],
    ["GET", "/admin/reports/:slug/:year/chart", "report.read"],
    ["GET", "/admin/reports/:slug/:year/files/:file", "report.read"],
    ["GET", "/admin/reports/:slug/:year/edit/:section", "report.edit"],
    ["POST", "/admin/reports/:slug/:year/edit/:section", "report.edit"],
    ["POST", "/admin/reports/:slug/:year/correct", "report.approve"],
    ...TRANSITION_NAMES.map((t): ["POST", string, Action] => [
      "POST",
      `/admin/reports/:slug/:year/${t}`,
      TRANSITION_POLICY[t],
    ]),
  ];
  for (const [method, url, policy] of OLD)
    legacyRedirect(app, {
      method,
      url,
      policy,
      to: (request) => moved(request.url.split("?", 1)[0] as string),
    });
}
