/**
 * @module Row types of the application tables (migration 2026-11-23T1750-create-info-requests).
 */
import type { ColumnType, Generated, Insertable, JSONColumnType, Selectable, Updateable } from "kysely";
import type {
  ApplicantTypeCode,
  CaseKind,
  CaseResult,
  Channel,
  ConsultationKind,
  ConsultationResult,
  DeliveryMethod,
  FeeBasis,
  IdType,
  InfoForm,
  InfoRequestStatus,
  NoticeKind,
  OutcomeCode,
} from "./info-request.ts";

export interface InfoRequestTable {
  agency_id: string;
  id: Generated<string>;
  number: string;
  query_code: string;
  status: InfoRequestStatus;
  version: Generated<number>;
  channel: Channel;
  applicant_type: ApplicantTypeCode;
  applicant_display: string;
  id_type: IdType;
  id_masked: string;
  phone_masked: string | null;
  /** HMAC of the normalized identity document (same applicant across applications; 109号 per-applicant count). */
  applicant_key: string;
  /** AES-256-GCM ciphertext of ApplicantPersonalData; null after the retention period. */
  personal_enc: string | null;
  filled_by_staff: Generated<boolean>;
  info_title: string;
  info_doc_number: string | null;
  info_description: string | null;
  form: InfoForm;
  delivery: DeliveryMethod;
  submitted_at: Date;
  submitted_on: string;
  signed_for_on: string | null;
  confirmed_on: string | null;
  received_on: string | null;
  receipt_basis: string | null;
  department_id: string | null;
  assignee_id: string | null;
  reasons_requested_on: string | null;
  deferral_decided_on: string | null;
  deferral_due_on: string | null;
  extension_days: number | null;
  extension_reason: string | null;
  extension_proposed_on: string | null;
  extension_approved_on: string | null;
  extension_approved_by: string | null;
  extension_notified_on: string | null;
  fee_basis: FeeBasis | null;
  fee_units: number | null;
  fee_amount: number | null;
  fee_explanation: string | null;
  fee_served_on: string | null;
  fee_paid_on: string | null;
  fee_paid_amount: number | null;
  outcome: OutcomeCode | null;
  reply_type: string | null;
  legal_basis: string | null;
  reply_reasons: string | null;
  replied_on: string | null;
  concluded_on: string | null;
  delivered_on: string | null;
  delivery_actual: DeliveryMethod | null;
  delivery_proof: string | null;
  archived_on: string | null;
  catalog_item_id: string | null;
  next_due_on: string | null;
  next_due_kind: string | null;
  personal_purged_on: string | null;
  created_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface InfoRequestCorrectionTable {
  agency_id: string;
  request_id: string;
  round: number;
  notice_on: string;
  due_on: string;
  items: string;
  received_on: string | null;
  lapsed_on: string | null;
  /** What the applicant typed when submitting the 补正 online (null: received at the counter/by post). */
  online_text: ColumnType<string | null, string | null | undefined, string | null>;
  submitted_online_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface InfoRequestConsultationTable {
  agency_id: string;
  id: Generated<string>;
  request_id: string;
  kind: ConsultationKind;
  party: string;
  matters: Generated<string>;
  sent_on: string;
  ended_on: string | null;
  result: ConsultationResult | null;
  note: string | null;
}

export interface InfoRequestEventTable {
  agency_id: string;
  id: Generated<string>;
  request_id: string;
  kind: string;
  on_date: string;
  at: ColumnType<Date, Date | undefined, never>;
  actor_id: string | null;
  actor_name: string | null;
  /** Shown on the applicant's status page. */
  public: boolean;
  note: string | null;
  data: JSONColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface InfoRequestNoticeTable {
  agency_id: string;
  id: Generated<string>;
  request_id: string;
  kind: NoticeKind;
  doc_number: string;
  issued_on: string;
  title: string;
  recipient: string;
  paragraphs: JSONColumnType<string[], string, string>;
  created_at: ColumnType<Date, Date | undefined, never>;
  created_by: string | null;
}

export interface InfoRequestCaseTable {
  agency_id: string;
  id: Generated<string>;
  request_id: string;
  kind: CaseKind;
  filed_on: string;
  body: string;
  case_number: string;
  result: Generated<CaseResult>;
  concluded_on: string | null;
  note: string | null;
  version: Generated<number>;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface InfoRequestTemplateTable {
  agency_id: string;
  kind: string;
  body: string;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  updated_by: string | null;
}

export interface InfoRequestSettingsTable {
  agency_id: string;
  doc_prefix: Generated<string>;
  retention_years: Generated<number>;
  correction_days: Generated<number>;
  /** Default true since migration 2026-12-03T2000 (the payment window is not part of the reply period). */
  fee_pauses_clock: Generated<boolean>;
  /** receipt_day | next_working_day: how a receipt on a rest day is counted. */
  rest_day_receipt: Generated<string>;
  fee_payment_method: Generated<string>;
  /** Quiet hours of applicant notifications (Beijing time, hours 0–23): nothing is sent from quiet_from to quiet_until. */
  quiet_from: Generated<number>;
  quiet_until: Generated<number>;
  /** Handler reminders start this many working days before a deadline. */
  reminder_days: Generated<number>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface InfoRequestCounterTable {
  agency_id: string;
  name: string;
  year: number;
  last: number;
}

export type InfoRequestRow = Selectable<InfoRequestTable>;
export type NewInfoRequestRow = Insertable<InfoRequestTable>;
export type InfoRequestUpdate = Updateable<InfoRequestTable>;
export type CorrectionRow = Selectable<InfoRequestCorrectionTable>;
export type ConsultationRow = Selectable<InfoRequestConsultationTable>;
export type EventRow = Selectable<InfoRequestEventTable>;
export type NoticeRow = Selectable<InfoRequestNoticeTable>;
export type CaseRow = Selectable<InfoRequestCaseTable>;
export type TemplateRow = Selectable<InfoRequestTemplateTable>;
export type SettingsRow = Selectable<InfoRequestSettingsTable>;
