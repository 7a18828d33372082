/**
 * @module The catalog comparison page: an agency's catalog against another agency's or a loaded standard catalog,
 * each match marked exact or 待确认 (probable, with its similarity) for a person to confirm, then the items
 * missing and added and the weaker commitments.
 */
import type { Agency } from "../agencies/agency.service.ts";
import type { CatalogComparison } from "../catalog/catalog-compare.rules.ts";
import type { StandardCatalogInfo } from "../catalog/standard-catalog.service.ts";
import { type PageContext, page } from "../http/layout.ts";
import { html, join, type SafeHtml } from "../shared/html.ts";

const VERDICT: Record<string, string> = {
  weaker: "时限弱于参照",
  stronger: "时限严于参照",
  same: "时限相同",
  missing: "未写公开时限",
  unknown: "时限无法比较",
};

function resultView(c: CatalogComparison): SafeHtml {
  const s = c.summary;
  return html`<h2>${c.agency} 对照 ${c.reference}</h2>
<p>本机关 ${s.agencyItems} 项，参照 ${s.referenceItems} 项：匹配 ${s.matched} 项（名称一致 ${s.exact} 项，<strong>待确认 ${s.probable} 项</strong>），缺少 ${s.missing} 项，新增 ${s.added} 项；时限弱于参照 ${s.weakerDeadlines} 项，渠道少于参照 ${s.fewerChannels} 项，依申请代替主动 ${s.weakerMode} 项。</p>
<div class="table-scroll" tabindex="0" role="region" aria-label="匹配的事项"><table><caption>匹配的事项（“待确认”为按含义匹配、名称不同的事项，请逐项核对）</caption>
<thead><tr><th scope="col">本机关事项</th><th scope="col">参照事项</th><th scope="col">匹配</th><th scope="col">公开时限</th><th scope="col">缺少的渠道</th></tr></thead>
<tbody>${join(
    c.matches.map(
      (m) =>
        html`<tr><td>${m.agency.path.join(" / ")}</td><td>${m.reference.path.join(" / ")}</td><td>${m.kind === "exact" ? "名称一致" : html`<span class="badge badge-warn">待确认</span> 相似度${Math.round(m.score * 100)}%`}</td><td>${m.deadline.verdict === "weaker" || m.deadline.verdict === "missing" ? html`<span class="badge badge-err">${VERDICT[m.deadline.verdict]}</span>` : VERDICT[m.deadline.verdict]}${m.deadline.agency || m.deadline.reference ? html`<br><small>本机关：${m.deadline.agency ?? "—"}；参照：${m.deadline.reference ?? "—"}</small>` : ""}${m.modeWeaker ? html`<br><span class="badge badge-err">参照为主动公开</span>` : ""}</td><td>${m.channelsMissing.join("、")}</td></tr>`,
    ),
  )}</tbody></table></div>
<h3>参照中有、本机关目录中没有的事项（${c.missing.length}）</h3>
${c.missing.length ? html`<ul>${join(c.missing.map((m) => html`<li>${m.path.join(" / ")}</li>`))}</ul>` : html`<p>无。</p>`}
<h3>本机关目录新增的事项（${c.added.length}）</h3>
${c.added.length ? html`<ul>${join(c.added.map((m) => html`<li>${m.path.join(" / ")}</li>`))}</ul>` : html`<p>无。</p>`}`;
}

export function comparePage(
  ctx: PageContext,
  m: {
    base: string;
    agencies: Agency[];
    standards: StandardCatalogInfo[];
    agency: string;
    reference: string;
    result: CatalogComparison | null;
    error?: string | undefined;
  },
): SafeHtml {
  return page(ctx, {
    area: "staff",
    title: "目录比对",
    breadcrumbs: [
      { href: "/admin", label: "工作台" },
      { href: m.base, label: "区域监督" },
      { label: "目录比对" },
    ],
    body: html`<h1>主动公开事项目录比对</h1>
<p>将机关已发布的目录与标准目录或另一机关的目录比对：事项按含义匹配（忽略编号和标点，社保/社会保险/参保等同义词视为相同），名称不同的匹配标为“待确认”。</p>
<form method="get" action="${m.base}/compare" class="filters">
<label>机关 <select name="agency" required><option value="">请选择</option>${join(
      m.agencies.map(
        (a) =>
          html`<option value="${a.slug}"${a.slug === m.agency ? html` selected` : ""}>${a.name}</option>`,
      ),
    )}</select></label>
<label>对照 <select name="reference" required><option value="">请选择</option><optgroup label="标准目录">${join(
      m.standards.map(
        (s) =>
          html`<option value="standard:${s.slug}"${`standard:${s.slug}` === m.reference ? html` selected` : ""}>${s.name}</option>`,
      ),
    )}</optgroup><optgroup label="其他机关">${join(
      m.agencies.map(
        (a) =>
          html`<option value="agency:${a.slug}"${`agency:${a.slug}` === m.reference ? html` selected` : ""}>${a.name}</option>`,
      ),
    )}</optgroup></select></label>
<button type="submit">比对</button></form>
${m.error ? html`<p class="notice notice-error" role="alert">${m.error}</p>` : ""}
${m.result ? resultView(m.result) : ""}`,
  });
}
