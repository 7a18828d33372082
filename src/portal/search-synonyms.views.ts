/**
 * @module The agency's search synonyms page (/admin/agencies/:agency/search-synonyms): its own groups as text, and
 * the shipped dictionary for reference.
 */
import type { Agency } from "../agencies/agency.service.ts";
import type { FieldError } from "../errors.ts";
import { staffAgencyPath } from "../http/agency-paths.ts";
import { type PageContext, page } from "../http/layout.ts";
import { html, type SafeHtml } from "../shared/html.ts";
import { agencyPath } from "./portal.views.ts";
import type { SynonymData } from "./search-synonyms.rules.ts";

export interface SynonymsFormModel {
  agency: Agency;
  text: string;
  shipped: SynonymData;
  errors: FieldError[];
  message?: string | undefined;
  saved: boolean;
}

export function synonymsAdminPage(ctx: PageContext, m: SynonymsFormModel): SafeHtml {
  const error = m.errors.find((e) => e.field === "groups");
  return page(ctx, {
    area: "staff",
    title: "搜索同义词",
    breadcrumbs: [{ href: "/admin", label: "工作台" }, { label: "搜索同义词" }],
    body: html`<h1>搜索同义词 <small class="hint">${m.agency.name}</small></h1>
${m.saved ? html`<p class="notice notice-ok" role="status">已保存，本机关的检索页面已更新。</p>` : ""}
${error || m.message ? html`<div class="notice notice-error" role="alert" id="error-summary"><p>${m.message ?? "请修改以下内容："}</p>${error ? html`<ul><li><a href="#f-groups">${error.message}</a></li></ul>` : ""}</div>` : ""}
<p>群众搜索时常用简称或俗称（如“社保”），而文件中写的是全称（如“社会保险”）。在本机关的<a href="${agencyPath(m.agency, "search")}">信息检索</a>中，搜索一组中的任何一个词，也会找到含有同组其他词的信息；检索结果页会列出使用了哪些同义词，并提供只按原词搜索的链接。</p>
<form method="post" action="${staffAgencyPath(m.agency.slug, "/search-synonyms")}" class="stack" novalidate>
<input type="hidden" name="_csrf" value="${ctx.csrfToken ?? ""}">
<div><label for="f-groups">本机关的同义词</label>
<p class="hint" id="f-groups-hint">每行一组，词与词之间用顿号、逗号或空格分隔，例如：稳岗返还、稳岗补贴、稳就业补贴</p>
<textarea id="f-groups" name="groups" rows="12" aria-describedby="f-groups-hint"${error ? html` aria-invalid="true"` : ""}>${m.text}</textarea></div>
<p><button type="submit">保存</button></p>
</form>
<details><summary>平台通用词典（${m.shipped.same.length + Object.keys(m.shipped.narrower ?? {}).length}组，所有机关共用）</summary>
<ul>${m.shipped.same.map((g) => html`<li>${g.join(" ↔ ")}</li>`)}${Object.entries(m.shipped.narrower ?? {}).map(([t, list]) => html`<li>${t} → ${list.join("、")}</li>`)}</ul>
</details>`,
  });
}
