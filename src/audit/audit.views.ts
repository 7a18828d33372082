/**
 * @module Audit log viewer pages (审计日志): filters, a table, the chain verification result.
 */
import { type PageContext, page } from "../http/layout.ts";
import { shanghaiDateTime } from "../shared/clock.ts";
import { html, type SafeHtml } from "../shared/html.ts";
import type { AuditEvent, ChainProblem, ChainReport } from "./audit.service.ts";

export interface AuditQuery {
  from: string;
  to: string;
  action: string;
  actor: string;
  agency: string;
  entityType: string;
  entityId: string;
  q: string;
}

function input(id: string, name: string, label: string, value: string, type = "text"): SafeHtml {
  return html`<div class="field"><label for="${id}">${label}</label><input type="${type}" id="${id}" name="${name}" value="${value}" maxlength="100"></div>`;
}

export function auditListPage(
  ctx: PageContext,
  o: {
    events: AuditEvent[];
    query: AuditQuery;
    agencies: { id: string; name: string }[];
    nextBefore: number | undefined;
    exportHref: string;
    error?: string | undefined;
  },
): SafeHtml {
  const agencyName = (id: string | null) => (id ? (o.agencies.find((a) => a.id === id)?.name ?? id) : "—");
  const q = o.query;
  const params = new URLSearchParams(Object.entries(q).filter(([, v]) => v !== ""));
  return page(ctx, {
    title: "审计日志",
    area: "staff",
    breadcrumbs: [{ href: "/admin", label: "工作台" }, { label: "审计日志" }],
    body: html`<h1>审计日志</h1>
<p>审计日志只能追加、不能修改，至少保存 180 天；每条记录以哈希链相连，可随时<a href="/admin/audit/verify">校验完整性</a>。</p>
${o.error ? html`<p class="notice notice-error" role="alert">${o.error}</p>` : ""}
<form method="get" action="/admin/audit" class="stack filters" role="search" aria-label="筛选审计日志">
${input("audit-from", "from", "开始日期", q.from, "date")}
${input("audit-to", "to", "结束日期（含）", q.to, "date")}
${input("audit-action", "action", "操作（前缀，如 user. 或 record.publish）", q.action)}
${input("audit-actor", "actor", "操作人", q.actor)}
<div class="field"><label for="audit-agency">机关</label><select id="audit-agency" name="agency"><option value="">全部</option>${o.agencies.map((a) => html`<option value="${a.id}"${a.id === q.agency ? html` selected` : ""}>${a.name}</option>`)}</select></div>
${input("audit-type", "entityType", "对象类型", q.entityType)}
${input("audit-id", "entityId", "对象ID", q.entityId)}
${input("audit-q", "q", "摘要包含", q.q)}
<p><button type="submit">筛选</button> <a class="button secondary" href="${o.exportHref}">导出 CSV</a></p>
</form>
<div class="table-scroll"><table><caption>审计记录（按时间倒序）</caption>
<thead><tr><th scope="col">序号</th><th scope="col">时间</th><th scope="col">操作人</th><th scope="col">操作</th><th scope="col">机关</th><th scope="col">对象</th><th scope="col">摘要</th><th scope="col">IP</th></tr></thead>
<tbody>${
      o.events.length
        ? o.events.map(
            (
              e,
            ) => html`<tr><td class="num">${String(e.seq)}</td><td>${shanghaiDateTime(e.occurredAt)}</td><td>${e.actorName ?? "—"}</td><td><code>${e.action}</code></td><td>${agencyName(e.agencyId)}</td><td>${e.entityType}${e.entityId ? html`<br><code>${e.entityId}</code>` : ""}</td>
<td>${e.summary}${e.before || e.after ? html`<details><summary>变更内容</summary>${e.before ? html`<p>变更前：<code class="break">${e.before}</code></p>` : ""}${e.after ? html`<p>变更后：<code class="break">${e.after}</code></p>` : ""}</details>` : ""}</td><td>${e.ip ?? ""}</td></tr>`,
          )
        : html`<tr><td colspan="8">没有符合条件的记录。</td></tr>`
    }</tbody></table></div>
${o.nextBefore !== undefined ? html`<nav class="pagination" aria-label="分页"><ul><li><a href="/admin/audit?${params.toString()}${params.size ? "&" : ""}before=${String(o.nextBefore)}">更早的记录</a></li></ul></nav>` : ""}`,
  });
}

const PROBLEM_TEXT: Record<ChainProblem, string> = {
  broken_link: "与前一条记录的链接断开（前一条记录可能被删除或修改）",
  hash_mismatch: "的内容与其哈希值不符（记录可能被直接修改，或校验所用密钥与写入时不同）",
  unkeyed_after_keyed: "在密钥哈希链中却只有不带密钥的哈希（可能被不掌握密钥的人重写）",
  key_missing: "使用密钥哈希，但当前未配置密钥，无法校验",
  unknown_alg: "使用了未知的哈希算法",
};

export function auditVerifyPage(ctx: PageContext, report: ChainReport): SafeHtml {
  return page(ctx, {
    title: "审计日志完整性校验",
    area: "staff",
    breadcrumbs: [
      { href: "/admin", label: "工作台" },
      { href: "/admin/audit", label: "审计日志" },
      { label: "完整性校验" },
    ],
    body: html`<h1>审计日志完整性校验</h1>
${
  report.ok
    ? html`<p class="notice notice-ok" role="status">校验通过：共 ${String(report.checked)} 条记录，哈希链完整，链头与最新记录一致。</p>`
    : report.firstBroken
      ? html`<p class="notice notice-error" role="alert">校验失败：第 ${String(report.firstBroken.seq)} 号记录${PROBLEM_TEXT[report.firstBroken.problem]}。此前 ${String(report.checked)} 条记录校验通过。</p>`
      : html`<p class="notice notice-error" role="alert">校验失败：${report.head === "missing" ? "链头记录缺失" : "链头与最新记录不符"}（最新的记录可能被删除，或链头被改写）。共 ${String(report.checked)} 条记录的哈希链本身完整。</p>`
}
${report.unkeyedRows ? html`<p class="notice notice-warn">其中 ${String(report.unkeyedRows)} 条记录写于启用密钥哈希链之前，仅以不带密钥的 SHA-256 相连；能直接写数据库的人可以重算这些记录的哈希。</p>` : ""}
<p>每条记录以 HMAC-SHA-256 相连，密钥保存在配置中（<code>GONGKAI_AUDIT_KEY</code>，未配置时由应用密钥派生），不在数据库中。</p>
<p>命令行同样可以校验：<code>gongkai audit verify</code>。</p>`,
  });
}
