/**
 * @module Views of the 政府信息公开指南: the public page and the agency's edit form (/admin/guide).
 */
import type { Agency } from "../agencies/agency.service.ts";
import type { FieldError } from "../errors.ts";
import { BASIC_CHANNELS, CHANNELS, type Channel, type GuideProfile } from "../guide/index.ts";
import { staffAgencyPath } from "../http/agency-paths.ts";
import { type PageContext, page } from "../http/layout.ts";
import { html, keepTokens, type SafeHtml } from "../shared/html.ts";
import type { Guide } from "./guide.rules.ts";
import { agencyCrumbs, agencyNav, agencyPath } from "./portal.views.ts";

export function guideBody(guide: Guide): SafeHtml {
  return html`${guide.sections.map(
    (s) => html`<section class="guide-section" aria-labelledby="guide-${s.id}">
<h2 id="guide-${s.id}">${s.title}</h2>
${s.paragraphs.map((p) => html`<p>${keepTokens(p)}</p>`)}
${s.list?.length ? html`<ul>${s.list.map((li) => html`<li>${li}</li>`)}</ul>` : ""}
${s.facts?.length ? html`<dl class="facts">${s.facts.map((f) => html`<div><dt>${f.label}</dt><dd${f.missing ? html` class="hint"` : ""}>${f.value}</dd></div>`)}</dl>` : ""}
${s.links?.length ? html`<p class="no-print">${s.links.map((l, i) => html`${i ? " · " : ""}<a href="${l.href}">${l.label}</a>`)}</p>` : ""}
</section>`,
  )}`;
}

export function guidePage(ctx: PageContext, agency: Agency, guide: Guide, updatedAt: Date | null): SafeHtml {
  return page(ctx, {
    title: guide.title,
    description: `${agency.name}政府信息公开指南：信息分类、获取方式、工作机构联系方式、依申请公开、收费与救济。`,
    breadcrumbs: agencyCrumbs(agency, { label: "政府信息公开指南" }),
    body: html`${agencyNav(agency, "guide")}
<article class="guide">
<h1>${guide.title}</h1>
${updatedAt ? html`<p class="hint">更新时间：${updatedAt.toISOString().slice(0, 10)}</p>` : ""}
${guideBody(guide)}
</article>`,
  });
}

function fieldError(errors: FieldError[], key: string): SafeHtml {
  const e = errors.find((x) => x.field === key);
  return e ? html`<p class="field-error" id="${key}-error">${e.message}</p>` : html``;
}

function invalid(errors: FieldError[], key: string): SafeHtml {
  return errors.some((e) => e.field === key)
    ? html` aria-invalid="true" aria-describedby="${key}-error"`
    : html``;
}

export interface GuideFormModel {
  agency: Agency;
  /** Agencies the user may edit (platform administrators pick one). */
  agencies: Agency[];
  profile: GuideProfile;
  errors: FieldError[];
  /** The sentence above the field errors (what to do), when the form comes back refused. */
  message?: string | undefined;
  saved: boolean;
  missing: string[];
  /** guideStamp of the stored data: a save from this form over someone else's later save is refused. */
  stamp: string;
}

export function guideAdminPage(ctx: PageContext, m: GuideFormModel): SafeHtml {
  const p = m.profile;
  const input = (key: keyof GuideProfile, label: string, hint = "", type = "text") =>
    html`<div><label for="f-${key}">${label}</label>${hint ? html`<p class="hint" id="f-${key}-hint">${hint}</p>` : ""}
<input type="${type}" id="f-${key}" name="${key}" value="${String(p[key])}"${invalid(m.errors, key)}>${fieldError(m.errors, key)}</div>`;
  const area = (key: keyof GuideProfile, label: string, hint: string) =>
    html`<div><label for="f-${key}">${label}</label><p class="hint">${hint}</p>
<textarea id="f-${key}" name="${key}" rows="4"${invalid(m.errors, key)}>${String(p[key])}</textarea>${fieldError(m.errors, key)}</div>`;
  return page(ctx, {
    area: "staff",
    title: "政府信息公开指南",
    breadcrumbs: [{ href: "/admin", label: "工作台" }, { label: "政府信息公开指南" }],
    body: html`<h1>政府信息公开指南 <small class="hint">${m.agency.name}</small></h1>
${m.saved ? html`<p class="notice notice-ok" role="status">已保存，门户页面已更新。</p>` : ""}
${m.errors.length || m.message ? html`<div class="notice notice-error" role="alert" id="error-summary"><p>${m.message ?? "请修改以下内容："}</p><ul>${m.errors.map((e) => html`<li><a href="#f-${e.field}">${e.message}</a></li>`)}</ul></div>` : ""}
${m.missing.length ? html`<p class="notice notice-warn">《条例》第十二条要求指南载明工作机构的名称、办公地址、办公时间、联系电话、传真号码和互联网联系方式。尚未填写：${m.missing.join("、")}。</p>` : ""}
${
  m.agencies.length > 1
    ? html`<form method="get" action="${staffAgencyPath(m.agency.slug, "/guide")}" class="search-form"><label for="agency-pick">选择机关</label>
<select id="agency-pick" name="agency">${m.agencies.map((a) => html`<option value="${a.slug}"${a.id === m.agency.id ? html` selected` : ""}>${a.name}</option>`)}</select>
<button type="submit" class="secondary">切换</button></form>`
    : ""
}
<p>指南根据以下信息和本机关的主动公开事项目录自动生成。<a href="${agencyPath(m.agency, "guide")}">查看门户上的指南</a></p>
<form method="post" action="${staffAgencyPath(m.agency.slug, "/guide")}" class="stack" novalidate>
<input type="hidden" name="_csrf" value="${ctx.csrfToken ?? ""}">
<input type="hidden" name="stamp" value="${m.stamp}">
<fieldset><legend>政府信息公开工作机构（《条例》第十二条）</legend>
${input("officeName", "机构名称", "例如：某某局办公室。留空时显示“本机关政府信息公开工作机构”。")}
${input("officeAddress", "办公地址")}
${input("postalCode", "邮政编码", "6位数字")}
${input("officeHours", "办公时间", "例如：工作日上午9:00—12:00，下午13:30—17:00（法定节假日除外）")}
${input("phone", "联系电话", "", "tel")}
${input("fax", "传真号码", "", "tel")}
${input("email", "电子邮箱", "", "email")}
${input("website", "网址", "以 http:// 或 https:// 开头")}
${input("readingRoom", "政府信息公开查阅场所", "地址和开放时间；留空时说明可到档案馆、图书馆、政务服务场所查阅")}
</fieldset>
<fieldset><legend>申请渠道（国办公开办函〔2017〕19号）</legend>
<p class="hint">当面提交和邮政寄送是基本渠道，始终受理，不能取消。</p>
${(Object.keys(CHANNELS) as Channel[]).map((c) => {
  const basic = BASIC_CHANNELS.includes(c);
  return html`<div class="check"><input type="checkbox" id="ch-${c}" name="channels" value="${c}"${p.channels.includes(c) || basic ? html` checked` : ""}${basic ? html` disabled` : ""}><label for="ch-${c}">${CHANNELS[c]}${basic ? "（基本渠道）" : ""}</label></div>`;
})}
${fieldError(m.errors, "channels")}
</fieldset>
<fieldset><legend>补充说明</legend>
${area("intro", "总则补充", "显示在“总则”之后，例如本机关的职能简介。")}
${area("obtainNote", "获取方式补充", "例如：政府公报、新闻发布会等其他公开渠道。")}
${area("applyNote", "依申请公开补充", "例如：申请表下载地址、办理流程。")}
${area("feesNote", "收费补充", "例如：缴费方式。")}
${input("supervisorBody", "投诉、举报受理机关", "留空时显示“上一级行政机关或者政府信息公开工作主管部门”")}
${input("reviewBody", "行政复议机关", "依申请公开各类告知书的救济途径引用此项，必填")}
${input("court", "管辖人民法院", "依申请公开告知书中提起行政诉讼的法院，必填")}
${area("remediesNote", "监督和救济补充", "例如：投诉举报电话。")}
</fieldset>
<p><button type="submit">保存</button></p>
</form>`,
  });
}
