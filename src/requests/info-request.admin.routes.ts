/**
 * @module Staff routes of applications (/admin/agencies/:agency/requests/…): queue, reminders, ICS feed, entry form,
 * the application page and its handling steps (request.handle; the extension approval request.approve_extension, its
 * withdrawal request.withdraw_extension),
 * the audited reveal of personal data (request.read_personal), notices (.docx, printable HTML), templates and
 * settings (agency.manage). Every route is a `staffRoute`: the agency and the application are checked before the form
 * is read, the policy once; a refused step or form shows the page again with the reason and what was typed.
 */

import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { type Action, type Actor, can } from "../accounts/policy.ts";
import { activeDepartments } from "../agencies/agencies.read.ts";
import type { Agency } from "../agencies/agency.service.ts";
import { listPublishedItems } from "../catalog/catalog.read.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import type { PolicyByParam } from "../http/auth-guard.ts";
import { pageContext } from "../http/context.ts";
import { bodyString, toFieldErrors } from "../http/forms.ts";
import { legacyAgency, type StaffContext, staffRoute } from "../http/staff-route.ts";
import type { SafeHtml } from "../shared/html.ts";
import { isUuid } from "../shared/ids.ts";
import { dueDatesIcs } from "./due-dates.ics.ts";
import { issueFeeNotice, lapseFee, recordPayment } from "./fees.service.ts";
import {
  approveExtension,
  assignInfoRequest,
  confirmReceipt,
  decideExcessive,
  endConsultation,
  lapseCorrection,
  proposeExtension,
  receiveCorrection,
  requestCorrection,
  requestReasons,
  startConsultation,
  withdrawExtension,
} from "./handling.service.ts";
import { newRequestPage, queuePage, remindersPage, requestsBase } from "./info-request.admin.views.ts";
import { applicationInput, formValues } from "./info-request.public.routes.ts";
import { getRequestSettings, openDeadlines, updateRequestSettings } from "./info-request.service.ts";
import type { ApplicantPersonalData, Channel, InfoRequest } from "./info-request.ts";
import { detailPage, type StepError } from "./info-request-detail.admin.views.ts";
import {
  getInfoRequestDetail,
  type InfoRequestDetail,
  listHandlers,
  listQueuePage,
  listReminders,
  QUEUE_VIEWS,
  type QueueView,
  requestResource,
  revealPersonalData,
} from "./info-request-query.service.ts";
import { registerApplication } from "./intake.service.ts";
import { renderNoticeDocx } from "./notices.docx.ts";
import { getTemplates, renderStoredNotice, saveTemplate } from "./notices.service.ts";
import { noticePrintPage, parseNoticeFile } from "./notices.views.ts";
import { hasEncryptionKey } from "./personal-data.ts";
import { archiveInfoRequest, linkCatalogItem, recordDelivery, replyToInfoRequest } from "./reply.service.ts";
import { settingsPage, templateEditPage, templatesPage } from "./request-settings.admin.views.ts";
import { recordCase, updateCaseResult } from "./review-case.service.ts";

type Body = Record<string, unknown>;
type Ctx = StaffContext<unknown, unknown>;
type StepFn = (
  deps: Deps,
  agency: Agency,
  id: string,
  version: number,
  actor: Actor,
  b: Body,
) => Promise<InfoRequest>;

function splitReply(b: Body): { replyType: unknown; outcome: unknown } {
  const combined = typeof b.reply === "string" ? b.reply : "";
  if (combined.includes(":")) {
    const [replyType, outcome] = combined.split(":", 2);
    return { replyType, outcome };
  }
  return { replyType: b.replyType, outcome: b.outcome };
}

/** Handling steps by URL segment (each performed with request.handle). */
export const STEPS: Record<string, StepFn> = {
  "confirm-receipt": (d, a, id, v, actor, b) =>
    confirmReceipt(d, a, id, v, actor, { date: b.date, how: b.how === "confirmed" ? "confirmed" : "signed" }),
  assign: (d, a, id, v, actor, b) =>
    assignInfoRequest(d, a, id, v, actor, { departmentId: b.departmentId, assigneeId: b.assigneeId }),
  correction: (d, a, id, v, actor, b) =>
    requestCorrection(d, a, id, v, actor, { noticeOn: b.noticeOn, dueOn: b.dueOn, items: b.items }),
  "correction-received": (d, a, id, v, actor, b) =>
    receiveCorrection(d, a, id, v, actor, { receivedOn: b.receivedOn }),
  "correction-lapsed": (d, a, id, v, actor, b) => lapseCorrection(d, a, id, v, actor, { on: b.on }),
  consultation: (d, a, id, v, actor, b) =>
    startConsultation(d, a, id, v, actor, {
      kind: b.kind,
      party: b.party,
      matters: b.matters,
      sentOn: b.sentOn,
    }),
  "consultation-end": (d, a, id, v, actor, b) =>
    endConsultation(d, a, id, v, actor, { endedOn: b.endedOn, result: b.result, note: b.note }),
  "extension-propose": (d, a, id, v, actor, b) =>
    proposeExtension(d, a, id, v, actor, { days: b.days, reason: b.reason }),
  reasons: (d, a, id, v, actor, b) => requestReasons(d, a, id, v, actor, { sentOn: b.sentOn, note: b.note }),
  excessive: (d, a, id, v, actor, b) =>
    decideExcessive(d, a, id, v, actor, {
      decision: b.decision,
      decidedOn: b.decidedOn,
      dueOn: b.dueOn,
      reasons: b.reasons,
    }),
  fee: (d, a, id, v, actor, b) =>
    issueFeeNotice(d, a, id, v, actor, { basis: b.basis, units: b.units, servedOn: b.servedOn }),
  "fee-paid": (d, a, id, v, actor, b) =>
    recordPayment(d, a, id, v, actor, { paidOn: b.paidOn, amount: b.amount }),
  "fee-lapsed": (d, a, id, v, actor, b) => lapseFee(d, a, id, v, actor, { on: b.on }),
  reply: (d, a, id, v, actor, b) =>
    replyToInfoRequest(d, a, id, v, actor, {
      ...splitReply(b),
      legalBasis: b.legalBasis,
      reasons: b.reasons,
      repliedOn: b.repliedOn,
    }),
  delivery: (d, a, id, v, actor, b) =>
    recordDelivery(d, a, id, v, actor, { method: b.method, deliveredOn: b.deliveredOn, proof: b.proof }),
  archive: (d, a, id, v, actor, b) => archiveInfoRequest(d, a, id, v, actor, { archivedOn: b.archivedOn }),
  catalog: (d, a, id, v, actor, b) => linkCatalogItem(d, a, id, v, actor, { catalogItemId: b.catalogItemId }),
};

/**
 * The form's fields as typed: line breaks as one character (a form sends a textarea's as CRLF, its maxlength counts
 * one), and read past every step's limit, so an over-long text is refused with its limit instead of cut.
 */
function strings(body: unknown): Body {
  const out: Body = {};
  if (body && typeof body === "object")
    for (const [k, v] of Object.entries(body as Body))
      out[k] =
        typeof v === "string" ? v.slice(0, 20_000).replace(/\r\n?/g, "\n") : Array.isArray(v) ? v[0] : v;
  return out;
}

export function infoRequestAdminRoutes(app: FastifyInstance, deps: Deps): void {
  const departmentsOf = async (agencyId: string) =>
    (await activeDepartments(deps.db, [agencyId])).map((d) => ({ id: d.id, name: d.name }));

  const catalogItemsOf = async (agencyId: string) =>
    (await listPublishedItems(deps.db, agencyId)).map((i) => ({
      id: i.id,
      name: `${"\u3000".repeat(i.level - 1)}${i.number ? `${i.number} ` : ""}${i.name}`,
    }));
  const keyMissing = () => !hasEncryptionKey(deps.config.encryptionKey);
  /** The application the URL names, within the agency (checked before the form is read). */
  const inAgency = (c: Ctx) => requestResource(deps.db, c.agency.id, c.params.id ?? "");

  async function renderDetail(
    c: Ctx,
    extra: { personal?: ApplicantPersonalData | null; error?: StepError; done?: string } = {},
  ): Promise<SafeHtml> {
    const agency = c.agency;
    const detail: InfoRequestDetail = await getInfoRequestDetail(deps, agency, c.params.id ?? "");
    return detailPage(pageContext(c.request), {
      agency,
      detail,
      personal: extra.personal,
      departments: await departmentsOf(agency.id),
      handlers: await listHandlers(deps.db, agency.id),
      catalogItems: await catalogItemsOf(agency.id),
      canHandle: can(c.user, "request.handle", { agencyId: agency.id }),
      canApprove: can(c.user, "request.approve_extension", { agencyId: agency.id }),
      userId: c.user.id,
      canReadPersonal: can(c.user, "request.read_personal", { agencyId: agency.id }),
      today: deps.clock.today(),
      done: extra.done,
      error: extra.error,
      keyMissing: keyMissing(),
    });
  }

  /** A handling step: redirect on success, the application page with the problem otherwise (403 included). */
  function stepRoute(spec: {
    url: string;
    policy: Action;
    step: (c: Ctx) => string;
    run: (c: Ctx, b: Body) => Promise<unknown>;
    /** The URL names the step (`:step`): each known step with its action; other names are a 404. */
    policyByParam?: PolicyByParam;
  }): void {
    staffRoute(app, deps, {
      method: "POST",
      url: spec.url,
      policy: spec.policy,
      ...(spec.policyByParam ? { options: { config: { policyByParam: spec.policyByParam } } } : {}),
      load: inAgency,
      handle: (c) => spec.run(c, strings(c.body)),
      redirect: (c) => `${requestsBase(c.agency)}/${c.params.id}?done=${encodeURIComponent(spec.step(c))}`,
      form: (c, failure) =>
        renderDetail(c, {
          error:
            failure.code === "info_request_conflict"
              ? { step: "conflict", errors: {}, message: failure.message }
              : { step: spec.step(c), errors: toFieldErrors(failure.errors), message: failure.message },
        }),
      formErrors: (code) => code !== "info_request_not_found" && code !== "not_found",
    });
  }

  // ---- queue, reminders, calendar --------------------------------------------------------------------------

  app.get("/admin/requests", { config: { policy: "request.read" } }, async (request, reply) => {
    // The user's own agency, else the first one they may read (supervisors: an agency of their region).
    const own = await legacyAgency(deps, request, reply, "request.read");
    return reply.redirect(`/admin/agencies/${own.slug}/requests`, 303);
  });

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/requests",
    policy: "request.read",
    handle: async (c) => {
      const agency = c.agency;
      const q = c.query as Record<string, string | undefined>;
      const view = QUEUE_VIEWS.includes(q.view as QueueView) ? (q.view as QueueView) : "open";
      const departmentId = isUuid(q.department ?? "") ? (q.department as string) : "";
      const channel = typeof q.channel === "string" ? q.channel.slice(0, 20) : "";
      const text = typeof q.q === "string" ? q.q.trim().slice(0, 100) : "";
      const page = /^\d{1,5}$/.test(q.page ?? "") && Number(q.page) >= 1 ? Number(q.page) : 1;
      const [queue, reminders, departments] = await Promise.all([
        listQueuePage(deps, agency, { view, departmentId, channel, text }, page),
        listReminders(deps, agency),
        departmentsOf(agency.id),
      ]);
      return queuePage(pageContext(c.request), {
        agency,
        items: queue.items,
        page: queue.page,
        hasNext: queue.hasNext,
        total: queue.total,
        view,
        text,
        departmentId,
        channel,
        departments,
        reminderCount: reminders.length,
        keyMissing: keyMissing(),
      });
    },
  });

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/requests/reminders",
    policy: "request.read",
    handle: async (c) =>
      remindersPage(pageContext(c.request), {
        agency: c.agency,
        reminders: await listReminders(deps, c.agency),
        today: deps.clock.today(),
      }),
  });

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/requests/calendar.ics",
    policy: "request.read",
    handle: async (c) => {
      const agency = c.agency;
      const entries = (await openDeadlines(deps, agency)).map((d) => ({
        requestId: d.request.id,
        number: d.request.number,
        title: d.request.infoTitle,
        kind: d.kind,
        label: d.label,
        due: d.due,
        url: `${deps.config.publicUrl}${requestsBase(agency)}/${d.request.id}`,
      }));
      c.reply.header("cache-control", "private, no-store");
      c.reply.header("content-disposition", `attachment; filename="requests-${agency.slug}.ics"`);
      return c.reply
        .type("text/calendar; charset=utf-8")
        .send(dueDatesIcs(entries, { name: `${agency.shortName}依申请公开期限`, dtstamp: deps.clock.now() }));
    },
  });

  // ---- entry ---------------------------------------------------------------------------------------------------

  const entryFields = ["channel", "submittedOn", "signedForOn", "confirmedOn", "entryKey"];
  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/requests/new",
    policy: "request.handle",
    handle: (c) =>
      newRequestPage(pageContext(c.request), {
        agency: c.agency,
        // One key per opened form: submitting it twice (a double click) registers one application.
        values: { entryKey: randomUUID() },
        errors: {},
        keyMissing: keyMissing(),
        today: deps.clock.today(),
      }),
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/requests/new",
    policy: "request.handle",
    handle: async (c) => {
      const values = formValues(c.body, entryFields);
      const { request: created } = await registerApplication(deps, c.agency, c.actor, {
        ...applicationInput(values),
        channel: (values.channel ?? "") as Channel,
        submittedOn: values.submittedOn ?? "",
        ...(values.signedForOn ? { signedForOn: values.signedForOn } : {}),
        ...(values.confirmedOn ? { confirmedOn: values.confirmedOn } : {}),
        ...(values.entryKey ? { entryKey: values.entryKey } : {}),
      });
      return { redirect: `${requestsBase(c.agency)}/${created.id}?done=created` };
    },
    form: (c, failure) =>
      newRequestPage(pageContext(c.request), {
        agency: c.agency,
        values: formValues(c.body, entryFields),
        errors: toFieldErrors(failure.errors),
        message: failure.message,
        keyMissing: keyMissing(),
        today: deps.clock.today(),
      }),
  });

  // ---- templates and settings ---------------------------------------------------------------------------------

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/requests/templates",
    policy: "agency.manage",
    handle: async (c) =>
      templatesPage(pageContext(c.request), {
        agency: c.agency,
        templates: await getTemplates(deps.db, c.agency.id),
      }),
  });

  const templateOf = async (c: Ctx) => {
    const template = (await getTemplates(deps.db, c.agency.id)).find((t) => t.kind === c.params.kind);
    if (!template) throw new AppError("not_found");
    return template;
  };

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/requests/templates/:kind",
    policy: "agency.manage",
    handle: async (c) =>
      templateEditPage(pageContext(c.request), {
        agency: c.agency,
        template: await templateOf(c),
        errors: {},
        saved: c.query.saved === "1",
      }),
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/requests/templates/:kind",
    policy: "agency.manage",
    handle: (c) =>
      saveTemplate(deps, c.agency, c.actor, c.params.kind ?? "", bodyString(c.body, "body", 20001, true)),
    redirect: (c) => `${requestsBase(c.agency)}/templates/${c.params.kind}?saved=1`,
    form: async (c, failure) =>
      templateEditPage(pageContext(c.request), {
        agency: c.agency,
        template: await templateOf(c),
        errors: toFieldErrors(failure.errors),
        saved: false,
        body: bodyString(c.body, "body", 20001, true),
      }),
  });

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/requests/settings",
    policy: "agency.manage",
    handle: async (c) =>
      settingsPage(pageContext(c.request), {
        agency: c.agency,
        settings: await getRequestSettings(deps.db, c.agency),
        errors: {},
        saved: c.query.saved === "1",
        keyMissing: keyMissing(),
      }),
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/requests/settings",
    policy: "agency.manage",
    handle: (c) => {
      const b = strings(c.body);
      return updateRequestSettings(deps, c.agency, c.actor, {
        ...b,
        feePausesClock: b.feePausesClock === "on",
      });
    },
    redirect: (c) => `${requestsBase(c.agency)}/settings?saved=1`,
    form: async (c, failure) =>
      settingsPage(pageContext(c.request), {
        agency: c.agency,
        settings: await getRequestSettings(deps.db, c.agency),
        errors: toFieldErrors(failure.errors),
        saved: false,
        keyMissing: keyMissing(),
      }),
  });

  // ---- one application ---------------------------------------------------------------------------------------

  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/requests/:id",
    policy: "request.read",
    load: inAgency,
    handle: (c) => renderDetail(c, typeof c.query.done === "string" ? { done: c.query.done } : {}),
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/admin/agencies/:agency/requests/:id/personal",
    policy: "request.read_personal",
    load: inAgency,
    handle: async (c) =>
      renderDetail(c, { personal: await revealPersonalData(deps, c.agency, c.params.id ?? "", c.actor) }),
  });

  stepRoute({
    url: "/admin/agencies/:agency/requests/:id/steps/:step",
    policy: "request.handle",
    policyByParam: {
      param: "step",
      policies: Object.fromEntries(Object.keys(STEPS).map((name) => [name, "request.handle" as const])),
    },
    step: (c) => c.params.step ?? "",
    run: (c, b) => {
      const name = c.params.step ?? "";
      const step = Object.hasOwn(STEPS, name) ? STEPS[name] : undefined;
      if (!step) throw new AppError("not_found");
      return step(deps, c.agency, c.params.id ?? "", Number(b.version), c.actor, b);
    },
  });

  stepRoute({
    url: "/admin/agencies/:agency/requests/:id/approve-extension",
    policy: "request.approve_extension",
    step: () => "approve-extension",
    run: (c, b) =>
      approveExtension(deps, c.agency, c.params.id ?? "", Number(b.version), c.actor, {
        approvedOn: b.approvedOn,
        notifiedOn: b.notifiedOn,
      }),
  });

  stepRoute({
    url: "/admin/agencies/:agency/requests/:id/withdraw-extension",
    policy: "request.withdraw_extension",
    step: () => "withdraw-extension",
    run: (c, b) =>
      withdrawExtension(deps, c.agency, c.params.id ?? "", Number(b.version), c.actor, { reason: b.reason }),
  });

  stepRoute({
    url: "/admin/agencies/:agency/requests/:id/cases",
    policy: "request.handle",
    step: () => "case",
    run: (c, b) =>
      recordCase(deps, c.agency, c.params.id ?? "", c.actor, {
        kind: b.kind,
        filedOn: b.filedOn,
        body: b.body,
        caseNumber: b.caseNumber,
      }),
  });

  stepRoute({
    url: "/admin/agencies/:agency/requests/:id/cases/:caseId",
    policy: "request.handle",
    step: () => "case-update",
    run: (c, b) =>
      updateCaseResult(deps, c.agency, c.params.caseId ?? "", Number(b.version), c.actor, {
        result: b.result,
        concludedOn: b.concludedOn,
        note: b.note,
      }),
  });

  // Notices carry the applicant's name: handlers only (request.read_personal), audited when rendered.
  staffRoute(app, deps, {
    method: "GET",
    url: "/admin/agencies/:agency/requests/:id/notices/:file",
    policy: "request.read_personal",
    load: inAgency,
    handle: async (c) => {
      const file = parseNoticeFile(c.params.file ?? "");
      if (!file) throw new AppError("not_found");
      const rendered = await renderStoredNotice(deps, c.agency, file.noticeId, c.actor);
      if (rendered.notice.request_id !== c.params.id) throw new AppError("not_found");
      const base = `${requestsBase(c.agency)}/${c.params.id}`;
      if (file.format === "html")
        return noticePrintPage(rendered.document, {
          back: base,
          docx: `${base}/notices/${rendered.notice.id}.docx`,
        });
      const fileName = `${rendered.requestNumber}-${rendered.notice.title}.docx`;
      c.reply.header("cache-control", "private, no-store");
      c.reply.header(
        "content-disposition",
        `attachment; filename="notice-${rendered.requestNumber}.docx"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      );
      return c.reply
        .type("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        .send(await renderNoticeDocx(rendered.document));
    },
  });
}
