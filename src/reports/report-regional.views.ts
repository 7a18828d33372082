/**
 * @module The region's compiled annual report (本级政府年度报告): its public pages and the staff pages that generate,
 * check and publish it. Pure HTML.
 */
import type { FieldError } from "../errors.ts";
import { type Crumb, type PageContext, page } from "../http/layout.ts";
import { html, type SafeHtml } from "../shared/html.ts";
import { reportTitle, sectionTitle } from "./annual-report.format.ts";
import { annualReportArticle } from "./annual-report.html.ts";
import type { AnnualReportData } from "./annual-report.rules.ts";
import { NARRATIVE_FIELDS, type NarrativeKey, REPORT_STATUSES } from "./report.rules.ts";
import type { RegionInfo } from "./report.service.ts";
import {
  adminCrumbs,
  csrf,
  downloads,
  errorSummary,
  fieldError,
  findingsList,
  invalid,
  publicRegionalReportPath,
  REPORT_STYLESHEET,
  regionalReportPath,
  time,
} from "./report.views.ts";
import type { RegionalReportView } from "./report-compiled.service.ts";

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
