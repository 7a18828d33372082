/**
 * @module A record's attachments (adding with inspection and text extraction, removing) and its channel log
 * (同步发布渠道: where and when it was also published, with evidence).
 */
import type { StaffActor } from "../accounts/policy.ts";
import type { Deps } from "../deps.ts";
import { AppError, type FieldError, validationError } from "../errors.ts";
import { storeUpload } from "./attachment.service.ts";
import { isPublished } from "./published.read.ts";
import {
  findRecord,
  insertAttachment,
  insertChannel,
  updateRecord,
  updateRevision,
} from "./record.repository.ts";
import { assertCan, logEvent, uid, withRecord } from "./record.service.ts";
import type { RecordAttachmentRow, RecordChannelRow } from "./record.table.ts";

// ---------------------------------------------------------------------------------------------------------------
// Attachments and channels
// ---------------------------------------------------------------------------------------------------------------

/** Stores a file and adds it to the open draft revision. */
export async function addAttachment(
  deps: Deps,
  actor: StaffActor,
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
      deps.audit,
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
  actor: StaffActor,
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
    await logEvent(
      trx,
      deps.audit,
      actor,
      record,
      revision.revision_no,
      "detach",
      null,
      null,
      null,
      `删除附件`,
      {
        after: { attachmentId },
      },
    );
  });
}

/** Logs publication through another channel (两微一端, 公示栏 …) with date and evidence. */
export async function logChannel(
  deps: Deps,
  actor: StaffActor,
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
    if (!isPublished(record.status))
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
      deps.audit,
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
