/**
 * @module 图解年报: server-rendered SVG bar charts of the report's main figures. Each chart is an accessible image
 * (role="img", <title> and <desc> naming every value) with visible text labels and values on every bar, so
 * nothing depends on colour or hovering. Pure string output through the escaping `html` template.
 */

import { html, join, raw, type SafeHtml } from "../shared/html.ts";
import {
  APPLICANT_TYPES,
  CASE_BLOCKS,
  CASE_RESULTS,
  formatNumber,
  OUTCOME_GROUPS,
  PROACTIVE_SUBTABLES,
  reportTitle,
  sectionTitle,
} from "./annual-report.format.ts";
import { type AnnualReportData, proactiveValue } from "./annual-report.rules.ts";

export interface Bar {
  label: string;
  value: number;
}

export interface BarGroup {
  /** Optional group heading drawn above its bars (e.g. 规章). */
  label?: string;
  bars: Bar[];
}

export interface BarChart {
  /** Unique id (also the prefix of the <title>/<desc> ids). */
  id: string;
  title: string;
  unit: string;
  groups: BarGroup[];
}

const WIDTH = 720;
const FONT_SIZE = 14;
const BAR_HEIGHT = 22;
const ROW_GAP = 10;
const GROUP_HEADING = 26;
const PAD = 12;
const BAR_COLOR = "#1f5fa8"; // 7.0:1 against white
const TEXT_COLOR = "#1a1a1a";

/** Approximate rendered width of text: full-width (CJK) characters are 1em, others about 0.6em. */
export function textWidth(text: string, fontSize = FONT_SIZE): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    width += code >= 0x2e80 ? fontSize : fontSize * 0.6;
  }
  return Math.ceil(width);
}

function describe(chart: BarChart): string {
  const parts = chart.groups.map((g) => {
    const bars = g.bars.map((b) => `${b.label}${formatNumber(b.value)}${chart.unit}`).join("，");
    return g.label ? `${g.label}：${bars}` : bars;
  });
  return `${chart.title}（单位：${chart.unit}）。${parts.join("；")}。`;
}

/** Renders one horizontal bar chart as an inline <svg>. */
export function barChartSvg(chart: BarChart): SafeHtml {
  const allBars = chart.groups.flatMap((g) => g.bars);
  const max = Math.max(1, ...allBars.map((b) => (Number.isFinite(b.value) ? b.value : 0)));
  const labelWidth = Math.max(60, ...allBars.map((b) => textWidth(b.label))) + PAD;
  const valueWidth =
    Math.max(...allBars.map((b) => textWidth(`${formatNumber(b.value)}${chart.unit}`)), 40) + PAD;
  const barArea = Math.max(120, WIDTH - labelWidth - valueWidth - PAD * 2);
  const x0 = PAD + labelWidth;

  let y = PAD;
  const items: SafeHtml[] = [];
  for (const group of chart.groups) {
    if (group.label) {
      y += GROUP_HEADING;
      items.push(
        html`<text x="${PAD}" y="${y - 8}" font-size="${FONT_SIZE}" font-weight="bold" fill="${TEXT_COLOR}">${group.label}</text>`,
      );
    }
    for (const bar of group.bars) {
      const value = Number.isFinite(bar.value) ? Math.max(0, bar.value) : 0;
      const w = Math.round((value / max) * barArea);
      const mid = y + BAR_HEIGHT / 2 + FONT_SIZE * 0.35;
      items.push(
        html`<g><text x="${x0 - 8}" y="${mid}" text-anchor="end" font-size="${FONT_SIZE}" fill="${TEXT_COLOR}">${bar.label}</text><rect x="${x0}" y="${y}" width="${w}" height="${BAR_HEIGHT}" fill="${BAR_COLOR}"></rect><text x="${x0 + w + 6}" y="${mid}" font-size="${FONT_SIZE}" fill="${TEXT_COLOR}">${formatNumber(bar.value)}${chart.unit}</text></g>`,
      );
      y += BAR_HEIGHT + ROW_GAP;
    }
  }
  const height = y + PAD - ROW_GAP;
  const titleId = `${chart.id}-title`;
  const descId = `${chart.id}-desc`;
  return html`<svg xmlns="http://www.w3.org/2000/svg" id="${chart.id}" role="img" aria-labelledby="${titleId} ${descId}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" font-family="'Microsoft YaHei','PingFang SC','Noto Sans CJK SC',sans-serif">
<title id="${titleId}">${chart.title}</title>
<desc id="${descId}">${describe(chart)}</desc>
<line x1="${x0}" y1="${PAD}" x2="${x0}" y2="${height - PAD}" stroke="${TEXT_COLOR}" stroke-width="1"></line>
${join(items, "\n")}
</svg>`;
}

/** The charts of the 图解 page, derived from the report data. */
export function annualReportCharts(data: AnnualReportData, idPrefix = "chart"): BarChart[] {
  const a = data.applications;
  const countSubtables = PROACTIVE_SUBTABLES.filter((s) => s.unit === "件");
  const proactive: BarChart = {
    id: `${idPrefix}-proactive`,
    title: `${sectionTitle("proactive")}（规章、行政规范性文件及处理决定）`,
    unit: "件",
    groups: countSubtables.flatMap((sub) =>
      sub.columns.length > 1
        ? sub.rows.map((row) => ({
            label: row.label,
            bars: sub.columns.map((c) => ({
              label: c.label,
              value: proactiveValue(data, sub.code, row.code, c.code),
            })),
          }))
        : [
            {
              bars: sub.rows.map((row) => ({
                label: `${row.label}决定`,
                value: proactiveValue(data, sub.code, row.code, sub.columns[0].code),
              })),
            },
          ],
    ),
  };
  const applicants: BarChart = {
    id: `${idPrefix}-applicants`,
    title: "本年新收政府信息公开申请的申请人情况",
    unit: "件",
    groups: [{ bars: APPLICANT_TYPES.map((t) => ({ label: t.label, value: a.received[t.code] })) }],
  };
  const results: BarChart = {
    id: `${idPrefix}-results`,
    title: "本年度办理结果",
    unit: "件",
    groups: [
      {
        bars: [
          ...OUTCOME_GROUPS.map((g) => ({
            label: g.short.slice(3),
            value: g.outcomes.reduce((sum, o) => sum + a[o.code].total, 0),
          })),
          { label: "结转下年度继续办理", value: a.carried_forward.total },
        ],
      },
    ],
  };
  const withheldGroup = OUTCOME_GROUPS.find((g) => g.code === "withheld");
  const withheld: BarChart = {
    id: `${idPrefix}-withheld`,
    title: "不予公开的理由",
    unit: "件",
    groups: [
      {
        bars: (withheldGroup?.outcomes ?? []).map((o) => ({
          label: o.label.replace(/^\d+\./, ""),
          value: a[o.code].total,
        })),
      },
    ],
  };
  const cases: BarChart = {
    id: `${idPrefix}-cases`,
    title: sectionTitle("review_litigation"),
    unit: "件",
    groups: CASE_BLOCKS.map((b) => ({
      label: b.parent ? `${b.parent}（${b.label}）` : b.label,
      bars: CASE_RESULTS.filter((r) => r.code !== "total").map((r) => ({
        label: r.label,
        value: data.reviewLitigation[b.code][r.code],
      })),
    })),
  };
  return [proactive, applicants, results, withheld, cases];
}

/** How a headline figure compares with the previous year's report. */
export interface FigureChange {
  direction: "up" | "down" | "same" | "new";
  /** e.g. "20.0%" (absent when last year's figure was 0). */
  percent?: string;
  /** Last year's figure with its unit. */
  previous: string;
  /** One phrase, e.g. 「比上年增长20.0%」. */
  text: string;
}

export interface KeyFigure {
  label: string;
  value: string;
  change?: FigureChange;
}

/** Compares a figure with last year's: direction, percentage of change (one decimal) and a phrase. */
export function compareFigure(current: number, previous: number, unit: string): FigureChange {
  const prev = `${formatNumber(previous)}${unit}`;
  if (current === previous) return { direction: "same", previous: prev, text: "与上年持平" };
  if (previous === 0)
    return { direction: "new", previous: prev, text: `上年为0，本年${formatNumber(current)}${unit}` };
  const percent = `${((Math.abs(current - previous) / previous) * 100).toFixed(1)}%`;
  return current > previous
    ? { direction: "up", percent, previous: prev, text: `比上年增长${percent}` }
    : { direction: "down", percent, previous: prev, text: `比上年下降${percent}` };
}

/** Headline figures shown above the charts, each compared with last year's report when there is one. */
export function keyFigures(data: AnnualReportData, previous?: AnnualReportData | null): KeyFigure[] {
  const pick = (d: AnnualReportData) => {
    const a = d.applications;
    return [
      { label: "本年新收政府信息公开申请", value: a.received.total, unit: "件" },
      { label: "上年结转申请", value: a.carried_over.total, unit: "件" },
      { label: "本年度办结", value: a.concluded_total.total, unit: "件" },
      { label: "其中予以公开", value: a.granted.total, unit: "件" },
      { label: "结转下年度继续办理", value: a.carried_forward.total, unit: "件" },
      { label: "行政许可决定", value: proactiveValue(d, "item5", "licensing", "decisions"), unit: "件" },
      { label: "行政处罚决定", value: proactiveValue(d, "item6", "penalty", "decisions"), unit: "件" },
      {
        label: "行政事业性收费",
        value: proactiveValue(d, "item8", "administrative_fees", "amount"),
        unit: "万元",
      },
      {
        label: "行政复议、行政诉讼",
        value: CASE_BLOCKS.reduce((s, b) => s + d.reviewLitigation[b.code].total, 0),
        unit: "件",
      },
    ];
  };
  const before = previous ? pick(previous) : [];
  return pick(data).map((f, i) => {
    const last = before[i];
    return {
      label: f.label,
      value: `${formatNumber(f.value)}${f.unit}`,
      ...(last ? { change: compareFigure(f.value, last.value, f.unit) } : {}),
    };
  });
}

const ARROWS: Record<FigureChange["direction"], string> = { up: "↑", down: "↓", same: "→", new: "↑" };

/**
 * The charts as an embeddable fragment: key figures (with ↑/↓ and the change against last year's report when
 * `previous` is given) and one <figure> per chart.
 */
export function annualReportChartsFragment(
  data: AnnualReportData,
  idPrefix = "chart",
  previous?: AnnualReportData | null,
): SafeHtml {
  const figures = annualReportCharts(data, idPrefix).map(
    (chart) => html`<figure class="annual-report-chart" aria-labelledby="${chart.id}-caption">
${barChartSvg(chart)}
<figcaption id="${chart.id}-caption">${chart.title}（单位：${chart.unit}）</figcaption>
</figure>`,
  );
  const change = (c: FigureChange) =>
    html`<dd class="annual-report-change change-${c.direction}"><span aria-hidden="true">${ARROWS[c.direction]}</span> ${c.text}<span class="hint">（上年${c.previous}）</span></dd>`;
  return html`<section class="annual-report-charts" aria-labelledby="${idPrefix}-heading">
<h2 id="${idPrefix}-heading">主要数据</h2>
${previous ? html`<p class="hint">与${previous.year}年度报告对比。</p>` : ""}
<dl class="annual-report-key-figures">
${keyFigures(data, previous).map(
  (f) => html`<div><dt>${f.label}</dt><dd>${f.value}</dd>${f.change ? change(f.change) : ""}</div>
`,
)}</dl>
${join(figures, "\n")}
</section>`;
}

const PAGE_STYLE = `body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#1a1a1a}
h1{text-align:center;font-size:1.6em}
.annual-report-key-figures{display:flex;flex-wrap:wrap;gap:1em;padding:0}
.annual-report-key-figures div{border:1px solid #1f5fa8;padding:0.5em 1em;min-width:10em}
.annual-report-key-figures dd{margin:0;font-size:1.5em;font-weight:bold;color:#1f5fa8}
.annual-report-key-figures dd.annual-report-change{font-size:0.9em;font-weight:normal;color:#1a1a1a}
figure{margin:1.5em 0}
svg{max-width:100%;height:auto}`;

/** A complete 图解年报 HTML page. */
export function annualReportChartPage(data: AnnualReportData, previous?: AnnualReportData | null): SafeHtml {
  const title = `图解：${reportTitle(data.agencyName, data.year)}`;
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${raw(PAGE_STYLE)}</style>
</head>
<body>
<main>
<h1>${title}</h1>
${annualReportChartsFragment(data, "chart", previous)}
</main>
</body>
</html>
`;
}
