/**
 * @module Use cases of the annual report (政府信息公开工作年度报告, 条例第49–50条; 国办公开办函〔2021〕30号):
 * generate / refresh from the application register and the records (keeping staff-entered cells and narratives),
 * edit, check, the workflow draft → submitted → reviewed → approved → published, the public list, exports,
 * reminders and the late flag, and the government's compiled report for a region.
 *
 * Authorization is the routes' job (they know the user); every state change is audited in its transaction.
 */
import { agencyScope, type StaffUser } from "../accounts/policy.ts";
import { type Agency, getAgencyBySlug, type RegionNode, regionTree } from "../agencies/agency.service.ts";
import { recordAudit } from "../audit/audit.service.ts";
import type { Db, DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { AppError, type FieldError, validationError } from "../errors.ts";
import { annualRequestStats } from "../requests/request-stats.service.ts";
import { reportTitle } from "./annual-report.format.ts";
import {
  type AnnualReportData,
  aggregateReports,
  checkAnnualReport,
  computeTotals,
  emptyReport,
  type Finding,
  isSubmittable,
} from "./annual-report.rules.ts";
import {
  agenciesInRegionTree,
  findRegion,
  findRegionalReport,
  findReport,
  findReportForUpdate,
  insertReport,
  insertRevision,
  listPublishedRows,
  listRegionalReports,
  listReportSummaries,
  listReportsOfYear,
  listRevisions,
  markRegionalPublished,
  type ReportPatch,
  recordCategoryCounts,
  recordPublicationCounts,
  updateRegionalText,
  updateReport,
  upsertRegionalReport,
} from "./report.repository.ts";
import {
  aggregationDeadline,
  type CellSection,
  CHECKED_TRANSITIONS,
  canTransition,
  cellKey,
  type DraftContext,
  draftNarratives,
  dueReportYear,
  EDITABLE_CELLS,
  isReportableYear,
  type Lateness,
  lateness,
  mergeReport,
  NARRATIVE_FIELDS,
  type NarrativeKey,
  normaliseNarrative,
  parseCellInput,
  REPORT_STATUSES,
  type Reminder,
  type ReportTransition,
  reminderFor,
  TRANSITIONS,
  yearEnded,
} from "./report.rules.ts";
import type {
  AnnualReportRow,
  ManualCells,
  RegionalAnnualReportRow,
  RegionalSource,
  ReportNarratives,
  ReportStatus,
} from "./report.table.ts";

/** Who acts (null id: the system, e.g. the demo seed). */
export interface Actor {
  id: string | null;
  name?: string | undefined;
  ip?: string | null | undefined;
}

function auditActor(actor: Actor) {
  return { actorId: actor.id, actorName: actor.name, ip: actor.ip ?? null };
}

// ---------------------------------------------------------------------------------------------------------------
// Generating the figures
// ---------------------------------------------------------------------------------------------------------------

/**
 * Table 三, table 四 and the 信息处理费 of one agency and year, from the application register (the applications
 * feature's `annualRequestStats`: 一 by receipt date (条例第31条), 三 by the date concluded, 二 and 四 = still
 * open at the end of the previous / this year; legal-spec §2.4).
 */
export async function requestYearStats(
  db: DbOrTx,
  agencyId: string,
  year: number,
): Promise<Pick<AnnualReportData, "applications" | "reviewLitigation" | "processingFees">> {
  const stats = await annualRequestStats(db, agencyId, year);
  return {
    applications: stats.applications,
    reviewLitigation: stats.reviewLitigation,
    processingFees: stats.processingFees,
  };
}

/** Table 二 from the agency's published records (doc_category, dates, decision counts, fee amounts). */
export async function proactiveFromRecords(
  db: DbOrTx,
  agencyId: string,
  year: number,
): Promise<AnnualReportData["proactive"]> {
  const p = emptyReport(year, "").proactive;
  for (const c of await recordCategoryCounts(db, agencyId, year)) {
    switch (c.doc_category) {
      case "rules":
      case "normative_documents":
        p.item1[c.doc_category] = { issued: c.issued, repealed: c.repealed, in_force: c.in_force };
        break;
      case "licensing":
        p.item5.licensing.decisions = c.decisions;
        break;
      case "penalty":
      case "coercion":
        p.item6[c.doc_category].decisions = c.decisions;
        break;
      case "administrative_fees":
        p.item8.administrative_fees.amount = Number(c.fees_wan.toFixed(6));
        break;
    }
  }
  return p;
}

/** The report as generated from the data, with drafted narratives (no staff entries). */
export async function buildSourceReport(db: DbOrTx, agency: Agency, year: number): Promise<AnnualReportData> {
  const data = emptyReport(year, agency.name);
  data.proactive = await proactiveFromRecords(db, agency.id, year);
  const stats = await requestYearStats(db, agency.id, year);
  data.applications = stats.applications;
  data.reviewLitigation = stats.reviewLitigation;
  data.processingFees = stats.processingFees;
  const totals = computeTotals(data);
  const counts = await recordPublicationCounts(db, agency.id, year);
  const context: DraftContext = {
    recordsPublished: counts.published,
    interpretationsPublished: counts.interpretations,
    recordsPublishedLate: counts.late,
  };
  return { ...totals, ...draftNarratives(totals, context) };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------------------

export interface ReportView {
  id: string;
  agencyId: string;
  agencyName: string;
  year: number;
  title: string;
  status: ReportStatus;
  statusLabel: string;
  version: number;
  /** The effective report (checked, rendered, exported). */
  data: AnnualReportData;
  /** The figures and drafted narratives generated from the data. */
  source: AnnualReportData;
  manual: ManualCells;
  narratives: ReportNarratives;
  findings: Finding[];
  submittable: boolean;
  /** Whether last year's report was available for the carry-over check. */
  previousYearChecked: boolean;
  generatedAt: Date;
  submittedAt: Date | null;
  reviewedAt: Date | null;
  approvedAt: Date | null;
  publishedAt: Date | null;
  publishedOn: string | null;
  returnedAt: Date | null;
  returnedReason: string | null;
  lateness: Lateness;
  /** 1 as first published; +1 per correction (更正). */
  revision: number;
  /** Date the current revision (a correction) was published. */
  correctedOn: string | null;
}

/** Last year's report of the agency for the carry-over check, once it is approved or published. */
async function previousYearData(
  db: DbOrTx,
  agencyId: string,
  year: number,
): Promise<AnnualReportData | null> {
  const row = await findReport(db, agencyId, year - 1);
  return row && (row.status === "approved" || row.status === "published") ? row.data : null;
}

async function toView(db: DbOrTx, agency: Agency, row: AnnualReportRow, today: string): Promise<ReportView> {
  const previous = await previousYearData(db, agency.id, row.year);
  const findings = checkAnnualReport(row.data, previous);
  return {
    id: row.id,
    agencyId: row.agency_id,
    agencyName: agency.name,
    year: row.year,
    title: reportTitle(row.data.agencyName, row.year),
    status: row.status,
    statusLabel: REPORT_STATUSES[row.status],
    version: row.version,
    data: row.data,
    source: row.source,
    manual: row.manual,
    narratives: row.narratives,
    findings,
    submittable: isSubmittable(findings),
    previousYearChecked: previous !== null,
    generatedAt: row.generated_at,
    submittedAt: row.submitted_at,
    reviewedAt: row.reviewed_at,
    approvedAt: row.approved_at,
    publishedAt: row.published_at,
    publishedOn: row.published_on,
    returnedAt: row.returned_at,
    returnedReason: row.returned_reason,
    lateness: lateness(row.year, row.published_on, today),
    revision: row.revision,
    correctedOn: row.corrected_on,
  };
}

/** @throws AppError report_not_found */
export async function getReport(
  db: DbOrTx,
  agency: Agency,
  year: number,
  today: string,
): Promise<ReportView> {
  const row = await findReport(db, agency.id, year);
  if (!row) throw new AppError("report_not_found");
  return toView(db, agency, row, today);
}

export async function findReportView(
  db: DbOrTx,
  agency: Agency,
  year: number,
  today: string,
): Promise<ReportView | undefined> {
  const row = await findReport(db, agency.id, year);
  return row ? toView(db, agency, row, today) : undefined;
}

export interface ReportSummary {
  agencyId: string;
  year: number;
  status: ReportStatus;
  statusLabel: string;
  publishedOn: string | null;
  lateness: Lateness;
  updatedAt: Date;
}

export async function listReports(
  db: DbOrTx,
  agencyIds: readonly string[],
  today: string,
): Promise<ReportSummary[]> {
  return (await listReportSummaries(db, agencyIds)).map((r) => ({
    agencyId: r.agency_id,
    year: r.year,
    status: r.status,
    statusLabel: REPORT_STATUSES[r.status],
    publishedOn: r.published_on,
    lateness: lateness(r.year, r.published_on, today),
    updatedAt: r.updated_at,
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// Generating and editing (draft only)
// ---------------------------------------------------------------------------------------------------------------

function assertVersion(row: AnnualReportRow, version: number | undefined): void {
  if (version !== undefined && row.version !== version) throw new AppError("report_conflict");
}

function assertDraft(row: AnnualReportRow): void {
  if (row.status !== "draft") {
    throw new AppError(
      "report_invalid_transition",
      `该年度报告${REPORT_STATUSES[row.status]}，只有起草中的报告可以修改；如需修改，请先退回。`,
    );
  }
}

async function saveOrConflict(
  db: DbOrTx,
  row: AnnualReportRow,
  patch: ReportPatch,
): Promise<AnnualReportRow> {
  const updated = await updateReport(db, row.agency_id, row.id, row.version, patch);
  if (!updated) throw new AppError("report_conflict");
  return updated;
}

/**
 * Creates the agency's report for the year from the data, or refreshes a draft: the generated figures and drafted
 * narratives are replaced; staff-entered cells and edited narratives are kept.
 * @throws AppError report_year_invalid | report_invalid_transition | report_conflict
 */
export async function generateReport(
  db: Db,
  input: { agency: Agency; year: number; actor: Actor; today: string; now: Date; version?: number },
): Promise<ReportView> {
  const { agency, year, actor, today, now } = input;
  if (!isReportableYear(year, today)) throw new AppError("report_year_invalid");
  return db.transaction().execute(async (trx) => {
    const existing = await findReportForUpdate(trx, agency.id, year);
    const source = await buildSourceReport(trx, agency, year);
    let row: AnnualReportRow;
    if (existing) {
      assertDraft(existing);
      assertVersion(existing, input.version);
      row = await saveOrConflict(trx, existing, {
        source,
        data: mergeReport(source, existing.manual, existing.narratives, agency.name),
        generated_at: now,
        generated_by: actor.id,
      });
    } else {
      row = await insertReport(trx, {
        agencyId: agency.id,
        year,
        source,
        data: mergeReport(source, {}, {}, agency.name),
        generatedAt: now,
        generatedBy: actor.id,
      });
    }
    await recordAudit(trx, {
      ...auditActor(actor),
      action: existing ? "report.refresh" : "report.generate",
      agencyId: agency.id,
      entityType: "annual_report",
      entityId: row.id,
      summary: `${existing ? "根据最新数据更新" : "生成"}${year}年度政府信息公开工作年度报告`,
      after: { year, status: row.status },
    });
    return toView(trx, agency, row, today);
  });
}

/**
 * Saves staff-entered cells of one section (cells absent from `values` are left unchanged). An empty input removes
 * the entry (the generated figure applies). Totals are not entered: they are computed.
 * @throws AppError validation_failed (fields keyed by cell key) | report_not_found | report_invalid_transition | report_conflict
 */
export async function updateCells(
  db: Db,
  input: {
    agency: Agency;
    year: number;
    version: number;
    section: CellSection;
    values: Record<string, string>;
    actor: Actor;
    today: string;
  },
): Promise<ReportView> {
  const cells = EDITABLE_CELLS.filter((c) => c.section === input.section);
  const errors: FieldError[] = [];
  const parsed = new Map<string, number | null>();
  for (const cell of cells) {
    const key = cellKey(cell);
    if (!Object.hasOwn(input.values, key)) continue; // cells not in the form are left as they are
    const result = parseCellInput(cell, input.values[key] ?? "");
    if (result.ok) parsed.set(key, result.value);
    else errors.push({ field: key, message: result.message });
  }
  if (errors.length > 0) throw validationError(errors);
  return db.transaction().execute(async (trx) => {
    const row = await findReportForUpdate(trx, input.agency.id, input.year);
    if (!row) throw new AppError("report_not_found");
    assertDraft(row);
    assertVersion(row, input.version);
    const manual: ManualCells = { ...row.manual };
    const changed: Record<string, number | null> = {};
    for (const [key, value] of parsed) {
      const before = manual[key] ?? null;
      if (value === null) delete manual[key];
      else manual[key] = value;
      if (before !== value) changed[key] = value;
    }
    const updated = await saveOrConflict(trx, row, {
      manual,
      data: mergeReport(row.source, manual, row.narratives, input.agency.name),
    });
    await recordAudit(trx, {
      ...auditActor(input.actor),
      action: "report.edit_cells",
      agencyId: input.agency.id,
      entityType: "annual_report",
      entityId: row.id,
      summary: `修改${input.year}年度报告人工填报数据（${Object.keys(changed).length}项）`,
      after: changed,
    });
    return toView(trx, input.agency, updated, input.today);
  });
}

/**
 * Saves edited narratives. A text equal to the drafted one is not stored (it follows the data on refresh);
 * `reset` lists narratives to return to the drafted text.
 * @throws AppError validation_failed | report_not_found | report_invalid_transition | report_conflict
 */
export async function updateNarratives(
  db: Db,
  input: {
    agency: Agency;
    year: number;
    version: number;
    values: Partial<Record<NarrativeKey, string>>;
    reset?: readonly NarrativeKey[];
    actor: Actor;
    today: string;
  },
): Promise<ReportView> {
  const errors: FieldError[] = [];
  for (const f of NARRATIVE_FIELDS) {
    const text = input.values[f.key];
    if (text !== undefined && normaliseNarrative(text).length > f.maxLength) {
      errors.push({ field: f.key, message: `内容不能超过${f.maxLength}字` });
    }
  }
  if (errors.length > 0) throw validationError(errors);
  return db.transaction().execute(async (trx) => {
    const row = await findReportForUpdate(trx, input.agency.id, input.year);
    if (!row) throw new AppError("report_not_found");
    assertDraft(row);
    assertVersion(row, input.version);
    const narratives: ReportNarratives = { ...row.narratives };
    for (const f of NARRATIVE_FIELDS) {
      const text = input.values[f.key];
      if (input.reset?.includes(f.key)) {
        delete narratives[f.key];
        continue;
      }
      if (text === undefined) continue;
      const clean = normaliseNarrative(text);
      if (clean === normaliseNarrative(row.source[f.key])) delete narratives[f.key];
      else narratives[f.key] = clean;
    }
    const updated = await saveOrConflict(trx, row, {
      narratives,
      data: mergeReport(row.source, row.manual, narratives, input.agency.name),
    });
    await recordAudit(trx, {
      ...auditActor(input.actor),
      action: "report.edit_text",
      agencyId: input.agency.id,
      entityType: "annual_report",
      entityId: row.id,
      summary: `修改${input.year}年度报告正文`,
    });
    return toView(trx, input.agency, updated, input.today);
  });
}

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
  deps: Pick<Deps, "db" | "events">,
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
    await recordAudit(trx, {
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
  db: Db,
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
  return db.transaction().execute(async (trx) => {
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
    await recordAudit(trx, {
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

// ---------------------------------------------------------------------------------------------------------------
// Public (portal)
// ---------------------------------------------------------------------------------------------------------------

export interface PublishedReportSummary {
  year: number;
  title: string;
  publishedOn: string;
  /** Published after 31 January (条例第49条). */
  publishedLate: boolean;
  /** Path of the public page. */
  path: string;
}

/** The agency's published annual reports, newest first (for the portal's 政府信息公开年报 column). */
export async function listPublishedReports(
  db: DbOrTx,
  agencyId: string,
  agencySlug: string,
): Promise<PublishedReportSummary[]> {
  return (await listPublishedRows(db, agencyId)).map((r) => ({
    year: r.year,
    title: reportTitle(r.data.agencyName, r.year),
    publishedOn: r.published_on,
    publishedLate: r.published_on > `${r.year + 1}-01-31`,
    path: `/agencies/${agencySlug}/reports/${r.year}`,
  }));
}

export interface PublishedReport {
  data: AnnualReportData;
  /** First publication date. */
  publishedOn: string;
  /** Date of the correction shown (本报告已于YYYY-MM-DD更正); null if never corrected. */
  correctedOn: string | null;
  revision: number;
  /** Earlier published revisions (downloadable), newest first. */
  previous: { revision: number; publishedOn: string; reason: string }[];
}

/**
 * A published report as the portal shows it: the current revision, or while a correction is in the workflow the
 * revision last published. @throws AppError report_not_found (also for never-published reports)
 */
export async function getPublishedReport(
  db: DbOrTx,
  agencyId: string,
  year: number,
): Promise<PublishedReport> {
  const row = await findReport(db, agencyId, year);
  if (!row?.published_on) throw new AppError("report_not_found");
  const revisions = await listRevisions(db, agencyId, row.id);
  const previous = revisions.map((r) => ({
    revision: r.revision,
    publishedOn: r.published_on,
    reason: r.reason,
  }));
  if (row.status === "published") {
    return {
      data: row.data,
      publishedOn: row.published_on,
      correctedOn: row.corrected_on,
      revision: row.revision,
      previous,
    };
  }
  const [shown, ...older] = revisions;
  if (!shown) throw new AppError("report_not_found");
  return {
    data: shown.data,
    publishedOn: row.published_on,
    correctedOn: shown.revision > 1 ? shown.published_on : null,
    revision: shown.revision,
    previous: older.map((r) => ({ revision: r.revision, publishedOn: r.published_on, reason: r.reason })),
  };
}

/** An earlier published revision (for downloads). @throws AppError report_not_found */
export async function getPublishedRevision(
  db: DbOrTx,
  agencyId: string,
  year: number,
  revision: number,
): Promise<AnnualReportData> {
  const report = await getPublishedReport(db, agencyId, year);
  if (report.revision === revision) return report.data;
  const row = await findReport(db, agencyId, year);
  const found = row
    ? (await listRevisions(db, agencyId, row.id)).find((r) => r.revision === revision)
    : undefined;
  if (!found) throw new AppError("report_not_found");
  return found.data;
}

// ---------------------------------------------------------------------------------------------------------------
// Reminders (console) — 条例第49条
// ---------------------------------------------------------------------------------------------------------------

export interface AgencyReminder extends Reminder {
  agencyId: string;
  agencyName: string;
  agencySlug: string;
  status: ReportStatus | null;
}

/**
 * The reminders for the report due this year (the previous year's), for the given agencies: from 1 January until
 * published, e.g. "2025年度报告尚未发布，截止日期2026-01-31", flagged overdue after 31 January.
 */
export async function reportReminders(
  db: DbOrTx,
  agencies: readonly Pick<Agency, "id" | "name" | "slug">[],
  today: string,
): Promise<AgencyReminder[]> {
  const year = dueReportYear(today);
  const rows = await listReportsOfYear(
    db,
    agencies.map((a) => a.id),
    year,
  );
  const out: AgencyReminder[] = [];
  for (const agency of agencies) {
    const row = rows.find((r) => r.agency_id === agency.id);
    const reminder = reminderFor(row?.published_on ?? null, today);
    if (reminder) {
      out.push({
        ...reminder,
        agencyId: agency.id,
        agencyName: agency.name,
        agencySlug: agency.slug,
        status: row?.status ?? null,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Agencies and regions visible to a user (listing pages)
// ---------------------------------------------------------------------------------------------------------------

export interface RegionInfo {
  id: string;
  name: string;
  /** Agencies directly in this region (本级政府的部门). */
  agencies: Agency[];
}

function flattenRegions(nodes: RegionNode[], out: RegionInfo[] = []): RegionInfo[] {
  for (const n of nodes) {
    out.push({ id: n.id, name: n.name, agencies: n.agencies });
    flattenRegions(n.children, out);
  }
  return out;
}

/** Every region that has agencies somewhere below it, with its direct agencies. */
export async function listRegionsWithAgencies(db: DbOrTx): Promise<RegionInfo[]> {
  return flattenRegions(await regionTree(db));
}

export async function listAgenciesByName(db: DbOrTx): Promise<Agency[]> {
  return (await listRegionsWithAgencies(db)).flatMap((r) => r.agencies);
}

/** The agencies whose reports the user may read (own agency, supervised regions, or all for platform roles). */
export async function agenciesVisibleTo(db: DbOrTx, user: StaffUser): Promise<Agency[]> {
  const scope = agencyScope(user, "report.read");
  const all = await listAgenciesByName(db);
  return scope.all
    ? all
    : all.filter((a) => scope.agencyIds.includes(a.id) || scope.regionIds.includes(a.regionId));
}

/**
 * The console notices of the annual report for a signed-in user (for the console home page): the report due this
 * year of each agency the user may read, until it is published. Render with `remindersFragment` (report.views.ts).
 */
export async function reportRemindersFor(
  db: DbOrTx,
  user: StaffUser,
  today: string,
): Promise<AgencyReminder[]> {
  return reportReminders(db, await agenciesVisibleTo(db, user), today);
}

export { getAgencyBySlug };

// ---------------------------------------------------------------------------------------------------------------
// The government's compiled report (本级政府年度报告汇总), per region — 条例第49条: by 31 March
// ---------------------------------------------------------------------------------------------------------------

/** Statuses of agency reports included in a compiled report. */
export const AGGREGATABLE: readonly ReportStatus[] = ["approved", "published"];

export interface RegionalReportView {
  regionId: string;
  regionName: string;
  year: number;
  name: string;
  title: string;
  data: AnnualReportData;
  narratives: ReportNarratives;
  sources: RegionalSource[];
  missing: RegionalSource[];
  findings: Finding[];
  generatedAt: Date;
  deadline: string;
  /** 发布日期 on the portal (null: not published). */
  publishedOn: string | null;
}

function toRegionalView(region: RegionInfo, row: RegionalAnnualReportRow): RegionalReportView {
  return {
    regionId: row.region_id,
    regionName: region.name,
    year: row.year,
    name: row.name,
    title: reportTitle(row.name, row.year),
    data: row.data,
    narratives: row.narratives,
    sources: row.sources,
    missing: row.missing,
    findings: checkAnnualReport(row.data),
    generatedAt: row.generated_at,
    deadline: aggregationDeadline(row.year),
    publishedOn: row.published_on,
  };
}

/** The default name printed in a compiled report's title: the region's people's government. */
export function governmentName(regionName: string): string {
  return `${regionName}人民政府`;
}

function draftRegionalNarratives(
  data: AnnualReportData,
  context: DraftContext,
  sources: readonly RegionalSource[],
  missing: readonly RegionalSource[],
): Required<ReportNarratives> {
  const base = draftNarratives(data, context);
  const intro = `本报告由${data.agencyName}政府信息公开工作主管部门汇总本级${sources.length}个部门（单位）已审签的${data.year}年度政府信息公开工作年度报告编制${
    missing.length ? `；${missing.map((m) => m.agencyName).join("、")}的年度报告尚未审签，未纳入汇总` : ""
  }。`;
  const [first = "", ...rest] = base.overview.split("\n");
  return {
    overview: [first, intro, ...rest].join("\n"),
    problems: base.problems,
    otherMatters: "工作考核、社会评议和责任追究结果情况（《条例》第五十条第（四）项）：（请主管部门填写）。",
  };
}

/**
 * Compiles (or recompiles) the government's report for a region from the approved or published reports of the
 * agencies in it and in all its sub-regions. Staff-edited narratives and name are kept.
 * @throws AppError region_not_found | report_year_invalid
 */
export async function generateRegionalReport(
  db: Db,
  input: { regionId: string; year: number; actor: Actor; today: string; now: Date },
): Promise<RegionalReportView> {
  if (!isReportableYear(input.year, input.today)) throw new AppError("report_year_invalid");
  const region = (await listRegionsWithAgencies(db)).find((r) => r.id === input.regionId);
  if (!region) throw new AppError("region_not_found");
  return db.transaction().execute(async (trx) => {
    const existing = await findRegionalReport(trx, region.id, input.year);
    const name = existing?.name ?? governmentName(region.name);
    // The agencies of the region and of every sub-region (e.g. a province's departments, cities and counties).
    const agencies = await agenciesInRegionTree(trx, region.id);
    const rows = await listReportsOfYear(
      trx,
      agencies.map((a) => a.id),
      input.year,
    );
    const sources: RegionalSource[] = [];
    const missing: RegionalSource[] = [];
    const included: AnnualReportData[] = [];
    for (const agency of agencies) {
      const row = rows.find((r) => r.agency_id === agency.id);
      const entry = { agencyId: agency.id, agencyName: agency.name, status: row?.status ?? null };
      if (row && AGGREGATABLE.includes(row.status)) {
        sources.push(entry);
        included.push(row.data);
      } else missing.push(entry);
    }
    const aggregated = aggregateReports(included, { agencyName: name, year: input.year });
    const context: DraftContext = {
      recordsPublished: 0,
      interpretationsPublished: 0,
      recordsPublishedLate: 0,
    };
    for (const source of sources) {
      const counts = await recordPublicationCounts(trx, source.agencyId, input.year);
      context.recordsPublished += counts.published;
      context.interpretationsPublished += counts.interpretations;
      context.recordsPublishedLate += counts.late;
    }
    const drafted = draftRegionalNarratives(aggregated, context, sources, missing);
    const narratives = existing?.narratives ?? {};
    const data: AnnualReportData = {
      ...aggregated,
      overview: narratives.overview ?? drafted.overview,
      problems: narratives.problems ?? drafted.problems,
      otherMatters: narratives.otherMatters ?? drafted.otherMatters,
    };
    const row = await upsertRegionalReport(trx, {
      regionId: region.id,
      year: input.year,
      name,
      data,
      narratives,
      sources,
      missing,
      generatedAt: input.now,
      generatedBy: input.actor.id,
    });
    await recordAudit(trx, {
      ...auditActor(input.actor),
      action: "report.aggregate",
      agencyId: null,
      entityType: "regional_annual_report",
      entityId: `${region.id}/${input.year}`,
      summary: `汇总${region.name}${input.year}年度政府信息公开工作年度报告（纳入${sources.length}个部门，未纳入${missing.length}个）`,
      after: { sources: sources.map((s) => s.agencyName), missing: missing.map((m) => m.agencyName) },
    });
    return toRegionalView(region, row);
  });
}

/** @throws AppError region_not_found | regional_report_not_found */
export async function getRegionalReport(
  db: DbOrTx,
  regionId: string,
  year: number,
): Promise<RegionalReportView> {
  const region = (await listRegionsWithAgencies(db)).find((r) => r.id === regionId);
  if (!region) throw new AppError("region_not_found");
  const row = await findRegionalReport(db, regionId, year);
  if (!row) throw new AppError("regional_report_not_found");
  return toRegionalView(region, row);
}

export async function listRegionalReportSummaries(
  db: DbOrTx,
  regionIds: readonly string[],
): Promise<
  { regionId: string; year: number; name: string; generatedAt: Date; publishedOn: string | null }[]
> {
  return (await listRegionalReports(db, regionIds)).map((r) => ({
    regionId: r.region_id,
    year: r.year,
    name: r.name,
    generatedAt: r.generated_at,
    publishedOn: r.published_on,
  }));
}

/**
 * Publishes the compiled report on the portal (/regions/{id}/reports/{year}) as it stands now (a later
 * recompilation or edit is public only once republished); republishing keeps the first publication date. The checks must pass (条例第49条: by 31 March).
 * @throws AppError region_not_found | regional_report_not_found | report_year_not_ended | report_check_failed
 */
export async function publishRegionalReport(
  db: Db,
  input: { regionId: string; year: number; actor: Actor; today: string; now: Date },
): Promise<RegionalReportView> {
  const region = (await listRegionsWithAgencies(db)).find((r) => r.id === input.regionId);
  if (!region) throw new AppError("region_not_found");
  if (!yearEnded(input.year, input.today)) throw new AppError("report_year_not_ended");
  return db.transaction().execute(async (trx) => {
    const row = await findRegionalReport(trx, region.id, input.year);
    if (!row) throw new AppError("regional_report_not_found");
    const errors = checkAnnualReport(row.data).filter((f) => f.severity === "error");
    if (errors.length > 0) {
      throw new AppError("report_check_failed", `汇总年度报告未通过校验（${errors.length}项错误）。`, {
        details: { findings: errors },
      });
    }
    const updated = await markRegionalPublished(trx, region.id, input.year, {
      data: row.data,
      publishedOn: row.published_on ?? input.today,
      publishedAt: input.now,
      publishedBy: input.actor.id,
    });
    if (!updated) throw new AppError("regional_report_not_found");
    const late = input.today > aggregationDeadline(input.year);
    await recordAudit(trx, {
      ...auditActor(input.actor),
      action: "report.aggregate_publish",
      agencyId: null,
      entityType: "regional_annual_report",
      entityId: `${region.id}/${input.year}`,
      summary: `发布${region.name}${input.year}年度汇总年度报告${late ? "（晚于条例第四十九条规定的3月31日）" : ""}`,
      before: { publishedOn: row.published_on },
      after: { publishedOn: updated.published_on },
    });
    return toRegionalView(region, updated);
  });
}

/** The region's published compiled reports, newest first (public). @throws AppError region_not_found */
export async function listPublishedRegionalReports(
  db: DbOrTx,
  regionId: string,
): Promise<{
  region: { id: string; name: string };
  reports: { year: number; title: string; publishedOn: string }[];
}> {
  const region = await findRegion(db, regionId);
  if (!region) throw new AppError("region_not_found");
  const reports = (await listRegionalReports(db, [region.id]))
    .filter((r) => r.published_on !== null)
    .map((r) => ({ year: r.year, title: reportTitle(r.name, r.year), publishedOn: r.published_on ?? "" }));
  return { region, reports };
}

/** A published compiled report (public). @throws AppError region_not_found | regional_report_not_found */
export async function getPublishedRegionalReport(
  db: DbOrTx,
  regionId: string,
  year: number,
): Promise<{ region: { id: string; name: string }; data: AnnualReportData; publishedOn: string }> {
  const region = await findRegion(db, regionId);
  if (!region) throw new AppError("region_not_found");
  const row = await findRegionalReport(db, region.id, year);
  if (!row?.published_on || !row.published_data) throw new AppError("regional_report_not_found");
  return { region, data: row.published_data, publishedOn: row.published_on };
}

/**
 * Edits the compiled report's name and narratives (the government writes its own 一、五、六, including
 * 工作考核、社会评议和责任追究结果, 条例第50条第（四）项).
 * @throws AppError validation_failed | regional_report_not_found
 */
export async function updateRegionalNarratives(
  db: Db,
  input: {
    regionId: string;
    year: number;
    name: string;
    values: Partial<Record<NarrativeKey, string>>;
    actor: Actor;
  },
): Promise<RegionalReportView> {
  const name = input.name.trim();
  const errors: FieldError[] = [];
  if (name.length < 2 || name.length > 100) errors.push({ field: "name", message: "名称应为2至100个字" });
  for (const f of NARRATIVE_FIELDS) {
    const text = input.values[f.key];
    if (text !== undefined && normaliseNarrative(text).length > f.maxLength) {
      errors.push({ field: f.key, message: `内容不能超过${f.maxLength}字` });
    }
  }
  if (errors.length > 0) throw validationError(errors);
  const region = (await listRegionsWithAgencies(db)).find((r) => r.id === input.regionId);
  if (!region) throw new AppError("region_not_found");
  return db.transaction().execute(async (trx) => {
    const row = await findRegionalReport(trx, input.regionId, input.year);
    if (!row) throw new AppError("regional_report_not_found");
    const narratives: ReportNarratives = { ...row.narratives };
    for (const f of NARRATIVE_FIELDS) {
      const text = input.values[f.key];
      if (text !== undefined) narratives[f.key] = normaliseNarrative(text);
    }
    const data: AnnualReportData = { ...row.data, agencyName: name, ...narratives };
    const updated = await updateRegionalText(trx, input.regionId, input.year, { name, data, narratives });
    if (!updated) throw new AppError("regional_report_not_found");
    await recordAudit(trx, {
      ...auditActor(input.actor),
      action: "report.aggregate_edit",
      agencyId: null,
      entityType: "regional_annual_report",
      entityId: `${input.regionId}/${input.year}`,
      summary: `修改${region.name}${input.year}年度汇总年度报告正文`,
    });
    return toRegionalView(region, updated);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Demo data
// ---------------------------------------------------------------------------------------------------------------

export interface ReportSeedResult {
  published: string[];
  existing: string[];
  /** Agencies whose report could not pass its checks (left in draft), with the first finding. */
  failed: { slug: string; reason: string }[];
}

/**
 * Generates and publishes the `year` report of each given agency from its demo data (idempotent: published reports
 * are left alone; a report in an intermediate status continues from there).
 */
export async function seedDemoReports(
  deps: Pick<Deps, "db" | "events">,
  input: { slugs: readonly string[]; year: number; today: string; now: Date },
): Promise<ReportSeedResult> {
  const { db } = deps;
  const result: ReportSeedResult = { published: [], existing: [], failed: [] };
  const actor: Actor = { id: null, name: "系统（演示数据）" };
  for (const slug of input.slugs) {
    let agency: Agency;
    try {
      agency = await getAgencyBySlug(db, slug);
    } catch {
      continue;
    }
    let view = await findReportView(db, agency, input.year, input.today);
    if (view?.status === "published") {
      result.existing.push(slug);
      continue;
    }
    if (!view || view.status === "draft") {
      view = await generateReport(db, {
        agency,
        year: input.year,
        actor,
        today: input.today,
        now: input.now,
      });
    }
    if (!view.submittable) {
      const first = view.findings.find((f) => f.severity === "error");
      result.failed.push({ slug, reason: first?.message ?? "未通过校验" });
      continue;
    }
    const order: ReportTransition[] = ["submit", "review", "approve", "publish"];
    for (const transition of order.slice(order.findIndex((t) => canTransition(view?.status ?? "draft", t)))) {
      view = await transitionReport(deps, {
        agency,
        year: input.year,
        transition,
        actor,
        today: input.today,
        now: input.now,
      });
    }
    result.published.push(slug);
  }
  return result;
}
