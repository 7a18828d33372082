/**
 * @module Scheduled publication (定时发布) and scheduled withdrawal (定时下线/废止). A publisher sets the instant an
 * approved revision goes live, or when a published record comes off the portal (with the reason, e.g. the document
 * was repealed); the job `publishing.scheduled` (publishing.jobs.ts) runs every minute and applies what is due
 * through the ordinary workflow (advanceRecord / withdrawRecord), so the 索引号, the deadline measurement, the
 * events (page caches of every process drop the agency's pages) and the audit trail are the same as by hand. The
 * run is recorded in the name of the person who set the schedule. Publishing, withdrawing or sending back by hand
 * clears the schedule it makes pointless.
 */

import { type StaffActor, staffActor } from "../accounts/policy.ts";
import { listAgenciesByName } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { AppError, isAppError, validationError } from "../errors.ts";
import { shanghaiDateTime } from "../shared/clock.ts";
import { assertContentChecksPass } from "./content-checks.service.ts";
import { deliverNotices } from "./notification.service.ts";
import { adminRecordPath } from "./record.paths.ts";
import { updateRecord } from "./record.repository.ts";
import { canApplyStep } from "./record.rules.ts";
import { assertCan, logEvent, requireReason, uid, withRecord } from "./record.service.ts";
import { findingsError, scanContent } from "./record-scan.service.ts";
import {
  CLEAR_PUBLISH_SCHEDULE,
  CLEAR_WITHDRAW_SCHEDULE,
  type DueSchedule,
  dueSchedules,
} from "./record-schedule.repository.ts";
import { checkScheduleTime } from "./record-schedule.rules.ts";
import { advanceRecord, withdrawRecord } from "./record-workflow.service.ts";

/** 定时发布: the approved revision goes live at `atText` (Beijing time). */
export async function schedulePublication(
  deps: Deps,
  actor: StaffActor,
  agencyId: string,
  recordId: string,
  atText: string,
  piiOverrideReason = "",
): Promise<Date> {
  return withRecord(deps, agencyId, recordId, "record.updated", async (trx, record, revision) => {
    assertCan(actor, "record.publish", agencyId, record.department_id);
    if (!canApplyStep("publish", revision.status))
      throw new AppError("record_invalid_transition", "只有审签通过、待发布的信息可以定时发布。");
    if (revision.content.disclosure !== "主动公开") throw new AppError("record_not_proactive");
    const checked = checkScheduleTime(atText, deps.clock.now(), {
      field: "publishAt",
      label: "定时发布时间",
    });
    if (!checked.at) throw validationError(checked.problems);
    const at = checked.at;
    if (record.scheduled_withdraw_at && record.scheduled_withdraw_at.getTime() <= at.getTime())
      throw validationError([{ field: "publishAt", message: "定时发布时间须早于已设定的下线时间" }]);
    // The checks publishing does, now: the job must not find a reason to refuse later.
    await assertContentChecksPass(trx, agencyId, revision.content, revision.body_text);
    const findings = await scanContent(trx, agencyId, revision.content, revision.body_text);
    const override = piiOverrideReason.trim().slice(0, 1000);
    if (findings.length > 0 && !revision.pii_override_reason) {
      if (!override) throw findingsError(findings);
      assertCan(actor, "record.approve", agencyId, record.department_id);
    }
    await updateRecord(trx, agencyId, recordId, {
      scheduled_publish_at: at,
      scheduled_publish_by: uid(actor),
      scheduled_publish_by_name: actor.user.displayName,
      scheduled_publish_pii_reason: override || null,
      updated_at: deps.clock.now(),
    });
    await logEvent(
      trx,
      deps.audit,
      actor,
      record,
      revision.revision_no,
      "schedule_publish",
      revision.status,
      revision.status,
      override || null,
      `定时发布《${revision.content.title}》：${shanghaiDateTime(at)}（北京时间）`,
      { after: { revision: revision.revision_no, publishAt: at.toISOString() } },
    );
    return at;
  });
}

/** 定时下线/废止: the published (or scheduled) record comes off the portal at `atText`, for `reason`. */
export async function scheduleWithdrawal(
  deps: Deps,
  actor: StaffActor,
  agencyId: string,
  recordId: string,
  atText: string,
  reason: string,
): Promise<Date> {
  return withRecord(deps, agencyId, recordId, "record.updated", async (trx, record, revision) => {
    assertCan(actor, "record.withdraw", agencyId, record.department_id);
    if (record.status !== "published" && record.scheduled_publish_at === null)
      throw new AppError("record_invalid_transition", "只有已发布或已设定定时发布的信息可以设定下线时间。");
    const problems = [];
    let why = "";
    try {
      why = requireReason(reason, "withdrawReason", "下线理由");
    } catch (e) {
      if (!isAppError(e)) throw e;
      problems.push(...(e.fields ?? []));
    }
    const checked = checkScheduleTime(atText, deps.clock.now(), {
      field: "withdrawAt",
      label: "定时下线时间",
      after: record.scheduled_publish_at
        ? { at: record.scheduled_publish_at, label: "定时发布时间" }
        : undefined,
    });
    problems.push(...checked.problems);
    if (!checked.at || problems.length > 0) throw validationError(problems);
    const at = checked.at;
    await updateRecord(trx, agencyId, recordId, {
      scheduled_withdraw_at: at,
      scheduled_withdraw_by: uid(actor),
      scheduled_withdraw_by_name: actor.user.displayName,
      scheduled_withdraw_reason: why,
      updated_at: deps.clock.now(),
    });
    await logEvent(
      trx,
      deps.audit,
      actor,
      record,
      record.current_revision_no ?? revision.revision_no,
      "schedule_withdraw",
      record.status,
      record.status,
      why,
      `定时下线《${record.title || revision.content.title}》：${shanghaiDateTime(at)}（北京时间），理由：${why}`,
      { after: { withdrawAt: at.toISOString(), reason: why } },
    );
    return at;
  });
}

/** Cancels a scheduled publication or withdrawal. */
export async function cancelSchedule(
  deps: Deps,
  actor: StaffActor,
  agencyId: string,
  recordId: string,
  which: "publish" | "withdraw",
): Promise<void> {
  await withRecord(deps, agencyId, recordId, "record.updated", async (trx, record, revision) => {
    assertCan(
      actor,
      which === "publish" ? "record.publish" : "record.withdraw",
      agencyId,
      record.department_id,
    );
    const at = which === "publish" ? record.scheduled_publish_at : record.scheduled_withdraw_at;
    if (!at)
      throw new AppError(
        "record_invalid_transition",
        which === "publish" ? "该信息没有定时发布安排。" : "该信息没有定时下线安排。",
      );
    await updateRecord(trx, agencyId, recordId, {
      ...(which === "publish" ? CLEAR_PUBLISH_SCHEDULE : CLEAR_WITHDRAW_SCHEDULE),
      updated_at: deps.clock.now(),
    });
    const label = which === "publish" ? "定时发布" : "定时下线";
    await logEvent(
      trx,
      deps.audit,
      actor,
      record,
      revision.revision_no,
      `cancel_schedule_${which}`,
      null,
      null,
      null,
      `取消${label}《${record.title || revision.content.title}》（原定${shanghaiDateTime(at)}）`,
      { before: { at: at.toISOString() } },
    );
  });
}

/** The person who set a schedule, acting through the job (authorized when the schedule was set). */
function scheduledActor(agencyId: string, s: DueSchedule): StaffActor {
  return staffActor(
    {
      id: s.by ?? "",
      username: "scheduled",
      displayName: `${s.by_name ?? "系统"}（定时任务）`,
      agencyId,
      grants: [{ role: "approver", agencyId, departmentId: null, regionId: null }],
      supervisedRegionIds: [],
    },
    null,
  );
}

export interface ScheduleRunSummary {
  published: number;
  withdrawn: number;
  failed: number;
  /** Per agency id: { published, withdrawn, failed }. */
  agencies: Record<string, Record<string, number>>;
}

/**
 * Applies every publication and withdrawal whose time has come (the job `publishing.scheduled`). A step the
 * workflow refuses (e.g. the record was changed meanwhile) clears that schedule, is logged on the record and in
 * the audit log, and becomes a notice to the agency; other errors (database) propagate so the job is retried.
 */
export async function runDueSchedules(deps: Deps, signal?: AbortSignal): Promise<ScheduleRunSummary> {
  const summary: ScheduleRunSummary = { published: 0, withdrawn: 0, failed: 0, agencies: {} };
  const count = (agencyId: string, what: "published" | "withdrawn" | "failed") => {
    summary[what]++;
    const own = summary.agencies[agencyId] ?? {};
    own[what] = (own[what] ?? 0) + 1;
    summary.agencies[agencyId] = own;
  };
  const now = deps.clock.now();
  for (const s of await dueSchedules(deps.db, "publish", now)) {
    if (signal?.aborted) break;
    const reason = await deps.db
      .selectFrom("records")
      .select("scheduled_publish_pii_reason")
      .where("agency_id", "=", s.agency_id)
      .where("id", "=", s.id)
      .executeTakeFirst();
    try {
      await advanceRecord(deps, scheduledActor(s.agency_id, s), s.agency_id, s.id, "publish", {
        ...(reason?.scheduled_publish_pii_reason
          ? { piiOverrideReason: reason.scheduled_publish_pii_reason }
          : {}),
        comment: `定时发布（${s.by_name ?? ""}设定于${shanghaiDateTime(s.at)}）`,
      });
      count(s.agency_id, "published");
    } catch (e) {
      if (!isAppError(e) || e.status >= 500) throw e;
      await scheduleFailed(deps, s, "publish", e.message);
      count(s.agency_id, "failed");
    }
  }
  for (const s of await dueSchedules(deps.db, "withdraw", now)) {
    if (signal?.aborted) break;
    const row = await deps.db
      .selectFrom("records")
      .select(["status", "scheduled_withdraw_reason"])
      .where("agency_id", "=", s.agency_id)
      .where("id", "=", s.id)
      .executeTakeFirst();
    try {
      await withdrawRecord(
        deps,
        scheduledActor(s.agency_id, s),
        s.agency_id,
        s.id,
        `定时下线：${row?.scheduled_withdraw_reason ?? ""}`,
      );
      count(s.agency_id, "withdrawn");
    } catch (e) {
      if (!isAppError(e) || e.status >= 500) throw e;
      await scheduleFailed(deps, s, "withdraw", e.message);
      count(s.agency_id, "failed");
    }
  }
  return summary;
}

async function scheduleFailed(
  deps: Deps,
  s: DueSchedule,
  which: "publish" | "withdraw",
  why: string,
): Promise<void> {
  const label = which === "publish" ? "定时发布" : "定时下线";
  await deps.db.transaction().execute(async (trx) => {
    await updateRecord(
      trx,
      s.agency_id,
      s.id,
      which === "publish" ? CLEAR_PUBLISH_SCHEDULE : CLEAR_WITHDRAW_SCHEDULE,
    );
    await deps.audit.record(trx, {
      actorId: null,
      actorName: "定时任务",
      ip: null,
      action: `record.schedule_${which}_failed`,
      agencyId: s.agency_id,
      entityType: "record",
      entityId: s.id,
      summary: `${label}《${s.title}》未完成：${why}`,
      after: { at: s.at.toISOString(), error: why },
    });
  });
  const agency = (await listAgenciesByName(deps.db)).find((a) => a.id === s.agency_id);
  await deliverNotices(deps, s.agency_id, [
    {
      kind: `schedule_${which}_failed`,
      departmentId: s.department_id,
      subject: `${label}未完成：《${s.title}》`,
      body: `原定${shanghaiDateTime(s.at)}${label}的《${s.title}》未能办理：${why}。定时安排已取消，请处理后重新设定或手动办理。`,
      link: agency ? adminRecordPath(s.id, agency.slug) : "/admin",
      dedupeKey: `schedule-${which}-failed:${s.id}:${s.at.toISOString()}`,
    },
  ]);
}
