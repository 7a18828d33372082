/**
 * @module The annual report workflow draft → submitted → reviewed → approved → published (with checks and
 * send-back); every step audited in its transaction.
 */
import type { Actor } from "../accounts/policy.ts";
import type { Agency } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { AppError, validationError } from "../errors.ts";
import { checkAnnualReport } from "./annual-report.rules.ts";
import { findReportForUpdate, insertRevision, type ReportPatch } from "./report.repository.ts";
import {
  CHECKED_TRANSITIONS,
  canTransition,
  lateness,
  REPORT_STATUSES,
  type ReportTransition,
  TRANSITIONS,
  yearEnded,
} from "./report.rules.ts";
import { auditActor, previousYearData, type ReportView, toView } from "./report.service.ts";
import { assertVersion, saveOrConflict } from "./report-edit.service.ts";

// ---------------------------------------------------------------------------------------------------------------
// Workflow
// ---------------------------------------------------------------------------------------------------------------

const TRANSITION_AUDIT: Record<ReportTransition, string> = {
  submit: "提交审核",
  review: "审核通过",
  approve: "审签通过",
  publish: "发布",
  return: "退回修改",
};

/**
 * Moves the report through draft → submitted → reviewed → approved → published, or returns it to draft (with a
 * reason). Every forward step re-runs the checks: error findings refuse it with `report_check_failed`
 * (`details.findings` lists them, each naming its cells).
 * @throws AppError report_not_found | report_conflict | report_invalid_transition | report_year_not_ended |
 *   report_check_failed | validation_failed (return without a reason)
 */
export async function transitionReport(
  deps: Pick<Deps, "db" | "events" | "audit">,
  input: {
    agency: Agency;
    year: number;
    version?: number;
    transition: ReportTransition;
    reason?: string;
    actor: Actor;
    today: string;
    now: Date;
  },
): Promise<ReportView> {
  const { db } = deps;
  const { agency, year, transition, actor, today, now } = input;
  const reason = (input.reason ?? "").trim();
  if (transition === "return" && reason === "") {
    throw validationError([{ field: "reason", message: "请填写退回原因" }]);
  }
  if (reason.length > 1000) throw validationError([{ field: "reason", message: "退回原因不能超过1000字" }]);
  const view = await db.transaction().execute(async (trx) => {
    const row = await findReportForUpdate(trx, agency.id, year);
    if (!row) throw new AppError("report_not_found");
    if (!canTransition(row.status, transition)) {
      throw new AppError(
        "report_invalid_transition",
        `该年度报告${REPORT_STATUSES[row.status]}，不能执行“${TRANSITIONS[transition].label}”。`,
      );
    }
    assertVersion(row, input.version);
    if (CHECKED_TRANSITIONS.includes(transition)) {
      if (!yearEnded(year, today)) throw new AppError("report_year_not_ended");
      const findings = checkAnnualReport(row.data, await previousYearData(trx, agency.id, year));
      const errors = findings.filter((f) => f.severity === "error");
      if (errors.length > 0) {
        throw new AppError(
          "report_check_failed",
          `年度报告未通过校验（${errors.length}项错误），请先修改：${errors
            .slice(0, 3)
            .map((f) => f.cells.join("、"))
            .join("；")}${errors.length > 3 ? "等" : ""}。`,
          { details: { findings: errors } },
        );
      }
    }
    const patch: ReportPatch = { status: TRANSITIONS[transition].to };
    switch (transition) {
      case "submit":
        Object.assign(patch, { submitted_at: now, submitted_by: actor.id });
        break;
      case "review":
        Object.assign(patch, { reviewed_at: now, reviewed_by: actor.id });
        break;
      case "approve":
        Object.assign(patch, { approved_at: now, approved_by: actor.id });
        break;
      case "publish":
        // A correction (revision > 1) keeps the first publication date (the 31 January deadline is judged on it).
        Object.assign(patch, {
          published_at: now,
          published_by: actor.id,
          published_on: row.published_on ?? today,
          corrected_on: row.published_on ? today : null,
        });
        break;
      case "return":
        Object.assign(patch, {
          returned_at: now,
          returned_by: actor.id,
          returned_reason: reason,
          submitted_at: null,
          submitted_by: null,
          reviewed_at: null,
          reviewed_by: null,
          approved_at: null,
          approved_by: null,
        });
        break;
    }
    const updated = await saveOrConflict(trx, row, patch);
    const late =
      transition === "publish" && !row.published_on ? lateness(year, today, today).publishedLate : false;
    const correction = transition === "publish" && row.published_on ? `（更正，第${row.revision}版）` : "";
    await deps.audit.record(trx, {
      ...auditActor(actor),
      action: `report.${transition}`,
      agencyId: agency.id,
      entityType: "annual_report",
      entityId: row.id,
      summary: `${TRANSITION_AUDIT[transition]}${year}年度政府信息公开工作年度报告${correction}${late ? "（晚于条例第四十九条规定的1月31日）" : ""}`,
      before: { status: row.status },
      after: { status: updated.status, ...(reason ? { reason } : {}) },
    });
    return toView(trx, agency, updated, today);
  });
  // After the commit: the portal drops this agency's cached pages.
  if (transition === "publish")
    deps.events.emit("report.published", { agencyId: agency.id, reportId: view.id, year });
  return view;
}

/**
 * Issues a correction (更正) of a published report: the published revision is kept (still downloadable on the
 * portal, which shows it until the correction is published) and the report reopens in draft as the next revision,
 * to go through submit → review → approve → publish again. On publication the portal shows the corrected revision
 * with "本报告已于YYYY-MM-DD更正".
 * @throws AppError validation_failed (no reason) | report_not_found | report_invalid_transition | report_conflict
 */
export async function correctReport(
  deps: Pick<Deps, "db" | "audit">,
  input: {
    agency: Agency;
    year: number;
    version?: number;
    reason: string;
    actor: Actor;
    today: string;
    now: Date;
  },
): Promise<ReportView> {
  const reason = input.reason.trim();
  if (reason === "") throw validationError([{ field: "reason", message: "请填写更正原因" }]);
  if (reason.length > 1000) throw validationError([{ field: "reason", message: "更正原因不能超过1000字" }]);
  return deps.db.transaction().execute(async (trx) => {
    const row = await findReportForUpdate(trx, input.agency.id, input.year);
    if (!row) throw new AppError("report_not_found");
    if (row.status !== "published" || !row.published_on) {
      throw new AppError(
        "report_invalid_transition",
        `该年度报告${REPORT_STATUSES[row.status]}，只有已发布的报告可以更正。`,
      );
    }
    assertVersion(row, input.version);
    await insertRevision(trx, {
      agencyId: row.agency_id,
      reportId: row.id,
      revision: row.revision,
      data: row.data,
      publishedOn: row.corrected_on ?? row.published_on,
      supersededAt: input.now,
      supersededBy: input.actor.id,
      reason,
    });
    const updated = await saveOrConflict(trx, row, {
      status: "draft",
      revision: row.revision + 1,
      submitted_at: null,
      submitted_by: null,
      reviewed_at: null,
      reviewed_by: null,
      approved_at: null,
      approved_by: null,
      returned_at: null,
      returned_by: null,
      returned_reason: null,
    });
    await deps.audit.record(trx, {
      ...auditActor(input.actor),
      action: "report.correct",
      agencyId: input.agency.id,
      entityType: "annual_report",
      entityId: row.id,
      summary: `更正${input.year}年度政府信息公开工作年度报告（第${row.revision + 1}版起草）`,
      before: { status: row.status, revision: row.revision },
      after: { status: updated.status, revision: updated.revision, reason },
    });
    return toView(trx, input.agency, updated, input.today);
  });
}
