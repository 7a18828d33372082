/**
 * @module Public routes of applications: the application form (with the "先查一查" step and the live-suggestion
 * endpoint) and the receipt. The applicant's status page is in applicant.routes.ts. 查询码 travel only in POST
 * bodies; identity numbers never appear in a URL.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type Agency, getAgencyBySlug } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { isAppError } from "../errors.ts";
import { pageContext, sendHtml } from "../http/context.ts";
import { bodyString, fieldErrors } from "../http/forms.ts";
import { shanghaiDateTime } from "../shared/clock.ts";
import type { ApplicationInput } from "./applicant.rules.ts";
import { applicationFormDocx } from "./application-form.docx.ts";
import type { ApplicantTypeCode, DeliveryMethod, IdType, InfoForm } from "./info-request.ts";
import { applyPage, type FormValues, receiptPage } from "./info-request.views.ts";
import { submitOnlineApplication } from "./intake.service.ts";
import { hasEncryptionKey } from "./personal-data.ts";
import { findPossibleAnswers } from "./possible-answers.service.ts";

/** Submissions: 10 per minute per IP. */
export const APPLY_RATE_LIMIT = { max: 10, timeWindow: "1 minute" };
/** Live suggestions while typing. */
export const SUGGEST_RATE_LIMIT = { max: 60, timeWindow: "1 minute" };

export const APPLICATION_FIELDS = [
  "applicantType",
  "name",
  "idType",
  "idNumber",
  "phone",
  "email",
  "address",
  "postalCode",
  "infoTitle",
  "infoDocNumber",
  "infoDescription",
  "form",
  "delivery",
] as const;

/**
 * The form's fields as typed. Read well past their limits, so an over-long value is refused with its limit
 * (applicationProblems) instead of being cut silently; the description's line breaks count as one character, as
 * the browser's maxlength counts them (a form sends them as CRLF).
 */
export function formValues(body: unknown, extra: readonly string[] = []): FormValues {
  const values: FormValues = {};
  for (const f of [...APPLICATION_FIELDS, ...extra])
    values[f] =
      f === "infoDescription"
        ? bodyString(body, f, 20_000).replace(/\r\n?/g, "\n")
        : bodyString(body, f, 1000);
  return values;
}

export function applicationInput(v: FormValues): ApplicationInput {
  return {
    applicantType: (v.applicantType ?? "") as ApplicantTypeCode,
    name: v.name ?? "",
    idType: (v.idType ?? "") as IdType,
    idNumber: v.idNumber ?? "",
    phone: v.phone ?? "",
    email: v.email ?? "",
    address: v.address ?? "",
    postalCode: v.postalCode ?? "",
    infoTitle: v.infoTitle ?? "",
    infoDocNumber: v.infoDocNumber ?? "",
    infoDescription: v.infoDescription ?? "",
    form: (v.form ?? "") as InfoForm,
    delivery: (v.delivery ?? "") as DeliveryMethod,
  };
}

export function infoRequestPublicRoutes(app: FastifyInstance, deps: Deps): void {
  const agencyOf = (request: FastifyRequest) =>
    getAgencyBySlug(deps.db, (request.params as { slug: string }).slug);

  function form(
    request: FastifyRequest,
    reply: FastifyReply,
    agency: Agency,
    m: Partial<Parameters<typeof applyPage>[1]>,
    status = 200,
  ) {
    reply.header("cache-control", "no-store");
    return sendHtml(
      reply,
      applyPage(pageContext(request), {
        agency,
        values: m.values ?? {},
        errors: m.errors ?? {},
        errorMessage: m.errorMessage,
        answers: m.answers ?? null,
        keyMissing: !hasEncryptionKey(deps.config.encryptionKey),
      }),
      status,
    );
  }

  app.get<{ Params: { slug: string } }>(
    "/agencies/:slug/apply",
    { config: { policy: "public" } },
    async (request, reply) => form(request, reply, await agencyOf(request), {}),
  );

  // The 申请表 for written applications (.docx from the online form's fields), linked from the apply page and guide.
  app.get<{ Params: { slug: string } }>(
    "/agencies/:slug/apply/form.docx",
    { config: { policy: "public" } },
    async (request, reply) => {
      const agency = await agencyOf(request);
      reply
        .type("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        .header(
          "content-disposition",
          `attachment; filename="application-form.docx"; filename*=UTF-8''${encodeURIComponent(`${agency.name}政府信息公开申请表.docx`)}`,
        )
        .header("cache-control", "public, max-age=3600");
      return reply.send(await applicationFormDocx(agency.name));
    },
  );

  app.post<{ Params: { slug: string } }>(
    "/agencies/:slug/apply",
    { config: { policy: "public", rateLimit: APPLY_RATE_LIMIT } },
    async (request, reply) => {
      const agency = await agencyOf(request);
      const values = formValues(request.body);
      if (bodyString(request.body, "step") === "search") {
        const answers = await findPossibleAnswers(deps, agency, {
          title: values.infoTitle ?? "",
          docNumber: values.infoDocNumber ?? "",
        });
        return form(request, reply, agency, { values, answers });
      }
      try {
        const { request: created, queryCode } = await submitOnlineApplication(
          deps,
          agency,
          applicationInput(values),
        );
        reply.header("cache-control", "no-store");
        return sendHtml(
          reply,
          receiptPage(pageContext(request), {
            agency,
            number: created.number,
            queryCode,
            submittedAt: shanghaiDateTime(created.submittedAt),
            title: created.infoTitle,
          }),
          201,
        );
      } catch (e) {
        if (isAppError(e) && e.code === "validation_failed")
          return form(
            request,
            reply,
            agency,
            { values, errors: fieldErrors(e), errorMessage: e.message },
            400,
          );
        throw e;
      }
    },
  );

  // JSON for /static/apply.js (live list). Only the title and 文号 are sent; nothing personal.
  app.get<{ Params: { slug: string }; Querystring: { q?: string; doc?: string } }>(
    "/agencies/:slug/apply/suggestions",
    { config: { policy: "public", rateLimit: SUGGEST_RATE_LIMIT } },
    async (request, reply) => {
      const agency = await agencyOf(request);
      const q = typeof request.query.q === "string" ? request.query.q.slice(0, 200) : "";
      const doc = typeof request.query.doc === "string" ? request.query.doc.slice(0, 100) : "";
      const answers =
        q.trim().length >= 2 || doc.trim().length >= 4
          ? await findPossibleAnswers(deps, agency, { title: q, docNumber: doc })
          : [];
      reply.header("cache-control", "no-store");
      return { answers };
    },
  );
}
