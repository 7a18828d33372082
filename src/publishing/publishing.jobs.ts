/**
 * @module Background jobs of publishing (registered by src/app-jobs.ts): daily duty notices (到期提醒) for every
 * agency, the nightly link check of published pages (internal and external links; broken ones become notices
 * to the agency), and scheduled publication / withdrawal every minute (record-schedule.service.ts).
 */
import { listAgenciesByName } from "../agencies/agency.service.ts";
import { addFigures, type JobDefinition, type JobSummary } from "../jobs/job.ts";
import { checkInternalLinks } from "./compliance.service.ts";
import { CONTENT_CHECK_JOB, runQueuedChecks } from "./content-check-run.service.ts";
import { checkAgencyExternalLinks } from "./external-link.service.ts";
import { checkExternalUrls, systemResolver } from "./link-check.ts";
import { createMailer, deliverNotices, type NoticeDraft, runDutyNotices } from "./notification.service.ts";
import { adminRecordPath } from "./record.paths.ts";
import { restoreDroppedIndexes } from "./record-bulk.ts";
import { runDueSchedules } from "./record-schedule.service.ts";

export const dutyNoticesJob: JobDefinition = {
  name: "publishing.duty-notices",
  title: "公开时限提醒",
  description:
    "每天为各机关生成即将到期和已逾期的信息公开、定期更新提醒（站内通知，配置邮件时同时发送邮件）。",
  cron: "30 7 * * *",
  async run({ deps }) {
    const summary: JobSummary = { totals: { agencies: 0, notices: 0, mailed: 0, mailFailed: 0 } };
    const today = deps.clock.today();
    const mailer = createMailer(deps.config);
    for (const agency of await listAgenciesByName(deps.db)) {
      const run = await runDutyNotices(deps, agency.id, today, mailer);
      const mailed = await run.mailed;
      summary.totals.agencies = (summary.totals.agencies ?? 0) + 1;
      addFigures(summary, agency.id, {
        notices: run.created.length,
        mailed: mailed.sent,
        mailFailed: mailed.failed,
      });
    }
    return summary;
  },
};

export const linkCheckJob: JobDefinition = {
  name: "publishing.link-check",
  title: "链接检查",
  description:
    "每晚检查已发布信息中的站内链接和外部链接（含外链域名是否已注销或被停放待售）；失效链接以站内通知告知本机关（同一信息中的同一链接只提醒一次），结果计入检查指标。",
  cron: "0 3 * * *",
  expireInSeconds: 2 * 3600,
  async run({ deps, probe, signal }) {
    const summary: JobSummary = { totals: { internal: 0, external: 0, broken: 0, notices: 0 } };
    const mailer = createMailer(deps.config);
    for (const agency of await listAgenciesByName(deps.db)) {
      if (signal.aborted) throw new Error("stopped");
      const internal = await checkInternalLinks(deps, agency.id, probe);
      const external = await checkAgencyExternalLinks(deps, agency.id, {
        check: (urls) =>
          checkExternalUrls(
            urls,
            {
              allowPrivate: deps.config.linkCheckAllowPrivate,
              userAgent: `Gongkai-LinkCheck/1.0 (+${deps.config.publicUrl})`,
            },
            signal,
          ),
        resolver: systemResolver,
        signal,
      });
      const broken = [...internal.brokenLinks, ...external.broken];
      const drafts: NoticeDraft[] = broken.map((b) => ({
        kind: "broken_link",
        departmentId: null,
        subject: `【链接失效】《${b.recordTitle}》中的链接无法访问`,
        body: `已发布的《${b.recordTitle}》中的链接 ${b.url} 无法访问：${b.reason}。请修改该信息或更正链接。`,
        link: adminRecordPath(b.recordId, agency.slug),
        dedupeKey: `broken_link:${b.recordId}:${b.url.slice(0, 500)}`,
      }));
      const delivered = await deliverNotices(deps, agency.id, drafts, mailer);
      await delivered.mailed;
      addFigures(summary, agency.id, {
        internal: internal.checked,
        external: external.checked,
        broken: broken.length,
        notices: delivered.created.length,
      });
    }
    return summary;
  },
};

export const scheduledPublicationJob: JobDefinition = {
  name: "publishing.scheduled",
  title: "定时发布和定时下线",
  description:
    "每分钟发布已到定时发布时间的信息、撤下已到定时下线时间的信息（按设定人的名义记录审计日志；不能办理的取消安排并通知本机关）。",
  cron: "* * * * *",
  retryLimit: 2,
  retryDelaySeconds: 20,
  expireInSeconds: 10 * 60,
  async run({ deps, signal }) {
    const run = await runDueSchedules(deps, signal);
    const summary: JobSummary = { totals: { published: 0, withdrawn: 0, failed: 0 } };
    for (const [agencyId, figures] of Object.entries(run.agencies)) addFigures(summary, agencyId, figures);
    return summary;
  },
};

/** 强制检测 over published records, on demand (content-check-run.service.ts): runs every queued run. */
export const contentCheckJob: JobDefinition = {
  name: CONTENT_CHECK_JOB,
  title: "已发布信息检测",
  description: "按机关要求检测全部已发布信息中的个人信息、敏感词和领导职务，生成检测报告。",
  cron: null,
  expireInSeconds: 3600,
  async run({ deps, signal }) {
    const t = await runQueuedChecks(deps, signal);
    return { totals: { runs: t.runs, records: t.checked, findings: t.findings } };
  },
};

/**
 * Indexes of records that a bulk load (gongkai dev generate) dropped and could not build again because its process
 * died: built again from their saved definitions (record-bulk.ts restoreDroppedIndexes), unless a load is running.
 * Without them searches still answer, but slowly.
 */
export const restoreIndexesJob: JobDefinition = {
  name: "publishing.restore-indexes",
  title: "恢复批量导入中断留下的检索索引",
  description:
    "每10分钟检查一次：批量导入（gongkai dev generate）在删除检索索引后中断时，按保存的定义重建这些索引；导入仍在进行时跳过。",
  cron: "*/10 * * * *",
  expireInSeconds: 2 * 3600,
  async run({ deps }) {
    const report = await restoreDroppedIndexes(deps.db);
    return {
      totals: { rebuilt: report.rebuilt.length },
      ...(report.skipped
        ? { note: report.skipped }
        : report.rebuilt.length
          ? { note: `已重建索引：${report.rebuilt.join("、")}` }
          : {}),
    };
  },
};

export function publishingJobs(): JobDefinition[] {
  return [dutyNoticesJob, linkCheckJob, scheduledPublicationJob, contentCheckJob, restoreIndexesJob];
}
