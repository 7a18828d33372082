/**
 * @module The staff page of one record: metadata, due date, personal-data findings, revisions, history and the
 * workflow actions the user may take (with reason forms). Pure HTML through the escaping template.
 */
import { formatChineseDate } from "../calendar/index.ts";
import type { FieldError } from "../errors.ts";
import {
  csrfInput,
  errorSummary,
  type FieldErrors,
  fieldId,
  textField,
  toFieldErrors,
} from "../http/forms.ts";
import { type PageContext, page } from "../http/layout.ts";
import { shanghaiDateTime } from "../shared/clock.ts";
import { dateToken, type HtmlValue, html, keepTokens, noBreak, raw, type SafeHtml } from "../shared/html.ts";
import { formatSize } from "./attachment.rules.ts";
import type { CheckFindingView } from "./content-checks.service.ts";
import { adminRecordPath, adminRecordRecallPath, publicRecordPath } from "./record.paths.ts";
import {
  CHANNEL_SUGGESTIONS,
  CHECKLIST_ITEMS,
  DOC_CATEGORIES,
  EVENT_LABELS,
  KINDS,
  REVISION_STATUS_LABELS,
  revisionStamp,
} from "./record.rules.ts";
import type { RecordContent, RecordRow, RevisionStatus } from "./record.table.ts";
import { type AgencyRef, area, crumbs, date, FIELD_LABELS, listInput, statusBadge } from "./record.views.ts";
import type { RecordDue } from "./record-deadline.rules.ts";
import type { StaffRecordDetail } from "./record-query.service.ts";
import type { FindingView } from "./record-scan.service.ts";
import { scheduleActions, scheduleNotices } from "./record-schedule.views.ts";

// ---------------------------------------------------------------------------------------------------------------
// Record page
// ---------------------------------------------------------------------------------------------------------------

export interface Permissions {
  draft: boolean;
  review: boolean;
  approve: boolean;
  publish: boolean;
  withdraw: boolean;
  returnBack: boolean;
}

export interface DetailModel {
  agency: AgencyRef;
  detail: StaffRecordDetail;
  can: Permissions;
  findings: FindingView[];
  /** 强制检测 findings of the agency's lists (sensitive words, leaders' titles). */
  checks: CheckFindingView[];
  departments: { id: string; name: string }[];
  errors: FieldError[];
  error?: string | undefined;
  message?: string | undefined;
  /** Values of a refused schedule form (refilled). */
  values?: Record<string, string> | undefined;
  users: Map<string, string>;
}

function dueText(due: RecordDue): SafeHtml {
  if (!due.due) return html`<p>${keepTokens(due.explanation)}</p>`;
  return html`<p><strong>截止${dateToken(formatChineseDate(due.due))}</strong>${due.provisional ? html` <span class="badge badge-warn">临时</span>` : ""}。${keepTokens(due.explanation)}${due.basis ? html`（依据：${keepTokens(due.basis)}）` : ""}</p>`;
}

function metaTable(c: RecordContent, r: RecordRow, m: DetailModel): SafeHtml {
  const dept = m.departments.find((d) => d.id === c.departmentId)?.name;
  const item = m.detail.item;
  const el = item?.elements.find((e) => e.id === c.elementId);
  const rows: [string, HtmlValue][] = [
    ["索引号", r.index_no ? noBreak(r.index_no) : "（发布时生成）"],
    ["信息类型", KINDS[c.kind]],
    ["发布机构", c.issuingAgency],
    ["文号", c.docNumber ? noBreak(c.docNumber) : "—"],
    ["成文（生成）日期", date(c.formedDate)],
    ["变更日期", date(c.changedDate)],
    ["发布日期", date(r.published_date)],
    ["主题分类", c.topic || "—"],
    ["体裁分类", c.genre || "—"],
    ["关键词", c.keywords.join("、") || "—"],
    ["有效性", c.validity ?? "—"],
    ["生效日期", date(c.effectiveDate)],
    ["废止（失效）日期", date(c.repealDate)],
    ["公开属性", c.disclosure + (c.nonDisclosureReason ? `（${c.nonDisclosureReason}）` : "")],
    ["目录事项", item ? `${item.number ? `${item.number} ` : ""}${item.name}` : "—"],
    ["公开内容（要素）", el ? el.label || el.content : "—"],
    ["责任股室", dept ?? "—"],
    [
      "年报统计类别",
      c.docCategory
        ? `${DOC_CATEGORIES[c.docCategory]}${c.decisionCount ? `（${c.decisionCount}件）` : ""}`
        : "—",
    ],
    ["内容概述", c.summary || "—"],
  ];
  return html`<table class="meta-table"><caption>信息元数据</caption><tbody>${rows.map(
    ([k, val]) => html`<tr><th scope="row">${k}</th><td>${val}</td></tr>`,
  )}</tbody></table>`;
}

function reasonForm(
  ctx: PageContext,
  action: string,
  id: string,
  label: string,
  button: string,
  hint: string,
  errors: FieldErrors,
  danger = false,
): SafeHtml {
  return html`<form method="post" action="${action}" class="stack">${csrfInput(ctx)}
<div class="field"><label for="${id}">${label}</label><p class="hint" id="${id}-hint">${hint}</p>
<textarea id="${id}" name="reason" rows="2" required aria-required="true" aria-describedby="${id}-hint${errors.reason ? ` ${id}-error` : ""}"${errors.reason ? html` aria-invalid="true"` : ""}></textarea>
${errors.reason ? html`<p class="field-error" id="${id}-error">${errors.reason}</p>` : ""}</div>
<p><button type="submit"${danger ? html` class="danger"` : ""}>${button}</button></p></form>`;
}

function findingsBlock(ctx: PageContext, base: string, findings: FindingView[], mayMask: boolean): SafeHtml {
  if (findings.length === 0) return html``;
  // 一键脱敏: one plain form per finding (no JavaScript); the service re-finds it by kind, place and offset.
  const maskForm = (f: FindingView) =>
    html`<form method="post" action="${base}/mask" class="inline">${csrfInput(ctx)}<input type="hidden" name="kind" value="${f.kind}"><input type="hidden" name="source" value="${f.source}"><input type="hidden" name="start" value="${String(f.start)}"><input type="hidden" name="length" value="${String(f.length)}"><button type="submit" class="secondary">一键脱敏<span class="visually-hidden">：${f.place}第${f.line}行的${f.label}</span></button></form>`;
  return html`<div class="notice notice-warn" role="alert" id="findings"><p><strong>发现${findings.length}处疑似个人信息（《条例》第十五条）：</strong></p>
<div class="table-scroll" tabindex="0" role="region" aria-label="疑似个人信息"><table><thead><tr><th scope="col">类型</th><th scope="col">位置</th><th scope="col">上下文（已遮盖）</th><th scope="col">脱敏为</th>${mayMask ? html`<th scope="col">操作</th>` : ""}</tr></thead><tbody>${findings.map(
    (f) =>
      html`<tr><td>${f.label}</td><td>${f.place}第${f.line}行第${f.column}列</td><td>${f.context}</td><td class="nowrap">${f.masked}</td>${mayMask ? html`<td>${maskForm(f)}</td>` : ""}</tr>`,
  )}</tbody></table></div>
<p>可逐项“一键脱敏”（正文、标题、附件文字中该内容全部替换为遮盖格式；附件改为发布脱敏后的文字，原件留存备查，不对外提供）；确需公开的（如经本人同意），由审签人填写放行理由。</p></div>`;
}

function checksBlock(checks: CheckFindingView[]): SafeHtml {
  if (checks.length === 0) return html``;
  const blocking = checks.filter((c) => c.severity === "block").length;
  return html`<div class="notice ${blocking ? "notice-error" : "notice-warn"}" role="alert" id="content-checks"><p><strong>发布前检测：${blocking ? `${blocking}处须改正（阻止审签发布）` : ""}${blocking && checks.length > blocking ? "，" : ""}${checks.length > blocking ? `${checks.length - blocking}处提示` : ""}</strong></p>
<ul>${checks.map((c) => html`<li>${c.severity === "block" ? html`<strong>须改正</strong>` : "提示"}：${c.message}（${c.place}第${c.line}行第${c.column}列）</li>`)}</ul></div>`;
}

export function detailPage(ctx: PageContext, m: DetailModel): SafeHtml {
  const { record: r, revision: rev } = m.detail;
  const c = rev.content;
  const base = adminRecordPath(r.id, m.agency.slug);
  const errors = toFieldErrors(m.errors);
  const name = (id: string | null) => (id ? (m.users.get(id) ?? "—") : "—");
  const status = rev.status;
  const actions: SafeHtml[] = [];
  // What this page shows: a step taken from it on content changed since is refused (record_changed_since_opened).
  const stampInput = html`<input type="hidden" name="stamp" value="${revisionStamp(rev.revision_no, rev.content)}">`;
  if (status === "draft" && m.can.draft) {
    actions.push(html`<p><a class="button" href="${base}/edit">修改</a></p>
<form method="post" action="${base}/submit" class="inline">${csrfInput(ctx)}${stampInput}<button type="submit">提交审核</button></form>`);
  }
  if (status === "submitted" && m.can.draft && !m.can.review) {
    // 收回: the submitting editor takes the revision back before review starts (checked by recallRecord).
    actions.push(
      html`<form method="post" action="${adminRecordRecallPath(m.agency.slug, r.id)}" class="inline">${csrfInput(ctx)}<button type="submit" class="secondary">收回修改</button> <span class="hint">审核开始前，提交人可收回修改。</span></form>`,
    );
  }
  if (status === "submitted" && m.can.review) {
    actions.push(html`<form method="post" action="${base}/review" class="stack">${csrfInput(ctx)}${stampInput}
<fieldset><legend>保密审查和隐私审查（《条例》第十七条）</legend>
${CHECKLIST_ITEMS.map((i) => {
  const key = `checklist.${i.key}`;
  const err = errors[key];
  return html`<div class="check"><input type="checkbox" id="${fieldId(key)}" name="${i.key}" value="1"${err ? html` aria-invalid="true" aria-describedby="${fieldId(key)}-error"` : ""}><label for="${fieldId(key)}">${i.label}</label>${err ? html`<p class="field-error" id="${fieldId(key)}-error">${err}</p>` : ""}</div>`;
})}
${area("note", "审查意见（可选）", "", errors, undefined, 2)}
</fieldset><p><button type="submit">审核通过</button></p></form>`);
  }
  const piiOverride =
    m.findings.length > 0 && !rev.pii_override_reason && m.can.approve
      ? area(
          "piiOverrideReason",
          "个人信息放行理由（审签人填写）",
          "",
          errors,
          "例如：公示对象已书面同意公开其姓名和联系电话。",
          2,
        )
      : html``;
  if (status === "reviewed" && m.can.approve) {
    actions.push(html`<form method="post" action="${base}/approve" class="stack">${csrfInput(ctx)}${stampInput}${piiOverride}
<p><button type="submit">审签通过</button></p></form>`);
  }
  if (status === "approved" && m.can.publish) {
    actions.push(html`<form method="post" action="${base}/publish" class="stack">${csrfInput(ctx)}${stampInput}${piiOverride}
<p>发布后生成索引号，信息在门户公开。</p><p><button type="submit">发布</button></p></form>`);
  }
  actions.push(
    ...scheduleActions(ctx, r, {
      base,
      qs: "",
      errors,
      values: m.values ?? {},
      canPublish: m.can.publish,
      canWithdraw: m.can.withdraw,
      approved: status === "approved",
    }),
  );
  const returnPolicy = {
    submitted: m.can.review,
    reviewed: m.can.approve,
    approved: m.can.publish,
  } as Partial<Record<RevisionStatus, boolean>>;
  if (returnPolicy[status]) {
    actions.push(
      reasonForm(
        ctx,
        `${base}/return`,
        "return-reason",
        "退回理由",
        "退回修改",
        "写明需要修改的内容，起草人可以看到。",
        errors,
      ),
    );
  }
  if (r.status === "published" && m.can.withdraw) {
    actions.push(
      reasonForm(
        ctx,
        `${base}/withdraw`,
        "withdraw-reason",
        "撤回理由",
        "撤回",
        "撤回后信息从门户下线，审计日志保留记录，索引号不再使用。",
        errors,
        true,
      ),
    );
  }
  if ((r.status === "published" || r.status === "withdrawn") && status === "published" && m.can.draft) {
    actions.push(
      html`<form method="post" action="${base}/revise" class="inline">${csrfInput(ctx)}<button type="submit" class="secondary">修改已发布信息（新建修订版本）</button></form>`,
    );
  }
  const open = r.current_revision_no !== null && rev.revision_no !== r.current_revision_no;
  return page(ctx, {
    area: "staff",
    title: c.title || "信息",
    breadcrumbs: crumbs(m.agency, { label: c.title || "信息" }),
    body: html`<h1>${c.title}</h1>
<p>${statusBadge(r)} 第${rev.revision_no}版：${REVISION_STATUS_LABELS[status]}${r.status === "published" ? html` · <a href="${publicRecordPath(m.agency.slug, r.id)}">查看门户页面</a>` : ""}</p>
${m.message ? html`<p class="notice notice-ok" role="status">${m.message}</p>` : ""}
${m.error || m.errors.length ? errorSummary(errors, FIELD_LABELS, m.error) : ""}
${rev.returned_reason && status === "draft" ? html`<p class="notice notice-warn">已退回修改：${rev.returned_reason}（${name(rev.returned_by)}，${rev.returned_at ? shanghaiDateTime(rev.returned_at) : ""}）</p>` : ""}
${r.status === "withdrawn" ? html`<p class="notice notice-error">已于${r.withdrawn_at ? shanghaiDateTime(r.withdrawn_at) : ""}撤回：${r.withdrawn_reason ?? ""}</p>` : ""}
${scheduleNotices(r)}
${open ? html`<p class="notice notice-warn">${r.status === "withdrawn" ? `该信息已撤回，门户不再显示；本页显示正在办理的第${rev.revision_no}版，发布后重新公开。` : `门户当前显示第${r.current_revision_no}版；本页显示正在办理的第${rev.revision_no}版，发布后替换。`}</p>` : ""}
${findingsBlock(ctx, base, m.findings, m.can.draft || m.can.review || m.can.approve)}
${checksBlock(m.checks)}
<section aria-labelledby="h-actions" class="no-print"><h2 id="h-actions">办理</h2>
${actions.length ? actions : html`<p>当前没有您可以办理的操作。</p>`}</section>
<section aria-labelledby="h-due"><h2 id="h-due">公开时限</h2>
${r.due_date || r.due_explanation ? html`${r.late === true ? html`<p><span class="badge badge-err">逾期发布</span></p>` : r.late === false ? html`<p><span class="badge badge-ok">按时发布</span></p>` : ""}${dueText({ due: r.due_date, explanation: r.due_explanation, basis: r.due_basis, provisional: r.due_provisional, rule: null })}` : dueText(m.detail.duePreview)}
</section>
<section aria-labelledby="h-meta"><h2 id="h-meta">元数据</h2>${metaTable(c, r, m)}</section>
${
  m.detail.policies.length || m.detail.interpretations.length
    ? html`<section aria-labelledby="h-links"><h2 id="h-links">政策解读关联</h2>
${m.detail.policies.length ? html`<p>解读的政策文件：</p><ul>${m.detail.policies.map((p) => html`<li><a href="${adminRecordPath(p.id, m.agency.slug)}">${p.title}</a></li>`)}</ul>` : ""}
${m.detail.interpretations.length ? html`<p>本文件的解读：</p><ul>${m.detail.interpretations.map((p) => html`<li><a href="${adminRecordPath(p.id, m.agency.slug)}">${p.title}</a></li>`)}</ul>` : ""}</section>`
    : ""
}
<section aria-labelledby="h-body"><h2 id="h-body">正文</h2><div class="record-body">${raw(c.bodyHtml)}</div></section>
<section aria-labelledby="h-att"><h2 id="h-att">附件</h2>
${
  c.attachmentIds.length === 0
    ? html`<p>无附件。</p>`
    : html`<ul>${c.attachmentIds.map((aid) => {
        const a = m.detail.attachments.find((x) => x.id === aid);
        if (!a) return "";
        return html`<li><a href="${base}/attachments/${a.id}">${a.file_name}</a>（${a.file_type.toUpperCase()}，${formatSize(a.size_bytes)}，SHA-256 <code>${a.sha256.slice(0, 12)}…</code>）${
          status === "draft" && m.can.draft
            ? html` <form method="post" action="${base}/attachments/${a.id}/delete" class="inline">${csrfInput(ctx)}<button type="submit" class="link">删除</button></form>`
            : ""
        }</li>`;
      })}</ul>`
}
${
  status === "draft" && m.can.draft
    ? html`<form method="post" action="${base}/attachments" enctype="multipart/form-data" class="stack no-print">
${csrfInput(ctx)}
<div class="field"><label for="f-file">上传附件</label><p class="hint" id="f-file-hint">PDF、Word（doc/docx）、Excel（xls/xlsx）或图片（png/jpg/gif）；系统校验文件类型并记录校验值，文字内容参与个人信息检查。</p>
<input type="file" id="f-file" name="file" required aria-describedby="f-file-hint${errors.file ? " f-file-error" : ""}"${errors.file ? html` aria-invalid="true"` : ""} accept=".pdf,.doc,.docx,.xls,.xlsx,.png,.jpg,.jpeg,.gif">
${errors.file ? html`<p class="field-error" id="f-file-error">${errors.file}</p>` : ""}</div>
<p><button type="submit" class="secondary">上传</button></p></form>`
    : ""
}
</section>
${
  r.status === "published"
    ? html`<section aria-labelledby="h-ch"><h2 id="h-ch">其他渠道发布</h2>
${m.detail.channels.length ? html`<table><thead><tr><th scope="col">渠道</th><th scope="col">日期</th><th scope="col">凭证</th></tr></thead><tbody>${m.detail.channels.map((ch) => html`<tr><td>${ch.channel}</td><td>${date(ch.published_on)}</td><td>${ch.evidence}</td></tr>`)}</tbody></table>` : html`<p>尚未登记。</p>`}
${
  m.can.draft
    ? html`<form method="post" action="${base}/channels" class="stack no-print">${csrfInput(ctx)}
${listInput("channel", "渠道", "", errors, CHANNEL_SUGGESTIONS, "例如：政务微信公众号、公示栏。")}
${textField({ name: "publishedOn", label: "发布日期", type: "date", errors })}
${area("evidence", "凭证", "", errors, "链接、截图编号或现场照片说明。", 2)}
<p><button type="submit" class="secondary">登记</button></p></form>`
    : ""
}</section>`
    : ""
}
<section aria-labelledby="h-hist"><h2 id="h-hist">办理记录</h2>
<div class="table-scroll" tabindex="0" role="region" aria-label="办理记录（表格）"><table><thead><tr><th scope="col">时间</th><th scope="col">版本</th><th scope="col">操作</th><th scope="col">办理人</th><th scope="col">意见/理由</th></tr></thead>
<tbody>${m.detail.events.map(
      (e) =>
        html`<tr><td>${keepTokens(shanghaiDateTime(e.occurred_at))}</td><td>第${e.revision_no}版</td><td>${EVENT_LABELS[e.action] ?? e.action}</td><td>${e.actor_name ?? "系统"}</td><td>${e.reason ?? ""}</td></tr>`,
    )}</tbody></table></div></section>
${
  m.detail.revisions.length > 1
    ? html`<section aria-labelledby="h-rev"><h2 id="h-rev">版本</h2><ul>${m.detail.revisions.map(
        (v) =>
          html`<li>第${v.revision_no}版：${REVISION_STATUS_LABELS[v.status]}${v.published_at ? html`，${keepTokens(shanghaiDateTime(v.published_at))}发布` : ""}${v.change_note ? `（${v.change_note}）` : ""}</li>`,
      )}</ul></section>`
    : ""
}`,
  });
}
