/**
 * @module The search page (whole platform: /search; one agency: /agencies/:slug/search). A plain GET form, so it
 * works without JavaScript; results with highlighted (escaped) snippets, filters with counts, pagination and a
 * helpful page when nothing is found.
 */
import type { Agency } from "../agencies/agency.service.ts";
import { type PageContext, page } from "../http/layout.ts";
import { html, keepTokens, noBreak, type SafeHtml } from "../shared/html.ts";
import { toSimplified } from "../shared/simplified.ts";
import {
  agencyCrumbs,
  agencyNav,
  agencyPath,
  pagination,
  recordPath,
  validityBadge,
  withQuery,
} from "./portal.views.ts";
import { MAX_EXCLUDED_WORDS, MAX_QUERY_CHARS, MAX_QUERY_WORDS } from "./search.rules.ts";
import { PAGE_SIZE, type SearchResult, VALIDITY_VALUES } from "./search.service.ts";

function option(value: string, label: string, selected: boolean): SafeHtml {
  return html`<option value="${value}"${selected ? html` selected` : ""}>${label}</option>`;
}

function searchForm(
  r: SearchResult,
  action: string,
  scope: Agency | undefined,
  items: { key: string; name: string }[],
): SafeHtml {
  const p = r.params;
  const f = r.facets;
  const years = new Set<number>(f?.years.map((y) => y.year) ?? []);
  if (p.year) years.add(p.year);
  const approx = f && !f.exact ? "约" : "";
  const count = (n: number | undefined) => (n === undefined ? "" : `（${approx}${n}）`);
  const active = [
    !scope && p.agency ? (f?.agencies.find((a) => a.slug === p.agency)?.name ?? p.agency) : "",
    scope && p.item ? (items.find((i) => i.key === p.item)?.name ?? p.item) : "",
    p.year ? `${p.year}年` : "",
    p.validity,
    p.genre,
    p.sort === "date" ? "按日期" : "",
  ].filter(Boolean);
  return html`<form class="search-panel" method="get" action="${action}" role="search" aria-label="${scope ? `${scope.shortName}信息检索` : "全平台信息检索"}">
<div class="search-form">
  <label class="visually-hidden" for="search-q">搜索关键词</label>
  <input type="search" id="search-q" name="q" value="${p.q}" maxlength="${MAX_QUERY_CHARS}" placeholder="输入关键词，如：就业、社会保险">
  <button type="submit">搜索</button>
</div>
<details class="filters-fold"${active.length ? html` open` : ""}><summary>筛选与排序${active.length ? html`<span class="hint">（${active.join("、")}）</span>` : ""}</summary>
<fieldset class="filters"><legend class="visually-hidden">筛选与排序</legend>
${
  scope
    ? items.length
      ? html`<div><label for="f-item">目录事项</label><select id="f-item" name="item">${option("", "全部事项", !p.item)}${items.map((i) => option(i.key, i.name, p.item === i.key))}</select></div>`
      : ""
    : html`<div><label for="f-agency">发布机关</label><select id="f-agency" name="agency">${option("", "全部机关", !p.agency)}${(f?.agencies ?? []).map((a) => option(a.slug, `${a.name}${count(a.n)}`, p.agency === a.slug))}${p.agency && !f?.agencies.some((a) => a.slug === p.agency) ? option(p.agency, p.agency, true) : ""}</select></div>`
}
<div><label for="f-year">发布年度</label><select id="f-year" name="year">${option("", "全部年度", !p.year)}${[...years].sort((a, b) => b - a).map((y) => option(String(y), `${y}年${count(f?.years.find((x) => x.year === y)?.n)}`, p.year === y))}</select></div>
<div><label for="f-validity">有效性</label><select id="f-validity" name="validity">${option("", "全部", !p.validity)}${VALIDITY_VALUES.map((v) => option(v, `${v}${count(f?.validity.find((x) => x.value === v)?.n)}`, p.validity === v))}</select></div>
<div><label for="f-genre">体裁</label><select id="f-genre" name="genre">${option("", "全部体裁", !p.genre)}${(f?.genres ?? []).map((g) => option(g.value, `${g.value}${count(g.n)}`, p.genre === g.value))}${p.genre && !f?.genres.some((g) => g.value === p.genre) ? option(p.genre, p.genre, true) : ""}</select></div>
<div><label for="f-sort">排序</label><select id="f-sort" name="sort">${option("relevance", "按相关度", p.sort === "relevance")}${option("date", "按发布日期（新→旧）", p.sort === "date")}</select></div>
<div class="filters-submit"><button type="submit" class="secondary">应用筛选</button></div>
</fieldset>
</details>
${p.exact ? html`<input type="hidden" name="exact" value="1">` : ""}
</form>`;
}

function resultList(r: SearchResult, scoped: boolean): SafeHtml {
  return html`<ol class="results" start="${(r.page - 1) * PAGE_SIZE + 1}">${r.hits.map(
    (h) => html`<li><article class="result">
<h2 class="result-title"><a href="${recordPath(h.agency, h.id)}">${h.title}</a> ${validityBadge(h.validity)}${h.kind === "interpretation" ? html` <span class="badge">政策解读</span>` : ""}</h2>
<p class="result-meta">${scoped ? "" : html`<span>${h.agency.name}</span> · `}${h.publishedDate ? html`<span>发布日期：<time datetime="${h.publishedDate}">${h.publishedDate}</time></span>` : ""}${h.indexNo ? html` · <span>索引号：${noBreak(h.indexNo)}</span>` : ""}${h.docNumber.value ? html` · <span>文号：${noBreak(h.docNumber)}</span>` : ""}${h.genre ? html` · <span>${h.genre}</span>` : ""}</p>
${h.snippet.value ? html`<p class="result-snippet">${h.snippet}</p>` : ""}
</article></li>`,
  )}</ol>`;
}

function emptyResult(r: SearchResult, action: string, scope: Agency | undefined): SafeHtml {
  const p = r.params;
  const filtered = Boolean(p.year || p.validity || p.genre || p.item || (!scope && p.agency));
  const shorter = Array.from(p.q);
  return html`<div class="empty-result">
<h2>未找到${p.q ? html`与“${p.q}”相关的` : "符合条件的"}信息</h2>
<p>建议您：</p>
<ul>
${filtered ? html`<li><a href="${withQuery(action, { q: p.q })}">清除筛选条件后重新搜索</a></li>` : ""}
${scope && p.q ? html`<li><a href="${withQuery("/search", { q: p.q })}">在全平台搜索“${p.q}”</a></li>` : ""}
${shorter.length > 2 ? html`<li>使用更短的关键词，例如：<a href="${withQuery(action, { q: shorter.slice(0, 2).join("") })}">${shorter.slice(0, 2).join("")}</a>${shorter.length > 4 ? html`、<a href="${withQuery(action, { q: shorter.slice(0, 4).join("") })}">${shorter.slice(0, 4).join("")}</a>` : ""}</li>` : ""}
<li>检查关键词是否有错别字，或换用同义词（如“社保”与“社会保险”）；</li>
<li>${scope ? html`浏览<a href="${agencyPath(scope, "catalog")}">主动公开事项目录</a>查找相关信息；` : html`从<a href="/">首页</a>选择机关，浏览其主动公开事项目录；`}</li>
<li>未公开的信息，可以${scope ? html`<a href="${agencyPath(scope, "apply")}">依申请公开</a>` : "向相关机关申请公开"}。</li>
</ul>
${r.suggestions.length ? html`<h3>您是不是要找：</h3><ul>${r.suggestions.map((t) => html`<li><a href="${withQuery(action, { q: t })}">${t}</a></li>`)}</ul>` : ""}
</div>`;
}

/** Which synonyms were searched too, with the link to the exact-only search (or back to the expanded one). */
function expansionNotice(
  r: SearchResult,
  action: string,
  params: Record<string, string | number | undefined>,
): SafeHtml {
  const p = r.params;
  if (!p.q) return html``;
  if (p.exact)
    return toSimplified(p.q) !== p.q
      ? html`<p class="search-expansions">按原文“${p.q}”检索（繁体字未转换为简体，未搜索同义词）。<a href="${withQuery(action, { ...params, exact: undefined, page: undefined })}">按简体检索并同时搜索同义词和简称</a></p>`
      : html`<p class="search-expansions">只搜索了“${p.q}”本身。<a href="${withQuery(action, { ...params, exact: undefined, page: undefined })}">同时搜索同义词和简称</a></p>`;
  const exactLink = html`<a href="${withQuery(action, { ...params, exact: "1", page: undefined })}">`;
  return html`${
    r.simplified !== undefined
      ? html`<p class="search-simplified">已将繁体字转换为简体，按“${r.simplified}”检索。${exactLink}按原文“${p.q}”检索</a></p>`
      : ""
  }${
    r.expansions.length
      ? html`<p class="search-expansions">同时搜索了同义词或简称：${r.expansions.map((e, i) => html`${i ? "、" : ""}<strong>${e}</strong>`)}。${r.simplified === undefined ? html`${exactLink}只搜索“${p.q}”</a>` : ""}</p>`
      : ""
  }`;
}

/** The excluded words applied (and those beyond the limit, not applied), and why nothing ran or matched. */
function exclusionNotice(r: SearchResult): SafeHtml {
  return html`${
    r.excluded.length && r.notice !== "exclusion_only"
      ? html`<p class="search-excluded">已排除含有以下词语的信息：${r.excluded.map((e, i) => html`${i ? "、" : ""}<strong>${e}</strong>`)}。</p>`
      : ""
  }${
    r.ignoredExclusions.length
      ? html`<p class="notice notice-warn">最多排除 ${MAX_EXCLUDED_WORDS} 个词，以下排除词未生效：${r.ignoredExclusions.join("、")}。</p>`
      : ""
  }${
    r.notice === "exclusion_only"
      ? html`<p class="notice notice-warn" role="status">只输入了要排除的词（${r.excluded.map((e) => `-${e}`).join(" ")}），请同时输入要查找的词，例如：社保 -医疗。</p>`
      : r.notice === "excluded_all"
        ? html`<p class="notice notice-warn" role="status">排除词“${r.coveredBy ?? ""}”是要查找的词的一部分，所有结果都被排除了。</p>`
        : ""
  }`;
}

/** How to write a query (the search's syntax), folded under the form. */
function searchHelp(): SafeHtml {
  return html`<details class="search-help"><summary>检索语法</summary>
<ul>
<li>多个词用空格隔开，结果须同时包含每个词（顺序不限）：<code>社保 缴费</code>；超过 ${MAX_QUERY_WORDS} 个词时，其余的词合为一个词组。</li>
<li>用引号（"…"、“…”或「…」）括起的词组按原样查找，不搜索同义词和简称：<code>“社会保险”</code>。</li>
<li>在词前加减号（- 或全角 －）排除含有该词的信息：<code>社保 -医疗</code>；最多排除 ${MAX_EXCLUDED_WORDS} 个词，不能只输入排除词。</li>
<li>繁体字自动转换为简体检索（如“社會保險”按“社会保险”检索），页面上可改按原文检索。</li>
<li>常用简称和同义词会同时搜索（如“社保”与“社会保险”），页面上可改为只搜索所输入的词。</li>
<li>输入完整的索引号或文号（如 <code>${keepTokens("人社发〔2024〕5号")}</code>，繁体亦可）直接打开该信息。</li>
<li>可按发布机关、年度、有效性和体裁筛选，按相关度或发布日期排序。</li>
</ul>
</details>`;
}

/**
 * The number of results: exact, or (more matches than the count cap) the estimate rounded to two significant
 * digits, e.g. 约 720,000.
 */
export function countText(r: Pick<SearchResult, "total" | "totalExact">): string {
  if (r.totalExact) return String(r.total);
  const digits = Math.max(0, String(Math.round(r.total)).length - 2);
  const rounded = Math.round(r.total / 10 ** digits) * 10 ** digits;
  return rounded.toLocaleString("en-US");
}

export function searchPage(
  ctx: PageContext,
  r: SearchResult,
  scope?: Agency,
  items: { key: string; name: string }[] = [],
): SafeHtml {
  const action = scope ? agencyPath(scope, "search") : "/search";
  const p = r.params;
  const title = p.q ? `搜索：${p.q}` : scope ? `${scope.shortName}信息检索` : "信息检索";
  const params = {
    q: p.q,
    agency: scope ? undefined : p.agency,
    item: p.item,
    year: p.year,
    validity: p.validity,
    genre: p.genre,
    sort: p.sort === "date" ? "date" : undefined,
    exact: p.exact ? "1" : undefined,
  };
  return page(ctx, {
    title,
    description: "检索各机关主动公开的政府信息。",
    breadcrumbs: scope
      ? agencyCrumbs(scope, { label: "信息检索" })
      : [{ href: "/", label: "首页" }, { label: "信息检索" }],
    body: html`${scope ? agencyNav(scope, "search") : ""}
<h1>${scope ? html`${scope.name} · 信息检索` : "政府信息检索"}</h1>
${searchForm(r, action, scope, items)}
${searchHelp()}
${expansionNotice(r, action, params)}
${exclusionNotice(r)}
${p.truncated ? html`<p class="notice notice-warn">关键词过长，已按前 ${MAX_QUERY_CHARS} 个字搜索。</p>` : ""}
${
  r.notice === "exclusion_only"
    ? ""
    : !r.searched
      ? html`<p class="hint">输入关键词搜索${scope ? "本机关" : "全平台"}公开的政府信息（标题、文号、索引号、关键词、摘要和正文；常用简称如“社保”会同时搜索全称）。输入完整的索引号或文号可直接打开该信息，也可以只按年度、有效性或体裁筛选。任意长度的关键词均可，包括单个汉字。</p>`
      : r.total === 0
        ? emptyResult(r, action, scope)
        : html`<p class="result-count" role="status">${p.q ? html`找到${r.totalExact ? "" : "约"} <strong>${countText(r)}</strong> 条与“${p.q}”相关的信息` : html`${r.totalExact ? "共" : "约"} <strong>${countText(r)}</strong> 条信息`}${r.totalPages > 1 ? `，第 ${r.page} / ${r.totalPages} 页` : ""}。</p>
${r.hits.length ? resultList(r, Boolean(scope)) : html`<p>本页没有结果。<a href="${withQuery(action, params)}">回到第一页</a></p>`}
${pagination(action, params, r.page, r.totalPages)}`
}`,
  });
}
