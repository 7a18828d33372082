/**
 * @module Pages of the annual report: the staff console (/admin/reports, /admin/agencies/:agency/reports…: list, report with checks and workflow,
 * cell and text editing, the region's compiled report) and the public portal (/agencies/{slug}/reports…).
 * Styles come from /static/report.css (strict CSP: no inline styles).
 */
import type { Agency } from "../agencies/agency.service.ts";
import type { FieldError } from "../errors.ts";
import { staffAgencyPath } from "../http/agency-paths.ts";
import { type Crumb, type PageContext, page } from "../http/layout.ts";
import { agencyCrumbs, agencyNav, agencyPath } from "../http/public-layout.ts";
import { shanghaiDateTime } from "../shared/clock.ts";
import { html, type SafeHtml } from "../shared/html.ts";
import {
  APPLICANT_TYPES,
  APPLICATION_ROWS,
  formatNumber,
  reportTitle,
  sectionTitle,
} from "./annual-report.format.ts";
import { annualReportArticle } from "./annual-report.html.ts";
import { type AnnualReportData, type Finding, getCell, type NumericCell } from "./annual-report.rules.ts";
import type { PublishedReport } from "./published-reports.read.ts";
import { EXPORT_FORMATS, type ExportFormat } from "./report.exports.ts";
import {
  type CellSection,
  cellKey,
  EDITABLE_CELLS,
  NARRATIVE_FIELDS,
  type NarrativeKey,
  REPORT_STATUSES,
  type ReportTransition,
  TRANSITIONS,
} from "./report.rules.ts";
import type { AgencyReminder, RegionInfo, ReportSummary, ReportView } from "./report.service.ts";
import type { ReportStatus } from "./report.table.ts";
import type { RegionalReportView } from "./report-compiled.service.ts";

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

function adminCrumbs(...rest: Crumb[]): Crumb[] {
  return [{ href: "/admin", label: "工作台" }, { href: "/admin/reports", label: "年度报告" }, ...rest];
}

function csrf(ctx: PageContext): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrfToken ?? ""}">`;
}

function time(value: Date | null): string {
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

function fieldError(errors: readonly FieldError[], key: string, id: string): SafeHtml {
  const e = errors.find((x) => x.field === key);
  return e ? html`<p class="field-error" id="${id}-error">${e.message}</p>` : html``;
}

function invalid(errors: readonly FieldError[], key: string, id: string): SafeHtml {
  return errors.some((e) => e.field === key)
    ? html` aria-invalid="true" aria-describedby="${id}-error"`
    : html``;
}

function errorSummary(
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

function downloads(base: string): SafeHtml {
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
// Staff: editing cells
// ---------------------------------------------------------------------------------------------------------------

export interface CellsFormModel {
  agency: Agency;
  view: ReportView;
  section: CellSection;
  errors: FieldError[];
  /** Values as entered (after a failed save); otherwise the stored manual cells. */
  entered?: Record<string, string> | undefined;
  /** Why the form is shown again when not a field error (a refused permission keeps what was typed). */
  message?: string | undefined;
}

function inputId(key: string): string {
  return `c-${key.replaceAll(".", "-")}`;
}

function cellInput(m: CellsFormModel, cell: NumericCell, label: SafeHtml | null): SafeHtml {
  const key = cellKey(cell);
  const id = inputId(key);
  const stored = m.view.manual[key];
  const value = m.entered ? (m.entered[key] ?? "") : stored === undefined ? "" : formatNumber(stored);
  const system = getCell(m.view.source, cell.path);
  const systemText = typeof system === "number" ? formatNumber(system) : "—";
  const inputMode = cell.kind === "count" ? "numeric" : "decimal";
  const hasError = m.errors.some((e) => e.field === key);
  return html`${label ?? ""}<input type="text" inputmode="${inputMode}" id="${id}" name="${key}" value="${value}" ${label ? "" : html` aria-label="${cell.name}"`} aria-describedby="${id}-sys${hasError ? ` ${id}-error` : ""}"${hasError ? html` aria-invalid="true"` : ""}><span class="system" id="${id}-sys">系统统计：${systemText}</span>${fieldError(m.errors, key, id)}`;
}

function applicationsGrid(m: CellsFormModel): SafeHtml {
  const cells = EDITABLE_CELLS.filter((c) => c.section === "applications");
  const rows = APPLICATION_ROWS.filter((r) => r.code !== "concluded_total");
  return html`<div class="table-scroll"><table class="cell-grid">
<caption>${sectionTitle("applications")}（总计列和“（七）总计”行自动计算）</caption>
<thead><tr><th scope="col">项目</th>${APPLICANT_TYPES.map((t) => html`<th scope="col">${t.label}</th>`)}</tr></thead>
<tbody>${rows.map(
    (r) =>
      html`<tr><th scope="row">${r.level === "outcome" ? `${r.groupLabel?.slice(0, 3) ?? ""}${r.label}` : r.label}</th>${APPLICANT_TYPES.map(
        (t) => {
          const cell = cells.find((c) => c.path[1] === r.code && c.path[2] === t.code);
          return html`<td>${cell ? cellInput(m, cell, null) : ""}</td>`;
        },
      )}</tr>`,
  )}</tbody></table></div>`;
}

function listInputs(m: CellsFormModel): SafeHtml {
  const cells = EDITABLE_CELLS.filter((c) => c.section === m.section);
  return html`<div class="stack">${cells.map((cell) => {
    const id = inputId(cellKey(cell));
    return html`<div class="cell-grid">${cellInput(m, cell, html`<label for="${id}">${cell.name}</label> `)}</div>`;
  })}</div>`;
}

const CELL_SECTION_TITLES: Record<CellSection, string> = {
  proactive: sectionTitle("proactive"),
  applications: sectionTitle("applications"),
  review_litigation: sectionTitle("review_litigation"),
  other_matters: `${sectionTitle("other_matters")}：信息处理费`,
};

const CELL_SECTION_HINTS: Record<CellSection, string> = {
  proactive:
    "系统统计来自已发布的政府信息：规章、行政规范性文件按成文日期、废止日期和有效性统计；行政许可、处罚、强制按信息中登记的决定数量统计；行政事业性收费按登记的金额（万元）统计。未在本平台发布的，请在此填写。",
  applications:
    "系统统计来自依申请公开登记：本年新收按收到申请之日、办理结果按办结之日统计，上年结转和结转下年度按年末仍在办理的申请统计。仅在登记数据不完整时更正。",
  review_litigation:
    "系统统计来自依申请公开登记中的行政复议、行政诉讼：按本年度提起的案件统计，年末尚未审结的计入“尚未审结”。",
  other_matters: "系统统计来自依申请公开登记中的收费通知和缴费记录（单位：元）。",
};

export function editCellsPage(ctx: PageContext, m: CellsFormModel): SafeHtml {
  const base = adminReportPath(m.agency, m.view.year);
  const title = `修改：${CELL_SECTION_TITLES[m.section]}`;
  return page(ctx, {
    area: "staff",
    title: `${title} - ${m.view.title}`,
    breadcrumbs: adminCrumbs(
      { href: base, label: `${m.agency.shortName} ${m.view.year}年度` },
      { label: title },
    ),
    head: REPORT_STYLESHEET,
    body: html`<h1>${title}</h1>
<p class="hint">${m.view.title}</p>
${errorSummary(m.errors, inputId, m.message)}
<p>${CELL_SECTION_HINTS[m.section]}</p>
<p>留空表示使用系统统计数据；填写后以填写的数字为准，重新生成报告时保留。数量填写非负整数${m.section === "proactive" ? "，收费金额以万元为单位，最多4位小数" : m.section === "other_matters" ? "，金额以元为单位，最多2位小数" : ""}。</p>
<form method="post" action="${base}/edit/${m.section}" novalidate>
${csrf(ctx)}<input type="hidden" name="version" value="${m.view.version}">
${m.section === "applications" ? applicationsGrid(m) : listInputs(m)}
<p><button type="submit">保存</button> <a href="${base}">返回</a></p>
</form>`,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Staff: editing narratives
// ---------------------------------------------------------------------------------------------------------------

export interface TextFormModel {
  agency: Agency;
  view: ReportView;
  errors: FieldError[];
  entered?: Partial<Record<NarrativeKey, string>> | undefined;
  /** Why the form is shown again when not a field error. */
  message?: string | undefined;
}

const NARRATIVE_HINTS: Record<NarrativeKey, string> = {
  overview:
    "国办公开办函〔2021〕30号：总体情况包括主动公开、依申请公开、政府信息管理、平台建设、监督保障等方面。系统草拟的文字只包含可由数据得出的内容，请补充其他方面的情况。",
  problems: "存在的主要问题及改进情况。系统根据逾期公开、结转和被纠正的案件草拟。",
  otherMatters:
    "其他需要报告的事项（例如年度政务公开工作要点落实情况）。信息处理费的收取情况由系统根据收费数据自动列在本节开头。",
};

export function editTextPage(ctx: PageContext, m: TextFormModel): SafeHtml {
  const base = adminReportPath(m.agency, m.view.year);
  return page(ctx, {
    area: "staff",
    title: `修改正文 - ${m.view.title}`,
    breadcrumbs: adminCrumbs(
      { href: base, label: `${m.agency.shortName} ${m.view.year}年度` },
      { label: "修改正文" },
    ),
    head: REPORT_STYLESHEET,
    body: html`<h1>修改正文</h1>
<p class="hint">${m.view.title}</p>
${errorSummary(m.errors, (f) => `t-${f}`, m.message)}
<form method="post" action="${base}/edit/text" class="stack report-text" novalidate>
${csrf(ctx)}<input type="hidden" name="version" value="${m.view.version}">
${NARRATIVE_FIELDS.map((f) => {
  const id = `t-${f.key}`;
  const value = m.entered?.[f.key] ?? m.view.data[f.key];
  const edited = m.view.narratives[f.key] !== undefined;
  return html`<div><label for="${id}">${sectionTitle(f.section)}</label>
<p class="hint" id="${id}-hint">${NARRATIVE_HINTS[f.key]}${edited ? "（已人工修改）" : "（系统草拟，随数据更新）"}</p>
<textarea id="${id}" name="${f.key}" rows="${f.key === "overview" ? 14 : 6}" maxlength="${f.maxLength}" aria-describedby="${id}-hint${m.errors.some((e) => e.field === f.key) ? ` ${id}-error` : ""}"${m.errors.some((e) => e.field === f.key) ? html` aria-invalid="true"` : ""}>${value}</textarea>${fieldError(m.errors, f.key, id)}
${edited ? html`<div class="check"><input type="checkbox" id="${id}-reset" name="reset" value="${f.key}"><label for="${id}-reset">恢复为系统草拟的文字</label></div>` : ""}</div>`;
})}
<p class="hint">每段另起一行。</p>
<p><button type="submit">保存</button> <a href="${base}">返回</a></p>
</form>`,
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

// ---------------------------------------------------------------------------------------------------------------
// Public: the region's compiled report (本级政府年度报告)
// ---------------------------------------------------------------------------------------------------------------

function regionCrumbs(region: { id: string; name: string }, ...rest: Crumb[]): Crumb[] {
  return [
    { href: "/", label: "首页" },
    { href: publicRegionalReportPath(region.id), label: `${region.name}政府信息公开工作年度报告` },
    ...rest,
  ];
}

export function publicRegionalIndexPage(
  ctx: PageContext,
  region: { id: string; name: string },
  reports: readonly { year: number; title: string; publishedOn: string }[],
): SafeHtml {
  const title = `${region.name}政府信息公开工作年度报告`;
  return page(ctx, {
    title,
    description: `${region.name}人民政府汇总发布的政府信息公开工作年度报告（《条例》第四十九条）。`,
    breadcrumbs: [{ href: "/", label: "首页" }, { label: title }],
    body: html`<h1>${title}</h1>
<p>本级人民政府政府信息公开工作主管部门汇总本行政区域各部门（单位）年度报告编制，每年3月31日前公布（《条例》第四十九条）。</p>
${
  reports.length
    ? html`<ul>${reports.map(
        (r) =>
          html`<li><a href="${publicRegionalReportPath(region.id, r.year)}">${r.title}</a> <span class="hint">${r.publishedOn}发布</span></li>`,
      )}</ul>`
    : html`<p class="notice">暂无已发布的年度报告。</p>`
}`,
  });
}

export function publicRegionalReportPage(
  ctx: PageContext,
  region: { id: string; name: string },
  data: AnnualReportData,
  publishedOn: string,
): SafeHtml {
  const base = publicRegionalReportPath(region.id, data.year);
  const title = reportTitle(data.agencyName, data.year);
  return page(ctx, {
    title,
    description: `${title}（${publishedOn}发布）。`,
    breadcrumbs: regionCrumbs(region, { label: `${data.year}年度` }),
    head: REPORT_STYLESHEET,
    body: html`<p class="hint">发布日期：${publishedOn}</p>
<nav class="no-print" aria-label="下载">${downloads(base)}</nav>
${annualReportArticle(data)}`,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Staff: the region's compiled report
// ---------------------------------------------------------------------------------------------------------------

export interface RegionalIndexModel {
  regions: {
    region: RegionInfo;
    reports: { year: number; name: string; generatedAt: Date; publishedOn?: string | null }[];
  }[];
  years: number[];
}

export function regionalIndexPage(ctx: PageContext, m: RegionalIndexModel): SafeHtml {
  return page(ctx, {
    area: "staff",
    title: "本级政府年度报告汇总",
    breadcrumbs: adminCrumbs({ label: "区域汇总" }),
    head: REPORT_STYLESHEET,
    body: html`<h1>本级政府年度报告汇总</h1>
<p>根据本区域各部门（单位）已审签或已发布的年度报告逐项汇总本级政府的政府信息公开工作年度报告（《条例》第四十九条：每年3月31日前公布）。</p>
${m.regions.length === 0 ? html`<p>您没有可以汇总的区域。</p>` : ""}
${m.regions.map(
  ({ region, reports }) => html`<section aria-labelledby="rg-${region.id}">
<h2 id="rg-${region.id}">${region.name}</h2>
<p class="hint">本级部门：${region.agencies.length ? region.agencies.map((a) => a.name).join("、") : "无"}</p>
${reports.length ? html`<ul>${reports.map((r) => html`<li><a href="${regionalReportPath(region.id, r.year)}">${reportTitle(r.name, r.year)}</a> <span class="hint">汇总于${time(r.generatedAt)}${r.publishedOn ? `；${r.publishedOn}发布` : "；未发布"}</span></li>`)}</ul>` : ""}
<form method="post" action="${regionalReportPath(region.id)}/generate" class="search-form">
${csrf(ctx)}
<label for="ry-${region.id}">汇总年度</label>
<select id="ry-${region.id}" name="year">${m.years.map((y) => html`<option value="${y}">${y}年度</option>`)}</select>
<button type="submit">汇总生成</button>
</form>
</section>`,
)}`,
  });
}

export interface RegionalPageModel {
  view: RegionalReportView;
  errors: FieldError[];
  done?: string | undefined;
  entered?: { name?: string; values?: Partial<Record<NarrativeKey, string>> } | undefined;
  error?: { message: string; code: string } | undefined;
}

export function regionalReportPage(ctx: PageContext, m: RegionalPageModel): SafeHtml {
  const v = m.view;
  const base = regionalReportPath(v.regionId, v.year);
  return page(ctx, {
    area: "staff",
    title: v.title,
    breadcrumbs: adminCrumbs(
      { href: "/admin/region-reports", label: "区域汇总" },
      { label: `${v.regionName} ${v.year}年度` },
    ),
    head: REPORT_STYLESHEET,
    body: html`<h1>${v.title}</h1>
${m.done === "generate" ? html`<p class="notice notice-ok" role="status">已根据各部门已审签的年度报告重新汇总。</p>` : ""}
${m.done === "text" ? html`<p class="notice notice-ok" role="status">正文已保存。</p>` : ""}
${m.done === "publish" ? html`<p class="notice notice-ok" role="status">已发布到门户。</p>` : ""}
${m.error ? html`<div class="notice notice-error" role="alert"><p>${m.error.message}</p><p class="hint">错误代码：<code>${m.error.code}</code></p></div>` : ""}
<section aria-labelledby="src-heading" class="no-print">
<h2 id="src-heading">汇总范围</h2>
<p>汇总时间：${time(v.generatedAt)}；公布截止日期：${v.deadline}（《条例》第四十九条）。</p>
<p>已纳入（${v.sources.length}）：${v.sources.length ? v.sources.map((s) => s.agencyName).join("、") : "无"}</p>
${v.missing.length ? html`<p class="notice notice-warn">未纳入（年度报告尚未审签）：${v.missing.map((s) => `${s.agencyName}（${s.status ? REPORT_STATUSES[s.status] : "未编制"}）`).join("、")}</p>` : ""}
<form method="post" action="${regionalReportPath(v.regionId)}/generate">${csrf(ctx)}<input type="hidden" name="year" value="${v.year}"><button type="submit" class="secondary">重新汇总</button></form>
<h2>发布</h2>
${
  v.publishedOn
    ? html`<p>已于${v.publishedOn}发布到门户：<a href="${publicRegionalReportPath(v.regionId, v.year)}">公开页面</a>。重新汇总或修改正文后，须重新发布，门户才显示新内容。</p>`
    : html`<p>尚未发布。</p>`
}
<form method="post" action="${base}/publish">${csrf(ctx)}<button type="submit">${v.publishedOn ? "重新发布" : "发布到门户"}</button></form>
<h2>校验结果</h2>
${findingsList(v.findings.filter((f) => f.code !== "section_missing"))}
<h2>下载</h2>
${downloads(base)}
</section>
${annualReportArticle(v.data, { headingLevel: 2 })}
<section aria-labelledby="edit-heading" class="no-print report-text">
<h2 id="edit-heading">修改名称和正文</h2>
${errorSummary(m.errors, (f) => `r-${f}`)}
<form method="post" action="${base}/text" class="stack" novalidate>
${csrf(ctx)}
<div><label for="r-name">报告机关名称</label><input id="r-name" name="name" value="${m.entered?.name ?? v.name}" maxlength="100"${invalid(m.errors, "name", "r-name")}>${fieldError(m.errors, "name", "r-name")}</div>
${NARRATIVE_FIELDS.map((f) => {
  const id = `r-${f.key}`;
  return html`<div><label for="${id}">${sectionTitle(f.section)}</label>
<textarea id="${id}" name="${f.key}" rows="8" maxlength="${f.maxLength}"${invalid(m.errors, f.key, id)}>${m.entered?.values?.[f.key] ?? v.data[f.key]}</textarea>${fieldError(m.errors, f.key, id)}</div>`;
})}
<p class="hint">政府年度报告还应包括工作考核、社会评议和责任追究结果情况（《条例》第五十条第（四）项）。</p>
<p><button type="submit">保存</button></p>
</form>
</section>`,
  });
}
