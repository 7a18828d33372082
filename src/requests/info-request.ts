/**
 * @module Domain vocabulary of applications for disclosure (依申请公开, 条例第27–45条): statuses, channels, identity
 * documents, requested forms and delivery methods, event kinds, and the `InfoRequest` domain type.
 * The name is `InfoRequest` (not Request, which clashes with HTTP requests).
 *
 * Applicant types and outcome codes are the annual report's own codes (src/legal/annual-report-codes.ts), so
 * table 三 is produced without re-coding (legal-spec §1.7).
 */
import type { ApplicantTypeCode, OutcomeCode } from "../legal/annual-report-codes.ts";

export type { ApplicantTypeCode, OutcomeCode };

/**
 * Workflow status (legal-spec §1.7, derived). Extension and Art. 35 deferral are not statuses: they change the
 * reply deadline while the application stays `processing`.
 */
export const STATUSES = {
  awaiting_confirmation: "待确认收到",
  processing: "办理中",
  correction: "补正中",
  consultation: "征求意见中",
  reasons_requested: "要求说明理由",
  fee_pending: "待缴费",
  concluded: "已办结",
  archived: "已归档",
} as const;
export type InfoRequestStatus = keyof typeof STATUSES;

/** The status in plain words for the applicant (not the annual-report wording of the outcome). */
export const APPLICANT_STATUSES: Record<InfoRequestStatus, string> = {
  awaiting_confirmation: "已提交，等待本机关确认收到",
  processing: "本机关正在办理您的申请",
  correction: "需要您补正申请内容",
  consultation: "本机关正在依法征求意见，期间不计入答复期限",
  reasons_requested: "需要您说明申请理由",
  fee_pending: "等待您缴纳信息处理费",
  concluded: "本机关已经答复",
  archived: "本机关已经答复，该申请已归档",
};

export function plainStatus(status: InfoRequestStatus, overdue: boolean): string {
  const open = status !== "concluded" && status !== "archived";
  return `${APPLICANT_STATUSES[status]}${open && overdue ? "（已超过答复期限）" : ""}`;
}
export const OPEN_STATUSES: readonly InfoRequestStatus[] = [
  "awaiting_confirmation",
  "processing",
  "correction",
  "consultation",
  "reasons_requested",
  "fee_pending",
];

/** Channels (条例第29条, 第31条; 国办公开办函〔2017〕19号: 当面 and 邮寄 must never be refused). */
export const CHANNELS = {
  online: "网上申请（本平台）",
  in_person: "当面提交",
  oral: "口头申请（工作人员代为填写）",
  post: "邮政寄送",
  fax: "传真",
  email: "电子邮件",
  hotline: "12345热线等平台转办",
} as const;
export type Channel = keyof typeof CHANNELS;
/** Channels staff enter by hand (everything except the portal form). */
export const STAFF_CHANNELS: readonly Channel[] = ["in_person", "oral", "post", "fax", "email", "hotline"];

/** Identity documents (条例第29条: 身份证明). */
export const ID_TYPES = {
  resident_id: "居民身份证",
  hk_macao_permit: "港澳居民来往内地通行证",
  taiwan_permit: "台湾居民来往大陆通行证",
  residence_permit: "港澳台居民居住证",
  passport: "护照",
  foreign_permanent: "外国人永久居留身份证",
  credit_code: "统一社会信用代码证书（营业执照等）",
  other: "其他身份证明",
} as const;
export type IdType = keyof typeof ID_TYPES;

/** 信息的指定提供形式 (条例第29条第（三）项, 第40条). */
export const FORMS = {
  paper: "纸质",
  electronic: "电子文档",
  disc: "光盘",
  other: "其他",
} as const;
export type InfoForm = keyof typeof FORMS;

/** 获取信息的方式 (条例第29条第（三）项). */
export const DELIVERY_METHODS = {
  post: "邮寄",
  email: "电子邮件",
  pickup: "当面领取",
  online: "在线查看",
} as const;
export type DeliveryMethod = keyof typeof DELIVERY_METHODS;

/** Consultation parties (条例第32条 third party, 第34条 other organ). */
export const CONSULTATION_KINDS = {
  third_party: "第三方（条例第三十二条）",
  other_organ: "其他机关（条例第三十四条）",
} as const;
export type ConsultationKind = keyof typeof CONSULTATION_KINDS;

export const CONSULTATION_RESULTS = {
  consent: "同意公开",
  objection: "不同意公开",
  no_reply: "逾期未答复",
} as const;
export type ConsultationResult = keyof typeof CONSULTATION_RESULTS;

/** Fee bases (国办函〔2020〕109号第三条: one basis per application). */
export const FEE_BASES = {
  per_item: "按件计收",
  per_page: "按量计收",
} as const;
export type FeeBasis = keyof typeof FEE_BASES;

/** Administrative review and litigation (table 四). */
export const CASE_KINDS = {
  review: "行政复议",
  litigation_direct: "行政诉讼（未经复议直接起诉）",
  litigation_after_review: "行政诉讼（复议后起诉）",
} as const;
export type CaseKind = keyof typeof CASE_KINDS;

export const CASE_RESULT_LABELS = {
  upheld: "维持",
  corrected: "纠正",
  other: "其他",
  pending: "尚未审结",
} as const;
export type CaseResult = keyof typeof CASE_RESULT_LABELS;

/** Every event on an application's timeline (the register required by 条例第45条). */
export const EVENT_KINDS = {
  submitted: "提交申请",
  registered: "登记申请",
  receipt_confirmed: "确认收到申请",
  assigned: "分办",
  correction_requested: "发出补正告知",
  correction_received: "收到补正材料",
  correction_lapsed: "逾期未补正，视为放弃申请",
  consultation_started: "发出征求意见函",
  consultation_ended: "征求意见结束",
  extension_proposed: "提请延期答复",
  extension_approved: "批准延期答复并告知申请人",
  extension_withdrawn: "撤回延期申请",
  reasons_requested: "要求申请人说明理由",
  excessive_decided: "对说明的理由作出处理",
  fee_noticed: "发出收费通知",
  fee_paid: "申请人已缴费",
  fee_lapsed: "逾期未缴费，视为放弃申请",
  replied: "作出答复",
  delivered: "送达",
  archived: "归档",
  case_recorded: "登记行政复议/行政诉讼",
  case_updated: "更新行政复议/行政诉讼结果",
  catalog_linked: "关联主动公开事项",
  personal_data_purged: "个人信息已按保存期限删除",
} as const;
export type EventKind = keyof typeof EVENT_KINDS;

/** Notices generated from per-agency templates. */
export const NOTICE_KINDS = {
  receipt: "登记回执",
  correction: "补正告知书",
  consultation: "征求第三方意见函",
  extension: "延期答复告知书",
  fee: "收费通知书",
  reply: "政府信息公开申请答复告知书",
} as const;
export type NoticeKind = keyof typeof NOTICE_KINDS;

/** One application as the services present it (personal data never decrypted here; see ApplicantPersonalData). */
export interface InfoRequest {
  agencyId: string;
  id: string;
  /** 申请编号, e.g. 2025-0012. */
  number: string;
  status: InfoRequestStatus;
  version: number;
  channel: Channel;
  applicantType: ApplicantTypeCode;
  /** Masked applicant name for lists (张*; organisations in full). */
  applicantDisplay: string;
  idType: IdType;
  idMasked: string;
  phoneMasked: string | null;
  filledByStaff: boolean;
  infoTitle: string;
  infoDocNumber: string | null;
  infoDescription: string | null;
  form: InfoForm;
  delivery: DeliveryMethod;
  submittedAt: Date;
  submittedOn: string;
  /** 条例第31条 receipt date; null while an online/fax/e-mail application awaits mutual confirmation. */
  receivedOn: string | null;
  receiptBasis: string | null;
  departmentId: string | null;
  assigneeId: string | null;
  outcome: OutcomeCode | null;
  replyType: string | null;
  legalBasis: string | null;
  replyReasons: string | null;
  repliedOn: string | null;
  concludedOn: string | null;
  deliveredOn: string | null;
  deliveryActual: DeliveryMethod | null;
  deliveryProof: string | null;
  /** 条例第33条 extension: proposed (days, reason, date) and, once the office head agreed, approved. */
  extensionDays: number | null;
  extensionReason: string | null;
  extensionProposedOn: string | null;
  extensionApprovedOn: string | null;
  archivedOn: string | null;
  catalogItemId: string | null;
  /** Next due date (cached from the deadline computation, for the queue). */
  nextDueOn: string | null;
  nextDueKind: string | null;
  personalPurgedOn: string | null;
}

/** The decrypted applicant identity and contact details (shown in full only to handlers, audited). */
export interface ApplicantPersonalData {
  name: string;
  idNumber: string;
  phone: string | null;
  email: string | null;
  address: string | null;
  postalCode: string | null;
}
