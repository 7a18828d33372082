/**
 * @module Staff pages of publishing (/admin/records…, /admin/notices) and the public attachment download. Thin
 * handlers: parse → authorize → service → render. The service checks each workflow step's policy action again, so
 * the page only decides which buttons to show.
 */
import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type Action, agencyScope, can, type StaffUser } from "../accounts/policy.ts";
import type { Deps } from "../deps.ts";
import { AppError, type FieldError, isAppError } from "../errors.ts";
import { authorize } from "../http/auth-guard.ts";
import { pageContext, sendHtml } from "../http/context.ts";
import { bodyString, bodyStrings } from "../http/forms.ts";
import { INDEX_PRESETS, type IndexPreset } from "./index-number.rules.ts";
import { noticesForUser, readNotice } from "./notification.service.ts";
import { noticesPage } from "./notification.views.ts";
import {
  attestObligation,
  ensureObligations,
  listAgencyObligations,
  obligationState,
} from "./obligation.service.ts";
import { obligationsPage } from "./obligation.views.ts";
import { getPublishingSettings, updatePublishingSettings } from "./publishing-settings.service.ts";
import { settingsPage } from "./publishing-settings.views.ts";
import { adminRecordPath, UUID } from "./record.paths.ts";
import { parseKeywords } from "./record.rules.ts";
import { type Actor, type ContentInput, emptyContent } from "./record.service.ts";
import type { RecordContent, RevisionStatus } from "./record.table.ts";
import { formPage, listPage } from "./record.views.ts";
import { addAttachment, logChannel, removeAttachment } from "./record-attachment.service.ts";
import { detailPage, type Permissions } from "./record-detail.views.ts";
import { createRecord, reviseRecord, updateDraft } from "./record-draft.service.ts";
import {
  type AgencyRefRow,
  agencyInfo,
  agencyRefs,
  catalogItemsForForm,
  departmentsOf,
  documentOptions,
  getAttachmentFile,
  getPublishedAttachment,
  getRecordForStaff,
  listRecordsForStaff,
  previewIndexNumber,
  recordTitles,
  staffNames,
} from "./record-query.service.ts";
import {
  listRereviewHistory,
  listRereviewQueue,
  recordRereview,
  rereviewIntervalMonths,
  setRereviewInterval,
} from "./record-rereview.service.ts";
import { rereviewPage } from "./record-rereview.views.ts";
import { scanContent } from "./record-scan.service.ts";
import { advanceRecord, returnRecord, withdrawRecord } from "./record-workflow.service.ts";

const MESSAGES: Record<string, string> = {
  created: "已保存草稿。",
  saved: "已保存。",
  submit: "已提交审核。",
  review: "审核通过，已送审签。",
  approve: "审签通过，待发布。",
  publish: "已发布。",
  return: "已退回起草人修改。",
  recall: "已收回，可以修改后重新提交审核。",
  withdraw: "已撤回，信息已从门户下线。",
  revise: "已新建修订版本，修改并走完审核流程后替换门户上的版本。",
  attach: "附件已上传。",
  detach: "附件已删除。",
  channel: "已登记。",
  attest: "已签署本期无新增信息。",
};

export function actorFrom(request: FastifyRequest): Actor {
  return { user: request.staff as StaffUser, ip: request.ip };
}

/** The agency a staff page works on: `?agency=slug`, else the user's own (or first allowed) agency. */
export async function pickAgency(
  deps: Deps,
  request: FastifyRequest,
  reply: FastifyReply,
  action: Action,
): Promise<{ agency: AgencyRefRow; agencies: AgencyRefRow[]; user: StaffUser }> {
  const user = authorize(request, reply, action);
  const all = await agencyRefs(deps.db);
  const scope = agencyScope(user, action);
  const agencies = scope.all
    ? all
    : all.filter((a) => scope.agencyIds.includes(a.id) || scope.regionIds.includes(a.regionId));
  const slug = (request.query as { agency?: unknown }).agency;
  let agency: AgencyRefRow | undefined;
  if (typeof slug === "string" && slug !== "") {
    agency = all.find((a) => a.slug === slug);
    if (!agency) throw new AppError("agency_not_found");
  } else agency = agencies.find((a) => a.id === user.agencyId) ?? agencies[0];
  if (!agency) throw new AppError("agency_not_found");
  authorize(request, reply, action, { agencyId: agency.id, regionId: agency.regionId });
  return { agency, agencies, user };
}

function permissions(user: StaffUser, agencyId: string, departmentId: string | null): Permissions {
  const r = { agencyId, departmentId };
  return {
    draft: can(user, "record.draft", r),
    review: can(user, "record.review", r),
    approve: can(user, "record.approve", r),
    publish: can(user, "record.publish", r),
    withdraw: can(user, "record.withdraw", r),
    returnBack:
      can(user, "record.review", r) || can(user, "record.approve", r) || can(user, "record.publish", r),
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Parses the record form into content input; format problems become field errors. */
export function parseContentForm(body: unknown): {
  input: ContentInput;
  errors: FieldError[];
  keywordsText: string;
} {
  const errors: FieldError[] = [];
  const s = (name: string, max = 300) => bodyString(body, name, max);
  const optDate = (name: string, label: string): string | null => {
    const v = s(name, 20);
    if (v === "") return null;
    if (!DATE.test(v)) errors.push({ field: name, message: `请按“年-月-日”填写${label}` });
    return v;
  };
  const optId = (name: string): string | null => {
    const v = s(name, 40);
    if (v === "") return null;
    if (UUID.test(v)) return v;
    errors.push({ field: name, message: "选择无效" });
    return null;
  };
  const decisionRaw = s("decisionCount", 10);
  const decisionCount = decisionRaw === "" ? 0 : Number(decisionRaw);
  if (!/^\d{0,6}$/.test(decisionRaw)) errors.push({ field: "decisionCount", message: "决定数量应为整数" });
  const feeRaw = s("feeAmountWan", 20);
  const feeAmountWan = feeRaw === "" ? null : Number(feeRaw);
  if (feeRaw !== "" && !/^\d+(\.\d{1,4})?$/.test(feeRaw))
    errors.push({ field: "feeAmountWan", message: "收费金额应为数字（万元，最多4位小数）" });
  const keywordsText = s("keywords", 400);
  const kind = s("kind", 20);
  const disclosure = s("disclosure", 10);
  const validity = s("validity", 4);
  const docCategory = s("docCategory", 30);
  const input: ContentInput = {
    kind: kind === "interpretation" ? "interpretation" : "document",
    title: s("title", 400),
    summary: s("summary", 1000),
    issuingAgency: s("issuingAgency", 200),
    docNumber: s("docNumber", 200),
    formedDate: s("formedDate", 20),
    changedDate: optDate("changedDate", "变更日期"),
    topic: s("topic", 100),
    genre: s("genre", 100),
    keywords: parseKeywords(keywordsText),
    validity: validity === "" ? null : (validity as RecordContent["validity"]),
    effectiveDate: optDate("effectiveDate", "生效日期"),
    repealDate: optDate("repealDate", "废止（失效）日期"),
    replacedByRecordId: optId("replacedByRecordId"),
    replacedByText: s("replacedByText", 400),
    disclosure: (disclosure || "主动公开") as RecordContent["disclosure"],
    nonDisclosureReason: s("nonDisclosureReason", 2000),
    itemId: optId("itemId"),
    elementId: optId("elementId"),
    departmentId: optId("departmentId"),
    docCategory: docCategory === "" ? null : (docCategory as RecordContent["docCategory"]),
    decisionCount: Number.isFinite(decisionCount) ? decisionCount : 0,
    feeAmountWan: feeAmountWan !== null && Number.isFinite(feeAmountWan) ? feeAmountWan : null,
    bodyHtml: bodyString(body, "bodyHtml", 500_000, true),
    interpretsRecordIds: bodyStrings(body, "interpretsRecordIds", 50).filter((id) => UUID.test(id)),
  };
  if (input.formedDate !== "" && !DATE.test(input.formedDate ?? ""))
    errors.push({ field: "formedDate", message: "请按“年-月-日”填写成文（生成）日期" });
  return { input, errors, keywordsText };
}

function attachmentHeaders(
  reply: FastifyReply,
  a: { file_name: string; mime_type: string; sha256: string },
  inline: boolean,
) {
  reply
    .type(a.mime_type)
    .header(
      "content-disposition",
      `${inline ? "inline" : "attachment"}; filename="${a.file_name.replace(/[^\x20-\x7e]|"/g, "_")}"; filename*=UTF-8''${encodeURIComponent(a.file_name)}`,
    )
    .header("x-content-type-options", "nosniff")
    .header("etag", `"${a.sha256}"`);
}

export async function recordRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  deps.consoleLinks.add({
    href: "/admin/records",
    label: "信息发布",
    action: "record.read",
    order: 200,
    description: "起草、审核、审签、发布政府信息，管理附件、修订和撤回；查看定期更新任务和到期提醒。",
  });
  deps.consoleLinks.add({
    href: "/admin/agencies/:agency/compliance",
    entry: "/admin/compliance",
    label: "考核统计",
    action: "compliance.read",
    order: 210,
    description: "按时公开率、逾期和即将到期事项、空白栏目、长期未更新栏目和失效链接。",
  });

  // ----- list ------------------------------------------------------------------------------------------------
  app.get("/admin/records", { config: { policy: "record.read" } }, async (request, reply) => {
    const { agency, agencies, user } = await pickAgency(deps, request, reply, "record.read");
    const query = request.query as Record<string, unknown>;
    const str = (k: string) => (typeof query[k] === "string" ? (query[k] as string).slice(0, 100) : "");
    const status = str("status");
    const workflow = str("workflow");
    const department = UUID.test(str("department")) ? str("department") : "";
    const page = Math.max(1, Number.parseInt(str("page"), 10) || 1);
    const list = await listRecordsForStaff(deps.db, {
      agencyId: agency.id,
      status: ["draft", "published", "withdrawn"].includes(status) ? (status as "draft") : undefined,
      workflowStatus: ["draft", "submitted", "reviewed", "approved"].includes(workflow)
        ? (workflow as RevisionStatus)
        : undefined,
      departmentId: department || undefined,
      query: str("q") || undefined,
      page,
      pageSize: 30,
    });
    reply.header("cache-control", "private, no-store");
    return sendHtml(
      reply,
      listPage(pageContext(request), {
        agency,
        agencies,
        ...list,
        filters: { status, workflow, q: str("q"), department },
        departments: await departmentsOf(deps.db, agency.id),
        canDraft: can(user, "record.draft", { agencyId: agency.id }),
        message: MESSAGES[str("done")],
      }),
    );
  });

  // ----- form --------------------------------------------------------------------------------------------------
  async function renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    agency: AgencyRefRow,
    m: {
      mode: "new" | "edit";
      recordId?: string;
      values: RecordContent;
      errors: FieldError[];
      changeNote?: string;
      keywordsText?: string;
    },
    status = 200,
  ) {
    const [items, departments, documents] = await Promise.all([
      catalogItemsForForm(deps.db, agency.id),
      departmentsOf(deps.db, agency.id),
      documentOptions(deps.db, agency.id),
    ]);
    reply.header("cache-control", "private, no-store");
    return sendHtml(
      reply,
      formPage(pageContext(request), {
        agency,
        mode: m.mode,
        recordId: m.recordId,
        values: m.values,
        changeNote: m.changeNote ?? "",
        errors: m.errors,
        items,
        departments,
        documents,
        ...(m.keywordsText !== undefined ? { keywordsText: m.keywordsText } : {}),
      }),
      status,
    );
  }

  app.get("/admin/records/new", { config: { policy: "record.draft" } }, async (request, reply) => {
    const { agency } = await pickAgency(deps, request, reply, "record.draft");
    const info = await agencyInfo(deps.db, agency.id);
    return renderForm(request, reply, agency, {
      mode: "new",
      values: emptyContent(info.name, deps.clock.today()),
      errors: [],
    });
  });

  app.post("/admin/records", { config: { policy: "record.draft" } }, async (request, reply) => {
    const { agency } = await pickAgency(deps, request, reply, "record.draft");
    const { input, errors, keywordsText } = parseContentForm(request.body);
    const info = await agencyInfo(deps.db, agency.id);
    const values = { ...emptyContent(info.name, deps.clock.today()), ...input } as RecordContent;
    if (errors.length > 0)
      return renderForm(request, reply, agency, { mode: "new", values, errors, keywordsText }, 400);
    try {
      const { id } = await createRecord(deps, actorFrom(request), agency.id, input);
      return reply.redirect(`${adminRecordPath(id, agency.slug)}&done=created`, 303);
    } catch (e) {
      if (isAppError(e) && e.code === "validation_failed")
        return renderForm(
          request,
          reply,
          agency,
          { mode: "new", values, errors: e.fields, keywordsText },
          400,
        );
      throw e;
    }
  });

  // ----- record page ---------------------------------------------------------------------------------------------
  async function renderDetail(
    request: FastifyRequest,
    reply: FastifyReply,
    agency: AgencyRefRow,
    user: StaffUser,
    id: string,
    extra: { errors?: FieldError[]; error?: string; message?: string } = {},
    status = 200,
  ) {
    const detail = await getRecordForStaff(deps.db, agency.id, id);
    const rev = detail.revision;
    const findings =
      rev.status === "submitted" || rev.status === "reviewed" || rev.status === "approved"
        ? await scanContent(deps.db, agency.id, rev.content, rev.body_text)
        : [];
    const users = await staffNames(deps.db, [
      rev.returned_by,
      rev.reviewed_by,
      rev.approved_by,
      rev.published_by,
    ]);
    reply.header("cache-control", "private, no-store");
    return sendHtml(
      reply,
      detailPage(pageContext(request), {
        agency,
        detail,
        can: permissions(user, agency.id, detail.record.department_id),
        findings,
        departments: await departmentsOf(deps.db, agency.id),
        errors: extra.errors ?? [],
        error: extra.error,
        message: extra.message,
        users,
      }),
      status,
    );
  }

  function recordId(request: FastifyRequest): string {
    const id = (request.params as { id?: string }).id ?? "";
    if (!UUID.test(id)) throw new AppError("record_not_found");
    return id;
  }

  app.get("/admin/records/:id", { config: { policy: "record.read" } }, async (request, reply) => {
    const { agency, user } = await pickAgency(deps, request, reply, "record.read");
    const done = (request.query as { done?: unknown }).done;
    return renderDetail(request, reply, agency, user, recordId(request), {
      message: typeof done === "string" ? MESSAGES[done] : undefined,
    });
  });

  app.get("/admin/records/:id/edit", { config: { policy: "record.draft" } }, async (request, reply) => {
    const { agency } = await pickAgency(deps, request, reply, "record.draft");
    const id = recordId(request);
    const detail = await getRecordForStaff(deps.db, agency.id, id);
    if (detail.revision.status !== "draft") return reply.redirect(adminRecordPath(id, agency.slug), 303);
    return renderForm(request, reply, agency, {
      mode: "edit",
      recordId: id,
      values: detail.revision.content,
      errors: [],
      changeNote: detail.revision.change_note,
    });
  });

  app.post("/admin/records/:id", { config: { policy: "record.draft" } }, async (request, reply) => {
    const { agency } = await pickAgency(deps, request, reply, "record.draft");
    const id = recordId(request);
    const { input, errors, keywordsText } = parseContentForm(request.body);
    const changeNote = bodyString(request.body, "changeNote", 1000);
    const detail = await getRecordForStaff(deps.db, agency.id, id);
    const values = { ...detail.revision.content, ...input } as RecordContent;
    const view = { mode: "edit" as const, recordId: id, values, changeNote, keywordsText };
    if (errors.length > 0) return renderForm(request, reply, agency, { ...view, errors }, 400);
    if (detail.record.current_revision_no !== null && changeNote === "")
      return renderForm(
        request,
        reply,
        agency,
        { ...view, errors: [{ field: "changeNote", message: "修订已发布的信息，请说明修改内容" }] },
        400,
      );
    try {
      await updateDraft(deps, actorFrom(request), agency.id, id, input, { changeNote });
      return reply.redirect(`${adminRecordPath(id, agency.slug)}&done=saved`, 303);
    } catch (e) {
      if (isAppError(e) && e.code === "validation_failed")
        return renderForm(request, reply, agency, { ...view, errors: e.fields }, 400);
      throw e;
    }
  });

  // ----- workflow ------------------------------------------------------------------------------------------------
  const STEP_POLICY: Record<string, Action> = {
    submit: "record.draft",
    review: "record.review",
    approve: "record.approve",
    publish: "record.publish",
  };
  for (const step of ["submit", "review", "approve", "publish"] as const) {
    app.post(
      `/admin/records/:id/${step}`,
      { config: { policy: STEP_POLICY[step]! } },
      async (request, reply) => {
        const { agency, user } = await pickAgency(deps, request, reply, "record.read");
        const id = recordId(request);
        const body = request.body;
        const checklist = {
          noStateSecret: bodyString(body, "noStateSecret") === "1",
          noWorkSecret: bodyString(body, "noWorkSecret") === "1",
          noPersonalPrivacy: bodyString(body, "noPersonalPrivacy") === "1",
          noTradeSecret: bodyString(body, "noTradeSecret") === "1",
          noThreeSecurityRisk: bodyString(body, "noThreeSecurityRisk") === "1",
          consistentWithPolicy: bodyString(body, "consistentWithPolicy") === "1",
          note: bodyString(body, "note", 1000),
        };
        const piiOverrideReason = bodyString(body, "piiOverrideReason", 1000);
        try {
          await advanceRecord(deps, actorFrom(request), agency.id, id, step, {
            ...(step === "review" ? { checklist } : {}),
            ...(piiOverrideReason ? { piiOverrideReason } : {}),
            ...(checklist.note ? { comment: checklist.note } : {}),
          });
        } catch (e) {
          if (isAppError(e) && e.status < 500 && e.code !== "forbidden" && e.code !== "record_not_found")
            return renderDetail(
              request,
              reply,
              agency,
              user,
              id,
              { errors: e.fields, error: e.message },
              e.status,
            );
          throw e;
        }
        return reply.redirect(`${adminRecordPath(id, agency.slug)}&done=${step}`, 303);
      },
    );
  }

  const reasonAction = (name: "return" | "withdraw", policy: Action, fn: typeof returnRecord) =>
    app.post(`/admin/records/:id/${name}`, { config: { policy } }, async (request, reply) => {
      const { agency, user } = await pickAgency(deps, request, reply, policy);
      const id = recordId(request);
      try {
        await fn(deps, actorFrom(request), agency.id, id, bodyString(request.body, "reason", 1000));
      } catch (e) {
        if (isAppError(e) && (e.code === "validation_failed" || e.code === "record_invalid_transition"))
          return renderDetail(
            request,
            reply,
            agency,
            user,
            id,
            { errors: e.fields, error: e.message },
            e.status,
          );
        throw e;
      }
      return reply.redirect(`${adminRecordPath(id, agency.slug)}&done=${name}`, 303);
    });
  // Sending back is done by the reviewer, the approver or the publisher (the service checks which, by status).
  reasonAction("return", "record.return", returnRecord);
  reasonAction("withdraw", "record.withdraw", withdrawRecord);

  app.post("/admin/records/:id/revise", { config: { policy: "record.draft" } }, async (request, reply) => {
    const { agency, user } = await pickAgency(deps, request, reply, "record.draft");
    const id = recordId(request);
    try {
      await reviseRecord(deps, actorFrom(request), agency.id, id);
    } catch (e) {
      if (isAppError(e) && (e.code === "record_revision_open" || e.code === "record_invalid_transition"))
        return renderDetail(request, reply, agency, user, id, { error: e.message }, e.status);
      throw e;
    }
    return reply.redirect(`${adminRecordPath(id, agency.slug)}&done=revise`, 303);
  });

  app.post("/admin/records/:id/channels", { config: { policy: "record.draft" } }, async (request, reply) => {
    const { agency, user } = await pickAgency(deps, request, reply, "record.draft");
    const id = recordId(request);
    try {
      await logChannel(deps, actorFrom(request), agency.id, id, {
        channel: bodyString(request.body, "channel", 100),
        publishedOn: bodyString(request.body, "publishedOn", 20),
        evidence: bodyString(request.body, "evidence", 2000),
      });
    } catch (e) {
      if (isAppError(e) && (e.code === "validation_failed" || e.code === "record_invalid_transition"))
        return renderDetail(
          request,
          reply,
          agency,
          user,
          id,
          { errors: e.fields, error: e.message },
          e.status,
        );
      throw e;
    }
    return reply.redirect(`${adminRecordPath(id, agency.slug)}&done=channel`, 303);
  });

  // ----- attachments -------------------------------------------------------------------------------------------
  await app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize: deps.config.maxUploadBytes, files: 1, fields: 10, fieldSize: 10_000 },
    });
    scope.post(
      "/admin/records/:id/attachments",
      { config: { policy: "record.draft" } },
      async (request, reply) => {
        const { agency, user } = await pickAgency(deps, request, reply, "record.draft");
        const id = recordId(request);
        const file = await request.file();
        if (!file)
          return renderDetail(
            request,
            reply,
            agency,
            user,
            id,
            { errors: [{ field: "file", message: "请选择文件" }] },
            400,
          );
        const data = await file.toBuffer();
        try {
          await addAttachment(deps, actorFrom(request), agency.id, id, { fileName: file.filename, data });
        } catch (e) {
          if (
            isAppError(e) &&
            (["upload_rejected", "payload_too_large", "record_invalid_transition"].includes(e.code) ||
              e.code.startsWith("document_"))
          )
            return renderDetail(
              request,
              reply,
              agency,
              user,
              id,
              {
                errors: e.fields.length ? e.fields : [{ field: "file", message: e.message }],
                error: e.message,
              },
              e.status,
            );
          throw e;
        }
        return reply.redirect(`${adminRecordPath(id, agency.slug)}&done=attach`, 303);
      },
    );
  });

  app.post(
    "/admin/records/:id/attachments/:aid/delete",
    { config: { policy: "record.draft" } },
    async (request, reply) => {
      const { agency } = await pickAgency(deps, request, reply, "record.draft");
      const id = recordId(request);
      const aid = (request.params as { aid: string }).aid;
      if (!UUID.test(aid)) throw new AppError("attachment_not_found");
      await removeAttachment(deps, actorFrom(request), agency.id, id, aid);
      return reply.redirect(`${adminRecordPath(id, agency.slug)}&done=detach`, 303);
    },
  );

  app.get(
    "/admin/records/:id/attachments/:aid",
    { config: { policy: "record.read" } },
    async (request, reply) => {
      const { agency } = await pickAgency(deps, request, reply, "record.read");
      const aid = (request.params as { aid: string }).aid;
      if (!UUID.test(aid)) throw new AppError("attachment_not_found");
      const { attachment, data } = await getAttachmentFile(deps, agency.id, recordId(request), aid);
      attachmentHeaders(reply, attachment, false);
      reply.header("cache-control", "private, no-store");
      return reply.send(data);
    },
  );

  app.get<{ Params: { slug: string; id: string; aid: string } }>(
    "/agencies/:slug/records/:id/files/:aid",
    { config: { policy: "public" } },
    async (request, reply) => {
      const { slug, id, aid } = request.params;
      if (!UUID.test(id) || !UUID.test(aid)) throw new AppError("attachment_not_found");
      const agency = (await agencyRefs(deps.db)).find((a) => a.slug === slug);
      if (!agency) throw new AppError("attachment_not_found");
      const { attachment, data } = await getPublishedAttachment(deps, agency.id, id, aid);
      if (request.headers["if-none-match"] === `"${attachment.sha256}"`) return reply.status(304).send();
      const inline = ["pdf", "png", "jpg", "gif"].includes(attachment.file_type);
      attachmentHeaders(reply, attachment, inline);
      reply.header("cache-control", "public, max-age=3600");
      return reply.send(data);
    },
  );

  // ----- periodic duties -----------------------------------------------------------------------------------------
  async function renderObligations(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { errors?: FieldError[]; errorFor?: string } = {},
    status = 200,
  ) {
    const { agency, agencies, user } = await pickAgency(deps, request, reply, "record.read");
    const asOf = deps.clock.today();
    await ensureObligations(deps, agency.id, { asOf });
    const filter = String((request.query as { state?: unknown }).state ?? "");
    const [list, items, departments] = await Promise.all([
      listAgencyObligations(deps.db, { agencyId: agency.id }),
      catalogItemsForForm(deps.db, agency.id),
      departmentsOf(deps.db, agency.id),
    ]);
    const itemName = new Map(items.map((i) => [i.stableKey, i.name]));
    const dept = new Map(departments.map((d) => [d.id, d.name]));
    const titles = await recordTitles(
      deps.db,
      agency.id,
      list.map((o) => o.met_record_id).filter((x): x is string => x !== null),
    );
    const rows = list
      .map((o) => ({
        o,
        state: obligationState(o, asOf),
        itemName: itemName.get(o.item_stable_key) ?? o.item_stable_key,
        departmentName: o.department_id ? (dept.get(o.department_id) ?? null) : null,
        recordTitle: o.met_record_id ? (titles.get(o.met_record_id) ?? null) : null,
      }))
      .filter((r) =>
        filter === "overdue"
          ? r.state === "overdue"
          : filter === "open"
            ? r.state === "open"
            : filter === "done"
              ? r.o.status !== "open"
              : true,
      )
      .sort((a, b) => (a.o.due_date < b.o.due_date ? 1 : a.o.due_date > b.o.due_date ? -1 : 0));
    reply.header("cache-control", "private, no-store");
    return sendHtml(
      reply,
      obligationsPage(pageContext(request), {
        agency,
        agencies,
        asOf,
        rows,
        canAttest: can(user, "record.publish", { agencyId: agency.id }),
        errors: extra.errors ?? [],
        errorFor: extra.errorFor,
        filter,
      }),
      status,
    );
  }

  app.get("/admin/records/obligations", { config: { policy: "record.read" } }, async (request, reply) =>
    renderObligations(request, reply),
  );

  app.post(
    "/admin/records/obligations/:oid/attest",
    { config: { policy: "record.publish" } },
    async (request, reply) => {
      const { agency } = await pickAgency(deps, request, reply, "record.publish");
      const oid = (request.params as { oid: string }).oid;
      if (!UUID.test(oid)) throw new AppError("record_obligation_not_found");
      try {
        await attestObligation(
          deps,
          actorFrom(request),
          agency.id,
          oid,
          bodyString(request.body, "reason", 1000),
        );
      } catch (e) {
        if (isAppError(e) && e.code === "validation_failed")
          return renderObligations(request, reply, { errors: e.fields, errorFor: oid }, 400);
        throw e;
      }
      return reply.redirect(
        `/admin/records/obligations?agency=${encodeURIComponent(agency.slug)}#o-${oid}`,
        303,
      );
    },
  );

  // ----- re-review of withheld information (条例第18条) -----------------------------------------------------------
  async function renderRereview(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: {
      errors?: FieldError[];
      errorFor?: string;
      values?: { conclusion: string; reason: string };
      saved?: boolean;
    } = {},
    status = 200,
  ) {
    const { agency, agencies, user } = await pickAgency(deps, request, reply, "record.read");
    // Reviewers record reviews; the 政务公开办 (agency.manage) sees the queue and sets the interval.
    if (
      !can(user, "record.review", { agencyId: agency.id }) &&
      !can(user, "agency.manage", { agencyId: agency.id })
    ) {
      throw new AppError("forbidden");
    }
    const today = deps.clock.today();
    const [entries, history, intervalMonths] = await Promise.all([
      listRereviewQueue(deps.db, agency.id, today),
      listRereviewHistory(deps.db, agency.id),
      rereviewIntervalMonths(deps.db, agency.id),
    ]);
    reply.header("cache-control", "private, no-store");
    return sendHtml(
      reply,
      rereviewPage(pageContext(request), {
        agency,
        agencies,
        asOf: today,
        intervalMonths,
        entries,
        history,
        canReview: can(user, "record.review", { agencyId: agency.id }),
        canRelease: can(user, "record.approve", { agencyId: agency.id }),
        canSetInterval: can(user, "agency.manage", { agencyId: agency.id }),
        errors: extra.errors ?? [],
        errorFor: extra.errorFor,
        values: extra.values,
        saved: extra.saved ?? false,
      }),
      status,
    );
  }

  // The queue: reviewers (record.review) and the 政务公开办 (agency.manage, sets the interval; checked in
  // renderRereview). Recording a review needs record.review, releasing record.approve (checked per POST).
  app.get("/admin/records/rereview", { config: { policy: "record.read" } }, async (request, reply) =>
    renderRereview(request, reply, { saved: (request.query as { saved?: unknown }).saved === "1" }),
  );

  app.post(
    "/admin/records/rereview/interval",
    { config: { policy: "agency.manage" } },
    async (request, reply) => {
      const { agency } = await pickAgency(deps, request, reply, "agency.manage");
      const raw = bodyString(request.body, "intervalMonths", 10);
      try {
        await setRereviewInterval(
          deps,
          actorFrom(request),
          agency.id,
          /^\d+$/.test(raw) ? Number(raw) : Number.NaN,
        );
      } catch (e) {
        if (isAppError(e) && e.code === "validation_failed")
          return renderRereview(request, reply, { errors: e.fields, errorFor: "interval" }, 400);
        throw e;
      }
      return reply.redirect(`/admin/records/rereview?agency=${encodeURIComponent(agency.slug)}`, 303);
    },
  );

  app.post("/admin/records/rereview/:id", { config: { policy: "record.review" } }, async (request, reply) => {
    const { agency } = await pickAgency(deps, request, reply, "record.review");
    const id = (request.params as { id: string }).id;
    if (!UUID.test(id)) throw new AppError("record_not_found");
    const values = {
      conclusion: bodyString(request.body, "conclusion", 20),
      reason: bodyString(request.body, "reason", 2000),
    };
    try {
      await recordRereview(deps, actorFrom(request), agency.id, id, values, deps.clock.today());
    } catch (e) {
      if (isAppError(e) && e.code === "validation_failed")
        return renderRereview(request, reply, { errors: e.fields, errorFor: id, values }, 400);
      throw e;
    }
    return reply.redirect(`/admin/records/rereview?agency=${encodeURIComponent(agency.slug)}&saved=1`, 303);
  });

  // ----- settings ------------------------------------------------------------------------------------------------
  async function renderSettings(
    request: FastifyRequest,
    reply: FastifyReply,
    agency: AgencyRefRow,
    agencies: AgencyRefRow[],
    extra: {
      errors?: FieldError[];
      saved?: boolean;
      settings?: Awaited<ReturnType<typeof getPublishingSettings>>;
    } = {},
    status = 200,
  ) {
    const info = await agencyInfo(deps.db, agency.id);
    reply.header("cache-control", "private, no-store");
    return sendHtml(
      reply,
      settingsPage(pageContext(request), {
        agency: { ...agency, creditCode: info.creditCode, orgCode: info.orgCode },
        agencies,
        settings: extra.settings ?? (await getPublishingSettings(deps.db, agency.id)),
        departments: await departmentsOf(deps.db, agency.id),
        errors: extra.errors ?? [],
        saved: extra.saved ?? false,
        example: await previewIndexNumber(deps.db, agency.id, deps.clock.today()),
      }),
      status,
    );
  }

  app.get("/admin/records/settings", { config: { policy: "agency.manage" } }, async (request, reply) => {
    const { agency, agencies } = await pickAgency(deps, request, reply, "agency.manage");
    return renderSettings(request, reply, agency, agencies, {
      saved: (request.query as { saved?: unknown }).saved === "1",
    });
  });

  app.post("/admin/records/settings", { config: { policy: "agency.manage" } }, async (request, reply) => {
    const { agency, agencies } = await pickAgency(deps, request, reply, "agency.manage");
    const body = request.body;
    const preset = bodyString(body, "preset", 40);
    const template =
      preset in INDEX_PRESETS
        ? INDEX_PRESETS[preset as IndexPreset].template
        : bodyString(body, "indexTemplate", 100);
    const emails = (v: string) => v.split(/[\s,，;；]+/).filter(Boolean);
    const notifyEmails: Record<string, string[]> = {};
    const all = emails(bodyString(body, "email_all", 1000));
    if (all.length) notifyEmails["*"] = all;
    for (const d of await departmentsOf(deps.db, agency.id)) {
      const list = emails(bodyString(body, `email_${d.id}`, 1000));
      if (list.length) notifyEmails[d.id] = list;
    }
    const code = bodyString(body, "indexCode", 40);
    const settings = {
      indexTemplate: template,
      indexCode: code === "" ? null : code,
      indexCodeIsDemo: bodyString(body, "indexCodeIsDemo") === "1",
      notifyEmails,
    };
    try {
      await updatePublishingSettings(deps, actorFrom(request), agency.id, settings);
    } catch (e) {
      if (isAppError(e) && e.code === "validation_failed")
        return renderSettings(request, reply, agency, agencies, { errors: e.fields, settings }, 400);
      throw e;
    }
    return reply.redirect(`/admin/records/settings?agency=${encodeURIComponent(agency.slug)}&saved=1`, 303);
  });

  // ----- notices -------------------------------------------------------------------------------------------------
  function departmentsOfUser(user: StaffUser, agencyId: string): string[] | undefined {
    // Department-scoped editors see their department's notices (and agency-wide ones); everyone else sees all.
    const grants = user.grants.filter((g) => g.agencyId === agencyId);
    if (grants.length > 0 && grants.every((g) => g.role === "editor" && g.departmentId))
      return grants.map((g) => g.departmentId as string);
    return undefined;
  }

  app.get("/admin/notices", { config: { policy: "record.read" } }, async (request, reply) => {
    const { agency, agencies, user } = await pickAgency(deps, request, reply, "record.read");
    const notices = await noticesForUser(deps.db, agency.id, departmentsOfUser(user, agency.id));
    reply.header("cache-control", "private, no-store");
    return sendHtml(
      reply,
      noticesPage(pageContext(request), {
        agency,
        agencies,
        notices,
        departments: await departmentsOf(deps.db, agency.id),
        canMarkRead: can(user, "notice.mark_read", { agencyId: agency.id }),
      }),
    );
  });

  app.post("/admin/notices/:nid/read", { config: { policy: "notice.mark_read" } }, async (request, reply) => {
    const { agency } = await pickAgency(deps, request, reply, "notice.mark_read");
    const nid = (request.params as { nid: string }).nid;
    if (!UUID.test(nid) || !(await readNotice(deps.db, agency.id, nid, deps.clock.now())))
      throw new AppError("not_found");
    return reply.redirect(`/admin/notices?agency=${encodeURIComponent(agency.slug)}`, 303);
  });
}
