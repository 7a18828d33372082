/**
 * @module The staff page of periodic publication duties (obligations): filters, states and attestations. Pure HTML
 * through the escaping template.
 */
import { formatChineseDate } from "../calendar/index.ts";
import type { FieldError } from "../errors.ts";
import { csrfInput, toFieldErrors } from "../http/forms.ts";
import { type PageContext, page } from "../http/layout.ts";
import { shanghaiDateTime } from "../shared/clock.ts";
import { html, type SafeHtml } from "../shared/html.ts";
import { OBLIGATION_STATE_LABELS, type ObligationState } from "./obligation.service.ts";
import { adminRecordPath, recordsPath } from "./record.paths.ts";
import type { RecordObligationRow } from "./record.table.ts";
import { type AgencyRef, agencyPicker, crumbs, date, subnav } from "./record.views.ts";

// ---------------------------------------------------------------------------------------------------------------
// Obligations
// ---------------------------------------------------------------------------------------------------------------

export interface ObligationsModel {
  agency: AgencyRef;
  agencies: AgencyRef[];
  asOf: string;
  rows: {
    o: RecordObligationRow;
    state: ObligationState;
    itemName: string;
    departmentName: string | null;
    recordTitle: string | null;
  }[];
  canAttest: boolean;
  errors: FieldError[];
  errorFor?: string | undefined;
  filter: string;
}

export function obligationsPage(ctx: PageContext, m: ObligationsModel): SafeHtml {
  const errors = toFieldErrors(m.errors);
  const badge = (s: ObligationState) =>
    html`<span class="badge ${s === "overdue" || s.endsWith("_late") ? "badge-err" : s === "open" ? "badge-warn" : "badge-ok"}">${OBLIGATION_STATE_LABELS[s]}</span>`;
  const filters: [string, string][] = [
    ["", "全部"],
    ["overdue", "已逾期"],
    ["open", "待更新"],
    ["done", "已完成"],
  ];
  return page(ctx, {
    area: "staff",
    title: "定期更新任务",
    breadcrumbs: crumbs(m.agency, { label: "定期更新任务" }),
    body: html`<h1>定期更新任务 <small class="hint">${m.agency.name}</small></h1>
${subnav(m.agency, "obligations")}
${agencyPicker(m.agencies, m.agency, recordsPath(m.agency.slug, "/obligations"))}
<p>目录规定“月度/季度/年度更新”或“每年X月X日前公开”的事项，每期生成一项任务：在该期时限内发布该事项的信息即完成；本期确无新增信息的，由审签人签署“本期无新增信息”并说明理由；到期未完成的计为逾期（截至${formatChineseDate(m.asOf)}）。</p>
<nav aria-label="筛选" class="no-print"><ul class="inline-list">${filters.map(
      ([k, label]) =>
        html`<li><a href="${recordsPath(m.agency.slug, `/obligations?state=${k}`)}"${m.filter === k ? html` aria-current="page"` : ""}>${label}</a></li>`,
    )}</ul></nav>
${
  m.rows.length === 0
    ? html`<p>没有任务。</p>`
    : html`<div class="table-scroll"><table><caption class="visually-hidden">定期更新任务</caption>
<thead><tr><th scope="col">事项</th><th scope="col">期次</th><th scope="col">截止日期</th><th scope="col">责任股室</th><th scope="col">状态</th><th scope="col">完成情况</th></tr></thead>
<tbody>${m.rows.map(({ o, state, itemName, departmentName, recordTitle }) => {
        const err = m.errorFor === o.id ? errors.reason : undefined;
        return html`<tr id="o-${o.id}"><td>${itemName}</td><td>${o.period_label}</td><td>${date(o.due_date)}</td><td>${departmentName ?? "—"}</td><td>${badge(state)}</td>
<td>${
          o.status === "met"
            ? html`${date(o.met_on)}发布${o.met_record_id ? html`<a href="${adminRecordPath(o.met_record_id, m.agency.slug)}">《${recordTitle ?? "信息"}》</a>` : ""}`
            : o.status === "attested"
              ? html`${o.attested_by_name ?? ""}于${o.attested_at ? shanghaiDateTime(o.attested_at) : ""}签署本期无新增信息：${o.attestation_reason ?? ""}`
              : m.canAttest
                ? html`<form method="post" action="${recordsPath(m.agency.slug, `/obligations/${o.id}/attest`)}" class="stack">${csrfInput(ctx)}
<label for="att-${o.id}">本期无新增信息的说明</label><textarea id="att-${o.id}" name="reason" rows="2" required aria-required="true"${err ? html` aria-invalid="true" aria-describedby="att-${o.id}-error"` : ""}></textarea>
${err ? html`<p class="field-error" id="att-${o.id}-error">${err}</p>` : ""}
<button type="submit" class="secondary">签署本期无新增信息</button></form>`
                : "—"
        }</td></tr>`;
      })}</tbody></table></div>`
}`,
  });
}
