/**
 * @module Staff routes of applications (/admin/agencies/:slug/requests/…): queue, reminders, ICS feed, entry form,
 * the application page and its handling steps (request.handle; the extension approval request.approve_extension),
 * the audited reveal of personal data (request.read_personal), notices (.docx, printable HTML), templates and
 * settings (agency.manage). Thin handlers: parse → authorize → service → render.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { loadDirectory } from "../accounts/accounts.service.ts";
import { can } from "../accounts/policy.ts";
import { type Agency, getAgencyBySlug } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { AppError, isAppError } from "../errors.ts";
import { authorize } from "../http/auth-guard.ts";
import { pageContext, sendHtml } from "../http/context.ts";
import { bodyString, fieldErrors } from "../http/forms.ts";
import { legacyAgency } from "../http/staff-route.ts";
import { flattenItems } from "../portal/portal.model.ts";
import { publishedCatalogTree } from "../portal/portal.service.ts";
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
} from "./handling.service.ts";
import { newRequestPage, queuePage, remindersPage, requestsBase } from "./info-request.admin.views.ts";
import { applicationInput, formValues } from "./info-request.public.routes.ts";
import {
  type Actor,
  getRequestSettings,
  openDeadlines,
  updateRequestSettings,
} from "./info-request.service.ts";
import type { ApplicantPersonalData, Channel, InfoRequest } from "./info-request.ts";
import { detailPage, type StepError } from "./info-request-detail.admin.views.ts";
import {
  getInfoRequestDetail,
  type InfoRequestDetail,
  listHandlers,
  listQueue,
  listReminders,
  type QueueView,
  revealPersonalData,
} from "./info-request-query.service.ts";
import { registerApplication } from "./intake.service.ts";
import { renderNoticeDocx } from "./notices.docx.ts";
import { getTemplates, renderStoredNotice, saveTemplate } from "./notices.service.ts";
import { noticePrintPage } from "./notices.views.ts";
import { hasEncryptionKey } from "./personal-data.ts";
import { archiveInfoRequest, linkCatalogItem, recordDelivery, replyToInfoRequest } from "./reply.service.ts";
import { settingsPage, templateEditPage, templatesPage } from "./request-settings.admin.views.ts";
import { recordCase, updateCaseResult } from "./review-case.service.ts";

type Body = Record<string, unknown>;
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

export function actorFromRequest(request: FastifyRequest): Actor {
  return {
    id: request.staff?.id ?? null,
    name: request.staff?.displayName ?? "系统",
    ip: request.ip ?? null,
  };
}

function strings(body: unknown): Body {
  const out: Body = {};
  if (body && typeof body === "object")
    for (const [k, v] of Object.entries(body as Body))
      out[k] = typeof v === "string" ? v.slice(0, 5000) : Array.isArray(v) ? v[0] : v;
  return out;
}

export function infoRequestAdminRoutes(app: FastifyInstance, deps: Deps): void {
  async function agencyFor(
    request: FastifyRequest,
    reply: FastifyReply,
    action: Parameters<typeof authorize>[2],
  ) {
    const agency = await getAgencyBySlug(deps.db, (request.params as { slug: string }).slug);
    authorize(request, reply, action, { agencyId: agency.id, regionId: agency.regionId });
    return agency;
  }

  const departmentsOf = async (agencyId: string) =>
    (await loadDirectory(deps.db)).departments
      .filter((d) => d.agencyId === agencyId)
      .map((d) => ({ id: d.id, name: d.name }));

  const catalogItemsOf = async (agencyId: string) => {
    const tree = await publishedCatalogTree(deps, agencyId);
    return tree
      ? flattenItems(tree.items).map((i) => ({
          id: i.id,
          name: `${"\u3000".repeat(i.level - 1)}${i.number ? `${i.number} ` : ""}${i.name}`,
        }))
      : [];
  };

  async function renderDetail(
    request: FastifyRequest,
    reply: FastifyReply,
    agency: Agency,
    id: string,
    extra: {
      personal?: ApplicantPersonalData | null;
      error?: StepError;
      done?: string;
      status?: number;
    } = {},
  ) {
    const user = request.staff;
    const detail: InfoRequestDetail = await getInfoRequestDetail(deps, agency, id);
    reply.header("cache-control", "private, no-store");
    return sendHtml(
      reply,
      detailPage(pageContext(request), {
        agency,
        detail,
        personal: extra.personal,
        departments: await departmentsOf(agency.id),
        handlers: await listHandlers(deps.db, agency.id),
        catalogItems: await catalogItemsOf(agency.id),
        canHandle: can(user, "request.handle", { agencyId: agency.id }),
        canApprove: can(user, "request.approve_extension", { agencyId: agency.id }),
        canReadPersonal: can(user, "request.read_personal", { agencyId: agency.id }),
        today: deps.clock.today(),
        done: extra.done,
        error: extra.error,
        keyMissing: !hasEncryptionKey(deps.config.encryptionKey),
      }),
      extra.status ?? 200,
    );
  }

  /** Renders the step's outcome: redirect on success, the page with the problem otherwise. */
  async function runStepRoute(
    request: FastifyRequest<{ Params: { slug: string; id: string } }>,
    reply: FastifyReply,
    agency: Agency,
    step: string,
    run: () => Promise<unknown>,
  ) {
    try {
      await run();
      return reply.redirect(
        `${requestsBase(agency)}/${request.params.id}?done=${encodeURIComponent(step)}`,
        303,
      );
    } catch (e) {
      if (
        !isAppError(e) ||
        e.code === "info_request_not_found" ||
        e.code === "not_found" ||
        e.code === "forbidden"
      )
        throw e;
      const error: StepError =
        e.code === "info_request_conflict"
          ? { step: "conflict", errors: {}, message: e.message }
          : { step, errors: fieldErrors(e), message: e.message };
      return renderDetail(request, reply, agency, request.params.id, { error, status: e.status });
    }
  }

  // ---- queue, reminders, calendar --------------------------------------------------------------------------

  app.get("/admin/requests", { config: { policy: "request.read" } }, async (request, reply) => {
    // The user's own agency, else the first one they may read (supervisors: an agency of their region).
    const own = await legacyAgency(deps, request, reply, "request.read");
    return reply.redirect(`/admin/agencies/${own.slug}/requests`, 303);
  });

  app.get<{ Params: { slug: string }; Querystring: Record<string, string | undefined> }>(
    "/admin/agencies/:slug/requests",
    { config: { policy: "request.read" } },
    async (request, reply) => {
      const agency = await agencyFor(request, reply, "request.read");
      const q = request.query;
      const views: QueueView[] = ["open", "due_soon", "overdue", "awaiting_confirmation", "concluded", "all"];
      const view = views.includes(q.view as QueueView) ? (q.view as QueueView) : "open";
      const departmentId = /^[0-9a-f-]{36}$/.test(q.department ?? "") ? (q.department as string) : "";
      const channel = typeof q.channel === "string" ? q.channel.slice(0, 20) : "";
      const text = typeof q.q === "string" ? q.q.trim().slice(0, 100) : "";
      const [items, reminders, departments] = await Promise.all([
        listQueue(deps, agency, { view, departmentId, channel, text }),
        listReminders(deps, agency),
        departmentsOf(agency.id),
      ]);
      reply.header("cache-control", "private, no-store");
      return sendHtml(
        reply,
        queuePage(pageContext(request), {
          agency,
          items,
          view,
          text,
          departmentId,
          channel,
          departments,
          reminderCount: reminders.length,
          keyMissing: !hasEncryptionKey(deps.config.encryptionKey),
        }),
      );
    },
  );

  app.get<{ Params: { slug: string } }>(
    "/admin/agencies/:slug/requests/reminders",
    { config: { policy: "request.read" } },
    async (request, reply) => {
      const agency = await agencyFor(request, reply, "request.read");
      reply.header("cache-control", "private, no-store");
      return sendHtml(
        reply,
        remindersPage(pageContext(request), {
          agency,
          reminders: await listReminders(deps, agency),
          today: deps.clock.today(),
        }),
      );
    },
  );

  app.get<{ Params: { slug: string } }>(
    "/admin/agencies/:slug/requests/calendar.ics",
    { config: { policy: "request.read" } },
    async (request, reply) => {
      const agency = await agencyFor(request, reply, "request.read");
      const entries = (await openDeadlines(deps, agency)).map((d) => ({
        requestId: d.request.id,
        number: d.request.number,
        title: d.request.infoTitle,
        kind: d.kind,
        label: d.label,
        due: d.due,
        url: `${deps.config.publicUrl}${requestsBase(agency)}/${d.request.id}`,
      }));
      reply.header("cache-control", "private, no-store");
      reply.header("content-disposition", `attachment; filename="requests-${agency.slug}.ics"`);
      return reply
        .type("text/calendar; charset=utf-8")
        .send(dueDatesIcs(entries, { name: `${agency.shortName}依申请公开期限`, dtstamp: deps.clock.now() }));
    },
  );

  // ---- entry ---------------------------------------------------------------------------------------------------

  app.get<{ Params: { slug: string } }>(
    "/admin/agencies/:slug/requests/new",
    { config: { policy: "request.handle" } },
    async (request, reply) => {
      const agency = await agencyFor(request, reply, "request.handle");
      reply.header("cache-control", "private, no-store");
      return sendHtml(
        reply,
        newRequestPage(pageContext(request), {
          agency,
          values: {},
          errors: {},
          keyMissing: !hasEncryptionKey(deps.config.encryptionKey),
          today: deps.clock.today(),
        }),
      );
    },
  );

  app.post<{ Params: { slug: string } }>(
    "/admin/agencies/:slug/requests/new",
    { config: { policy: "request.handle" } },
    async (request, reply) => {
      const agency = await agencyFor(request, reply, "request.handle");
      const values = formValues(request.body, ["channel", "submittedOn", "signedForOn", "confirmedOn"]);
      try {
        const { request: created } = await registerApplication(deps, agency, actorFromRequest(request), {
          ...applicationInput(values),
          channel: (values.channel ?? "") as Channel,
          submittedOn: values.submittedOn ?? "",
          ...(values.signedForOn ? { signedForOn: values.signedForOn } : {}),
          ...(values.confirmedOn ? { confirmedOn: values.confirmedOn } : {}),
        });
        return reply.redirect(`${requestsBase(agency)}/${created.id}?done=created`, 303);
      } catch (e) {
        if (!isAppError(e) || e.code !== "validation_failed") throw e;
        return sendHtml(
          reply,
          newRequestPage(pageContext(request), {
            agency,
            values,
            errors: fieldErrors(e),
            message: e.message,
            keyMissing: !hasEncryptionKey(deps.config.encryptionKey),
            today: deps.clock.today(),
          }),
          400,
        );
      }
    },
  );

  // ---- templates and settings ---------------------------------------------------------------------------------

  app.get<{ Params: { slug: string } }>(
    "/admin/agencies/:slug/requests/templates",
    { config: { policy: "agency.manage" } },
    async (request, reply) => {
      const agency = await agencyFor(request, reply, "agency.manage");
      return sendHtml(
        reply,
        templatesPage(pageContext(request), { agency, templates: await getTemplates(deps.db, agency.id) }),
      );
    },
  );

  app.get<{ Params: { slug: string; kind: string }; Querystring: { saved?: string } }>(
    "/admin/agencies/:slug/requests/templates/:kind",
    { config: { policy: "agency.manage" } },
    async (request, reply) => {
      const agency = await agencyFor(request, reply, "agency.manage");
      const template = (await getTemplates(deps.db, agency.id)).find((t) => t.kind === request.params.kind);
      if (!template) throw new AppError("not_found");
      return sendHtml(
        reply,
        templateEditPage(pageContext(request), {
          agency,
          template,
          errors: {},
          saved: request.query.saved === "1",
        }),
      );
    },
  );

  app.post<{ Params: { slug: string; kind: string } }>(
    "/admin/agencies/:slug/requests/templates/:kind",
    { config: { policy: "agency.manage" } },
    async (request, reply) => {
      const agency = await agencyFor(request, reply, "agency.manage");
      const body = bodyString(request.body, "body", 20001, true);
      try {
        await saveTemplate(deps, agency, actorFromRequest(request), request.params.kind, body);
        return reply.redirect(`${requestsBase(agency)}/templates/${request.params.kind}?saved=1`, 303);
      } catch (e) {
        if (!isAppError(e) || e.code !== "validation_failed") throw e;
        const template = (await getTemplates(deps.db, agency.id)).find((t) => t.kind === request.params.kind);
        if (!template) throw new AppError("not_found");
        return sendHtml(
          reply,
          templateEditPage(pageContext(request), {
            agency,
            template,
            errors: fieldErrors(e),
            saved: false,
            body,
          }),
          400,
        );
      }
    },
  );

  app.get<{ Params: { slug: string }; Querystring: { saved?: string } }>(
    "/admin/agencies/:slug/requests/settings",
    { config: { policy: "agency.manage" } },
    async (request, reply) => {
      const agency = await agencyFor(request, reply, "agency.manage");
      return sendHtml(
        reply,
        settingsPage(pageContext(request), {
          agency,
          settings: await getRequestSettings(deps.db, agency),
          errors: {},
          saved: request.query.saved === "1",
          keyMissing: !hasEncryptionKey(deps.config.encryptionKey),
        }),
      );
    },
  );

  app.post<{ Params: { slug: string } }>(
    "/admin/agencies/:slug/requests/settings",
    { config: { policy: "agency.manage" } },
    async (request, reply) => {
      const agency = await agencyFor(request, reply, "agency.manage");
      const b = strings(request.body);
      try {
        await updateRequestSettings(deps, agency, actorFromRequest(request), {
          ...b,
          feePausesClock: b.feePausesClock === "on",
        });
        return reply.redirect(`${requestsBase(agency)}/settings?saved=1`, 303);
      } catch (e) {
        if (!isAppError(e) || e.code !== "validation_failed") throw e;
        return sendHtml(
          reply,
          settingsPage(pageContext(request), {
            agency,
            settings: await getRequestSettings(deps.db, agency),
            errors: fieldErrors(e),
            saved: false,
            keyMissing: !hasEncryptionKey(deps.config.encryptionKey),
          }),
          400,
        );
      }
    },
  );

  // ---- one application ---------------------------------------------------------------------------------------

  app.get<{ Params: { slug: string; id: string }; Querystring: { done?: string } }>(
    "/admin/agencies/:slug/requests/:id",
    { config: { policy: "request.read" } },
    async (request, reply) => {
      const agency = await agencyFor(request, reply, "request.read");
      return renderDetail(request, reply, agency, request.params.id, { done: request.query.done });
    },
  );

  app.post<{ Params: { slug: string; id: string } }>(
    "/admin/agencies/:slug/requests/:id/personal",
    { config: { policy: "request.read_personal" } },
    async (request, reply) => {
      const agency = await agencyFor(request, reply, "request.read_personal");
      const personal = await revealPersonalData(deps, agency, request.params.id, actorFromRequest(request));
      return renderDetail(request, reply, agency, request.params.id, { personal });
    },
  );

  app.post<{ Params: { slug: string; id: string; step: string } }>(
    "/admin/agencies/:slug/requests/:id/steps/:step",
    { config: { policy: "request.handle" } },
    async (request, reply) => {
      const agency = await agencyFor(request, reply, "request.handle");
      const step = STEPS[request.params.step];
      if (!step || !Object.hasOwn(STEPS, request.params.step)) throw new AppError("not_found");
      const b = strings(request.body);
      return runStepRoute(request, reply, agency, request.params.step, () =>
        step(deps, agency, request.params.id, Number(b.version), actorFromRequest(request), b),
      );
    },
  );

  app.post<{ Params: { slug: string; id: string } }>(
    "/admin/agencies/:slug/requests/:id/approve-extension",
    { config: { policy: "request.approve_extension" } },
    async (request, reply) => {
      const agency = await agencyFor(request, reply, "request.approve_extension");
      const b = strings(request.body);
      return runStepRoute(request, reply, agency, "approve-extension", () =>
        approveExtension(deps, agency, request.params.id, Number(b.version), actorFromRequest(request), {
          approvedOn: b.approvedOn,
          notifiedOn: b.notifiedOn,
        }),
      );
    },
  );

  app.post<{ Params: { slug: string; id: string } }>(
    "/admin/agencies/:slug/requests/:id/cases",
    { config: { policy: "request.handle" } },
    async (request, reply) => {
      const agency = await agencyFor(request, reply, "request.handle");
      const b = strings(request.body);
      return runStepRoute(request, reply, agency, "case", () =>
        recordCase(deps, agency, request.params.id, actorFromRequest(request), {
          kind: b.kind,
          filedOn: b.filedOn,
          body: b.body,
          caseNumber: b.caseNumber,
        }),
      );
    },
  );

  app.post<{ Params: { slug: string; id: string; caseId: string } }>(
    "/admin/agencies/:slug/requests/:id/cases/:caseId",
    { config: { policy: "request.handle" } },
    async (request, reply) => {
      const agency = await agencyFor(request, reply, "request.handle");
      const b = strings(request.body);
      return runStepRoute(request, reply, agency, "case-update", () =>
        updateCaseResult(deps, agency, request.params.caseId, Number(b.version), actorFromRequest(request), {
          result: b.result,
          concludedOn: b.concludedOn,
          note: b.note,
        }),
      );
    },
  );

  // Notices carry the applicant's name: handlers only (request.read_personal), audited when rendered.
  app.get<{ Params: { slug: string; id: string; file: string } }>(
    "/admin/agencies/:slug/requests/:id/notices/:file",
    { config: { policy: "request.read_personal" } },
    async (request, reply) => {
      const agency = await agencyFor(request, reply, "request.read_personal");
      const m = /^([0-9a-f-]{36})\.(docx|html)$/.exec(request.params.file);
      if (!m) throw new AppError("not_found");
      const rendered = await renderStoredNotice(deps, agency, m[1] as string, actorFromRequest(request));
      if (rendered.notice.request_id !== request.params.id) throw new AppError("not_found");
      reply.header("cache-control", "private, no-store");
      const base = `${requestsBase(agency)}/${request.params.id}`;
      if (m[2] === "html") {
        return sendHtml(
          reply,
          noticePrintPage(rendered.document, {
            back: base,
            docx: `${base}/notices/${rendered.notice.id}.docx`,
          }),
        );
      }
      const fileName = `${rendered.requestNumber}-${rendered.notice.title}.docx`;
      reply.header(
        "content-disposition",
        `attachment; filename="notice-${rendered.requestNumber}.docx"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      );
      return reply
        .type("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        .send(await renderNoticeDocx(rendered.document));
    },
  );
}
