/**
 * @module TypeBox schemas of the annual report's JSON API (/api/v1/reports…), for responses and the OpenAPI document.
 */
import { Type } from "@sinclair/typebox";

export const ReportParams = Type.Object({
  slug: Type.String({ maxLength: 100, description: "机关标识（slug）" }),
  year: Type.String({ description: "报告年度，例如 2025" }),
});

export const TransitionParams = Type.Object({
  slug: Type.String({ maxLength: 100, description: "机关标识（slug）" }),
  year: Type.String({ description: "报告年度" }),
  transition: Type.String({
    description: "submit 提交审核 | review 审核通过 | approve 审签通过 | publish 发布 | return 退回",
  }),
});

export const ReportResponse = Type.Object(
  {
    agencyId: Type.String(),
    year: Type.Integer(),
    title: Type.String(),
    status: Type.String({ description: "draft | submitted | reviewed | approved | published" }),
    statusLabel: Type.String(),
    version: Type.Integer({ description: "版本号（修改时回传，防止覆盖他人的修改）" }),
    submittable: Type.Boolean({ description: "已通过全部校验，可以提交" }),
    findings: Type.Array(Type.Object({}, { additionalProperties: true }), {
      description: "校验发现的问题（勾稽关系、合计等）",
    }),
    manualCells: Type.Object({}, { additionalProperties: true, description: "人工填写的单元格" }),
    editedNarratives: Type.Array(Type.String(), { description: "已编辑的文字部分" }),
    generatedAt: Type.String({ format: "date-time" }),
    publishedOn: Type.Union([Type.String(), Type.Null()], { description: "发布日期" }),
    deadline: Type.String({ description: "发布期限（条例第四十九条：次年1月31日）" }),
    publishedLate: Type.Boolean(),
    overdue: Type.Boolean(),
    report: Type.Object(
      {},
      {
        additionalProperties: true,
        description: "报告内容：按国办公开办函〔2021〕30号格式的官方标签组织的单元格和文字",
      },
    ),
  },
  { description: "年度报告" },
);

export const ReportBody = Type.Object({
  version: Type.Optional(Type.Integer({ minimum: 0, description: "当前版本号（乐观锁）" })),
  reason: Type.Optional(Type.String({ maxLength: 2000, description: "退回理由（return 时必填）" })),
});
