/**
 * @module The applicant's pages (public, guarded by 查询码 + phone digits or a one-time link): the access form, the
 * one-time-link confirmation and the secure application page (plain status, what to correct and the online 补正
 * form with attachments, the notices issued, the disclosed files). Pure views; every form carries the CSRF token
 * in a field (multipart included), never in the URL.
 */
import type { Agency } from "../agencies/agency.service.ts";
import { formatChineseDate } from "../calendar/index.ts";
import { csrfInput, errorSummary, type FieldErrors, textField } from "../http/forms.ts";
import { type PageContext, page } from "../http/layout.ts";
import { shanghaiDateTime } from "../shared/clock.ts";
import { html, type SafeHtml } from "../shared/html.ts";
import type { ApplicantPage } from "./applicant-page.service.ts";
import { textareaField } from "./info-request.views.ts";
import { MAX_CORRECTION_FILES } from "./request-files.service.ts";

export const applicantPath = (requestId: string, rest = ""): string =>
  `/apply/applications/${encodeURIComponent(requestId)}${rest}`;

const crumbs = (label?: string) => [
  { href: "/", label: "首页" },
  ...(label
    ? [{ href: "/apply/status", label: "查询申请办理进度" }, { label }]
    : [{ label: "查询申请办理进度" }]),
];

/** The access form: 查询码 + phone digits, or a one-time link by e-mail/SMS. */
export function accessPage(
  ctx: PageContext,
  m: { error?: string | undefined; info?: string | undefined; code?: string | undefined },
): SafeHtml {
  return page(ctx, {
    title: "查询申请办理进度",
    breadcrumbs: crumbs(),
    body: html`<h1>查询政府信息公开申请办理进度</h1>
${m.error ? html`<p class="notice notice-error" role="alert">${m.error}</p>` : ""}
${m.info ? html`<p class="notice notice-ok" role="status">${m.info}</p>` : ""}
<form method="post" action="/apply/status" class="stack" autocomplete="off">
${csrfInput(ctx)}
${textField({ name: "code", label: "查询码", value: m.code, required: true, maxlength: 20, hint: "提交申请后获得的12位查询码，如 K7M2-9QXP-4RTA。" })}
${textField({ name: "last4", label: "联系电话后四位", required: true, maxlength: 4, inputmode: "numeric" })}
<div><button type="submit">查询</button></div>
</form>
<section aria-labelledby="link-h"><h2 id="link-h">没有手机号码？用一次性链接</h2>
<p>输入查询码，我们会把一次性查看链接发送到您申请时填写的电子邮箱（本机关配置短信服务时也发送到手机），链接30分钟内有效，只能使用一次。</p>
<form method="post" action="/apply/link" class="stack" autocomplete="off">
${csrfInput(ctx)}
${textField({ id: "f-link-code", name: "code", label: "查询码", required: true, maxlength: 20 })}
<div><button type="submit" class="secondary">发送一次性链接</button></div>
</form></section>`,
  });
}

/** The page a one-time link opens: a button, so that mail scanners fetching the link do not use it up. */
export function linkConfirmPage(ctx: PageContext, m: { token: string }): SafeHtml {
  return page(ctx, {
    title: "打开申请页面",
    breadcrumbs: crumbs("一次性链接"),
    body: html`<h1>打开您的申请页面</h1>
<p>该链接只能使用一次。点击下面的按钮后，本浏览器可以查看该申请30分钟（无操作时）。</p>
<form method="post" action="/apply/link/${m.token}" class="stack">
${csrfInput(ctx)}
<div><button type="submit">打开申请页面</button></div>
</form>`,
  });
}

const bytes = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;

export function applicantPageView(
  ctx: PageContext,
  m: {
    agency: Agency;
    page: ApplicantPage;
    errors?: FieldErrors;
    error?: string;
    done?: string;
    text?: string;
  },
): SafeHtml {
  const p = m.page;
  const s = p.status;
  const base = applicantPath(p.requestId);
  return page(ctx, {
    title: `申请办理进度：${s.number}`,
    breadcrumbs: crumbs(s.number),
    body: html`<h1>申请办理进度</h1>
${m.done === "correction" ? html`<p class="notice notice-ok" role="status">补正已提交，本机关已收到。答复期限自今日起重新计算。</p>` : ""}
<dl class="facts">
<dt>受理机关</dt><dd><a href="/agencies/${m.agency.slug}">${m.agency.name}</a></dd>
<dt>申请编号</dt><dd>${s.number}</dd>
<dt>所需信息</dt><dd>${s.title}</dd>
<dt>当前状态</dt><dd><strong>${s.statusLabel}</strong></dd>
${s.outcome ? html`<dt>办理结果</dt><dd>${s.outcome}${s.repliedOn ? `（${formatChineseDate(s.repliedOn)}）` : ""}</dd>` : ""}
</dl>
${s.correction ? correctionSection(ctx, base, s.correction, p.canCorrect, m) : ""}
${p.submitted ? submittedSection(base, p.submitted) : ""}
${s.dueTexts.length ? html`<section aria-labelledby="due-h"><h2 id="due-h">期限</h2><ul>${s.dueTexts.map((t) => html`<li>${t}</li>`)}</ul></section>` : ""}
${
  p.disclosed.length
    ? html`<section aria-labelledby="files-h"><h2 id="files-h">本机关提供的信息</h2>
<ul class="files">${p.disclosed.map((f) => html`<li><a href="${base}/files/${f.id}" download>${f.file_name}</a>（${bytes(f.size_bytes)}）</li>`)}</ul></section>`
    : ""
}
${
  p.notices.length
    ? html`<section aria-labelledby="notices-h"><h2 id="notices-h">告知书</h2>
<ul class="notices">${p.notices.map(
        (n) =>
          html`<li>${formatChineseDate(n.issuedOn)} ${n.title}（${n.docNumber}）：<a href="${base}/notices/${n.id}.html">查看和打印（可另存为PDF）</a> · <a href="${base}/notices/${n.id}.docx">下载 Word 文档</a></li>`,
      )}</ul></section>`
    : ""
}
<section aria-labelledby="ms-h"><h2 id="ms-h">办理过程</h2>
<ol class="milestones">${s.milestones.map((e) => html`<li><span class="date">${formatChineseDate(e.date)}</span> ${e.text}</li>`)}</ol>
</section>
<p class="hint">答复告知书将按您选择的方式送达。如对答复不服，可以依法申请行政复议或者提起行政诉讼（条例第五十一条）。</p>
<form method="post" action="${base}/logout">${csrfInput(ctx)}<button type="submit" class="secondary">退出</button></form>`,
  });
}

function correctionSection(
  ctx: PageContext,
  base: string,
  c: { items: string; dueOn: string },
  canCorrect: boolean,
  m: { errors?: FieldErrors; error?: string; text?: string },
): SafeHtml {
  const errors = m.errors ?? {};
  return html`<section aria-labelledby="cor-h"><h2 id="cor-h">需要您补正的内容</h2>
<p>请在${formatChineseDate(c.dueOn)}前，按下列事项补正申请内容：</p>
<ul>${c.items
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .map((l) => html`<li>${l}</li>`)}</ul>
${
  canCorrect
    ? html`<h3>在线提交补正</h3>
${m.error ? html`<p class="notice notice-error" role="alert">${m.error}</p>` : ""}
${errorSummary(errors, { text: "补正内容", files: "补正材料" })}
<form method="post" action="${base}/correction" enctype="multipart/form-data" class="stack">
${csrfInput(ctx)}
${textareaField({ name: "text", label: "补正内容", value: m.text, errors, rows: 6, maxlength: 5000, hint: "按上列事项逐项说明，例如写明所需信息涉及的时间、地区、文号。" })}
<div class="field"><label for="f-files">补正材料（可选）</label>
<p class="hint" id="f-files-hint">PDF、OFD、Word（.docx）、Excel（.xlsx）、图片（.png、.jpg）或文本文件，最多${String(MAX_CORRECTION_FILES)}个。</p>
<input type="file" id="f-files" name="files" multiple accept=".pdf,.ofd,.docx,.xlsx,.png,.jpg,.jpeg,.txt" aria-describedby="f-files-hint">
${errors.files ? html`<p class="field-error">${errors.files}</p>` : ""}</div>
<p class="hint">提交后即视为本机关收到补正后的申请，答复期限自收到之日起重新计算（条例第三十条）。补正只能提交一次。</p>
<div><button type="submit">提交补正</button></div>
</form>`
    : ""
}
</section>`;
}

function submittedSection(base: string, s: NonNullable<ApplicantPage["submitted"]>): SafeHtml {
  return html`<section aria-labelledby="sub-h"><h2 id="sub-h">您在线提交的补正</h2>
<p>提交时间：${shanghaiDateTime(s.at)}</p>
${s.text ? html`<blockquote class="plain">${s.text}</blockquote>` : ""}
${s.files.length ? html`<ul class="files">${s.files.map((f) => html`<li><a href="${base}/files/${f.id}" download>${f.file_name}</a>（${bytes(f.size_bytes)}）</li>`)}</ul>` : ""}
</section>`;
}
