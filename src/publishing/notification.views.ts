/**
 * @module The staff page of duty notices (提醒) with marking read. Pure HTML through the escaping template.
 */
import { csrfInput } from "../http/forms.ts";
import { type PageContext, page } from "../http/layout.ts";
import { shanghaiDateTime } from "../shared/clock.ts";
import { html, type SafeHtml } from "../shared/html.ts";
import { noticesPath } from "./record.paths.ts";
import type { DutyNoticeRow } from "./record.table.ts";
import { type AgencyRef, agencyPicker, crumbs, subnav } from "./record.views.ts";

// ---------------------------------------------------------------------------------------------------------------
// Notices
// ---------------------------------------------------------------------------------------------------------------

export function noticesPage(
  ctx: PageContext,
  m: {
    agency: AgencyRef;
    agencies: AgencyRef[];
    notices: DutyNoticeRow[];
    departments: { id: string; name: string }[];
    /** The agency's own staff mark notices read; read-only roles (supervisors) only see them. */
    canMarkRead: boolean;
  },
): SafeHtml {
  const dept = new Map(m.departments.map((d) => [d.id, d.name]));
  return page(ctx, {
    area: "staff",
    title: "到期提醒",
    breadcrumbs: crumbs(m.agency, { label: "到期提醒" }),
    body: html`<h1>到期提醒 <small class="hint">${m.agency.name}</small></h1>
${subnav(m.agency, "notices")}
${agencyPicker(m.agencies, m.agency, noticesPath(m.agency.slug))}
${
  m.notices.length === 0
    ? html`<p>暂无提醒。</p>`
    : html`<ul class="record-list">${m.notices.map(
        (
          n,
        ) => html`<li><p><a href="${n.link}">${n.subject}</a>${n.read_at ? "" : html` <span class="badge badge-warn">未读</span>`}</p>
<p class="hint">${n.department_id ? (dept.get(n.department_id) ?? "") : "政务公开办"} · ${shanghaiDateTime(n.created_at)}${n.emailed_at ? " · 已发送邮件" : ""}</p>
<p>${n.body}</p>
${n.read_at || !m.canMarkRead ? "" : html`<form method="post" action="${noticesPath(m.agency.slug, `/${n.id}/read`)}" class="inline">${csrfInput(ctx)}<button type="submit" class="link">标记为已读</button></form>`}</li>`,
      )}</ul>`
}`,
  });
}
