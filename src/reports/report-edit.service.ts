/**
 * @module Generating (and refreshing, keeping staff-entered cells and narratives) and editing an annual report
 * while it is a draft; every change audited in its transaction.
 */
import type { Actor } from "../accounts/policy.ts";
import type { Agency } from "../agencies/agency.service.ts";
import type { DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { AppError, type FieldError, validationError } from "../errors.ts";
import { findReportForUpdate, insertReport, type ReportPatch, updateReport } from "./report.repository.ts";
import {
  type CellSection,
  cellKey,
  EDITABLE_CELLS,
  isReportableYear,
  mergeReport,
  NARRATIVE_FIELDS,
  type NarrativeKey,
  normaliseNarrative,
  notDraftMessage,
  parseCellInput,
} from "./report.rules.ts";
import { auditActor, buildSourceReport, type ReportView, toView } from "./report.service.ts";
import type { AnnualReportRow, ManualCells, ReportNarratives } from "./report.table.ts";

// ---------------------------------------------------------------------------------------------------------------
// Generating and editing (draft only)
// ---------------------------------------------------------------------------------------------------------------

export function assertVersion(row: AnnualReportRow, version: number | undefined): void {
  if (version !== undefined && row.version !== version) throw new AppError("report_conflict");
}

function assertDraft(row: AnnualReportRow): void {
  if (row.status !== "draft") {
    throw new AppError("report_invalid_transition", notDraftMessage(row.status));
  }
}

export async function saveOrConflict(
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
  deps: Pick<Deps, "db" | "audit">,
  input: { agency: Agency; year: number; actor: Actor; today: string; now: Date; version?: number },
): Promise<ReportView> {
  const { agency, year, actor, today, now } = input;
  if (!isReportableYear(year, today)) throw new AppError("report_year_invalid");
  return deps.db.transaction().execute(async (trx) => {
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
    await deps.audit.record(trx, {
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
  deps: Pick<Deps, "db" | "audit">,
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
  return deps.db.transaction().execute(async (trx) => {
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
    await deps.audit.record(trx, {
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
  deps: Pick<Deps, "db" | "audit">,
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
  return deps.db.transaction().execute(async (trx) => {
    const row = await findReportForUpdate(trx, input.agency.id, input.year);
    if (!row) throw new AppError("report_not_found");
    assertDraft(row);
    assertVersion(row, input.version);
    const narratives: ReportNarratives = { ...row.narratives };
    // What the system drafts now (from the current figures, staff cells included): equal text is not an edit.
    const drafted = mergeReport(row.source, row.manual, {}, input.agency.name);
    for (const f of NARRATIVE_FIELDS) {
      const text = input.values[f.key];
      if (input.reset?.includes(f.key)) {
        delete narratives[f.key];
        continue;
      }
      if (text === undefined) continue;
      const clean = normaliseNarrative(text);
      if (clean === normaliseNarrative(drafted[f.key]) || clean === normaliseNarrative(row.source[f.key]))
        delete narratives[f.key];
      else narratives[f.key] = clean;
    }
    const updated = await saveOrConflict(trx, row, {
      narratives,
      data: mergeReport(row.source, row.manual, narratives, input.agency.name),
    });
    await deps.audit.record(trx, {
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
