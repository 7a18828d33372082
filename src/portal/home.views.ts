/**
 * @module Views of the platform home page (regions and their agencies).
 */
import type { RegionNode } from "../agencies/agency.service.ts";
import { type PageContext, page } from "../http/layout.ts";
import { html, type SafeHtml } from "../shared/html.ts";

const LEVEL_LABEL = { province: "省级", city: "市级", county: "县级", township: "乡级" } as const;

function regionList(nodes: RegionNode[], depth: number): SafeHtml {
  const heading = (n: RegionNode) =>
    depth === 0
      ? html`<h2>${n.name}</h2>`
      : html`<h3>${n.name} <small class="hint">${LEVEL_LABEL[n.level]}</small></h3>`;
  return html`${nodes.map(
    (n) => html`<section class="region" aria-label="${n.name}">
${heading(n)}
<p class="hint"><a href="/regions/${n.id}/reports">${n.name}政府信息公开工作年度报告</a></p>
${n.agencies.length ? html`<ul class="cards">${n.agencies.map((a) => html`<li><a href="/agencies/${a.slug}">${a.name}</a><p class="hint">${a.shortName}</p></li>`)}</ul>` : ""}
${regionList(n.children, depth + 1)}
</section>`,
  )}`;
}

export function homePage(ctx: PageContext, tree: RegionNode[]): SafeHtml {
  const count = (nodes: RegionNode[]): number =>
    nodes.reduce((s, n) => s + n.agencies.length + count(n.children), 0);
  return page(ctx, {
    title: "政府信息公开平台",
    description: "各机关政府信息公开专栏：公开指南、公开制度、法定主动公开内容、年度报告与依申请公开。",
    body: html`<h1>政府信息公开平台</h1>
<p>本平台汇集 ${count(tree)} 个机关的政府信息公开专栏。请选择机关，查看其政府信息公开指南、法定主动公开内容、年度报告，或在线提交政府信息公开申请。</p>
<form class="search-form" method="get" action="/search" role="search" aria-label="全平台搜索">
  <label class="visually-hidden" for="home-q">搜索政府信息</label>
  <input type="search" id="home-q" name="q" maxlength="200" placeholder="输入关键词，如：就业、社会保险">
  <button type="submit">搜索</button>
</form>
${tree.length ? regionList(tree, 0) : html`<p class="notice">平台尚未添加机关。</p>`}`,
  });
}
