/**
 * @module The personal-data scan of record content before review and publication (条例第15条): findings, their
 * acknowledgement, and the error that lists them.
 */
import type { DbOrTx } from "../db/database.ts";
import { AppError } from "../errors.ts";
import { findingContext, lineColumn, PERSONAL_DATA_LABELS, scanPersonalData } from "./personal-data.rules.ts";
import { findAttachments } from "./record.repository.ts";
import type { RecordContent, StoredFinding } from "./record.table.ts";

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

export function findingsError(findings: FindingView[]): AppError {
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

export function toStored(findings: FindingView[]): StoredFinding[] {
  return findings.map(({ kind, source, start, length, masked }) => ({ kind, source, start, length, masked }));
}
