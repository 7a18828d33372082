/**
 * @module The agency's home page (政府信息公开专栏首页) and its annual-report list.
 */
import type { Agency } from "../agencies/agency.service.ts";
import { type PageContext, page } from "../http/layout.ts";
import { html, type SafeHtml } from "../shared/html.ts";
import { recordList } from "./catalog.views.ts";
import { type PortalCatalog, type PortalRecordSummary, totalRecords } from "./portal.model.ts";
import { agencyCrumbs, agencyNav, agencyPath, feedLinks, itemPath } from "./portal.views.ts";

export interface PortalReport {
  year: number;
  title: string;
  publishedOn: string | null;
  href: string;
}

export interface AgencyHomeModel {
  agency: Agency;
  regionPath: string[];
  catalog: PortalCatalog | null;
  latest: PortalRecordSummary[];
  recordTotal: number;
  reports: PortalReport[];
}

export function agencyHomePage(ctx: PageContext, m: AgencyHomeModel): SafeHtml {
  const { agency } = m;
  return page(ctx, {
    title: `${agency.name}政府信息公开专栏`,
    description: `${agency.name}政府信息公开：公开指南、主动公开事项目录、公开信息、年度报告和依申请公开。`,
    breadcrumbs: agencyCrumbs(agency).slice(0, 1).concat({ label: agency.name }),
    head: feedLinks(
      `${agency.name}最新公开信息`,
      agencyPath(agency, "feed.xml"),
      agencyPath(agency, "atom.xml"),
    ),
    body: html`${agencyNav(agency, "home")}
<h1>${agency.name}<small class="subtitle">政府信息公开专栏</small></h1>
${m.regionPath.length ? html`<p class="hint">${m.regionPath.join(" › ")}</p>` : ""}
<form class="search-form" method="get" action="${agencyPath(agency, "search")}" role="search" aria-label="本机关信息检索">
  <label class="visually-hidden" for="agency-q">检索本机关公开的信息</label>
  <input type="search" id="agency-q" name="q" maxlength="200" placeholder="检索本机关公开的信息">
  <button type="submit">搜索</button>
</form>
<ul class="cards columns">
<li><h2><a href="${agencyPath(agency, "guide")}">政府信息公开指南</a></h2><p class="hint">信息分类、获取方式、工作机构联系方式、申请、收费与救济。</p></li>
<li><h2><a href="${agencyPath(agency, "rules")}">公开制度</a></h2><p class="hint">本机关政府信息公开工作制度：发布审核、保密审查、依申请公开办理等。</p></li>
<li><h2><a href="${agencyPath(agency, "catalog")}">法定主动公开内容</a></h2><p class="hint">${m.catalog ? `按主动公开事项目录浏览，共 ${m.recordTotal} 条信息。` : "主动公开事项目录尚未发布。"}</p></li>
<li><h2><a href="${agencyPath(agency, "reports")}">政府信息公开年报</a></h2><p class="hint">${m.reports[0] ? `最新：${m.reports[0].year}年度报告。` : "历年政府信息公开工作年度报告。"}</p></li>
<li><h2><a href="${agencyPath(agency, "apply")}">依申请公开</a></h2><p class="hint">在线提交政府信息公开申请，并凭查询码查询办理进度。</p></li>
</ul>
${
  m.catalog
    ? html`<section aria-labelledby="cat-h"><h2 id="cat-h">主动公开事项</h2>
<ul class="category-list">${m.catalog.items.map(
        (i) =>
          html`<li><a href="${itemPath(agency, i.stableKey)}">${i.name}</a> <span class="count">${totalRecords(i)} 条</span></li>`,
      )}</ul></section>`
    : ""
}
<section aria-labelledby="latest-h"><h2 id="latest-h">最新公开信息</h2>
${m.latest.length ? recordList(agency, m.latest) : html`<p>暂无公开信息。</p>`}
<p class="feeds no-print">订阅：<a href="${agencyPath(agency, "feed.xml")}">RSS</a> · <a href="${agencyPath(agency, "atom.xml")}">Atom</a> · <a href="/api/v1/agencies/${agency.slug}/records">JSON 开放数据</a></p>
</section>`,
  });
}

export function reportsPage(ctx: PageContext, agency: Agency, reports: PortalReport[]): SafeHtml {
  return page(ctx, {
    title: `${agency.name}政府信息公开工作年度报告`,
    breadcrumbs: agencyCrumbs(agency, { label: "政府信息公开年报" }),
    body: html`${agencyNav(agency, "reports")}
<h1>政府信息公开工作年度报告</h1>
<p>依据《中华人民共和国政府信息公开条例》第四十九条、第五十条，本机关于每年1月31日前公布上一年度政府信息公开工作年度报告。</p>
${
  reports.length
    ? html`<ul class="record-list">${reports.map(
        (r) =>
          html`<li><a href="${r.href}">${r.title}</a>${r.publishedOn ? html` <span class="record-date"><time datetime="${r.publishedOn}">${r.publishedOn}</time></span>` : ""}</li>`,
      )}</ul>`
    : html`<p class="notice">暂无已发布的年度报告。</p>`
}`,
  });
}
