/**
 * @module What an open export contains: each dataset is one SQL query (scoped to the exported agencies) and the
 * documentation of every column. The README inside the zip is generated from these definitions, so every file and
 * every column in it is described (src/ops/export.test.ts checks it).
 */

export interface ExportColumn {
  name: string;
  description: string;
}

export interface ExportDataset {
  /** File name without extension: `<file>.json` and `<file>.csv`. */
  file: string;
  title: string;
  description: string;
  columns: ExportColumn[];
  /** SELECT returning exactly `columns` (in order); `$1` = uuid[] of the exported agencies. */
  sql: string;
}

const c = (name: string, description: string): ExportColumn => ({ name, description });

export const PERSONAL_COLUMNS: ExportColumn[] = [
  c("applicant_name", "申请人姓名或名称 applicant's name (only in exports with personal data)"),
  c("applicant_id_number", "证件号码 identity document number (only with personal data)"),
  c("applicant_phone", "联系电话 phone (only with personal data)"),
  c("applicant_email", "电子邮箱 e-mail (only with personal data)"),
  c("applicant_address", "通信地址 postal address (only with personal data)"),
  c("applicant_postal_code", "邮政编码 postal code (only with personal data)"),
];

export const DATASETS: ExportDataset[] = [
  {
    file: "agencies",
    title: "机关 Agencies",
    description: "The exported agencies (行政机关) and their region.",
    columns: [
      c("agency_id", "Gongkai's identifier of the agency (UUID); other files refer to it"),
      c("slug", "short name used in web addresses (/agencies/<slug>)"),
      c("name", "机关名称 full name"),
      c("short_name", "简称 short name"),
      c("credit_code", "统一社会信用代码 unified social credit code (empty when not recorded)"),
      c("region", "所属行政区划 region name"),
    ],
    sql: `SELECT a.id::text AS agency_id, a.slug, a.name, coalesce(a.short_name, '') AS short_name,
            coalesce(a.credit_code, '') AS credit_code, coalesce(r.name, '') AS region
          FROM agencies a LEFT JOIN regions r ON r.id = a.region_id
          WHERE a.id = ANY($1::uuid[]) ORDER BY a.slug`,
  },
  {
    file: "catalog-items",
    title: "主动公开事项目录 Catalog items",
    description:
      "The current published version of each agency's proactive-disclosure catalog (主动公开事项目录): one row per item (事项), tree by parent_id.",
    columns: [
      c("agency_id", "the agency (agencies.agency_id)"),
      c("version_no", "目录版本号 catalog version number"),
      c("item_id", "identifier of the item in this version"),
      c("parent_id", "the parent item (empty for a top-level item)"),
      c("level", "tree level, 1–3"),
      c("number", "编号 the number as the catalog writes it"),
      c("name", "事项名称 item name"),
      c("legal_basis", "公开依据 legal basis, one per line"),
      c("deadline_text", "公开时限 the deadline as written"),
      c("subject", "公开主体 responsible body"),
      c("channels", "公开渠道 publication channels, one per line"),
      c("audience", "公开对象 audience"),
      c("mode", "公开方式 主动/依申请"),
      c("responsible", "责任部门 responsible units as written"),
      c("remarks", "备注 remarks"),
    ],
    sql: `SELECT i.agency_id::text, v.version_no, i.id::text AS item_id, coalesce(i.parent_id::text, '') AS parent_id,
            i.level, coalesce(i.number, '') AS number, i.name, array_to_string(i.legal_basis, E'\\n') AS legal_basis,
            coalesce(i.deadline_text, '') AS deadline_text, coalesce(i.subject, '') AS subject,
            array_to_string(i.channels || i.channels_other, E'\\n') AS channels, coalesce(i.audience, '') AS audience,
            coalesce(i.mode::text, '') AS mode, coalesce(i.responsible_text, '') AS responsible,
            coalesce(i.remarks, '') AS remarks
          FROM catalog_items i JOIN catalog_versions v ON v.agency_id = i.agency_id AND v.id = i.version_id
          WHERE i.agency_id = ANY($1::uuid[]) AND v.status = 'published'
          ORDER BY i.agency_id, i.sort_order, i.id`,
  },
  {
    file: "catalog-elements",
    title: "公开内容（要素） Catalog content elements",
    description: "The content elements (公开内容要素) of the items in catalog-items.",
    columns: [
      c("agency_id", "the agency"),
      c("item_id", "the item (catalog-items.item_id)"),
      c("number", "编号"),
      c("label", "要素名称 element label"),
      c("content", "公开内容 content description"),
      c("deadline_text", "公开时限 deadline as written (empty: the item's)"),
    ],
    sql: `SELECT e.agency_id::text, e.item_id::text, coalesce(e.number, '') AS number, e.label, e.content,
            coalesce(e.deadline_text, '') AS deadline_text
          FROM catalog_elements e JOIN catalog_items i ON i.agency_id = e.agency_id AND i.id = e.item_id
          JOIN catalog_versions v ON v.agency_id = i.agency_id AND v.id = i.version_id
          WHERE e.agency_id = ANY($1::uuid[]) AND v.status = 'published'
          ORDER BY e.agency_id, i.sort_order, e.sort_order, e.id`,
  },
  {
    file: "records",
    title: "政府信息 Records",
    description:
      "Records (政府信息) the agencies published, including withdrawn ones (status). Body as HTML and as plain text; attachment files are in attachments/<record_id>/.",
    columns: [
      c("agency_id", "the agency"),
      c("record_id", "identifier of the record"),
      c("index_no", "索引号"),
      c("status", "published 已发布 / withdrawn 已撤回"),
      c("kind", "document 文件 / interpretation 政策解读"),
      c("title", "标题"),
      c("doc_number", "文号"),
      c("issuing_agency", "发布机构"),
      c("formed_date", "成文日期 YYYY-MM-DD"),
      c("published_date", "发布日期 YYYY-MM-DD"),
      c("topic", "主题分类"),
      c("genre", "体裁分类"),
      c("keywords", "关键词, one per line"),
      c("validity", "有效性 有效/失效/废止 (empty when not applicable)"),
      c("summary", "内容概述"),
      c(
        "catalog_item_id",
        "the catalog item it was published under (catalog-items.item_id of the version then)",
      ),
      c("body_text", "正文 as plain text"),
      c("body_html", "正文 as sanitised HTML"),
      c("withdrawn_reason", "撤回理由 (withdrawn records)"),
      c("attachments", "attachment file paths inside this zip, one per line"),
    ],
    sql: `SELECT r.agency_id::text, r.id::text AS record_id, coalesce(r.index_no, '') AS index_no, r.status::text, r.kind::text,
            r.title, r.doc_number, r.issuing_agency, r.formed_date::text, coalesce(r.published_date::text, '') AS published_date,
            r.topic, r.genre, array_to_string(r.keywords, E'\\n') AS keywords, coalesce(r.validity::text, '') AS validity,
            r.summary, coalesce(r.item_id::text, '') AS catalog_item_id, r.body_text, r.body_html,
            coalesce(r.withdrawn_reason, '') AS withdrawn_reason, '' AS attachments
          FROM records r WHERE r.agency_id = ANY($1::uuid[]) AND r.status IN ('published', 'withdrawn')
          ORDER BY r.agency_id, r.published_date, r.id`,
  },
  {
    file: "attachments",
    title: "附件 Attachments",
    description: "The attachment files of the exported records; each file is in the zip at `path`.",
    columns: [
      c("agency_id", "the agency"),
      c("record_id", "the record (records.record_id)"),
      c("file_name", "original file name"),
      c("file_type", "pdf, docx, xlsx, png, …"),
      c("size_bytes", "size in bytes"),
      c("sha256", "SHA-256 of the file's content"),
      c("path", "the file inside this zip"),
    ],
    sql: `SELECT a.agency_id::text, a.record_id::text, a.file_name, a.file_type, a.size_bytes, a.sha256,
            'attachments/' || a.record_id::text || '/' || a.sha256 || '-' || a.file_name AS path
          FROM record_attachments a JOIN records r ON r.agency_id = a.agency_id AND r.id = a.record_id
          WHERE a.agency_id = ANY($1::uuid[]) AND r.status IN ('published', 'withdrawn') AND a.id = ANY(r.attachment_ids)
          ORDER BY a.agency_id, a.record_id, a.file_name`,
  },
  {
    file: "applications",
    title: "政府信息公开申请 Applications",
    description:
      "Applications for disclosure (依申请公开) with their dates, outcome and masked applicant. The applicant's identity and contact details are included only in exports made with personal data (columns applicant_*).",
    columns: [
      c("agency_id", "the agency"),
      c("application_id", "identifier of the application"),
      c("number", "申请编号"),
      c("status", "办理状态 (Gongkai's status code)"),
      c("channel", "申请方式 online, in_person, post, fax, email, oral"),
      c("applicant_type", "申请人类型 (natural_person or an organisation kind)"),
      c("applicant_masked", "申请人 as shown in lists (masked)"),
      c("info_title", "所需信息名称"),
      c("info_doc_number", "所需信息文号"),
      c("info_description", "所需信息描述"),
      c("form", "获取信息的方式 electronic/paper/…"),
      c("submitted_on", "提交日期 YYYY-MM-DD"),
      c("received_on", "收到申请之日 (条例第31条)"),
      c("extension_days", "延期工作日数"),
      c("fee_amount", "信息处理费 (元)"),
      c("outcome", "答复结果 code of table 三 of the annual report"),
      c("legal_basis", "答复依据"),
      c("replied_on", "答复日期"),
      c("concluded_on", "办结日期"),
    ],
    sql: `SELECT q.agency_id::text, q.id::text AS application_id, q.number, q.status::text, q.channel::text,
            q.applicant_type::text, q.applicant_display AS applicant_masked, q.info_title,
            coalesce(q.info_doc_number, '') AS info_doc_number, coalesce(q.info_description, '') AS info_description,
            q.form::text, q.submitted_on::text, coalesce(q.received_on::text, '') AS received_on,
            coalesce(q.extension_days::text, '') AS extension_days, coalesce(q.fee_amount::text, '') AS fee_amount,
            coalesce(q.outcome::text, '') AS outcome, coalesce(q.legal_basis, '') AS legal_basis,
            coalesce(q.replied_on::text, '') AS replied_on, coalesce(q.concluded_on::text, '') AS concluded_on
          FROM info_requests q WHERE q.agency_id = ANY($1::uuid[])
          ORDER BY q.agency_id, q.submitted_on, q.number`,
  },
  {
    file: "annual-reports",
    title: "年度报告 Annual reports",
    description:
      "Published annual reports (政府信息公开工作年度报告); `data` is the report as JSON in the format of 国办公开办函〔2021〕30号 (the same as `gongkai report annual --format json`).",
    columns: [
      c("agency_id", "the agency"),
      c("year", "报告年度"),
      c("published_on", "发布日期"),
      c("data", "the report's cells and narratives as JSON"),
    ],
    sql: `SELECT r.agency_id::text, r.year, coalesce(r.published_on::text, '') AS published_on, r.data::text AS data
          FROM annual_reports r WHERE r.agency_id = ANY($1::uuid[]) AND r.status = 'published'
          ORDER BY r.agency_id, r.year`,
  },
];
