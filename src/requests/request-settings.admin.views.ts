/**
 * @module Staff pages for an agency's application settings: notice templates (list, edit) and request settings
 * (fees, retention, clock rules). Pure views.
 */
import type { Agency } from "../agencies/agency.service.ts";
import { csrfInput, errorSummary, type FieldErrors, textField } from "../http/forms.ts";
import { type PageContext, page } from "../http/layout.ts";
import { html, type SafeHtml } from "../shared/html.ts";
import { crumbs, keyWarning, requestsBase, subnav } from "./info-request.admin.views.ts";
import type { RequestSettings } from "./info-request.service.ts";
import { textareaField } from "./info-request.views.ts";
import { PLACEHOLDERS } from "./notices.rules.ts";
import type { NoticeTemplate } from "./notices.service.ts";

// ---------------------------------------------------------------------------------------------------------------
// Templates and settings
// ---------------------------------------------------------------------------------------------------------------

export function templatesPage(
  ctx: PageContext,
  m: { agency: Agency; templates: NoticeTemplate[] },
): SafeHtml {
  const base = requestsBase(m.agency);
  return page(ctx, {
    title: "告知书模板",
    area: "staff",
    breadcrumbs: crumbs(m.agency, { label: "告知书模板" }),
    body: html`${subnav(m.agency, "templates")}
<h1>告知书模板</h1>
<p>各类告知书按本机关模板生成，格式为公文信函（GB/T 9704-2012）。未修改的使用系统默认模板。</p>
<table><thead><tr><th scope="col">模板</th><th scope="col">标题</th><th scope="col">状态</th></tr></thead>
<tbody>${m.templates.map(
      (t) =>
        html`<tr><td><a href="${base}/templates/${t.kind}">${t.label}</a></td><td>${t.title}</td><td>${t.customized ? "本机关已修改" : "默认"}</td></tr>`,
    )}</tbody></table>`,
  });
}

export function templateEditPage(
  ctx: PageContext,
  m: { agency: Agency; template: NoticeTemplate; errors: FieldErrors; saved: boolean; body?: string },
): SafeHtml {
  const base = requestsBase(m.agency);
  return page(ctx, {
    title: `模板：${m.template.label}`,
    area: "staff",
    breadcrumbs: crumbs(
      m.agency,
      { href: `${base}/templates`, label: "告知书模板" },
      { label: m.template.label },
    ),
    body: html`${subnav(m.agency, "templates")}
<h1>${m.template.label}</h1>
${m.saved ? html`<p class="notice notice-ok" role="status">模板已保存。</p>` : ""}
${errorSummary(m.errors, { body: "模板内容" })}
<form method="post" action="${base}/templates/${m.template.kind}" class="stack wide">
${csrfInput(ctx)}
${textareaField({ name: "body", label: "模板内容", value: m.body ?? m.template.body, errors: m.errors, rows: 22, maxlength: 20000, hint: "段落之间空一行；第一段以“：”结尾的为主送对象。清空后保存可恢复默认模板。" })}
<div><button type="submit">保存</button></div>
</form>
<section aria-labelledby="ph-h"><h2 id="ph-h">可用的占位符</h2><dl class="facts">${Object.entries(
      PLACEHOLDERS,
    ).map(([k, v]) => html`<dt><code>{{${k}}}</code></dt><dd>${v}</dd>`)}</dl></section>`,
  });
}

export function settingsPage(
  ctx: PageContext,
  m: { agency: Agency; settings: RequestSettings; errors: FieldErrors; saved: boolean; keyMissing: boolean },
): SafeHtml {
  const s = m.settings;
  const e = m.errors;
  return page(ctx, {
    title: "依申请公开设置",
    area: "staff",
    breadcrumbs: crumbs(m.agency, { label: "设置" }),
    body: html`${subnav(m.agency, "settings")}
<h1>依申请公开设置</h1>
${m.saved ? html`<p class="notice notice-ok" role="status">设置已保存。</p>` : ""}
${
  m.keyMissing
    ? keyWarning(true)
    : html`<p class="notice notice-ok">个人信息加密：已配置（AES-256-GCM，密钥保存在服务器配置中，不在数据库中）。</p>`
}
${errorSummary(e)}
<form method="post" action="${requestsBase(m.agency)}/settings" class="stack">
${csrfInput(ctx)}
<p class="hint">告知书载明的工作机构名称、联系地址、联系电话、行政复议机关和管辖人民法院取自本机关<a href="/admin/agencies/${m.agency.slug}/guide">政府信息公开指南</a>（一处填写，各类告知书和指南一致）；未填写完整时不能生成告知书。</p>
${textField({ name: "docPrefix", label: "告知书发文机关代字", value: s.docPrefix, errors: e, maxlength: 30, hint: "文号形如“代字〔2025〕12号”。" })}
${textField({ name: "correctionDays", label: "默认补正期限（工作日）", type: "number", value: String(s.correctionDays), errors: e })}
${textField({ name: "retentionYears", label: "申请人个人信息保存期限（归档后年数）", type: "number", value: String(s.retentionYears), errors: e, hint: "期满后删除申请人身份证明和联系方式，申请记录和统计数据保留。" })}
${textareaField({ name: "feePaymentMethod", label: "信息处理费缴费方式", value: s.feePaymentMethod, errors: e, rows: 2, maxlength: 500 })}
<div class="field"><input type="checkbox" id="f-feePausesClock" name="feePausesClock" value="on"${s.feePausesClock ? html` checked` : ""}><label class="inline" for="f-feePausesClock">收费通知送达至缴费期间不计入答复期限（默认）</label>
<p class="hint">申请人自收到收费通知次日起有20个工作日缴费（国办函〔2020〕109号），逾期视为放弃申请。缴费期间如计入20个工作日的答复期限，第15日送达收费通知时本机关须在第20日前答复，而申请人可缴费至第35日，因此默认不计入。修改后，所有未办结申请的期限立即重新计算。</p></div>
<fieldset><legend>收到之日为休息日时</legend>
<p class="hint">条例第三十一条以提交、签收或双方确认之日为收到申请之日，未规定该日为休息日时如何计算。本机关采用的规则写入每项期限的计算过程。</p>
<div class="field"><input type="radio" id="f-rdr-receipt" name="restDayReceipt" value="receipt_day"${s.restDayReceipt === "receipt_day" ? html` checked` : ""}><label class="inline" for="f-rdr-receipt">以收到之日为第0日，次日起算（默认）</label></div>
<div class="field"><input type="radio" id="f-rdr-next" name="restDayReceipt" value="next_working_day"${s.restDayReceipt === "next_working_day" ? html` checked` : ""}><label class="inline" for="f-rdr-next">以收到之日后的第一个工作日为第0日</label></div>
</fieldset>
<fieldset><legend>通知申请人和提醒经办人</legend>
<p class="hint">申请人在收到申请、要求补正、延长答复期限和作出答复时收到电子邮件（配置短信网关时也发短信）。免打扰时段内不发送，消息排队到时段结束后发出（北京时间，整点）。</p>
${textField({ name: "quietFrom", label: "免打扰开始（时）", type: "number", value: String(s.quietFrom), errors: e, hint: "0–23；开始与结束相同表示不设免打扰。" })}
${textField({ name: "quietUntil", label: "免打扰结束（时）", type: "number", value: String(s.quietUntil), errors: e })}
${textField({ name: "reminderDays", label: "期限届满前提前提醒经办人（工作日）", type: "number", value: String(s.reminderDays), errors: e, hint: "1–10；此外在到期当日和逾期后各提醒一次。" })}
</fieldset>
<div><button type="submit">保存</button></div>
</form>`,
  });
}
