/**
 * @module What the applicant's secure page shows and does: plain status, what to correct and the online 补正
 * (restarting the clock through the same step as a 补正 received at the counter), the notices issued to the
 * applicant, and — for 在线查看 / 电子文档 — the disclosed files once the reply is made. Reads and downloads are
 * logged (applicant-access.service.ts); the 补正 is audited by the step runner.
 */

import { type Actor, systemActor } from "../accounts/policy.ts";
import type { Deps } from "../deps.ts";
import { AppError, validationError } from "../errors.ts";
import { isUuid } from "../shared/ids.ts";
import { unsafeTextProblem, visibleLength } from "./applicant.rules.ts";
import type { ApplicantContext } from "./applicant-access.service.ts";
import { logApplicantAccess } from "./applicant-access.service.ts";
import type { RequestFileRow } from "./applicant-online.table.ts";
import { receiveCorrection } from "./handling.service.ts";
import type { InfoRequestRow, NoticeRow } from "./info-request.table.ts";
import { type PublicStatus, publicStatusOf } from "./info-request-query.service.ts";
import { type RenderedNotice, renderStoredNotice } from "./notices.service.ts";
import {
  type CheckedFile,
  checkRequestFile,
  MAX_CORRECTION_FILES,
  readRequestFile,
  requestFiles,
} from "./request-files.service.ts";
import { listCorrections, listNotices } from "./request-steps.repository.ts";

/** Notices addressed to the applicant (the consultation letter goes to the third party). */
const APPLICANT_NOTICE = (n: NoticeRow) => n.kind !== "consultation";

/** 在线查看 / 电子文档: the disclosed files are offered on the page once the application is answered. */
export function disclosedFilesVisible(row: Pick<InfoRequestRow, "status" | "delivery" | "form">): boolean {
  return (
    (row.status === "concluded" || row.status === "archived") &&
    (row.delivery === "online" || row.delivery === "email" || row.form === "electronic")
  );
}

export interface ApplicantPage {
  requestId: string;
  status: PublicStatus;
  notices: { id: string; title: string; docNumber: string; issuedOn: string }[];
  disclosed: RequestFileRow[];
  /** The applicant may submit the 补正 here now (a 补正 is pending). */
  canCorrect: boolean;
  /** 补正 already submitted online: what was sent. */
  submitted: { text: string | null; at: Date; files: RequestFileRow[] } | null;
}

export async function applicantPage(deps: Deps, c: ApplicantContext): Promise<ApplicantPage> {
  const [status, notices, files, corrections] = await Promise.all([
    publicStatusOf(deps, c.row),
    listNotices(deps.db, c.agency.id, c.row.id),
    requestFiles(deps, c.agency.id, c.row.id),
    listCorrections(deps.db, c.agency.id, c.row.id),
  ]);
  const last = corrections[corrections.length - 1];
  await logApplicantAccess(deps, c, "view");
  return {
    requestId: c.row.id,
    status,
    notices: notices
      .filter(APPLICANT_NOTICE)
      .map((n) => ({ id: n.id, title: n.title, docNumber: n.doc_number, issuedOn: n.issued_on })),
    disclosed: disclosedFilesVisible(c.row) ? files.filter((f) => f.purpose === "disclosure") : [],
    canCorrect: c.row.status === "correction",
    submitted: last?.submitted_online_at
      ? {
          text: last.online_text ?? null,
          at: last.submitted_online_at,
          files: files.filter((f) => f.purpose === "correction"),
        }
      : null,
  };
}

/**
 * The applicant submits the 补正 online: text and/or attachments (checked before anything is saved), received
 * today; the reply period restarts exactly as for a 补正 received at the counter (receiveCorrection).
 * @throws AppError validation_failed | info_request_invalid_state | upload_rejected | payload_too_large | document_*
 */
export async function submitOnlineCorrection(
  deps: Deps,
  c: ApplicantContext,
  input: { text: unknown; files: { fileName: string; data: Buffer }[] },
): Promise<void> {
  const typed = typeof input.text === "string" ? input.text.trim() : "";
  const unsafe = unsafeTextProblem(typed, "补正内容", true);
  if (unsafe) throw validationError([{ field: "text", message: unsafe }]);
  // Spaces and zero-width characters only are no 补正 (they would restart the reply period on nothing).
  const text = visibleLength(typed) === 0 ? "" : typed;
  if (text.length > 5000) throw validationError([{ field: "text", message: "补正内容不超过5000字" }]);
  if (input.files.length > MAX_CORRECTION_FILES)
    throw validationError([{ field: "files", message: `附件最多${MAX_CORRECTION_FILES}个` }]);
  if (text === "" && input.files.length === 0)
    throw validationError([{ field: "text", message: "请填写补正内容或上传补正材料" }]);
  if (c.row.status !== "correction")
    throw new AppError("info_request_invalid_state", "该申请目前不需要补正，或补正已经提交。");
  const checked: CheckedFile[] = [];
  for (const f of input.files) checked.push(await checkRequestFile(deps, f));
  const actor: Actor = systemActor("申请人（在线提交）", c.ip);
  await receiveCorrection(deps, c.agency, c.row.id, c.row.version, actor, {
    receivedOn: deps.clock.today(),
    online: { text: text || null, files: checked },
  });
}

/**
 * A notice issued to the applicant, rendered with their name (logged as a download).
 * @throws AppError not_found
 */
export async function applicantNotice(
  deps: Deps,
  c: ApplicantContext,
  noticeId: string,
): Promise<RenderedNotice> {
  if (!isUuid(noticeId)) throw new AppError("not_found");
  const rendered = await renderStoredNotice(deps, c.agency, noticeId, systemActor("申请人", c.ip));
  if (rendered.notice.request_id !== c.row.id || !APPLICANT_NOTICE(rendered.notice))
    throw new AppError("not_found");
  await logApplicantAccess(deps, c, "notice", `${rendered.notice.title} ${rendered.notice.doc_number}`);
  return rendered;
}

/**
 * A file the applicant may download: a disclosed file once visible, or an attachment of their own online 补正.
 * @throws AppError not_found
 */
export async function applicantFile(
  deps: Deps,
  c: ApplicantContext,
  fileId: string,
): Promise<{ file: RequestFileRow; data: Buffer }> {
  const found = await readRequestFile(deps, c.agency.id, c.row.id, fileId);
  const allowed =
    found.file.purpose === "correction" ||
    (found.file.purpose === "disclosure" && disclosedFilesVisible(c.row));
  if (!allowed) throw new AppError("not_found");
  await logApplicantAccess(deps, c, "file", found.file.file_name);
  return found;
}
