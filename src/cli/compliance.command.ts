/**
 * @module `gongkai compliance check`: the compliance report of an agency (the same data as /admin/compliance) on a
 * date, as text or JSON; `--notify` also creates the due/overdue notices and sends their e-mails.
 */
import { buildApp } from "../app.ts";
import { isValidDate } from "../calendar/date.ts";
import { inProcessProbe } from "../http/in-process-probe.ts";
import { formatRate } from "../publishing/compliance.rules.ts";
import { complianceReport } from "../publishing/compliance.service.ts";
import { runDutyNotices } from "../publishing/notification.service.ts";
import { agencyRefs, departmentsOf } from "../publishing/record-query.service.ts";
import { CliError, type Command, printJson, requireString } from "./command.ts";
import { withRuntime } from "./runtime.ts";

const USAGE =
  "gongkai compliance check --agency <slug> [--as-of YYYY-MM-DD] [--department <name|id>] [--json] [--notify]";

export const complianceCheckCommand: Command = {
  name: "compliance check",
  summary: "政务公开考核统计（按时公开率、逾期、空白栏目、失效链接） / compliance report of an agency",
  usage: USAGE,
  options: {
    agency: { type: "string" },
    "as-of": { type: "string" },
    department: { type: "string" },
    json: { type: "boolean" },
    notify: { type: "boolean" },
  },
  async run({ values }, io, env) {
    const slug = requireString(values, "agency", USAGE);
    const asOfArg = typeof values["as-of"] === "string" ? values["as-of"].trim() : undefined;
    if (asOfArg !== undefined && !isValidDate(asOfArg))
      throw new CliError(`--as-of must be YYYY-MM-DD\nusage: ${USAGE}`, 2);
    return withRuntime(
      async ({ deps }) => {
        const agency = (await agencyRefs(deps.db)).find((a) => a.slug === slug);
        if (!agency) throw new CliError(`unknown agency "${slug}"`);
        const asOf = asOfArg ?? deps.clock.today();
        let departmentId: string | null = null;
        if (typeof values.department === "string" && values.department.trim() !== "") {
          const want = values.department.trim();
          const d = (await departmentsOf(deps.db, agency.id)).find((x) => x.id === want || x.name === want);
          if (!d) throw new CliError(`unknown department "${want}" in ${slug}`);
          departmentId = d.id;
        }
        const app = await buildApp(deps);
        try {
          const report = await complianceReport(deps, {
            agencyId: agency.id,
            asOf,
            departmentId,
            probe: inProcessProbe(app),
          });
          let notices: { created: number; sent: number; failed: number } | undefined;
          if (values.notify) {
            const run = await runDutyNotices(deps, agency.id, asOf);
            const mailed = await run.mailed;
            notices = { created: run.created.length, ...mailed };
          }
          if (values.json) printJson(io, notices ? { ...report, notices } : report);
          else {
            const o = report.obligations;
            io.stdout.write(
              [
                `${report.agency.name}${report.department ? ` ${report.department.name}` : ""} 政务公开考核统计（${asOf}）`,
                `按时公开率：${formatRate(report.onTime.rate)}（按时 ${report.onTime.onTime}，逾期 ${report.onTime.late}，近12个月发布 ${report.onTime.published}）`,
                `定期更新：共 ${o.total} 期，完成 ${o.met + o.attested}（其中本期无新增 ${o.attested}，逾期后完成 ${o.late}），逾期未完成 ${o.overdue}，进行中 ${o.open}`,
                `已逾期 ${report.overdue.length} 项：${report.overdue.map((e) => `${e.title}（${e.due}）`).join("；") || "无"}`,
                `5个工作日内到期 ${report.dueSoon.length} 项：${report.dueSoon.map((e) => `${e.title}（${e.due}）`).join("；") || "无"}`,
                `空白栏目 ${report.blankItems.length} 个：${report.blankItems.map((i) => i.name).join("、") || "无"}`,
                `长期未更新 ${report.staleItems.length} 个：${report.staleItems.map((i) => `${i.name}（${i.behindPeriod}）`).join("、") || "无"}`,
                `失效链接 ${report.brokenLinks.length} 个${report.brokenLinks.map((l) => `\n  《${l.recordTitle}》 ${l.url}：${l.reason}`).join("")}`,
                ...(notices
                  ? [`提醒：新建 ${notices.created} 条，邮件发送 ${notices.sent}，失败 ${notices.failed}`]
                  : []),
                "",
              ].join("\n"),
            );
          }
          return 0;
        } finally {
          await app.close();
        }
      },
      { io, env },
    );
  },
};
