/**
 * @module The region's annual-report audit page: the stored reports of the region's agencies audited in one run,
 * and the upload form for reports published by agencies not on the platform (HTML page or .docx).
 */
import { type PageContext, page } from "../http/layout.ts";
import type { FileAudit, ReportAudit, StoredReportAudit } from "../reports/index.ts";
import { html, join, type SafeHtml } from "../shared/html.ts";

function findingsList(a: ReportAudit): SafeHtml {
  if (a.findings.length === 0) return html`<p class="notice notice-ok">全部校验通过。</p>`;
  return html`<ul class="findings">${join(
    a.findings.map(
      (f) =>
        html`<li><span class="badge ${f.severity === "error" ? "badge-err" : "badge-warn"}">${f.severity === "error" ? "错误" : "提示"}</span> ${f.message}${f.cells.length ? html`<br><small>涉及：${f.cells.join("、")}；依据：${f.basis}</small>` : ""}</li>`,
    ),
  )}</ul>`;
}

export function reportAuditPage(
  ctx: PageContext,
  m: {
    base: string;
    year: number;
    region: string;
    /** The regions the user supervises (a selector when there are several). */
    regions: { id: string; name: string }[];
    stored: StoredReportAudit[];
    uploaded: FileAudit[] | null;
    error?: string | undefined;
  },
): SafeHtml {
  const withReport = m.stored.filter((s) => s.audit);
  const failed = withReport.filter((s) => !s.audit?.passed).length;
  return page(ctx, {
    area: "staff",
    title: "年度报告审核",
    breadcrumbs: [
      { href: "/admin", label: "工作台" },
      { href: m.base, label: "区域监督" },
      { label: "年度报告审核" },
    ],
    body: html`<h1>${m.year}年度政府信息公开工作年度报告审核</h1>
<form method="get" action="${m.base}/reports" class="filters">${
      m.regions.length > 1
        ? html`<label>区域 <select name="region"><option value=""${m.region === "" ? html` selected` : ""}>全部辖区</option>${join(
            m.regions.map(
              (r) =>
                html`<option value="${r.id}"${r.id === m.region ? html` selected` : ""}>${r.name}</option>`,
            ),
          )}</select></label> `
        : html`<input type="hidden" name="region" value="${m.region}">`
    }
<label>年度 <input type="number" name="year" value="${m.year}" min="2021" max="9999" inputmode="numeric"></label> <button type="submit">审核</button></form>
<p>本平台上 ${m.stored.length} 个机关中，${withReport.length} 个已有${m.year}年度报告，${failed} 个未通过校验。校验包括格式规定的勾稽关系和合计、上年结转、与上年报告和其他机关报告的文字雷同（超过60%提示）。</p>
${join(
  m.stored.map(
    (s) =>
      html`<section class="report-audit"><h2>${s.agency.name}</h2>${
        s.audit && s.status
          ? html`<p>${s.status.label}${s.status.publishedOn ? `（${s.status.publishedOn}）` : ""}；结论：${s.audit.passed ? "通过" : html`<strong>未通过</strong>`}</p>${findingsList(s.audit)}`
          : html`<p class="notice notice-warn">尚无${m.year}年度报告。</p>`
      }</section>`,
  ),
)}
<h2>审核平台外机关公开的年度报告</h2>
<p>上传机关网站上公开的年度报告网页（另存为 .html）或 Word 文档（.docx），可一次上传多个；可同时上传上一年度的报告用于核对结转和雷同。</p>
${m.error ? html`<p class="notice notice-error" role="alert">${m.error}</p>` : ""}
<form method="post" action="${m.base}/reports?region=${m.region}" enctype="multipart/form-data" class="upload-form">
<input type="hidden" name="_csrf" value="${ctx.csrfToken ?? ""}">
<p><label>本年度报告 <input type="file" name="reports" accept=".html,.htm,.docx" multiple required></label></p>
<p><label>上一年度报告（可选） <input type="file" name="previous" accept=".html,.htm,.docx" multiple></label></p>
<p><button type="submit">审核上传的报告</button></p>
</form>
${
  m.uploaded
    ? join(
        m.uploaded.map(
          (a) =>
            html`<section class="report-audit"><h3>${a.title ?? a.file}</h3><p>${a.agencyName || "（未识别机关）"} ${a.year || "?"}年度；结论：${a.passed ? "通过" : html`<strong>未通过</strong>`}${a.previousFile ? `；对照上年：${a.previousFile}` : ""}</p>${findingsList(a)}</section>`,
        ),
      )
    : ""
}`,
  });
}
