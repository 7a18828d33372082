/**
 * @module The public page of one record (政府信息): validity banner (失效/废止 clearly marked), the metadata table
 * (索引号, 发布机构, 成文日期, 发布日期, 文号, 有效性, 主题分类 …), body, attachments and linked interpretations.
 * Print styles hide navigation (site.css @media print).
 */
import type { Agency } from "../agencies/agency.service.ts";
import { type PageContext, page } from "../http/layout.ts";
import { dateToken, html, noBreak, raw, type SafeHtml } from "../shared/html.ts";
import type { PortalRecord } from "./portal.model.ts";
import { agencyCrumbs, agencyNav, agencyPath, itemPath, recordPath } from "./portal.views.ts";

const FILE_TYPE_LABEL: Record<string, string> = {
  pdf: "PDF",
  doc: "Word",
  docx: "Word",
  xls: "Excel",
  xlsx: "Excel",
  png: "图片",
  jpg: "图片",
  gif: "图片",
};

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** The banner for records no longer in force: 失效 / 废止 (clearly marked, also in print). */
export function validityBanner(agency: Agency, r: PortalRecord): SafeHtml {
  if (r.validity !== "失效" && r.validity !== "废止") return html``;
  const verb = r.validity === "废止" ? "已废止" : "已失效";
  const replacement = r.replacedBy
    ? r.replacedBy.id
      ? html`现行文件：<a href="${recordPath(agency, r.replacedBy.id)}">${r.replacedBy.title}</a>。`
      : html`现行规定：${r.replacedBy.title}。`
    : "";
  return html`<div class="banner-invalid" role="note" aria-label="有效性提示"><strong>本文件${verb}</strong>${r.repealDate ? html`（${r.validity === "废止" ? "废止" : "失效"}日期：<time datetime="${r.repealDate}">${r.repealDate}</time>）` : ""}，仅供查阅，不再作为执行依据。${replacement}</div>`;
}

function metaRow(label: string, value: SafeHtml | string | null | undefined): SafeHtml {
  const empty =
    value === null || value === undefined || (typeof value === "string" ? value === "" : value.value === "");
  return html`<tr><th scope="row">${label}</th><td>${empty ? html`<span class="hint">—</span>` : value}</td></tr>`;
}

export function recordPage(ctx: PageContext, agency: Agency, r: PortalRecord): SafeHtml {
  const validity = r.validity
    ? html`<span class="badge ${r.validity === "有效" ? "badge-ok" : "badge-err"}">${r.validity}</span>`
    : null;
  return page(ctx, {
    title: r.title,
    description: r.summary || `${agency.name}公开的政府信息：${r.title}`,
    breadcrumbs: agencyCrumbs(
      agency,
      { href: agencyPath(agency, "catalog"), label: "法定主动公开内容" },
      ...(r.item ? [{ href: itemPath(agency, r.item.stableKey), label: r.item.name }] : []),
      { label: r.title },
    ),
    head: html`<link rel="canonical" href="${recordPath(agency, r.id)}">`,
    body: html`${agencyNav(agency, "catalog")}
<article class="record${r.validity === "失效" || r.validity === "废止" ? " record-invalid" : ""}">
${validityBanner(agency, r)}
<h1>${r.title}</h1>
<div class="table-scroll"><table class="meta-table">
<caption>信息属性</caption>
<tbody>
${metaRow("索引号", r.indexNo ? noBreak(r.indexNo) : null)}
${metaRow("发布机构", r.issuingAgency)}
${metaRow("成文日期", r.formedDate ? html`<time datetime="${r.formedDate}">${r.formedDate}</time>` : null)}
${metaRow("发布日期", r.publishedDate ? html`<time datetime="${r.publishedDate}">${r.publishedDate}</time>` : null)}
${r.revisedDate && r.revisedDate !== r.publishedDate ? metaRow("更新日期", html`<time datetime="${r.revisedDate}">${r.revisedDate}</time>`) : ""}
${metaRow("文号", r.docNumber ? noBreak(r.docNumber) : null)}
${metaRow("有效性", validity)}
${r.effectiveDate ? metaRow("生效日期", dateToken(r.effectiveDate)) : ""}
${r.repealDate ? metaRow(r.validity === "失效" ? "失效日期" : "废止日期", dateToken(r.repealDate)) : ""}
${metaRow("主题分类", r.topic)}
${r.genre ? metaRow("体裁分类", r.genre) : ""}
${r.keywords.length ? metaRow("关键词", r.keywords.join("、")) : ""}
${r.item ? metaRow("目录事项", html`<a href="${itemPath(agency, r.item.stableKey)}">${r.item.name}</a>`) : ""}
</tbody>
</table></div>
${r.summary ? html`<section class="record-summary" aria-label="内容概述"><p><strong>内容概述：</strong>${r.summary}</p></section>` : ""}
<div class="record-body">${raw(r.bodyHtml)}</div>
${
  r.attachments.length
    ? html`<section class="attachments" aria-labelledby="att-h"><h2 id="att-h">附件</h2><ul>${r.attachments.map(
        (a) =>
          html`<li><a href="${a.href}" download>${a.fileName}</a> <span class="hint">（${FILE_TYPE_LABEL[a.fileType] ?? a.fileType.toUpperCase()}，${formatBytes(a.sizeBytes)}）</span></li>`,
      )}</ul></section>`
    : ""
}
${
  r.interpretations.length
    ? html`<section class="related" aria-labelledby="interp-h"><h2 id="interp-h">政策解读</h2><ul>${r.interpretations.map(
        (i) => html`<li><a href="${recordPath(agency, i.id)}">${i.title}</a></li>`,
      )}</ul></section>`
    : ""
}
${
  r.interprets.length
    ? html`<section class="related" aria-labelledby="policy-h"><h2 id="policy-h">解读的文件</h2><ul>${r.interprets.map(
        (i) => html`<li><a href="${recordPath(agency, i.id)}">${i.title}</a></li>`,
      )}</ul></section>`
    : ""
}
</article>`,
  });
}
