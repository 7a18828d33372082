/**
 * @module 一键脱敏: masks one personal-data finding of a record's open revision (draft, submitted, reviewed or
 * approved) in the format of masking.rules.ts — every occurrence of the value in the title, summary or body (HTML
 * and its plain text), or in an attachment's extracted text. A masked attachment is published as its masked text;
 * its original file stays in storage for the record and is served to staff only (getPublishedAttachment).
 *
 * 条例第15条 (个人隐私), 个人信息保护法第51条 (去标识化). Each mask is a workflow event and an audit entry naming the
 * kind, the place and the masked form — never the value itself.
 */

import { createHash } from "node:crypto";
import type { StaffActor } from "../accounts/policy.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { maskAttachmentText } from "./masking.repository.ts";
import { type MaskKind, maskValue, replaceAll } from "./masking.rules.ts";
import { PERSONAL_DATA_LABELS } from "./personal-data.rules.ts";
import { findAttachments, updateRecord, updateRevision } from "./record.repository.ts";
import { assertCan, contentColumns, logEvent, uid, withRecord } from "./record.service.ts";
import type { RecordAttachmentRow, RecordContent, RevisionStatus } from "./record.table.ts";
import { bodyText } from "./record-html.ts";
import { scanContent } from "./record-scan.service.ts";

/** The finding to mask, as listed on the record page (kind, where, offset and length in the scanned text). */
export interface MaskRequest {
  kind: MaskKind;
  source: string;
  start: number;
  length: number;
}

/** Revisions a mask may change: not yet published (a published revision is changed by a new revision). */
const MASKABLE: readonly RevisionStatus[] = ["draft", "submitted", "reviewed", "approved"];

/**
 * Masks one finding. Throws record_mask_finding_gone when the finding is no longer in the text (masked or edited
 * meanwhile), record_mask_not_applicable when the body's HTML does not contain the value as one piece of text.
 */
export async function maskFinding(
  deps: Deps,
  actor: StaffActor,
  agencyId: string,
  recordId: string,
  request: MaskRequest,
): Promise<{ kind: MaskKind; place: string; masked: string; occurrences: number }> {
  return withRecord(deps, agencyId, recordId, "record.updated", async (trx, record, revision) => {
    assertCan(actor, "record.mask", agencyId, record.department_id);
    if (!MASKABLE.includes(revision.status))
      throw new AppError(
        "record_invalid_transition",
        "已发布的版本不能直接脱敏：请新建修订版本，脱敏后重新审核发布。",
      );
    const findings = await scanContent(trx, agencyId, revision.content, revision.body_text);
    const finding = findings.find(
      (f) =>
        f.kind === request.kind &&
        f.source === request.source &&
        f.start === request.start &&
        f.length === request.length,
    );
    if (!finding) throw new AppError("record_mask_finding_gone");
    const content: RecordContent = { ...revision.content };
    let text = revision.body_text;
    /** The value at the finding's place in `whole`, its mask, and `whole` with every occurrence masked. */
    const apply = (whole: string, scanned: string = whole) => {
      const raw = scanned.slice(finding.start, finding.start + finding.length);
      const value = maskValue(request.kind, raw);
      if (value === null) throw new AppError("record_mask_finding_gone");
      return { raw, masked: value, ...replaceAll(whole, raw, value) };
    };
    let done: { masked: string; count: number };
    const now = deps.clock.now();
    if (request.source.startsWith("attachment:")) {
      const attachmentId = request.source.slice("attachment:".length);
      const [attachment] = await findAttachments(trx, agencyId, [attachmentId]);
      if (!attachment) throw new AppError("attachment_not_found");
      const r = apply(attachment.extracted_text);
      await maskAttachmentText(trx, agencyId, attachmentId, r.text, uid(actor), now);
      done = r;
    } else {
      if (request.source === "title") {
        const r = apply(content.title);
        content.title = r.text;
        done = r;
      } else if (request.source === "summary") {
        const r = apply(content.summary);
        content.summary = r.text;
        done = r;
      } else if (request.source === "body") {
        const r = apply(content.bodyHtml, text);
        const nextText = bodyText(r.text);
        // The value must stand in the HTML as one piece of text (not split by tags or written with entities).
        if (r.count === 0 || nextText.includes(r.raw)) throw new AppError("record_mask_not_applicable");
        content.bodyHtml = r.text;
        text = nextText;
        done = r;
      } else throw new AppError("record_mask_finding_gone");
      await updateRevision(trx, agencyId, recordId, revision.revision_no, {
        content: JSON.stringify(content),
        body_text: text,
        updated_at: now,
      });
      if (record.current_revision_no === null)
        await updateRecord(trx, agencyId, recordId, { ...contentColumns(content, text), updated_at: now });
    }
    const { masked, count: occurrences } = done;
    const label = PERSONAL_DATA_LABELS[request.kind];
    await logEvent(
      trx,
      deps.audit,
      actor,
      { ...record, title: content.title },
      revision.revision_no,
      "mask",
      null,
      null,
      null,
      `一键脱敏：《${content.title}》${finding.place}中的${label}（${occurrences}处）`,
      // What was masked, where and into what: never the value itself.
      { after: { kind: request.kind, source: request.source, place: finding.place, masked, occurrences } },
    );
    return { kind: request.kind, place: finding.place, masked, occurrences };
  });
}

/**
 * What the public downloads for a masked attachment: its masked text as a UTF-8 .txt derivative (the original file
 * stays in storage for the record and is served to staff only).
 */
export function maskedAttachmentFile(attachment: RecordAttachmentRow): {
  attachment: RecordAttachmentRow;
  data: Buffer;
} {
  const data = Buffer.from(attachment.extracted_text, "utf8");
  return {
    data,
    attachment: {
      ...attachment,
      file_name: maskedFileName(attachment.file_name),
      mime_type: "text/plain; charset=utf-8",
      file_type: "txt",
      size_bytes: data.length,
      sha256: createHash("sha256").update(data).digest("hex"),
    },
  };
}

/** `通知.pdf` → `通知（脱敏文本）.txt`. */
export function maskedFileName(fileName: string): string {
  return `${fileName.replace(/\.[^.]+$/, "")}（脱敏文本）.txt`;
}
