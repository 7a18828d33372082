/**
 * @module Staff pages of applications (依申请公开): the shared chrome (breadcrumbs, sub-navigation, key warning), the
 * queue, reminders and the entry form. Pure views. The application page is in info-request-detail.admin.views.ts,
 * templates and settings in request-settings.admin.views.ts.
 */
import type { Agency } from "../agencies/agency.service.ts";
import { formatChineseDate } from "../calendar/index.ts";
import { csrfInput, errorSummary, type FieldErrors, selectField, textField } from "../http/forms.ts";
import { type PageContext, page } from "../http/layout.ts";
import { APPLICANT_TYPES, OUTCOMES } from "../legal/annual-report-codes.ts";
import { dateToken, html, keepTokens, noBreak, type SafeHtml } from "../shared/html.ts";
import { DEADLINE_LABELS, type DeadlineState } from "./deadlines.ts";
import { outcomeLabel } from "./info-request.service.ts";
import { CHANNELS, STAFF_CHANNELS, STATUSES } from "./info-request.ts";
import { applicationFields, FIELD_LABELS, type FormValues } from "./info-request.views.ts";
import type { QueueItem, QueueView, Reminder } from "./info-request-query.service.ts";

export function requestsBase(agency: Pick<Agency, "slug">): string {
  return `/admin/agencies/${agency.slug}/requests`;
}

export function crumbs(agency: Agency, ...rest: { href?: string; label: string }[]) {
  return [
    { href: "/admin", label: "工作台" },
    { href: requestsBase(agency), label: `依申请公开（${agency.shortName}）` },
    ...rest,
  ];
}

const URGENCY_BADGE = {
  overdue: html`<span class="badge badge-err">已逾期</span>`,
  due_soon: html`<span class="badge badge-warn">即将到期</span>`,
  ok: html``,
} as const;

export const STATE_LABELS: Record<DeadlineState, string> = {
  open: "进行中",
  met: "按期",
  missed: "逾期",
  paused: "暂停计时",
  suspended: "待补正后重新计算",
  void: "不再适用",
};

export function applicantTypeLabel(code: string): string {
  return APPLICANT_TYPES.find((t) => t.code === code)?.label ?? code;
}

export function subnav(agency: Agency, current: string): SafeHtml {
  const base = requestsBase(agency);
  const links = [
    { href: base, label: "办理队列", key: "queue" },
    { href: `${base}/reminders`, label: "到期提醒", key: "reminders" },
    { href: `${base}/new`, label: "登记申请", key: "new" },
    { href: `${base}/calendar.ics`, label: "日历订阅（ICS）", key: "ics" },
    { href: `${base}/templates`, label: "告知书模板", key: "templates" },
    { href: `${base}/settings`, label: "设置", key: "settings" },
  ];
  return html`<nav class="subnav" aria-label="依申请公开"><ul>${links.map(
    (l) =>
      html`<li><a href="${l.href}"${l.key === current ? html` aria-current="page"` : ""}>${l.label}</a></li>`,
  )}</ul></nav>`;
}

export function keyWarning(keyMissing: boolean): SafeHtml {
  return keyMissing
    ? html`<p class="notice notice-error" role="alert">未配置个人信息加密密钥（GONGKAI_ENCRYPTION_KEY）：系统拒绝受理新申请（错误代码 encryption_key_missing），也无法显示申请人的完整身份信息。请平台管理员配置32字节密钥后重启。</p>`
    : html``;
}

// ---------------------------------------------------------------------------------------------------------------
// Queue and reminders
// ---------------------------------------------------------------------------------------------------------------

const VIEWS: { key: QueueView; label: string }[] = [
  { key: "open", label: "办理中" },
  { key: "due_soon", label: "即将到期" },
  { key: "overdue", label: "已逾期" },
  { key: "late_correction_notice", label: "补正告知逾期" },
  { key: "awaiting_confirmation", label: "待确认收到" },
  { key: "concluded", label: "已办结" },
  { key: "all", label: "全部" },
];

export function queuePage(
  ctx: PageContext,
  m: {
    agency: Agency;
    items: QueueItem[];
    /** 1-based page and whether another follows (QUEUE_PAGE_SIZE per page). */
    page?: number;
    hasNext?: boolean;
    /** Applications the filter matches in all pages. */
    total?: number;
    view: QueueView;
    text: string;
    departmentId: string;
    channel: string;
    departments: { id: string; name: string }[];
    reminderCount: number;
    keyMissing: boolean;
  },
): SafeHtml {
  const base = requestsBase(m.agency);
  const dept = new Map(m.departments.map((d) => [d.id, d.name]));
  const pageNo = m.page ?? 1;
  const pageHref = (n: number) =>
    `${base}?${new URLSearchParams({ view: m.view, q: m.text, department: m.departmentId, channel: m.channel, page: String(n) })}`;
  return page(ctx, {
    title: "依申请公开办理队列",
    area: "staff",
    breadcrumbs: crumbs(m.agency).slice(0, 2).concat({ label: "依申请公开" }),
    body: html`${subnav(m.agency, "queue")}
<h1>依申请公开 <small class="subtitle">${m.agency.name}</small></h1>
${keyWarning(m.keyMissing)}
${m.reminderCount ? html`<p class="notice notice-warn"><a href="${base}/reminders">有 ${m.reminderCount} 件申请的期限即将到期或已逾期</a></p>` : ""}
<nav aria-label="按状态筛选"><ul class="tabs">${VIEWS.map(
      (v) =>
        html`<li><a href="${base}?view=${v.key}"${v.key === m.view ? html` aria-current="page"` : ""}>${v.label}</a></li>`,
    )}</ul></nav>
<form method="get" action="${base}" class="search-form" role="search">
<input type="hidden" name="view" value="${m.view}">
<label class="visually-hidden" for="q">申请编号、查询码或信息名称</label>
<input type="search" id="q" name="q" value="${m.text}" maxlength="100" placeholder="申请编号、查询码或信息名称">
<label class="visually-hidden" for="dept">内设机构</label>
<select id="dept" name="department"><option value="">全部内设机构</option>${m.departments.map(
      (d) =>
        html`<option value="${d.id}"${d.id === m.departmentId ? html` selected` : ""}>${d.name}</option>`,
    )}</select>
<label class="visually-hidden" for="channel">渠道</label>
<select id="channel" name="channel"><option value="">全部渠道</option>${Object.entries(CHANNELS).map(
      ([k, v]) => html`<option value="${k}"${k === m.channel ? html` selected` : ""}>${v}</option>`,
    )}</select>
<button type="submit">筛选</button>
</form>
${
  m.items.length === 0
    ? html`<p>没有符合条件的申请。</p>`
    : html`<div class="table-scroll"><table>
<caption>${pageNo > 1 || m.hasNext ? `共 ${m.total ?? "?"} 件，第 ${pageNo} 页，本页 ${m.items.length} 件` : `共 ${m.items.length} 件`}</caption>
<thead><tr><th scope="col">申请编号</th><th scope="col">所需信息</th><th scope="col">申请人</th><th scope="col">渠道</th><th scope="col">收到日期</th><th scope="col">状态</th><th scope="col">下一期限</th><th scope="col">内设机构</th></tr></thead>
<tbody>${m.items.map(
        (i) => html`<tr>
<td><a href="${base}/${i.request.id}">${i.request.number}</a></td>
<td>${i.request.infoTitle}${i.correctionNoticeLate ? html` <span class="badge badge-err" title="补正告知书晚于收到申请之日起7个工作日发出（条例第三十条）">补正告知逾期${String(i.correctionNoticeLate)}个工作日</span>` : ""}${i.similar ? html` <span class="badge badge-warn" title="本机关有相似的申请，可考虑转为主动公开（条例第四十四条）">相似申请</span>` : ""}</td>
<td>${i.request.applicantDisplay}<br><span class="hint">${applicantTypeLabel(i.request.applicantType)}</span></td>
<td>${CHANNELS[i.request.channel]}</td>
<td>${dateToken(i.request.receivedOn, "待确认")}</td>
<td>${STATUSES[i.request.status]}${i.request.outcome ? html`<br><span class="hint">${outcomeLabel(i.request.outcome)}</span>` : ""}</td>
<td>${i.request.nextDueOn ? html`${i.dueLabel ?? ""} ${dateToken(i.request.nextDueOn)} ${URGENCY_BADGE[i.urgency ?? "ok"]}` : "—"}</td>
<td>${i.request.departmentId ? noBreak(dept.get(i.request.departmentId) ?? "") : html`<span class="hint">未分办</span>`}</td>
</tr>`,
      )}</tbody></table></div>`
}
${
  pageNo > 1 || m.hasNext
    ? html`<nav class="pagination no-print" aria-label="分页"><ul>${pageNo > 1 ? html`<li><a href="${pageHref(pageNo - 1)}" rel="prev">上一页</a></li>` : ""}${m.hasNext ? html`<li><a href="${pageHref(pageNo + 1)}" rel="next">下一页</a></li>` : ""}</ul></nav>`
    : ""
}`,
  });
}

export function remindersPage(
  ctx: PageContext,
  m: { agency: Agency; reminders: Reminder[]; today: string },
): SafeHtml {
  const base = requestsBase(m.agency);
  return page(ctx, {
    title: "到期提醒",
    area: "staff",
    breadcrumbs: crumbs(m.agency, { label: "到期提醒" }),
    body: html`${subnav(m.agency, "reminders")}
<h1>到期提醒</h1>
<p class="hint">列出已逾期和${dateToken(formatChineseDate(m.today))}起3个工作日内到期的期限。</p>
${
  m.reminders.length === 0
    ? html`<p class="notice notice-ok">目前没有即将到期或已逾期的申请。</p>`
    : html`<ul class="reminders">${m.reminders.map(
        (
          r,
        ) => html`<li class="${r.urgency === "overdue" ? "overdue" : "due-soon"}">${URGENCY_BADGE[r.urgency]}
<a href="${base}/${r.request.id}">${r.request.number}</a> ${r.request.infoTitle}：${r.label} ${dateToken(formatChineseDate(r.due))}。${keepTokens(r.advice)}</li>`,
      )}</ul>`
}`,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Entry form
// ---------------------------------------------------------------------------------------------------------------

export function newRequestPage(
  ctx: PageContext,
  m: {
    agency: Agency;
    values: FormValues;
    errors: FieldErrors;
    message?: string | undefined;
    keyMissing: boolean;
    today: string;
  },
): SafeHtml {
  const v = m.values;
  return page(ctx, {
    title: "登记政府信息公开申请",
    area: "staff",
    breadcrumbs: crumbs(m.agency, { label: "登记申请" }),
    body: html`${subnav(m.agency, "new")}
<h1>登记政府信息公开申请</h1>
<p>当面提交、口头提出（代为填写）、邮寄、传真、电子邮件或12345等平台转办的申请，在此登记。收到申请之日按条例第三十一条确定：当面或口头提出的为提交之日；邮寄的为签收之日（平常信函为与申请人确认之日）；传真、电子邮件和平台转办的为双方确认之日，未确认的申请先登记为“待确认收到”。</p>
${keyWarning(m.keyMissing)}
${errorSummary(m.errors, FIELD_LABELS, m.message)}
<form method="post" action="${requestsBase(m.agency)}/new" class="stack apply-form" novalidate autocomplete="off">
${csrfInput(ctx)}${v.entryKey ? html`<input type="hidden" name="entryKey" value="${v.entryKey}">` : ""}
<fieldset><legend>收到申请</legend>
${selectField({ name: "channel", label: "申请渠道", value: v.channel ?? "in_person", errors: m.errors, required: true, options: STAFF_CHANNELS.map((c) => ({ value: c, label: CHANNELS[c] })) })}
${textField({ name: "submittedOn", label: "提交（到达）日期", type: "date", value: v.submittedOn ?? m.today, errors: m.errors, required: true })}
${textField({ name: "signedForOn", label: "签收日期（邮寄）", type: "date", value: v.signedForOn, errors: m.errors, hint: "挂号信、快递等需要签收的邮件填写签收日期。" })}
${textField({ name: "confirmedOn", label: "双方确认日期", type: "date", value: v.confirmedOn, errors: m.errors, hint: "传真、电子邮件、平台转办和平常信函：与申请人确认收到的日期；尚未确认的留空。" })}
</fieldset>
${applicationFields(v, m.errors, { staff: true })}
<div><button type="submit"${m.keyMissing ? html` disabled` : ""}>登记</button></div>
</form>`,
  });
}

export const OUTCOME_OPTIONS = OUTCOMES.map((o) => ({ value: o.code, label: outcomeLabel(o.code) }));
export { DEADLINE_LABELS };
