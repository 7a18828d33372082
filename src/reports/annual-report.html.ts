/**
 * @module HTML rendering of the annual report (国办公开办函〔2021〕30号 layout).
 *
 * Tables are semantic: <caption>, <thead>, header cells with scope, and colspan/rowspan exactly as the official
 * merged headers. Because the headers are multi-level, every data cell also lists its headers explicitly
 * (`headers` → `id`), which assistive technology resolves without guessing.
 */

import { html, join, raw, type SafeHtml } from "../shared/html.ts";
import type { ApplicationRowCode, SectionCode } from "./annual-report.format.ts";
import * as official from "./annual-report.format.ts";
import { type AnnualReportData, proactiveValue } from "./annual-report.rules.ts";

export interface AnnualReportHtmlOptions {
  /** Prefix of every id, so several reports can share a page. Default "ar". */
  idPrefix?: string;
  /** Level of the title heading: 1 (default: title h1, sections h2) or 2 (title h2, sections h3) for pages that
   * carry their own h1. */
  headingLevel?: 1 | 2;
}

function cell(value: number, headers: readonly string[]): SafeHtml {
  return html`<td headers="${headers.join(" ")}">${official.formatNumber(value)}</td>`;
}

function sectionHeading(p: string, code: SectionCode, level: 2 | 3 = 2): SafeHtml {
  return level === 3
    ? html`<h3 id="${p}-${code}">${official.sectionTitle(code)}</h3>`
    : html`<h2 id="${p}-${code}">${official.sectionTitle(code)}</h2>`;
}

function narrative(p: string, code: SectionCode, texts: readonly string[], level: 2 | 3 = 2): SafeHtml {
  const paras = texts.flatMap(official.paragraphs);
  return html`<section class="annual-report-section" aria-labelledby="${p}-${code}" tabindex="0">
${sectionHeading(p, code, level)}
${paras.length === 0 ? html`<p>无。</p>` : paras.map((t) => html`<p>${t}</p>\n`)}</section>`;
}

/** Table 二: four stacked sub-tables in one 4-column grid (heading rows span 4; single values span 3). */
export function proactiveTable(data: AnnualReportData, p = "ar"): SafeHtml {
  const bodies = official.PROACTIVE_SUBTABLES.map((sub, index) => {
    const headingId = `${p}-t2-${sub.code}`;
    const contentId = `${headingId}-content`;
    const valueSpan = sub.columns.length === 1 ? official.PROACTIVE_GRID_COLUMNS - 1 : 1;
    const headerRows = html`<tr><th scope="colgroup" colspan="${official.PROACTIVE_GRID_COLUMNS}" id="${headingId}">${sub.heading}</th></tr>
<tr><th scope="col" id="${contentId}">${official.PROACTIVE_CONTENT_HEADER}</th>${sub.columns.map(
      (c) =>
        html`<th scope="col"${valueSpan > 1 ? html` colspan="${valueSpan}"` : ""} id="${headingId}-${c.code}">${c.label}</th>`,
    )}</tr>`;
    const dataRows = sub.rows.map((row) => {
      const rowId = `${headingId}-${row.code}`;
      const cells = sub.columns.map((c) => {
        const value = official.formatNumber(proactiveValue(data, sub.code, row.code, c.code));
        const headers = `${headingId} ${headingId}-${c.code} ${rowId}`;
        return valueSpan > 1
          ? html`<td colspan="${valueSpan}" headers="${headers}">${value}</td>`
          : html`<td headers="${headers}">${value}</td>`;
      });
      return html`<tr><th scope="row" id="${rowId}" headers="${headingId} ${contentId}">${row.label}</th>${cells}</tr>\n`;
    });
    return index === 0
      ? html`<thead>
${headerRows}
</thead>
<tbody>
${dataRows}</tbody>`
      : html`<tbody>
${headerRows}
${dataRows}</tbody>`;
  });
  return html`<table class="annual-report-table" id="${p}-table-proactive">
<caption>${official.sectionTitle("proactive")}</caption>
${join(bodies, "\n")}
</table>`;
}

/** Table 三: a 3-cell-wide label area, the two-level applicant header, 25 data rows × 7 columns. */
export function applicationsTable(data: AnnualReportData, p = "ar"): SafeHtml {
  const t = `${p}-t3`;
  const colIds = (code: string, organisation: boolean): string[] =>
    organisation ? [`${t}-applicant`, `${t}-org`, `${t}-${code}`] : [`${t}-applicant`, `${t}-${code}`];
  const natural = official.APPLICANT_TYPES[0];
  const organisations = official.APPLICANT_TYPES.filter((a) => a.organisation);
  const head = html`<thead>
<tr><td colspan="${official.APPLICATIONS_LABEL_COLUMNS}" rowspan="3">${official.APPLICATIONS_CORNER_NOTE}</td><th scope="colgroup" colspan="${official.APPLICATION_COLUMNS.length}" id="${t}-applicant">${official.APPLICANT_HEADER}</th></tr>
<tr><th scope="col" rowspan="2" id="${t}-${natural.code}" headers="${t}-applicant">${natural.label}</th><th scope="colgroup" colspan="${organisations.length}" id="${t}-org" headers="${t}-applicant">${official.ORGANISATION_HEADER}</th><th scope="col" rowspan="2" id="${t}-total" headers="${t}-applicant">总计</th></tr>
<tr>${organisations.map((o) => html`<th scope="col" id="${t}-${o.code}" headers="${t}-applicant ${t}-org">${o.label}</th>`)}</tr>
</thead>`;

  const dataCells = (rowCode: ApplicationRowCode, rowHeaderIds: readonly string[]): SafeHtml[] =>
    official.APPLICATION_COLUMNS.map((c) =>
      cell(data.applications[rowCode][c.code], [...colIds(c.code, c.organisation), ...rowHeaderIds]),
    );

  const top = (code: "received" | "carried_over" | "carried_forward"): SafeHtml => {
    const row = official.APPLICATION_ROWS.find((r) => r.code === code);
    if (!row) throw new Error(code);
    const id = `${t}-r-${code}`;
    return html`<tr><th scope="row" colspan="${official.APPLICATIONS_LABEL_COLUMNS}" id="${id}">${row.label}</th>${dataCells(code, [id])}</tr>`;
  };

  const resultsId = `${t}-r-results`;
  const resultRows: SafeHtml[] = [];
  let first = true;
  const groupCell = (): SafeHtml => {
    if (!first) return html``;
    first = false;
    return html`<th scope="rowgroup" rowspan="${official.RESULTS_ROWSPAN}" id="${resultsId}">${official.RESULTS_GROUP_LABEL}</th>`;
  };
  for (const group of official.OUTCOME_GROUPS) {
    if (group.outcomes.length === 1) {
      const o = group.outcomes[0];
      const id = `${t}-r-${o.code}`;
      resultRows.push(
        html`<tr>${groupCell()}<th scope="row" colspan="${official.APPLICATIONS_LABEL_COLUMNS - 1}" id="${id}" headers="${resultsId}">${o.label}</th>${dataCells(o.code, [resultsId, id])}</tr>`,
      );
      continue;
    }
    const groupId = `${t}-g-${group.code}`;
    group.outcomes.forEach((o, i) => {
      const id = `${t}-r-${o.code}`;
      const groupHeader =
        i === 0
          ? html`<th scope="row" rowspan="${group.outcomes.length}" id="${groupId}" headers="${resultsId}">${group.label}</th>`
          : html``;
      resultRows.push(
        html`<tr>${groupCell()}${groupHeader}<th scope="row" id="${id}" headers="${resultsId} ${groupId}">${o.label}</th>${dataCells(o.code, [resultsId, groupId, id])}</tr>`,
      );
    });
  }
  const totalId = `${t}-r-concluded_total`;
  resultRows.push(
    html`<tr><th scope="row" colspan="${official.APPLICATIONS_LABEL_COLUMNS - 1}" id="${totalId}" headers="${resultsId}">${official.CONCLUDED_TOTAL_LABEL}</th>${dataCells("concluded_total", [resultsId, totalId])}</tr>`,
  );

  return html`<table class="annual-report-table" id="${p}-table-applications">
<caption>${official.sectionTitle("applications")}</caption>
${head}
<tbody>
${top("received")}
${top("carried_over")}
</tbody>
<tbody>
${join(resultRows, "\n")}
</tbody>
<tbody>
${top("carried_forward")}
</tbody>
</table>`;
}

/** Table 四: 行政复议 (5) | 行政诉讼 (未经复议直接起诉 5, 复议后起诉 5); one data row of 15 cells. */
export function reviewLitigationTable(data: AnnualReportData, p = "ar"): SafeHtml {
  const t = `${p}-t4`;
  const review = official.CASE_BLOCKS.filter((b) => b.parent === null);
  const litigation = official.CASE_BLOCKS.filter((b) => b.parent !== null);
  const reviewBlock = review[0];
  if (!reviewBlock) throw new Error("table 四 has no 行政复议 block");
  const leafHeaders = (block: (typeof official.CASE_BLOCKS)[number]): string[] =>
    block.parent === null ? [`${t}-review`] : [`${t}-litigation`, `${t}-${block.code}`];
  const head = html`<thead>
<tr><th scope="colgroup" colspan="${official.CASE_RESULTS.length}" id="${t}-review">${official.REVIEW_HEADER}</th><th scope="colgroup" colspan="${official.CASE_RESULTS.length * litigation.length}" id="${t}-litigation">${official.LITIGATION_HEADER}</th></tr>
<tr>${official.CASE_RESULTS.map((r) => html`<th scope="col" rowspan="2" id="${t}-review-${r.code}" headers="${t}-review">${r.label}</th>`)}${litigation.map((b) => html`<th scope="colgroup" colspan="${official.CASE_RESULTS.length}" id="${t}-${b.code}" headers="${t}-litigation">${b.label}</th>`)}</tr>
<tr>${litigation.flatMap((b) => official.CASE_RESULTS.map((r) => html`<th scope="col" id="${t}-${b.code}-${r.code}" headers="${leafHeaders(b).join(" ")}">${r.label}</th>`))}</tr>
</thead>`;
  const cells = official.CASE_BLOCKS.flatMap((b) =>
    official.CASE_RESULTS.map((r) =>
      cell(data.reviewLitigation[b.code][r.code], [
        ...leafHeaders(b),
        b.parent === null ? `${t}-review-${r.code}` : `${t}-${b.code}-${r.code}`,
      ]),
    ),
  );
  return html`<table class="annual-report-table" id="${p}-table-review-litigation">
<caption>${official.sectionTitle("review_litigation")}</caption>
${head}
<tbody>
<tr>${cells}</tr>
</tbody>
</table>`;
}

function tableSection(p: string, code: SectionCode, table: SafeHtml, level: 2 | 3 = 2): SafeHtml {
  return html`<section class="annual-report-section" aria-labelledby="${p}-${code}" tabindex="0">
${sectionHeading(p, code, level)}
${table}
</section>`;
}

/** The report as an <article> fragment (title h1, sections h2 — or h2/h3), to embed in a page layout. */
export function annualReportArticle(data: AnnualReportData, options: AnnualReportHtmlOptions = {}): SafeHtml {
  const p = options.idPrefix ?? "ar";
  const sub = options.headingLevel === 2 ? 3 : 2;
  const title = official.reportTitle(data.agencyName, data.year);
  return html`<article class="annual-report" aria-labelledby="${p}-title">
${sub === 3 ? html`<h2 id="${p}-title">${title}</h2>` : html`<h1 id="${p}-title">${title}</h1>`}
${narrative(p, "overview", [data.overview], sub)}
${tableSection(p, "proactive", proactiveTable(data, p), sub)}
${tableSection(p, "applications", applicationsTable(data, p), sub)}
${tableSection(p, "review_litigation", reviewLitigationTable(data, p), sub)}
${narrative(p, "problems", [data.problems], sub)}
${narrative(p, "other_matters", [official.processingFeesSentence(data.processingFees), data.otherMatters], sub)}
</article>`;
}

/**
 * Minimal print styles for the standalone document (official look: 仿宋 body, 宋体 tables, ruled cells). Exported
 * so an app serving the document can allow exactly this inline style by its CSP hash.
 */
export const DOCUMENT_STYLE = `body{font-family:"FangSong","仿宋_GB2312","仿宋",serif;font-size:16pt;line-height:1.75;max-width:60em;margin:2em auto;padding:0 1em;color:#000}
h1{font-family:"FZXiaoBiaoSong-B05S","方正小标宋简体","SimSun","宋体",serif;font-size:22pt;font-weight:normal;text-align:center}
h2{font-family:"SimHei","黑体",sans-serif;font-size:16pt;font-weight:normal}
p{text-indent:2em;margin:0}
table{border-collapse:collapse;width:100%;font-family:"SimSun","宋体",serif;font-size:10.5pt;line-height:1.4;margin:0.5em 0 1em}
caption{font-weight:bold;padding:0.3em}
th,td{border:1px solid #000;padding:0.2em 0.3em;text-align:center;vertical-align:middle}
th{font-weight:normal}
tbody th[scope="row"]{text-align:left}`;

/** A complete standalone HTML document of the report (download / print). */
export function annualReportDocument(
  data: AnnualReportData,
  options: AnnualReportHtmlOptions = {},
): SafeHtml {
  const title = official.reportTitle(data.agencyName, data.year);
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${raw(DOCUMENT_STYLE)}</style>
</head>
<body>
<main>
${annualReportArticle(data, options)}
</main>
</body>
</html>
`;
}
