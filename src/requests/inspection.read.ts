/**
 * @module Applications' read function for inspections (检查指标), used by the supervision feature: open
 * applications and those past their next statutory due date (条例第33条 reply, or a step's own period), as of a
 * date; and the applications concluded in the twelve months before it whose reply came after its deadline (the
 * statutory clock recomputed with its pauses, extension and the agency's calendar) — a late reply counts even once
 * the application is closed. SQL on this feature's own tables only.
 */
import { sql } from "kysely";
import { type CalendarReader, getCalendarForAgency } from "../calendar/calendar.service.ts";
import { computeDeadlines, correctionNoticeLateness } from "./deadlines.ts";
import { findSettings } from "./info-request.repository.ts";
import { clockSettings, deadlineFacts } from "./info-request.service.ts";
import { OPEN_STATUSES } from "./info-request.ts";
import {
  listConsultations,
  listCorrections,
  listFirstCorrectionNotices,
} from "./request-steps.repository.ts";

export interface ApplicationInspectionFigures {
  open: number;
  overdue: number;
  /** Concluded in the 12 months up to the date, and of those replied after the reply deadline. */
  concluded: number;
  concludedLate: number;
  /**
   * 补正 notices sent in the 12 months up to the date later than 7 working days after receipt (条例第30条). Shown, not
   * scored: the evaluation rules deduct for late replies only.
   */
  lateCorrectionNotices: number;
}

export async function applicationInspectionFigures(
  reader: CalendarReader,
  agencyId: string,
  asOf: string,
): Promise<ApplicationInspectionFigures> {
  const { db } = reader;
  const row = await db
    .selectFrom("info_requests")
    .where("agency_id", "=", agencyId)
    .where("status", "in", [...OPEN_STATUSES])
    .select([
      sql<number>`count(*)::int`.as("open"),
      sql<number>`count(*) filter (where next_due_on < ${asOf}::date)::int`.as("overdue"),
    ])
    .executeTakeFirstOrThrow();
  const concluded = await db
    .selectFrom("info_requests")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("status", "not in", [...OPEN_STATUSES])
    .where("received_on", "is not", null)
    .where("concluded_on", "is not", null)
    .where(sql<boolean>`concluded_on > ${asOf}::date - 365 and concluded_on <= ${asOf}::date`)
    .execute();
  let late = 0;
  const calendar = await getCalendarForAgency(reader, agencyId);
  const settings = clockSettings(await findSettings(db, agencyId));
  // The same 12 months as the concluded applications below (after asOf − 365 days, up to asOf).
  const yearAgo = new Date(Date.parse(`${asOf}T00:00:00Z`) - 364 * 86_400_000).toISOString().slice(0, 10);
  let lateCorrectionNotices = 0;
  for (const n of await listFirstCorrectionNotices(db, agencyId, { from: yearAgo, to: asOf })) {
    try {
      const l = correctionNoticeLateness(calendar, n.received_on, n.notice_on, settings.restDayReceipt);
      if (l.lateWorkingDays > 0) lateCorrectionNotices++;
    } catch {
      // A date outside the working-day calendar: not counted either way (as for the replies below).
    }
  }
  if (concluded.length > 0) {
    for (const r of concluded) {
      const [corrections, consultations] = await Promise.all([
        listCorrections(db, agencyId, r.id),
        listConsultations(db, agencyId, r.id),
      ]);
      try {
        const report = computeDeadlines(
          calendar,
          deadlineFacts(r, corrections, consultations, settings, asOf),
        );
        if (report.deadlines.some((d) => d.kind === "reply" && d.state === "missed")) late++;
      } catch {
        // A history the clock refuses is shown on the application's page; it is not counted either way.
      }
    }
  }
  return {
    open: row.open,
    overdue: row.overdue,
    concluded: concluded.length,
    concludedLate: late,
    lateCorrectionNotices,
  };
}
