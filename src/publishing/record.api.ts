/**
 * @module JSON API for records (integrations, e.g. an OA system): create, update, submit, review, approve, publish,
 * send back, withdraw and revise records of an agency with a Bearer token (`/api/v1/agencies/{slug}/records…`).
 * Every route is a `staffRoute` (agency and record checked before the body is validated, the policy once); the
 * service checks each workflow step against the record's state. TypeBox schemas feed the
 * OpenAPI description served at /api/v1/openapi.json.
 */
import type {} from "@fastify/swagger";
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { Action } from "../accounts/policy.ts";
import type { Deps } from "../deps.ts";
import { AppError, type ErrorCode, isAppError } from "../errors.ts";
import { API_TAGS } from "../http/openapi.ts";
import { type StaffContext, staffRoute } from "../http/staff-route.ts";
import { UUID_SCHEMA_PATTERN } from "../shared/ids.ts";
import { publicRecordPath } from "./record.paths.ts";
import { REVISION_STATUS_LABELS, revisionStamp } from "./record.rules.ts";
import type { ContentInput } from "./record.service.ts";
import type { RecordContent } from "./record.table.ts";
import { createRecord, reviseRecord, updateDraft } from "./record-draft.service.ts";
import { textToHtml } from "./record-html.ts";
import {
  getRecordForStaff,
  listRecordsForStaff,
  recordResource,
  type StaffRecordDetail,
} from "./record-query.service.ts";
import { advanceRecord, returnRecord, withdrawRecord } from "./record-workflow.service.ts";

const TAG = [API_TAGS.records];
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const DateString = (description: string) => Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", description });

const SlugParams = Type.Object({ slug: Type.String({ maxLength: 100, description: "机关标识（slug）" }) });
const IdParams = Type.Object({
  slug: Type.String({ maxLength: 100, description: "机关标识（slug）" }),
  id: Type.String({ pattern: UUID_SCHEMA_PATTERN, description: "信息 id（UUID）" }),
});

export const RecordInput = Type.Object(
  {
    kind: Type.Optional(
      Type.Union([Type.Literal("document"), Type.Literal("interpretation")], {
        description: "document=政府信息，interpretation=政策解读",
      }),
    ),
    title: Type.Optional(Type.String({ maxLength: 300, description: "标题（名称）" })),
    summary: Type.Optional(Type.String({ maxLength: 500, description: "内容概述" })),
    issuingAgency: Type.Optional(
      Type.String({ maxLength: 100, description: "发布机构（全称）；默认为本机关名称" }),
    ),
    docNumber: Type.Optional(Type.String({ maxLength: 100, description: "文号，例如 聊人社发〔2025〕12号" })),
    formedDate: Type.Optional(
      DateString("成文（生成）日期 YYYY-MM-DD；公开时限从此日起算（条例第二十六条）"),
    ),
    changedDate: Type.Optional(Nullable(DateString("变更日期：信息变更的，时限从变更之日重新起算"))),
    topic: Type.Optional(Type.String({ maxLength: 50, description: "主题分类" })),
    genre: Type.Optional(Type.String({ maxLength: 50, description: "体裁分类" })),
    keywords: Type.Optional(
      Type.Array(Type.String({ maxLength: 20 }), { maxItems: 10, description: "关键词" }),
    ),
    validity: Type.Optional(
      Type.Union([Type.Literal("有效"), Type.Literal("失效"), Type.Literal("废止"), Type.Null()], {
        description: "有效性",
      }),
    ),
    effectiveDate: Type.Optional(Nullable(DateString("生效日期"))),
    repealDate: Type.Optional(Nullable(DateString("废止（失效）日期"))),
    replacedByRecordId: Type.Optional(
      Nullable(Type.String({ pattern: UUID_SCHEMA_PATTERN, description: "替代文件的信息 id" })),
    ),
    replacedByText: Type.Optional(
      Type.String({ maxLength: 300, description: "替代文件说明（不在本平台时）" }),
    ),
    disclosure: Type.Optional(
      Type.Union([Type.Literal("主动公开"), Type.Literal("依申请公开"), Type.Literal("不予公开")], {
        description: "公开属性（条例第十三条）",
      }),
    ),
    nonDisclosureReason: Type.Optional(Type.String({ maxLength: 2000, description: "不予公开的理由和依据" })),
    itemId: Type.Optional(
      Nullable(Type.String({ pattern: UUID_SCHEMA_PATTERN, description: "主动公开事项目录事项 id" })),
    ),
    elementId: Type.Optional(
      Nullable(Type.String({ pattern: UUID_SCHEMA_PATTERN, description: "公开内容（要素）id" })),
    ),
    departmentId: Type.Optional(
      Nullable(Type.String({ pattern: UUID_SCHEMA_PATTERN, description: "责任股室 id" })),
    ),
    docCategory: Type.Optional(
      Type.Union(
        [
          Type.Literal("rules"),
          Type.Literal("normative_documents"),
          Type.Literal("licensing"),
          Type.Literal("penalty"),
          Type.Literal("coercion"),
          Type.Literal("administrative_fees"),
          Type.Null(),
        ],
        { description: "年报统计类别：规章、行政规范性文件、行政许可、行政处罚、行政强制、行政事业性收费" },
      ),
    ),
    decisionCount: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 100000, description: "公示的决定件数" }),
    ),
    feeAmountWan: Type.Optional(
      Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description: "收费金额（万元）" }),
    ),
    bodyHtml: Type.Optional(
      Type.String({ maxLength: 500000, description: "正文 HTML（服务端按白名单清理）" }),
    ),
    bodyText: Type.Optional(
      Type.String({ maxLength: 500000, description: "正文纯文本（与 bodyHtml 二选一，按空行分段）" }),
    ),
    interpretsRecordIds: Type.Optional(
      Type.Array(Type.String({ pattern: UUID_SCHEMA_PATTERN }), {
        maxItems: 20,
        description: "政策解读：所解读的政策文件 id",
      }),
    ),
    changeNote: Type.Optional(Type.String({ maxLength: 1000, description: "修改说明" })),
  },
  { additionalProperties: false, description: "信息的内容和元数据（创建时 title 必填）" },
);

const Checklist = Type.Object(
  {
    noStateSecret: Type.Boolean(),
    noWorkSecret: Type.Boolean(),
    noPersonalPrivacy: Type.Boolean(),
    noTradeSecret: Type.Boolean(),
    noThreeSecurityRisk: Type.Boolean(),
    consistentWithPolicy: Type.Boolean(),
  },
  { description: "保密审查和隐私审查清单（条例第十七条），审核通过须全部为 true" },
);

const StepBody = Type.Object(
  {
    checklist: Type.Optional(Checklist),
    piiOverrideReason: Type.Optional(
      Type.String({ maxLength: 1000, description: "审签人放行个人信息的理由" }),
    ),
    comment: Type.Optional(Type.String({ maxLength: 1000, description: "意见" })),
  },
  { additionalProperties: false },
);
const ReasonBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 1000, description: "理由" }) },
  { additionalProperties: false },
);

const RecordResponse = Type.Object(
  {
    id: Type.String(),
    status: Type.String({ description: "draft 未发布 | published 已发布 | withdrawn 已撤回" }),
    revision: Type.Object({
      no: Type.Integer(),
      status: Type.String({
        description: "draft | submitted | reviewed | approved | published | superseded",
      }),
      statusLabel: Type.String(),
      returnedReason: Nullable(Type.String()),
    }),
    indexNo: Nullable(Type.String({ description: "索引号" })),
    publishedDate: Nullable(Type.String()),
    url: Nullable(Type.String({ description: "门户页面（已发布时）" })),
    due: Type.Object({
      date: Nullable(Type.String()),
      explanation: Type.String(),
      late: Type.Union([Type.Boolean(), Type.Null()]),
    }),
    content: Type.Object(
      {
        kind: Type.String(),
        title: Type.String(),
        summary: Type.String(),
        issuingAgency: Type.String(),
        docNumber: Type.String(),
        formedDate: Type.String(),
        changedDate: Nullable(Type.String()),
        topic: Type.String(),
        genre: Type.String(),
        keywords: Type.Array(Type.String()),
        validity: Nullable(Type.String()),
        effectiveDate: Nullable(Type.String()),
        repealDate: Nullable(Type.String()),
        disclosure: Type.String(),
        itemId: Nullable(Type.String()),
        itemStableKey: Nullable(Type.String()),
        elementId: Nullable(Type.String()),
        departmentId: Nullable(Type.String()),
        docCategory: Nullable(Type.String()),
        bodyHtml: Type.String(),
        attachmentIds: Type.Array(Type.String()),
        interpretsRecordIds: Type.Array(Type.String()),
      },
      { additionalProperties: true },
    ),
  },
  {
    description: "信息（最新版本）",
    // @fastify/swagger documents these as the response's headers.
    headers: {
      ETag: {
        type: "string",
        description: "该信息最新版本内容的标识；修改草稿（PATCH）时原样放入 If-Match 请求头",
      },
    },
  },
);

const ListResponse = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      status: Type.String(),
      workflowStatus: Type.String(),
      indexNo: Nullable(Type.String()),
      publishedDate: Nullable(Type.String()),
    }),
  ),
  meta: Type.Object({ page: Type.Integer(), perPage: Type.Integer(), total: Type.Integer() }),
});

function present(slug: string, d: StaffRecordDetail): Static<typeof RecordResponse> {
  const r = d.record;
  const rev = d.revision;
  return {
    id: r.id,
    status: r.status,
    revision: {
      no: rev.revision_no,
      status: rev.status,
      statusLabel: REVISION_STATUS_LABELS[rev.status],
      returnedReason: rev.status === "draft" ? rev.returned_reason : null,
    },
    indexNo: r.index_no,
    publishedDate: r.published_date,
    url: r.status === "published" ? publicRecordPath(slug, r.id) : null,
    due:
      r.due_explanation !== ""
        ? { date: r.due_date, explanation: r.due_explanation, late: r.late }
        : { date: d.duePreview.due, explanation: d.duePreview.explanation, late: null },
    content: rev.content as unknown as Static<typeof RecordResponse>["content"],
  };
}

/**
 * The record's entity tag: the revisionStamp of its latest revision (its number and whole content, attachments
 * included), quoted. It changes with every save of the draft, in the console or the API, and with a new revision.
 */
export function recordEtag(revisionNo: number, content: RecordContent): string {
  return `"${revisionStamp(revisionNo, content)}"`;
}

/**
 * The entity tags an If-Match header names (RFC 9110 §13.1.1): "*" (any current draft), the quoted tags, or
 * undefined when the header is absent or names none. A weak tag's W/ is ignored: the tag fingerprints the draft's
 * content, and a proxy compressing the answer may have weakened it.
 */
export function ifMatchTags(header: string | string[] | undefined): "*" | string[] | undefined {
  const text = (Array.isArray(header) ? header.join(",") : (header ?? "")).trim();
  if (text === "*") return "*";
  const tags = [...text.matchAll(/(?:W\/)?"([^"]*)"/g)].map((m) => m[1] as string);
  return tags.length > 0 ? tags : undefined;
}

function toInput(body: Static<typeof RecordInput>): ContentInput {
  const { bodyText, changeNote: _note, ...rest } = body;
  const input: ContentInput = { ...rest };
  if (body.bodyHtml === undefined && bodyText !== undefined) input.bodyHtml = textToHtml(bodyText);
  return input;
}

export function recordApiRoutes(app: FastifyInstance, deps: Deps): void {
  const errorResponses = {
    400: Type.Object(
      { error: Type.Object({ code: Type.String(), message: Type.String() }, { additionalProperties: true }) },
      { description: "validation_failed 等" },
    ),
  };

  const inAgency = (c: StaffContext) => recordResource(deps.db, c.agency.id, c.params.id ?? "");
  const inDepartment = (c: StaffContext) => recordResource(deps.db, c.agency.id, c.params.id ?? "", true);
  /** The record as it is now (the answer of every read and write), with its ETag (the If-Match of a draft update). */
  const current = async (c: StaffContext<unknown, unknown>, id = c.params.id as string) => {
    const detail = await getRecordForStaff(deps, c.agency.id, id);
    c.reply.header("etag", recordEtag(detail.revision.revision_no, detail.revision.content));
    return present(c.agency.slug, detail);
  };

  // The public list of published records is GET /api/v1/agencies/{slug}/records (portal open-data API).
  staffRoute(app, deps, {
    method: "GET",
    url: "/api/v1/agencies/:slug/records/worklist",
    policy: "record.read",
    options: {
      config: { errors: ["agency_not_found", "not_found"] },
      schema: {
        operationId: "listAgencyRecords",
        tags: TAG,
        summary: "工作人员：列出机关的全部信息（含未发布、已撤回）",
        params: SlugParams,
        querystring: Type.Object({
          status: Type.Optional(
            Type.Union([Type.Literal("draft"), Type.Literal("published"), Type.Literal("withdrawn")]),
          ),
          page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
          per_page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
        }),
        response: { 200: ListResponse },
      },
    },
    handle: async (c) => {
      const qs = c.query as {
        status?: "draft" | "published" | "withdrawn";
        page?: number;
        per_page?: number;
      };
      const list = await listRecordsForStaff(deps.db, {
        agencyId: c.agency.id,
        status: qs.status,
        page: qs.page ?? 1,
        pageSize: qs.per_page ?? 20,
      });
      return {
        items: list.rows.map((r) => ({
          id: r.id,
          title: r.title,
          status: r.status,
          workflowStatus: r.workflow_status,
          indexNo: r.index_no,
          publishedDate: r.published_date,
        })),
        meta: { page: list.page, perPage: list.pageSize, total: list.total },
      };
    },
  });

  staffRoute(app, deps, {
    method: "POST",
    url: "/api/v1/agencies/:slug/records",
    policy: "record.draft",
    options: {
      config: { errors: ["agency_not_found", "not_found", "catalog_item_not_found", "department_not_found"] },
      schema: {
        operationId: "createRecord",
        tags: TAG,
        summary: "起草信息（创建第1版草稿）",
        params: SlugParams,
        body: RecordInput,
        response: { 201: RecordResponse, ...errorResponses },
      },
    },
    handle: async (c) => {
      const body = c.body as Static<typeof RecordInput>;
      const { id } = await createRecord(deps, c.actor, c.agency.id, toInput(body), {
        changeNote: body.changeNote ?? "",
      });
      return c.reply.status(201).send(await current(c, id));
    },
  });

  staffRoute(app, deps, {
    method: "GET",
    url: "/api/v1/agencies/:slug/records/:id",
    policy: "record.read",
    options: {
      config: { errors: ["agency_not_found", "not_found", "record_not_found"] },
      schema: {
        operationId: "getRecord",
        tags: TAG,
        summary: "查看信息（最新版本、状态、时限）",
        params: IdParams,
        response: { 200: RecordResponse },
      },
    },
    load: inAgency,
    handle: (c) => current(c),
  });

  staffRoute(app, deps, {
    method: "PATCH",
    url: "/api/v1/agencies/:slug/records/:id",
    policy: "record.draft",
    options: {
      config: {
        errors: [
          "agency_not_found",
          "not_found",
          "record_not_found",
          "record_invalid_transition",
          "record_precondition_failed",
          "catalog_item_not_found",
          "department_not_found",
        ],
      },
      schema: {
        operationId: "updateRecordDraft",
        tags: TAG,
        summary:
          "修改草稿（只能修改起草中的版本；已发布的先调用 revise）。建议带 If-Match：读取时响应头 ETag 的值（他人已修改则 412，不保存）；* 或不带时直接覆盖当前草稿",
        params: IdParams,
        headers: Type.Object({
          "if-match": Type.Optional(
            Type.String({
              maxLength: 1000,
              description:
                "读取该信息（GET 或上一次写操作的响应）时响应头 ETag 的值；草稿已被他人修改时返回 412。* 或不带此请求头表示不论当前内容直接覆盖（后写者覆盖）。",
            }),
          ),
        }),
        body: RecordInput,
        response: { 200: RecordResponse, ...errorResponses },
      },
    },
    load: inDepartment,
    handle: async (c) => {
      const body = c.body as Static<typeof RecordInput>;
      // No lost update for a client that names the draft it read (If-Match: its ETag). Without If-Match (or with
      // *) the update applies to whatever is stored, as it always did: an integration written against the API before
      // the ETag keeps working (docs/api.md, "Editing a draft").
      const tags = ifMatchTags(c.request.headers["if-match"]);
      try {
        await updateDraft(deps, c.actor, c.agency.id, c.params.id as string, toInput(body), {
          ...(body.changeNote !== undefined ? { changeNote: body.changeNote } : {}),
          ...(tags !== undefined && tags !== "*" ? { revisionStamps: tags } : {}),
        });
      } catch (e) {
        if (isAppError(e) && e.code === "record_conflict") throw new AppError("record_precondition_failed");
        throw e;
      }
      return current(c);
    },
  });

  const steps: { step: "submit" | "review" | "approve" | "publish"; policy: Action; summary: string }[] = [
    { step: "submit", policy: "record.draft", summary: "提交审核（起草人）" },
    { step: "review", policy: "record.review", summary: "审核通过（保密审查，须提交完整清单）" },
    {
      step: "approve",
      policy: "record.approve",
      summary: "审签通过（检查个人信息；有疑似个人信息的须填写放行理由）",
    },
    { step: "publish", policy: "record.publish", summary: "发布（生成索引号，计算是否按时）" },
  ];
  const STEP_ERRORS: ErrorCode[] = [
    "agency_not_found",
    "not_found",
    "record_not_found",
    "record_invalid_transition",
    "record_precondition_failed",
    "record_checklist_incomplete",
    "record_personal_data_found",
    "record_not_proactive",
    "record_index_unavailable",
  ];
  for (const s of steps) {
    staffRoute(app, deps, {
      method: "POST",
      url: `/api/v1/agencies/:slug/records/:id/${s.step}`,
      policy: s.policy,
      options: {
        config: { errors: STEP_ERRORS },
        schema: {
          operationId: `${s.step}Record`,
          tags: TAG,
          summary: s.summary,
          params: IdParams,
          headers: Type.Object({
            "if-match": Type.Optional(
              Type.String({
                maxLength: 1000,
                description:
                  "可选：读取该信息时响应头 ETag 的值；内容在此后有变化（如收回修改后重新提交）时返回 412，不执行本步骤",
              }),
            ),
          }),
          body: Type.Optional(StepBody),
          response: { 200: RecordResponse, ...errorResponses },
        },
      },
      load: inDepartment,
      handle: async (c) => {
        const body = (c.body ?? {}) as Static<typeof StepBody>;
        // Optional If-Match: the step applies only to the revision the client read (412 otherwise).
        const tags = ifMatchTags(c.request.headers["if-match"]);
        try {
          await advanceRecord(deps, c.actor, c.agency.id, c.params.id as string, s.step, {
            ...(tags !== undefined && tags !== "*" ? { stamp: tags } : {}),
            ...(body.checklist ? { checklist: body.checklist } : {}),
            ...(body.piiOverrideReason ? { piiOverrideReason: body.piiOverrideReason } : {}),
            ...(body.comment ? { comment: body.comment } : {}),
          });
        } catch (e) {
          if (isAppError(e) && e.code === "record_changed_since_opened")
            throw new AppError("record_precondition_failed");
          throw e;
        }
        return current(c);
      },
    });
  }

  // Sending back is performed by the reviewer, approver or publisher depending on the status (the service checks).
  for (const [name, policy, fn, summary] of [
    ["return", "record.return", returnRecord, "退回起草人修改（须说明理由）"],
    ["withdraw", "record.withdraw", withdrawRecord, "撤回已发布的信息（须说明理由；审计日志保留）"],
  ] as const) {
    staffRoute(app, deps, {
      method: "POST",
      url: `/api/v1/agencies/:slug/records/:id/${name}`,
      policy,
      options: {
        config: {
          errors: ["agency_not_found", "not_found", "record_not_found", "record_invalid_transition"],
        },
        schema: {
          operationId: `${name}Record`,
          tags: TAG,
          summary,
          params: IdParams,
          body: ReasonBody,
          response: { 200: RecordResponse, ...errorResponses },
        },
      },
      load: inAgency,
      handle: async (c) => {
        const { reason } = c.body as Static<typeof ReasonBody>;
        await fn(deps, c.actor, c.agency.id, c.params.id as string, reason);
        return current(c);
      },
    });
  }

  staffRoute(app, deps, {
    method: "POST",
    url: "/api/v1/agencies/:slug/records/:id/revise",
    policy: "record.draft",
    options: {
      config: {
        errors: [
          "agency_not_found",
          "not_found",
          "record_not_found",
          "record_invalid_transition",
          "record_revision_open",
        ],
      },
      schema: {
        operationId: "reviseRecord",
        tags: TAG,
        summary: "修改已发布的信息：新建修订版本（门户仍显示当前版本，直到新版本发布）",
        params: IdParams,
        response: { 200: RecordResponse, ...errorResponses },
      },
    },
    load: inDepartment,
    handle: async (c) => {
      await reviseRecord(deps, c.actor, c.agency.id, c.params.id as string);
      return current(c);
    },
  });
}
