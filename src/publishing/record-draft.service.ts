/**
 * @module Drafting records (起草): creating a record, updating a draft, and starting a revision of a published
 * record.
 */
import { can, type StaffActor } from "../accounts/policy.ts";
import { listDepartmentNames } from "../agencies/agencies.read.ts";
import type { DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { contentStamp } from "../shared/crypto.ts";
import { insertRecord, insertRevision, updateRecord, updateRevision } from "./record.repository.ts";
import { revisionStamp } from "./record.rules.ts";
import {
  agencyOrThrow,
  assertCan,
  buildContent,
  type ContentInput,
  contentColumns,
  emptyContent,
  logEvent,
  uid,
  withRecord,
} from "./record.service.ts";
import type { RecordContent } from "./record.table.ts";

// ---------------------------------------------------------------------------------------------------------------
// Drafting
// ---------------------------------------------------------------------------------------------------------------

/** 起草: creates a record with its first revision (draft). */
export async function createRecord(
  deps: Deps,
  actor: StaffActor,
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
    await assertCanDraftFor(trx, actor, agencyId, content.departmentId);
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
    await logEvent(
      trx,
      deps.audit,
      actor,
      row,
      1,
      "create",
      null,
      "draft",
      null,
      `起草政府信息《${row.title}》`,
      {
        after: { title: row.title, kind: row.kind, itemStableKey: content.itemStableKey },
      },
    );
    return { id: row.id };
  });
}

/** A department-scoped editor's department in this agency (drafts default to it). */
/**
 * A department-scoped editor (股室信息员) may draft only for their 股室. When the content's 责任股室 (chosen, or taken
 * from the catalog item) is another unit, the refusal says which 股室 to choose instead, on the field itself, so the
 * form is shown again with the typed text and a way forward.
 */
async function assertCanDraftFor(
  db: DbOrTx,
  actor: StaffActor,
  agencyId: string,
  departmentId: string | null,
): Promise<void> {
  if (can(actor.user, "record.draft", { agencyId, departmentId })) return;
  const own = actorDepartment(actor, agencyId);
  if (!own || !departmentId) throw new AppError("forbidden");
  const names = new Map((await listDepartmentNames(db, agencyId)).map((d) => [d.id, d.name]));
  const mine = names.get(own) ?? "本股室";
  const theirs = names.get(departmentId) ?? "其他股室";
  const message = `该信息的责任股室为“${theirs}”，您只能为“${mine}”起草信息。请在“责任股室”中选择“${mine}”（由本股室负责发布），或交由“${theirs}”起草。`;
  throw new AppError("forbidden", message, { fields: [{ field: "departmentId", message }] });
}

function actorDepartment(actor: StaffActor, agencyId: string): string | null {
  const g = actor.user.grants.find((x) => x.role === "editor" && x.agencyId === agencyId && x.departmentId);
  return g?.departmentId ?? null;
}

/**
 * A fingerprint of a draft's content as the edit form shows it: the form carries it, and a save from a form whose
 * draft changed since (another save, 一键脱敏) is refused. Attachments are left out: uploading one (or an image from
 * the editor) while the form is open changes nothing the form sends.
 */
export function draftStamp(content: RecordContent): string {
  const { attachmentIds: _attachments, ...rest } = content;
  return contentStamp(rest);
}

/**
 * Edits the open draft revision. Before the first publication the record row mirrors the draft. `stamp` (draftStamp
 * of the revision when the form was opened) refuses a save over someone else's later save; `revisionStamps` (the
 * API's If-Match: revisionStamp of the revision read, any of which may match) does the same, attachments included.
 * @throws record_not_found | record_invalid_transition | record_conflict | forbidden | validation_failed
 */
export async function updateDraft(
  deps: Deps,
  actor: StaffActor,
  agencyId: string,
  recordId: string,
  input: ContentInput,
  options: { changeNote?: string; stamp?: string; revisionStamps?: readonly string[] } = {},
): Promise<void> {
  const today = deps.clock.today();
  await withRecord(deps, agencyId, recordId, "record.updated", async (trx, record, revision) => {
    assertCan(actor, "record.draft", agencyId, record.department_id);
    if (revision.status !== "draft")
      throw new AppError("record_invalid_transition", "只有起草中的版本可以修改；请先退回或新建修订版本。");
    // The form was opened before another save of this draft: saving it would silently undo that save.
    if (options.stamp !== undefined && options.stamp !== draftStamp(revision.content))
      throw new AppError("record_conflict");
    if (
      options.revisionStamps !== undefined &&
      !options.revisionStamps.includes(revisionStamp(revision.revision_no, revision.content))
    )
      throw new AppError("record_conflict");
    const { content, text } = await buildContent(trx, agencyId, revision.content, input, recordId, today);
    await assertCanDraftFor(trx, actor, agencyId, content.departmentId);
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
      deps.audit,
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
  actor: StaffActor,
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
      deps.audit,
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
