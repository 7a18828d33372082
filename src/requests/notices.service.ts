/**
 * @module Notices: per-agency editable templates (登记回执, 补正告知书, 征求意见函, 延期/延迟答复告知书, 收费通知书,
 * and a reply 告知书 per outcome group) and the notices generated from them. A notice is fixed when issued (its
 * paragraphs are stored); only the applicant's name is filled in at rendering time from the encrypted record, so
 * the notices table holds no personal data in clear.
 */
import type { Actor } from "../accounts/policy.ts";
import type { Agency } from "../agencies/agency.service.ts";
import { formatChineseDate } from "../calendar/index.ts";
import type { DbOrTx, Tx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { AppError, validationError } from "../errors.ts";
import { getGuideProfile } from "../guide/index.ts";
import {
  deleteTemplate,
  findInfoRequest,
  listTemplates,
  nextCounter,
  upsertTemplate,
} from "./info-request.repository.ts";
import type { InfoRequestRow, NoticeRow } from "./info-request.table.ts";
import { NOTICE_KINDS, type NoticeKind } from "./info-request.ts";
import {
  baseNoticeValues,
  DEFAULT_TEMPLATES,
  formatDocNumber,
  isTemplateKind,
  missingNoticeContact,
  NOTICE_CONTACT_LABELS,
  type NoticeContact,
  type NoticeDocument,
  renderTemplate,
  TEMPLATE_KIND_CODES,
  TEMPLATE_KINDS,
  type TemplateKind,
  unknownPlaceholders,
} from "./notices.rules.ts";
import { decryptPersonal, parseEncryptionKey } from "./personal-data.ts";
import { findNotice, insertNotice } from "./request-steps.repository.ts";

/** The settings a notice needs (a subset of RequestSettings, to avoid an import cycle). */
export interface NoticeSettings {
  docPrefix: string;
  feePaymentMethod: string;
}

/** The contact details and remedy bodies every notice prints: from the agency's 政府信息公开指南 (one source). */
export async function getNoticeContact(db: DbOrTx, agencyId: string): Promise<NoticeContact> {
  const guide = await getGuideProfile(db, agencyId);
  return {
    officeName: guide.officeName,
    officeAddress: guide.officeAddress,
    officePhone: guide.phone,
    reviewBody: guide.reviewBody,
    court: guide.court,
  };
}

/**
 * The notice contact, complete.
 * @throws AppError info_request_notice_contact_missing naming every missing field of the guide
 */
export async function requireNoticeContact(db: DbOrTx, agencyId: string): Promise<NoticeContact> {
  const contact = await getNoticeContact(db, agencyId);
  const missing = missingNoticeContact(contact);
  if (missing.length > 0) {
    throw new AppError(
      "info_request_notice_contact_missing",
      `本机关政府信息公开指南中尚未填写：${missing.map((k) => NOTICE_CONTACT_LABELS[k]).join("、")}。告知书须载明这些信息，请先在“政府信息公开指南”中填写后再办理。`,
    );
  }
  return contact;
}

export interface NoticeTemplate {
  kind: TemplateKind;
  label: string;
  title: string;
  body: string;
  customized: boolean;
}

export async function getTemplates(db: DbOrTx, agencyId: string): Promise<NoticeTemplate[]> {
  const rows = await listTemplates(db, agencyId);
  return TEMPLATE_KIND_CODES.map((kind) => {
    const row = rows.find((r) => r.kind === kind);
    return {
      kind,
      label: TEMPLATE_KINDS[kind].label,
      title: TEMPLATE_KINDS[kind].title,
      body: row?.body ?? DEFAULT_TEMPLATES[kind],
      customized: row !== undefined,
    };
  });
}

/** Saves an agency's template (an empty body restores the default). @throws AppError validation_failed */
export async function saveTemplate(
  deps: Deps,
  agency: Agency,
  actor: Actor,
  kind: unknown,
  body: unknown,
): Promise<void> {
  if (!isTemplateKind(kind)) throw new AppError("not_found");
  const text = typeof body === "string" ? body.replace(/\r\n?/g, "\n").trim() : "";
  if (text.length > 20000) throw validationError([{ field: "body", message: "模板不超过20000字" }]);
  const unknown = unknownPlaceholders(text);
  if (unknown.length)
    throw validationError([
      { field: "body", message: `模板中有未知的占位符：${unknown.map((u) => `{{${u}}}`).join("、")}` },
    ]);
  await deps.db.transaction().execute(async (trx) => {
    if (text === "") await deleteTemplate(trx, agency.id, kind);
    else await upsertTemplate(trx, { agency_id: agency.id, kind, body: text, updated_by: actor.id });
    await deps.audit.record(trx, {
      actorId: actor.id,
      actorName: actor.name,
      ip: actor.ip ?? null,
      action: "request.template",
      agencyId: agency.id,
      entityType: "info_request_template",
      entityId: kind,
      summary:
        text === ""
          ? `恢复默认模板：${TEMPLATE_KINDS[kind].label}`
          : `修改模板：${TEMPLATE_KINDS[kind].label}`,
    });
  });
}

/** Generates and stores a notice from the agency's template (inside the step's transaction). */
export async function issueNotice(
  trx: Tx,
  _deps: Deps,
  agency: Agency,
  settings: NoticeSettings,
  row: InfoRequestRow,
  kind: TemplateKind,
  values: Record<string, string>,
  issuedOn: string,
  actor: Actor,
): Promise<NoticeRow> {
  const contact = await requireNoticeContact(trx, agency.id);
  const templates = await listTemplates(trx, agency.id);
  const body = templates.find((t) => t.kind === kind)?.body ?? DEFAULT_TEMPLATES[kind];
  const all: Record<string, string> = {
    ...baseNoticeValues({
      agencyName: agency.name,
      contact,
      feePaymentMethod: settings.feePaymentMethod,
      dateText: formatChineseDate(issuedOn),
    }),
    ...values,
  };
  const rendered = renderTemplate(body, all);
  const year = Number(issuedOn.slice(0, 4));
  const seq = await nextCounter(trx, agency.id, "notice", year);
  return insertNotice(trx, {
    agency_id: agency.id,
    request_id: row.id,
    kind: TEMPLATE_KINDS[kind].notice,
    doc_number: formatDocNumber(settings.docPrefix, year, seq),
    issued_on: issuedOn,
    title: TEMPLATE_KINDS[kind].title,
    recipient: rendered.recipient,
    paragraphs: rendered.paragraphs,
    created_by: actor.id,
  });
}

export interface RenderedNotice {
  notice: NoticeRow;
  document: NoticeDocument;
  requestNumber: string;
}

/**
 * A stored notice ready to print or download, with the applicant's name filled in (decrypted; the staff read is
 * audited as request.read_personal).
 * @throws AppError not_found
 */
export async function renderStoredNotice(
  deps: Deps,
  agency: Agency,
  noticeId: string,
  actor: Actor,
): Promise<RenderedNotice> {
  const notice = await findNotice(deps.db, agency.id, noticeId);
  if (!notice) throw new AppError("not_found");
  const row = await findInfoRequest(deps.db, agency.id, notice.request_id);
  if (!row) throw new AppError("not_found");
  let name = "申请人";
  const needsName = [notice.recipient, ...notice.paragraphs].some((p) => p.includes("{{申请人}}"));
  if (needsName && row.personal_enc) {
    name = decryptPersonal(parseEncryptionKey(deps.config.encryptionKey), row.personal_enc, row.id).name;
    await deps.audit.record(deps.db, {
      actorId: actor.id,
      actorName: actor.name,
      ip: actor.ip ?? null,
      action: "request.read_personal",
      agencyId: agency.id,
      entityType: "info_request_notice",
      entityId: notice.id,
      summary: `${row.number}：生成${notice.title}（含申请人姓名）`,
    });
  } else if (needsName) {
    name = "（申请人信息已按保存期限删除）";
  }
  const fill = (s: string) => s.replaceAll("{{申请人}}", name);
  return {
    notice,
    requestNumber: row.number,
    document: {
      title: notice.title,
      docNumber: notice.doc_number,
      recipient: fill(notice.recipient),
      paragraphs: notice.paragraphs.map(fill),
      signature: agency.name,
      dateText: formatChineseDate(notice.issued_on),
    },
  };
}

export function noticeKindLabel(kind: NoticeKind): string {
  return NOTICE_KINDS[kind];
}
