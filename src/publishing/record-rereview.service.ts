/**
 * @module Re-review queue (评估审查, 条例第18条) of withheld records: every record whose 公开属性 is 不予公开 or
 * 依申请公开 (and that is not withdrawn) has a next review date (record-rereview.rules.ts). Staff with record.review
 * record a review (who, when, conclusion, reason); concluding 转为主动公开 needs record.approve and sets the latest
 * (draft) revision's 公开属性 to 主动公开, after which the record goes through the normal workflow
 * (提交 → 审核 → 审签 → 发布; a 主动公开 record needs a catalog item before it can be submitted).
 */
import { sql } from "kysely";
import { type Action, can, type StaffActor } from "../accounts/policy.ts";
import type { Db, DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { AppError, validationError } from "../errors.ts";
import { findRevision, insertEvent, lockRecord, updateRecord, updateRevision } from "./record.repository.ts";
import type { DisclosureAttribute, RereviewConclusion } from "./record.table.ts";
import {
  DEFAULT_REREVIEW_MONTHS,
  needsRereview,
  nextRereviewDate,
  REREVIEW_CONCLUSIONS,
  type RereviewState,
  rereviewState,
} from "./record-rereview.rules.ts";

export interface RereviewEntry {
  recordId: string;
  title: string;
  docNumber: string;
  disclosure: DisclosureAttribute;
  nonDisclosureReason: string;
  formedDate: string;
  lastReview: { on: string; by: string; conclusion: RereviewConclusion; reason: string } | null;
  nextDate: string;
  state: RereviewState;
}

export interface RereviewHistoryEntry {
  id: string;
  recordId: string;
  reviewedOn: string;
  reviewerName: string;
  conclusion: RereviewConclusion;
  reason: string;
}

/** The agency's re-review interval in months (publishing_settings; default 12). */
export async function rereviewIntervalMonths(db: DbOrTx, agencyId: string): Promise<number> {
  const row = await db
    .selectFrom("publishing_settings")
    .select("rereview_interval_months")
    .where("agency_id", "=", agencyId)
    .executeTakeFirst();
  return row?.rereview_interval_months ?? DEFAULT_REREVIEW_MONTHS;
}

/** Sets the agency's re-review interval (1–60 months), audited as agency.manage. */
export async function setRereviewInterval(
  deps: Pick<Deps, "db" | "audit">,
  actor: StaffActor,
  agencyId: string,
  months: number,
) {
  if (!can(actor.user, "agency.manage", { agencyId })) throw new AppError("forbidden");
  if (!Number.isInteger(months) || months < 1 || months > 60)
    throw validationError([{ field: "intervalMonths", message: "评估审查周期应为1至60个月的整数" }]);
  await deps.db.transaction().execute(async (trx) => {
    const before = await rereviewIntervalMonths(trx, agencyId);
    // index_template and notify_emails keep their column defaults when the agency has no settings row yet.
    await sql`
      INSERT INTO publishing_settings (agency_id, index_code_is_demo, rereview_interval_months)
      VALUES (${agencyId}, false, ${months})
      ON CONFLICT (agency_id) DO UPDATE SET rereview_interval_months = ${months}, updated_at = now()`.execute(
      trx,
    );
    await deps.audit.record(trx, {
      actorId: actor.user.id || null,
      actorName: actor.user.displayName,
      ip: actor.ip ?? null,
      action: "agency.manage",
      agencyId,
      entityType: "publishing_settings",
      entityId: agencyId,
      summary: `修改不予公开信息评估审查周期为${months}个月`,
      before: { rereviewIntervalMonths: before },
      after: { rereviewIntervalMonths: months },
    });
  });
}

/** The re-review queue of an agency on `today`, most urgent first. */
export async function listRereviewQueue(
  db: DbOrTx,
  agencyId: string,
  today: string,
): Promise<RereviewEntry[]> {
  const interval = await rereviewIntervalMonths(db, agencyId);
  const records = await db
    .selectFrom("records")
    .select(["id", "title", "doc_number", "disclosure", "non_disclosure_reason", "formed_date"])
    .where("agency_id", "=", agencyId)
    .where("disclosure", "in", ["不予公开", "依申请公开"])
    .where("status", "<>", "withdrawn")
    .execute();
  if (records.length === 0) return [];
  const reviews = await db
    .selectFrom("record_rereviews")
    .select(["record_id", "reviewed_on", "reviewer_name", "conclusion", "reason", "created_at"])
    .where("agency_id", "=", agencyId)
    .where(
      "record_id",
      "in",
      records.map((r) => r.id),
    )
    .orderBy("reviewed_on", "desc")
    .orderBy("created_at", "desc")
    .execute();
  const last = new Map<string, (typeof reviews)[number]>();
  for (const r of reviews) if (!last.has(r.record_id)) last.set(r.record_id, r);
  return records
    .filter((r) => needsRereview(r.disclosure))
    .map((r) => {
      const l = last.get(r.id);
      const nextDate = nextRereviewDate(r.formed_date, l?.reviewed_on ?? null, interval);
      return {
        recordId: r.id,
        title: r.title,
        docNumber: r.doc_number,
        disclosure: r.disclosure,
        nonDisclosureReason: r.non_disclosure_reason,
        formedDate: r.formed_date,
        lastReview: l
          ? { on: l.reviewed_on, by: l.reviewer_name, conclusion: l.conclusion, reason: l.reason }
          : null,
        nextDate,
        state: rereviewState(nextDate, today),
      };
    })
    .sort((a, b) =>
      a.nextDate < b.nextDate ? -1 : a.nextDate > b.nextDate ? 1 : a.title.localeCompare(b.title),
    );
}

/** Number of overdue re-reviews (compliance view). */
export async function countOverdueRereviews(db: DbOrTx, agencyId: string, today: string): Promise<number> {
  return (await listRereviewQueue(db, agencyId, today)).filter((e) => e.state === "overdue").length;
}

/** Recorded re-reviews of an agency, newest first. */
export async function listRereviewHistory(
  db: DbOrTx,
  agencyId: string,
  limit = 50,
): Promise<RereviewHistoryEntry[]> {
  const rows = await db
    .selectFrom("record_rereviews")
    .select(["id", "record_id", "reviewed_on", "reviewer_name", "conclusion", "reason"])
    .where("agency_id", "=", agencyId)
    .orderBy("reviewed_on", "desc")
    .orderBy("created_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    recordId: r.record_id,
    reviewedOn: r.reviewed_on,
    reviewerName: r.reviewer_name,
    conclusion: r.conclusion,
    reason: r.reason,
  }));
}

/** The action a conclusion needs: keeping the record withheld is record.review; releasing it is record.approve. */
export function actionForConclusion(conclusion: RereviewConclusion): Action {
  return conclusion === "转为主动公开" ? "record.approve" : "record.review";
}

/**
 * Records a 条例第18条 re-review on `today`. 转为主动公开 changes the latest revision's 公开属性 to 主动公开 (the revision
 * must be a draft) so the record enters the normal workflow.
 */
export async function recordRereview(
  deps: Pick<Deps, "db" | "events" | "audit">,
  actor: StaffActor,
  agencyId: string,
  recordId: string,
  input: { conclusion: string; reason: string },
  today: string,
): Promise<void> {
  const errors = [];
  const conclusion = input.conclusion as RereviewConclusion;
  if (!REREVIEW_CONCLUSIONS.includes(conclusion))
    errors.push({ field: "conclusion", message: "请选择评估结论：维持不予公开或转为主动公开" });
  const reason = input.reason.trim();
  if (reason === "") errors.push({ field: "reason", message: "请填写评估理由（情势是否变化及依据）" });
  else if (reason.length > 1000) errors.push({ field: "reason", message: "评估理由不能超过1000个字" });
  if (errors.length) throw validationError(errors);
  if (!can(actor.user, actionForConclusion(conclusion), { agencyId })) throw new AppError("forbidden");

  await (deps.db as Db).transaction().execute(async (trx) => {
    const record = await lockRecord(trx, agencyId, recordId);
    if (!record) throw new AppError("record_not_found");
    if (!needsRereview(record.disclosure) || record.status === "withdrawn")
      throw new AppError("record_invalid_transition", "该信息不属于需要定期评估审查的不予公开信息。");
    const revision = await findRevision(trx, agencyId, recordId, record.latest_revision_no);
    if (!revision) throw new AppError("record_not_found");
    const actorId = actor.user.id || null;
    await trx
      .insertInto("record_rereviews")
      .values({
        agency_id: agencyId,
        record_id: recordId,
        reviewed_on: today,
        reviewed_by: actorId,
        reviewer_name: actor.user.displayName,
        conclusion,
        reason,
      })
      .execute();
    if (conclusion === "转为主动公开") {
      if (revision.status !== "draft")
        throw new AppError(
          "record_invalid_transition",
          "该信息的最新版本不在起草环节，请先退回为起草状态再转为主动公开。",
        );
      const content = { ...revision.content, disclosure: "主动公开" as const, nonDisclosureReason: "" };
      await updateRevision(trx, agencyId, recordId, revision.revision_no, {
        content: JSON.stringify(content),
        updated_at: new Date(),
      });
      if (record.current_revision_no === null)
        await updateRecord(trx, agencyId, recordId, { disclosure: "主动公开", non_disclosure_reason: "" });
      await insertEvent(trx, {
        agency_id: agencyId,
        record_id: recordId,
        revision_no: revision.revision_no,
        action: "rereview",
        from_status: revision.status,
        to_status: revision.status,
        actor_id: actorId,
        actor_name: actor.user.displayName,
        reason,
      });
    }
    await deps.audit.record(trx, {
      actorId,
      actorName: actor.user.displayName,
      ip: actor.ip ?? null,
      action: conclusion === "转为主动公开" ? "record.approve" : "record.review",
      agencyId,
      entityType: "record",
      entityId: recordId,
      summary: `评估审查《${record.title}》：${conclusion}（条例第18条）`,
      before: { disclosure: record.disclosure },
      after: {
        disclosure: conclusion === "转为主动公开" ? "主动公开" : record.disclosure,
        conclusion,
        reason,
        reviewedOn: today,
      },
    });
  });
  deps.events.emit("record.updated", { agencyId, recordId });
}
