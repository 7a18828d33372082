/**
 * @module Background jobs of applications (依申请公开), registered by src/app-jobs.ts: daily reminders before and
 * after every open statutory deadline (答复、补正、缴费、征求意见; 条例第33条 and 国办函〔2020〕109号) as in-app
 * notices (and e-mail when SMTP_URL is set), and the daily purge of applicants' personal data whose retention period
 * has ended.
 */
import { listAgenciesByName } from "../agencies/agency.service.ts";
import { addFigures, type JobDefinition, type JobSummary } from "../jobs/job.ts";
import { createMailer, deliverNotices, type NoticeDraft } from "../publishing/notification.service.ts";
import { listReminders } from "./info-request-query.service.ts";
import { purgeExpiredPersonalData } from "./retention.service.ts";

export const requestRemindersJob: JobDefinition = {
  name: "requests.deadline-reminders",
  title: "依申请公开期限提醒",
  description: "每天为各机关生成依申请公开答复、补正、缴费、征求意见期限的到期前（3个工作日内）和逾期提醒。",
  cron: "35 7 * * *",
  async run({ deps }) {
    const summary: JobSummary = { totals: { reminders: 0, notices: 0, mailed: 0 } };
    const mailer = createMailer(deps.config);
    for (const agency of await listAgenciesByName(deps.db)) {
      const reminders = await listReminders(deps, agency);
      const drafts: NoticeDraft[] = reminders.map((r) => ({
        kind: r.urgency === "overdue" ? "request_overdue" : "request_due_soon",
        departmentId: null,
        subject: `【${r.urgency === "overdue" ? "已逾期" : "即将到期"}】申请${r.request.number}：${r.label}${r.due}`,
        body: `依申请公开申请${r.request.number}的${r.label}为${r.due}。${r.advice}`,
        link: `/admin/agencies/${encodeURIComponent(agency.slug)}/requests/${r.request.id}`,
        dedupeKey: `request:${r.urgency}:${r.kind}:${r.request.id}:${r.due}`,
      }));
      const delivered = await deliverNotices(deps, agency.id, drafts, mailer);
      const mailed = await delivered.mailed;
      addFigures(summary, agency.id, {
        reminders: reminders.length,
        notices: delivered.created.length,
        mailed: mailed.sent,
      });
    }
    return summary;
  },
};

export const purgePersonalDataJob: JobDefinition = {
  name: "requests.purge-personal-data",
  title: "删除到期的申请人个人信息",
  description:
    "每天删除保存期限届满的申请人身份和联系信息（与 gongkai requests purge 相同，逐件记入审计日志）。",
  cron: "30 2 * * *",
  async run({ deps }) {
    const { purged } = await purgeExpiredPersonalData(deps);
    return {
      totals: { purged: purged.length },
      note: purged.length ? `已删除 ${purged.length} 件申请的申请人个人信息` : "没有到期的个人信息",
    };
  },
};

export function requestJobs(): JobDefinition[] {
  return [requestRemindersJob, purgePersonalDataJob];
}
