/**
 * @module Public pages of applications (依申请公开): the application form with the "先查一查" step (条例第36条
 * 第（一）项), the receipt with the 查询码, and the applicant's status page. Pure views: no I/O.
 * Works without JavaScript; /static/apply.js (no inline script) adds a live list of published records.
 */
import type { Agency } from "../agencies/agency.service.ts";
import { csrfInput, errorSummary, type FieldErrors, fieldId, selectField, textField } from "../http/forms.ts";
import { type PageContext, page } from "../http/layout.ts";
import { agencyCrumbs, agencyNav, agencyPath } from "../http/public-layout.ts";
import { APPLICANT_TYPES } from "../legal/annual-report-codes.ts";
import { html, type SafeHtml } from "../shared/html.ts";
import { FORM_DELIVERY_HINT } from "./applicant.rules.ts";
import { DELIVERY_METHODS, FORMS, ID_TYPES } from "./info-request.ts";
import { formatQueryCode } from "./personal-data.ts";
import type { PossibleAnswer } from "./possible-answers.service.ts";

export const FIELD_LABELS: Record<string, string> = {
  applicantType: "申请人类型",
  name: "姓名或名称",
  idType: "证件类型",
  idNumber: "证件号码",
  phone: "联系电话",
  email: "电子邮箱",
  address: "通信地址",
  postalCode: "邮政编码",
  infoTitle: "所需信息的名称",
  infoDocNumber: "文号",
  infoDescription: "所需信息的其他特征描述",
  form: "信息的提供形式",
  delivery: "获取信息的方式",
  channel: "申请渠道",
  submittedOn: "提交（收到）日期",
  signedForOn: "签收日期",
  confirmedOn: "确认日期",
};

export type FormValues = Record<string, string>;

export function applicantTypeField(values: FormValues, errors: FieldErrors): SafeHtml {
  const error = errors.applicantType;
  const current = values.applicantType ?? "natural_person";
  const radio = (code: string, label: string) =>
    html`<li><input type="radio" name="applicantType" id="${fieldId(`applicantType-${code}`)}" value="${code}"${code === current ? html` checked` : ""}><label class="inline" for="${fieldId(`applicantType-${code}`)}">${label}</label></li>`;
  return html`<fieldset class="field" id="${fieldId("applicantType")}"${error ? html` aria-describedby="${fieldId("applicantType")}-error"` : ""}>
<legend>申请人类型 <span aria-hidden="true">*</span></legend>
<p class="hint">申请人类型用于本机关政府信息公开工作年度报告的统计。</p>
<ul class="choice-list">
${radio("natural_person", "自然人")}
<li><span class="choice-group">法人或其他组织：</span><ul class="choice-list">${APPLICANT_TYPES.filter((t) => t.organisation).map((t) => radio(t.code, t.label))}</ul></li>
</ul>
${error ? html`<p class="field-error" id="${fieldId("applicantType")}-error">${error}</p>` : ""}
</fieldset>`;
}

export function textareaField(o: {
  name: string;
  label: string;
  value?: string | undefined;
  errors?: FieldErrors;
  hint?: string;
  required?: boolean;
  rows?: number;
  maxlength?: number;
}): SafeHtml {
  const id = fieldId(o.name);
  const error = o.errors?.[o.name];
  const desc = [o.hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return html`<div class="field">
<label for="${id}">${o.label}${o.required ? html` <span aria-hidden="true">*</span>` : ""}</label>
${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ""}
<textarea id="${id}" name="${o.name}" rows="${String(o.rows ?? 4)}"${o.maxlength ? html` maxlength="${String(o.maxlength)}"` : ""}${o.required ? html` required aria-required="true"` : ""}${error ? html` aria-invalid="true"` : ""}${desc ? html` aria-describedby="${desc}"` : ""}>${o.value ?? ""}</textarea>
${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : ""}
</div>`;
}

const opts = (o: Record<string, string>) => Object.entries(o).map(([value, label]) => ({ value, label }));

/** The fields of 条例第29条 (shared by the public form and the staff entry form). */
export function applicationFields(
  values: FormValues,
  errors: FieldErrors,
  options: { staff: boolean },
): SafeHtml {
  return html`<fieldset><legend>申请人信息</legend>
${applicantTypeField(values, errors)}
${textField({ name: "name", label: "姓名或名称", value: values.name, errors, required: true, autocomplete: options.staff ? "off" : "name", maxlength: 100, hint: "自然人填写姓名；法人或其他组织填写单位全称。" })}
${selectField({ name: "idType", label: "身份证明（证件类型）", value: values.idType ?? "resident_id", errors, required: true, options: opts(ID_TYPES), hint: "法人或其他组织请选择统一社会信用代码。" })}
${textField({ name: "idNumber", label: "证件号码", value: values.idNumber, errors, required: true, autocomplete: "off", maxlength: 40, hint: "仅用于核验申请人身份，加密保存，不对外公开。" })}
${textField({ name: "phone", label: "联系电话", type: "tel", value: values.phone, errors, required: !options.staff, autocomplete: options.staff ? "off" : "tel", maxlength: 30, hint: options.staff ? "查询办理进度需要联系电话后四位；来信未留电话的可不填。" : "查询办理进度时需要输入电话号码后四位。" })}
${textField({ name: "email", label: "电子邮箱", type: "email", value: values.email, errors, autocomplete: options.staff ? "off" : "email", maxlength: 200 })}
${textField({ name: "address", label: "通信地址", value: values.address, errors, autocomplete: options.staff ? "off" : "street-address", maxlength: 200, hint: "选择邮寄的，请填写详细地址。" })}
${textField({ name: "postalCode", label: "邮政编码", value: values.postalCode, errors, autocomplete: options.staff ? "off" : "postal-code", maxlength: 6, inputmode: "numeric" })}
</fieldset>
<fieldset><legend>所需信息</legend>
${textField({ name: "infoTitle", label: "所需信息的名称", value: values.infoTitle, errors, required: true, maxlength: 200, hint: "请尽量写明信息的名称，例如“2024年度就业补助资金分配结果”。" })}
${textField({ name: "infoDocNumber", label: "文号", value: values.infoDocNumber, errors, maxlength: 100, hint: "知道文号的请填写，例如“×人社发〔2024〕12号”。" })}
${textareaField({ name: "infoDescription", label: "所需信息的其他特征描述", value: values.infoDescription, errors, rows: 4, maxlength: 2000, hint: "如信息的形成时间、制作机关、涉及的项目等，有助于准确查找。" })}
${selectField({ name: "form", label: "信息的指定提供形式", value: values.form ?? "electronic", errors, required: true, options: opts(FORMS) })}
${selectField({ name: "delivery", label: "获取信息的方式", value: values.delivery ?? "online", errors, required: true, options: opts(DELIVERY_METHODS), hint: FORM_DELIVERY_HINT })}
</fieldset>`;
}

export function possibleAnswersList(agency: Agency, answers: PossibleAnswer[] | null): SafeHtml {
  return html`<section id="possible-answers" class="possible-answers" aria-live="polite" aria-labelledby="pa-h"${answers === null ? html` hidden` : ""}>
<h2 id="pa-h">本机关已公开的信息中可能有您需要的内容</h2>
${
  answers?.length
    ? html`<p class="hint">以下信息已经主动公开，可直接查阅（条例第三十六条第（一）项）；如仍需申请，请继续填写。</p>
<ul class="answer-list">${answers.map((a) => html`<li><a href="${a.url}">${a.title}</a>${a.docNumber ? html` <span class="hint">${a.docNumber}</span>` : ""}${a.publishedDate ? html` <span class="hint">${a.publishedDate}</span>` : ""}</li>`)}</ul>`
    : html`<p>未找到相关的已公开信息。您可以<a href="${agencyPath(agency, "search")}">检索本机关公开的信息</a>，或继续提交申请。</p>`
}
</section>`;
}

export interface ApplyPageModel {
  agency: Agency;
  values: FormValues;
  errors: FieldErrors;
  errorMessage?: string | undefined;
  answers: PossibleAnswer[] | null;
  keyMissing: boolean;
}

export function applyPage(ctx: PageContext, m: ApplyPageModel): SafeHtml {
  const { agency } = m;
  const suggestUrl = agencyPath(agency, "apply/suggestions");
  return page(ctx, {
    title: `向${agency.name}申请政府信息公开`,
    description: `${agency.name}依申请公开：在线提交政府信息公开申请，凭查询码查询办理进度。`,
    breadcrumbs: agencyCrumbs(agency, { label: "依申请公开" }),
    head: html`<script src="/static/apply.js" defer></script>`,
    body: html`${agencyNav(agency, "apply")}
<h1>政府信息公开申请</h1>
<p>依据《中华人民共和国政府信息公开条例》第二十七条、第二十九条，您可以向${agency.name}申请获取政府信息。本机关自收到申请之日起20个工作日内答复（条例第三十三条）。已经提交的申请，可以<a href="/apply/status">凭查询码查询办理进度</a>。书面申请（当面或邮寄）可<a href="${agencyPath(agency, "apply/form.docx")}" download>下载政府信息公开申请表（Word）</a>。</p>
${
  m.keyMissing
    ? html`<p class="notice notice-error" role="alert">本平台暂不能在线受理政府信息公开申请（系统尚未配置个人信息加密密钥）。您可以当面提交或邮寄申请，联系方式见<a href="${agencyPath(agency, "guide")}">政府信息公开指南</a>。</p>`
    : ""
}
${errorSummary(m.errors, FIELD_LABELS, m.errorMessage)}
<form method="post" action="${agencyPath(agency, "apply")}" class="stack apply-form" novalidate data-suggest-url="${suggestUrl}">
${csrfInput(ctx)}
${applicationFields(m.values, m.errors, { staff: false })}
<div class="field">
<p class="hint">提交前可以先查一查本机关已经公开的信息，也许无需申请即可获取。</p>
<button type="submit" name="step" value="search" class="secondary">先查一查</button>
</div>
${possibleAnswersList(agency, m.answers)}
<p class="hint">提交即表示您确认所填信息真实。您的证件号码和联系方式加密保存，仅用于办理本申请。</p>
<div><button type="submit" name="step" value="submit"${m.keyMissing ? html` disabled` : ""}>提交申请</button></div>
</form>`,
  });
}

export function receiptPage(
  ctx: PageContext,
  m: { agency: Agency; number: string; queryCode: string; submittedAt: string; title: string },
): SafeHtml {
  return page(ctx, {
    title: "申请已提交",
    breadcrumbs: agencyCrumbs(
      m.agency,
      { href: agencyPath(m.agency, "apply"), label: "依申请公开" },
      { label: "申请已提交" },
    ),
    body: html`${agencyNav(m.agency, "apply")}
<h1>申请已提交</h1>
<div class="notice notice-ok" role="status">
<p>您的政府信息公开申请已提交至${m.agency.name}。</p>
<p class="query-code">查询码：<strong>${formatQueryCode(m.queryCode)}</strong></p>
<p>请记录或打印本页。查询办理进度时需要输入查询码和联系电话的后四位。</p>
</div>
<dl class="facts">
<dt>申请编号</dt><dd>${m.number}</dd>
<dt>所需信息</dt><dd>${m.title}</dd>
<dt>提交时间</dt><dd>${m.submittedAt}</dd>
</dl>
<p>根据条例第三十一条，通过互联网渠道提交的申请，以双方确认之日为收到申请之日。本机关确认收到后将出具登记回执，答复期限自收到申请之日起计算。</p>
<p><a class="button" href="/apply/status">查询办理进度</a></p>`,
  });
}
