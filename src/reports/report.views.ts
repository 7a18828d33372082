/**
 * @module Pages of the annual report: the staff console (/admin/reports, /admin/agencies/:agency/reports…: list, report with checks
 * and workflow) and the public portal (/agencies/{slug}/reports…), with the paths and small pieces the other report
 * views share. Cell and text editing: report-edit.views.ts; the region's compiled report: report-regional.views.ts.
 * Styles come from /static/report.css (strict CSP: no inline styles).
 */
import type { Agency } from "../agencies/agency.service.ts";
import type { FieldError } from "../errors.ts";
import { staffAgencyPath } from "../http/agency-paths.ts";
import { type Crumb, type PageContext, page } from "../http/layout.ts";
import { agencyCrumbs, agencyNav, agencyPath } from "../http/public-layout.ts";
import { shanghaiDateTime } from "../shared/clock.ts";
import { html, type SafeHtml } from "../shared/html.ts";
import { reportTitle } from "./annual-report.format.ts";
import { annualReportArticle } from "./annual-report.html.ts";
import type { Finding } from "./annual-report.rules.ts";
import type { PublishedReport } from "./published-reports.read.ts";
import { EXPORT_FORMATS, type ExportFormat } from "./report.exports.ts";
import {
  type CellSection,
  NARRATIVE_FIELDS,
  REPORT_STATUSES,
  type ReportTransition,
  TRANSITIONS,
} from "./report.rules.ts";
import type { AgencyReminder, ReportSummary, ReportView } from "./report.service.ts";
import type { ReportStatus } from "./report.table.ts";

export const REPORT_STYLESHEET = html`<link rel="stylesheet" href="/static/report.css">`;

const FORMATS = Object.keys(EXPORT_FORMATS) as ExportFormat[];

// ---------------------------------------------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------------------------------------------

export function adminReportPath(agency: Pick<Agency, "slug">, year?: number, sub = ""): string {
  const base = staffAgencyPath(agency.slug, "/reports");
  if (year === undefined) return base;
  return `${base}/${year}${sub ? `/${sub}` : ""}`;
}

export function publicReportPath(agency: Pick<Agency, "slug">, year?: number, sub = ""): string {
  const base = agencyPath(agency, "reports");
  if (year === undefined) return base;
  return `${base}/${year}${sub ? `/${sub}` : ""}`;
}

/** The public pages of a region's compiled report (本级政府年度报告). */
export function publicRegionalReportPath(regionId: string, year?: number, sub = ""): string {
  const base = `/regions/${regionId}/reports`;
  if (year === undefined) return base;
  return `${base}/${year}${sub ? `/${sub}` : ""}`;
}

export function regionalReportPath(regionId: string, year?: number, sub = ""): string {
  const base = `/admin/region-reports/${regionId}`;
  if (year === undefined) return base;
  return `${base}/${year}${sub ? `/${sub}` : ""}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Small pieces
// ---------------------------------------------------------------------------------------------------------------

export function adminCrumbs(...rest: Crumb[]): Crumb[] {
  return [{ href: "/admin", label: "工作台" }, { href: "/admin/reports", label: "年度报告" }, ...rest];
}

export function csrf(ctx: PageContext): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrfToken ?? ""}">`;
}

export function time(value: Date | null): string {
  return value ? shanghaiDateTime(value) : "";
}

function statusBadge(status: ReportStatus): SafeHtml {
  const cls = status === "published" ? "badge-ok" : status === "draft" ? "badge-warn" : "";
  return html`<span class="badge ${cls}">${REPORT_STATUSES[status]}</span>`;
}

function lateBadge(l: { publishedLate: boolean; overdue: boolean; deadline: string }): SafeHtml {
  if (l.publishedLate) return html` <span class="badge badge-late">逾期发布（截止${l.deadline}）</span>`;
  if (l.overdue) return html` <span class="badge badge-late">已逾期未发布（截止${l.deadline}）</span>`;
  return html``;
}

export function fieldError(errors: readonly FieldError[], key: string, id: string): SafeHtml {
  const e = errors.find((x) => x.field === key);
  return e ? html`<p class="field-error" id="${id}-error">${e.message}</p>` : html``;
}

export function invalid(errors: readonly FieldError[], key: string, id: string): SafeHtml {
  return errors.some((e) => e.field === key)
    ? html` aria-invalid="true" aria-describedby="${id}-error"`
    : html``;
}

export function errorSummary(
  errors: readonly FieldError[],
  idOf: (field: string) => string,
  message?: string,
): SafeHtml {
  if (errors.length === 0 && !message) return html``;
  return html`<div class="notice notice-error" role="alert"><p>${message ?? "请修改以下内容："}</p><ul>${errors.map(
    (e) => html`<li><a href="#${idOf(e.field)}">${e.message}</a></li>`,
  )}</ul></div>`;
}

export function findingsList(findings: readonly Finding[]): SafeHtml {
  if (findings.length === 0)
    return html`<p class="notice notice-ok" role="status">校验通过：表格勾稽关系、合计和必填内容均无问题。</p>`;
  const errors = findings.filter((f) => f.severity === "error");
  const warnings = findings.filter((f) => f.severity === "warning");
  const item = (f: Finding) =>
    html`<li><span class="badge ${f.severity === "error" ? "badge-err" : "badge-warn"}">${f.severity === "error" ? "错误" : "提示"}</span> <span class="cells">${f.cells.join("、")}</span>：${f.message}<br><small class="hint">依据：${f.basis}</small></li>`;
  return html`<div class="notice ${errors.length ? "notice-error" : "notice-warn"}">
<p>${errors.length ? `有${errors.length}项错误，修改前不能提交。` : ""}${warnings.length ? `有${warnings.length}项提示，请核实。` : ""}</p>
<ul class="report-findings">${errors.map(item)}${warnings.map(item)}</ul>
</div>`;
}

export function downloads(base: string): SafeHtml {
  return html`<ul class="report-downloads">${FORMATS.map(
    (f) => html`<li><a href="${base}/files/report.${f}" download>${EXPORT_FORMATS[f].label}</a></li>`,
  )}</ul>`;
}

const STEP_ORDER: readonly ReportStatus[] = ["draft", "submitted", "reviewed", "approved", "published"];

function steps(status: ReportStatus): SafeHtml {
  return html`<ol class="report-steps" aria-label="办理环节">${STEP_ORDER.map(
    (s) => html`<li${s === status ? html` aria-current="step"` : ""}>${REPORT_STATUSES[s]}</li>`,
  )}</ol>`;
}

// ---------------------------------------------------------------------------------------------------------------
// Reminders
// ---------------------------------------------------------------------------------------------------------------

/** The console notices for reports due (条例第49条), e.g. "2025年度报告尚未发布，截止日期2026-01-31". */
export function remindersFragment(reminders: readonly AgencyReminder[], multipleAgencies = true): SafeHtml {
  if (reminders.length === 0) return html``;
  return html`<div class="notice ${reminders.some((r) => r.overdue) ? "notice-error" : "notice-warn"}" role="status">
<p><strong>年度报告提醒</strong>（《条例》第四十九条：每年1月31日前公布本机关上一年度政府信息公开工作年度报告）</p>
<ul>${reminders.map(
    (r) =>
      html`<li>${multipleAgencies ? `${r.agencyName}：` : ""}<a href="${r.status ? adminReportPath({ slug: r.agencySlug }, r.year) : `/admin/reports#ag-${r.agencySlug}`}">${r.message}</a>${r.overdue ? html` <span class="badge badge-late">逾期</span>` : ""}</li>`,
  )}</ul>
</div>`;
}

// ---------------------------------------------------------------------------------------------------------------
// Staff: list
// ---------------------------------------------------------------------------------------------------------------

export interface ReportsIndexModel {
  agencies: { agency: Agency; reports: ReportSummary[]; canEdit: boolean }[];
  reminders: AgencyReminder[];
  /** Years offered for generation (newest first). */
  years: number[];
  canAggregate: boolean;
}

export function reportsIndexPage(ctx: PageContext, m: ReportsIndexModel): SafeHtml {
  return page(ctx, {
    area: "staff",
    title: "政府信息公开工作年度报告",
    breadcrumbs: [{ href: "/admin", label: "工作台" }, { label: "年度报告" }],
    head: REPORT_STYLESHEET,
    body: html`<h1>政府信息公开工作年度报告</h1>
${remindersFragment(m.reminders, m.agencies.length > 1)}
<p>年度报告按《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）编制：统计期限为1月1日至12月31日，表二至表四根据本平台的政府信息和依申请公开登记数据生成，可人工补充；经审核、审签后发布到门户的“政府信息公开年报”栏目。</p>
${m.canAggregate ? html`<p><a href="/admin/region-reports">本级政府年度报告汇总（区域）</a></p>` : ""}
${m.agencies.length === 0 ? html`<p>没有可以查看年度报告的机关。</p>` : ""}
${m.agencies.map(
  ({ agency, reports, canEdit }) => html`<section aria-labelledby="ag-${agency.slug}">
<h2 id="ag-${agency.slug}">${agency.name}</h2>
${
  reports.length
    ? html`<div class="table-scroll"><table>
<caption class="visually-hidden">${agency.name}的年度报告</caption>
<thead><tr><th scope="col">年度</th><th scope="col">状态</th><th scope="col">发布日期</th><th scope="col">最后修改</th></tr></thead>
<tbody>${reports.map(
        (r) =>
          html`<tr><th scope="row"><a href="${adminReportPath(agency, r.year)}">${r.year}年度</a></th><td>${statusBadge(r.status)}${lateBadge(r.lateness)}</td><td>${r.publishedOn ?? "—"}</td><td>${time(r.updatedAt)}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>尚未编制年度报告。</p>`
}
${
  canEdit
    ? html`<form method="post" action="${adminReportPath(agency)}/generate" class="search-form">
${csrf(ctx)}
<label for="year-${agency.slug}">根据数据生成年度报告</label>
<select id="year-${agency.slug}" name="year">${m.years.map((y) => html`<option value="${y}">${y}年度</option>`)}</select>
<button type="submit">生成</button>
</form>`
    : ""
}
</section>`,
)}`,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Staff: one report
// ---------------------------------------------------------------------------------------------------------------

export interface ReportPageModel {
  agency: Agency;
  view: ReportView;
  allowed: Partial<Record<ReportTransition | "edit" | "correct", boolean>>;
  /** Message after a redirect (generated, saved, submitted …). */
  done?: string | undefined;
  /** A refused action (check failure, wrong status), with findings when the checks failed. */
  error?: { message: string; code: string } | undefined;
}

const DONE_MESSAGES: Record<string, string> = {
  generate: "已根据最新数据生成报告；人工填报的数据和修改过的正文已保留。",
  cells: "数据已保存。",
  text: "正文已保存。",
  submit: "已提交审核。",
  review: "已审核通过，待审签。",
  approve: "已审签，待发布。",
  publish: "已发布到门户“政府信息公开年报”栏目。",
  return: "已退回起草人修改。",
  correct:
    "已开始更正：报告已回到起草状态（新版本），修改后请重新提交审核、审签并发布；门户继续显示已发布的版本。",
};

const SECTION_LINKS: { section: CellSection | "text"; label: string }[] = [
  { section: "text", label: "正文（一、五、六）" },
  { section: "proactive", label: "表二 主动公开" },
  { section: "applications", label: "表三 依申请公开" },
  { section: "review_litigation", label: "表四 复议诉讼" },
  { section: "other_matters", label: "六 信息处理费" },
];

function transitionForm(
  ctx: PageContext,
  m: ReportPageModel,
  transition: ReportTransition,
  extra: SafeHtml = html``,
): SafeHtml {
  return html`<form method="post" action="${adminReportPath(m.agency, m.view.year, transition)}">
${csrf(ctx)}<input type="hidden" name="version" value="${m.view.version}">
${extra}<button type="submit"${transition === "return" ? html` class="secondary"` : ""}>${TRANSITIONS[transition].label}</button>
</form>`;
}

export function reportPage(ctx: PageContext, m: ReportPageModel): SafeHtml {
  const v = m.view;
  const base = adminReportPath(m.agency, v.year);
  const manualCount = Object.keys(v.manual).length;
  const editedTexts = NARRATIVE_FIELDS.filter((f) => v.narratives[f.key] !== undefined).length;
  const forward = (["submit", "review", "approve", "publish"] as const).filter(
    (t) => m.allowed[t] && TRANSITIONS[t].from.includes(v.status),
  );
  const canReturn = m.allowed.return && TRANSITIONS.return.from.includes(v.status);
  return page(ctx, {
    area: "staff",
    title: v.title,
    breadcrumbs: adminCrumbs({ label: `${m.agency.shortName} ${v.year}年度` }),
    head: REPORT_STYLESHEET,
    body: html`<h1>${v.title}</h1>
<p class="hint">${m.agency.name} · ${v.year}年度 · ${statusBadge(v.status)}${lateBadge(v.lateness)}</p>
${m.done && DONE_MESSAGES[m.done] ? html`<p class="notice notice-ok" role="status">${DONE_MESSAGES[m.done]}</p>` : ""}
${m.error ? html`<div class="notice notice-error" role="alert"><p>${m.error.message}</p><p class="hint">错误代码：<code>${m.error.code}</code></p></div>` : ""}
${v.status === "draft" && v.returnedReason ? html`<p class="notice notice-warn">退回原因（${time(v.returnedAt)}）：${v.returnedReason}</p>` : ""}
<section aria-labelledby="wf-heading" class="no-print">
<h2 id="wf-heading">办理</h2>
${steps(v.status)}
<dl class="meta-list">
<div><dt>数据生成时间</dt><dd>${time(v.generatedAt)}${manualCount ? `（其中${manualCount}个单元格为人工填报）` : ""}${editedTexts ? `；${editedTexts}段正文已人工修改` : ""}</dd></div>
${v.submittedAt ? html`<div><dt>提交审核</dt><dd>${time(v.submittedAt)}</dd></div>` : ""}
${v.reviewedAt ? html`<div><dt>审核通过</dt><dd>${time(v.reviewedAt)}</dd></div>` : ""}
${v.approvedAt ? html`<div><dt>审签通过</dt><dd>${time(v.approvedAt)}</dd></div>` : ""}
<div><dt>发布截止日期</dt><dd>${v.lateness.deadline}（《条例》第四十九条）${v.publishedOn ? `；已于${v.publishedOn}发布` : ""}</dd></div>
${v.revision > 1 ? html`<div><dt>版本</dt><dd>第${v.revision}版（更正）${v.correctedOn ? `，已于${v.correctedOn}发布更正` : "，更正尚未发布，门户显示上一版本"}</dd></div>` : ""}
</dl>
${
  m.allowed.edit && v.status === "draft"
    ? html`<p>修改：${SECTION_LINKS.map(
        (s, i) =>
          html`${i ? " · " : ""}<a href="${base}/edit/${s.section === "text" ? "text" : s.section}">${s.label}</a>`,
      )}</p>
<form method="post" action="${adminReportPath(m.agency)}/generate">${csrf(ctx)}<input type="hidden" name="year" value="${v.year}"><input type="hidden" name="version" value="${v.version}"><button type="submit" class="secondary">根据最新数据重新生成</button> <span class="hint">人工填报的数据和修改过的正文会保留。</span></form>`
    : ""
}
<div class="report-actions">
${forward.map((t) => transitionForm(ctx, m, t))}
${
  m.allowed.correct && v.status === "published"
    ? html`<form method="post" action="${adminReportPath(m.agency, v.year, "correct")}">
${csrf(ctx)}<input type="hidden" name="version" value="${v.version}">
<label for="correct-reason">更正原因</label><input id="correct-reason" name="reason" required maxlength="1000">
<button type="submit" class="secondary">更正</button>
<p class="hint">更正将生成新版本并回到起草状态，须重新审核、审签后发布；已发布的版本在门户上仍可下载。</p>
</form>`
    : ""
}
${
  canReturn
    ? transitionForm(
        ctx,
        m,
        "return",
        html`<label for="return-reason">退回原因</label><input id="return-reason" name="reason" required maxlength="1000"> `,
      )
    : ""
}
</div>
</section>
<section aria-labelledby="check-heading">
<h2 id="check-heading">校验结果</h2>
${findingsList(v.findings)}
${v.previousYearChecked ? "" : html`<p class="hint">${v.year - 1}年度报告尚未在本平台审签，未核对“二、上年结转”与上年“四、结转下年度继续办理”的一致性。</p>`}
</section>
<section aria-labelledby="dl-heading" class="no-print">
<h2 id="dl-heading">下载</h2>
${downloads(base)}
<p><a href="${base}/chart">图解年报</a>${v.status === "published" ? html` · <a href="${publicReportPath(m.agency, v.year)}">门户页面</a>` : ""}</p>
</section>
${annualReportArticle(v.data, { headingLevel: 2 })}`,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Public
// ---------------------------------------------------------------------------------------------------------------

export function publicReportPage(ctx: PageContext, agency: Agency, report: PublishedReport): SafeHtml {
  const { data, publishedOn } = report;
  const base = publicReportPath(agency, data.year);
  const title = reportTitle(data.agencyName, data.year);
  return page(ctx, {
    title,
    description: `${title}（${publishedOn}发布）。`,
    breadcrumbs: agencyCrumbs(
      agency,
      { href: publicReportPath(agency), label: "政府信息公开年报" },
      { label: `${data.year}年度` },
    ),
    head: REPORT_STYLESHEET,
    body: html`${agencyNav(agency, "reports")}
<p class="hint">发布日期：${publishedOn}</p>
${report.correctedOn ? html`<p class="notice notice-warn" role="note">本报告已于${report.correctedOn}更正</p>` : ""}
<nav class="no-print" aria-label="下载和图解"><p><a href="${base}/chart">图解年报</a></p>${downloads(base)}</nav>
${
  report.previous.length
    ? html`<section class="no-print" aria-labelledby="rev-heading"><h2 id="rev-heading">更正前的版本</h2>
<ul>${report.previous.map(
        (r) =>
          html`<li>第${r.revision}版（${r.publishedOn}发布；更正原因：${r.reason}）${downloads(`${base}/revisions/${r.revision}`)}</li>`,
      )}</ul></section>`
    : ""
}
${annualReportArticle(data)}`,
  });
}
