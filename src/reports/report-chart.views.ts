/**
 * @module 图解年报 page (staff and public): the key figures compared with last year's published report (↑/↓ and the
 * change in %) and the charts (annual-report.chart.ts).
 */
import { type Crumb, type PageContext, page } from "../http/layout.ts";
import { html, type SafeHtml } from "../shared/html.ts";
import { annualReportChartsFragment } from "./annual-report.chart.ts";
import { reportTitle } from "./annual-report.format.ts";
import type { AnnualReportData } from "./annual-report.rules.ts";
import { REPORT_STYLESHEET } from "./report.views.ts";

export function chartPage(
  ctx: PageContext,
  data: AnnualReportData,
  options: {
    breadcrumbs: Crumb[];
    area: "staff" | "portal";
    back: string;
    nav?: SafeHtml;
    /** Last year's published figures: the key figures show ↑/↓ and the change. */
    previous?: AnnualReportData | null;
  },
): SafeHtml {
  const title = `图解：${reportTitle(data.agencyName, data.year)}`;
  return page(ctx, {
    area: options.area,
    title,
    breadcrumbs: options.breadcrumbs,
    head: REPORT_STYLESHEET,
    description: `${data.agencyName}${data.year}年政府信息公开工作主要数据图解。`,
    body: html`${options.nav ?? ""}<h1>${title}</h1>
${annualReportChartsFragment(data, "chart", options.previous)}
<p><a href="${options.back}">查看年度报告全文</a></p>`,
  });
}
