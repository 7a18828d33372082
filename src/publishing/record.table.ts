/**
 * @module Row types of the publishing tables (migration 2026-11-23T1730-create-records): records (政府信息) with
 * their revisions, workflow events, attachments, 索引号 counters, policy-interpretation links (政策解读), channel
 * log (两微一端/公示栏…), periodic obligations (月度/季度/年度更新) and duty notices.
 *
 * `records` holds, per record, the content the public sees: the current published revision (or, before the first
 * publication, the working draft). Editing a published record opens a new revision in `record_revisions`; the
 * `records` row changes only when that revision is published. A record is public when `status = 'published'`
 * (`PUBLISHED`); other features read published records only through src/publishing/published.read.ts.
 */
import type { ColumnType, Generated, Insertable, JSONColumnType, Selectable, Updateable } from "kysely";

/** Public state of a record. `withdrawn` = 撤回: off the portal, kept for the audit. */
export type RecordStatus = "draft" | "published" | "withdrawn";

/** THE status of a public record (政府信息 on the portal): the one definition of "published", used by every query. */
export const PUBLISHED = "published" satisfies RecordStatus;

/** Workflow state of one revision: 起草 → 提交 → 审核 → 审签 → 发布; `superseded` = an older published revision. */
export type RevisionStatus = "draft" | "submitted" | "reviewed" | "approved" | "published" | "superseded";

/** 有效性 */
export type Validity = "有效" | "失效" | "废止";

/** 公开属性 (条例第13条) */
export type DisclosureAttribute = "主动公开" | "依申请公开" | "不予公开";

/** `document` = ordinary 政府信息; `interpretation` = 政策解读 (links to the policy documents it interprets). */
export type RecordKind = "document" | "interpretation";

/**
 * Annual-report category (国办公开办函〔2021〕30号 table 二): 规章, 行政规范性文件 (第二十条第（一）项),
 * 行政许可 (第（五）项), 行政处罚 / 行政强制 (第（六）项), 行政事业性收费 (第（八）项).
 */
export type DocCategory =
  | "rules"
  | "normative_documents"
  | "licensing"
  | "penalty"
  | "coercion"
  | "administrative_fees";

/** A personal-data finding (personal-data.rules.ts), with where it was found. */
export interface StoredFinding {
  kind: string;
  /** title | summary | body | attachment:<id> */
  source: string;
  /** Offset in the scanned plain text, and length. */
  start: number;
  length: number;
  /** Masked value (never the full number). */
  masked: string;
}

/** Pre-publication secrecy/privacy checklist (条例第17条 保密审查; 第15条 第三方权益). */
export interface ReviewChecklist {
  noStateSecret: boolean;
  noWorkSecret: boolean;
  noPersonalPrivacy: boolean;
  noTradeSecret: boolean;
  noThreeSecurityRisk: boolean;
  consistentWithPolicy: boolean;
  note?: string;
}

/** The editable content of a record (one revision's snapshot). */
export interface RecordContent {
  kind: RecordKind;
  title: string;
  summary: string;
  /** 发布机构 (full name). */
  issuingAgency: string;
  /** 文号 / 发文字号 */
  docNumber: string;
  /** 成文日期 / 生成日期 */
  formedDate: string;
  /** Date of the last change that restarts the 条例第26条 clock (null = none). */
  changedDate: string | null;
  /** 主题分类 */
  topic: string;
  /** 体裁分类 */
  genre: string;
  keywords: string[];
  validity: Validity | null;
  effectiveDate: string | null;
  repealDate: string | null;
  replacedByRecordId: string | null;
  replacedByText: string;
  disclosure: DisclosureAttribute;
  nonDisclosureReason: string;
  itemId: string | null;
  itemStableKey: string | null;
  elementId: string | null;
  elementStableKey: string | null;
  departmentId: string | null;
  docCategory: DocCategory | null;
  /** Number of decisions (行政许可/处罚/强制 决定) this record publishes; annual report counts them. */
  decisionCount: number;
  /** 行政事业性收费 amount in 万元 (annual report item 8), when the record reports one. */
  feeAmountWan: number | null;
  /** Sanitised HTML (sanitize-html). */
  bodyHtml: string;
  attachmentIds: string[];
  /** 政策解读: the policy documents this record interprets. */
  interpretsRecordIds: string[];
}

/** 政府信息: the public face of a record (current published revision, or the draft before first publication). */
export interface RecordTable {
  agency_id: string;
  id: Generated<string>;
  kind: RecordKind;
  status: RecordStatus;
  /** 索引号; assigned at first publication, permanent, never reused. */
  index_no: string | null;
  /** The 索引号 template in force when the number was assigned. */
  index_pattern: string | null;
  current_revision_no: number | null;
  latest_revision_no: number;
  /** Workflow status of the latest revision (for staff lists). */
  workflow_status: RevisionStatus;
  title: string;
  summary: string;
  issuing_agency: string;
  doc_number: string;
  formed_date: string;
  changed_date: string | null;
  /** 发布日期 (first publication, Asia/Shanghai). */
  published_date: string | null;
  /** Date the current revision was published (= published_date for revision 1). */
  revised_date: string | null;
  topic: string;
  genre: string;
  keywords: ColumnType<string[], string[] | undefined, string[]>;
  validity: Validity | null;
  effective_date: string | null;
  repeal_date: string | null;
  replaced_by_record_id: string | null;
  replaced_by_text: string;
  disclosure: DisclosureAttribute;
  non_disclosure_reason: string;
  item_id: string | null;
  item_stable_key: string | null;
  element_id: string | null;
  element_stable_key: string | null;
  department_id: string | null;
  doc_category: DocCategory | null;
  decision_count: number;
  fee_amount_wan: number | null;
  body_html: string;
  /** Plain text of the body (search, personal-data scan). */
  body_text: string;
  attachment_ids: ColumnType<string[], string[] | undefined, string[]>;
  /** Due date from the item's rule and the formation/change date (calendar dueDateFor). */
  due_date: string | null;
  due_explanation: string;
  due_basis: string | null;
  due_provisional: boolean;
  /** The rule used (calendar DeadlineRule JSON). */
  due_rule: JSONColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  /** True when first published after its due date (counted late); null until published or without a due date. */
  late: boolean | null;
  created_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  first_published_at: Date | null;
  published_at: Date | null;
  withdrawn_at: Date | null;
  withdrawn_by: string | null;
  withdrawn_reason: string | null;
  /** 定时发布: the approved revision goes live at this instant (job publishing.scheduled); null = none. */
  scheduled_publish_at: Optional<Date>;
  scheduled_publish_by: Optional<string>;
  scheduled_publish_by_name: Optional<string>;
  /** The approver's reason to let personal-data findings through, applied when the job publishes. */
  scheduled_publish_pii_reason: Optional<string>;
  /** 定时下线/废止: the published record is withdrawn at this instant, with this reason. */
  scheduled_withdraw_at: Optional<Date>;
  scheduled_withdraw_by: Optional<string>;
  scheduled_withdraw_by_name: Optional<string>;
  scheduled_withdraw_reason: Optional<string>;
}

/** A nullable column that inserts may omit. */
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface RecordRevisionTable {
  agency_id: string;
  record_id: string;
  revision_no: number;
  status: RevisionStatus;
  content: JSONColumnType<RecordContent, string, string>;
  body_text: string;
  change_note: string;
  created_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  submitted_by: string | null;
  submitted_at: Date | null;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  review_checklist: JSONColumnType<ReviewChecklist | null, string | null | undefined, string | null>;
  approved_by: string | null;
  approved_at: Date | null;
  published_by: string | null;
  published_at: Date | null;
  returned_by: string | null;
  returned_at: Date | null;
  returned_reason: string | null;
  pii_findings: JSONColumnType<StoredFinding[], string | undefined, string>;
  pii_override_by: string | null;
  pii_override_reason: string | null;
}

/** Workflow history (also in the audit log; this copy is for the record page). */
export interface RecordEventTable {
  agency_id: string;
  id: Generated<string>;
  record_id: string;
  revision_no: number;
  action: string;
  from_status: string | null;
  to_status: string | null;
  actor_id: string | null;
  actor_name: string | null;
  reason: string | null;
  occurred_at: ColumnType<Date, Date | undefined, never>;
}

export interface RecordAttachmentTable {
  agency_id: string;
  id: Generated<string>;
  record_id: string;
  file_name: string;
  mime_type: string;
  /** pdf | doc | docx | xls | xlsx | png | jpg | gif */
  file_type: string;
  size_bytes: number;
  sha256: string;
  /** Extracted text (pdf/docx/xlsx) for the personal-data scan; empty for images and .doc/.xls. */
  extracted_text: string;
  /**
   * 一键脱敏 (migration 2026-12-04T0600): once set, `extracted_text` is masked and the public download serves it
   * (a .txt derivative); the original file is kept for the record and served to staff only.
   */
  masked_at: Optional<Date>;
  masked_by: Optional<string>;
  created_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

/** 索引号 serial counter per agency and year (never decremented: numbers are never reused). */
export interface IndexCounterTable {
  agency_id: string;
  year: number;
  last_serial: number;
}

/** 政策解读 → 政策文件 */
export interface RecordInterpretationTable {
  agency_id: string;
  interpretation_id: string;
  policy_id: string;
}

/** Publication through other channels (两微一端, 公示栏, 新闻发布会 …) with date and evidence. */
export interface RecordChannelTable {
  agency_id: string;
  id: Generated<string>;
  record_id: string;
  channel: string;
  published_on: string;
  evidence: string;
  created_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export type ObligationStatus = "open" | "met" | "attested";

/** One period of a periodic duty (月度/季度/年度更新, 每年1月31日前) of a catalog item. */
export interface RecordObligationTable {
  agency_id: string;
  id: Generated<string>;
  item_stable_key: string;
  item_id: string | null;
  element_stable_key: string;
  /** month | quarter | year | fixedYearly */
  period_unit: string;
  period_year: number;
  period_index: number;
  period_label: string;
  period_start: string;
  period_end: string;
  due_date: string;
  due_explanation: string;
  status: ObligationStatus;
  met_record_id: string | null;
  /** Date the obligation was met (record publication or attestation). */
  met_on: string | null;
  /** 本期无新增信息 attestation: who, when, why. */
  attested_by: string | null;
  attested_by_name: string | null;
  attested_at: Date | null;
  attestation_reason: string | null;
  department_id: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

/** Per-agency publishing settings: the 索引号 template and code, notification recipients. */
export interface PublishingSettingsTable {
  agency_id: string;
  /** e.g. `{CREDIT}/{YYYY}-{NNNNN}` (see index-number.rules.ts). */
  index_template: string;
  /** The code used in the 索引号 when the agency has no credit/organisation code recorded. */
  index_code: string | null;
  /** True when index_code is a demo placeholder (demo agencies), shown as such. */
  index_code_is_demo: boolean;
  /** E-mail recipients for duty notices: { "*": [...], "<departmentId>": [...] }. */
  notify_emails: JSONColumnType<Record<string, string[]>, string | undefined, string>;
  /** 条例第18条 re-review interval of 不予公开/依申请公开 records, in months (migration 2026-11-23T1940). */
  rereview_interval_months: ColumnType<number, number | undefined, number>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** In-app notices to a department about due and overdue duties. */
export interface DutyNoticeTable {
  agency_id: string;
  id: Generated<string>;
  department_id: string | null;
  /** due_soon | overdue | obligation_due_soon | obligation_overdue */
  kind: string;
  subject: string;
  body: string;
  link: string;
  /** Prevents the same notice twice (kind + target + date). */
  dedupe_key: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  read_at: Date | null;
  emailed_at: Date | null;
}

/**
 * An index of records dropped by a bulk load and not yet built again (migration 2026-12-05T1700; record-bulk.ts).
 * Rows outlive only a load that was interrupted.
 */
export interface RecordBulkDroppedIndexTable {
  name: string;
  /** pg_get_indexdef of the index when it was dropped. */
  definition: string;
  dropped_at: ColumnType<Date, Date | undefined, never>;
}

export type RecordRow = Selectable<RecordTable>;
export type NewRecordRow = Insertable<RecordTable>;
export type RecordUpdate = Updateable<RecordTable>;
export type RecordRevisionRow = Selectable<RecordRevisionTable>;
export type RecordEventRow = Selectable<RecordEventTable>;
export type RecordAttachmentRow = Selectable<RecordAttachmentTable>;
export type RecordChannelRow = Selectable<RecordChannelTable>;
export type RecordObligationRow = Selectable<RecordObligationTable>;
export type PublishingSettingsRow = Selectable<PublishingSettingsTable>;
export type DutyNoticeRow = Selectable<DutyNoticeTable>;

/** Conclusion of a 条例第18条 re-review. */
export type RereviewConclusion = "维持不予公开" | "转为主动公开";

/** One re-review (评估审查) of a withheld record (migration 2026-11-23T1940-record-rereviews). */
export interface RecordRereviewTable {
  agency_id: string;
  id: Generated<string>;
  record_id: string;
  reviewed_on: string;
  reviewed_by: string | null;
  reviewer_name: string;
  conclusion: RereviewConclusion;
  reason: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}
