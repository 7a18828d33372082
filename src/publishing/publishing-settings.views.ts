/**
 * @module The staff page of an agency's publishing settings (索引号 template and code, notification e-mail addresses).
 * Pure HTML through the escaping template.
 */
import type { FieldError } from "../errors.ts";
import { csrfInput, errorSummary, selectField, textField, toFieldErrors } from "../http/forms.ts";
import { type PageContext, page } from "../http/layout.ts";
import { html, type SafeHtml } from "../shared/html.ts";
import { INDEX_PRESETS } from "./index-number.rules.ts";
import type { PublishingSettings } from "./publishing-settings.service.ts";
import { recordsPath } from "./record.paths.ts";
import { type AgencyRef, crumbs, subnav } from "./record.views.ts";

// ---------------------------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------------------------

export interface SettingsModel {
  agency: AgencyRef & { creditCode: string | null; orgCode: string | null };
  agencies: AgencyRef[];
  settings: PublishingSettings;
  departments: { id: string; name: string }[];
  errors: FieldError[];
  saved: boolean;
  example: string | null;
}

export function settingsPage(ctx: PageContext, m: SettingsModel): SafeHtml {
  const errors = toFieldErrors(m.errors);
  const s = m.settings;
  return page(ctx, {
    area: "staff",
    title: "发布设置",
    breadcrumbs: crumbs(m.agency, { label: "发布设置" }),
    body: html`<h1>发布设置 <small class="hint">${m.agency.name}</small></h1>
${subnav(m.agency, "settings")}
${m.saved ? html`<p class="notice notice-ok" role="status">已保存。</p>` : ""}
${errorSummary(errors, { indexTemplate: "索引号格式", indexCode: "机关代码", notifyEmails: "提醒邮箱" })}
<p>统一社会信用代码：${m.agency.creditCode ?? "（未登记）"}；组织机构代码：${m.agency.orgCode ?? "（未登记）"}。${m.example ? html`下一个索引号示例：<code>${m.example}</code>` : ""}</p>
${s.indexCodeIsDemo ? html`<p class="notice notice-warn">本机关使用的是演示用机关代码（${s.indexCode ?? ""}），不是真实的统一社会信用代码；正式使用前请登记真实代码。</p>` : ""}
<form method="post" action="${recordsPath(m.agency.slug, "/settings")}" class="stack" novalidate>${csrfInput(ctx)}
<fieldset><legend>索引号（《政府信息公开目录系统实施指引（试行）》）</legend>
${selectField({ name: "preset", label: "常用格式", value: Object.entries(INDEX_PRESETS).find(([, p]) => p.template === s.indexTemplate)?.[0] ?? "", errors, emptyLabel: "（自定义，见下）", options: Object.entries(INDEX_PRESETS).map(([value, p]) => ({ value, label: `${p.label}：${p.template}` })) })}
${textField({ name: "indexTemplate", label: "自定义格式", value: s.indexTemplate, errors, hint: "占位符：{CREDIT} 统一社会信用代码，{ORG} 组织机构代码，{CODE} 下面设置的机关代码，{YYYY} 年，{MM} 月，{NNNNN} 序号（N的个数为位数）。选择常用格式时以常用格式为准。序号按年连续编排，已用序号不再使用。" })}
${textField({ name: "indexCode", label: "机关代码", value: s.indexCode ?? "", errors, hint: "本机关未登记统一社会信用代码时使用，或用于 {CODE}。" })}
<div class="check"><input type="checkbox" id="f-indexCodeIsDemo" name="indexCodeIsDemo" value="1"${s.indexCodeIsDemo ? html` checked` : ""}><label for="f-indexCodeIsDemo">这是演示用代码（门户上标注“演示”）</label></div>
</fieldset>
<fieldset><legend>到期提醒邮件</legend>
<p class="hint">配置了邮件服务器（SMTP_URL）时，到期和逾期提醒同时发送邮件。多个邮箱用空格或逗号分隔。</p>
${textField({ name: "email_all", label: "政务公开办（接收全部提醒）", value: (s.notifyEmails["*"] ?? []).join(" "), errors })}
${m.departments.map((d) => textField({ name: `email_${d.id}`, label: d.name, value: (s.notifyEmails[d.id] ?? []).join(" "), errors }))}
</fieldset>
<p><button type="submit">保存</button></p></form>`,
  });
}
