/**
 * @module The catalog pages of an agency: the whole 主动公开事项目录 as a tree (each item with its content, deadline,
 * channels, responsible unit and number of records), and one item's page listing its records (newest first).
 */
import type { Agency } from "../agencies/agency.service.ts";
import { type PageContext, page } from "../http/layout.ts";
import { html, type SafeHtml } from "../shared/html.ts";
import {
  type PortalCatalog,
  type PortalItem,
  type PortalRecordSummary,
  totalRecords,
} from "./portal.model.ts";
import {
  agencyCrumbs,
  agencyNav,
  agencyPath,
  feedLinks,
  itemPath,
  pagination,
  recordPath,
  validityBadge,
} from "./portal.views.ts";

/** An HTML id for an item (stable keys may contain any character). */
function anchor(item: PortalItem): string {
  return `item-${item.stableKey.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.codePointAt(0)?.toString(16)}`)}`;
}

function countBadge(n: number): SafeHtml {
  return html`<span class="count${n ? "" : " count-zero"}">${n} 条</span>`;
}

function itemFacts(item: PortalItem, full: boolean): SafeHtml {
  const facts: { label: string; value: SafeHtml | string }[] = [];
  if (item.elements.length)
    facts.push({
      label: "公开内容",
      value:
        item.elements.length === 1 && !item.elements[0]?.label
          ? (item.elements[0]?.content ?? "")
          : html`<ul>${item.elements.map((e) => html`<li>${e.label ? html`<strong>${e.label}</strong>：` : ""}${e.content}${e.deadlineText && e.deadlineText !== item.deadlineText ? html`<span class="hint">（${e.deadlineText}）</span>` : ""}</li>`)}</ul>`,
    });
  if (full && item.legalBasis.length)
    facts.push({
      label: "公开依据",
      value: html`<ul>${item.legalBasis.map((b) => html`<li>${b}</li>`)}</ul>`,
    });
  if (item.deadlineText) facts.push({ label: "公开时限", value: item.deadlineText });
  if (full && item.subject) facts.push({ label: "公开主体", value: item.subject });
  if (item.channels.length) facts.push({ label: "公开渠道", value: item.channels.join("、") });
  if (full && item.audience) facts.push({ label: "公开对象", value: item.audience });
  if (full && item.mode) facts.push({ label: "公开方式", value: item.mode });
  if (item.responsible) facts.push({ label: "责任单位", value: item.responsible });
  if (!facts.length) return html``;
  return html`<dl class="item-facts">${facts.map((f) => html`<div><dt>${f.label}</dt><dd>${f.value}</dd></div>`)}</dl>`;
}

function itemNode(agency: Agency, item: PortalItem): SafeHtml {
  const total = totalRecords(item);
  const heading = html`<a href="${itemPath(agency, item.stableKey)}">${item.number ? html`<span class="item-no">${item.number}</span> ` : ""}${item.name}</a> ${countBadge(total)}`;
  const head =
    item.level === 1
      ? html`<h2 id="${anchor(item)}">${heading}</h2>`
      : item.level === 2
        ? html`<h3>${heading}</h3>`
        : html`<h4>${heading}</h4>`;
  return html`<li class="tree-item level-${item.level}">${head}
${itemFacts(item, false)}
${item.children.length ? html`<ul class="tree">${item.children.map((c) => itemNode(agency, c))}</ul>` : ""}
</li>`;
}

/** 填表人/复核人/审签人/填表时间 of the published catalog, when recorded. */
function catalogHeader(catalog: PortalCatalog): SafeHtml {
  const h = catalog.header ?? {};
  const rows = (
    [
      ["填表人", h.compiledBy],
      ["复核人", h.reviewedBy],
      ["审签人", h.signedBy],
      ["填表时间", h.compiledAt],
    ] as const
  ).filter(([, v]) => v);
  if (!rows.length) return html``;
  return html`<dl class="item-facts catalog-header">${rows.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>`;
}

export function catalogPage(ctx: PageContext, agency: Agency, catalog: PortalCatalog | null): SafeHtml {
  const title = `${agency.name}法定主动公开内容`;
  return page(ctx, {
    title,
    description: `${agency.name}主动公开事项目录：各事项的公开内容、时限、渠道、责任单位及已公开信息。`,
    breadcrumbs: agencyCrumbs(agency, { label: "法定主动公开内容" }),
    head: feedLinks(
      `${agency.name}最新公开信息`,
      agencyPath(agency, "feed.xml"),
      agencyPath(agency, "atom.xml"),
    ),
    body: html`${agencyNav(agency, "catalog")}
<h1>法定主动公开内容</h1>
${
  catalog
    ? html`<p>${catalog.title}${catalog.publishedAt ? html`（第${catalog.versionNo}版，${catalog.publishedAt.toISOString().slice(0, 10)}发布）` : ""}。点击事项名称查看该事项下公开的政府信息；数字为已公开信息条数。</p>
<nav class="toc" aria-label="目录一级事项"><h2 class="visually-hidden">一级事项</h2><ol>${catalog.items.map(
        (i) => html`<li><a href="#${anchor(i)}">${i.name}</a> ${countBadge(totalRecords(i))}</li>`,
      )}</ol></nav>
${catalogHeader(catalog)}
<ul class="tree catalog-tree">${catalog.items.map((i) => itemNode(agency, i))}</ul>`
    : html`<p class="notice">本机关的主动公开事项目录尚未发布。您可以<a href="${agencyPath(agency, "search")}">检索已公开的信息</a>，或<a href="${agencyPath(agency, "apply")}">申请公开</a>。</p>`
}`,
  });
}

export function recordList(agency: Agency, records: PortalRecordSummary[]): SafeHtml {
  return html`<ul class="record-list">${records.map(
    (
      r,
    ) => html`<li><a href="${recordPath(agency, r.id)}">${r.title}</a> ${validityBadge(r.validity)}${r.kind === "interpretation" ? html` <span class="badge">政策解读</span>` : ""}
<span class="record-date">${r.publishedDate ? html`<time datetime="${r.publishedDate}">${r.publishedDate}</time>` : ""}</span></li>`,
  )}</ul>`;
}

export interface ItemPageModel {
  agency: Agency;
  trail: PortalItem[];
  item: PortalItem;
  records: PortalRecordSummary[];
  total: number;
  page: number;
  totalPages: number;
}

export function itemPage(ctx: PageContext, m: ItemPageModel): SafeHtml {
  const { agency, item } = m;
  const path = itemPath(agency, item.stableKey);
  return page(ctx, {
    title: `${item.name} - ${agency.shortName}`,
    description: `${agency.name}主动公开事项“${item.name}”及其公开的政府信息。`,
    breadcrumbs: agencyCrumbs(
      agency,
      { href: agencyPath(agency, "catalog"), label: "法定主动公开内容" },
      ...m.trail.slice(0, -1).map((t) => ({ href: itemPath(agency, t.stableKey), label: t.name })),
      { label: item.name },
    ),
    head: feedLinks(`${item.name}（${agency.shortName}）`, `${path}/feed.xml`, `${path}/atom.xml`),
    body: html`${agencyNav(agency, "catalog")}
<h1>${item.name}</h1>
${itemFacts(item, true)}
${
  item.children.length
    ? html`<section aria-labelledby="sub-items"><h2 id="sub-items">下级事项</h2><ul class="sub-items">${item.children.map(
        (c) =>
          html`<li><a href="${itemPath(agency, c.stableKey)}">${c.name}</a> ${countBadge(totalRecords(c))}</li>`,
      )}</ul></section>`
    : ""
}
<section aria-labelledby="item-records">
<h2 id="item-records">公开信息 <small class="hint">共 ${m.total} 条</small></h2>
${
  m.records.length
    ? recordList(agency, m.records)
    : m.total
      ? html`<p>本页没有信息。<a href="${path}">回到第一页</a></p>`
      : html`<p class="notice">本事项暂无公开信息。${item.children.length ? "请查看下级事项。" : ""}</p>`
}
${pagination(path, {}, m.page, m.totalPages)}
<p class="feeds no-print">订阅本事项：<a href="${path}/feed.xml">RSS</a> · <a href="${path}/atom.xml">Atom</a></p>
</section>`,
  });
}
