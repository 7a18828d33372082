/**
 * @module Background job of the annual report (年度报告), registered by src/app-jobs.ts: in January (and on the
 * first days after the deadline) each agency whose previous-year report is not yet published gets a notice —
 * when January starts, one week before the deadline, and once it has passed (条例第49条: by 31 January).
 */
import { listAgenciesByName } from "../agencies/agency.service.ts";
import { addFigures, type JobDefinition, type JobSummary } from "../jobs/job.ts";
import { createMailer, deliverNotices } from "../publishing/index.ts";
import { reportReminders } from "./report.service.ts";

/** Which reminder a day calls for: the January one, the last-week one, or the overdue one. */
export function reminderPhase(
  today: string,
  deadline: string,
  overdue: boolean,
): "open" | "week" | "overdue" {
  if (overdue) return "overdue";
  const days = (Date.parse(`${deadline}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000;
  return days <= 7 ? "week" : "open";
}

export const reportRemindersJob: JobDefinition = {
  name: "reports.annual-reminders",
  title: "年度报告提醒",
  description:
    "每年1月（至2月）提醒尚未发布上一年度政府信息公开工作年度报告的机关（条例第四十九条：1月31日前）。",
  cron: "0 8 * 1,2 *",
  async run({ deps }) {
    const summary: JobSummary = { totals: { due: 0, notices: 0 } };
    const today = deps.clock.today();
    const agencies = await listAgenciesByName(deps.db);
    const mailer = createMailer(deps.config);
    for (const r of await reportReminders(deps.db, agencies, today)) {
      const phase = reminderPhase(today, r.deadline, r.overdue);
      const delivered = await deliverNotices(
        deps,
        r.agencyId,
        [
          {
            kind: r.overdue ? "report_overdue" : "report_due",
            departmentId: null,
            subject: `【年度报告】${r.message}`,
            body: `${r.agencyName}：${r.message}。请在“年度报告”中编制、审核并发布。`,
            link: "/admin/reports",
            dedupeKey: `report:${r.year}:${phase}`,
          },
        ],
        mailer,
      );
      await delivered.mailed;
      addFigures(summary, r.agencyId, { due: 1, notices: delivered.created.length });
    }
    return summary;
  },
};

export function reportJobs(): JobDefinition[] {
  return [reportRemindersJob];
}
