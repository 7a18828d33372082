/**
 * @module Supervision pages: the regional dashboard (sortable, pass/fail against the indicators' thresholds, a
 * trend per agency, drill-down), the printable inspection report of an agency and of a region, and the regional
 * report audit. Server-rendered; sorting and filtering are plain links and GET forms (no JavaScript needed).
 */
import { formatChineseDate } from "../calendar/index.ts";
import { staffAgencyPath } from "../http/agency-paths.ts";
import { type PageContext, page } from "../http/layout.ts";
import { dateToken, html, join, raw, type SafeHtml } from "../shared/html.ts";
import { type CheckResult, type CheckStatus, INDICATORS, type IndicatorCode } from "./inspection.rules.ts";
import type { AgencyInspection, RegionDashboard } from "./supervision.service.ts";

const STATUS_BADGE: Record<CheckStatus, SafeHtml> = {
  pass: html`<span class="badge badge-ok">合格</span>`,
  warn: html`<span class="badge badge-warn">提醒</span>`,
  fail: html`<span class="badge badge-err">不合格</span>`,
  veto: html`<span class="badge badge-err">单项否决</span>`,
};

/** Dashboard columns: key, header, value for sorting, and the indicator whose status colours the cell. */
export const DASHBOARD_COLUMNS: readonly {
  key: string;
  label: string;
  value: (r: AgencyInspection) => number;
  indicator?: IndicatorCode;
  show: (r: AgencyInspection) => string;
}[] = [
  {
    key: "onTime",
    label: "按时公开率",
    value: (r) => r.onTimeRate ?? -1,
    indicator: "late_records",
    show: (r) => (r.onTimeRate === null ? "—" : `${Math.round(r.onTimeRate * 1000) / 10}%`),
  },
  {
    key: "overdue",
    label: "逾期未公开",
    value: (r) => r.figures.overdueRecords,
    indicator: "overdue_records",
    show: (r) => String(r.figures.overdueRecords),
  },
  {
    key: "applications",
    label: "逾期申请（在办/已办结逾期答复）",
    value: (r) => r.figures.applications.overdue + r.figures.applications.concludedLate,
    indicator: "applications_overdue",
    show: (r) =>
      `${r.figures.applications.overdue}/${r.figures.applications.open}；${r.figures.applications.concludedLate}/${r.figures.applications.concluded}`,
  },
  {
    key: "blank",
    label: "空白栏目",
    value: (r) => r.figures.blankColumns,
    indicator: "blank_columns",
    show: (r) => String(r.figures.blankColumns),
  },
  {
    key: "stale",
    label: "长期未更新",
    value: (r) => r.figures.staleColumns,
    indicator: "stale_columns",
    show: (r) => String(r.figures.staleColumns),
  },
  {
    key: "links",
    label: "失效链接",
    value: (r) => r.figures.brokenLinks,
    indicator: "broken_links",
    show: (r) => String(r.figures.brokenLinks),
  },
  {
    key: "lapsed",
    label: "失效外链域名",
    value: (r) => r.figures.externalLinks.lapsedDomains,
    indicator: "lapsed_domains",
    show: (r) => String(r.figures.externalLinks.lapsedDomains),
  },
  {
    key: "interpretation",
    label: "解读率",
    value: (r) =>
      r.figures.normative.total
        ? 1 - r.figures.normative.withoutInterpretation / r.figures.normative.total
        : 2,
    indicator: "interpretation_pairing",
    show: (r) =>
      r.figures.normative.total
        ? `${Math.round((1 - r.figures.normative.withoutInterpretation / r.figures.normative.total) * 100)}%`
        : "—",
  },
  {
    key: "report",
    label: "年度报告",
    value: (r) => ({ published: 2, draft: 1, missing: 0 })[r.figures.annualReport.status],
    indicator: "annual_report",
    show: (r) =>
      r.figures.annualReport.status === "published"
        ? `已发布 ${r.figures.annualReport.publishedOn}`
        : r.figures.annualReport.status === "draft"
          ? "编制中"
          : "未编制",
  },
  { key: "points", label: "扣分", value: (r) => r.summary.points, show: (r) => String(r.summary.points) },
];

export function sortRows(
  rows: readonly AgencyInspection[],
  key: string,
  dir: "asc" | "desc",
): AgencyInspection[] {
  const column = DASHBOARD_COLUMNS.find((c) => c.key === key);
  const sorted = [...rows];
  if (key === "name" || !column) sorted.sort((a, b) => a.agency.name.localeCompare(b.agency.name, "zh-CN"));
  else
    sorted.sort(
      (a, b) => column.value(a) - column.value(b) || a.agency.name.localeCompare(b.agency.name, "zh-CN"),
    );
  return dir === "desc" ? sorted.reverse() : sorted;
}

function statusOf(r: AgencyInspection, code: IndicatorCode | undefined): CheckStatus | null {
  if (!code) return null;
  return r.checks.find((c) => c.code === code)?.status ?? null;
}

/** A 12-month sparkline of records published (bars) with late ones in red; values listed for screen readers. */
export function sparkline(r: AgencyInspection): SafeHtml {
  const w = 96;
  const h = 24;
  const max = Math.max(1, ...r.trend.map((p) => p.published));
  const slot = w / Math.max(1, r.trend.length);
  const bars = r.trend
    .map((p, i) => {
      const bh = (p.published / max) * (h - 2);
      const lh = (p.late / max) * (h - 2);
      return `<rect x="${(i * slot).toFixed(1)}" y="${(h - bh).toFixed(1)}" width="${(slot - 1).toFixed(1)}" height="${bh.toFixed(1)}" fill="#5b7fa6"/>${lh > 0 ? `<rect x="${(i * slot).toFixed(1)}" y="${(h - lh).toFixed(1)}" width="${(slot - 1).toFixed(1)}" height="${lh.toFixed(1)}" fill="#c62828"/>` : ""}`;
    })
    .join("");
  const label = r.trend.map((p) => `${p.label}发布${p.published}条（逾期${p.late}条）`).join("，");
  return html`<svg class="sparkline" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="近12个月：${label}">${raw(bars)}</svg>`;
}

function thresholds(): SafeHtml {
  return html`<details class="thresholds"><summary>检查指标与依据</summary><table><thead><tr><th scope="col">指标</th><th scope="col">规则</th><th scope="col">依据</th><th scope="col">扣分</th></tr></thead><tbody>${join(
    INDICATORS.map(
      (i) =>
        html`<tr><th scope="row">${i.label}</th><td>${i.rule}</td><td>${i.source}</td><td class="num">${i.pointsEach ? `每处${i.pointsEach}分` : "—"}</td></tr>`,
    ),
  )}</tbody></table></details>`;
}

export interface DashboardModel {
  dashboard: RegionDashboard;
  regions: { id: string; name: string }[];
  subRegion: string;
  sort: string;
  dir: "asc" | "desc";
  rows: AgencyInspection[];
  base: string;
}

function query(m: DashboardModel, extra: Record<string, string>): string {
  const p = new URLSearchParams({
    ...(m.dashboard.region ? { region: m.dashboard.region.id } : {}),
    ...(m.subRegion ? { sub: m.subRegion } : {}),
    asOf: m.dashboard.asOf,
    sort: m.sort,
    dir: m.dir,
    ...extra,
  });
  return p.toString();
}

export function dashboardPage(ctx: PageContext, m: DashboardModel): SafeHtml {
  const d = m.dashboard;
  const sortLink = (key: string, label: string) => {
    const active = m.sort === key;
    const dir = active && m.dir === "asc" ? "desc" : "asc";
    return html`<a href="${m.base}?${query(m, { sort: key, dir })}"${active ? html` aria-current="true"` : ""}>${label}${active ? (m.dir === "asc" ? " ▲" : " ▼") : ""}</a>`;
  };
  const vetoed = m.rows.filter((r) => r.summary.veto).length;
  return page(ctx, {
    area: "staff",
    title: "区域监督",
    breadcrumbs: [{ href: "/admin", label: "工作台" }, { label: "区域监督" }],
    body: html`<h1>区域监督${d.region ? html`：${d.region.name}` : ""}</h1>
<form method="get" action="${m.base}" class="filters">
  <label>区域 <select name="region">${m.regions.length > 1 ? html`<option value=""${d.region ? "" : html` selected`}>全部辖区</option>` : ""}${join(
    m.regions.map(
      (r) => html`<option value="${r.id}"${d.region?.id === r.id ? html` selected` : ""}>${r.name}</option>`,
    ),
  )}</select></label>
  ${
    d.subRegions.length
      ? html`<label>下级区划 <select name="sub"><option value="">全部</option>${join(
          d.subRegions.map(
            (r) =>
              html`<option value="${r.id}"${m.subRegion === r.id ? html` selected` : ""}>${r.name}</option>`,
          ),
        )}</select></label>`
      : ""
  }
  <label>统计日期 <input type="date" name="asOf" value="${d.asOf}"></label>
  <input type="hidden" name="sort" value="${m.sort}"><input type="hidden" name="dir" value="${m.dir}">
  <button type="submit">查看</button>
</form>
<p>统计日期：${dateToken(formatChineseDate(d.asOf))}。共 ${m.rows.length} 个机关，其中 ${vetoed} 个触发单项否决。
<a href="${m.base}/export.xlsx?${query(m, {})}">导出 Excel</a> ·
<a href="${m.base}/inspection?${query(m, {})}">区域检查报告（可打印）</a> ·
<a href="${m.base}/reports">年度报告审核</a> ·
<a href="${m.base}/compare">目录比对</a></p>
${thresholds()}
<div class="table-scroll" tabindex="0" role="region" aria-label="辖区各机关检查结果"><table class="dashboard"><caption>辖区各机关检查结果（点击表头排序）</caption>
<thead><tr><th scope="col">${sortLink("name", "机关")}</th><th scope="col">区划</th>${join(
      DASHBOARD_COLUMNS.map((c) => html`<th scope="col">${sortLink(c.key, c.label)}</th>`),
    )}<th scope="col">近12个月</th><th scope="col">检查报告</th></tr></thead>
<tbody>${join(
      m.rows.map(
        (r) =>
          html`<tr${r.summary.veto ? html` class="veto"` : ""}><th scope="row"><a href="${staffAgencyPath(r.agency.slug, `/compliance?asOf=${d.asOf}`)}">${r.agency.name}</a>${r.summary.veto ? html` ${STATUS_BADGE.veto}` : ""}</th><td>${r.regionName}</td>${join(
            DASHBOARD_COLUMNS.map((c) => {
              const s = statusOf(r, c.indicator);
              return html`<td class="num${s ? ` st-${s}` : ""}">${c.show(r)}${s && s !== "pass" ? html` ${STATUS_BADGE[s]}` : ""}</td>`;
            }),
          )}<td>${sparkline(r)}</td><td><a href="${staffAgencyPath(r.agency.slug, `/inspection?asOf=${d.asOf}`)}">查看</a></td></tr>`,
      ),
    )}</tbody></table></div>`,
  });
}

function checksTable(checks: readonly CheckResult[], caption: string): SafeHtml {
  return html`<table class="inspection"><caption>${caption}</caption><thead><tr><th scope="col">指标</th><th scope="col">结果</th><th scope="col">数值</th><th scope="col">说明</th><th scope="col">依据</th><th scope="col">扣分</th></tr></thead><tbody>${join(
    checks.map(
      (c) =>
        html`<tr class="st-${c.status}"><th scope="row">${c.label}</th><td>${STATUS_BADGE[c.status]}</td><td class="num">${c.value}</td><td>${c.detail}</td><td>${c.source}</td><td class="num">${c.points || ""}</td></tr>`,
    ),
  )}</tbody></table>`;
}

function summaryLine(r: AgencyInspection): SafeHtml {
  const s = r.summary;
  return html`<p>结论：${s.veto ? html`<strong>触发单项否决</strong>；` : ""}不合格 ${s.failed} 项，提醒 ${s.warnings} 项，按考评细则合计扣 ${s.points} 分。</p>`;
}

export function agencyInspectionPage(ctx: PageContext, r: AgencyInspection, base: string): SafeHtml {
  return page(ctx, {
    area: "staff",
    title: `${r.agency.name}检查报告`,
    breadcrumbs: [
      { href: "/admin", label: "工作台" },
      { href: base, label: "区域监督" },
      { label: r.agency.name },
    ],
    body: html`<article class="inspection-report"><h1>${r.agency.name}政务公开检查报告</h1>
<p>检查日期：${formatChineseDate(r.asOf)}${r.regionName ? `；所属区划：${r.regionName}` : ""}。</p>
${summaryLine(r)}
${checksTable(r.checks, "检查结果")}
<p class="no-print"><a href="${staffAgencyPath(r.agency.slug, `/compliance?asOf=${r.asOf}`)}">查看考核统计明细</a> · 使用浏览器的“打印”即可打印本报告。</p>
</article>`,
  });
}

export function regionInspectionPage(
  ctx: PageContext,
  d: RegionDashboard,
  rows: readonly AgencyInspection[],
  base: string,
): SafeHtml {
  return page(ctx, {
    area: "staff",
    title: "区域检查报告",
    breadcrumbs: [
      { href: "/admin", label: "工作台" },
      { href: base, label: "区域监督" },
      { label: "区域检查报告" },
    ],
    body: html`<article class="inspection-report"><h1>${d.region?.name ?? "全平台"}政务公开检查报告</h1>
<p>检查日期：${formatChineseDate(d.asOf)}；检查机关 ${rows.length} 个，触发单项否决 ${rows.filter((r) => r.summary.veto).length} 个。</p>
${join(rows.map((r) => html`<section><h2>${r.agency.name}</h2>${summaryLine(r)}${checksTable(r.checks, `${r.agency.name}检查结果`)}</section>`))}
</article>`,
  });
}
