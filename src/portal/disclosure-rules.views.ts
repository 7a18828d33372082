/**
 * @module 公开制度: the public column (/agencies/:slug/rules, every document in full with an anchor each) and the
 * console page that maintains it (/admin/agencies/:agency/disclosure-rules).
 */
import type { Agency } from "../agencies/agency.service.ts";
import type { FieldError } from "../errors.ts";
import { staffAgencyPath } from "../http/agency-paths.ts";
import { csrfInput, errorSummary, textField, toFieldErrors } from "../http/forms.ts";
import { type PageContext, page } from "../http/layout.ts";
import { agencyCrumbs, agencyNav, agencyPath } from "../http/public-layout.ts";
import { html, type SafeHtml } from "../shared/html.ts";
import type { DisclosureRuleRow } from "./disclosure-rules.table.ts";

const paragraphs = (body: string) =>
  body
    .split(/\n+/)
    .map((p) => p.trim())
    .filter((p) => p !== "")
    .map((p) => html`<p>${p}</p>`);

export function publicRulesPage(ctx: PageContext, agency: Agency, rules: DisclosureRuleRow[]): SafeHtml {
  return page(ctx, {
    title: `公开制度 - ${agency.name}`,
    description: `${agency.name}政府信息公开工作制度。`,
    breadcrumbs: agencyCrumbs(agency, { label: "公开制度" }),
    body: html`${agencyNav(agency, "rules")}
<h1>公开制度</h1>
${
  rules.length === 0
    ? html`<p>本机关尚未在本平台发布公开制度。政府信息公开工作的基本规定见<a href="${agencyPath(agency, "guide")}">政府信息公开指南</a>。</p>`
    : html`<ul>${rules.map((r) => html`<li><a href="#rule-${r.id}">${r.title}</a>${r.issued_on ? html` <span class="hint nowrap">${r.issued_on}</span>` : ""}</li>`)}</ul>
${rules.map(
  (
    r,
  ) => html`<article id="rule-${r.id}" class="disclosure-rule" aria-labelledby="rule-${r.id}-h"><h2 id="rule-${r.id}-h">${r.title}</h2>
${r.doc_number || r.issued_on ? html`<p class="hint">${r.doc_number}${r.doc_number && r.issued_on ? "　" : ""}${r.issued_on ? html`<span class="nowrap">${r.issued_on}</span>印发` : ""}</p>` : ""}
${paragraphs(r.body)}</article>`,
)}`
}`,
  });
}

export function rulesAdminPage(
  ctx: PageContext,
  m: {
    agency: Agency;
    rules: DisclosureRuleRow[];
    errors: FieldError[];
    message?: string | undefined;
    done?: string | undefined;
    values: Record<string, string>;
  },
): SafeHtml {
  const base = staffAgencyPath(m.agency.slug, "/disclosure-rules");
  const errors = toFieldErrors(m.errors);
  const v = (k: string) => m.values[k] ?? "";
  return page(ctx, {
    area: "staff",
    title: "公开制度",
    breadcrumbs: [{ href: "/admin", label: "工作台" }, { label: "公开制度" }],
    body: html`<h1>公开制度 <small class="hint">${m.agency.name}</small></h1>
${errorSummary(errors, { title: "制度名称", docNumber: "文号", issuedOn: "印发日期", body: "全文" }, m.message)}
${m.done === "added" ? html`<p class="notice notice-ok" role="status">已发布，门户“公开制度”栏目已更新。</p>` : ""}
${m.done === "deleted" ? html`<p class="notice notice-ok" role="status">已删除。</p>` : ""}
<p>本机关的政府信息公开工作制度（如发布审核、保密审查、依申请公开办理、政务公开考核等）在门户<a href="${agencyPath(m.agency, "rules")}">公开制度</a>栏目全文公开。</p>
${
  m.rules.length
    ? html`<ul>${m.rules.map(
        (r) =>
          html`<li>${r.title}${r.issued_on ? html` <span class="hint nowrap">${r.issued_on}</span>` : ""} <form method="post" action="${base}/delete" class="inline">${csrfInput(ctx)}<input type="hidden" name="id" value="${r.id}"><button type="submit" class="secondary">删除<span class="visually-hidden">《${r.title}》</span></button></form></li>`,
      )}</ul>`
    : html`<p>尚未发布公开制度。</p>`
}
<h2>发布一项制度</h2>
<form method="post" action="${base}" class="stack" novalidate>${csrfInput(ctx)}
${textField({ name: "title", label: "制度名称", value: v("title"), errors, required: true, maxlength: 200 })}
${textField({ name: "docNumber", label: "文号", value: v("docNumber"), errors, maxlength: 100 })}
${textField({ name: "issuedOn", label: "印发日期", type: "date", value: v("issuedOn"), errors })}
<div class="field"><label for="f-body">全文 <span aria-hidden="true">*</span></label><p class="hint" id="f-body-hint">每段另起一行。</p>
<textarea id="f-body" name="body" rows="12" aria-describedby="f-body-hint${errors.body ? " f-body-error" : ""}"${errors.body ? html` aria-invalid="true"` : ""}>${v("body")}</textarea>
${errors.body ? html`<p class="field-error" id="f-body-error">${errors.body}</p>` : ""}</div>
<p><button type="submit">发布</button></p></form>`,
  });
}
