/**
 * @module SQL of 一键脱敏: an attachment's masked text (the original file stays in storage).
 */
import type { DbOrTx } from "../db/database.ts";

/** Replaces an attachment's extracted text by its masked version and marks the attachment masked. */
export async function maskAttachmentText(
  db: DbOrTx,
  agencyId: string,
  attachmentId: string,
  text: string,
  by: string | null,
  at: Date,
): Promise<void> {
  await db
    .updateTable("record_attachments")
    .set({ extracted_text: text, masked_at: at, masked_by: by })
    .where("agency_id", "=", agencyId)
    .where("id", "=", attachmentId)
    .execute();
}
