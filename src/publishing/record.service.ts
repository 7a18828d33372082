/**
 * @module Use cases of publishing (政府信息发布): drafting, the workflow 起草 → 提交 → 审核 → 审签 → 发布 with
 * send-back and withdrawal, revisions of published records, attachments, the personal-data scan, 索引号 and
 * deadlines at publication, the channel log, and the read functions the portal and the annual report use.
 *
 * Every state change runs in one transaction that locks the record row, writes a workflow event and an audit
 * event (recordAudit). Each step checks the policy action (src/accounts/policy.ts) itself, so the admin UI, the API
 * and the seed all follow the same rules.
 */
import { type Action, can, type StaffUser } from "../accounts/policy.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { getCalendarForAgency } from "../calendar/calendar.service.ts";
import type { WorkCalendar } from "../calendar/index.ts";
import type { DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { AppError, type FieldError, validationError } from "../errors.ts";
import { formatSize } from "./attachment.rules.ts";
import { readStoredFile, storeUpload } from "./attachment.service.ts";
import { findItem, type LinkedItem, listPublishedItems } from "./catalog-link.repository.ts";
import {
  DEFAULT_INDEX_TEMPLATE,
  formatIndexNumber,
  maxSerial,
  resolveCode,
  serialYear,
  validateIndexTemplate,
} from "./index-number.rules.ts";
import { findingContext, lineColumn, PERSONAL_DATA_LABELS, scanPersonalData } from "./personal-data.rules.ts";
import { publicAttachmentPath, publicRecordPath } from "./record.paths.ts";
import {
  type AgencyInfo,
  type AgencyRefRow,
  currentSerial,
  departmentExists,
  findAgencyInfo,
  findAttachments,
  findOpenObligationToMeet,
  findRecord,
  findRecordsByIds,
  findRevision,
  findSettings,
  indexNumberTaken,
  insertAttachment,
  insertChannel,
  insertEvent,
  insertRecord,
  insertRevision,
  linkedRecords,
  listAgencyRefs,
  listAttachmentsOfRecord,
  listChannels,
  listDepartmentNames,
  listEvents,
  listPublishedRows,
  listRecords,
  listRevisions,
  lockRecord,
  nextSerial,
  publishedDocumentOptions,
  replaceInterpretationLinks,
  type StaffRecordFilter,
  updateObligation,
  updateRecord,
  updateRevision,
  upsertSettings,
  userNames,
} from "./record.repository.ts";
import {
  CHECKLIST_ITEMS,
  canApplyStep,
  missingChecklistItems,
  RETURN_POLICY,
  validateContent,
  WORKFLOW_STEPS,
  type WorkflowStep,
} from "./record.rules.ts";
import type {
  RecordAttachmentRow,
  RecordChannelRow,
  RecordContent,
  RecordEventRow,
  RecordRevisionRow,
  RecordRow,
  ReviewChecklist,
  RevisionStatus,
  StoredFinding,
} from "./record.table.ts";
import { isLate, type RecordDue, recordDue } from "./record-deadline.rules.ts";
import { bodyText, sanitizeBody } from "./record-html.ts";

/** Who acts: the signed-in user (session or API token) and their IP for the audit log. */
export interface Actor {
  user: StaffUser;
  ip?: string | null | undefined;
}

/** The user id stored in created_by/…_by columns: null for the demo-data seed (a synthetic actor, id ""). */
export function uid(actor: Actor): string | null {
  return actor.user.id === "" ? null : actor.user.id;
}

/** The working-day calendar an agency counts its deadlines with (national data + its regions' overrides). */
export async function calendarFor(db: DbOrTx, agencyId: string): Promise<WorkCalendar> {
  return getCalendarForAgency(db, agencyId);
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

function assertCan(actor: Actor, action: Action, agencyId: string, departmentId?: string | null): void {
  if (!can(actor.user, action, { agencyId, departmentId: departmentId ?? null }))
    throw new AppError("forbidden");
}

async function agencyOrThrow(db: DbOrTx, agencyId: string): Promise<AgencyInfo> {
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
async function buildContent(
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
  c.bodyHtml = sanitizeBody(c.bodyHtml);
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
function contentColumns(c: RecordContent, text: string) {
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

async function logEvent(
  trx: DbOrTx,
  actor: Actor | null,
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
  await recordAudit(trx, {
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

function requireReason(reason: string | undefined | null, field = "reason", label = "理由"): string {
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
async function withRecord<T>(
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

// ---------------------------------------------------------------------------------------------------------------
// Drafting
// ---------------------------------------------------------------------------------------------------------------

/** 起草: creates a record with its first revision (draft). */
export async function createRecord(
  deps: Deps,
  actor: Actor,
  agencyId: string,
  input: ContentInput,
  options: { changeNote?: string } = {},
): Promise<{ id: string }> {
  const agency = await agencyOrThrow(deps.db, agencyId);
  assertCan(actor, "record.draft", agencyId, input.departmentId ?? actorDepartment(actor, agencyId));
  const today = deps.clock.today();
  return deps.db.transaction().execute(async (trx) => {
    const base = emptyContent(agency.name, today);
    if (input.departmentId === undefined) base.departmentId = actorDepartment(actor, agencyId);
    const { content, text } = await buildContent(trx, agencyId, base, input, null, today);
    assertCan(actor, "record.draft", agencyId, content.departmentId);
    const row = await insertRecord(trx, {
      agency_id: agencyId,
      status: "draft",
      workflow_status: "draft",
      latest_revision_no: 1,
      index_no: null,
      index_pattern: null,
      current_revision_no: null,
      published_date: null,
      revised_date: null,
      due_date: null,
      due_explanation: "",
      due_basis: null,
      due_provisional: false,
      due_rule: null,
      late: null,
      created_by: uid(actor),
      first_published_at: null,
      published_at: null,
      withdrawn_at: null,
      withdrawn_by: null,
      withdrawn_reason: null,
      created_at: deps.clock.now(),
      updated_at: deps.clock.now(),
      ...contentColumns(content, text),
    });
    await insertRevision(trx, {
      agency_id: agencyId,
      record_id: row.id,
      revision_no: 1,
      status: "draft",
      content: JSON.stringify(content),
      body_text: text,
      change_note: options.changeNote ?? "",
      created_by: uid(actor),
    });
    await logEvent(trx, actor, row, 1, "create", null, "draft", null, `起草政府信息《${row.title}》`, {
      after: { title: row.title, kind: row.kind, itemStableKey: content.itemStableKey },
    });
    return { id: row.id };
  });
}

/** A department-scoped editor's department in this agency (drafts default to it). */
function actorDepartment(actor: Actor, agencyId: string): string | null {
  const g = actor.user.grants.find((x) => x.role === "editor" && x.agencyId === agencyId && x.departmentId);
  return g?.departmentId ?? null;
}

/** Edits the open draft revision. Before the first publication the record row mirrors the draft. */
export async function updateDraft(
  deps: Deps,
  actor: Actor,
  agencyId: string,
  recordId: string,
  input: ContentInput,
  options: { changeNote?: string } = {},
): Promise<void> {
  const today = deps.clock.today();
  await withRecord(deps, agencyId, recordId, "record.updated", async (trx, record, revision) => {
    assertCan(actor, "record.draft", agencyId, record.department_id);
    if (revision.status !== "draft")
      throw new AppError("record_invalid_transition", "只有起草中的版本可以修改；请先退回或新建修订版本。");
    const { content, text } = await buildContent(trx, agencyId, revision.content, input, recordId, today);
    assertCan(actor, "record.draft", agencyId, content.departmentId);
    await updateRevision(trx, agencyId, recordId, revision.revision_no, {
      content: JSON.stringify(content),
      body_text: text,
      updated_at: deps.clock.now(),
      ...(options.changeNote !== undefined ? { change_note: options.changeNote } : {}),
    });
    await updateRecord(trx, agencyId, recordId, {
      updated_at: deps.clock.now(),
      ...(record.current_revision_no === null ? contentColumns(content, text) : {}),
    });
    await logEvent(
      trx,
      actor,
      record,
      revision.revision_no,
      "edit",
      "draft",
      "draft",
      null,
      `修改政府信息《${content.title}》`,
      {
        before: { title: revision.content.title },
        after: { title: content.title },
      },
    );
  });
}

/** Opens a new revision of a published (or withdrawn) record, copying the current content. */
export async function reviseRecord(
  deps: Deps,
  actor: Actor,
  agencyId: string,
  recordId: string,
): Promise<number> {
  return withRecord(deps, agencyId, recordId, "record.updated", async (trx, record, revision) => {
    assertCan(actor, "record.draft", agencyId, record.department_id);
    if (record.current_revision_no === null)
      throw new AppError("record_invalid_transition", "该信息尚未发布，请直接修改草稿。");
    if (revision.status !== "published") throw new AppError("record_revision_open");
    const no = record.latest_revision_no + 1;
    await insertRevision(trx, {
      agency_id: agencyId,
      record_id: recordId,
      revision_no: no,
      status: "draft",
      content: JSON.stringify(revision.content),
      body_text: revision.body_text,
      change_note: "",
      created_by: uid(actor),
    });
    await updateRecord(trx, agencyId, recordId, {
      latest_revision_no: no,
      workflow_status: "draft",
      updated_at: deps.clock.now(),
    });
    await logEvent(
      trx,
      actor,
      record,
      no,
      "revise",
      null,
      "draft",
      null,
      `新建政府信息《${record.title}》第${no}版`,
    );
    return no;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Attachments and channels
// ---------------------------------------------------------------------------------------------------------------

/** Stores a file and adds it to the open draft revision. */
export async function addAttachment(
  deps: Deps,
  actor: Actor,
  agencyId: string,
  recordId: string,
  file: { fileName: string; data: Buffer },
): Promise<RecordAttachmentRow> {
  const existing = await findRecord(deps.db, agencyId, recordId);
  if (!existing) throw new AppError("record_not_found");
  assertCan(actor, "record.draft", agencyId, existing.department_id);
  const stored = await storeUpload(deps, agencyId, file.fileName, file.data);
  return withRecord(deps, agencyId, recordId, "record.updated", async (trx, record, revision) => {
    if (revision.status !== "draft")
      throw new AppError("record_invalid_transition", "只有起草中的版本可以上传附件。");
    const row = await insertAttachment(trx, {
      agency_id: agencyId,
      record_id: recordId,
      file_name: stored.fileName,
      mime_type: stored.mime,
      file_type: stored.type,
      size_bytes: stored.size,
      sha256: stored.sha256,
      extracted_text: stored.text,
      created_by: uid(actor),
    });
    const content = { ...revision.content, attachmentIds: [...revision.content.attachmentIds, row.id] };
    await updateRevision(trx, agencyId, recordId, revision.revision_no, {
      content: JSON.stringify(content),
      updated_at: deps.clock.now(),
    });
    if (record.current_revision_no === null)
      await updateRecord(trx, agencyId, recordId, {
        attachment_ids: content.attachmentIds,
        updated_at: deps.clock.now(),
      });
    await logEvent(
      trx,
      actor,
      record,
      revision.revision_no,
      "attach",
      null,
      null,
      null,
      `上传附件《${row.file_name}》`,
      {
        after: { attachmentId: row.id, fileName: row.file_name, sha256: row.sha256, size: row.size_bytes },
      },
    );
    return row;
  });
}

/** Removes an attachment from the open draft revision (the stored file and row stay for older revisions). */
export async function removeAttachment(
  deps: Deps,
  actor: Actor,
  agencyId: string,
  recordId: string,
  attachmentId: string,
): Promise<void> {
  await withRecord(deps, agencyId, recordId, "record.updated", async (trx, record, revision) => {
    assertCan(actor, "record.draft", agencyId, record.department_id);
    if (revision.status !== "draft")
      throw new AppError("record_invalid_transition", "只有起草中的版本可以删除附件。");
    if (!revision.content.attachmentIds.includes(attachmentId)) throw new AppError("attachment_not_found");
    const content = {
      ...revision.content,
      attachmentIds: revision.content.attachmentIds.filter((a) => a !== attachmentId),
    };
    await updateRevision(trx, agencyId, recordId, revision.revision_no, { content: JSON.stringify(content) });
    if (record.current_revision_no === null)
      await updateRecord(trx, agencyId, recordId, { attachment_ids: content.attachmentIds });
    await logEvent(trx, actor, record, revision.revision_no, "detach", null, null, null, `删除附件`, {
      after: { attachmentId },
    });
  });
}

/** Logs publication through another channel (两微一端, 公示栏 …) with date and evidence. */
export async function logChannel(
  deps: Deps,
  actor: Actor,
  agencyId: string,
  recordId: string,
  input: { channel: string; publishedOn: string; evidence: string },
): Promise<RecordChannelRow> {
  const channel = input.channel.trim();
  const evidence = input.evidence.trim();
  const problems: FieldError[] = [];
  if (channel === "" || channel.length > 50)
    problems.push({ field: "channel", message: "请填写发布渠道（50字以内）" });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.publishedOn))
    problems.push({ field: "publishedOn", message: "请按“年-月-日”填写发布日期" });
  else if (input.publishedOn > deps.clock.today())
    problems.push({ field: "publishedOn", message: "发布日期不能晚于今天" });
  if (evidence === "" || evidence.length > 2000)
    problems.push({
      field: "evidence",
      message: "请填写发布凭证（链接、截图编号或现场照片说明，2000字以内）",
    });
  if (problems.length > 0) throw validationError(problems);
  return withRecord(deps, agencyId, recordId, "record.updated", async (trx, record) => {
    assertCan(actor, "record.draft", agencyId, record.department_id);
    if (record.status !== "published")
      throw new AppError("record_invalid_transition", "只有已发布的信息可以登记其他渠道发布情况。");
    const row = await insertChannel(trx, {
      agency_id: agencyId,
      record_id: recordId,
      channel,
      published_on: input.publishedOn,
      evidence,
      created_by: uid(actor),
    });
    await logEvent(
      trx,
      actor,
      record,
      record.current_revision_no ?? 1,
      "channel",
      null,
      null,
      null,
      `登记《${record.title}》通过${channel}发布`,
      {
        after: { channel, publishedOn: input.publishedOn, evidence },
      },
    );
    return row;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Personal-data scan (条例第15条)
// ---------------------------------------------------------------------------------------------------------------

export interface FindingView extends StoredFinding {
  label: string;
  place: string;
  line: number;
  column: number;
  context: string;
}

/** Scans title, summary, body text and attachment text of a content snapshot. */
export async function scanContent(
  db: DbOrTx,
  agencyId: string,
  content: RecordContent,
  text: string,
): Promise<FindingView[]> {
  const sources: { source: string; place: string; text: string }[] = [
    { source: "title", place: "标题", text: content.title },
    { source: "summary", place: "内容概述", text: content.summary },
    { source: "body", place: "正文", text },
  ];
  const attachments = new Map(
    (await findAttachments(db, agencyId, content.attachmentIds)).map((a) => [a.id, a]),
  );
  for (const a of content.attachmentIds.map((id) => attachments.get(id)).filter((x) => x !== undefined)) {
    sources.push({ source: `attachment:${a.id}`, place: `附件《${a.file_name}》`, text: a.extracted_text });
  }
  const out: FindingView[] = [];
  for (const s of sources) {
    for (const f of scanPersonalData(s.text)) {
      const { line, column } = lineColumn(s.text, f.start);
      out.push({
        kind: f.kind,
        source: s.source,
        start: f.start,
        length: f.length,
        masked: f.masked,
        label: PERSONAL_DATA_LABELS[f.kind],
        place: s.place,
        line,
        column,
        context: findingContext(s.text, f),
      });
    }
  }
  return out;
}

function findingsError(findings: FindingView[]): AppError {
  return new AppError("record_personal_data_found", undefined, {
    details: {
      findings: findings.map((f) => ({
        kind: f.kind,
        label: f.label,
        place: f.place,
        line: f.line,
        column: f.column,
        masked: f.masked,
        context: f.context,
      })),
    },
  });
}

function toStored(findings: FindingView[]): StoredFinding[] {
  return findings.map(({ kind, source, start, length, masked }) => ({ kind, source, start, length, masked }));
}

// ---------------------------------------------------------------------------------------------------------------
// Workflow
// ---------------------------------------------------------------------------------------------------------------

export interface StepOptions {
  /** 审核: the secrecy/privacy checklist. */
  checklist?: Partial<ReviewChecklist>;
  /** 审签/发布: the approver's reason to publish despite personal-data findings. */
  piiOverrideReason?: string;
  comment?: string;
}

/** Applies a forward step (submit, review, approve, publish) to the latest revision. */
export async function advanceRecord(
  deps: Deps,
  actor: Actor,
  agencyId: string,
  recordId: string,
  step: WorkflowStep,
  options: StepOptions = {},
): Promise<{ status: RevisionStatus; indexNo: string | null }> {
  const def = WORKFLOW_STEPS[step];
  const event = step === "publish" ? "record.published" : "record.updated";
  return withRecord(deps, agencyId, recordId, event, async (trx, record, revision) => {
    assertCan(actor, def.policy as Action, agencyId, record.department_id);
    if (!canApplyStep(step, revision.status)) {
      throw new AppError(
        "record_invalid_transition",
        `该信息当前为“${revision.status}”状态，不能执行“${def.label}”。`,
      );
    }
    const now = deps.clock.now();
    const content = revision.content;
    const patch: Record<string, unknown> = { status: def.to, updated_at: now };
    let summary = `${def.label}：《${content.title}》`;
    let indexNo: string | null = record.index_no;
    if (step === "submit") {
      const problems = validateContent(content, deps.clock.today(), "submit");
      if (problems.length > 0) throw validationError(problems);
      Object.assign(patch, { submitted_by: uid(actor), submitted_at: now, returned_reason: null });
    } else if (step === "review") {
      const checklist = options.checklist ?? {};
      const missing = missingChecklistItems(checklist);
      if (missing.length > 0) {
        throw new AppError("record_checklist_incomplete", undefined, {
          fields: missing.map((key) => ({
            field: `checklist.${key}`,
            message: `请确认：${CHECKLIST_ITEMS.find((i) => i.key === key)?.label ?? key}`,
          })),
        });
      }
      const stored: ReviewChecklist = {
        noStateSecret: true,
        noWorkSecret: true,
        noPersonalPrivacy: true,
        noTradeSecret: true,
        noThreeSecurityRisk: true,
        consistentWithPolicy: true,
        ...(checklist.note ? { note: String(checklist.note).slice(0, 1000) } : {}),
      };
      Object.assign(patch, {
        reviewed_by: uid(actor),
        reviewed_at: now,
        review_checklist: JSON.stringify(stored),
      });
    } else if (step === "approve" || step === "publish") {
      const findings = await scanContent(trx, agencyId, content, revision.body_text);
      patch.pii_findings = JSON.stringify(toStored(findings));
      const override = options.piiOverrideReason?.trim();
      if (findings.length > 0 && !revision.pii_override_reason) {
        if (!override) throw findingsError(findings);
        // Only an approver (审签) may let personal data through, with a reason.
        assertCan(actor, "record.approve", agencyId, record.department_id);
        Object.assign(patch, { pii_override_by: uid(actor), pii_override_reason: override.slice(0, 1000) });
        await logEvent(
          trx,
          actor,
          record,
          revision.revision_no,
          "pii_override",
          null,
          null,
          override,
          `确认《${content.title}》中的个人信息提示并放行：${override}`,
          {
            after: { findings: toStored(findings), reason: override },
          },
        );
      }
      if (step === "approve") Object.assign(patch, { approved_by: uid(actor), approved_at: now });
    }
    if (step === "publish") {
      const result = await publishInTransaction(deps, trx, actor, record, revision);
      indexNo = result.indexNo;
      Object.assign(patch, { published_by: uid(actor), published_at: now });
      summary = `发布政府信息《${content.title}》（索引号 ${indexNo}）`;
    } else {
      await updateRecord(trx, agencyId, recordId, { workflow_status: def.to, updated_at: now });
    }
    await updateRevision(trx, agencyId, recordId, revision.revision_no, patch);
    await logEvent(
      trx,
      actor,
      record,
      revision.revision_no,
      step,
      revision.status,
      def.to,
      options.comment?.trim() || null,
      summary,
      {
        after: { revision: revision.revision_no, status: def.to, indexNo },
      },
    );
    return { status: def.to, indexNo };
  });
}

/** Latest publication date among the policy documents an interpretation links to (null if none is published). */
async function linkedPublicationDate(
  db: DbOrTx,
  agencyId: string,
  policyIds: string[],
): Promise<string | null> {
  const policies = await findRecordsByIds(db, agencyId, policyIds);
  const dates = policies.filter((p) => p.published_date !== null).map((p) => p.published_date as string);
  return dates.length > 0 ? dates.sort().at(-1)! : null;
}

/** The due date of a content snapshot (catalog rule + formation/change date, calendar explanation). */
export async function computeDue(db: DbOrTx, agencyId: string, content: RecordContent): Promise<RecordDue> {
  const item = content.itemId ? await findItem(db, agencyId, content.itemId) : undefined;
  const element =
    item && content.elementId ? item.elements.find((e) => e.id === content.elementId) : undefined;
  const linked =
    content.kind === "interpretation"
      ? await linkedPublicationDate(db, agencyId, content.interpretsRecordIds)
      : null;
  return recordDue(await calendarFor(db, agencyId), {
    kind: content.kind,
    disclosure: content.disclosure,
    formedDate: content.formedDate,
    changedDate: content.changedDate,
    linkedPublicationDate: linked,
    sources: item
      ? {
          itemRules: item.rules,
          elementRules: element?.rules ?? [],
          elementLabel: element?.label ?? null,
          statedDeadline: element?.deadlineText || item.deadlineText,
        }
      : null,
  });
}

/**
 * Recomputes the due date of a published record from its current content (after a calendar change made a
 * provisional date official) and measures it against its publication date. Returns true when something changed.
 */
export async function remeasureRecordDue(db: DbOrTx, record: RecordRow): Promise<boolean> {
  if (record.current_revision_no === null || record.published_date === null) return false;
  const rev = await findRevision(db, record.agency_id, record.id, record.current_revision_no);
  if (!rev) return false;
  const due = await computeDue(db, record.agency_id, rev.content);
  // Measured against the publication that carried the triggering change (a revision with a change date) or the first.
  const late = isLate(
    due.due,
    rev.content.changedDate !== null ? (record.revised_date ?? record.published_date) : record.published_date,
  );
  if (due.due === record.due_date && due.provisional === record.due_provisional && late === record.late)
    return false;
  await updateRecord(db, record.agency_id, record.id, {
    due_date: due.due,
    due_explanation: due.explanation,
    due_basis: due.basis,
    due_provisional: due.provisional,
    late,
  });
  return true;
}

/** Allocates the next 索引号 of the agency for a publication date. */
async function allocateIndexNumber(
  trx: DbOrTx,
  agency: AgencyInfo,
  date: string,
): Promise<{ indexNo: string; pattern: string }> {
  const settings = await findSettings(trx, agency.id);
  const template = settings?.index_template ?? DEFAULT_INDEX_TEMPLATE;
  const code = resolveCode(template, {
    creditCode: agency.creditCode,
    orgCode: agency.orgCode,
    configuredCode: settings?.index_code ?? null,
  });
  if ("error" in code) throw new AppError("record_index_unavailable", `无法生成索引号：${code.error}。`);
  const year = serialYear(date);
  for (let attempt = 0; attempt < 10; attempt++) {
    const serial = await nextSerial(trx, agency.id, year);
    if (serial > maxSerial(template))
      throw new AppError("record_index_unavailable", `${year}年的索引号序号已用完。`);
    const indexNo = formatIndexNumber(template, code.code, date, serial);
    // A template change could recreate an earlier number: skip it, numbers are never reused.
    if (!(await indexNumberTaken(trx, agency.id, indexNo))) return { indexNo, pattern: template };
  }
  throw new AppError("record_index_unavailable");
}

async function publishInTransaction(
  deps: Deps,
  trx: DbOrTx,
  actor: Actor,
  record: RecordRow,
  revision: RecordRevisionRow,
): Promise<{ indexNo: string }> {
  const content = revision.content;
  if (content.disclosure !== "主动公开") throw new AppError("record_not_proactive");
  const agency = await agencyOrThrow(trx, record.agency_id);
  const today = deps.clock.today();
  const now = deps.clock.now();
  let indexNo = record.index_no;
  let pattern = record.index_pattern;
  if (indexNo === null) ({ indexNo, pattern } = await allocateIndexNumber(trx, agency, today));
  const previous =
    record.current_revision_no === null
      ? null
      : ((await findRevision(trx, record.agency_id, record.id, record.current_revision_no)) ?? null);
  const trigger = (c: RecordContent) => c.changedDate ?? c.formedDate;
  const recount =
    previous === null || trigger(previous.content) !== trigger(content) || record.due_explanation === "";
  const due = recount ? await computeDue(trx, record.agency_id, content) : null;
  await updateRecord(trx, record.agency_id, record.id, {
    ...contentColumns(content, revision.body_text),
    status: "published",
    workflow_status: "published",
    index_no: indexNo,
    index_pattern: pattern,
    current_revision_no: revision.revision_no,
    published_date: record.published_date ?? today,
    revised_date: today,
    first_published_at: record.first_published_at ?? now,
    published_at: now,
    withdrawn_at: null,
    withdrawn_by: null,
    withdrawn_reason: null,
    updated_at: now,
    ...(due
      ? {
          due_date: due.due,
          due_explanation: due.explanation,
          due_basis: due.basis,
          due_provisional: due.provisional,
          due_rule: due.rule ? JSON.stringify(due.rule) : null,
          late: isLate(due.due, today),
        }
      : {}),
  });
  if (previous)
    await updateRevision(trx, record.agency_id, record.id, previous.revision_no, { status: "superseded" });
  await replaceInterpretationLinks(
    trx,
    record.agency_id,
    record.id,
    content.kind === "interpretation" ? content.interpretsRecordIds : [],
  );
  if (content.itemStableKey) {
    const obligation = await findOpenObligationToMeet(
      trx,
      record.agency_id,
      content.itemStableKey,
      content.elementStableKey,
      today,
    );
    if (obligation) {
      await updateObligation(trx, record.agency_id, obligation.id, {
        status: "met",
        met_record_id: record.id,
        met_on: today,
      });
      await recordAudit(trx, {
        actorId: uid(actor),
        actorName: actor.user.displayName,
        ip: actor.ip ?? null,
        action: "obligation.met",
        agencyId: record.agency_id,
        entityType: "record_obligation",
        entityId: obligation.id,
        summary: `${obligation.period_label}定期更新由《${content.title}》完成`,
        after: { recordId: record.id, metOn: today, due: obligation.due_date },
      });
    }
  }
  return { indexNo };
}

/** 退回: sends the latest revision back to the drafter with a reason. */
export async function returnRecord(
  deps: Deps,
  actor: Actor,
  agencyId: string,
  recordId: string,
  reason: string,
): Promise<void> {
  const why = requireReason(reason, "reason", "退回理由");
  await withRecord(deps, agencyId, recordId, "record.updated", async (trx, record, revision) => {
    const policy = RETURN_POLICY[revision.status];
    if (!policy) throw new AppError("record_invalid_transition", "该版本当前不能退回。");
    assertCan(actor, policy as Action, agencyId, record.department_id);
    await updateRevision(trx, agencyId, recordId, revision.revision_no, {
      status: "draft",
      returned_by: uid(actor),
      returned_at: deps.clock.now(),
      returned_reason: why,
      reviewed_by: null,
      reviewed_at: null,
      review_checklist: null,
      approved_by: null,
      approved_at: null,
      pii_override_by: null,
      pii_override_reason: null,
      updated_at: deps.clock.now(),
    });
    await updateRecord(trx, agencyId, recordId, { workflow_status: "draft", updated_at: deps.clock.now() });
    await logEvent(
      trx,
      actor,
      record,
      revision.revision_no,
      "return",
      revision.status,
      "draft",
      why,
      `退回《${revision.content.title}》：${why}`,
    );
  });
}

/** 撤回: takes a published record off the portal, with a reason (the audit trail keeps it). */
export async function withdrawRecord(
  deps: Deps,
  actor: Actor,
  agencyId: string,
  recordId: string,
  reason: string,
): Promise<void> {
  const why = requireReason(reason, "reason", "撤回理由");
  await withRecord(deps, agencyId, recordId, "record.withdrawn", async (trx, record) => {
    assertCan(actor, "record.withdraw", agencyId, record.department_id);
    if (record.status !== "published")
      throw new AppError("record_invalid_transition", "只有已发布的信息可以撤回。");
    await updateRecord(trx, agencyId, recordId, {
      status: "withdrawn",
      withdrawn_at: deps.clock.now(),
      withdrawn_by: uid(actor),
      withdrawn_reason: why,
      updated_at: deps.clock.now(),
    });
    await logEvent(
      trx,
      actor,
      record,
      record.current_revision_no ?? record.latest_revision_no,
      "withdraw",
      "published",
      "withdrawn",
      why,
      `撤回《${record.title}》（索引号 ${record.index_no}）：${why}`,
      {
        before: { status: "published", indexNo: record.index_no, title: record.title },
        after: { status: "withdrawn", reason: why },
      },
    );
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------------------------

export interface PublishingSettings {
  indexTemplate: string;
  indexCode: string | null;
  indexCodeIsDemo: boolean;
  notifyEmails: Record<string, string[]>;
}

export async function getPublishingSettings(db: DbOrTx, agencyId: string): Promise<PublishingSettings> {
  const row = await findSettings(db, agencyId);
  return {
    indexTemplate: row?.index_template ?? DEFAULT_INDEX_TEMPLATE,
    indexCode: row?.index_code ?? null,
    indexCodeIsDemo: row?.index_code_is_demo ?? false,
    notifyEmails: row?.notify_emails ?? {},
  };
}

const EMAIL = /^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/;

/** Sets the 索引号 template/code and notification recipients (agency.manage). */
export async function updatePublishingSettings(
  deps: Deps,
  actor: Actor | null,
  agencyId: string,
  input: PublishingSettings,
): Promise<void> {
  if (actor) assertCan(actor, "agency.manage", agencyId);
  const problems: FieldError[] = validateIndexTemplate(input.indexTemplate).map((m) => ({
    field: "indexTemplate",
    message: m,
  }));
  if (input.indexCode !== null && !/^[0-9A-Za-z-]{1,30}$/.test(input.indexCode))
    problems.push({ field: "indexCode", message: "机关代码只能包含字母、数字和连字符（30位以内）" });
  for (const [k, list] of Object.entries(input.notifyEmails)) {
    for (const e of list)
      if (!EMAIL.test(e)) problems.push({ field: "notifyEmails", message: `电子邮箱格式不正确：${e}` });
    if (k !== "*" && !(await departmentExists(deps.db, agencyId, k)))
      problems.push({ field: "notifyEmails", message: "股室不存在" });
  }
  if (problems.length > 0) throw validationError(problems);
  await deps.db.transaction().execute(async (trx) => {
    const before = await getPublishingSettings(trx, agencyId);
    await upsertSettings(trx, {
      agency_id: agencyId,
      index_template: input.indexTemplate,
      index_code: input.indexCode,
      index_code_is_demo: input.indexCodeIsDemo,
      notify_emails: JSON.stringify(input.notifyEmails),
    });
    await recordAudit(trx, {
      actorId: actor ? uid(actor) : null,
      actorName: actor?.user.displayName,
      ip: actor?.ip ?? null,
      action: "publishing.settings",
      agencyId,
      entityType: "publishing_settings",
      entityId: agencyId,
      summary: `修改发布设置（索引号格式 ${input.indexTemplate}）`,
      before,
      after: input,
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Reading: staff
// ---------------------------------------------------------------------------------------------------------------

export interface StaffRecordDetail {
  record: RecordRow;
  /** The latest revision (open draft/in review, or the published one). */
  revision: RecordRevisionRow;
  revisions: RecordRevisionRow[];
  events: RecordEventRow[];
  attachments: RecordAttachmentRow[];
  channels: RecordChannelRow[];
  policies: RecordRow[];
  interpretations: RecordRow[];
  /** Due date the latest revision would get if published now. */
  duePreview: RecordDue;
  item: LinkedItem | undefined;
}

export async function getRecordForStaff(
  db: DbOrTx,
  agencyId: string,
  recordId: string,
): Promise<StaffRecordDetail> {
  const record = await findRecord(db, agencyId, recordId);
  if (!record) throw new AppError("record_not_found");
  const [revisions, events, attachments, channels, links] = await Promise.all([
    listRevisions(db, agencyId, recordId),
    listEvents(db, agencyId, recordId),
    listAttachmentsOfRecord(db, agencyId, recordId),
    listChannels(db, agencyId, recordId),
    linkedRecords(db, agencyId, recordId),
  ]);
  const revision = revisions.find((r) => r.revision_no === record.latest_revision_no);
  if (!revision) throw new AppError("record_not_found");
  const policies =
    revision.content.interpretsRecordIds.length > 0
      ? await findRecordsByIds(db, agencyId, revision.content.interpretsRecordIds)
      : links.policies;
  const item = revision.content.itemId ? await findItem(db, agencyId, revision.content.itemId) : undefined;
  return {
    record,
    revision,
    revisions,
    events,
    attachments,
    channels,
    policies,
    interpretations: links.interpretations,
    duePreview: await computeDue(db, agencyId, revision.content),
    item,
  };
}

export async function listRecordsForStaff(
  db: DbOrTx,
  filter: Omit<StaffRecordFilter, "limit" | "offset"> & { page: number; pageSize: number },
): Promise<{ rows: RecordRow[]; total: number; page: number; pageSize: number }> {
  const pageSize = Math.min(Math.max(filter.pageSize, 1), 100);
  const page = Math.max(filter.page, 1);
  const { rows, total } = await listRecords(db, {
    ...filter,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  return { rows, total, page, pageSize };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading: public (portal)
// ---------------------------------------------------------------------------------------------------------------

export interface PublicAttachment {
  id: string;
  fileName: string;
  fileType: string;
  mimeType: string;
  sizeBytes: number;
  sizeText: string;
  sha256: string;
  url: string;
}

export interface PublicRecordLink {
  id: string;
  title: string;
  indexNo: string | null;
  publishedDate: string | null;
  url: string;
}

export interface PublishedRecordSummary {
  id: string;
  agencyId: string;
  kind: RecordRow["kind"];
  indexNo: string;
  title: string;
  summary: string;
  docNumber: string;
  issuingAgency: string;
  formedDate: string;
  publishedDate: string;
  revisedDate: string | null;
  topic: string;
  genre: string;
  validity: RecordRow["validity"];
  itemStableKey: string | null;
  url: string;
}

export interface PublishedRecord extends PublishedRecordSummary {
  keywords: string[];
  effectiveDate: string | null;
  repealDate: string | null;
  replacedBy: PublicRecordLink | null;
  replacedByText: string;
  disclosure: RecordRow["disclosure"];
  itemId: string | null;
  elementStableKey: string | null;
  departmentId: string | null;
  docCategory: RecordRow["doc_category"];
  bodyHtml: string;
  revisionNo: number;
  attachments: PublicAttachment[];
  /** 政策解读: the documents this record interprets. */
  interprets: PublicRecordLink[];
  /** Policy documents: their published interpretations. */
  interpretations: PublicRecordLink[];
  /** True when the 索引号 prefix is a demo placeholder (demo agencies without a credit code). */
  indexCodeIsDemo: boolean;
}

function summaryOf(row: RecordRow, slug: string): PublishedRecordSummary {
  return {
    id: row.id,
    agencyId: row.agency_id,
    kind: row.kind,
    indexNo: row.index_no ?? "",
    title: row.title,
    summary: row.summary,
    docNumber: row.doc_number,
    issuingAgency: row.issuing_agency,
    formedDate: row.formed_date,
    publishedDate: row.published_date ?? "",
    revisedDate: row.revised_date,
    topic: row.topic,
    genre: row.genre,
    validity: row.validity,
    itemStableKey: row.item_stable_key,
    url: publicRecordPath(slug, row.id),
  };
}

function linkOf(row: RecordRow, slug: string): PublicRecordLink {
  return {
    id: row.id,
    title: row.title,
    indexNo: row.index_no,
    publishedDate: row.published_date,
    url: publicRecordPath(slug, row.id),
  };
}

/** A record as the public sees it (current published revision), or record_not_found (also when withdrawn). */
export async function getPublishedRecord(db: DbOrTx, agencyId: string, id: string): Promise<PublishedRecord> {
  const row = await findRecord(db, agencyId, id);
  if (row?.status !== "published") throw new AppError("record_not_found");
  const agency = await agencyOrThrow(db, agencyId);
  const [attachments, links, replaced, settings] = await Promise.all([
    findAttachments(db, agencyId, row.attachment_ids),
    linkedRecords(db, agencyId, id),
    row.replaced_by_record_id
      ? findRecord(db, agencyId, row.replaced_by_record_id)
      : Promise.resolve(undefined),
    findSettings(db, agencyId),
  ]);
  const byId = new Map(attachments.map((a) => [a.id, a]));
  return {
    ...summaryOf(row, agency.slug),
    keywords: row.keywords,
    effectiveDate: row.effective_date,
    repealDate: row.repeal_date,
    replacedBy: replaced && replaced.status === "published" ? linkOf(replaced, agency.slug) : null,
    replacedByText: row.replaced_by_text,
    disclosure: row.disclosure,
    itemId: row.item_id,
    elementStableKey: row.element_stable_key,
    departmentId: row.department_id,
    docCategory: row.doc_category,
    bodyHtml: row.body_html,
    revisionNo: row.current_revision_no ?? 1,
    attachments: row.attachment_ids
      .map((aid) => byId.get(aid))
      .filter((a): a is RecordAttachmentRow => a !== undefined)
      .map((a) => ({
        id: a.id,
        fileName: a.file_name,
        fileType: a.file_type,
        mimeType: a.mime_type,
        sizeBytes: a.size_bytes,
        sizeText: formatSize(a.size_bytes),
        sha256: a.sha256,
        url: publicAttachmentPath(agency.slug, row.id, a.id),
      })),
    interprets: links.policies.filter((p) => p.status === "published").map((p) => linkOf(p, agency.slug)),
    interpretations: links.interpretations
      .filter((p) => p.status === "published")
      .map((p) => linkOf(p, agency.slug)),
    indexCodeIsDemo: (settings?.index_code_is_demo ?? false) && agency.creditCode === null,
  };
}

/** Published records of an agency (optionally one catalog item, by stable key), newest first. */
export async function listPublishedRecords(
  db: DbOrTx,
  options: { agencyId: string; itemStableKey?: string | undefined; page: number; pageSize: number },
): Promise<{ items: PublishedRecordSummary[]; total: number; page: number; pageSize: number }> {
  const agency = await agencyOrThrow(db, options.agencyId);
  const pageSize = Math.min(Math.max(Math.trunc(options.pageSize) || 20, 1), 100);
  const page = Math.max(Math.trunc(options.page) || 1, 1);
  const { rows, total } = await listPublishedRows(db, {
    agencyId: options.agencyId,
    itemStableKey: options.itemStableKey,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  return { items: rows.map((r) => summaryOf(r, agency.slug)), total, page, pageSize };
}

/** An attachment of a published record with its file bytes (checksum verified), for the public download. */
export async function getPublishedAttachment(
  deps: Pick<Deps, "db" | "config">,
  agencyId: string,
  recordId: string,
  attachmentId: string,
): Promise<{ attachment: RecordAttachmentRow; data: Buffer }> {
  const row = await findRecord(deps.db, agencyId, recordId);
  if (row?.status !== "published" || !row.attachment_ids.includes(attachmentId))
    throw new AppError("attachment_not_found");
  return getAttachmentFile(deps, agencyId, recordId, attachmentId);
}

/** Any attachment of a record (staff preview). */
export async function getAttachmentFile(
  deps: Pick<Deps, "db" | "config">,
  agencyId: string,
  recordId: string,
  attachmentId: string,
): Promise<{ attachment: RecordAttachmentRow; data: Buffer }> {
  const [attachment] = await findAttachments(deps.db, agencyId, [attachmentId]);
  if (!attachment || attachment.record_id !== recordId) throw new AppError("attachment_not_found");
  const data = readStoredFile(deps.config, agencyId, attachment.sha256);
  if (!data) throw new AppError("attachment_not_found");
  return { attachment, data };
}

// ---------------------------------------------------------------------------------------------------------------
// Lookups for pages and the API
// ---------------------------------------------------------------------------------------------------------------

export type { AgencyRefRow } from "./record.repository.ts";

/** Every agency (id, slug, name, region), for agency pickers. */
export async function agencyRefs(db: DbOrTx): Promise<AgencyRefRow[]> {
  return listAgencyRefs(db);
}

export async function agencyInfo(db: DbOrTx, agencyId: string): Promise<AgencyInfo> {
  return agencyOrThrow(db, agencyId);
}

export async function departmentsOf(db: DbOrTx, agencyId: string): Promise<{ id: string; name: string }[]> {
  return listDepartmentNames(db, agencyId);
}

export async function staffNames(db: DbOrTx, ids: (string | null)[]): Promise<Map<string, string>> {
  return userNames(
    db,
    ids.filter((i): i is string => i !== null),
  );
}

export async function documentOptions(db: DbOrTx, agencyId: string) {
  return publishedDocumentOptions(db, agencyId);
}

/** Catalog items of the agency's published catalog (for the record form). */
export async function catalogItemsForForm(db: DbOrTx, agencyId: string): Promise<LinkedItem[]> {
  return listPublishedItems(db, agencyId);
}

/** The next 索引号 the agency's settings would produce on `date` (settings page preview; takes no serial). */
export async function previewIndexNumber(db: DbOrTx, agencyId: string, date: string): Promise<string | null> {
  const agency = await agencyOrThrow(db, agencyId);
  const settings = await findSettings(db, agencyId);
  const template = settings?.index_template ?? DEFAULT_INDEX_TEMPLATE;
  const code = resolveCode(template, {
    creditCode: agency.creditCode,
    orgCode: agency.orgCode,
    configuredCode: settings?.index_code ?? null,
  });
  if ("error" in code) return null;
  const last = await currentSerial(db, agencyId, serialYear(date));
  const next = last + 1;
  return next > maxSerial(template) ? null : formatIndexNumber(template, code.code, date, next);
}

/** Titles of records by id. */
export async function recordTitles(
  db: DbOrTx,
  agencyId: string,
  ids: string[],
): Promise<Map<string, string>> {
  const rows = await findRecordsByIds(db, agencyId, [...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, r.title]));
}
