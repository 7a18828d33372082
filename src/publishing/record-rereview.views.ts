/**
 * @module The staff page of the re-review queue of withheld information (条例第18条): states, the interval setting and
 * recorded reviews. Pure HTML through the escaping template.
 */
import { formatChineseDate } from "../calendar/index.ts";
import type { FieldError } from "../errors.ts";
import { csrfInput, toFieldErrors } from "../http/forms.ts";
import { type PageContext, page } from "../http/layout.ts";
import { html, type SafeHtml } from "../shared/html.ts";
import { adminRecordPath, recordsPath } from "./record.paths.ts";
import { type AgencyRef, agencyPicker, crumbs, date, subnav } from "./record.views.ts";
import type { RereviewEntry, RereviewHistoryEntry } from "./record-rereview.service.ts";

// ---------------------------------------------------------------------------------------------------------------
// Re-review of withheld information (条例第18条)
// ---------------------------------------------------------------------------------------------------------------

export interface RereviewModel {
  agency: AgencyRef;
  agencies: AgencyRef[];
  asOf: string;
  intervalMonths: number;
  entries: RereviewEntry[];
  history: RereviewHistoryEntry[];
  canRelease: boolean;
  canSetInterval: boolean;
  errors: FieldError[];
  /** May record reviews (审核/保密审查); others (政务公开办, supervisors) see the queue read-only. */
  canReview: boolean;
  /** The record whose form the errors belong to (or "interval"). */
  errorFor?: string | undefined;
  values?: { conclusion: string; reason: string } | undefined;
  saved?: boolean;
}

const REREVIEW_STATE_LABELS = { overdue: "已逾期", due_soon: "即将到期", scheduled: "未到期" } as const;

export function rereviewPage(ctx: PageContext, m: RereviewModel): SafeHtml {
  const errors = toFieldErrors(m.errors);
  const overdue = m.entries.filter((e) => e.state === "overdue").length;
  const titles = new Map(m.entries.map((e) => [e.recordId, e.title]));
  const form = (e: RereviewEntry) => {
    if (!m.canReview) return html``;
    const mine = m.errorFor === e.recordId;
    const err = (f: string) => (mine ? errors[f] : undefined);
    const id = `rr-${e.recordId}`;
    const values = mine ? m.values : undefined;
    const option = (c: string, label: string) =>
      html`<label><input type="radio" name="conclusion" value="${c}"${values?.conclusion === c ? html` checked` : ""}> ${label}</label>`;
    return html`<form method="post" action="${recordsPath(m.agency.slug, `/rereview/${e.recordId}`)}" class="stack">${csrfInput(ctx)}
<fieldset${err("conclusion") ? html` aria-invalid="true" aria-describedby="${id}-c-error"` : ""}><legend>评估结论</legend>
${option("维持不予公开", e.disclosure === "依申请公开" ? "维持现有公开属性" : "维持不予公开")}
${m.canRelease ? option("转为主动公开", "情势变化，转为主动公开") : ""}
${err("conclusion") ? html`<p class="field-error" id="${id}-c-error">${err("conclusion")}</p>` : ""}</fieldset>
<label for="${id}-reason">评估理由</label><textarea id="${id}-reason" name="reason" rows="2" required aria-required="true"${err("reason") ? html` aria-invalid="true" aria-describedby="${id}-reason-error"` : ""}>${values?.reason ?? ""}</textarea>
${err("reason") ? html`<p class="field-error" id="${id}-reason-error">${err("reason")}</p>` : ""}
<button type="submit" class="secondary">记录评估审查</button></form>`;
  };
  const intervalError = m.errorFor === "interval" ? errors.intervalMonths : undefined;
  return page(ctx, {
    area: "staff",
    title: "不予公开信息评估审查",
    breadcrumbs: crumbs(m.agency, { label: "不予公开信息评估审查" }),
    body: html`<h1>不予公开信息评估审查 <small class="hint">${m.agency.name}</small></h1>
${subnav(m.agency, "rereview")}
${agencyPicker(m.agencies, m.agency, recordsPath(m.agency.slug, "/rereview"))}
${m.saved ? html`<p class="notice notice-ok" role="status">已记录评估审查。</p>` : ""}
<p>条例第十八条：行政机关应当对不予公开的政府信息进行定期评估审查，对因情势变化可以公开的政府信息应当公开。公开属性为“不予公开”或“依申请公开”的信息，自成文日期或上次评估之日起每${m.intervalMonths}个月评估一次；截至${formatChineseDate(m.asOf)}，逾期未评估<strong>${overdue}</strong>条。转为主动公开的，信息回到起草环节，按正常流程审核、审签后发布。</p>
${
  m.canSetInterval
    ? html`<form method="post" action="${recordsPath(m.agency.slug, "/rereview/interval")}" class="inline-list no-print">${csrfInput(ctx)}
<label for="f-intervalMonths">评估周期（月）</label><input type="number" id="f-intervalMonths" name="intervalMonths" min="1" max="60" value="${String(m.intervalMonths)}"${intervalError ? html` aria-invalid="true" aria-describedby="f-intervalMonths-error"` : ""}>
<button type="submit" class="secondary">保存周期</button>
${intervalError ? html`<p class="field-error" id="f-intervalMonths-error">${intervalError}</p>` : ""}</form>`
    : ""
}
${
  m.entries.length === 0
    ? html`<p>没有需要评估审查的信息。</p>`
    : html`<div class="table-scroll"><table><caption class="visually-hidden">待评估审查的信息</caption>
<thead><tr><th scope="col">信息</th><th scope="col">公开属性及理由</th><th scope="col">上次评估</th><th scope="col">下次评估</th><th scope="col">状态</th><th scope="col">评估</th></tr></thead>
<tbody>${m.entries.map(
        (
          e,
        ) => html`<tr id="rr-row-${e.recordId}"><td><a href="${adminRecordPath(e.recordId, m.agency.slug)}">${e.title}</a>${e.docNumber ? html`<br><span class="hint">${e.docNumber}</span>` : ""}</td>
<td>${e.disclosure}${e.nonDisclosureReason ? html`：${e.nonDisclosureReason}` : ""}</td>
<td>${e.lastReview ? html`${date(e.lastReview.on)} ${e.lastReview.by}：${e.lastReview.conclusion}` : html`尚未评估（成文日期${date(e.formedDate)}）`}</td>
<td>${date(e.nextDate)}</td>
<td><span class="badge ${e.state === "overdue" ? "badge-err" : e.state === "due_soon" ? "badge-warn" : "badge-ok"}">${REREVIEW_STATE_LABELS[e.state]}</span></td>
<td>${form(e)}</td></tr>`,
      )}</tbody></table></div>`
}
<h2>评估记录</h2>
${
  m.history.length === 0
    ? html`<p>暂无评估记录。</p>`
    : html`<ul>${m.history.map(
        (h) =>
          html`<li>${date(h.reviewedOn)} ${h.reviewerName} 评估${titles.has(h.recordId) ? html`《${titles.get(h.recordId) ?? ""}》` : html`<a href="${adminRecordPath(h.recordId, m.agency.slug)}">该信息</a>`}：<strong>${h.conclusion}</strong>。${h.reason}</li>`,
      )}</ul>`
}`,
  });
}
