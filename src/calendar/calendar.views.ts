/**
 * @module Staff page /admin/calendar (工作日历管理): a year as a month grid and a list, the entered notices and
 * overrides, and the forms to add them (CSRF token, field-level errors). Pure HTML through `html`.
 */
import { csrfInput, errorSummary, type FieldErrors, fieldId, selectField, textField } from "../http/forms.ts";
import { type PageContext, page } from "../http/layout.ts";
import { html, type SafeHtml } from "../shared/html.ts";
import type { CalendarNoticeView, CalendarOverrideView, CalendarYearView } from "./calendar.service.ts";
import { chineseWeekday, daysInMonth, formatParts, weekday } from "./date.ts";
import type { DayInfo } from "./types.ts";

export interface NoticeFormValues {
  year: string;
  title: string;
  docNumber: string;
  date: string;
  url: string;
  days: string;
}

export interface OverrideFormValues {
  date: string;
  kind: string;
  name: string;
  category: string;
  regionId: string;
  note: string;
}

export interface CalendarAdminModel {
  view: CalendarYearView;
  years: number[];
  notices: CalendarNoticeView[];
  overrides: CalendarOverrideView[];
  regions: { id: string; label: string }[];
  noticeForm: NoticeFormValues;
  noticeErrors: FieldErrors;
  overrideForm: OverrideFormValues;
  overrideErrors: FieldErrors;
  /** Success message after a change. */
  done?: string | undefined;
}

export const EMPTY_NOTICE_FORM: NoticeFormValues = {
  year: "",
  title: "",
  docNumber: "",
  date: "",
  url: "",
  days: "",
};
export const EMPTY_OVERRIDE_FORM: OverrideFormValues = {
  date: "",
  kind: "rest",
  name: "",
  category: "holiday",
  regionId: "",
  note: "",
};

const WEEK_HEAD = ["一", "二", "三", "四", "五", "六", "日"] as const;
const KIND_TEXT = { rest: "休息日", work: "调休上班日" } as const;
const CATEGORY_TEXT = { notice: "放假通知", holiday: "地方性假日/其他", closure: "临时调整" } as const;
const SOURCE_TEXT = {
  notice: "国务院通知",
  nationalOverride: "管理员录入（全国）",
  regionalOverride: "管理员录入（地区）",
  statute: "《全国年节及纪念日放假办法》（调休待通知）",
} as const;

function monthGrid(year: number, month: number, special: Map<string, DayInfo>): SafeHtml {
  const first = formatParts(year, month, 1);
  const lead = (weekday(first) + 6) % 7; // Monday first
  const cells: SafeHtml[] = [];
  for (let i = 0; i < lead; i++) cells.push(html`<td></td>`);
  for (let d = 1; d <= daysInMonth(year, month); d++) {
    const date = formatParts(year, month, d);
    const info = special.get(date);
    const wd = weekday(date);
    if (info && !info.working) {
      cells.push(
        html`<td class="cal-rest"><span aria-hidden="true">${String(d)}<small>休</small></span><span class="visually-hidden">${String(d)}日 休息（${info.name ?? ""}）</span></td>`,
      );
    } else if (info?.working) {
      cells.push(
        html`<td class="cal-work"><span aria-hidden="true">${String(d)}<small>班</small></span><span class="visually-hidden">${String(d)}日 调休上班（${info.name ?? ""}）</span></td>`,
      );
    } else if (wd === 0 || wd === 6) {
      cells.push(html`<td class="cal-weekend">${String(d)}</td>`);
    } else cells.push(html`<td>${String(d)}</td>`);
  }
  while (cells.length % 7 !== 0) cells.push(html`<td></td>`);
  const rows: SafeHtml[] = [];
  for (let i = 0; i < cells.length; i += 7) rows.push(html`<tr>${cells.slice(i, i + 7)}</tr>`);
  return html`<table class="cal-month"><caption>${String(year)}年${String(month)}月</caption>
<thead><tr>${WEEK_HEAD.map((w) => html`<th scope="col"><abbr title="星期${w}">${w}</abbr></th>`)}</tr></thead>
<tbody>${rows}</tbody></table>`;
}

function yearSection(view: CalendarYearView): SafeHtml {
  const special = new Map(view.days.map((d) => [d.date, d]));
  const status = view.official
    ? html`<p class="notice notice-ok" role="status">${String(view.year)}年已有正式放假安排数据（${view.source === "file" ? "随系统发布的年度数据文件" : "管理员录入"}）。全年工作日 ${String(view.workingDays)} 天。</p>`
    : html`<p class="notice notice-warn" role="status"><strong>${String(view.year)}年放假安排尚未录入：</strong>涉及该年的期限暂按《全国年节及纪念日放假办法》规定的法定节假日（含周末补假）和周一至周五计算，调休安排未知，并标注为“临时”。国务院办公厅通知发布后，请在下方录入；录入后所有未办结的期限将自动重新计算。</p>`;
  const notice = view.notice
    ? html`<p>依据：${view.notice.url ? html`<a href="${view.notice.url}">${view.notice.title}</a>` : view.notice.title}（${view.notice.docNumber}，${view.notice.date}）</p>
${(view.notice.amendments ?? []).map((a) => html`<p>调整：${a.title}（${a.docNumber}）：${a.summary}</p>`)}`
    : "";
  const list = view.days.length
    ? html`<div class="table-scroll"><table><caption>${String(view.year)}年放假和调休上班日</caption>
<thead><tr><th scope="col">日期</th><th scope="col">星期</th><th scope="col">安排</th><th scope="col">名称</th><th scope="col">来源</th></tr></thead>
<tbody>${view.days.map(
        (d) =>
          html`<tr><td>${d.date}</td><td>${chineseWeekday(d.date)}</td><td>${d.working ? "调休上班" : "休息"}</td><td>${d.name ?? ""}</td><td>${d.source ? SOURCE_TEXT[d.source] : ""}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>该年没有放假或调休安排。</p>`;
  return html`<section aria-labelledby="year-heading">
<h2 id="year-heading">${String(view.year)}年</h2>
${status}
${notice}
<p><a href="/calendar/${String(view.year)}.ics">下载 ${String(view.year)} 年节假日日历（.ics）</a></p>
<details open><summary>月历</summary>
<p class="hint">“休”为放假日，“班”为调休上班日；灰色为普通周末。</p>
<div class="cal-months">${Array.from({ length: 12 }, (_, i) => monthGrid(view.year, i + 1, special))}</div>
</details>
${list}
</section>`;
}

function regionLabel(regions: { id: string; label: string }[], id: string | null): string {
  if (id === null) return "全国";
  return regions.find((r) => r.id === id)?.label ?? id;
}

function enteredData(ctx: PageContext, m: CalendarAdminModel): SafeHtml {
  const notices = m.notices.length
    ? html`<div class="table-scroll"><table><caption>已录入的放假通知</caption>
<thead><tr><th scope="col">年度</th><th scope="col">标题</th><th scope="col">文号</th><th scope="col">成文日期</th><th scope="col">操作</th></tr></thead>
<tbody>${m.notices.map(
        (n) => html`<tr><td>${String(n.year)}</td><td>${n.title}</td><td>${n.docNumber}</td><td>${n.date}</td>
<td><form method="post" action="/admin/calendar/notices/${String(n.year)}/delete" class="inline">${csrfInput(ctx)}<button type="submit" class="link">删除通知及其日期<span class="visually-hidden">（${String(n.year)}年）</span></button></form></td></tr>`,
      )}</tbody></table></div>`
    : html`<p>尚未录入放假通知（2019—2026年的通知已随系统发布）。</p>`;
  const overrides = m.overrides.length
    ? html`<div class="table-scroll"><table><caption>已录入的日期调整</caption>
<thead><tr><th scope="col">日期</th><th scope="col">范围</th><th scope="col">类别</th><th scope="col">安排</th><th scope="col">名称</th><th scope="col">说明</th><th scope="col">操作</th></tr></thead>
<tbody>${m.overrides.map(
        (
          o,
        ) => html`<tr><td>${o.date}</td><td>${regionLabel(m.regions, o.regionId)}</td><td>${CATEGORY_TEXT[o.category]}${o.noticeYear ? `（${o.noticeYear}年）` : ""}</td><td>${KIND_TEXT[o.kind]}</td><td>${o.name}</td><td>${o.note ?? ""}</td>
<td><form method="post" action="/admin/calendar/overrides/${o.id}/delete" class="inline">${csrfInput(ctx)}<button type="submit" class="link">删除<span class="visually-hidden">${o.date} ${o.name}</span></button></form></td></tr>`,
      )}</tbody></table></div>`
    : html`<p>尚无日期调整。</p>`;
  return html`<section aria-labelledby="entered-heading"><h2 id="entered-heading">已录入的数据</h2>${notices}${overrides}</section>`;
}

const NOTICE_LABELS = {
  year: "年度",
  title: "通知标题",
  docNumber: "文号",
  noticeDate: "成文日期",
  url: "原文链接",
  days: "放假和调休安排",
};
const OVERRIDE_LABELS = {
  date: "日期",
  kind: "安排",
  name: "名称",
  category: "类别",
  regionId: "适用范围",
  note: "说明",
};

function noticeForm(ctx: PageContext, m: CalendarAdminModel): SafeHtml {
  const v = m.noticeForm;
  const e = m.noticeErrors;
  const daysId = fieldId("days");
  const daysError = e.days;
  return html`<section aria-labelledby="notice-heading"><h2 id="notice-heading">录入新发布的国务院放假通知</h2>
<p class="hint">国务院办公厅每年年底发布下一年的《关于YYYY年部分节假日安排的通知》。录入后该年即按通知计算工作日，涉及该年的临时期限将自动重新计算。</p>
<form method="post" action="/admin/calendar/notices" class="stack" novalidate>
${csrfInput(ctx)}
${errorSummary(e, NOTICE_LABELS)}
${textField({ name: "year", label: "年度", value: v.year, errors: e, required: true, inputmode: "numeric", maxlength: 4, hint: "例如 2027" })}
${textField({ name: "title", label: "通知标题", value: v.title, errors: e, required: true, maxlength: 200, hint: "例如：国务院办公厅关于2027年部分节假日安排的通知" })}
${textField({ name: "docNumber", label: "文号", value: v.docNumber, errors: e, required: true, maxlength: 100, hint: "例如：国办发明电〔2026〕7号" })}
${textField({ name: "noticeDate", label: "成文日期", value: v.date, errors: e, required: true, type: "date", hint: "格式 YYYY-MM-DD" })}
${textField({ name: "url", label: "原文链接", value: v.url, errors: e, maxlength: 500, hint: "可选，中国政府网原文地址" })}
<div class="field">
<label for="${daysId}">放假和调休安排 <span aria-hidden="true">*</span></label>
<p class="hint" id="${daysId}-hint">每行一项：日期（或“起始日至结束日”）、空格、“休”或“班”、空格、节日名称。例如：<br><code>2027-02-06至2027-02-13 休 春节</code><br><code>2027-02-14 班 春节</code></p>
<textarea id="${daysId}" name="days" rows="12" required aria-required="true" aria-describedby="${daysId}-hint${daysError ? ` ${daysId}-error` : ""}"${daysError ? html` aria-invalid="true"` : ""}>${v.days}</textarea>
${daysError ? html`<p class="field-error" id="${daysId}-error">${daysError}</p>` : ""}
</div>
<p><button type="submit">录入通知</button></p>
</form></section>`;
}

function overrideForm(ctx: PageContext, m: CalendarAdminModel): SafeHtml {
  const v = m.overrideForm;
  const e = m.overrideErrors;
  return html`<section aria-labelledby="override-heading"><h2 id="override-heading">登记单日调整</h2>
<p class="hint">地方性假日（如少数民族节日）只适用于所选地区及其下级地区的机关；临时调整用于其他全国或地区性的放假、上班安排。</p>
<form method="post" action="/admin/calendar/overrides" class="stack" novalidate>
${csrfInput(ctx)}
${errorSummary(e, OVERRIDE_LABELS)}
${textField({ name: "date", label: "日期", value: v.date, errors: e, required: true, type: "date", hint: "格式 YYYY-MM-DD" })}
${selectField({
  name: "kind",
  label: "安排",
  value: v.kind,
  errors: e,
  required: true,
  options: [
    { value: "rest", label: "休息日" },
    { value: "work", label: "调休上班日（须为星期六或星期日）" },
  ],
})}
${textField({ name: "name", label: "名称", value: v.name, errors: e, required: true, maxlength: 50, hint: "例如：三月三、临时闭馆" })}
${selectField({
  name: "category",
  label: "类别",
  value: v.category,
  errors: e,
  required: true,
  options: [
    { value: "holiday", label: "地方性假日/其他" },
    { value: "closure", label: "临时调整" },
    { value: "notice", label: "补录已录入通知中的日期" },
  ],
})}
${selectField({ name: "regionId", label: "适用范围", value: v.regionId, errors: e, emptyLabel: "全国", options: m.regions.map((r) => ({ value: r.id, label: r.label })) })}
${textField({ name: "note", label: "说明", value: v.note, errors: e, maxlength: 500, hint: "可选，例如依据的文件" })}
<p><button type="submit">登记调整</button></p>
</form></section>`;
}

export function calendarAdminPage(ctx: PageContext, m: CalendarAdminModel): SafeHtml {
  const yearNav = html`<nav aria-label="选择年份"><ul class="inline-list">${m.years.map(
    (y) =>
      html`<li><a href="/admin/calendar?year=${String(y)}"${y === m.view.year ? html` aria-current="page"` : ""}>${String(y)}年</a></li>`,
  )}</ul></nav>`;
  return page(ctx, {
    title: `工作日历（${m.view.year}年）`,
    area: "staff",
    breadcrumbs: [{ href: "/admin", label: "工作台" }, { label: "工作日历" }],
    body: html`<h1>工作日历</h1>
<p>期限按工作日计算：周一至周五为工作日，国务院通知规定的放假日除外，调休上班的周末计入。</p>
${m.done ? html`<p class="notice notice-ok" role="status">${m.done}</p>` : ""}
${yearNav}
${yearSection(m.view)}
${noticeForm(ctx, m)}
${overrideForm(ctx, m)}
${enteredData(ctx, m)}`,
  });
}
