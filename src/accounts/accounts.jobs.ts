/**
 * @module Background jobs of accounts (registered by src/app-jobs.ts): the daily personal deadline notices
 * (deadline-notices.service.ts).
 */
import type { JobDefinition } from "../jobs/job.ts";
import { runDeadlineNotices } from "./deadline-notices.service.ts";

export const personalDeadlineNoticesJob: JobDefinition = {
  name: "accounts.deadline-notices",
  title: "个人到期提醒",
  description:
    "每天按每位工作人员的工作台，为即将到期和已逾期的信息发布、依申请公开办理各发一条通知（同一事项同一期限只提醒一次；填写邮箱且未关闭邮件的同时发送邮件）。",
  cron: "45 7 * * *",
  async run({ deps, signal }) {
    const r = await runDeadlineNotices(deps, deps.clock.today(), signal);
    return { totals: { people: r.people, notices: r.notices, emailed: r.emailed } };
  },
};

export function accountJobs(): JobDefinition[] {
  return [personalDeadlineNoticesJob];
}
