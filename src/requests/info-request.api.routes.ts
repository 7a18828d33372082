/**
 * @module JSON API of applications for integrations (e.g. a 12345 hotline platform): create an application, read
 * its status, record the receipt confirmation (条例第31条). Bearer tokens (accounts feature); every route is a
 * `staffRoute` declaring its policy (agency and application checked before the body). TypeBox schemas with
 * descriptions feed the OpenAPI document (@fastify/swagger).
 * Responses never contain personal data (masked forms only).
 */
// Type-only: @fastify/swagger's augmentation of FastifySchema (tags, summary, description); the lead registers it.
import type {} from "@fastify/swagger";
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { Deps } from "../deps.ts";
import { validationError } from "../errors.ts";
import { API_TAGS } from "../http/openapi.ts";
import { type StaffContext, staffRoute } from "../http/staff-route.ts";
import { OUTCOME_CODES } from "../legal/annual-report-codes.ts";
import { UUID_SCHEMA_PATTERN } from "../shared/ids.ts";
import { confirmReceipt } from "./handling.service.ts";
import { outcomeLabel } from "./info-request.service.ts";
import type { ApplicantTypeCode, Channel, DeliveryMethod, IdType, InfoForm } from "./info-request.ts";
import { CHANNELS, DELIVERY_METHODS, FORMS, ID_TYPES, STAFF_CHANNELS, STATUSES } from "./info-request.ts";
import {
  getInfoRequestDetail,
  type InfoRequestDetail,
  listQueuePage,
  QUEUE_PAGE_SIZE,
  QUEUE_VIEWS,
  type QueueView,
  requestResource,
} from "./info-request-query.service.ts";
import { registerApplication } from "./intake.service.ts";

const TAG = [API_TAGS.requests];

const enumOf = (values: readonly string[], description: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { description },
  );

const DateString = (description: string) => Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", description });

const SlugParams = Type.Object({ slug: Type.String({ description: "机关标识（slug）", maxLength: 100 }) });
const IdParams = Type.Object({
  slug: Type.String({ description: "机关标识（slug）", maxLength: 100 }),
  id: Type.String({ description: "申请 id（UUID）", pattern: UUID_SCHEMA_PATTERN }),
});

export const CreateInfoRequestBody = Type.Object(
  {
    channel: enumOf(
      STAFF_CHANNELS,
      `申请渠道：${STAFF_CHANNELS.map((c) => `${c}=${CHANNELS[c]}`).join("，")}`,
    ),
    submittedOn: DateString("提交（到达）日期 YYYY-MM-DD"),
    signedForOn: Type.Optional(DateString("邮寄：本机关签收日期")),
    confirmedOn: Type.Optional(
      DateString("传真、电子邮件、平台转办、平常信函：双方确认日期；未确认的不填，申请登记为待确认"),
    ),
    applicantType: enumOf(
      ["natural_person", "commercial", "research", "public_interest", "legal_service", "other_org"],
      "申请人类型（年度报告表三的列）：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他",
    ),
    name: Type.String({ minLength: 2, maxLength: 100, description: "申请人姓名或名称" }),
    idType: enumOf(Object.keys(ID_TYPES), "身份证明类型"),
    idNumber: Type.String({ maxLength: 40, description: "证件号码（居民身份证校验校验位）；加密保存" }),
    phone: Type.Optional(Type.String({ maxLength: 30, description: "联系电话" })),
    email: Type.Optional(Type.String({ maxLength: 200, description: "电子邮箱" })),
    address: Type.Optional(Type.String({ maxLength: 200, description: "通信地址" })),
    postalCode: Type.Optional(Type.String({ maxLength: 6, description: "邮政编码" })),
    infoTitle: Type.String({ minLength: 2, maxLength: 200, description: "所需信息的名称" }),
    infoDocNumber: Type.Optional(Type.String({ maxLength: 100, description: "文号" })),
    infoDescription: Type.Optional(Type.String({ maxLength: 2000, description: "其他特征描述" })),
    form: enumOf(Object.keys(FORMS), "信息的提供形式"),
    delivery: enumOf(Object.keys(DELIVERY_METHODS), "获取信息的方式"),
  },
  { description: "登记一件政府信息公开申请（条例第二十九条的内容）" },
);

const Milestone = Type.Object({ date: Type.String(), text: Type.String() });
const Deadline = Type.Object({
  kind: Type.String({
    description: "correction_notice | correction_period | consultation_reply | reply | payment",
  }),
  label: Type.String(),
  due: Type.Union([Type.String(), Type.Null()]),
  state: Type.String({ description: "open | met | missed | paused | suspended | void" }),
});
export const InfoRequestStatusResponse = Type.Object(
  {
    id: Type.String(),
    number: Type.String({ description: "申请编号" }),
    queryCode: Type.Optional(Type.String({ description: "查询码（仅创建时返回）" })),
    status: Type.String({
      description: `状态：${Object.entries(STATUSES)
        .map(([k, v]) => `${k}=${v}`)
        .join("，")}`,
    }),
    statusLabel: Type.String(),
    version: Type.Integer({ description: "版本号（乐观锁：修改时须回传）" }),
    channel: Type.String(),
    applicantType: Type.String(),
    applicant: Type.String({ description: "申请人（脱敏）" }),
    infoTitle: Type.String(),
    submittedOn: Type.String(),
    receivedOn: Type.Union([Type.String(), Type.Null()], { description: "收到申请之日（条例第三十一条）" }),
    outcome: Type.Union([enumOf(OUTCOME_CODES, "办理结果（年度报告表三的21行之一）"), Type.Null()]),
    outcomeLabel: Type.Union([Type.String(), Type.Null()]),
    repliedOn: Type.Union([Type.String(), Type.Null()]),
    nextDueOn: Type.Union([Type.String(), Type.Null()]),
    deadlines: Type.Array(Deadline),
    milestones: Type.Array(Milestone, { description: "向申请人公开的办理过程" }),
  },
  { description: "申请的办理状态（不含个人信息）" },
);

const ConfirmBody = Type.Object({
  version: Type.Integer({ description: "读取时的版本号；版本不一致返回 409 info_request_conflict" }),
  date: DateString("签收或双方确认日期"),
  how: Type.Optional(enumOf(["signed", "confirmed"], "邮寄：signed=签收，confirmed=平常信函与申请人确认")),
});

const ListQuery = Type.Object({
  view: Type.Optional(
    enumOf(
      QUEUE_VIEWS,
      "筛选：open 办理中（默认），due_soon 即将到期，overdue 已逾期，late_correction_notice 补正告知晚于收到申请之日起7个工作日发出的（条例第三十条），awaiting_confirmation 待确认收到，concluded 已办结，all 全部",
    ),
  ),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 99999, default: 1, description: "页码，从1开始" })),
  per_page: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: QUEUE_PAGE_SIZE,
      default: QUEUE_PAGE_SIZE,
      description: `每页件数，1至${QUEUE_PAGE_SIZE}，默认${QUEUE_PAGE_SIZE}`,
    }),
  ),
});

const ErrorResponse = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }, { additionalProperties: true }),
});

function present(detail: InfoRequestDetail, queryCode?: string): Static<typeof InfoRequestStatusResponse> {
  const r = detail.request;
  return {
    id: r.id,
    number: r.number,
    ...(queryCode ? { queryCode } : {}),
    status: r.status,
    statusLabel: STATUSES[r.status],
    version: r.version,
    channel: r.channel,
    applicantType: r.applicantType,
    applicant: r.applicantDisplay,
    infoTitle: r.infoTitle,
    submittedOn: r.submittedOn,
    receivedOn: r.receivedOn,
    outcome: r.outcome,
    outcomeLabel: r.outcome ? outcomeLabel(r.outcome) : null,
    repliedOn: r.repliedOn,
    nextDueOn: r.nextDueOn,
    deadlines: detail.deadlines.deadlines.map((d) => ({
      kind: d.kind,
      label: d.label,
      due: d.due,
      state: d.state,
    })),
    milestones: detail.events
      .filter((e) => e.public && e.note)
      .map((e) => ({ date: e.on_date, text: e.note as string })),
  };
}

export function infoRequestApiRoutes(app: FastifyInstance, deps: Deps): void {
  // staffRoute: the agency (`:slug`) and the application (`:id`) are checked before the body is validated, so
  // another agency's staff or ids get 404, never a 400 that tells them the object exists.
  const inAgency = (c: StaffContext) => requestResource(deps.db, c.agency.id, c.params.id ?? "");

  staffRoute(app, deps, {
    method: "GET",
    url: "/api/v1/agencies/:slug/requests",
    policy: "request.read",
    options: {
      config: { errors: ["agency_not_found", "not_found", "validation_failed"] },
      schema: {
        operationId: "listInfoRequests",
        tags: TAG,
        summary: "列出申请",
        description: `本机关的申请（默认办理中的），按下一期限排序（同日按提交时间倒序，再按 id），分页：page 从1开始，per_page 默认且最多 ${QUEUE_PAGE_SIZE}（与办理队列每页件数相同）；meta.total 为符合筛选条件的总件数，links.next 为下一页（最后一页没有）。超出范围的 page 或 per_page 返回 400 validation_failed。不含个人信息。`,
        params: SlugParams,
        querystring: ListQuery,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                number: Type.String({ description: "申请编号" }),
                status: Type.String({ description: "办理状态" }),
                infoTitle: Type.String({ description: "所需信息的名称" }),
                receivedOn: Type.Union([Type.String(), Type.Null()], {
                  description: "收到申请之日（待确认时为 null）",
                }),
                nextDueOn: Type.Union([Type.String(), Type.Null()], { description: "下一个期限" }),
                urgency: Type.Union([Type.String(), Type.Null()], {
                  description: "overdue 已逾期 | due_soon 即将到期 | ok",
                }),
                outcome: Type.Union([Type.String(), Type.Null()], {
                  description: "答复结果代码（年报口径）",
                }),
                correctionNoticeLateDays: Type.Integer({
                  description:
                    "补正告知书晚于收到申请之日起7个工作日发出的工作日数（条例第三十条）；按时或未告知补正为0",
                }),
              }),
            ),
            meta: Type.Object({
              page: Type.Integer({ description: "本页页码" }),
              perPage: Type.Integer({ description: "每页件数" }),
              total: Type.Integer({ description: "符合筛选条件的总件数" }),
              totalPages: Type.Integer({ description: "总页数（没有申请时为1）" }),
            }),
            links: Type.Object({
              self: Type.String(),
              prev: Type.Optional(Type.String({ description: "上一页（第1页没有）" })),
              next: Type.Optional(Type.String({ description: "下一页（最后一页没有）" })),
            }),
          }),
          400: ErrorResponse,
        },
      },
    },
    handle: async (c) => {
      const q = c.query as Static<typeof ListQuery>;
      const view = (q.view ?? "open") as QueueView;
      const page = q.page ?? 1;
      const perPage = q.per_page ?? QUEUE_PAGE_SIZE;
      const result = await listQueuePage(deps, c.agency, { view }, page, perPage);
      const totalPages = Math.max(1, Math.ceil(result.total / perPage));
      if (page > totalPages)
        throw validationError([
          {
            field: "page",
            message: `页码超出范围：共 ${totalPages} 页（${result.total} 件，每页 ${perPage} 件）`,
          },
        ]);
      const link = (p: number) =>
        `${deps.config.publicUrl}/api/v1/agencies/${encodeURIComponent(c.agency.slug)}/requests?${new URLSearchParams({ view, page: String(p), per_page: String(perPage) })}`;
      return {
        items: result.items.map((i) => ({
          id: i.request.id,
          number: i.request.number,
          status: i.request.status,
          infoTitle: i.request.infoTitle,
          receivedOn: i.request.receivedOn,
          nextDueOn: i.request.nextDueOn,
          urgency: i.urgency,
          outcome: i.request.outcome,
          correctionNoticeLateDays: i.correctionNoticeLate,
        })),
        meta: { page, perPage, total: result.total, totalPages },
        links: {
          self: link(page),
          ...(page > 1 ? { prev: link(page - 1) } : {}),
          ...(result.hasNext ? { next: link(page + 1) } : {}),
        },
      };
    },
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/api/v1/agencies/:slug/requests",
    policy: "request.handle",
    options: {
      config: {
        errors: ["agency_not_found", "not_found", "encryption_key_missing", "info_request_deadline_invalid"],
      },
      schema: {
        operationId: "registerInfoRequest",
        tags: TAG,
        summary: "登记申请",
        description:
          "登记通过其他渠道（如12345热线）收到的申请。未提供确认日期的传真、电子邮件、平台转办申请登记为“待确认收到”，确认后开始计算答复期限。",
        params: SlugParams,
        headers: Type.Object({
          "idempotency-key": Type.Optional(
            Type.String({
              pattern: "^[A-Za-z0-9_-]{8,100}$",
              description:
                "重复提交保护：同一调用方24小时内以相同的键再次提交，返回第一次登记的申请（201，同一 id 和查询码），不重复登记；建议每件申请用一个新的 UUID",
            }),
          ),
        }),
        body: CreateInfoRequestBody,
        response: { 201: InfoRequestStatusResponse, 400: ErrorResponse, 503: ErrorResponse },
      },
    },
    handle: async (c) => {
      const b = c.body as Static<typeof CreateInfoRequestBody>;
      const key = c.request.headers["idempotency-key"];
      const { request: created, queryCode } = await registerApplication(deps, c.agency, c.actor, {
        ...(typeof key === "string" ? { entryKey: key } : {}),
        applicantType: b.applicantType as ApplicantTypeCode,
        name: b.name,
        idType: b.idType as IdType,
        idNumber: b.idNumber,
        phone: b.phone ?? "",
        email: b.email ?? "",
        address: b.address ?? "",
        postalCode: b.postalCode ?? "",
        infoTitle: b.infoTitle,
        infoDocNumber: b.infoDocNumber ?? "",
        infoDescription: b.infoDescription ?? "",
        form: b.form as InfoForm,
        delivery: b.delivery as DeliveryMethod,
        channel: b.channel as Channel,
        submittedOn: b.submittedOn,
        ...(b.signedForOn ? { signedForOn: b.signedForOn } : {}),
        ...(b.confirmedOn ? { confirmedOn: b.confirmedOn } : {}),
      });
      c.reply.status(201);
      return present(await getInfoRequestDetail(deps, c.agency, created.id), queryCode);
    },
  });

  staffRoute(app, deps, {
    method: "GET",
    url: "/api/v1/agencies/:slug/requests/:id",
    policy: "request.read",
    load: inAgency,
    options: {
      config: { errors: ["agency_not_found", "not_found", "info_request_not_found"] },
      schema: {
        operationId: "getInfoRequest",
        tags: TAG,
        summary: "查询申请状态",
        description: "状态、期限（含计算状态）和向申请人公开的办理过程。",
        params: IdParams,
        response: { 200: InfoRequestStatusResponse, 404: ErrorResponse },
      },
    },
    handle: async (c) => present(await getInfoRequestDetail(deps, c.agency, c.params.id as string)),
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/api/v1/agencies/:slug/requests/:id/receipt-confirmation",
    policy: "request.handle",
    load: inAgency,
    options: {
      config: {
        errors: [
          "agency_not_found",
          "not_found",
          "info_request_not_found",
          "info_request_conflict",
          "info_request_invalid_state",
          "info_request_deadline_invalid",
        ],
      },
      schema: {
        operationId: "confirmInfoRequestReceipt",
        tags: TAG,
        summary: "登记收到确认",
        description:
          "条例第三十一条：记录邮寄申请的签收，或网上、传真、电子邮件、平台转办申请的双方确认；答复期限自该日起计算。",
        params: IdParams,
        body: ConfirmBody,
        response: { 200: InfoRequestStatusResponse, 404: ErrorResponse, 409: ErrorResponse },
      },
    },
    handle: async (c) => {
      const b = c.body as Static<typeof ConfirmBody>;
      const id = c.params.id as string;
      await confirmReceipt(deps, c.agency, id, b.version, c.actor, {
        date: b.date,
        how: b.how === "confirmed" ? "confirmed" : "signed",
      });
      return present(await getInfoRequestDetail(deps, c.agency, id));
    },
  });
}
