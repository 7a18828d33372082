/**
 * @module Periodic duties (月度/季度/年度更新, 每年1月31日前): one obligation per period per catalog item. An
 * obligation is met by a record of the item published within [period start, due date], or by a signed
 * "本期无新增信息" attestation (who, when, why); otherwise it is overdue after its due date (条例第53条:
 * failing to update published information).
 */
import { can, type StaffActor } from "../accounts/policy.ts";
import type { CalendarChange } from "../calendar/calendar.service.ts";
import { addMonthsClamped, compareDates, type PeriodUnit, periodicDue, periodOf } from "../calendar/index.ts";
import { listPublishedItems } from "../catalog/catalog-link.read.ts";
import type { DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { AppError, validationError } from "../errors.ts";
import { shanghaiDate } from "../shared/clock.ts";
import { isUuid } from "../shared/ids.ts";
import {
  findObligation,
  findOpenObligationToMeet,
  insertObligations,
  listObligations,
  lockObligation,
  type ObligationFilter,
  openCalendarObligations,
  setObligationDue,
  unmatchedPublishedRecords,
  updateObligation,
} from "./obligation.repository.ts";
import { provisionalDueRecords } from "./record.repository.ts";
import { calendarFor, uid } from "./record.service.ts";
import type { RecordObligationRow } from "./record.table.ts";
import { obligationPeriods, periodicDuties } from "./record-deadline.rules.ts";
import { remeasureRecordDue } from "./record-workflow.service.ts";

/** How far back obligations are created when none exist yet. */
export const OBLIGATION_LOOKBACK_MONTHS = 24;

/**
 * Creates the missing obligations of every periodic item of the agency's published catalog, for periods from
 * `from` (default: the catalog version's publication date, at most 24 months back) up to the period containing
 * `asOf`, then lets already-published records meet the new ones. Idempotent.
 */
export async function ensureObligations(
  deps: Pick<Deps, "db" | "calendarCache">,
  agencyId: string,
  options: { asOf: string; from?: string },
): Promise<{ created: number; matched: number }> {
  const calendar = await calendarFor(deps, agencyId);
  const items = await listPublishedItems(deps.db, agencyId);
  const floor = addMonthsClamped(options.asOf, -OBLIGATION_LOOKBACK_MONTHS);
  let created = 0;
  let matched = 0;
  for (const item of items) {
    const duties = periodicDuties(
      item.rules,
      item.elements.map((e) => ({ stableKey: e.stableKey, label: e.label, rules: e.rules })),
    );
    if (duties.length === 0) continue;
    let from =
      options.from ?? (item.versionPublishedAt ? shanghaiDate(item.versionPublishedAt) : options.asOf);
    if (compareDates(from, floor) < 0) from = floor;
    if (compareDates(from, options.asOf) > 0) from = options.asOf;
    const rows = duties.flatMap((duty) =>
      obligationPeriods(calendar, duty, from, options.asOf).map((p) => ({
        agency_id: agencyId,
        item_stable_key: item.stableKey,
        item_id: item.id,
        element_stable_key: duty.elementStableKey,
        period_unit: p.unit,
        period_year: p.year,
        period_index: p.index,
        period_label: p.label,
        period_start: p.start,
        period_end: p.end,
        due_date: p.due,
        due_explanation: p.explanation,
        status: "open" as const,
        department_id: item.leadDepartmentId,
      })),
    );
    const n = await insertObligations(deps.db, rows);
    created += n;
    if (n > 0) matched += await reconcileItem(deps.db, agencyId, item.stableKey);
  }
  return { created, matched };
}

/** Lets published records of an item that met no obligation yet meet open ones (in publication order). */
async function reconcileItem(db: DbOrTx, agencyId: string, itemStableKey: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    let n = 0;
    for (const r of await unmatchedPublishedRecords(trx, agencyId, itemStableKey)) {
      const o = await findOpenObligationToMeet(
        trx,
        agencyId,
        itemStableKey,
        r.element_stable_key,
        r.published_date,
      );
      if (!o) continue;
      await updateObligation(trx, agencyId, o.id, {
        status: "met",
        met_record_id: r.id,
        met_on: r.published_date,
      });
      n++;
    }
    return n;
  });
}

/** "本期无新增信息": closes an open obligation with a signed attestation (record.publish: 审签人/政务公开办). */
/** The obligation a staff URL names, within the agency (another agency's → 404 before the form is read). */
export async function obligationResource(
  db: DbOrTx,
  agencyId: string,
  id: string,
): Promise<{ agencyId: string; departmentId: string | null }> {
  const o = isUuid(id) ? await findObligation(db, agencyId, id) : undefined;
  if (!o) throw new AppError("record_obligation_not_found");
  return { agencyId: o.agency_id, departmentId: o.department_id };
}

export async function attestObligation(
  deps: Deps,
  actor: StaffActor,
  agencyId: string,
  obligationId: string,
  reason: string,
): Promise<void> {
  const why = reason.trim();
  if (why === "") throw validationError([{ field: "reason", message: "请说明本期无新增信息的原因" }]);
  if (why.length > 1000) throw validationError([{ field: "reason", message: "说明不能超过1000个字" }]);
  await deps.db.transaction().execute(async (trx) => {
    const o = await lockObligation(trx, agencyId, obligationId);
    if (!o) throw new AppError("record_obligation_not_found");
    if (!can(actor.user, "record.publish", { agencyId, departmentId: o.department_id }))
      throw new AppError("forbidden");
    if (o.status !== "open") throw new AppError("record_obligation_closed");
    const today = deps.clock.today();
    await updateObligation(trx, agencyId, obligationId, {
      status: "attested",
      met_on: today,
      attested_by: uid(actor),
      attested_by_name: actor.user.displayName,
      attested_at: deps.clock.now(),
      attestation_reason: why,
    });
    await deps.audit.record(trx, {
      actorId: uid(actor),
      actorName: actor.user.displayName,
      ip: actor.ip ?? null,
      action: "obligation.attest",
      agencyId,
      entityType: "record_obligation",
      entityId: obligationId,
      summary: `签署“本期无新增信息”：${o.period_label}（${o.item_stable_key}）：${why}`,
      after: { period: o.period_label, reason: why, metOn: today, due: o.due_date },
    });
  });
}

export type ObligationState = "met" | "met_late" | "attested" | "attested_late" | "open" | "overdue";

/** State of an obligation on `asOf`. Attesting or meeting after the due date counts as late. */
export function obligationState(o: RecordObligationRow, asOf: string): ObligationState {
  if (o.status === "met") return o.met_on && compareDates(o.met_on, o.due_date) > 0 ? "met_late" : "met";
  if (o.status === "attested")
    return o.met_on && compareDates(o.met_on, o.due_date) > 0 ? "attested_late" : "attested";
  return compareDates(o.due_date, asOf) < 0 ? "overdue" : "open";
}

export const OBLIGATION_STATE_LABELS: Readonly<Record<ObligationState, string>> = {
  met: "已按期更新",
  met_late: "逾期后更新",
  attested: "已签署本期无新增",
  attested_late: "逾期后签署本期无新增",
  open: "待更新",
  overdue: "已逾期",
};

export async function listAgencyObligations(
  db: DbOrTx,
  filter: ObligationFilter,
): Promise<RecordObligationRow[]> {
  return listObligations(db, filter);
}

/**
 * Calendar changes (a new holiday notice, a regional rest day): open periodic obligations get their due dates
 * recomputed, and published records whose due date was provisional are measured again. Runs inside the change's
 * transaction (registered on deps.calendarHooks by publishing.wiring.ts).
 */
export async function recomputeAfterCalendarChange(change: CalendarChange): Promise<number> {
  let count = 0;
  for (const o of await openCalendarObligations(change.db, change.agencyIds)) {
    const calendar = await calendarFor(change, o.agency_id);
    const d = periodicDue(calendar, periodOf(o.period_unit as PeriodUnit, o.period_year, o.period_index));
    if (d.due && (d.due !== o.due_date || d.explanation !== o.due_explanation)) {
      await setObligationDue(change.db, o.agency_id, o.id, d.due, d.explanation);
      count++;
    }
  }
  for (const r of await provisionalDueRecords(change.db, change.agencyIds)) {
    if (await remeasureRecordDue(change, r)) count++;
  }
  return count;
}
