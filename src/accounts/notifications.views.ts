/**
 * @module The 通知 page: one person's notifications (work that arrived or came back), marking read, and whether
 * they are also e-mailed (the address and a switch). Pure HTML through the escaping template.
 */
import { csrfInput, errorSummary, type FieldErrors, textField } from "../http/forms.ts";
import { type PageContext, page } from "../http/layout.ts";
import type { StaffNotificationRow } from "../messaging/staff-notification.table.ts";
import { shanghaiDateTime } from "../shared/clock.ts";
import { html, type SafeHtml } from "../shared/html.ts";

export const NOTIFICATIONS_PATH = "/admin/notifications";

export interface NotificationsModel {
  notifications: StaffNotificationRow[];
  unread: number;
  email: string;
  emailNotifications: boolean;
  /** E-mail is configured on this platform (SMTP_URL). */
  mailConfigured: boolean;
  errors?: FieldErrors;
  saved?: boolean;
}

export function notificationsPage(ctx: PageContext, m: NotificationsModel): SafeHtml {
  const errors = m.errors ?? {};
  return page(ctx, {
    area: "staff",
    title: "通知",
    breadcrumbs: [{ href: "/admin", label: "工作台" }, { label: "通知" }],
    body: html`<h1>通知</h1>
${errorSummary(errors, { email: "邮箱地址" })}
${m.saved ? html`<p class="notice notice-ok" role="status">已保存通知设置。</p>` : ""}
<p>有待您审核、审签、发布的信息，信息被退回修改，或有申请分办给您时，这里会收到通知。${m.unread > 0 ? html`未读 <strong>${String(m.unread)}</strong> 条。` : "没有未读通知。"}</p>
${
  m.unread > 0
    ? html`<form method="post" action="${NOTIFICATIONS_PATH}/read" class="inline">${csrfInput(ctx)}<button type="submit" class="secondary">全部标为已读</button></form>`
    : ""
}
${
  m.notifications.length === 0
    ? html`<p>暂无通知。</p>`
    : html`<ul class="record-list notifications">${m.notifications.map(
        (
          n,
        ) => html`<li${n.read_at ? "" : html` class="unread"`}><p><a href="${n.link}">${n.subject}</a>${n.read_at ? "" : html` <span class="badge badge-warn">未读</span>`}</p>
<p>${n.body}</p>
<p class="hint"><time datetime="${n.created_at.toISOString()}">${shanghaiDateTime(n.created_at)}</time>${n.emailed_at ? " · 已发送邮件" : ""}</p>
${n.read_at ? "" : html`<form method="post" action="${NOTIFICATIONS_PATH}/read" class="inline">${csrfInput(ctx)}<input type="hidden" name="id" value="${n.id}"><button type="submit" class="link">标为已读<span class="visually-hidden">：${n.subject}</span></button></form>`}</li>`,
      )}</ul>`
}
<h2>邮件通知</h2>
${m.mailConfigured ? "" : html`<p class="notice notice-warn">本平台尚未配置邮件服务器，通知目前只在工作台显示。</p>`}
<form method="post" action="${NOTIFICATIONS_PATH}/settings" class="stack" novalidate>
${csrfInput(ctx)}
${textField({ name: "email", label: "邮箱地址", type: "email", value: m.email, errors, autocomplete: "email", maxlength: 200, hint: "用于接收新的待办和退回通知；留空则不发送邮件。" })}
<div class="check"><input type="checkbox" id="f-emailNotifications" name="emailNotifications" value="1"${m.emailNotifications ? html` checked` : ""}><label for="f-emailNotifications">有新的待办或被退回时发送邮件</label></div>
<p><button type="submit">保存通知设置</button></p>
</form>`,
  });
}
