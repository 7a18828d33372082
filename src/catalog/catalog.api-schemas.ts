/**
 * @module TypeBox schemas of the catalog's JSON API (/api/v1/agencies/{slug}/catalog…), for responses and the
 * OpenAPI document. Nested catalog items are described by their main fields and keep every other field.
 */
import { Type } from "@sinclair/typebox";
import type { ErrorCode } from "../errors.ts";

const NullableString = (description?: string) =>
  Type.Union([Type.String(), Type.Null()], description ? { description } : {});

export const SlugParams = Type.Object({
  slug: Type.String({ maxLength: 100, description: "机关标识（slug）" }),
});

const CatalogItem = Type.Object(
  {
    stableKey: Type.String({ description: "事项的稳定标识（跨版本不变）" }),
    level: Type.Integer({ description: "层级：1 一级事项，2 二级事项 …" }),
    name: Type.String({ description: "事项名称" }),
  },
  {
    additionalProperties: true,
    description:
      "目录事项：number 编号、elements 公开内容（要素）、legalBasis 公开依据、deadlineText 公开时限、deadlineRules 时限的解读、subject 公开主体、channels 公开渠道、audience 公开对象、mode 公开方式、adminLevel 公开层级、responsible 责任单位、units、remarks、children 下级事项（结构相同）",
  },
);

export const PublicCatalog = Type.Object({
  agency: Type.Object({ slug: Type.String(), name: Type.String() }),
  title: Type.String(),
  versionNo: Type.Integer(),
  publishedAt: NullableString("发布时间（ISO 8601）"),
  header: Type.Object({}, { additionalProperties: true, description: "表头（编制单位、日期等）" }),
  counts: Type.Object({
    level1: Type.Integer(),
    level2: Type.Integer(),
    level3: Type.Integer(),
    deeper: Type.Integer(),
    elements: Type.Integer(),
  }),
  items: Type.Array(CatalogItem),
});

export const VersionInfo = Type.Object(
  {
    id: Type.String(),
    catalogId: Type.String(),
    versionNo: Type.Integer(),
    status: Type.String({
      description: "draft 草稿 | published 现行 | superseded 已被替代 | discarded 已放弃",
    }),
    title: Type.String(),
    basedOnVersionId: NullableString(),
    publishedAt: NullableString("发布时间（ISO 8601）"),
  },
  { additionalProperties: true, description: "目录版本" },
);

export const LintResponse = Type.Object({
  version: Type.Object({ id: Type.String(), versionNo: Type.Integer(), status: Type.String() }),
  findings: Type.Array(
    Type.Object({
      code: Type.String(),
      severity: Type.String({ description: "error 错误 | warning 警告 | info 提示" }),
      article: Type.String({ description: "依据，例如 条例第20条" }),
      itemKey: NullableString("事项标识"),
      itemPath: Type.Array(Type.String()),
      message: Type.String(),
      fix: Type.String({ description: "修改建议" }),
    }),
  ),
});

export const ImportPreview = Type.Object(
  {
    importId: Type.String({ description: "导入预览 id：确认无误后调用 commitCatalogImport" }),
    fileName: Type.String(),
    format: Type.String(),
    sha256: Type.String(),
    items: Type.Array(Type.Object({}, { additionalProperties: true }), { description: "读出的事项" }),
  },
  { additionalProperties: true, description: "导入预览：读出的事项、警告和与现行版本的差异" },
);

export const PublishResponse = Type.Object({
  version: VersionInfo,
  diff: Type.Object({
    added: Type.Array(Type.Object({}, { additionalProperties: true }), { description: "新增的事项" }),
    removed: Type.Array(Type.Object({}, { additionalProperties: true }), { description: "删除的事项" }),
    changed: Type.Array(Type.Object({}, { additionalProperties: true }), { description: "修改的事项" }),
  }),
});

export const UPLOAD_ERRORS: readonly ErrorCode[] = [
  "upload_rejected",
  "catalog_import_unreadable",
  "catalog_import_unsupported_type",
  "catalog_import_no_header",
  "catalog_import_empty",
  "catalog_import_too_large",
  "document_too_large_uncompressed",
  "document_too_many_entries",
  "document_compression_ratio",
  "document_nested_archive",
  "document_structure_invalid",
  "document_polyglot",
  "document_parse_timeout",
  "document_parse_memory",
  "document_parser_busy",
];

const binary = { schema: { type: "string", format: "binary" } };
export const EXPORT_RESPONSES = {
  200: {
    description: "目录文件（按 format）",
    content: {
      "application/json": { schema: { type: "object", additionalProperties: true } },
      "text/csv": binary,
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": binary,
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document": binary,
    },
  },
};
