/**
 * @module Staff pages of publishing (/admin/agencies/:agency/records…): the shared chrome (breadcrumbs, agency picker, status badge,
 * sub-navigation), the record list and the record form. Pure HTML through the escaping template; Chinese;
 * accessible forms (labels, hints, field-level errors with aria-describedby, an error summary) with the CSRF token
 * in every form. The record page is in record-detail.views.ts; duties, settings, notices and re-review in
 * obligation.views.ts, publishing-settings.views.ts, notification.views.ts, record-rereview.views.ts.
 */
import { formatChineseDate } from "../calendar/index.ts";
import type { LinkedItem } from "../catalog/catalog-link.read.ts";
import type { FieldError } from "../errors.ts";
import { staffAgencyPath } from "../http/agency-paths.ts";
import { EDITOR_HEAD } from "../http/editor.ts";
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
import { dateToken, html, noBreak, type SafeHtml } from "../shared/html.ts";
import { adminRecordPath, noticesPath, recordsPath } from "./record.paths.ts";
import {
  DISCLOSURES,
  DOC_CATEGORIES,
  GENRE_SUGGESTIONS,
  KINDS,
  RECORD_STATUS_LABELS,
  REVISION_STATUS_LABELS,
  TOPIC_SUGGESTIONS,
  VALIDITIES,
} from "./record.rules.ts";
import type { RecordContent, RecordRow, RevisionStatus } from "./record.table.ts";

export interface AgencyRef {
  id: string;
  slug: string;
  name: string;
}

export function crumbs(agency: AgencyRef, ...rest: { href?: string; label: string }[]) {
  return [
    { href: "/admin", label: "工作台" },
    { href: recordsPath(agency.slug), label: "信息发布" },
    ...rest,
  ];
}

export function agencyPicker(agencies: AgencyRef[], current: AgencyRef, action: string): SafeHtml {
  if (agencies.length <= 1) return html``;
  return html`<form method="get" action="${action}" class="search-form no-print"><label for="agency-pick">选择机关</label>
<select id="agency-pick" name="agency">${agencies.map((a) => html`<option value="${a.slug}"${a.id === current.id ? html` selected` : ""}>${a.name}</option>`)}</select>
<button type="submit" class="secondary">切换</button></form>`;
}

export function statusBadge(r: Pick<RecordRow, "status" | "workflow_status">): SafeHtml {
  const cls = r.status === "published" ? "badge-ok" : r.status === "withdrawn" ? "badge-err" : "badge-warn";
  const open =
    r.status !== "draft" && r.workflow_status !== "published" && r.workflow_status !== "superseded";
  return html`<span class="badge ${cls}">${RECORD_STATUS_LABELS[r.status]}</span>${
    r.status === "draft" || open
      ? html` <span class="badge">${REVISION_STATUS_LABELS[r.workflow_status]}${open ? "（修订）" : ""}</span>`
      : ""
  }`;
}

/** A date in Chinese (2026年3月16日), kept on one line; "—" when there is none. */
export function date(d: string | null): SafeHtml {
  return dateToken(d ? formatChineseDate(d) : null, "—");
}

export function subnav(agency: AgencyRef, current: string): SafeHtml {
  const links = [
    { href: recordsPath(agency.slug), label: "全部信息", key: "list" },
    { href: recordsPath(agency.slug, "/obligations"), label: "定期更新任务", key: "obligations" },
    { href: noticesPath(agency.slug), label: "到期提醒", key: "notices" },
    { href: recordsPath(agency.slug, "/rereview"), label: "不予公开评估", key: "rereview" },
    { href: staffAgencyPath(agency.slug, "/compliance"), label: "考核统计", key: "compliance" },
    { href: recordsPath(agency.slug, "/settings"), label: "发布设置", key: "settings" },
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
    `${recordsPath(m.agency.slug)}?status=${encodeURIComponent(m.filters.status)}&workflow=${encodeURIComponent(m.filters.workflow)}&department=${encodeURIComponent(m.filters.department)}&q=${encodeURIComponent(m.filters.q)}&page=${p}`;
  const dept = new Map(m.departments.map((d) => [d.id, d.name]));
  return page(ctx, {
    area: "staff",
    title: "信息发布",
    breadcrumbs: crumbs(m.agency),
    body: html`<h1>信息发布 <small class="hint">${m.agency.name}</small></h1>
${subnav(m.agency, "list")}
${m.message ? html`<p class="notice notice-ok" role="status">${m.message}</p>` : ""}
${agencyPicker(m.agencies, m.agency, recordsPath(m.agency.slug))}
${m.canDraft ? html`<p><a class="button" href="${recordsPath(m.agency.slug, "/new")}">新建信息</a></p>` : ""}
<form method="get" action="${recordsPath(m.agency.slug)}" class="search-form no-print" role="search" aria-label="筛选信息">
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
<td>${r.index_no ? noBreak(r.index_no) : "—"}</td><td>${statusBadge(r)}</td><td>${r.department_id ? noBreak(dept.get(r.department_id) ?? "") : "—"}</td>
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
  /** The draft's fingerprint (edit mode, draftStamp): a save from an older copy of the form is refused (record_conflict). */
  stamp?: string | undefined;
  values: RecordContent;
  changeNote: string;
  errors: FieldError[];
  items: LinkedItem[];
  departments: { id: string; name: string }[];
  /** Published documents (替代文件). */
  documents: { id: string; title: string; indexNo: string | null }[];
  /** The 政策解读 picker's fieldset (interpretation-picker.views.ts). */
  picker: SafeHtml;
  keywordsText?: string;
  /** Why the form is shown again (a refused permission keeps what was typed). */
  message?: string;
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
  publishAt: "定时发布时间",
  withdrawAt: "定时下线时间",
  withdrawReason: "下线理由",
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

export function area(
  name: string,
  label: string,
  value: string,
  errors: FieldErrors,
  hint?: string,
  rows = 4,
  /** "rich": /static/editor.js turns the textarea into the rich-text editor (the page loads EDITOR_HEAD). */
  editor?: "rich",
): SafeHtml {
  const id = fieldId(name);
  const error = errors[name];
  const desc = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return html`<div class="field"><label for="${id}">${label}</label>
${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ""}
<textarea id="${id}" name="${name}" rows="${String(rows)}"${editor ? html` data-editor="${editor}"` : ""}${error ? html` aria-invalid="true"` : ""}${desc ? html` aria-describedby="${desc}"` : ""}>${value}</textarea>
${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : ""}</div>`;
}

export function listInput(
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
    m.mode === "new" ? recordsPath(m.agency.slug) : adminRecordPath(m.recordId ?? "", m.agency.slug);
  const title = m.mode === "new" ? "新建信息" : "修改信息";
  // 公开内容（要素） grouped under each item's full path (no more 29 identical 「办理结果」), the chosen item's group
  // first; /static/console.js shows only the chosen item's group as the item changes (without JS: all groups).
  const elementOptions = m.items
    .filter((i) => i.elements.length > 0)
    .sort((a, b) => Number(b.id === v.itemId) - Number(a.id === v.itemId))
    .flatMap((i) =>
      i.elements.map((e) => ({
        value: e.id,
        label: `${e.label || e.content.slice(0, 20)}`,
        group: itemLabel(i, byId),
        groupKey: i.id,
      })),
    );
  return page(ctx, {
    area: "staff",
    head: html`<script src="/static/console.js" defer></script>
<script src="/static/interpretation-picker.js" defer></script>
${EDITOR_HEAD}`,
    title,
    breadcrumbs: crumbs(m.agency, { label: title }),
    body: html`<h1>${title}</h1>
${errorSummary(errors, FIELD_LABELS, m.message)}
<form method="post" action="${action}" class="stack" novalidate${m.mode === "edit" && m.recordId ? html` data-image-upload="${recordsPath(m.agency.slug, `/${m.recordId}/images`)}"` : ""}>
${csrfInput(ctx)}
${m.mode === "edit" && m.stamp ? html`<input type="hidden" name="stamp" value="${m.stamp}">` : ""}
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
${elementOptions.length ? selectField({ name: "elementId", label: FIELD_LABELS.elementId!, value: v.elementId ?? "", errors, emptyLabel: "（不区分要素）", hint: "列出所选目录事项的公开内容（要素）；未选事项时按事项分组列出。", options: elementOptions, dependsOn: "itemId" }) : ""}
${selectField({ name: "departmentId", label: FIELD_LABELS.departmentId!, value: v.departmentId ?? "", errors, emptyLabel: "（按目录事项的责任单位）", options: m.departments.map((d) => ({ value: d.id, label: d.name })) })}
${listInput("topic", FIELD_LABELS.topic!, v.topic, errors, TOPIC_SUGGESTIONS)}
${listInput("genre", FIELD_LABELS.genre!, v.genre, errors, GENRE_SUGGESTIONS)}
${textField({ name: "keywords", label: FIELD_LABELS.keywords!, value: m.keywordsText ?? v.keywords.join(" "), errors, hint: "多个关键词用空格或顿号分隔，最多10个。" })}
${selectField({ name: "docCategory", label: FIELD_LABELS.docCategory!, value: v.docCategory ?? "", errors, emptyLabel: "（不计入年报第二部分）", hint: "规章、行政规范性文件、行政许可/处罚/强制决定和行政事业性收费计入年度报告“主动公开政府信息情况”。", options: Object.entries(DOC_CATEGORIES).map(([value, label]) => ({ value, label })) })}
${textField({ name: "decisionCount", label: FIELD_LABELS.decisionCount!, value: String(v.decisionCount), errors, inputmode: "numeric", hint: "行政许可、处罚、强制公示中包含的决定件数。" })}
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
${m.picker}
<fieldset><legend>正文</legend>
${area("bodyHtml", FIELD_LABELS.bodyHtml!, v.bodyHtml, errors, "段落之间空一行。浏览器启用脚本时为编辑器：可设标题、列表、表格和链接，可直接从 Word/WPS 粘贴（字体、样式等格式自动清除，标题、段落、列表、表格保留）；表格可增删行列。保存草稿后，粘贴的图片和“插入图片”选择的图片作为附件上传并显示在正文中。", 14, "rich")}
${m.mode === "edit" ? area("changeNote", FIELD_LABELS.changeNote!, m.changeNote, errors, "说明本次修改的内容（修订已发布的信息时必填）。", 2) : ""}
</fieldset>
<p><button type="submit">保存</button> <a href="${m.mode === "edit" && m.recordId ? adminRecordPath(m.recordId, m.agency.slug) : recordsPath(m.agency.slug)}">取消</a></p>
</form>`,
  });
}
