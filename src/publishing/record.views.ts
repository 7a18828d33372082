/**
 * @module Staff pages of publishing (/admin/records…): list, form, record page with the workflow actions,
 * periodic duties, settings and duty notices. Pure HTML through the escaping template; Chinese; accessible forms
 * (labels, hints, field-level errors with aria-describedby, an error summary) with the CSRF token in every form.
 */
import { formatChineseDate } from "../calendar/index.ts";
import type { FieldError } from "../errors.ts";
import {
  csrfInput,
  errorSummary,
  type FieldErrors,
  fieldId,
  selectField,
  textField,
  toFieldErrors,
} from "../http/forms.ts";
import { type PageContext, page } from "../http/layout.ts";
import { shanghaiDateTime } from "../shared/clock.ts";
import { html, raw, type SafeHtml } from "../shared/html.ts";
import { formatSize } from "./attachment.rules.ts";
import type { LinkedItem } from "./catalog-link.repository.ts";
import { INDEX_PRESETS } from "./index-number.rules.ts";
import { OBLIGATION_STATE_LABELS, type ObligationState } from "./obligation.service.ts";
import { adminRecordPath, publicRecordPath } from "./record.paths.ts";
import {
  CHANNEL_SUGGESTIONS,
  CHECKLIST_ITEMS,
  DISCLOSURES,
  DOC_CATEGORIES,
  EVENT_LABELS,
  GENRE_SUGGESTIONS,
  KINDS,
  RECORD_STATUS_LABELS,
  REVISION_STATUS_LABELS,
  TOPIC_SUGGESTIONS,
  VALIDITIES,
} from "./record.rules.ts";
import type { FindingView, PublishingSettings, StaffRecordDetail } from "./record.service.ts";
import type {
  DutyNoticeRow,
  RecordContent,
  RecordObligationRow,
  RecordRow,
  RevisionStatus,
} from "./record.table.ts";
import type { RecordDue } from "./record-deadline.rules.ts";
import type { RereviewEntry, RereviewHistoryEntry } from "./record-rereview.service.ts";

export interface AgencyRef {
  id: string;
  slug: string;
  name: string;
}

const q = (slug: string) => `agency=${encodeURIComponent(slug)}`;

function crumbs(agency: AgencyRef, ...rest: { href?: string; label: string }[]) {
  return [
    { href: "/admin", label: "工作台" },
    { href: `/admin/records?${q(agency.slug)}`, label: "信息发布" },
    ...rest,
  ];
}

function agencyPicker(agencies: AgencyRef[], current: AgencyRef, action: string): SafeHtml {
  if (agencies.length <= 1) return html``;
  return html`<form method="get" action="${action}" class="search-form no-print"><label for="agency-pick">选择机关</label>
<select id="agency-pick" name="agency">${agencies.map((a) => html`<option value="${a.slug}"${a.id === current.id ? html` selected` : ""}>${a.name}</option>`)}</select>
<button type="submit" class="secondary">切换</button></form>`;
}

function statusBadge(r: Pick<RecordRow, "status" | "workflow_status">): SafeHtml {
  const cls = r.status === "published" ? "badge-ok" : r.status === "withdrawn" ? "badge-err" : "badge-warn";
  const open =
    r.status !== "draft" && r.workflow_status !== "published" && r.workflow_status !== "superseded";
  return html`<span class="badge ${cls}">${RECORD_STATUS_LABELS[r.status]}</span>${
    r.status === "draft" || open
      ? html` <span class="badge">${REVISION_STATUS_LABELS[r.workflow_status]}${open ? "（修订）" : ""}</span>`
      : ""
  }`;
}

function date(d: string | null): string {
  return d ? formatChineseDate(d) : "—";
}

function subnav(agency: AgencyRef, current: string): SafeHtml {
  const links = [
    { href: `/admin/records?${q(agency.slug)}`, label: "全部信息", key: "list" },
    { href: `/admin/records/obligations?${q(agency.slug)}`, label: "定期更新任务", key: "obligations" },
    { href: `/admin/notices?${q(agency.slug)}`, label: "到期提醒", key: "notices" },
    { href: `/admin/records/rereview?${q(agency.slug)}`, label: "不予公开评估", key: "rereview" },
    { href: `/admin/compliance?${q(agency.slug)}`, label: "考核统计", key: "compliance" },
    { href: `/admin/records/settings?${q(agency.slug)}`, label: "发布设置", key: "settings" },
  ];
  return html`<nav class="agency-nav no-print" aria-label="信息发布"><ul>${links.map(
    (l) =>
      html`<li><a href="${l.href}"${l.key === current ? html` aria-current="page"` : ""}>${l.label}</a></li>`,
  )}</ul></nav>`;
}

// ---------------------------------------------------------------------------------------------------------------
// List
// ---------------------------------------------------------------------------------------------------------------

export interface ListModel {
  agency: AgencyRef;
  agencies: AgencyRef[];
  rows: RecordRow[];
  total: number;
  page: number;
  pageSize: number;
  filters: { status: string; workflow: string; q: string; department: string };
  departments: { id: string; name: string }[];
  canDraft: boolean;
  message?: string | undefined;
}

export function listPage(ctx: PageContext, m: ListModel): SafeHtml {
  const pages = Math.max(1, Math.ceil(m.total / m.pageSize));
  const link = (p: number) =>
    `/admin/records?${q(m.agency.slug)}&status=${encodeURIComponent(m.filters.status)}&workflow=${encodeURIComponent(m.filters.workflow)}&department=${encodeURIComponent(m.filters.department)}&q=${encodeURIComponent(m.filters.q)}&page=${p}`;
  const dept = new Map(m.departments.map((d) => [d.id, d.name]));
  return page(ctx, {
    area: "staff",
    title: "信息发布",
    breadcrumbs: crumbs(m.agency),
    body: html`<h1>信息发布 <small class="hint">${m.agency.name}</small></h1>
${subnav(m.agency, "list")}
${m.message ? html`<p class="notice notice-ok" role="status">${m.message}</p>` : ""}
${agencyPicker(m.agencies, m.agency, "/admin/records")}
${m.canDraft ? html`<p><a class="button" href="/admin/records/new?${q(m.agency.slug)}">新建信息</a></p>` : ""}
<form method="get" action="/admin/records" class="search-form no-print" role="search" aria-label="筛选信息">
<input type="hidden" name="agency" value="${m.agency.slug}">
<label for="f-q">标题、文号或索引号</label><input type="search" id="f-q" name="q" value="${m.filters.q}">
<label for="f-status">状态</label><select id="f-status" name="status"><option value="">全部</option>${(
      Object.keys(RECORD_STATUS_LABELS) as (keyof typeof RECORD_STATUS_LABELS)[]
    ).map(
      (s) =>
        html`<option value="${s}"${m.filters.status === s ? html` selected` : ""}>${RECORD_STATUS_LABELS[s]}</option>`,
    )}</select>
<label for="f-workflow">环节</label><select id="f-workflow" name="workflow"><option value="">全部</option>${(
      ["draft", "submitted", "reviewed", "approved"] as RevisionStatus[]
    ).map(
      (s) =>
        html`<option value="${s}"${m.filters.workflow === s ? html` selected` : ""}>${REVISION_STATUS_LABELS[s]}</option>`,
    )}</select>
<label for="f-department">股室</label><select id="f-department" name="department"><option value="">全部</option>${m.departments.map(
      (d) =>
        html`<option value="${d.id}"${m.filters.department === d.id ? html` selected` : ""}>${d.name}</option>`,
    )}</select>
<button type="submit">筛选</button></form>
<p>共 ${m.total} 条。</p>
${
  m.rows.length === 0
    ? html`<p>没有符合条件的信息。</p>`
    : html`<div class="table-scroll"><table><caption class="visually-hidden">信息列表</caption>
<thead><tr><th scope="col">标题</th><th scope="col">索引号</th><th scope="col">状态</th><th scope="col">股室</th><th scope="col">成文日期</th><th scope="col">发布日期</th><th scope="col">时限</th></tr></thead>
<tbody>${m.rows.map(
        (
          r,
        ) => html`<tr><td><a href="${adminRecordPath(r.id, m.agency.slug)}">${r.title}</a>${r.kind === "interpretation" ? html` <span class="badge">政策解读</span>` : ""}</td>
<td>${r.index_no ?? "—"}</td><td>${statusBadge(r)}</td><td>${r.department_id ? (dept.get(r.department_id) ?? "") : "—"}</td>
<td>${date(r.formed_date)}</td><td>${date(r.published_date)}</td>
<td>${r.late === true ? html`<span class="badge badge-err">逾期发布</span>` : r.late === false ? html`<span class="badge badge-ok">按时</span>` : "—"}</td></tr>`,
      )}</tbody></table></div>`
}
${
  pages > 1
    ? html`<nav class="pagination no-print" aria-label="分页"><ul>${m.page > 1 ? html`<li><a href="${link(m.page - 1)}" rel="prev">上一页</a></li>` : ""}<li><span aria-current="page">第${m.page}页，共${pages}页</span></li>${m.page < pages ? html`<li><a href="${link(m.page + 1)}" rel="next">下一页</a></li>` : ""}</ul></nav>`
    : ""
}`,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Form
// ---------------------------------------------------------------------------------------------------------------

export interface FormModel {
  agency: AgencyRef;
  mode: "new" | "edit";
  recordId?: string | undefined;
  values: RecordContent;
  changeNote: string;
  errors: FieldError[];
  items: LinkedItem[];
  departments: { id: string; name: string }[];
  /** Published documents (for 政策解读 links and 替代文件). */
  documents: { id: string; title: string; indexNo: string | null }[];
  keywordsText?: string;
}

export const FIELD_LABELS: Record<string, string> = {
  kind: "信息类型",
  title: "标题",
  summary: "内容概述",
  issuingAgency: "发布机构",
  docNumber: "文号",
  formedDate: "成文（生成）日期",
  changedDate: "变更日期",
  topic: "主题分类",
  genre: "体裁分类",
  keywords: "关键词",
  validity: "有效性",
  effectiveDate: "生效日期",
  repealDate: "废止（失效）日期",
  replacedByRecordId: "替代文件",
  replacedByText: "替代文件说明",
  disclosure: "公开属性",
  nonDisclosureReason: "不予公开理由",
  itemId: "目录事项",
  elementId: "公开内容（要素）",
  departmentId: "责任股室",
  docCategory: "年报统计类别",
  decisionCount: "决定数量",
  feeAmountWan: "收费金额（万元）",
  bodyHtml: "正文",
  interpretsRecordIds: "所解读的政策文件",
  changeNote: "修改说明",
};

function itemLabel(item: LinkedItem, byId: Map<string, LinkedItem>): string {
  const names: string[] = [];
  let cur: LinkedItem | undefined = item;
  while (cur) {
    names.unshift(`${cur.number ? `${cur.number} ` : ""}${cur.name}`);
    cur = cur.parentId ? byId.get(cur.parentId) : undefined;
  }
  return names.join(" › ");
}

function area(
  name: string,
  label: string,
  value: string,
  errors: FieldErrors,
  hint?: string,
  rows = 4,
): SafeHtml {
  const id = fieldId(name);
  const error = errors[name];
  const desc = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return html`<div class="field"><label for="${id}">${label}</label>
${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ""}
<textarea id="${id}" name="${name}" rows="${String(rows)}"${error ? html` aria-invalid="true"` : ""}${desc ? html` aria-describedby="${desc}"` : ""}>${value}</textarea>
${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : ""}</div>`;
}

function listInput(
  name: string,
  label: string,
  value: string,
  errors: FieldErrors,
  list: readonly string[],
  hint?: string,
): SafeHtml {
  const id = fieldId(name);
  const error = errors[name];
  const desc = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return html`<div class="field"><label for="${id}">${label}</label>
${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ""}
<input type="text" id="${id}" name="${name}" value="${value}" list="${id}-list" maxlength="50"${error ? html` aria-invalid="true"` : ""}${desc ? html` aria-describedby="${desc}"` : ""}>
<datalist id="${id}-list">${list.map((v) => html`<option value="${v}">`)}</datalist>
${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : ""}</div>`;
}

export function formPage(ctx: PageContext, m: FormModel): SafeHtml {
  const v = m.values;
  const errors = toFieldErrors(m.errors);
  const byId = new Map(m.items.map((i) => [i.id, i]));
  const action =
    m.mode === "new"
      ? `/admin/records?${q(m.agency.slug)}`
      : `/admin/records/${m.recordId}?${q(m.agency.slug)}`;
  const title = m.mode === "new" ? "新建信息" : "修改信息";
  const elementOptions = m.items
    .filter((i) => i.elements.length > 0)
    .flatMap((i) =>
      i.elements.map((e) => ({ value: e.id, label: `${e.label || e.content.slice(0, 20)}`, group: i.name })),
    );
  const interprets = new Set(v.interpretsRecordIds);
  return page(ctx, {
    area: "staff",
    title,
    breadcrumbs: crumbs(m.agency, { label: title }),
    body: html`<h1>${title}</h1>
${errorSummary(errors, FIELD_LABELS)}
<form method="post" action="${action}" class="stack" novalidate>
${csrfInput(ctx)}
<fieldset><legend>基本信息</legend>
${selectField({ name: "kind", label: FIELD_LABELS.kind!, value: v.kind, errors, options: Object.entries(KINDS).map(([value, label]) => ({ value, label })) })}
${textField({ name: "title", label: FIELD_LABELS.title!, value: v.title, errors, required: true, maxlength: 300 })}
${area("summary", FIELD_LABELS.summary!, v.summary, errors, "简要说明信息的主要内容（《条例》第十二条），500字以内。", 3)}
${textField({ name: "issuingAgency", label: FIELD_LABELS.issuingAgency!, value: v.issuingAgency, errors, required: true, hint: "填写机关全称，不用简称；联合发文的，填写主办机关。" })}
${textField({ name: "docNumber", label: FIELD_LABELS.docNumber!, value: v.docNumber, errors, hint: "例如：聊人社发〔2025〕12号。年份写全。" })}
${textField({ name: "formedDate", label: FIELD_LABELS.formedDate!, value: v.formedDate, errors, type: "date", required: true, hint: "公文为签发日期；其他信息为形成日期。公开时限（《条例》第二十六条）从此日起算。" })}
${textField({ name: "changedDate", label: FIELD_LABELS.changedDate!, value: v.changedDate ?? "", errors, type: "date", hint: "信息发生变更的，填写变更日期，公开时限从变更之日重新起算。" })}
</fieldset>
<fieldset><legend>目录与分类</legend>
${selectField({ name: "itemId", label: FIELD_LABELS.itemId!, value: v.itemId ?? "", errors, emptyLabel: "（未关联目录事项）", hint: "主动公开的信息须选择所对应的主动公开事项目录事项；公开时限按该事项的规定计算。", options: m.items.map((i) => ({ value: i.id, label: itemLabel(i, byId) })) })}
${elementOptions.length ? selectField({ name: "elementId", label: FIELD_LABELS.elementId!, value: v.elementId ?? "", errors, emptyLabel: "（不区分要素）", hint: "所选要素须属于上面的目录事项。", options: elementOptions }) : ""}
${selectField({ name: "departmentId", label: FIELD_LABELS.departmentId!, value: v.departmentId ?? "", errors, emptyLabel: "（按目录事项的责任单位）", options: m.departments.map((d) => ({ value: d.id, label: d.name })) })}
${listInput("topic", FIELD_LABELS.topic!, v.topic, errors, TOPIC_SUGGESTIONS)}
${listInput("genre", FIELD_LABELS.genre!, v.genre, errors, GENRE_SUGGESTIONS)}
${textField({ name: "keywords", label: FIELD_LABELS.keywords!, value: m.keywordsText ?? v.keywords.join(" "), errors, hint: "多个关键词用空格或顿号分隔，最多10个。" })}
${selectField({ name: "docCategory", label: FIELD_LABELS.docCategory!, value: v.docCategory ?? "", errors, emptyLabel: "（不计入年报第二部分）", hint: "规章、行政规范性文件、行政许可/处罚/强制决定和行政事业性收费计入年度报告“主动公开政府信息情况”。", options: Object.entries(DOC_CATEGORIES).map(([value, label]) => ({ value, label })) })}
${textField({ name: "decisionCount", label: FIELD_LABELS.decisionCount!, value: String(v.decisionCount), errors, type: "number", hint: "行政许可、处罚、强制公示中包含的决定件数。" })}
${textField({ name: "feeAmountWan", label: FIELD_LABELS.feeAmountWan!, value: v.feeAmountWan === null ? "" : String(v.feeAmountWan), errors, inputmode: "decimal" })}
</fieldset>
<fieldset><legend>公开属性与效力</legend>
${selectField({ name: "disclosure", label: FIELD_LABELS.disclosure!, value: v.disclosure, errors, options: DISCLOSURES.map((d) => ({ value: d, label: d })), hint: "只有主动公开的信息在平台发布。" })}
${area("nonDisclosureReason", FIELD_LABELS.nonDisclosureReason!, v.nonDisclosureReason, errors, "不予公开的，写明理由和依据（《条例》第十四条至第十六条）。", 2)}
${selectField({ name: "validity", label: FIELD_LABELS.validity!, value: v.validity ?? "", errors, emptyLabel: "（不适用）", options: VALIDITIES.map((x) => ({ value: x, label: x })) })}
${textField({ name: "effectiveDate", label: FIELD_LABELS.effectiveDate!, value: v.effectiveDate ?? "", errors, type: "date" })}
${textField({ name: "repealDate", label: FIELD_LABELS.repealDate!, value: v.repealDate ?? "", errors, type: "date" })}
${selectField({ name: "replacedByRecordId", label: FIELD_LABELS.replacedByRecordId!, value: v.replacedByRecordId ?? "", errors, emptyLabel: "（无）", options: m.documents.filter((d) => d.id !== m.recordId).map((d) => ({ value: d.id, label: `${d.title}${d.indexNo ? `（${d.indexNo}）` : ""}` })) })}
${textField({ name: "replacedByText", label: FIELD_LABELS.replacedByText!, value: v.replacedByText, errors, hint: "替代文件不在本平台时，填写其名称和文号。" })}
</fieldset>
<fieldset><legend>政策解读</legend>
<p class="hint" id="interp-hint">信息类型为“政策解读”时，勾选所解读的政策文件；两者页面互相链接。</p>
${
  m.documents.length === 0
    ? html`<p>暂无已发布的文件。</p>`
    : html`<div class="check-list" role="group" aria-describedby="interp-hint">${m.documents
        .filter((d) => d.id !== m.recordId)
        .slice(0, 200)
        .map(
          (d) =>
            html`<div class="check"><input type="checkbox" id="interp-${d.id}" name="interpretsRecordIds" value="${d.id}"${interprets.has(d.id) ? html` checked` : ""}><label for="interp-${d.id}">${d.title}</label></div>`,
        )}</div>`
}
${errors.interpretsRecordIds ? html`<p class="field-error" id="${fieldId("interpretsRecordIds")}">${errors.interpretsRecordIds}</p>` : ""}
</fieldset>
<fieldset><legend>正文</legend>
${area("bodyHtml", FIELD_LABELS.bodyHtml!, v.bodyHtml, errors, "可使用段落、标题、列表、表格、链接和图片（HTML）；脚本、样式和事件属性会被自动清除。附件在保存后上传。", 14)}
${m.mode === "edit" ? area("changeNote", FIELD_LABELS.changeNote!, m.changeNote, errors, "说明本次修改的内容（修订已发布的信息时必填）。", 2) : ""}
</fieldset>
<p><button type="submit">保存</button> <a href="${m.mode === "edit" && m.recordId ? adminRecordPath(m.recordId, m.agency.slug) : `/admin/records?${q(m.agency.slug)}`}">取消</a></p>
</form>`,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Record page
// ---------------------------------------------------------------------------------------------------------------

export interface Permissions {
  draft: boolean;
  review: boolean;
  approve: boolean;
  publish: boolean;
  withdraw: boolean;
  returnBack: boolean;
}

export interface DetailModel {
  agency: AgencyRef;
  detail: StaffRecordDetail;
  can: Permissions;
  findings: FindingView[];
  departments: { id: string; name: string }[];
  errors: FieldError[];
  error?: string | undefined;
  message?: string | undefined;
  users: Map<string, string>;
}

function dueText(due: RecordDue): SafeHtml {
  if (!due.due) return html`<p>${due.explanation}</p>`;
  return html`<p><strong>截止${formatChineseDate(due.due)}</strong>${due.provisional ? html` <span class="badge badge-warn">临时</span>` : ""}。${due.explanation}${due.basis ? html`（依据：${due.basis}）` : ""}</p>`;
}

function metaTable(c: RecordContent, r: RecordRow, m: DetailModel): SafeHtml {
  const dept = m.departments.find((d) => d.id === c.departmentId)?.name;
  const item = m.detail.item;
  const el = item?.elements.find((e) => e.id === c.elementId);
  const rows: [string, unknown][] = [
    ["索引号", r.index_no ?? "（发布时生成）"],
    ["信息类型", KINDS[c.kind]],
    ["发布机构", c.issuingAgency],
    ["文号", c.docNumber || "—"],
    ["成文（生成）日期", date(c.formedDate)],
    ["变更日期", date(c.changedDate)],
    ["发布日期", date(r.published_date)],
    ["主题分类", c.topic || "—"],
    ["体裁分类", c.genre || "—"],
    ["关键词", c.keywords.join("、") || "—"],
    ["有效性", c.validity ?? "—"],
    ["生效日期", date(c.effectiveDate)],
    ["废止（失效）日期", date(c.repealDate)],
    ["公开属性", c.disclosure + (c.nonDisclosureReason ? `（${c.nonDisclosureReason}）` : "")],
    ["目录事项", item ? `${item.number ? `${item.number} ` : ""}${item.name}` : "—"],
    ["公开内容（要素）", el ? el.label || el.content : "—"],
    ["责任股室", dept ?? "—"],
    [
      "年报统计类别",
      c.docCategory
        ? `${DOC_CATEGORIES[c.docCategory]}${c.decisionCount ? `（${c.decisionCount}件）` : ""}`
        : "—",
    ],
    ["内容概述", c.summary || "—"],
  ];
  return html`<table class="meta-table"><caption>信息元数据</caption><tbody>${rows.map(
    ([k, val]) => html`<tr><th scope="row">${k}</th><td>${String(val)}</td></tr>`,
  )}</tbody></table>`;
}

function reasonForm(
  ctx: PageContext,
  action: string,
  id: string,
  label: string,
  button: string,
  hint: string,
  errors: FieldErrors,
  danger = false,
): SafeHtml {
  return html`<form method="post" action="${action}" class="stack">${csrfInput(ctx)}
<div class="field"><label for="${id}">${label}</label><p class="hint" id="${id}-hint">${hint}</p>
<textarea id="${id}" name="reason" rows="2" required aria-required="true" aria-describedby="${id}-hint${errors.reason ? ` ${id}-error` : ""}"${errors.reason ? html` aria-invalid="true"` : ""}></textarea>
${errors.reason ? html`<p class="field-error" id="${id}-error">${errors.reason}</p>` : ""}</div>
<p><button type="submit"${danger ? html` class="danger"` : ""}>${button}</button></p></form>`;
}

function findingsBlock(findings: FindingView[]): SafeHtml {
  if (findings.length === 0) return html``;
  return html`<div class="notice notice-warn" role="alert"><p><strong>发现${findings.length}处疑似个人信息（《条例》第十五条）：</strong></p>
<table><thead><tr><th scope="col">类型</th><th scope="col">位置</th><th scope="col">上下文（已遮盖）</th></tr></thead><tbody>${findings.map(
    (f) =>
      html`<tr><td>${f.label}</td><td>${f.place}第${f.line}行第${f.column}列</td><td>${f.context}</td></tr>`,
  )}</tbody></table>
<p>请退回修改删除或去标识化；确需公开的（如经本人同意），由审签人填写放行理由。</p></div>`;
}

export function detailPage(ctx: PageContext, m: DetailModel): SafeHtml {
  const { record: r, revision: rev } = m.detail;
  const c = rev.content;
  const base = `/admin/records/${r.id}`;
  const qs = `?${q(m.agency.slug)}`;
  const errors = toFieldErrors(m.errors);
  const name = (id: string | null) => (id ? (m.users.get(id) ?? "—") : "—");
  const status = rev.status;
  const actions: SafeHtml[] = [];
  if (status === "draft" && m.can.draft) {
    actions.push(html`<p><a class="button" href="${base}/edit${qs}">修改</a></p>
<form method="post" action="${base}/submit${qs}" class="inline">${csrfInput(ctx)}<button type="submit">提交审核</button></form>`);
  }
  if (status === "submitted" && m.can.review) {
    actions.push(html`<form method="post" action="${base}/review${qs}" class="stack">${csrfInput(ctx)}
<fieldset><legend>保密审查和隐私审查（《条例》第十七条）</legend>
${CHECKLIST_ITEMS.map((i) => {
  const key = `checklist.${i.key}`;
  const err = errors[key];
  return html`<div class="check"><input type="checkbox" id="${fieldId(key)}" name="${i.key}" value="1"${err ? html` aria-invalid="true" aria-describedby="${fieldId(key)}-error"` : ""}><label for="${fieldId(key)}">${i.label}</label>${err ? html`<p class="field-error" id="${fieldId(key)}-error">${err}</p>` : ""}</div>`;
})}
${area("note", "审查意见（可选）", "", errors, undefined, 2)}
</fieldset><p><button type="submit">审核通过</button></p></form>`);
  }
  const piiOverride =
    m.findings.length > 0 && !rev.pii_override_reason && m.can.approve
      ? area(
          "piiOverrideReason",
          "个人信息放行理由（审签人填写）",
          "",
          errors,
          "例如：公示对象已书面同意公开其姓名和联系电话。",
          2,
        )
      : html``;
  if (status === "reviewed" && m.can.approve) {
    actions.push(html`<form method="post" action="${base}/approve${qs}" class="stack">${csrfInput(ctx)}${piiOverride}
<p><button type="submit">审签通过</button></p></form>`);
  }
  if (status === "approved" && m.can.publish) {
    actions.push(html`<form method="post" action="${base}/publish${qs}" class="stack">${csrfInput(ctx)}${piiOverride}
<p>发布后生成索引号，信息在门户公开。</p><p><button type="submit">发布</button></p></form>`);
  }
  const returnPolicy = {
    submitted: m.can.review,
    reviewed: m.can.approve,
    approved: m.can.publish,
  } as Partial<Record<RevisionStatus, boolean>>;
  if (returnPolicy[status]) {
    actions.push(
      reasonForm(
        ctx,
        `${base}/return${qs}`,
        "return-reason",
        "退回理由",
        "退回修改",
        "写明需要修改的内容，起草人可以看到。",
        errors,
      ),
    );
  }
  if (r.status === "published" && m.can.withdraw) {
    actions.push(
      reasonForm(
        ctx,
        `${base}/withdraw${qs}`,
        "withdraw-reason",
        "撤回理由",
        "撤回",
        "撤回后信息从门户下线，审计日志保留记录，索引号不再使用。",
        errors,
        true,
      ),
    );
  }
  if ((r.status === "published" || r.status === "withdrawn") && status === "published" && m.can.draft) {
    actions.push(
      html`<form method="post" action="${base}/revise${qs}" class="inline">${csrfInput(ctx)}<button type="submit" class="secondary">修改已发布信息（新建修订版本）</button></form>`,
    );
  }
  const open = r.current_revision_no !== null && rev.revision_no !== r.current_revision_no;
  return page(ctx, {
    area: "staff",
    title: c.title || "信息",
    breadcrumbs: crumbs(m.agency, { label: c.title || "信息" }),
    body: html`<h1>${c.title}</h1>
<p>${statusBadge(r)} 第${rev.revision_no}版：${REVISION_STATUS_LABELS[status]}${r.status === "published" ? html` · <a href="${publicRecordPath(m.agency.slug, r.id)}">查看门户页面</a>` : ""}</p>
${m.message ? html`<p class="notice notice-ok" role="status">${m.message}</p>` : ""}
${m.error || m.errors.length ? errorSummary(errors, FIELD_LABELS, m.error) : ""}
${rev.returned_reason && status === "draft" ? html`<p class="notice notice-warn">已退回修改：${rev.returned_reason}（${name(rev.returned_by)}，${rev.returned_at ? shanghaiDateTime(rev.returned_at) : ""}）</p>` : ""}
${r.status === "withdrawn" ? html`<p class="notice notice-error">已于${r.withdrawn_at ? shanghaiDateTime(r.withdrawn_at) : ""}撤回：${r.withdrawn_reason ?? ""}</p>` : ""}
${open ? html`<p class="notice notice-warn">门户当前显示第${r.current_revision_no}版；本页显示正在办理的第${rev.revision_no}版，发布后替换。</p>` : ""}
${findingsBlock(m.findings)}
<section aria-labelledby="h-actions" class="no-print"><h2 id="h-actions">办理</h2>
${actions.length ? actions : html`<p>当前没有您可以办理的操作。</p>`}</section>
<section aria-labelledby="h-due"><h2 id="h-due">公开时限</h2>
${r.due_date || r.due_explanation ? html`${r.late === true ? html`<p><span class="badge badge-err">逾期发布</span></p>` : r.late === false ? html`<p><span class="badge badge-ok">按时发布</span></p>` : ""}${dueText({ due: r.due_date, explanation: r.due_explanation, basis: r.due_basis, provisional: r.due_provisional, rule: null })}` : dueText(m.detail.duePreview)}
</section>
<section aria-labelledby="h-meta"><h2 id="h-meta">元数据</h2>${metaTable(c, r, m)}</section>
${
  m.detail.policies.length || m.detail.interpretations.length
    ? html`<section aria-labelledby="h-links"><h2 id="h-links">政策解读关联</h2>
${m.detail.policies.length ? html`<p>解读的政策文件：</p><ul>${m.detail.policies.map((p) => html`<li><a href="${adminRecordPath(p.id, m.agency.slug)}">${p.title}</a></li>`)}</ul>` : ""}
${m.detail.interpretations.length ? html`<p>本文件的解读：</p><ul>${m.detail.interpretations.map((p) => html`<li><a href="${adminRecordPath(p.id, m.agency.slug)}">${p.title}</a></li>`)}</ul>` : ""}</section>`
    : ""
}
<section aria-labelledby="h-body"><h2 id="h-body">正文</h2><div class="record-body">${raw(c.bodyHtml)}</div></section>
<section aria-labelledby="h-att"><h2 id="h-att">附件</h2>
${
  c.attachmentIds.length === 0
    ? html`<p>无附件。</p>`
    : html`<ul>${c.attachmentIds.map((aid) => {
        const a = m.detail.attachments.find((x) => x.id === aid);
        if (!a) return "";
        return html`<li><a href="${base}/attachments/${a.id}${qs}">${a.file_name}</a>（${a.file_type.toUpperCase()}，${formatSize(a.size_bytes)}，SHA-256 <code>${a.sha256.slice(0, 12)}…</code>）${
          status === "draft" && m.can.draft
            ? html` <form method="post" action="${base}/attachments/${a.id}/delete${qs}" class="inline">${csrfInput(ctx)}<button type="submit" class="link">删除</button></form>`
            : ""
        }</li>`;
      })}</ul>`
}
${
  status === "draft" && m.can.draft
    ? html`<form method="post" action="${base}/attachments?${q(m.agency.slug)}&_csrf=${encodeURIComponent(ctx.csrfToken ?? "")}" enctype="multipart/form-data" class="stack no-print">
<div class="field"><label for="f-file">上传附件</label><p class="hint" id="f-file-hint">PDF、Word（doc/docx）、Excel（xls/xlsx）或图片（png/jpg/gif）；系统校验文件类型并记录校验值，文字内容参与个人信息检查。</p>
<input type="file" id="f-file" name="file" required aria-describedby="f-file-hint${errors.file ? " f-file-error" : ""}"${errors.file ? html` aria-invalid="true"` : ""} accept=".pdf,.doc,.docx,.xls,.xlsx,.png,.jpg,.jpeg,.gif">
${errors.file ? html`<p class="field-error" id="f-file-error">${errors.file}</p>` : ""}</div>
<p><button type="submit" class="secondary">上传</button></p></form>`
    : ""
}
</section>
${
  r.status === "published"
    ? html`<section aria-labelledby="h-ch"><h2 id="h-ch">其他渠道发布</h2>
${m.detail.channels.length ? html`<table><thead><tr><th scope="col">渠道</th><th scope="col">日期</th><th scope="col">凭证</th></tr></thead><tbody>${m.detail.channels.map((ch) => html`<tr><td>${ch.channel}</td><td>${date(ch.published_on)}</td><td>${ch.evidence}</td></tr>`)}</tbody></table>` : html`<p>尚未登记。</p>`}
${
  m.can.draft
    ? html`<form method="post" action="${base}/channels${qs}" class="stack no-print">${csrfInput(ctx)}
${listInput("channel", "渠道", "", errors, CHANNEL_SUGGESTIONS, "例如：政务微信公众号、公示栏。")}
${textField({ name: "publishedOn", label: "发布日期", type: "date", errors })}
${area("evidence", "凭证", "", errors, "链接、截图编号或现场照片说明。", 2)}
<p><button type="submit" class="secondary">登记</button></p></form>`
    : ""
}</section>`
    : ""
}
<section aria-labelledby="h-hist"><h2 id="h-hist">办理记录</h2>
<table><thead><tr><th scope="col">时间</th><th scope="col">版本</th><th scope="col">操作</th><th scope="col">办理人</th><th scope="col">意见/理由</th></tr></thead>
<tbody>${m.detail.events.map(
      (e) =>
        html`<tr><td>${shanghaiDateTime(e.occurred_at)}</td><td>第${e.revision_no}版</td><td>${EVENT_LABELS[e.action] ?? e.action}</td><td>${e.actor_name ?? "系统"}</td><td>${e.reason ?? ""}</td></tr>`,
    )}</tbody></table></section>
${
  m.detail.revisions.length > 1
    ? html`<section aria-labelledby="h-rev"><h2 id="h-rev">版本</h2><ul>${m.detail.revisions.map(
        (v) =>
          html`<li>第${v.revision_no}版：${REVISION_STATUS_LABELS[v.status]}${v.published_at ? `，${shanghaiDateTime(v.published_at)}发布` : ""}${v.change_note ? `（${v.change_note}）` : ""}</li>`,
      )}</ul></section>`
    : ""
}`,
  });
}

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
${agencyPicker(m.agencies, m.agency, "/admin/records/obligations")}
<p>目录规定“月度/季度/年度更新”或“每年X月X日前公开”的事项，每期生成一项任务：在该期时限内发布该事项的信息即完成；本期确无新增信息的，由审签人签署“本期无新增信息”并说明理由；到期未完成的计为逾期（截至${formatChineseDate(m.asOf)}）。</p>
<nav aria-label="筛选" class="no-print"><ul class="inline-list">${filters.map(
      ([k, label]) =>
        html`<li><a href="/admin/records/obligations?${q(m.agency.slug)}&state=${k}"${m.filter === k ? html` aria-current="page"` : ""}>${label}</a></li>`,
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
                ? html`<form method="post" action="/admin/records/obligations/${o.id}/attest?${q(m.agency.slug)}" class="stack">${csrfInput(ctx)}
<label for="att-${o.id}">本期无新增信息的说明</label><textarea id="att-${o.id}" name="reason" rows="2" required aria-required="true"${err ? html` aria-invalid="true" aria-describedby="att-${o.id}-error"` : ""}></textarea>
${err ? html`<p class="field-error" id="att-${o.id}-error">${err}</p>` : ""}
<button type="submit" class="secondary">签署本期无新增信息</button></form>`
                : "—"
        }</td></tr>`;
      })}</tbody></table></div>`
}`,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------------------------

export interface SettingsModel {
  agency: AgencyRef & { creditCode: string | null; orgCode: string | null };
  agencies: AgencyRef[];
  settings: PublishingSettings;
  departments: { id: string; name: string }[];
  errors: FieldError[];
  saved: boolean;
  example: string | null;
}

export function settingsPage(ctx: PageContext, m: SettingsModel): SafeHtml {
  const errors = toFieldErrors(m.errors);
  const s = m.settings;
  return page(ctx, {
    area: "staff",
    title: "发布设置",
    breadcrumbs: crumbs(m.agency, { label: "发布设置" }),
    body: html`<h1>发布设置 <small class="hint">${m.agency.name}</small></h1>
${subnav(m.agency, "settings")}
${m.saved ? html`<p class="notice notice-ok" role="status">已保存。</p>` : ""}
${errorSummary(errors, { indexTemplate: "索引号格式", indexCode: "机关代码", notifyEmails: "提醒邮箱" })}
<p>统一社会信用代码：${m.agency.creditCode ?? "（未登记）"}；组织机构代码：${m.agency.orgCode ?? "（未登记）"}。${m.example ? html`下一个索引号示例：<code>${m.example}</code>` : ""}</p>
${s.indexCodeIsDemo ? html`<p class="notice notice-warn">本机关使用的是演示用机关代码（${s.indexCode ?? ""}），不是真实的统一社会信用代码；正式使用前请登记真实代码。</p>` : ""}
<form method="post" action="/admin/records/settings?${q(m.agency.slug)}" class="stack" novalidate>${csrfInput(ctx)}
<fieldset><legend>索引号（《政府信息公开目录系统实施指引（试行）》）</legend>
${selectField({ name: "preset", label: "常用格式", value: Object.entries(INDEX_PRESETS).find(([, p]) => p.template === s.indexTemplate)?.[0] ?? "", errors, emptyLabel: "（自定义，见下）", options: Object.entries(INDEX_PRESETS).map(([value, p]) => ({ value, label: `${p.label}：${p.template}` })) })}
${textField({ name: "indexTemplate", label: "自定义格式", value: s.indexTemplate, errors, hint: "占位符：{CREDIT} 统一社会信用代码，{ORG} 组织机构代码，{CODE} 下面设置的机关代码，{YYYY} 年，{MM} 月，{NNNNN} 序号（N的个数为位数）。选择常用格式时以常用格式为准。序号按年连续编排，已用序号不再使用。" })}
${textField({ name: "indexCode", label: "机关代码", value: s.indexCode ?? "", errors, hint: "本机关未登记统一社会信用代码时使用，或用于 {CODE}。" })}
<div class="check"><input type="checkbox" id="f-indexCodeIsDemo" name="indexCodeIsDemo" value="1"${s.indexCodeIsDemo ? html` checked` : ""}><label for="f-indexCodeIsDemo">这是演示用代码（门户上标注“演示”）</label></div>
</fieldset>
<fieldset><legend>到期提醒邮件</legend>
<p class="hint">配置了邮件服务器（SMTP_URL）时，到期和逾期提醒同时发送邮件。多个邮箱用空格或逗号分隔。</p>
${textField({ name: "email_all", label: "政务公开办（接收全部提醒）", value: (s.notifyEmails["*"] ?? []).join(" "), errors })}
${m.departments.map((d) => textField({ name: `email_${d.id}`, label: d.name, value: (s.notifyEmails[d.id] ?? []).join(" "), errors }))}
</fieldset>
<p><button type="submit">保存</button></p></form>`,
  });
}

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
  },
): SafeHtml {
  const dept = new Map(m.departments.map((d) => [d.id, d.name]));
  return page(ctx, {
    area: "staff",
    title: "到期提醒",
    breadcrumbs: crumbs(m.agency, { label: "到期提醒" }),
    body: html`<h1>到期提醒 <small class="hint">${m.agency.name}</small></h1>
${subnav(m.agency, "notices")}
${agencyPicker(m.agencies, m.agency, "/admin/notices")}
${
  m.notices.length === 0
    ? html`<p>暂无提醒。</p>`
    : html`<ul class="record-list">${m.notices.map(
        (
          n,
        ) => html`<li><p><a href="${n.link}">${n.subject}</a>${n.read_at ? "" : html` <span class="badge badge-warn">未读</span>`}</p>
<p class="hint">${n.department_id ? (dept.get(n.department_id) ?? "") : "政务公开办"} · ${shanghaiDateTime(n.created_at)}${n.emailed_at ? " · 已发送邮件" : ""}</p>
<p>${n.body}</p>
${n.read_at ? "" : html`<form method="post" action="/admin/notices/${n.id}/read?${q(m.agency.slug)}" class="inline">${csrfInput(ctx)}<button type="submit" class="link">标记为已读</button></form>`}</li>`,
      )}</ul>`
}`,
  });
}

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
    return html`<form method="post" action="/admin/records/rereview/${e.recordId}?${q(m.agency.slug)}" class="stack">${csrfInput(ctx)}
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
${agencyPicker(m.agencies, m.agency, "/admin/records/rereview")}
${m.saved ? html`<p class="notice notice-ok" role="status">已记录评估审查。</p>` : ""}
<p>条例第十八条：行政机关应当对不予公开的政府信息进行定期评估审查，对因情势变化可以公开的政府信息应当公开。公开属性为“不予公开”或“依申请公开”的信息，自成文日期或上次评估之日起每${m.intervalMonths}个月评估一次；截至${formatChineseDate(m.asOf)}，逾期未评估<strong>${overdue}</strong>条。转为主动公开的，信息回到起草环节，按正常流程审核、审签后发布。</p>
${
  m.canSetInterval
    ? html`<form method="post" action="/admin/records/rereview/interval?${q(m.agency.slug)}" class="inline-list no-print">${csrfInput(ctx)}
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
