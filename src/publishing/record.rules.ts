/**
 * @module Record rules: the publication workflow (state machine), content validation and the review checklist.
 * Pure: no database, no clock (today is passed in).
 *
 * 条例第17条: a pre-publication review (保密审查) is required → the 审核 step with a secrecy/privacy checklist.
 * 条例第13条: 公开属性 ∈ 主动公开 / 依申请公开 / 不予公开; only 主动公开 information is published on the platform.
 * 条例第15条: personal privacy of third parties → the personal-data scan (personal-data.rules.ts) before 发布.
 */
import { contentStamp } from "../shared/crypto.ts";
import type {
  DisclosureAttribute,
  DocCategory,
  RecordContent,
  RecordKind,
  ReviewChecklist,
  RevisionStatus,
  Validity,
} from "./record.table.ts";

/** Policy actions (src/accounts/policy.ts ACTIONS) used by the workflow. */
export type RecordPolicyAction =
  | "record.read"
  | "record.draft"
  | "record.review"
  | "record.approve"
  | "record.publish"
  | "record.withdraw";

export type WorkflowStep = "submit" | "review" | "approve" | "publish";

/**
 * A fingerprint of the revision a workflow step is applied to (its number and whole content, attachments included):
 * the step's form carries it, so a reviewer or signer never passes content they have not seen (e.g. recalled,
 * changed and submitted again after their page was opened).
 */
export function revisionStamp(revisionNo: number, content: RecordContent): string {
  return contentStamp({ revisionNo, content });
}

/** Forward steps: from → to, and the policy action that performs it. */
export const WORKFLOW_STEPS: Readonly<
  Record<
    WorkflowStep,
    { from: RevisionStatus; to: RevisionStatus; policy: RecordPolicyAction; label: string }
  >
> = {
  submit: { from: "draft", to: "submitted", policy: "record.draft", label: "提交审核" },
  review: { from: "submitted", to: "reviewed", policy: "record.review", label: "审核通过" },
  approve: { from: "reviewed", to: "approved", policy: "record.approve", label: "审签通过" },
  publish: { from: "approved", to: "published", policy: "record.publish", label: "发布" },
};

/** Sending back (退回) to the drafter: who may send back from each status. */
export const RETURN_POLICY: Readonly<Partial<Record<RevisionStatus, RecordPolicyAction>>> = {
  submitted: "record.review",
  reviewed: "record.approve",
  approved: "record.publish",
};

export const REVISION_STATUS_LABELS: Readonly<Record<RevisionStatus, string>> = {
  draft: "起草中",
  submitted: "待审核",
  reviewed: "待审签",
  approved: "待发布",
  published: "已发布",
  superseded: "已被新版本替代",
};

export const RECORD_STATUS_LABELS = { draft: "未发布", published: "已发布", withdrawn: "已撤回" } as const;

export const EVENT_LABELS: Readonly<Record<string, string>> = {
  create: "新建",
  edit: "修改",
  revise: "新建修订版本",
  submit: "提交审核",
  review: "审核通过",
  approve: "审签通过",
  publish: "发布",
  return: "退回修改",
  recall: "起草人收回修改",
  withdraw: "撤回",
  pii_override: "确认个人信息提示并放行",
  attach: "上传附件",
  detach: "删除附件",
  channel: "登记其他渠道发布",
};

/** The step that follows a status, if any. */
export function nextStep(status: RevisionStatus): WorkflowStep | undefined {
  return (Object.keys(WORKFLOW_STEPS) as WorkflowStep[]).find((s) => WORKFLOW_STEPS[s].from === status);
}

/** Can `step` be applied to a revision in `status`? */
export function canApplyStep(step: WorkflowStep, status: RevisionStatus): boolean {
  return WORKFLOW_STEPS[step].from === status;
}

export function canReturn(status: RevisionStatus): boolean {
  return RETURN_POLICY[status] !== undefined;
}

/** Only a draft revision is edited in place; a published record is edited through a new revision. */
export function isEditable(status: RevisionStatus): boolean {
  return status === "draft";
}

// ---------------------------------------------------------------------------------------------------------------
// Review checklist (条例第17条 保密审查, 第14–15条)
// ---------------------------------------------------------------------------------------------------------------

export const CHECKLIST_ITEMS: readonly { key: Exclude<keyof ReviewChecklist, "note">; label: string }[] = [
  { key: "noStateSecret", label: "不涉及国家秘密（条例第14条；已按保密法规定审查）" },
  { key: "noWorkSecret", label: "不涉及工作秘密、内部事务信息或过程性信息（条例第16条）" },
  {
    key: "noPersonalPrivacy",
    label: "不含个人隐私（身份证号、手机号、银行卡号等已删除或已作去标识化处理，条例第15条）",
  },
  { key: "noTradeSecret", label: "不涉及商业秘密或其他第三方合法权益（条例第15条）" },
  { key: "noThreeSecurityRisk", label: "公开后不危及国家安全、公共安全、经济安全和社会稳定（条例第14条）" },
  { key: "consistentWithPolicy", label: "内容准确，与已公开的政策口径一致（条例第6条）" },
];

/** Checklist items not ticked (the review step requires all). */
export function missingChecklistItems(checklist: Partial<ReviewChecklist>): string[] {
  return CHECKLIST_ITEMS.filter((i) => checklist[i.key] !== true).map((i) => i.key);
}

// ---------------------------------------------------------------------------------------------------------------
// Content validation
// ---------------------------------------------------------------------------------------------------------------

export const VALIDITIES: readonly Validity[] = ["有效", "失效", "废止"];
export const DISCLOSURES: readonly DisclosureAttribute[] = ["主动公开", "依申请公开", "不予公开"];
export const KINDS: Readonly<Record<RecordKind, string>> = {
  document: "政府信息",
  interpretation: "政策解读",
};

export const DOC_CATEGORIES: Readonly<Record<DocCategory, string>> = {
  rules: "规章",
  normative_documents: "行政规范性文件",
  licensing: "行政许可决定",
  penalty: "行政处罚决定",
  coercion: "行政强制决定",
  administrative_fees: "行政事业性收费",
};

/** 主题分类 labels observed on portals (legal-spec §6.4; the national list is unconfirmed, so free text is allowed). */
export const TOPIC_SUGGESTIONS = [
  "劳动、人事、监察",
  "劳动就业",
  "社会保障",
  "综合政务",
  "政务公开",
  "财政、金融、审计",
  "民政、乡村振兴、救灾",
] as const;

/** 体裁分类 labels observed on portals. */
export const GENRE_SUGGESTIONS = [
  "通知",
  "公告",
  "公示",
  "通报",
  "意见",
  "办法",
  "决定",
  "报告",
  "解读",
  "其他",
] as const;

/** Other channels (条例第23条, 第25条) logged per record. */
export const CHANNEL_SUGGESTIONS = [
  "政务微信公众号",
  "政务微博",
  "政务客户端",
  "政府公报",
  "新闻发布会",
  "报刊",
  "广播电视",
  "公示栏",
  "电子显示屏",
  "政务服务大厅",
  "档案馆、图书馆查阅点",
] as const;

export interface FieldProblem {
  field: string;
  message: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isIsoDate(s: unknown): s is string {
  if (typeof s !== "string" || !DATE.test(s)) return false;
  const [y, m, d] = s.split("-").map(Number) as [number, number, number];
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** Largest 收费金额 (万元) a record may state: the annual report's bound for a cell (MAX_CELL_VALUE there). */
export const MAX_FEE_WAN = 1e9;

/**
 * Field-level problems of a record's content (Chinese messages). `stage` "save" checks what a draft needs;
 * "submit" adds what a record needs before review (catalog item for 主动公开, interpreted documents …).
 */
export function validateContent(
  content: RecordContent,
  today: string,
  stage: "save" | "submit",
): FieldProblem[] {
  const p: FieldProblem[] = [];
  const title = content.title.trim();
  if (title === "") p.push({ field: "title", message: "请填写标题" });
  else if (title.length > 300) p.push({ field: "title", message: "标题不能超过300个字" });
  if (content.summary.length > 500) p.push({ field: "summary", message: "内容概述不能超过500个字" });
  if (content.issuingAgency.trim() === "") p.push({ field: "issuingAgency", message: "请填写发布机构全称" });
  else if (content.issuingAgency.length > 100)
    p.push({ field: "issuingAgency", message: "发布机构不能超过100个字" });
  if (content.docNumber.length > 100) p.push({ field: "docNumber", message: "文号不能超过100个字" });
  if (!isIsoDate(content.formedDate))
    p.push({ field: "formedDate", message: "请按“年-月-日”填写成文（生成）日期" });
  else if (content.formedDate > today)
    p.push({ field: "formedDate", message: "成文（生成）日期不能晚于今天" });
  if (content.changedDate !== null) {
    if (!isIsoDate(content.changedDate))
      p.push({ field: "changedDate", message: "请按“年-月-日”填写变更日期" });
    else if (content.changedDate > today) p.push({ field: "changedDate", message: "变更日期不能晚于今天" });
    else if (isIsoDate(content.formedDate) && content.changedDate < content.formedDate)
      p.push({ field: "changedDate", message: "变更日期不能早于成文（生成）日期" });
  }
  if (content.topic.length > 50) p.push({ field: "topic", message: "主题分类不能超过50个字" });
  if (content.genre.length > 50) p.push({ field: "genre", message: "体裁分类不能超过50个字" });
  if (content.keywords.length > 10) p.push({ field: "keywords", message: "关键词最多10个" });
  else if (content.keywords.some((k) => k.length > 20))
    p.push({ field: "keywords", message: "每个关键词不能超过20个字" });
  if (content.validity !== null && !VALIDITIES.includes(content.validity))
    p.push({ field: "validity", message: "有效性只能是有效、失效或废止" });
  if (content.effectiveDate !== null && !isIsoDate(content.effectiveDate))
    p.push({ field: "effectiveDate", message: "请按“年-月-日”填写生效日期" });
  if (content.repealDate !== null && !isIsoDate(content.repealDate))
    p.push({ field: "repealDate", message: "请按“年-月-日”填写废止（失效）日期" });
  if (
    content.effectiveDate !== null &&
    content.repealDate !== null &&
    isIsoDate(content.effectiveDate) &&
    isIsoDate(content.repealDate) &&
    content.repealDate < content.effectiveDate
  )
    p.push({ field: "repealDate", message: "废止（失效）日期不能早于生效日期" });
  if ((content.validity === "废止" || content.validity === "失效") && content.repealDate === null)
    p.push({ field: "repealDate", message: "文件已废止或失效时，请填写废止（失效）日期" });
  if (content.replacedByText.length > 300)
    p.push({ field: "replacedByText", message: "替代文件说明不能超过300个字" });
  if (!DISCLOSURES.includes(content.disclosure))
    p.push({ field: "disclosure", message: "公开属性只能是主动公开、依申请公开或不予公开" });
  if (content.disclosure === "不予公开" && content.nonDisclosureReason.trim() === "")
    p.push({ field: "nonDisclosureReason", message: "不予公开的，请写明理由和依据（条例第14–16条）" });
  if (!Number.isInteger(content.decisionCount) || content.decisionCount < 0 || content.decisionCount > 100000)
    p.push({ field: "decisionCount", message: "决定数量应为0–100000的整数" });
  // The amount is added into the annual report's 万元 cell (at most 4 decimals, MAX_FEE_WAN as its sanity bound):
  // an API client's 1e300 or 0.123456789 is refused as the console form refuses it.
  if (
    content.feeAmountWan !== null &&
    (!Number.isFinite(content.feeAmountWan) ||
      content.feeAmountWan < 0 ||
      content.feeAmountWan > MAX_FEE_WAN ||
      Math.round(content.feeAmountWan * 10_000) / 10_000 !== content.feeAmountWan)
  )
    p.push({ field: "feeAmountWan", message: "收费金额应为0–1000000000之间的数字（万元，最多4位小数）" });
  if (content.docCategory !== null && !(content.docCategory in DOC_CATEGORIES))
    p.push({ field: "docCategory", message: "年报统计类别无效" });
  if (content.kind === "interpretation" && content.interpretsRecordIds.length > 20)
    p.push({ field: "interpretsRecordIds", message: "一篇解读最多关联20个政策文件" });
  if (stage === "submit") {
    if (content.disclosure === "主动公开" && content.itemId === null)
      p.push({ field: "itemId", message: "主动公开的信息须选择对应的目录事项" });
    if (content.kind === "interpretation" && content.interpretsRecordIds.length === 0)
      p.push({ field: "interpretsRecordIds", message: "政策解读须关联所解读的政策文件" });
    if (content.bodyHtml.trim() === "" && content.attachmentIds.length === 0)
      p.push({ field: "bodyHtml", message: "请填写正文或上传附件" });
  }
  return p;
}

/** Parses keywords typed as one field (separated by spaces, commas or 、；). */
export function parseKeywords(input: string): string[] {
  return [
    ...new Set(
      input
        .split(/[\s,，、;；]+/)
        .map((k) => k.trim())
        .filter((k) => k !== ""),
    ),
  ];
}
