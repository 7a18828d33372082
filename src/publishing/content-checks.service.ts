/**
 * @module 强制检测: the agency's lists (sensitive words, leaders' terms) and the checks of a record's content before
 * sign-off (审签/发布 refuse blocking findings: record_content_check_blocked). The lists are kept by the agency's
 * 政务公开办 (`checks.manage`); every change is audited.
 */
import type { StaffActor } from "../accounts/policy.ts";
import type { DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { AppError, type FieldError, validationError } from "../errors.ts";
import { isUuid } from "../shared/ids.ts";
import {
  deleteLeader,
  deleteWord,
  insertLeader,
  listLeaders,
  listWords,
  upsertWords,
} from "./content-checks.repository.ts";
import {
  type CheckSeverity,
  type ContentFinding,
  checkLeaderTitles,
  findSensitiveWords,
  type LeaderTerm,
} from "./content-checks.rules.ts";
import type { AgencyLeaderRow, SensitiveWordRow } from "./content-checks.table.ts";
import { lineColumn } from "./personal-data.rules.ts";
import { findAttachments } from "./record.repository.ts";
import { assertCan, uid } from "./record.service.ts";
import type { RecordContent, RecordRevisionRow } from "./record.table.ts";
import { type FindingView, scanContent } from "./record-scan.service.ts";

export interface CheckLists {
  words: SensitiveWordRow[];
  leaders: AgencyLeaderRow[];
}

export async function getCheckLists(db: DbOrTx, agencyId: string): Promise<CheckLists> {
  const [words, leaders] = await Promise.all([listWords(db, agencyId), listLeaders(db, agencyId)]);
  return { words, leaders };
}

export interface CheckFindingView extends ContentFinding {
  place: string;
  line: number;
  column: number;
}

/** The texts a record is checked in: title, summary, body and each attachment's extracted text. */
export interface CheckedText {
  place: string;
  text: string;
}

/** Runs both checks over texts with the agency's lists, on the record's date (成文日期). */
export function checkTexts(lists: CheckLists, texts: CheckedText[], onDate: string): CheckFindingView[] {
  const words = lists.words.map((w) => ({ word: w.word, severity: w.severity }));
  const terms: LeaderTerm[] = lists.leaders.map((l) => ({
    name: l.name,
    title: l.title,
    validFrom: l.valid_from,
    validTo: l.valid_to,
  }));
  const out: CheckFindingView[] = [];
  for (const t of texts) {
    for (const f of [...findSensitiveWords(t.text, words), ...checkLeaderTitles(t.text, terms, onDate)]) {
      out.push({ ...f, place: t.place, ...lineColumn(t.text, f.start) });
    }
  }
  return out;
}

/** Checks a content snapshot (the open revision) with the agency's current lists. */
export async function checkRecordContent(
  db: DbOrTx,
  agencyId: string,
  content: RecordContent,
  text: string,
): Promise<CheckFindingView[]> {
  const lists = await getCheckLists(db, agencyId);
  if (lists.words.length === 0 && lists.leaders.length === 0) return [];
  const attachments = await findAttachments(db, agencyId, content.attachmentIds);
  return checkTexts(
    lists,
    [
      { place: "标题", text: content.title },
      { place: "内容概述", text: content.summary },
      { place: "正文", text },
      ...attachments.map((a) => ({ place: `附件《${a.file_name}》`, text: a.extracted_text })),
    ],
    content.formedDate,
  );
}

/**
 * What the record page lists for a revision not yet published: personal-data findings (each with 一键脱敏) and the
 * findings of the agency's lists. A published revision lists none (it is changed through a new revision).
 */
export async function openRevisionChecks(
  db: DbOrTx,
  agencyId: string,
  rev: Pick<RecordRevisionRow, "status" | "content" | "body_text">,
): Promise<{ findings: FindingView[]; checks: CheckFindingView[] }> {
  if (rev.status === "published" || rev.status === "superseded") return { findings: [], checks: [] };
  const [findings, checks] = await Promise.all([
    scanContent(db, agencyId, rev.content, rev.body_text),
    checkRecordContent(db, agencyId, rev.content, rev.body_text),
  ]);
  return { findings, checks };
}

/** 审签/发布 refused: the blocking findings, each with where it is. */
export function contentCheckError(blocking: CheckFindingView[]): AppError {
  const listed = blocking
    .slice(0, 5)
    .map((f) => `${f.message}（${f.place}第${f.line}行）`)
    .join("；");
  return new AppError(
    "record_content_check_blocked",
    `发布前检测发现${blocking.length}处须改正的问题：${listed}${blocking.length > 5 ? "等" : ""}。请退回起草人修改后再审签。`,
    {
      details: {
        findings: blocking.map((f) => ({
          kind: f.kind,
          place: f.place,
          line: f.line,
          column: f.column,
          found: f.found,
          message: f.message,
        })),
      },
    },
  );
}

/** Throws record_content_check_blocked when the content has blocking findings. */
export async function assertContentChecksPass(
  db: DbOrTx,
  agencyId: string,
  content: RecordContent,
  text: string,
): Promise<void> {
  const blocking = (await checkRecordContent(db, agencyId, content, text)).filter(
    (f) => f.severity === "block",
  );
  if (blocking.length > 0) throw contentCheckError(blocking);
}

// ---------------------------------------------------------------------------------------------------------------
// The lists
// ---------------------------------------------------------------------------------------------------------------

const SEVERITY_WORDS: Record<string, CheckSeverity> = {
  block: "block",
  禁用: "block",
  阻断: "block",
  warn: "warn",
  慎用: "warn",
  提示: "warn",
};

/**
 * Parses the words box: one word per line, optionally `词语,禁用|慎用` (a CSV export of another system's list
 * works too: extra columns are ignored). Lines without a severity take `fallback`.
 */
export function parseWordLines(
  text: string,
  fallback: CheckSeverity,
): { words: { word: string; severity: CheckSeverity }[]; errors: FieldError[] } {
  const words = new Map<string, CheckSeverity>();
  const errors: FieldError[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const [rawWord = "", rawSeverity = ""] = line.split(/[,，\t]/).map((c) => c.trim().replace(/^"|"$/g, ""));
    if (rawWord === "" || rawWord === "词语" || rawWord === "word") return;
    if (rawWord.length > 50) errors.push({ field: "words", message: `第${i + 1}行的词语超过50个字` });
    else words.set(rawWord, SEVERITY_WORDS[rawSeverity] ?? fallback);
  });
  if (words.size === 0 && errors.length === 0) errors.push({ field: "words", message: "请填写至少一个词语" });
  return { words: [...words].map(([word, severity]) => ({ word, severity })), errors };
}

export async function addWords(
  deps: Deps,
  actor: StaffActor,
  agencyId: string,
  input: { words: string; severity: string },
): Promise<number> {
  assertCan(actor, "checks.manage", agencyId);
  const fallback = SEVERITY_WORDS[input.severity];
  const parsed = parseWordLines(input.words, fallback ?? "warn");
  if (!fallback) parsed.errors.push({ field: "severity", message: "请选择“禁用”或“慎用”" });
  if (parsed.errors.length > 0) throw validationError(parsed.errors);
  return deps.db.transaction().execute(async (trx) => {
    const n = await upsertWords(
      trx,
      agencyId,
      parsed.words.map((w) => ({ ...w, note: "" })),
    );
    await deps.audit.record(trx, {
      actorId: uid(actor),
      actorName: actor.user.displayName,
      ip: actor.ip ?? null,
      action: "content_checks.words_add",
      agencyId,
      entityType: "sensitive_word",
      entityId: null,
      summary: `登记敏感词${n}个`,
      after: { words: parsed.words },
    });
    return n;
  });
}

export async function removeWord(deps: Deps, actor: StaffActor, agencyId: string, id: string): Promise<void> {
  assertCan(actor, "checks.manage", agencyId);
  await deps.db.transaction().execute(async (trx) => {
    const row = isUuid(id) ? await deleteWord(trx, agencyId, id) : undefined;
    if (!row) throw new AppError("content_check_entry_not_found");
    await deps.audit.record(trx, {
      actorId: uid(actor),
      actorName: actor.user.displayName,
      ip: actor.ip ?? null,
      action: "content_checks.word_remove",
      agencyId,
      entityType: "sensitive_word",
      entityId: row.id,
      summary: `删除敏感词「${row.word}」`,
      before: { word: row.word, severity: row.severity },
    });
  });
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export async function addLeader(
  deps: Deps,
  actor: StaffActor,
  agencyId: string,
  input: { name: string; title: string; validFrom: string; validTo: string },
): Promise<void> {
  assertCan(actor, "checks.manage", agencyId);
  const name = input.name.trim();
  const title = input.title.trim();
  const errors: FieldError[] = [];
  if (name === "" || name.length > 20) errors.push({ field: "name", message: "请填写姓名（20字以内）" });
  if (title === "" || title.length > 30) errors.push({ field: "title", message: "请填写职务（30字以内）" });
  if (input.validFrom !== "" && !DATE.test(input.validFrom))
    errors.push({ field: "validFrom", message: "请按“年-月-日”填写任职起始日期" });
  if (input.validTo !== "" && !DATE.test(input.validTo))
    errors.push({ field: "validTo", message: "请按“年-月-日”填写任职终止日期" });
  if (
    errors.length === 0 &&
    input.validFrom !== "" &&
    input.validTo !== "" &&
    input.validFrom > input.validTo
  )
    errors.push({ field: "validTo", message: "终止日期不能早于起始日期" });
  if (errors.length > 0) throw validationError(errors);
  await deps.db.transaction().execute(async (trx) => {
    const row = await insertLeader(trx, {
      agency_id: agencyId,
      name,
      title,
      valid_from: input.validFrom || null,
      valid_to: input.validTo || null,
    });
    await deps.audit.record(trx, {
      actorId: uid(actor),
      actorName: actor.user.displayName,
      ip: actor.ip ?? null,
      action: "content_checks.leader_add",
      agencyId,
      entityType: "agency_leader",
      entityId: row.id,
      summary: `登记领导职务：${name}（${title}）`,
      after: { name, title, validFrom: row.valid_from, validTo: row.valid_to },
    });
  });
}

export async function removeLeader(
  deps: Deps,
  actor: StaffActor,
  agencyId: string,
  id: string,
): Promise<void> {
  assertCan(actor, "checks.manage", agencyId);
  await deps.db.transaction().execute(async (trx) => {
    const row = isUuid(id) ? await deleteLeader(trx, agencyId, id) : undefined;
    if (!row) throw new AppError("content_check_entry_not_found");
    await deps.audit.record(trx, {
      actorId: uid(actor),
      actorName: actor.user.displayName,
      ip: actor.ip ?? null,
      action: "content_checks.leader_remove",
      agencyId,
      entityType: "agency_leader",
      entityId: row.id,
      summary: `删除领导职务：${row.name}（${row.title}）`,
      before: { name: row.name, title: row.title, validFrom: row.valid_from, validTo: row.valid_to },
    });
  });
}
