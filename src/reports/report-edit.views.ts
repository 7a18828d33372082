/**
 * @module Staff pages editing a draft annual report: the numeric cells of tables 二 to 四 and the narrative sections
 * (总体情况, 存在的主要问题, 其他需要报告的事项). Pure HTML.
 */
import type { Agency } from "../agencies/agency.service.ts";
import type { FieldError } from "../errors.ts";
import { type PageContext, page } from "../http/layout.ts";
import { html, type SafeHtml } from "../shared/html.ts";
import { APPLICANT_TYPES, APPLICATION_ROWS, formatNumber, sectionTitle } from "./annual-report.format.ts";
import { getCell, type NumericCell } from "./annual-report.rules.ts";
import {
  type CellSection,
  cellKey,
  EDITABLE_CELLS,
  NARRATIVE_FIELDS,
  type NarrativeKey,
} from "./report.rules.ts";
import type { ReportView } from "./report.service.ts";
import {
  adminCrumbs,
  adminReportPath,
  csrf,
  errorSummary,
  fieldError,
  REPORT_STYLESHEET,
} from "./report.views.ts";

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
