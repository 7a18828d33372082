/**
 * @module Staff pages of the catalog (主动公开事项目录), server-rendered, in Chinese: the version overview with the
 * item tree, the item form (with the deadline parser's reading after saving), import (upload → preview → commit),
 * version comparison with weakenings highlighted, publishing with reasons, and the statutory check (linter).
 */
import type { Agency } from "../agencies/agency.service.ts";
import { staffAgencyPath } from "../http/agency-paths.ts";
import { csrfInput, errorSummary, type FieldErrors, fieldId, selectField, textField } from "../http/forms.ts";
import { type Crumb, type PageContext, page } from "../http/layout.ts";
import { shanghaiDateTime } from "../shared/clock.ts";
import { dateToken, html, type SafeHtml } from "../shared/html.ts";
import {
  ADMIN_LEVEL_CHOICES,
  AUDIENCE_CHOICES,
  levelName,
  MAX_ITEM_LEVEL,
  STANDARD_CHANNELS,
  walkItems,
} from "./catalog.model.ts";
import type { CatalogDiff, ItemChange } from "./catalog-diff.rules.ts";
import { HEADER_NAME_MAX, type HeaderInput } from "./catalog-header.rules.ts";
import { importPath } from "./catalog-import.paths.ts";
import type { ItemInput } from "./catalog-items.service.ts";
import { type LintFinding, mandatoryCoverage } from "./catalog-lint.rules.ts";
import type { CatalogNode, CatalogTree, CatalogVersionInfo } from "./catalog-tree.service.ts";

const LEVEL_NAMES = ["", ...Array.from({ length: MAX_ITEM_LEVEL }, (_, i) => levelName(i + 1))];
const STATUS_NAMES: Record<string, string> = { draft: "草稿", published: "已发布", superseded: "已替代" };
const SEVERITY_NAMES: Record<string, string> = { error: "错误", warning: "警告", info: "提示" };
const SEVERITY_BADGE: Record<string, string> = {
  error: "badge badge-err",
  warning: "badge badge-warn",
  info: "badge",
};

/** A staff page of the agency's catalog: `/admin/agencies/<slug>/catalog<rest>`. */
export function catalogPath(slug: string, rest = ""): string {
  return staffAgencyPath(slug, `/catalog${rest}`);
}

/** A date and time that never breaks across lines. */
function when(iso: string | null): SafeHtml {
  return dateToken(iso ? shanghaiDateTime(new Date(iso)) : null, "—");
}

/** A scrolling table's container, reachable with the keyboard (a narrow screen scrolls it sideways). */
function tableScroll(label: string): SafeHtml {
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="${label}">`;
}

export function crumbs(agency: Agency | null, more: Crumb[] = []): Crumb[] {
  const base: Crumb[] = [
    { href: "/admin", label: "工作台" },
    { href: "/admin/catalog", label: "主动公开事项目录" },
  ];
  if (agency) base.push({ href: catalogPath(agency.slug), label: agency.shortName || agency.name });
  return [...base, ...more];
}

export function staffPage(ctx: PageContext, title: string, body: SafeHtml, breadcrumbs: Crumb[]): SafeHtml {
  return page(ctx, { title, body, breadcrumbs, area: "staff" });
}

// ---------------------------------------------------------------------------------------------------------------

export interface IndexEntry {
  agency: Agency;
  published: CatalogVersionInfo | null;
  draft: CatalogVersionInfo | null;
}

export function indexPage(ctx: PageContext, entries: IndexEntry[]): SafeHtml {
  return staffPage(
    ctx,
    "主动公开事项目录",
    html`<h1>主动公开事项目录</h1>
<p>按照《中华人民共和国政府信息公开条例》第二十条至第二十二条，各机关编制并及时更新本机关的主动公开事项目录。</p>
${
  entries.length === 0
    ? html`<p class="notice">您没有可查看的机关目录。</p>`
    : html`${tableScroll("机关目录一览（表格）")}<table>
<caption>机关目录一览</caption>
<thead><tr><th scope="col">机关</th><th scope="col">现行版本</th><th scope="col">发布时间</th><th scope="col">草稿</th></tr></thead>
<tbody>${entries.map(
        (e) => html`<tr><th scope="row"><a href="${catalogPath(e.agency.slug)}">${e.agency.name}</a></th>
<td>${e.published ? `第${e.published.versionNo}版` : "尚未发布"}</td><td>${when(e.published?.publishedAt ?? null)}</td>
<td>${e.draft ? `第${e.draft.versionNo}版草稿` : "—"}</td></tr>`,
      )}</tbody></table></div>`
}`,
    crumbs(null),
  );
}

// ---------------------------------------------------------------------------------------------------------------

export interface OverviewData {
  agency: Agency;
  tree: CatalogTree | null;
  versions: CatalogVersionInfo[];
  draft: CatalogVersionInfo | null;
  published: CatalogVersionInfo | null;
  canEdit: boolean;
  canPublish: boolean;
  notice?: string | undefined;
  /** The header form after a refused submission (values as entered, field errors, the summary's sentence). */
  headerForm?: HeaderFormState | undefined;
}

export interface HeaderFormState {
  values: HeaderFormValues;
  errors: FieldErrors;
  message?: string | undefined;
}

/** The draft header form's fields: 目录名称 and 填表人/复核人/审签人/填表时间. */
export interface HeaderFormValues extends HeaderInput {
  title: string;
}

const HEADER_LABELS: Record<string, string> = {
  title: "目录名称",
  compiledBy: "填表人",
  reviewedBy: "复核人",
  signedBy: "审签人",
  compiledAt: "填表时间",
};

function headerForm(
  ctx: PageContext,
  slug: string,
  v: CatalogVersionInfo,
  form: HeaderFormState | undefined,
): SafeHtml {
  const values: HeaderFormValues = form?.values ?? {
    title: v.title,
    compiledBy: v.header.compiledBy ?? "",
    reviewedBy: v.header.reviewedBy ?? "",
    signedBy: v.header.signedBy ?? "",
    compiledAt: v.header.compiledAt ?? "",
  };
  const errors = form?.errors ?? {};
  const field = (name: keyof HeaderFormValues, hint?: string) =>
    textField({
      name,
      label: HEADER_LABELS[name] ?? name,
      value: values[name],
      errors,
      hint,
      required: name === "title",
      maxlength: name === "title" ? 200 : name === "compiledAt" ? 20 : HEADER_NAME_MAX,
    });
  return html`<details class="header-form"${form ? html` open` : ""}><summary>编辑表头（填表人、复核人、审签人、填表时间）</summary>
${errorSummary(errors, HEADER_LABELS, form?.message)}
<form method="post" action="${catalogPath(slug, `/versions/${v.id}/header`)}" class="stack" novalidate>
${csrfInput(ctx)}
${field("title")}
${field("compiledBy")}
${field("reviewedBy")}
${field("signedBy")}
${field("compiledAt", "如 2026-03-16、2026-03 或 2026年3月16日；不能晚于今天")}
<button type="submit">保存表头</button>
</form></details>`;
}

function channelsText(item: CatalogNode): string {
  return [...item.channels, ...item.channelsOther].join("、") || "—";
}

function unitsText(item: CatalogNode): string {
  return (
    item.responsibleText ??
    (item.units.map((u) => (u.role === "lead" ? u.name : `${u.name}（配合）`)).join("、") || "—")
  );
}

function treeTable(tree: CatalogTree, slug: string, editable: boolean): SafeHtml {
  const rows = [...walkItems(tree.items)].map(({ item }) => {
    const indent = "　".repeat(item.level - 1);
    const unparsed = item.deadlineUnparsed.length > 0;
    return html`<tr>
<th scope="row">${indent}<span class="visually-hidden">${LEVEL_NAMES[item.level]}：</span>${item.number ? `${item.number} ` : ""}${item.name || "（未命名）"}</th>
<td>${item.elements.length === 0 ? "—" : html`<ul class="inline-list">${item.elements.map((e) => html`<li>${e.label ? `${e.label}：` : ""}${e.content}</li>`)}</ul>`}</td>
<td>${item.deadlineText ?? "—"}${unparsed ? html` <span class="badge badge-warn">未能解析</span>` : ""}</td>
<td>${channelsText(item)}</td>
<td>${unitsText(item)}</td>
${
  editable
    ? html`<td><a href="${catalogPath(slug, `/items/${item.id}/edit`)}">编辑<span class="visually-hidden">“${item.name}”</span></a>${item.level < MAX_ITEM_LEVEL ? html` · <a href="${catalogPath(slug, `/versions/${tree.version.id}/items/new?parent=${item.id}`)}">添加下级<span class="visually-hidden">（“${item.name}”之下）</span></a>` : ""}</td>`
    : ""
}
</tr>`;
  });
  return html`${tableScroll("目录事项（表格）")}<table>
<caption>第${tree.version.versionNo}版（${STATUS_NAMES[tree.version.status] ?? tree.version.status}）：一级事项${tree.counts.level1}项、二级事项${tree.counts.level2}项、三级事项${tree.counts.level3}项${tree.counts.deeper ? `、四级及以下事项${tree.counts.deeper}项` : ""}</caption>
<thead><tr><th scope="col">事项</th><th scope="col">公开内容（要素）</th><th scope="col">公开时限</th><th scope="col">公开渠道和载体</th><th scope="col">责任单位</th>${editable ? html`<th scope="col">操作</th>` : ""}</tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

function headerBlock(v: CatalogVersionInfo): SafeHtml {
  const h = v.header;
  const rows: [string, string | undefined][] = [
    ["填表人", h.compiledBy],
    ["复核人", h.reviewedBy],
    ["审签人", h.signedBy],
    ["填表时间", h.compiledAt],
  ];
  const shown = rows.filter(([, val]) => val);
  if (shown.length === 0 && !h.statedTotals) return html``;
  return html`<dl class="meta-table">${shown.map(([k, val]) => html`<dt>${k}</dt><dd>${val}</dd>`)}${
    h.statedTotals
      ? html`<dt>目录载明的事项数</dt><dd>${Object.entries(h.statedTotals)
          .map(([k, n]) => `${k}${n}项`)
          .join("，")}</dd>`
      : ""
  }</dl>`;
}

export function overviewPage(ctx: PageContext, d: OverviewData): SafeHtml {
  const { agency, tree } = d;
  const viewingDraft = tree?.version.status === "draft";
  const actions: SafeHtml[] = [];
  if (d.canEdit && !d.draft)
    actions.push(
      html`<form method="post" action="${catalogPath(agency.slug, "/draft")}" class="inline">${csrfInput(ctx)}<button type="submit">${d.published ? "新建草稿（复制现行版本）" : "新建空白目录"}</button></form>`,
    );
  if (d.canEdit) actions.push(html`<a class="button" href="${importPath(agency.slug)}">导入目录文件</a>`);
  if (d.draft && d.canPublish)
    actions.push(
      html`<a class="button" href="${catalogPath(agency.slug, `/versions/${d.draft.id}/publish`)}">审签发布草稿</a>`,
    );
  if (d.draft && d.published)
    actions.push(
      html`<a href="${catalogPath(agency.slug, `/diff?from=${d.published.id}&to=${d.draft.id}`)}">对比草稿与现行版本</a>`,
    );
  const v = tree?.version;
  return staffPage(
    ctx,
    `${agency.name}主动公开事项目录`,
    html`<h1>${agency.name}主动公开事项目录</h1>
${d.notice ? html`<p class="notice notice-ok" role="status">${d.notice}</p>` : ""}
<p>${d.published ? html`现行版本：第${d.published.versionNo}版，发布于 ${when(d.published.publishedAt)}。` : "尚未发布目录。"}
${d.draft ? html`另有第${d.draft.versionNo}版草稿（<a href="${catalogPath(agency.slug, `/versions/${d.draft.id}`)}">查看和编辑</a>）。` : ""}</p>
<div class="inline-list">${actions}</div>
<h2>版本历史</h2>
${
  d.versions.length === 0
    ? html`<p>暂无版本。</p>`
    : html`${tableScroll("全部版本（表格）")}<table><caption>全部版本（历史版本保留，可查看和对比）</caption>
<thead><tr><th scope="col">版本</th><th scope="col">状态</th><th scope="col">来源</th><th scope="col">发布时间</th><th scope="col">操作</th></tr></thead>
<tbody>${d.versions.map(
        (
          x,
        ) => html`<tr><th scope="row"><a href="${catalogPath(agency.slug, `/versions/${x.id}`)}">第${x.versionNo}版</a></th>
<td>${STATUS_NAMES[x.status] ?? x.status}</td><td>${sourceText(x)}</td><td>${when(x.publishedAt)}</td>
<td><a href="${catalogPath(agency.slug, `/lint?version=${x.id}`)}">合规检查</a> · 导出 ${(
          ["xlsx", "docx", "csv", "json"] as const
        ).map(
          (f, i) =>
            html`${i > 0 ? " / " : ""}<a href="${catalogPath(agency.slug, `/export?format=${f}&version=${x.id}`)}">${f}</a>`,
        )}${x.basedOnVersionId ? html` · <a href="${catalogPath(agency.slug, `/diff?from=${x.basedOnVersionId}&to=${x.id}`)}">与上一版对比</a>` : ""}</td></tr>`,
      )}</tbody></table></div>`
}
${
  tree && v
    ? html`<h2>${viewingDraft ? "草稿" : "目录"}内容（第${v.versionNo}版）</h2>
${headerBlock(v)}
${viewingDraft && (d.canEdit || d.headerForm) ? headerForm(ctx, agency.slug, v, d.headerForm) : ""}
${viewingDraft && d.canEdit ? html`<p><a class="button" href="${catalogPath(agency.slug, `/versions/${v.id}/items/new`)}">添加一级事项</a> <a href="${catalogPath(agency.slug, `/lint?version=${v.id}`)}">检查草稿</a></p>` : ""}
${treeTable(tree, agency.slug, viewingDraft && d.canEdit)}
${
  viewingDraft && d.canEdit
    ? html`<form method="post" action="${catalogPath(agency.slug, `/versions/${v.id}/discard`)}">${csrfInput(ctx)}<button type="submit" class="danger">放弃此草稿</button></form>`
    : ""
}`
    : ""
}`,
    crumbs(agency),
  );
}

function sourceText(v: CatalogVersionInfo): string {
  switch (v.source.kind) {
    case "seed":
      // The seed's file name is an internal fixture name (e.g. 000_bef1….txt): never shown.
      return "演示数据（据该机关公开发布的目录原文整理）";
    case "import":
      return `导入（${v.source.file ?? ""}）`;
    case "copy":
      return "复制上一版本";
    default:
      return "—";
  }
}

// ---------------------------------------------------------------------------------------------------------------

export interface ItemFormData {
  agency: Agency;
  version: CatalogVersionInfo;
  /** Editing an existing item (null when adding). */
  item: CatalogNode | null;
  parent: CatalogNode | null;
  values: ItemInput;
  errors: FieldErrors;
  /** Why a refused form is shown again, when the field errors do not say it (e.g. no permission). */
  message?: string | undefined;
  /** After a successful save: the parser's reading. */
  saved?: { described: string[]; unparsed: string[] } | undefined;
  /** Editing: the stored item's fingerprint (itemStamp), sent back to refuse a save over a later save. */
  stamp?: string | undefined;
}

function textArea(
  name: string,
  label: string,
  value: string,
  hint: string,
  errors: FieldErrors,
  rows = 4,
): SafeHtml {
  const id = fieldId(name);
  const error = errors[name];
  return html`<div class="field">
<label for="${id}">${label}</label>
<p class="hint" id="${id}-hint">${hint}</p>
<textarea id="${id}" name="${name}" rows="${String(rows)}" aria-describedby="${id}-hint${error ? ` ${id}-error` : ""}"${error ? html` aria-invalid="true"` : ""}>${value}</textarea>
${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : ""}
</div>`;
}

export function itemFormPage(ctx: PageContext, d: ItemFormData): SafeHtml {
  const { agency, item, values: v, errors } = d;
  const title = item
    ? `编辑事项“${item.name}”`
    : d.parent
      ? `在“${d.parent.name}”下添加事项`
      : "添加一级事项";
  const action = item
    ? catalogPath(agency.slug, `/items/${item.id}/edit`)
    : catalogPath(agency.slug, `/versions/${d.version.id}/items${d.parent ? `?parent=${d.parent.id}` : ""}`);
  return staffPage(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>第${d.version.versionNo}版草稿。修改在发布前不对外公开。</p>
${
  d.saved
    ? html`<div class="notice notice-ok" role="status"><p><strong>已保存。</strong>系统对公开时限的解读：</p>
${d.saved.described.length ? html`<ul>${d.saved.described.map((x) => html`<li>${x}</li>`)}</ul>` : html`<p>（未填写公开时限）</p>`}
${d.saved.unparsed.length ? html`<p class="notice notice-warn">以下表述未能识别，系统无法据此计算到期日：${d.saved.unparsed.map((u) => `“${u}”`).join("、")}</p>` : ""}</div>`
    : ""
}
<form method="post" action="${action}" class="stack" novalidate>
${csrfInput(ctx)}${d.stamp ? html`<input type="hidden" name="stamp" value="${d.stamp}">` : ""}
${errorSummary(errors, { name: "事项名称", mode: "公开方式", channels: "公开渠道" }, d.message)}
${textField({ name: "number", label: "序号", value: v.number ?? "", errors, hint: "按目录原有编号填写，如“一”“3”“1.2”，可不填。", maxlength: 20 })}
${textField({ name: "name", label: "事项名称", value: v.name, errors, required: true, maxlength: 500 })}
${textArea("contentText", "公开内容（要素）", v.contentText, "每行一项；可写编号和标签，如“1. 办事指南：事项名称、受理条件……”“2. 办理结果：……”。", errors, 5)}
${textArea("legalBasisText", "公开依据", v.legalBasisText, "每行一条，如“《中华人民共和国政府信息公开条例》（国务院令第711号）”。", errors, 3)}
${textArea("deadlineText", "公开时限", v.deadlineText, "如“信息形成或者变更之日起20个工作日内”；分项时限可写“1. 办事指南：实时公开 2. 办理结果：办理结果出来后20个工作日内公开”。保存后显示系统的解读。", errors, 2)}
${textField({ name: "subject", label: "公开主体", value: v.subject, errors, maxlength: 200 })}
<fieldset><legend>公开渠道和载体</legend>
${STANDARD_CHANNELS.map(
  (c, i) =>
    html`<div class="check"><input type="checkbox" id="ch-${String(i)}" name="channels" value="${c}"${v.channels.includes(c) ? html` checked` : ""}><label for="ch-${String(i)}">${c}</label></div>`,
)}
${errors.channels ? html`<p class="field-error">${errors.channels}</p>` : ""}
</fieldset>
${textArea("channelsOtherText", "其他公开渠道", v.channelsOtherText, "标准渠道以外的渠道，每行一个，如“旗政府门户网站”“投资项目在线审批监管平台”。", errors, 2)}
${selectField({ name: "audience", label: "公开对象", value: v.audience, errors, emptyLabel: "（未填写）", options: optionList(AUDIENCE_CHOICES, v.audience) })}
${selectField({
  name: "mode",
  label: "公开方式",
  value: v.mode,
  errors,
  emptyLabel: "（未填写）",
  options: [
    { value: "主动", label: "主动公开" },
    { value: "依申请", label: "依申请公开" },
  ],
})}
${textField({ name: "form", label: "公开形式", value: v.form, errors, hint: "如“全文”“摘要”“全文或摘要发布”。", maxlength: 100 })}
${selectField({ name: "adminLevel", label: "公开层级", value: v.adminLevel, errors, emptyLabel: "（未填写）", options: optionList(ADMIN_LEVEL_CHOICES, v.adminLevel) })}
${textField({ name: "responsibleText", label: "责任单位", value: v.responsibleText, errors, hint: "如“办公室”，或“办公室牵头，各股室配合”。具体股室会与本机关的内设机构关联。", maxlength: 500 })}
${textArea("remarks", "备注", v.remarks, "", errors, 2)}
<p><button type="submit">保存</button> <a href="${catalogPath(agency.slug, `/versions/${d.version.id}`)}">返回目录</a></p>
</form>
${
  item
    ? html`<form method="post" action="${catalogPath(agency.slug, `/items/${item.id}/delete`)}">${csrfInput(ctx)}
<p>删除事项会同时删除其下级事项。删除已发布的事项，发布时须说明理由。</p><button type="submit" class="danger">删除此事项</button></form>`
    : ""
}`,
    crumbs(agency, [
      { href: catalogPath(agency.slug, `/versions/${d.version.id}`), label: `第${d.version.versionNo}版` },
      { label: title },
    ]),
  );
}

function optionList(values: readonly string[], current: string): { value: string; label: string }[] {
  const list = values.map((x) => ({ value: x, label: x }));
  if (current && !values.includes(current)) list.push({ value: current, label: current });
  return list;
}

// ---------------------------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------------------------

function changeRow(
  c: ItemChange,
  reasons: Record<string, string> | null,
  needsReason: boolean,
  errors: FieldErrors,
): SafeHtml {
  const kind = c.kind === "added" ? "新增" : c.kind === "removed" ? "删除" : "修改";
  const weak = c.weakenings.length > 0;
  const id = fieldId(`reason-${c.stableKey}`);
  return html`<tr>
<td>${weak ? html`<span class="badge badge-err">${kind}（须说明理由）</span>` : html`<span class="badge ${c.kind === "added" ? "badge-ok" : ""}">${kind}</span>`}</td>
<th scope="row">${c.path.join(" / ")}</th>
<td>${c.fields.join("、") || "—"}${weak ? html`<ul>${c.weakenings.map((w) => html`<li><strong>${w.message}</strong></li>`)}</ul>` : ""}</td>
${
  reasons !== null
    ? html`<td>${
        needsReason
          ? html`<label for="${id}" class="visually-hidden">“${c.path.at(-1) ?? ""}”的理由</label><textarea id="${id}" name="reason:${c.stableKey}" rows="2"${errors[`reason:${c.stableKey}`] ? html` aria-invalid="true"` : ""}>${reasons[c.stableKey] ?? ""}</textarea>${errors[`reason:${c.stableKey}`] ? html`<p class="field-error">${errors[`reason:${c.stableKey}`]}</p>` : ""}`
          : "—"
      }</td>`
    : ""
}
</tr>`;
}

function diffTable(
  diff: CatalogDiff,
  reasons: Record<string, string> | null,
  errors: FieldErrors = {},
): SafeHtml {
  if (diff.changes.length === 0) return html`<p>两个版本内容相同。</p>`;
  const order = { removed: 0, changed: 1, added: 2 };
  const sorted = [...diff.changes].sort(
    (a, b) =>
      Number(b.weakenings.length > 0) - Number(a.weakenings.length > 0) || order[a.kind] - order[b.kind],
  );
  return html`<p>新增${String(diff.added)}项、删除${String(diff.removed)}项、修改${String(diff.changed)}项；其中${String(diff.needsReason.length)}项为删除或弱化（时限延长、渠道减少、主动改为依申请、公开对象缩小、删除公开内容），须说明理由。</p>
${tableScroll("版本差异（表格）")}<table><caption>版本差异</caption>
<thead><tr><th scope="col">变化</th><th scope="col">事项</th><th scope="col">变化内容</th>${reasons !== null ? html`<th scope="col">理由</th>` : ""}</tr></thead>
<tbody>${sorted.map((c) => changeRow(c, reasons, diff.needsReason.includes(c), errors))}</tbody></table></div>`;
}

export function comparePage(
  ctx: PageContext,
  agency: Agency,
  d: {
    from: CatalogVersionInfo | null;
    to: CatalogVersionInfo;
    diff: CatalogDiff;
    versions: CatalogVersionInfo[];
  },
): SafeHtml {
  const opt = (v: CatalogVersionInfo, sel: string | undefined) =>
    html`<option value="${v.id}"${v.id === sel ? html` selected` : ""}>第${String(v.versionNo)}版（${STATUS_NAMES[v.status] ?? v.status}）</option>`;
  return staffPage(
    ctx,
    "版本对比",
    html`<h1>版本对比</h1>
<form method="get" action="${catalogPath(agency.slug, "/diff")}" class="inline-list">
<label for="f-from">原版本</label><select id="f-from" name="from">${d.versions.map((v) => opt(v, d.from?.id))}</select>
<label for="f-to">新版本</label><select id="f-to" name="to">${d.versions.map((v) => opt(v, d.to.id))}</select>
<button type="submit">对比</button></form>
<h2>${d.from ? `第${d.from.versionNo}版` : "（空目录）"} → 第${d.to.versionNo}版</h2>
${diffTable(d.diff, null)}
${
  Object.keys(d.to.changeReasons).length
    ? html`<h2>发布时说明的理由</h2><ul>${Object.entries(d.to.changeReasons).map(([k, r]) => {
        const c = d.diff.changes.find((x) => x.stableKey === k);
        return html`<li><strong>${c ? c.path.join(" / ") : k}</strong>：${r}</li>`;
      })}</ul>`
    : ""
}`,
    crumbs(agency, [{ label: "版本对比" }]),
  );
}

export function publishPage(
  ctx: PageContext,
  agency: Agency,
  d: {
    version: CatalogVersionInfo;
    published: CatalogVersionInfo | null;
    diff: CatalogDiff;
    reasons: Record<string, string>;
    errors: FieldErrors;
    message?: string | undefined;
    findings: LintFinding[];
    /** versionStamp of the draft shown: publishing a draft edited since is refused. */
    stamp: string;
  },
): SafeHtml {
  const errorsCount = d.findings.filter((f) => f.severity === "error").length;
  return staffPage(
    ctx,
    "审签发布目录",
    html`<h1>审签发布：第${d.version.versionNo}版草稿</h1>
${d.message ? html`<div class="notice notice-error" role="alert" tabindex="-1" id="error-summary"><p>${d.message}</p></div>` : ""}
<p>${d.published ? `发布后，现行的第${d.published.versionNo}版将被替代（历史版本保留）。` : "这是本机关的第一个发布版本。"}新增事项无须说明；删除或弱化事项须逐项说明理由，理由随版本保存。</p>
${errorsCount > 0 ? html`<p class="notice notice-warn">合规检查发现${String(errorsCount)}个错误，<a href="${catalogPath(agency.slug, `/lint?version=${d.version.id}`)}">请先查看</a>。</p>` : ""}
<form method="post" action="${catalogPath(agency.slug, `/versions/${d.version.id}/publish`)}" class="stack">
${csrfInput(ctx)}<input type="hidden" name="stamp" value="${d.stamp}">
${diffTable(d.diff, d.reasons, d.errors)}
<p><button type="submit">发布第${d.version.versionNo}版</button> <a href="${catalogPath(agency.slug)}">取消</a></p>
</form>`,
    crumbs(agency, [{ label: "审签发布" }]),
  );
}

// ---------------------------------------------------------------------------------------------------------------

export function lintPage(
  ctx: PageContext,
  agency: Agency,
  d: { tree: CatalogTree; findings: LintFinding[] },
): SafeHtml {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of d.findings) counts[f.severity]++;
  const coverage = mandatoryCoverage(d.tree.items);
  return staffPage(
    ctx,
    "目录合规检查",
    html`<h1>目录合规检查：第${d.tree.version.versionNo}版（${STATUS_NAMES[d.tree.version.status] ?? ""}）</h1>
<p>依据《中华人民共和国政府信息公开条例》检查公开时限、责任单位、公开渠道、公开依据、重复事项、无法解析的时限、第二十条规定的必须公开内容以及单位名称的不一致写法。</p>
<p>错误 ${String(counts.error)} 个，警告 ${String(counts.warning)} 个，提示 ${String(counts.info)} 个。</p>
${
  d.findings.length === 0
    ? html`<p class="notice notice-ok">未发现问题。</p>`
    : html`${tableScroll("检查结果（表格）")}<table><caption>检查结果</caption>
<thead><tr><th scope="col">级别</th><th scope="col">事项</th><th scope="col">问题</th><th scope="col">依据</th><th scope="col">如何修改</th></tr></thead>
<tbody>${d.findings.map(
        (
          f,
        ) => html`<tr><td><span class="${SEVERITY_BADGE[f.severity] ?? "badge"}">${SEVERITY_NAMES[f.severity] ?? f.severity}</span></td>
<th scope="row">${f.itemPath.length ? f.itemPath.join(" / ") : "整个目录"}</th><td>${f.message}</td><td>${f.article}</td><td>${f.fix}</td></tr>`,
      )}</tbody></table></div>`
}
<h2>条例第二十条等规定的必须公开内容</h2>
<ul>${coverage.map((c) => html`<li>${c.covered ? html`<span class="badge badge-ok">已涵盖</span>` : html`<span class="badge badge-warn">未涵盖</span>`} ${c.entry.label}（${c.entry.article}）</li>`)}</ul>`,
    crumbs(agency, [{ label: "合规检查" }]),
  );
}
