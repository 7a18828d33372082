/**
 * @module The result of a catalog comparison (目录比对), shared by the agency's own comparison page (where its
 * 政务公开办 confirms or rejects each 待确认 match) and the supervisors' page (read-only: they see the decisions).
 * Each match is marked exact or 待确认 with its similarity; then the items missing and added and the weaker
 * commitments.
 */
import type { Agency } from "../agencies/agency.service.ts";
import { staffAgencyPath } from "../http/agency-paths.ts";
import { type PageContext, page } from "../http/layout.ts";
import { shanghaiDate } from "../shared/clock.ts";
import { html, join, type SafeHtml } from "../shared/html.ts";
import type { ItemMatch } from "./catalog-compare.rules.ts";
import {
  type ComparisonWithDecisions,
  itemName,
  matchKey,
  type RecordedDecision,
} from "./catalog-compare.service.ts";
import type { StandardCatalogInfo } from "./standard-catalog.service.ts";

const VERDICT: Record<string, string> = {
  weaker: "时限弱于参照",
  stronger: "时限严于参照",
  same: "时限相同",
  missing: "未写公开时限",
  unknown: "时限无法比较",
};

/** Where the 政务公开办 posts a decision (absent: read-only, e.g. for supervisors). */
export interface DecideForm {
  action: string;
  csrfToken: string;
}

function decisionText(d: RecordedDecision | undefined): SafeHtml {
  if (!d) return html`<span class="badge badge-warn">待确认</span>`;
  const when = shanghaiDate(d.decidedAt);
  return d.decision === "confirmed"
    ? html`<span class="badge badge-ok">已确认</span> <small>${d.decidedBy}，${when}${d.note ? `：${d.note}` : ""}</small>`
    : html`<span class="badge badge-err">已否定</span> <small>${d.decidedBy}，${when}${d.note ? `：${d.note}` : ""}</small>`;
}

function matchCell(m: ItemMatch, r: ComparisonWithDecisions, form: DecideForm | undefined): SafeHtml {
  if (m.kind === "exact") return html`名称一致`;
  const d = r.decisions.get(matchKey(m));
  const similarity = html`相似度${Math.round(m.score * 100)}%`;
  if (!form) return html`${decisionText(d)} ${similarity}`;
  return html`${decisionText(d)} ${similarity}
<form method="post" action="${form.action}" class="inline"><input type="hidden" name="_csrf" value="${form.csrfToken}"><input type="hidden" name="reference" value="${r.reference}"><input type="hidden" name="agencyItem" value="${itemName(m.agency.path)}"><input type="hidden" name="referenceItem" value="${itemName(m.reference.path)}"><label>说明 <input name="note" maxlength="500" size="12" value="${d?.note ?? ""}"></label> <button type="submit" name="decision" value="confirmed">确认</button> <button type="submit" name="decision" value="rejected">否定</button></form>`;
}

export function comparisonResult(r: ComparisonWithDecisions, form?: DecideForm): SafeHtml {
  const c = r.comparison;
  const s = c.summary;
  const probable = c.matches.filter((m) => m.kind === "probable");
  const decided = probable.filter((m) => r.decisions.has(matchKey(m)));
  const confirmed = decided.filter((m) => r.decisions.get(matchKey(m))?.decision === "confirmed").length;
  return html`<h2>${c.agency} 对照 ${c.reference}</h2>
<p>本机关 ${s.agencyItems} 项，参照 ${s.referenceItems} 项：匹配 ${s.matched} 项（名称一致 ${s.exact} 项，<strong>待确认 ${s.probable} 项</strong>，其中政务公开办已确认 ${confirmed} 项、已否定 ${decided.length - confirmed} 项、尚未确认 ${probable.length - decided.length} 项），缺少 ${s.missing} 项，新增 ${s.added} 项；时限弱于参照 ${s.weakerDeadlines} 项，渠道少于参照 ${s.fewerChannels} 项，依申请代替主动 ${s.weakerMode} 项。</p>
<div class="table-scroll" tabindex="0" role="region" aria-label="匹配的事项"><table><caption>匹配的事项（“待确认”为按含义匹配、名称不同的事项，由本机关政务公开办逐项确认或否定）</caption>
<thead><tr><th scope="col">本机关事项</th><th scope="col">参照事项</th><th scope="col">匹配</th><th scope="col">公开时限</th><th scope="col">缺少的渠道</th></tr></thead>
<tbody>${join(
    c.matches.map(
      (m) =>
        html`<tr><td>${m.agency.path.join(" / ")}</td><td>${m.reference.path.join(" / ")}</td><td>${matchCell(m, r, form)}</td><td>${m.deadline.verdict === "weaker" || m.deadline.verdict === "missing" ? html`<span class="badge badge-err">${VERDICT[m.deadline.verdict]}</span>` : VERDICT[m.deadline.verdict]}${m.deadline.agency || m.deadline.reference ? html`<br><small>本机关：${m.deadline.agency ?? "—"}；参照：${m.deadline.reference ?? "—"}</small>` : ""}${m.modeWeaker ? html`<br><span class="badge badge-err">参照为主动公开</span>` : ""}</td><td>${m.channelsMissing.join("、")}</td></tr>`,
    ),
  )}</tbody></table></div>
<h3>参照中有、本机关目录中没有的事项（${c.missing.length}）</h3>
${c.missing.length ? html`<ul>${join(c.missing.map((m) => html`<li>${m.path.join(" / ")}</li>`))}</ul>` : html`<p>无。</p>`}
<h3>本机关目录新增的事项（${c.added.length}）</h3>
${c.added.length ? html`<ul>${join(c.added.map((m) => html`<li>${m.path.join(" / ")}</li>`))}</ul>` : html`<p>无。</p>`}`;
}

/** The reference picker: loaded standard catalogs, then other agencies. */
export function referenceSelect(
  standards: readonly StandardCatalogInfo[],
  agencies: readonly Agency[],
  selected: string,
): SafeHtml {
  return html`<label>对照 <select name="reference" required><option value="">请选择</option><optgroup label="标准目录">${join(
    standards.map(
      (s) =>
        html`<option value="standard:${s.slug}"${`standard:${s.slug}` === selected ? html` selected` : ""}>${s.name}</option>`,
    ),
  )}</optgroup><optgroup label="其他机关">${join(
    agencies.map(
      (a) =>
        html`<option value="agency:${a.slug}"${`agency:${a.slug}` === selected ? html` selected` : ""}>${a.name}</option>`,
    ),
  )}</optgroup></select></label>`;
}

/** The agency's own comparison page; `canDecide`: the user may confirm/reject (catalog.edit, 政务公开办). */
export function agencyComparePage(
  ctx: PageContext,
  m: {
    agency: Agency;
    standards: StandardCatalogInfo[];
    agencies: Agency[];
    reference: string;
    result: ComparisonWithDecisions | null;
    canDecide: boolean;
    error?: string | undefined;
  },
): SafeHtml {
  const base = staffAgencyPath(m.agency.slug, "/catalog/compare");
  return page(ctx, {
    area: "staff",
    title: "目录比对",
    breadcrumbs: [
      { href: "/admin", label: "工作台" },
      { href: staffAgencyPath(m.agency.slug, "/catalog"), label: "主动公开事项目录" },
      { label: "目录比对" },
    ],
    body: html`<h1>${m.agency.name}：目录比对</h1>
<p>将本机关已发布的目录与标准目录或另一机关的目录比对。名称不同、按含义匹配的事项标为“待确认”，由本机关政务公开办逐项确认或否定；确认结果保存并记入审计日志，上级监督人员可以查看。</p>
<form method="get" action="${base}" class="filters">${referenceSelect(
      m.standards,
      m.agencies.filter((a) => a.id !== m.agency.id),
      m.reference,
    )}
<button type="submit">比对</button></form>
${m.error ? html`<p class="notice notice-error" role="alert">${m.error}</p>` : ""}
${m.result ? comparisonResult(m.result, m.canDecide ? { action: `${base}/decisions`, csrfToken: ctx.csrfToken ?? "" } : undefined) : ""}`,
  });
}
