/**
 * @module The staff page of one application: its facts, deadlines, register, notices and the form of every handling
 * step allowed in its state. Pure view. Personal data is shown masked unless the page model carries the decrypted
 * data (after an audited reveal).
 */
import type { Agency } from "../agencies/agency.service.ts";
import { formatChineseDate } from "../calendar/index.ts";
import { csrfInput, errorSummary, type FieldErrors, selectField, textField } from "../http/forms.ts";
import { type PageContext, page } from "../http/layout.ts";
import { dateToken, html, keepTokens, type SafeHtml } from "../shared/html.ts";
import { lateCorrectionNoticeText } from "./deadlines.ts";
import {
  applicantTypeLabel,
  crumbs,
  keyWarning,
  requestsBase,
  STATE_LABELS,
} from "./info-request.admin.views.ts";
import { outcomeLabel } from "./info-request.service.ts";
import {
  type ApplicantPersonalData,
  CASE_KINDS,
  CASE_RESULT_LABELS,
  CHANNELS,
  CONSULTATION_KINDS,
  CONSULTATION_RESULTS,
  DELIVERY_METHODS,
  EVENT_KINDS,
  FEE_BASES,
  FORMS,
  ID_TYPES,
  NOTICE_KINDS,
  STATUSES,
} from "./info-request.ts";
import { textareaField } from "./info-request.views.ts";
import type { InfoRequestDetail } from "./info-request-query.service.ts";
import { REPLY_TYPES } from "./outcome.rules.ts";
import { onlineLoopSection } from "./request-files.admin.views.ts";

// ---------------------------------------------------------------------------------------------------------------
// The application page
// ---------------------------------------------------------------------------------------------------------------

export interface StepError {
  step: string;
  errors: FieldErrors;
  message: string;
}

export interface DetailPageModel {
  agency: Agency;
  detail: InfoRequestDetail;
  personal: ApplicantPersonalData | null | undefined;
  departments: { id: string; name: string }[];
  handlers: { id: string; name: string }[];
  /** Items of the agency's published catalog (条例第44条 link). */
  catalogItems: { id: string; name: string }[];
  canHandle: boolean;
  canApprove: boolean;
  canReadPersonal: boolean;
  /** The signed-in user (a handler may withdraw the extension proposal they made). */
  userId?: string | undefined;
  today: string;
  done?: string | undefined;
  error?: StepError | undefined;
  keyMissing: boolean;
}

const DONE_TEXT: Record<string, string> = {
  created: "申请已登记。",
  "confirm-receipt": "已确认收到申请，答复期限开始计算。",
  assign: "已分办。",
  correction: "已发出补正告知书。",
  files: "已更新答复提供的信息。",
  "correction-received": "已登记补正，答复期限重新计算。",
  "correction-lapsed": "已按逾期未补正、视为放弃申请办结。",
  consultation: "已发出征求意见函，答复期限暂停计算。",
  "consultation-end": "征求意见已结束，答复期限恢复计算。",
  "extension-propose": "已提请延期，等待政府信息公开工作机构负责人批准。",
  "approve-extension": "已批准延期并生成延期答复告知书。",
  "withdraw-extension": "已撤回延期申请，答复期限不变。",
  reasons: "已要求申请人说明理由。",
  excessive: "已处理申请人说明的理由。",
  fee: "已发出收费通知书。",
  "fee-paid": "已登记缴费。",
  "fee-lapsed": "已按逾期未缴费、视为放弃申请办结。",
  reply: "已作出答复并生成答复告知书。",
  delivery: "已登记送达。",
  archive: "已归档。",
  catalog: "已更新关联的主动公开事项。",
  case: "已登记行政复议/行政诉讼。",
  "case-update": "已更新案件结果。",
};

function stepForm(
  m: DetailPageModel,
  ctx: PageContext,
  step: string,
  title: string,
  body: SafeHtml,
  options: { button?: string; danger?: boolean; action?: string; open?: boolean } = {},
): SafeHtml {
  const r = m.detail.request;
  const error = m.error?.step === step ? m.error : undefined;
  const action = options.action ?? `${requestsBase(m.agency)}/${r.id}/steps/${step}`;
  return html`<details class="step"${options.open || error ? html` open` : ""}><summary>${title}</summary>
${error ? errorSummary(error.errors, FIELD_LABELS_STEPS, error.message) : ""}
<form method="post" action="${action}" class="stack" novalidate>
${csrfInput(ctx)}<input type="hidden" name="version" value="${String(r.version)}">
${body}
<div><button type="submit"${options.danger ? html` class="danger"` : ""}>${options.button ?? title}</button></div>
</form></details>`;
}

const FIELD_LABELS_STEPS: Record<string, string> = {
  date: "日期",
  noticeOn: "告知日期",
  dueOn: "期限",
  items: "补正事项",
  receivedOn: "收到日期",
  kind: "类型",
  party: "被征求意见方",
  matters: "征求意见事项",
  sentOn: "发出日期",
  endedOn: "结束日期",
  result: "结果",
  days: "延长天数",
  reason: "理由",
  approvedOn: "批准日期",
  notifiedOn: "告知日期",
  decision: "处理方式",
  decidedOn: "决定日期",
  basis: "计收方式",
  units: "件数或页数",
  servedOn: "送达日期",
  paidOn: "缴费日期",
  amount: "金额",
  reply: "答复类型与办理结果",
  replyType: "答复类型",
  outcome: "办理结果",
  legalBasis: "法律依据",
  reasons: "理由",
  repliedOn: "答复日期",
  method: "送达方式",
  deliveredOn: "送达日期",
  proof: "送达凭证",
  archivedOn: "归档日期",
  catalogItemId: "事项编号",
  filedOn: "立案日期",
  concludedOn: "审结日期",
  version: "版本",
};

const date = (name: string, label: string, value: string, errors: FieldErrors, hint?: string) =>
  textField({ name, label, type: "date", value, errors, required: true, hint });

function replyOptions(): { value: string; label: string }[] {
  const out: { value: string; label: string }[] = [];
  for (const t of REPLY_TYPES) {
    if (t.systemOnly) continue;
    for (const o of t.outcomes) {
      out.push({
        value: `${t.code}:${o}`,
        label: `${t.article ? `条例${t.article}` : "其他"}：${t.label} → ${outcomeLabel(o)}`,
      });
    }
  }
  return out;
}

function actionsFor(ctx: PageContext, m: DetailPageModel): SafeHtml[] {
  const r = m.detail.request;
  const e = m.error?.errors ?? {};
  const t = m.today;
  const out: SafeHtml[] = [];
  if (!m.canHandle && !m.canApprove) return out;
  const s = r.status;
  if (m.canHandle) {
    if (s === "awaiting_confirmation") {
      out.push(
        stepForm(
          m,
          ctx,
          "confirm-receipt",
          r.channel === "post" ? "登记签收 / 确认收到" : "确认收到（双方确认）",
          html`${date("date", r.channel === "post" ? "签收或确认日期" : "双方确认日期", t, e, "条例第三十一条：收到申请之日。")}
${
  r.channel === "post"
    ? selectField({
        name: "how",
        label: "方式",
        value: "signed",
        options: [
          { value: "signed", label: "本机关签收（挂号信、快递）" },
          { value: "confirmed", label: "平常信函，已与申请人确认" },
        ],
      })
    : ""
}`,
          { open: true },
        ),
      );
    }
    if (s === "processing") {
      out.push(
        stepForm(
          m,
          ctx,
          "reply",
          "作出答复",
          html`${selectField({ name: "reply", label: "答复类型与办理结果（年度报告表三的一项）", value: "", errors: { reply: e.replyType ?? e.outcome ?? "" }, required: true, options: replyOptions(), emptyLabel: "请选择" })}
${textField({ name: "legalBasis", label: "法律依据", value: "", errors: e, hint: "留空则按所选结果引用标准条款。" })}
${textareaField({ name: "reasons", label: "理由或补充说明", errors: e, rows: 4, maxlength: 5000, hint: "不予公开、部分公开、由其他机关负责公开的，应当说明理由。" })}
${date("repliedOn", "答复日期", t, e)}`,
          { open: true },
        ),
        m.detail.corrections.length > 0
          ? html`<p class="hint">已于${formatChineseDate(m.detail.corrections[0]?.notice_on ?? "")}告知补正：条例第三十条要求一次性告知，不能再次要求补正。补正后申请内容仍不明确的，请在“作出答复”中选择“无法提供——补正后申请内容仍不明确”。</p>`
          : stepForm(
              m,
              ctx,
              "correction",
              m.detail.correctionNoticeLateToday
                ? `补正告知（条例第三十条；已逾期${m.detail.correctionNoticeLateToday.lateWorkingDays}个工作日）`
                : "补正告知（条例第三十条）",
              html`${m.detail.correctionNoticeLateToday ? html`<p class="notice notice-warn" role="status">${keepTokens(lateCorrectionNoticeText(m.detail.correctionNoticeLateToday.due, m.detail.correctionNoticeLateToday.lateWorkingDays, false))}</p>` : ""}
${textareaField({ name: "items", label: "需要补正的全部事项（一次性告知）", errors: e, rows: 4, required: true, maxlength: 2000 })}
${date("noticeOn", "告知日期", t, e)}
${textField({ name: "dueOn", label: "补正期限", type: "date", value: "", errors: e, hint: `留空则为告知日期后${m.detail.settings.correctionDays}个工作日。` })}`,
              { button: "发出补正告知" },
            ),
        stepForm(
          m,
          ctx,
          "consultation",
          "征求第三方或其他机关意见（条例第三十二条、第三十四条）",
          html`${selectField({ name: "kind", label: "征求对象", value: "third_party", errors: e, options: Object.entries(CONSULTATION_KINDS).map(([value, label]) => ({ value, label })) })}
${textField({ name: "party", label: "被征求意见方名称", errors: e, required: true, maxlength: 200 })}
${textareaField({ name: "matters", label: "征求意见的事项", errors: e, rows: 3, required: true, maxlength: 2000 })}
${date("sentOn", "发函日期", t, e)}`,
        ),
        stepForm(
          m,
          ctx,
          "reasons",
          "要求说明理由（条例第三十五条）",
          html`${date("sentOn", "发出日期", t, e)}${textareaField({ name: "note", label: "说明", errors: e, rows: 2, maxlength: 1000 })}
<p class="hint">同一申请人近30日内提出申请 ${m.detail.applicantRecentCount} 件。</p>`,
        ),
        stepForm(
          m,
          ctx,
          "fee",
          "收费通知（国办函〔2020〕109号）",
          html`${selectField({ name: "basis", label: "计收方式（只能选择一种）", value: "per_page", errors: e, options: Object.entries(FEE_BASES).map(([value, label]) => ({ value, label })) })}
${textField({ name: "units", label: "件数（按件）或页数（按量）", type: "number", value: "1", errors: e, required: true, hint: "按件：本申请按“一事一申请”计为几件，系统按申请人本月累计件数计算；按量：提供信息的页数。" })}
${date("servedOn", "送达日期", t, e)}`,
        ),
      );
    }
    if (s === "correction") {
      out.push(
        stepForm(
          m,
          ctx,
          "correction-received",
          "登记收到补正（答复期限重新计算）",
          date("receivedOn", "收到补正的日期", t, e),
          {
            open: true,
          },
        ),
        stepForm(
          m,
          ctx,
          "correction-lapsed",
          "逾期未补正，视为放弃申请",
          html`<p class="hint">补正期限届满后方可办理，将生成告知书。</p>`,
          {
            danger: true,
          },
        ),
      );
    }
    if (s === "consultation") {
      out.push(
        stepForm(
          m,
          ctx,
          "consultation-end",
          "登记征求意见结果",
          html`${selectField({ name: "result", label: "结果", value: "consent", errors: e, options: Object.entries(CONSULTATION_RESULTS).map(([value, label]) => ({ value, label })) })}
${date("endedOn", "收到意见或期满日期", t, e)}${textareaField({ name: "note", label: "意见摘要", errors: e, rows: 2, maxlength: 2000 })}`,
          { open: true },
        ),
      );
    }
    if (s === "reasons_requested") {
      out.push(
        stepForm(
          m,
          ctx,
          "excessive",
          "处理申请人说明的理由（条例第三十五条）",
          html`${selectField({
            name: "decision",
            label: "处理方式",
            value: "continue",
            errors: e,
            options: [
              { value: "continue", label: "理由合理，按期答复" },
              { value: "deferral", label: "理由合理，确定延迟答复期限" },
              { value: "not_processed", label: "理由不合理，不予处理" },
            ],
          })}
${date("decidedOn", "决定日期", t, e)}
${textField({ name: "dueOn", label: "延迟答复期限（选择延迟答复时填写）", type: "date", value: "", errors: e })}
${textareaField({ name: "reasons", label: "说明", errors: e, rows: 2, maxlength: 2000 })}`,
          { open: true },
        ),
      );
    }
    if (s === "fee_pending") {
      out.push(
        stepForm(
          m,
          ctx,
          "fee-paid",
          "登记缴费",
          html`${date("paidOn", "缴费日期", t, e)}${textField({ name: "amount", label: "缴费金额（元）", type: "number", value: "", errors: e, hint: "留空为通知金额。" })}`,
          {
            open: true,
          },
        ),
        stepForm(
          m,
          ctx,
          "fee-lapsed",
          "逾期未缴费，视为放弃申请",
          html`<p class="hint">缴费期限届满后方可办理，将生成告知书。</p>`,
          {
            danger: true,
          },
        ),
      );
    }
    if (["processing", "consultation", "fee_pending"].includes(s) && r.status !== "archived") {
      const detail = m.detail;
      // The current proposal (a withdrawn one may be proposed again), not the register's history.
      const proposed = r.extensionDays !== null;
      if (!proposed && !detail.deadlines.deadlines.some((d) => d.label.includes("延迟答复"))) {
        out.push(
          stepForm(
            m,
            ctx,
            "extension-propose",
            "提请延期答复（条例第三十三条）",
            html`${textField({ name: "days", label: "延长工作日数（最多20个）", type: "number", value: "20", errors: e, required: true })}
${textareaField({ name: "reason", label: "延期理由", errors: e, rows: 2, required: true, maxlength: 500 })}`,
          ),
        );
      }
    }
    if (
      ["processing", "correction", "consultation", "reasons_requested", "fee_pending"].includes(s) &&
      s !== "processing"
    ) {
      out.push(
        stepForm(
          m,
          ctx,
          "reply",
          "申请人撤回申请（其他处理）",
          html`<input type="hidden" name="reply" value="other:other_other">
${textField({ name: "legalBasis", label: "依据", value: "申请人书面撤回申请", errors: e })}
${textareaField({ name: "reasons", label: "说明", errors: e, rows: 2, maxlength: 2000 })}
${date("repliedOn", "办结日期", t, e)}`,
          { danger: true },
        ),
      );
    }
    if (s === "concluded") {
      out.push(
        stepForm(
          m,
          ctx,
          "delivery",
          "登记送达",
          html`${selectField({ name: "method", label: "送达方式", value: r.delivery, errors: e, options: Object.entries(DELIVERY_METHODS).map(([value, label]) => ({ value, label })) })}
${date("deliveredOn", "送达日期", t, e)}${textField({ name: "proof", label: "送达凭证", errors: e, maxlength: 500, hint: "如邮件单号、签收回执、电子邮件发送记录。" })}`,
          { open: !r.deliveredOn },
        ),
        stepForm(m, ctx, "archive", "归档（条例第四十五条）", date("archivedOn", "归档日期", t, e)),
      );
    }
    if (s !== "archived") {
      out.push(
        stepForm(
          m,
          ctx,
          "assign",
          "分办",
          html`${selectField({ name: "departmentId", label: "内设机构", value: r.departmentId ?? "", errors: e, options: m.departments.map((d) => ({ value: d.id, label: d.name })), emptyLabel: "（未分办）" })}
${selectField({ name: "assigneeId", label: "经办人", value: r.assigneeId ?? "", errors: e, options: m.handlers.map((h) => ({ value: h.id, label: h.name })), emptyLabel: "（未指定）" })}`,
        ),
      );
    }
    out.push(
      stepForm(
        m,
        ctx,
        "catalog",
        "关联主动公开事项（条例第四十四条）",
        m.catalogItems.length
          ? selectField({
              name: "catalogItemId",
              label: "主动公开事项",
              value: r.catalogItemId ?? "",
              errors: e,
              options: m.catalogItems.map((i) => ({ value: i.id, label: i.name })),
              emptyLabel: "（不关联）",
              hint: "同一信息被多次申请的，可以纳入主动公开范围。",
            })
          : textField({
              name: "catalogItemId",
              label: "目录事项编号（留空取消关联）",
              value: r.catalogItemId ?? "",
              errors: e,
              hint: "本机关尚未发布主动公开事项目录。",
            }),
      ),
    );
  }
  const pending =
    r.extensionDays !== null && r.extensionProposedOn !== null && r.extensionApprovedOn === null;
  const proposal = m.detail.events.filter((ev) => ev.kind === "extension_proposed").pop();
  const pendingText = pending
    ? `${formatChineseDate(r.extensionProposedOn ?? "")}${proposal?.actor_name ? `由${proposal.actor_name}` : ""}提请延期${r.extensionDays}个工作日：${r.extensionReason ?? ""}`
    : "";
  if (pending && (m.canApprove || (m.canHandle && proposal?.actor_id === m.userId))) {
    out.unshift(
      stepForm(
        m,
        ctx,
        "withdraw-extension",
        "撤回延期申请",
        html`<p>${pendingText}</p>
${textareaField({ name: "reason", label: "撤回理由", errors: e, rows: 2, maxlength: 500, hint: "撤回后答复期限不变；撤回记入办理记录和审计日志。" })}`,
        { action: `${requestsBase(m.agency)}/${r.id}/withdraw-extension`, button: "撤回延期申请" },
      ),
    );
  }
  if (m.canApprove && pending && ["processing", "consultation", "fee_pending"].includes(s)) {
    out.unshift(
      stepForm(
        m,
        ctx,
        "approve-extension",
        "批准延期答复（政府信息公开工作机构负责人）",
        html`<p>${pendingText}</p>${date("approvedOn", "批准日期", t, e)}${textField({ name: "notifiedOn", label: "告知申请人日期", type: "date", value: t, errors: e })}`,
        { open: true, action: `${requestsBase(m.agency)}/${r.id}/approve-extension` },
      ),
    );
  }
  return out;
}

function personalBlock(ctx: PageContext, m: DetailPageModel): SafeHtml {
  const r = m.detail.request;
  const p = m.personal;
  if (r.personalPurgedOn)
    return html`<p class="hint">申请人个人信息已于${r.personalPurgedOn}按保存期限删除。</p>`;
  if (p) {
    return html`<dl class="facts personal" aria-label="申请人完整信息（已记录查看日志）">
<dt>姓名或名称</dt><dd>${p.name}</dd>
<dt>${ID_TYPES[r.idType]}</dt><dd>${p.idNumber}</dd>
<dt>联系电话</dt><dd>${p.phone ?? "—"}</dd>
<dt>电子邮箱</dt><dd>${p.email ?? "—"}</dd>
<dt>通信地址</dt><dd>${p.address ?? "—"}${p.postalCode ? `（${p.postalCode}）` : ""}</dd>
</dl><p class="hint">本次查看已记入审计日志。</p>`;
  }
  return html`<dl class="facts">
<dt>申请人</dt><dd>${r.applicantDisplay}（${applicantTypeLabel(r.applicantType)}）</dd>
<dt>${ID_TYPES[r.idType]}</dt><dd>${r.idMasked}</dd>
<dt>联系电话</dt><dd>${r.phoneMasked ?? "—"}</dd>
</dl>
${m.canReadPersonal && !m.keyMissing ? html`<form method="post" action="${requestsBase(m.agency)}/${r.id}/personal" class="inline">${csrfInput(ctx)}<button type="submit" class="secondary">查看完整身份信息和联系方式（将记录审计日志）</button></form>` : ""}`;
}

export function detailPage(ctx: PageContext, m: DetailPageModel): SafeHtml {
  const d = m.detail;
  const r = d.request;
  const base = requestsBase(m.agency);
  const conflict = m.error?.step === "conflict";
  return page(ctx, {
    title: `申请 ${r.number}`,
    area: "staff",
    breadcrumbs: crumbs(m.agency, { label: r.number }),
    body: html`<h1>申请 ${r.number} <small class="subtitle">${STATUSES[r.status]}</small></h1>
${m.done && DONE_TEXT[m.done] ? html`<p class="notice notice-ok" role="status">${DONE_TEXT[m.done]}</p>` : ""}
${conflict ? html`<p class="notice notice-error" role="alert">${m.error?.message}（错误代码 info_request_conflict）</p>` : ""}
${m.error && !conflict && !Object.keys(m.error.errors).length ? html`<p class="notice notice-error" role="alert">${m.error.message}</p>` : ""}
${keyWarning(m.keyMissing)}
<section aria-labelledby="dl-h"><h2 id="dl-h">期限${d.deadlines.overdue ? html` <span class="badge badge-err">已逾期</span>` : ""}</h2>
${d.deadlines.deadlines
  .filter((x) => x.warning)
  .map((x) => html`<p class="notice notice-warn" role="status">${x.warning}</p>`)}
${
  d.deadlines.deadlines.length === 0
    ? html`<p>尚未确认收到申请，答复期限尚未开始计算（条例第三十一条）。</p>`
    : html`<div class="table-scroll"><table><thead><tr><th scope="col">期限</th><th scope="col">截止日期</th><th scope="col">状态</th><th scope="col">计算过程</th></tr></thead><tbody>${d.deadlines.deadlines.map(
        (
          x,
        ) => html`<tr><th scope="row">${x.label}</th><td>${dateToken(x.due ? formatChineseDate(x.due) : null, "—")}${x.provisional ? html` <span class="badge badge-warn">暂定</span>` : ""}</td><td>${x.optional && x.state === "open" ? "如需补正，应在此日前告知" : STATE_LABELS[x.state]}${x.overdue ? html` <span class="badge badge-err">已逾期</span>` : ""}</td>
<td><details><summary>依据：${x.article}</summary><ol>${x.explanation.map((line) => html`<li>${keepTokens(line)}</li>`)}</ol></details></td></tr>`,
      )}</tbody></table></div>`
}
${d.deadlines.originalReplyDue ? html`<p class="hint">延期前的答复期限：${dateToken(formatChineseDate(d.deadlines.originalReplyDue))}</p>` : ""}
</section>
<section aria-labelledby="ap-h"><h2 id="ap-h">申请人</h2>${personalBlock(ctx, m)}</section>
<section aria-labelledby="ct-h"><h2 id="ct-h">申请内容</h2>
<dl class="facts">
<dt>所需信息</dt><dd>${r.infoTitle}</dd>
${r.infoDocNumber ? html`<dt>文号</dt><dd>${r.infoDocNumber}</dd>` : ""}
${r.infoDescription ? html`<dt>描述</dt><dd class="pre">${r.infoDescription}</dd>` : ""}
<dt>提供形式 / 获取方式</dt><dd>${FORMS[r.form]} / ${DELIVERY_METHODS[r.delivery]}</dd>
<dt>渠道</dt><dd>${CHANNELS[r.channel]}${r.filledByStaff ? "（工作人员代为填写）" : ""}</dd>
<dt>收到申请之日</dt><dd>${dateToken(r.receivedOn ? formatChineseDate(r.receivedOn) : null, "待确认")}${r.receiptBasis ? html`<br><span class="hint">${r.receiptBasis}</span>` : ""}</dd>
${r.outcome ? html`<dt>办理结果</dt><dd>${outcomeLabel(r.outcome)}（${dateToken(r.repliedOn ? formatChineseDate(r.repliedOn) : null)}）<br><span class="hint">依据：${r.legalBasis ?? ""}</span></dd>` : ""}
${r.deliveredOn ? html`<dt>送达</dt><dd>${dateToken(formatChineseDate(r.deliveredOn))} ${r.deliveryActual ? DELIVERY_METHODS[r.deliveryActual] : ""} ${r.deliveryProof ?? ""}</dd>` : ""}
</dl></section>
<section aria-labelledby="act-h"><h2 id="act-h">办理</h2>
${actionsFor(ctx, m)}
</section>
<section aria-labelledby="nt-h"><h2 id="nt-h">告知书与函件</h2>
${
  d.notices.length === 0
    ? html`<p>尚未生成告知书。</p>`
    : html`<ul>${d.notices.map(
        (n) => html`<li>${n.title}（${n.doc_number}，${formatChineseDate(n.issued_on)}）：
${m.canReadPersonal ? html`<a href="${base}/${r.id}/notices/${n.id}.docx">下载 Word</a> · <a href="${base}/${r.id}/notices/${n.id}.html">打印版</a>` : html`<span class="hint">${NOTICE_KINDS[n.kind]}</span>`}</li>`,
      )}</ul>`
}
</section>
${onlineLoopSection(ctx, { base, requestId: r.id, status: r.status, files: d.files, corrections: d.corrections, access: d.access, messages: d.messages, canHandle: m.canHandle, canReadPersonal: m.canReadPersonal })}
<section aria-labelledby="tl-h"><h2 id="tl-h">办理记录</h2>
<ol class="timeline">${d.events.map(
      (ev) =>
        html`<li><span class="date">${ev.on_date}</span> ${EVENT_KINDS[ev.kind as keyof typeof EVENT_KINDS] ?? ev.kind}${ev.actor_name ? `（${ev.actor_name}）` : ""}${ev.note ? html`：${ev.note}` : ""}${ev.public ? "" : html` <span class="hint">[内部]</span>`}</li>`,
    )}</ol></section>
<section aria-labelledby="sim-h"><h2 id="sim-h">相似申请（条例第四十四条）</h2>
${
  d.similar.length === 0
    ? html`<p>本机关没有与本申请相似的其他申请。</p>`
    : html`<p class="hint">多个申请人申请相同信息的，可以纳入主动公开范围。</p><ul>${d.similar.map(
        (s) =>
          html`<li><a href="${base}/${s.id}">${s.number}</a> ${s.title}（相似度 ${s.similarity}${s.sameApplicant ? "，同一申请人" : ""}${s.outcome ? `，${outcomeLabel(s.outcome)}` : ""}${s.catalogItemId ? "，已关联主动公开事项" : ""}）</li>`,
      )}</ul>`
}
</section>
<section aria-labelledby="case-h"><h2 id="case-h">行政复议与行政诉讼</h2>
${
  d.cases.length
    ? html`<ul>${d.cases.map(
        (
          c,
        ) => html`<li>${CASE_KINDS[c.kind]}：${c.body} ${c.caseNumber}，${formatChineseDate(c.filedOn)}立案，结果：${CASE_RESULT_LABELS[c.result]}${c.concludedOn ? `（${formatChineseDate(c.concludedOn)}）` : ""}
${
  m.canHandle
    ? html`<form method="post" action="${base}/${r.id}/cases/${c.id}" class="inline-form">${csrfInput(ctx)}<input type="hidden" name="version" value="${String(c.version)}">
<label for="res-${c.id}">结果</label><select id="res-${c.id}" name="result">${Object.entries(CASE_RESULT_LABELS).map(([k, v]) => html`<option value="${k}"${k === c.result ? html` selected` : ""}>${v}</option>`)}</select>
<label for="con-${c.id}">审结日期</label><input type="date" id="con-${c.id}" name="concludedOn" value="${c.concludedOn ?? m.today}">
<button type="submit" class="secondary">更新</button></form>`
    : ""
}</li>`,
      )}</ul>`
    : html`<p>没有针对本申请答复的行政复议或行政诉讼。</p>`
}
${
  m.canHandle && (r.status === "concluded" || r.status === "archived")
    ? stepForm(
        m,
        ctx,
        "case",
        "登记行政复议或行政诉讼",
        html`${selectField({ name: "kind", label: "类型", value: "review", options: Object.entries(CASE_KINDS).map(([value, label]) => ({ value, label })) })}
${textField({ name: "body", label: "复议机关或人民法院", maxlength: 200 })}
${textField({ name: "caseNumber", label: "案号", maxlength: 100 })}
${date("filedOn", "立案（受理）日期", m.today, m.error?.errors ?? {})}`,
        { action: `${base}/${r.id}/cases` },
      )
    : ""
}
</section>
<p class="hint">记录版本 ${String(r.version)}（两人同时修改时，后提交的一方将收到冲突提示）。</p>`,
  });
}
