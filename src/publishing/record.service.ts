/**
 * @module Foundation of the publishing use cases (政府信息发布): who acts, the agency's calendar, and the helpers every
 * step shares — the policy check, building and validating record content from input, the content columns, the
 * workflow event + audit entry of a step, and the locked-record transaction. Drafting is in
 * record-draft.service.ts, attachments and channels in record-attachment.service.ts, the personal-data scan in
 * record-scan.service.ts, the workflow in record-workflow.service.ts, settings in publishing-settings.service.ts,
 * reading in record-query.service.ts.
 *
 * Every state change runs in one transaction that locks the record row, writes a workflow event and an audit event
 * (deps.audit). Each step checks the policy action (src/accounts/policy.ts) itself, so the admin UI, the API and
 * the seed all follow the same rules.
 */
import { type Action, can, type StaffActor } from "../accounts/policy.ts";
import { type AgencyInfo, departmentExists, findAgencyInfo } from "../agencies/agencies.read.ts";
import type { AuditWriter } from "../audit/audit.service.ts";
import { type CalendarReader, getCalendarForAgency } from "../calendar/calendar.service.ts";
import type { WorkCalendar } from "../calendar/index.ts";
import { findItem, type LinkedItem } from "../catalog/catalog-link.read.ts";
import type { DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { AppError, type FieldError, validationError } from "../errors.ts";
import { findRecordsByIds, findRevision, insertEvent, lockRecord } from "./record.repository.ts";
import { validateContent } from "./record.rules.ts";
import type { RecordContent, RecordRevisionRow, RecordRow } from "./record.table.ts";
import { bodyText, prepareBody } from "./record-html.ts";

/** The user id stored in created_by/…_by columns: null for the demo-data seed (a synthetic actor, id ""). */
export function uid(actor: StaffActor): string | null {
  return actor.user.id === "" ? null : actor.user.id;
}

/** The working-day calendar an agency counts its deadlines with (national data + its regions' overrides). */
export async function calendarFor(reader: CalendarReader, agencyId: string): Promise<WorkCalendar> {
  return getCalendarForAgency(reader, agencyId);
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

export function assertCan(
  actor: StaffActor,
  action: Action,
  agencyId: string,
  departmentId?: string | null,
): void {
  if (!can(actor.user, action, { agencyId, departmentId: departmentId ?? null }))
    throw new AppError("forbidden");
}

export async function agencyOrThrow(db: DbOrTx, agencyId: string): Promise<AgencyInfo> {
  const agency = await findAgencyInfo(db, agencyId);
  if (!agency) throw new AppError("agency_not_found");
  return agency;
}

export function emptyContent(agencyName: string, today: string): RecordContent {
  return {
    kind: "document",
    title: "",
    summary: "",
    issuingAgency: agencyName,
    docNumber: "",
    formedDate: today,
    changedDate: null,
    topic: "",
    genre: "",
    keywords: [],
    validity: null,
    effectiveDate: null,
    repealDate: null,
    replacedByRecordId: null,
    replacedByText: "",
    disclosure: "主动公开",
    nonDisclosureReason: "",
    itemId: null,
    itemStableKey: null,
    elementId: null,
    elementStableKey: null,
    departmentId: null,
    docCategory: null,
    decisionCount: 0,
    feeAmountWan: null,
    bodyHtml: "",
    attachmentIds: [],
    interpretsRecordIds: [],
  };
}

/** Input accepted by create/update: any subset of the content (the body is sanitised here). */
export type ContentInput = Partial<
  Omit<RecordContent, "itemStableKey" | "elementStableKey" | "attachmentIds">
>;

/** Merges input into a base, sanitises the body, resolves catalog references; throws validation_failed. */
export async function buildContent(
  db: DbOrTx,
  agencyId: string,
  base: RecordContent,
  input: ContentInput,
  recordId: string | null,
  today: string,
): Promise<{ content: RecordContent; text: string; item: LinkedItem | undefined }> {
  const c: RecordContent = { ...base };
  for (const [k, v] of Object.entries(input)) {
    if (v !== undefined) (c as unknown as Record<string, unknown>)[k] = v;
  }
  c.title = c.title.trim();
  c.summary = c.summary.trim();
  c.issuingAgency = c.issuingAgency.trim();
  c.docNumber = c.docNumber.trim();
  c.bodyHtml = prepareBody(c.bodyHtml);
  if (c.disclosure !== "不予公开") c.nonDisclosureReason = "";
  const problems: FieldError[] = validateContent(c, today, "save");
  let item: LinkedItem | undefined;
  if (c.itemId) {
    item = await findItem(db, agencyId, c.itemId);
    if (!item) problems.push({ field: "itemId", message: "所选目录事项不存在" });
    else {
      c.itemStableKey = item.stableKey;
      const el = c.elementId ? item.elements.find((e) => e.id === c.elementId) : undefined;
      if (c.elementId && !el)
        problems.push({ field: "elementId", message: "所选公开内容（要素）不属于该目录事项" });
      c.elementStableKey = el?.stableKey ?? null;
      if (!el) c.elementId = null;
      if (c.departmentId === null) c.departmentId = item.leadDepartmentId;
    }
  } else {
    c.itemStableKey = null;
    c.elementId = null;
    c.elementStableKey = null;
  }
  if (c.departmentId && !(await departmentExists(db, agencyId, c.departmentId)))
    problems.push({ field: "departmentId", message: "所选股室不存在" });
  const refs = [...new Set(c.interpretsRecordIds)].filter((id) => id !== recordId);
  c.interpretsRecordIds = refs;
  if (c.kind !== "interpretation") c.interpretsRecordIds = [];
  else if (refs.length > 0) {
    const found = await findRecordsByIds(db, agencyId, refs);
    if (found.length !== refs.length)
      problems.push({ field: "interpretsRecordIds", message: "所关联的政策文件不存在" });
  }
  if (c.replacedByRecordId) {
    if (c.replacedByRecordId === recordId)
      problems.push({ field: "replacedByRecordId", message: "不能以本文件替代本文件" });
    else if ((await findRecordsByIds(db, agencyId, [c.replacedByRecordId])).length === 0)
      problems.push({ field: "replacedByRecordId", message: "替代文件不存在" });
  }
  if (problems.length > 0) throw validationError(problems);
  return { content: c, text: bodyText(c.bodyHtml), item };
}

/** The records-table columns mirroring a content snapshot. */
export function contentColumns(c: RecordContent, text: string) {
  return {
    kind: c.kind,
    title: c.title,
    summary: c.summary,
    issuing_agency: c.issuingAgency,
    doc_number: c.docNumber,
    formed_date: c.formedDate,
    changed_date: c.changedDate,
    topic: c.topic,
    genre: c.genre,
    keywords: c.keywords,
    validity: c.validity,
    effective_date: c.effectiveDate,
    repeal_date: c.repealDate,
    replaced_by_record_id: c.replacedByRecordId,
    replaced_by_text: c.replacedByText,
    disclosure: c.disclosure,
    non_disclosure_reason: c.nonDisclosureReason,
    item_id: c.itemId,
    item_stable_key: c.itemStableKey,
    element_id: c.elementId,
    element_stable_key: c.elementStableKey,
    department_id: c.departmentId,
    doc_category: c.docCategory,
    decision_count: c.decisionCount,
    fee_amount_wan: c.feeAmountWan,
    body_html: c.bodyHtml,
    body_text: text,
    attachment_ids: c.attachmentIds,
  };
}

export async function logEvent(
  trx: DbOrTx,
  audit: AuditWriter,
  actor: StaffActor | null,
  record: { agency_id: string; id: string; title: string },
  revisionNo: number,
  action: string,
  from: string | null,
  to: string | null,
  reason: string | null,
  summary: string,
  snapshot?: { before?: unknown; after?: unknown },
  at?: Date,
): Promise<void> {
  await insertEvent(trx, {
    agency_id: record.agency_id,
    record_id: record.id,
    revision_no: revisionNo,
    action,
    from_status: from,
    to_status: to,
    actor_id: actor ? uid(actor) : null,
    actor_name: actor?.user.displayName ?? null,
    reason,
    ...(at ? { occurred_at: at } : {}),
  });
  await audit.record(trx, {
    actorId: actor ? uid(actor) : null,
    actorName: actor?.user.displayName,
    ip: actor?.ip ?? null,
    action: `record.${action}`,
    agencyId: record.agency_id,
    entityType: "record",
    entityId: record.id,
    summary,
    before: snapshot?.before,
    after: snapshot?.after ?? { revision: revisionNo, status: to, reason },
  });
}

export function requireReason(reason: string | undefined | null, field = "reason", label = "理由"): string {
  const r = (reason ?? "").trim();
  if (r === "") throw validationError([{ field, message: `请填写${label}` }]);
  if (r.length > 1000) throw validationError([{ field, message: `${label}不能超过1000个字` }]);
  return r;
}

type RecordEvent = "record.updated" | "record.published" | "record.withdrawn";

/**
 * Locks the record and loads its latest revision; runs `fn` in one transaction, then announces the change
 * (`event`) after the commit.
 */
export async function withRecord<T>(
  deps: Pick<Deps, "db" | "events">,
  agencyId: string,
  recordId: string,
  event: RecordEvent,
  fn: (trx: DbOrTx, record: RecordRow, revision: RecordRevisionRow) => Promise<T>,
): Promise<T> {
  const result = await deps.db.transaction().execute(async (trx) => {
    const record = await lockRecord(trx, agencyId, recordId);
    if (!record) throw new AppError("record_not_found");
    const revision = await findRevision(trx, agencyId, recordId, record.latest_revision_no);
    if (!revision) throw new AppError("record_not_found");
    return fn(trx, record, revision);
  });
  // After the commit: the portal drops this agency's cached pages (publish, withdraw, edit).
  deps.events.emit(event, { agencyId, recordId });
  return result;
}
