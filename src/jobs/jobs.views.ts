/**
 * @module The background jobs page (后台任务): every job with its schedule, next run, queue, last runs and
 * failures.
 */
import { csrfInput } from "../http/forms.ts";
import { type PageContext, page } from "../http/layout.ts";
import { shanghaiDateTime } from "../shared/clock.ts";
import { html, type SafeHtml } from "../shared/html.ts";
import type { JobRunView, JobsOverview } from "./jobs.service.ts";

const STATUS = { running: "运行中", succeeded: "成功", failed: "失败" } as const;

const FIGURE_LABELS: Record<string, string> = {
  agencies: "机关",
  notices: "新提醒",
  mailed: "已发邮件",
  mailFailed: "邮件失败",
  reminders: "到期事项",
  purged: "已删除",
  internal: "站内链接",
  external: "外部链接",
  broken: "失效链接",
  due: "未发布报告",
  published: "已发布",
  withdrawn: "已撤回",
  skipped: "未执行",
};

function figures(f: Record<string, number>): string {
  const parts = Object.entries(f).map(([k, v]) => `${FIGURE_LABELS[k] ?? k} ${v}`);
  return parts.length ? parts.join("，") : "—";
}

function duration(r: JobRunView): string {
  if (!r.finishedAt) return "—";
  const ms = r.finishedAt.getTime() - r.startedAt.getTime();
  return ms < 1000 ? `${ms} 毫秒` : `${(ms / 1000).toFixed(1)} 秒`;
}

function runLine(r: JobRunView | undefined): SafeHtml {
  if (!r) return html`尚未运行`;
  return html`${shanghaiDateTime(r.startedAt)}，<strong>${STATUS[r.status]}</strong>${r.attempt > 0 ? `（第${r.attempt + 1}次尝试）` : ""}，${duration(r)}<br>${figures(r.figures)}${r.note ? html`<br>${r.note}` : ""}${r.error ? html`<br><span class="error">${r.error}</span>` : ""}`;
}

export function jobsPage(
  ctx: PageContext,
  o: { overview: JobsOverview; canRun: boolean; message?: string | undefined },
): SafeHtml {
  const { overview } = o;
  return page(ctx, {
    title: "后台任务",
    area: "staff",
    breadcrumbs: [{ href: "/admin", label: "工作台" }, { label: "后台任务" }],
    body: html`<h1>后台任务</h1>
<p>提醒、个人信息删除、链接检查、定时发布等工作由后台任务按计划自动完成（北京时间），失败后自动重试；同一任务不会同时运行两次。</p>
${o.message ? html`<p class="notice" role="status">${o.message}</p>` : ""}
${overview.running ? "" : html`<p class="notice notice-error" role="alert">本进程未运行后台任务（GONGKAI_JOBS=false）；任务由其他进程执行，以下为运行记录。</p>`}
<div class="table-scroll"><table><caption>任务列表</caption>
<thead><tr><th scope="col">任务</th><th scope="col">计划</th><th scope="col">下次运行</th><th scope="col">队列</th><th scope="col">最近一次运行</th>${o.canRun ? html`<th scope="col">操作</th>` : ""}</tr></thead>
<tbody>${overview.jobs.map(
      (
        j,
      ) => html`<tr id="job-${j.name}"><th scope="row">${j.title}<br><code>${j.name}</code><br><small>${j.description}</small></th>
<td>${j.schedule}</td><td>${j.nextRun ? shanghaiDateTime(j.nextRun) : "—"}</td>
<td>${j.depth ? `等待 ${j.depth.queued}，运行 ${j.depth.active}` : "—"}</td>
<td>${runLine(j.runs[0])}${
        j.runs.length > 1
          ? html`<details><summary>更早的运行</summary><ul>${j.runs.slice(1).map((r) => html`<li>${runLine(r)}</li>`)}</ul></details>`
          : ""
      }</td>
${o.canRun ? html`<td><form method="post" action="/admin/jobs/${j.name}/run">${csrfInput(ctx)}<button type="submit">立即运行</button></form></td>` : ""}</tr>`,
    )}</tbody></table></div>
<h2>最近的失败</h2>
${
  overview.failures.length
    ? html`<ul>${overview.failures.map((f) => html`<li>${f.title}（<code>${f.job}</code>）：${runLine(f)}</li>`)}</ul>`
    : html`<p>无。</p>`
}`,
  });
}
