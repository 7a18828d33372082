/**
 * @module The compliance pages (/admin/agencies/:agency/compliance, the overview /admin/compliance): the agency or department report with an accessible,
 * server-rendered SVG trend chart (role="img" with <title>/<desc> listing every value, visible labels, plus the same
 * numbers as a table), a printable report, and the supervisors' overview of their region's agencies.
 */
import { formatChineseDate } from "../calendar/index.ts";
import { staffAgencyPath } from "../http/agency-paths.ts";
import { type PageContext, page } from "../http/layout.ts";
import { dateToken, html, join, keepTokens, raw, type SafeHtml } from "../shared/html.ts";
import { formatRate } from "./compliance.rules.ts";
import type { AgencyComplianceRow, ComplianceReport, DueEntry, TrendPoint } from "./compliance.service.ts";
import { adminRecordPath, recordsPath } from "./record.paths.ts";

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** Grouped bar chart of the 12-month trend: on time, late, and missed periodic duties per month. */
export function trendChart(points: readonly TrendPoint[], id = "trend"): SafeHtml {
  const width = 760;
  const height = 280;
  const left = 40;
  const bottom = 60;
  const top = 20;
  const plotH = height - bottom - top;
  const max = Math.max(
    1,
    ...points.map((p) => Math.max(p.onTime, p.late, p.obligationsMissed, p.published - p.onTime - p.late)),
  );
  const slot = (width - left - 10) / Math.max(1, points.length);
  const barW = Math.max(4, Math.floor((slot - 8) / 3));
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const series = [
    { key: "onTime" as const, label: "按时发布", fill: "#2e7d32" },
    { key: "late" as const, label: "逾期发布", fill: "#c62828" },
    { key: "obligationsMissed" as const, label: "定期更新逾期", fill: "#ef6c00" },
  ];
  const desc = points
    .map(
      (p) => `${p.label}：按时发布${p.onTime}条，逾期发布${p.late}条，定期更新逾期${p.obligationsMissed}期`,
    )
    .join("；");
  const bars: string[] = [];
  points.forEach((p, i) => {
    const x0 = left + i * slot + 4;
    series.forEach((s, j) => {
      const v = p[s.key];
      const x = x0 + j * barW;
      const h = (v / max) * plotH;
      bars.push(
        `<rect x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${barW - 1}" height="${h.toFixed(1)}" fill="${s.fill}"/>`,
      );
      if (v > 0)
        bars.push(
          `<text x="${(x + (barW - 1) / 2).toFixed(1)}" y="${(y(v) - 3).toFixed(1)}" font-size="10" text-anchor="middle">${v}</text>`,
        );
    });
    bars.push(
      `<text x="${(x0 + (barW * 3) / 2).toFixed(1)}" y="${height - bottom + 16}" font-size="11" text-anchor="middle">${esc(`${Number(p.month.slice(5))}月`)}</text>`,
    );
  });
  const legend = series
    .map(
      (s, i) =>
        `<rect x="${left + i * 150}" y="${height - 22}" width="12" height="12" fill="${s.fill}"/><text x="${left + i * 150 + 18}" y="${height - 12}" font-size="12">${esc(s.label)}</text>`,
    )
    .join("");
  const axis = `<line x1="${left}" y1="${top + plotH}" x2="${width - 10}" y2="${top + plotH}" stroke="#555"/><text x="${left - 6}" y="${top + 10}" font-size="10" text-anchor="end">${max}</text><text x="${left - 6}" y="${top + plotH}" font-size="10" text-anchor="end">0</text>`;
  const first = points[0]?.label ?? "";
  const last = points.at(-1)?.label ?? "";
  return html`<figure class="chart">
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${String(width)} ${String(height)}" width="100%" role="img" aria-labelledby="${id}-title ${id}-desc">
<title id="${id}-title">${first}至${last}按时公开情况</title>
<desc id="${id}-desc">${desc}</desc>
${raw(axis + bars.join("") + legend)}
</svg>
<figcaption>${first}至${last}每月按时发布、逾期发布的信息条数和逾期的定期更新期数（数据见下表）。</figcaption>
</figure>`;
}

function dueTable(entries: DueEntry[], caption: string, overdue: boolean): SafeHtml {
  if (entries.length === 0) return html`<p>无。</p>`;
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="${caption}（表格）"><table><caption>${caption}</caption>
<thead><tr><th scope="col">事项</th><th scope="col">类型</th><th scope="col">责任股室</th><th scope="col">截止日期</th><th scope="col">${overdue ? "已逾期" : "剩余"}</th></tr></thead>
<tbody>${entries.map(
    (e) =>
      html`<tr><td><a href="${e.link}">${e.title}</a><br><span class="hint">${keepTokens(e.explanation)}</span></td><td>${e.kind === "record" ? "待发布信息" : "定期更新"}</td><td>${e.departmentName ?? "—"}</td><td>${dateToken(formatChineseDate(e.due))}</td><td class="num">${Math.abs(e.workingDays)}个工作日</td></tr>`,
  )}</tbody></table></div>`;
}

export interface ComplianceModel {
  report: ComplianceReport;
  agencies: { slug: string; name: string; id: string }[];
  departments: { id: string; name: string }[];
  print: boolean;
}

export function compliancePage(ctx: PageContext, m: ComplianceModel): SafeHtml {
  const r = m.report;
  const scope = r.department ? `${r.agency.name}${r.department.name}` : r.agency.name;
  const here = staffAgencyPath(r.agency.slug, "/compliance");
  const base = `${here}?${r.department ? `department=${r.department.id}&` : ""}asOf=${r.asOf}`;
  const title = `政务公开考核统计：${scope}`;
  const o = r.obligations;
  return page(ctx, {
    area: "staff",
    title,
    breadcrumbs: [
      { href: "/admin", label: "工作台" },
      { href: "/admin/compliance", label: "考核统计" },
      { label: scope },
    ],
    body: html`<h1>政务公开考核统计 <small class="hint">${scope}</small></h1>
<p>统计日期：${dateToken(formatChineseDate(r.asOf))}；按时公开率统计期间：${dateToken(formatChineseDate(r.window.from))}（不含）至${dateToken(formatChineseDate(r.asOf))}。</p>
${
  m.print
    ? html`<p class="no-print"><a href="${base}">返回</a>（使用浏览器的“打印”功能打印本页或另存为PDF）</p>`
    : html`<form method="get" action="${here}" class="search-form no-print">
${m.agencies.length > 1 ? html`<label for="c-agency">机关</label><select id="c-agency" name="agency">${m.agencies.map((a) => html`<option value="${a.slug}"${a.id === r.agency.id ? html` selected` : ""}>${a.name}</option>`)}</select>` : ""}
<label for="c-dept">股室</label><select id="c-dept" name="department"><option value="">全部股室</option>${m.departments.map((d) => html`<option value="${d.id}"${r.department?.id === d.id ? html` selected` : ""}>${d.name}</option>`)}</select>
<label for="c-asof">统计日期</label><input type="date" id="c-asof" name="asOf" value="${r.asOf}">
<button type="submit">查看</button></form>
<p class="no-print"><a href="${base}&print=1">打印版报告</a></p>`
}
<section aria-labelledby="h-sum"><h2 id="h-sum">概况</h2>
<table class="meta-table"><caption class="visually-hidden">概况</caption><tbody>
<tr><th scope="row">按时公开率（《条例》第二十六条）</th><td>${formatRate(r.onTime.rate)}（按时${r.onTime.onTime}条，逾期${r.onTime.late}条；期间共发布${r.onTime.published}条，其中${r.onTime.published - r.onTime.measured}条属定期更新事项，按期次考核）</td></tr>
<tr><th scope="row">定期更新任务</th><td>共${o.total}期：按期完成${o.met + o.attested - o.late}期（其中签署“本期无新增信息”${o.attested}期），逾期后完成${o.late}期，逾期未完成${o.overdue}期，进行中${o.open}期</td></tr>
<tr><th scope="row">已逾期事项</th><td>${r.overdue.length}项</td></tr>
<tr><th scope="row">不予公开信息逾期未评估（《条例》第十八条）</th><td>${r.overdueRereviews}条${r.overdueRereviews > 0 && !m.print ? html`（<a href="${recordsPath(r.agency.slug, "/rereview")}">去评估</a>）` : ""}</td></tr>
<tr><th scope="row">5个工作日内到期</th><td>${r.dueSoon.length}项</td></tr>
<tr><th scope="row">空白栏目</th><td>${r.blankItems.length}个</td></tr>
<tr><th scope="row">长期未更新栏目</th><td>${r.staleItems.length}个</td></tr>
<tr><th scope="row">失效链接</th><td>${r.brokenLinks.length}个${r.unverifiedLinks ? `（另有${r.unverifiedLinks}个站内链接未能核验）` : ""}</td></tr>
</tbody></table></section>
<section aria-labelledby="h-trend"><h2 id="h-trend">近12个月趋势</h2>
${trendChart(r.trend)}
<div class="table-scroll" tabindex="0" role="region" aria-label="近12个月按时公开情况（表格）"><table><caption>近12个月按时公开情况</caption>
<thead><tr><th scope="col">月份</th><th scope="col">发布</th><th scope="col">按时</th><th scope="col">逾期</th><th scope="col">到期的定期更新</th><th scope="col">其中逾期</th></tr></thead>
<tbody>${r.trend.map((t) => html`<tr><th scope="row">${t.label}</th><td class="num">${t.published}</td><td class="num">${t.onTime}</td><td class="num">${t.late}</td><td class="num">${t.obligationsDue}</td><td class="num">${t.obligationsMissed}</td></tr>`)}</tbody></table></div>
</section>
<section aria-labelledby="h-over"><h2 id="h-over">已逾期</h2>${dueTable(r.overdue, "已逾期的事项", true)}</section>
<section aria-labelledby="h-soon"><h2 id="h-soon">5个工作日内到期</h2>${dueTable(r.dueSoon, "即将到期的事项", false)}</section>
<section aria-labelledby="h-blank"><h2 id="h-blank">空白栏目</h2>
<p class="hint">主动公开事项目录中尚无任何已发布信息的事项。</p>
${r.blankItems.length ? html`<ul>${r.blankItems.map((i) => html`<li>${i.number ? `${i.number} ` : ""}${i.name}（${i.deadlineText ?? ""}${i.departmentNames.length ? `；${i.departmentNames.join("、")}` : ""}）</li>`)}</ul>` : html`<p>无。</p>`}</section>
<section aria-labelledby="h-stale"><h2 id="h-stale">长期未更新栏目</h2>
<p class="hint">按目录规定应定期更新、但最近一期已到期仍未更新（也未签署“本期无新增信息”）的事项。</p>
${r.staleItems.length ? html`<ul>${r.staleItems.map((i) => html`<li>${i.name}：最近更新${dateToken(i.lastUpdate ? formatChineseDate(i.lastUpdate) : null, "无")}，${i.behindPeriod}应于${dateToken(formatChineseDate(i.behindDue))}前更新（${keepTokens(i.deadlineText ?? "")}）</li>`)}</ul>` : html`<p>无。</p>`}</section>
<section aria-labelledby="h-links"><h2 id="h-links">失效链接</h2>
<p class="hint">已发布信息正文中指向本平台、但页面或文件不存在的链接（只检查站内链接）。</p>
${r.brokenLinks.length ? html`<ul>${r.brokenLinks.map((l) => html`<li><a href="${adminRecordPath(l.recordId, r.agency.slug)}">${l.recordTitle}</a>：<code>${l.url}</code>（${l.reason}）</li>`)}</ul>` : html`<p>无。</p>`}</section>
${
  r.departments.length
    ? html`<section aria-labelledby="h-dept"><h2 id="h-dept">各股室情况</h2><div class="table-scroll" tabindex="0" role="region" aria-label="各股室情况（表格）"><table><caption>各股室情况</caption>
<thead><tr><th scope="col">股室</th><th scope="col">发布</th><th scope="col">按时公开率</th><th scope="col">逾期发布</th><th scope="col">已逾期事项</th><th scope="col">即将到期</th></tr></thead>
<tbody>${r.departments.map(
        (d) =>
          html`<tr><th scope="row">${d.id ? html`<a href="${here}?department=${d.id}&asOf=${r.asOf}">${d.name}</a>` : d.name}</th><td class="num">${d.published}</td><td class="num">${formatRate(d.onTimeRate)}</td><td class="num">${d.late}</td><td class="num">${d.overdue}</td><td class="num">${d.dueSoon}</td></tr>`,
      )}</tbody></table></div></section>`
    : ""
}`,
  });
}

export function overviewPage(ctx: PageContext, m: { asOf: string; rows: AgencyComplianceRow[] }): SafeHtml {
  return page(ctx, {
    area: "staff",
    title: "政务公开考核统计",
    breadcrumbs: [{ href: "/admin", label: "工作台" }, { label: "考核统计" }],
    body: html`<h1>政务公开考核统计</h1>
<p>统计日期：${dateToken(formatChineseDate(m.asOf))}。点击机关名称查看详情。</p>
<div class="table-scroll" tabindex="0" role="region" aria-label="辖区各机关情况（表格）"><table><caption>辖区各机关情况</caption>
<thead><tr><th scope="col">机关</th><th scope="col">近12个月发布</th><th scope="col">按时公开率</th><th scope="col">逾期发布</th><th scope="col">已逾期事项</th><th scope="col">即将到期</th><th scope="col">空白栏目</th><th scope="col">长期未更新</th><th scope="col">失效链接</th></tr></thead>
<tbody>${join(
      m.rows.map(
        (r) =>
          html`<tr><th scope="row"><a href="${staffAgencyPath(r.agency.slug, `/compliance?asOf=${m.asOf}`)}">${r.agency.name}</a></th><td class="num">${r.published}</td><td class="num">${formatRate(r.onTimeRate)}</td><td class="num">${r.late}</td><td class="num">${r.overdue}</td><td class="num">${r.dueSoon}</td><td class="num">${r.blank}</td><td class="num">${r.stale}</td><td class="num">${r.brokenLinks}</td></tr>`,
      ),
    )}</tbody></table></div>`,
  });
}
