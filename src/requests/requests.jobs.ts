/**
 * @module Background jobs of applications (依申请公开), registered by src/app-jobs.ts: daily reminders before and
 * after every open statutory deadline (答复、补正、缴费、征求意见; 条例第33条 and 国办函〔2020〕109号) as in-app
 * notices (and e-mail when SMTP_URL is set), and the daily purge of applicants' personal data whose retention period
 * has ended.
 */
import { listAgenciesByName } from "../agencies/agency.service.ts";
import { addFigures, type JobDefinition, type JobSummary } from "../jobs/job.ts";
import { createMailer, deliverNotices, type NoticeDraft } from "../publishing/index.ts";
import { sendDueMessages } from "./applicant-messages.service.ts";
import { listReminders } from "./info-request-query.service.ts";
import { purgeExpiredPersonalData } from "./retention.service.ts";

export const requestRemindersJob: JobDefinition = {
  name: "requests.deadline-reminders",
  title: "依申请公开期限提醒",
  description:
    "每天为各机关生成依申请公开答复、补正、缴费、征求意见期限的提醒：到期前N个工作日（依申请公开设置，默认3）、到期当日和逾期。",
  cron: "35 7 * * *",
  async run({ deps }) {
    const summary: JobSummary = { totals: { reminders: 0, notices: 0, mailed: 0 } };
    const mailer = createMailer(deps.config);
    for (const agency of await listAgenciesByName(deps.db)) {
      const reminders = await listReminders(deps, agency);
      // Three notices per deadline at most: N working days before (settings), on the day, and once overdue.
      const drafts: NoticeDraft[] = reminders.map((r) => {
        const stage = r.urgency === "overdue" ? "overdue" : r.daysLeft === 0 ? "due_today" : "due_soon";
        const tag = { overdue: "已逾期", due_today: "今日到期", due_soon: `还剩${r.daysLeft}个工作日` }[
          stage
        ];
        return {
          kind: `request_${stage}`,
          departmentId: null,
          subject: `【${tag}】申请${r.request.number}：${r.label}${r.due}`,
          body: `依申请公开申请${r.request.number}的${r.label}为${r.due}（${tag}）。${r.advice}`,
          link: `/admin/agencies/${encodeURIComponent(agency.slug)}/requests/${r.request.id}`,
          dedupeKey: `request:${stage}:${r.kind}:${r.request.id}:${r.due}`,
        };
      });
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

export const applicantMessagesJob: JobDefinition = {
  name: "requests.applicant-messages",
  title: "通知申请人",
  description:
    "每5分钟发送到期的申请人通知（收到申请、要求补正、延长答复期限、作出答复）：电子邮件，配置短信网关时同时发短信；免打扰时段内的通知排到时段结束后发送。",
  cron: "*/5 * * * *",
  retryLimit: 1,
  async run({ deps }) {
    const r = await sendDueMessages(deps, deps.messenger ?? {});
    return {
      totals: { sent: r.sent, failed: r.failed, skipped: r.skipped, retried: r.retried },
      note: `已发送 ${r.sent} 条，失败 ${r.failed} 条，无联系方式或未配置 ${r.skipped} 条，稍后重试 ${r.retried} 条`,
    };
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
  return [requestRemindersJob, applicantMessagesJob, purgePersonalDataJob];
}
