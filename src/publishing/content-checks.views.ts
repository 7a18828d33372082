/**
 * @module The 发布前检测 pages (/admin/agencies/:agency/content-checks): the agency's sensitive words and leaders'
 * terms (add, delete, paste a list), the runs over published records, and a run's report.
 */
import type { FieldError } from "../errors.ts";
import { staffAgencyPath } from "../http/agency-paths.ts";
import { csrfInput, errorSummary, selectField, textField, toFieldErrors } from "../http/forms.ts";
import { type PageContext, page } from "../http/layout.ts";
import { shanghaiDateTime } from "../shared/clock.ts";
import { html, type SafeHtml } from "../shared/html.ts";
import type { CheckLists } from "./content-checks.service.ts";
import type { ContentCheckRunRow } from "./content-checks.table.ts";
import { adminRecordPath } from "./record.paths.ts";

export interface ChecksPageModel {
  agency: { slug: string; name: string };
  lists: CheckLists;
  runs: ContentCheckRunRow[];
  errors: FieldError[];
  message?: string | undefined;
  done?: string | undefined;
  /** What the user typed, kept on a failed submission. */
  values: Record<string, string>;
}

const FIELD_LABELS: Record<string, string> = {
  words: "敏感词",
  severity: "级别",
  name: "姓名",
  title: "职务",
  validFrom: "任职起始日期",
  validTo: "任职终止日期",
  id: "条目",
};

const DONE: Record<string, string> = {
  words: "敏感词已登记。",
  "word-deleted": "敏感词已删除。",
  leader: "领导职务已登记。",
  "leader-deleted": "领导职务已删除。",
  run: "已开始检测全部已发布信息，完成后在下方查看报告。",
};

const RUN_STATUS: Record<string, string> = {
  queued: "排队中",
  running: "检测中",
  done: "已完成",
  failed: "失败",
};

const SEVERITY_OPTIONS = [
  { value: "block", label: "禁用（阻止审签发布）" },
  { value: "warn", label: "慎用（提示，不阻止）" },
];

export function checksPage(ctx: PageContext, m: ChecksPageModel): SafeHtml {
  const base = staffAgencyPath(m.agency.slug, "/content-checks");
  const errors = toFieldErrors(m.errors);
  const v = (k: string) => m.values[k] ?? "";
  return page(ctx, {
    area: "staff",
    title: "发布前检测",
    breadcrumbs: [{ href: "/admin", label: "工作台" }, { label: "发布前检测" }],
    body: html`<h1>发布前检测 <small class="hint">${m.agency.name}</small></h1>
${errorSummary(errors, FIELD_LABELS, m.message)}
${m.done && DONE[m.done] ? html`<p class="notice notice-ok" role="status">${DONE[m.done]}</p>` : ""}
<p>审签和发布前，系统检测标题、概述、正文和附件文字中的个人信息、本机关登记的敏感词和领导姓名职务。“禁用”敏感词和领导职务错误（如写错或写了已卸任的职务）会阻止审签和发布，须退回修改；“慎用”敏感词只作提示。</p>
<section aria-labelledby="words-h"><h2 id="words-h">敏感词（${m.lists.words.length}个）</h2>
${
  m.lists.words.length
    ? html`<div class="table-scroll" tabindex="0" role="region" aria-label="敏感词列表"><table><thead><tr><th scope="col">词语</th><th scope="col">级别</th><th scope="col">操作</th></tr></thead><tbody>${m.lists.words.map(
        (w) =>
          html`<tr><td>${w.word}</td><td>${w.severity === "block" ? "禁用" : "慎用"}</td><td><form method="post" action="${base}/words/delete" class="inline">${csrfInput(ctx)}<input type="hidden" name="id" value="${w.id}"><button type="submit" class="secondary">删除<span class="visually-hidden">「${w.word}」</span></button></form></td></tr>`,
      )}</tbody></table></div>`
    : html`<p>尚未登记敏感词。</p>`
}
<form method="post" action="${base}/words" class="stack" novalidate>${csrfInput(ctx)}
<div class="field"><label for="f-words">添加敏感词</label>
<p class="hint" id="f-words-hint">每行一个词；也可粘贴表格（CSV）内容，每行“词语,禁用”或“词语,慎用”，未写级别的按下方所选级别登记。已登记的词按新级别更新。</p>
<textarea id="f-words" name="words" rows="4" aria-describedby="f-words-hint${errors.words ? " f-words-error" : ""}"${errors.words ? html` aria-invalid="true"` : ""}>${v("words")}</textarea>
${errors.words ? html`<p class="field-error" id="f-words-error">${errors.words}</p>` : ""}</div>
${selectField({ name: "severity", label: "级别", value: v("severity") || "block", options: SEVERITY_OPTIONS, errors })}
<p><button type="submit">登记敏感词</button></p></form>
</section>
<section aria-labelledby="leaders-h"><h2 id="leaders-h">领导姓名与职务（${m.lists.leaders.length}条）</h2>
<p>每条记录一段任职：职务调整时，给原职务填写终止日期，再登记新职务。检测按信息的成文日期判断当时的职务。</p>
${
  m.lists.leaders.length
    ? html`<div class="table-scroll" tabindex="0" role="region" aria-label="领导职务列表"><table><thead><tr><th scope="col">姓名</th><th scope="col">职务</th><th scope="col">任职期间</th><th scope="col">操作</th></tr></thead><tbody>${m.lists.leaders.map(
        (l) =>
          html`<tr><td>${l.name}</td><td>${l.title}</td><td class="nowrap">${l.valid_from ?? "—"} 至 ${l.valid_to ?? "今"}</td><td><form method="post" action="${base}/leaders/delete" class="inline">${csrfInput(ctx)}<input type="hidden" name="id" value="${l.id}"><button type="submit" class="secondary">删除<span class="visually-hidden">${l.name}（${l.title}）</span></button></form></td></tr>`,
      )}</tbody></table></div>`
    : html`<p>尚未登记领导职务。</p>`
}
<form method="post" action="${base}/leaders" class="stack" novalidate>${csrfInput(ctx)}
${textField({ name: "name", label: "姓名", value: v("name"), errors, required: true, maxlength: 20 })}
${textField({ name: "title", label: "职务", value: v("title"), errors, required: true, maxlength: 30, hint: "如：局长、党组书记、副局长" })}
${textField({ name: "validFrom", label: "任职起始日期", type: "date", value: v("validFrom"), errors })}
${textField({ name: "validTo", label: "任职终止日期", type: "date", value: v("validTo"), errors, hint: "现任的留空" })}
<p><button type="submit">登记领导职务</button></p></form>
</section>
<section aria-labelledby="runs-h"><h2 id="runs-h">检测已发布信息</h2>
<p>名单更新后，可对本机关全部已发布信息重新检测（后台进行），报告列出每条信息的问题，可导出表格。</p>
<form method="post" action="${base}/runs" class="inline">${csrfInput(ctx)}<button type="submit">检测全部已发布信息</button></form>
${
  m.runs.length
    ? html`<div class="table-scroll" tabindex="0" role="region" aria-label="检测记录"><table><thead><tr><th scope="col">开始时间</th><th scope="col">发起人</th><th scope="col">状态</th><th scope="col">检测信息数</th><th scope="col">问题数</th><th scope="col">报告</th></tr></thead><tbody>${m.runs.map(
        (r) =>
          html`<tr><td class="nowrap">${shanghaiDateTime(r.started_at)}</td><td>${r.started_by_name}</td><td>${RUN_STATUS[r.status] ?? r.status}</td><td>${String(r.records_checked)}</td><td>${String(r.findings.length)}</td><td>${r.status === "done" ? html`<a href="${base}/report?run=${r.id}">查看</a>` : "—"}</td></tr>`,
      )}</tbody></table></div>`
    : ""
}
</section>`,
  });
}

const KIND_LABELS: Record<string, string> = {
  personal_data: "个人信息",
  sensitive_word: "敏感词",
  leader_title: "领导职务",
};

export function reportPage(
  ctx: PageContext,
  m: { agency: { slug: string; name: string }; run: ContentCheckRunRow | null },
): SafeHtml {
  const base = staffAgencyPath(m.agency.slug, "/content-checks");
  const run = m.run;
  const body = !run
    ? html`<p>尚无已完成的检测。请在<a href="${base}">发布前检测</a>页面发起检测。</p>`
    : (() => {
        const byRecord = new Map<string, typeof run.findings>();
        for (const f of run.findings) byRecord.set(f.recordId, [...(byRecord.get(f.recordId) ?? []), f]);
        const count = (k: string) => run.findings.filter((f) => f.kind === k).length;
        return html`<p>检测时间：${shanghaiDateTime(run.started_at)}（${run.started_by_name}发起）；检测已发布信息 <strong>${String(run.records_checked)}</strong> 条，其中 <strong>${String(byRecord.size)}</strong> 条有问题。</p>
<ul class="figures"><li>个人信息 <strong>${String(count("personal_data"))}</strong> 处</li><li>敏感词 <strong>${String(count("sensitive_word"))}</strong> 处</li><li>领导职务 <strong>${String(count("leader_title"))}</strong> 处</li></ul>
<p><a class="button" href="${base}/report.csv?run=${run.id}" download>导出表格（CSV）</a></p>
${
  byRecord.size === 0
    ? html`<p class="notice notice-ok">未发现问题。</p>`
    : html`${[...byRecord].map(
        ([
          recordId,
          list,
        ]) => html`<section class="check-record"><h2><a href="${adminRecordPath(recordId, m.agency.slug)}">${list[0]?.title ?? ""}</a> <small class="hint nowrap">${list[0]?.indexNo ?? ""}</small></h2>
<ul>${list.map((f) => html`<li>${f.severity === "block" ? html`<strong>须改正</strong>` : "提示"}｜${KIND_LABELS[f.kind] ?? f.kind}｜${f.place}：${f.message}</li>`)}</ul>
<p class="hint">已发布的信息须新建修订版本，修改（或一键脱敏）后重新审核发布。</p></section>`,
      )}`
}`;
      })();
  return page(ctx, {
    area: "staff",
    title: "已发布信息检测报告",
    breadcrumbs: [
      { href: "/admin", label: "工作台" },
      { href: base, label: "发布前检测" },
      { label: "检测报告" },
    ],
    body: html`<h1>已发布信息检测报告 <small class="hint">${m.agency.name}</small></h1>${body}`,
  });
}
