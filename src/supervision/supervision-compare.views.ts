/**
 * @module The supervisors' catalog comparison page: an agency's catalog against another agency's or a loaded
 * standard catalog. Read-only: the 待确认 matches show the decisions the agency's 政务公开办 recorded.
 */
import type { Agency } from "../agencies/agency.service.ts";
import {
  type ComparisonWithDecisions,
  comparisonResult,
  referenceSelect,
  type StandardCatalogInfo,
} from "../catalog/catalog-compare.read.ts";
import { type PageContext, page } from "../http/layout.ts";
import { html, join, type SafeHtml } from "../shared/html.ts";

export function comparePage(
  ctx: PageContext,
  m: {
    base: string;
    agencies: Agency[];
    standards: StandardCatalogInfo[];
    agency: string;
    reference: string;
    result: ComparisonWithDecisions | null;
    error?: string | undefined;
  },
): SafeHtml {
  return page(ctx, {
    area: "staff",
    title: "目录比对",
    breadcrumbs: [
      { href: "/admin", label: "工作台" },
      { href: m.base, label: "区域监督" },
      { label: "目录比对" },
    ],
    body: html`<h1>主动公开事项目录比对</h1>
<p>将机关已发布的目录与标准目录或另一机关的目录比对：事项按含义匹配（忽略编号和标点，社保/社会保险/参保等同义词视为相同），名称不同的匹配标为“待确认”，由该机关政务公开办确认或否定（此处只读）。</p>
<form method="get" action="${m.base}/compare" class="filters">
<label>机关 <select name="agency" required><option value="">请选择</option>${join(
      m.agencies.map(
        (a) =>
          html`<option value="${a.slug}"${a.slug === m.agency ? html` selected` : ""}>${a.name}</option>`,
      ),
    )}</select></label>
${referenceSelect(m.standards, m.agencies, m.reference)}
<button type="submit">比对</button></form>
${m.error ? html`<p class="notice notice-error" role="alert">${m.error}</p>` : ""}
${m.result ? comparisonResult(m.result) : ""}`,
  });
}
