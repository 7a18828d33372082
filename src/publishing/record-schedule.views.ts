/**
 * @module The record page's 定时发布 and 定时下线/废止 blocks: the forms (Beijing time, `datetime-local`, works
 * without JS) or, once set, what is scheduled with a cancel button. Pure HTML through the escaping template.
 */
import { csrfInput, type FieldErrors, textField } from "../http/forms.ts";
import type { PageContext } from "../http/layout.ts";
import { shanghaiDateTime } from "../shared/clock.ts";
import { html, type SafeHtml } from "../shared/html.ts";
import type { RecordRow } from "./record.table.ts";
import { area } from "./record.views.ts";

export interface ScheduleBlockOptions {
  base: string;
  qs: string;
  errors: FieldErrors;
  /** Values posted with a refused form (refilled). */
  values: Record<string, string>;
  canPublish: boolean;
  canWithdraw: boolean;
  /** The latest revision is approved (待发布). */
  approved: boolean;
}

/** Notices of what is scheduled (shown to everyone who sees the record page). */
export function scheduleNotices(r: RecordRow): SafeHtml {
  return html`${r.scheduled_publish_at ? html`<p class="notice notice-ok" role="status">已定于${shanghaiDateTime(r.scheduled_publish_at)}（北京时间）定时发布（${r.scheduled_publish_by_name ?? ""}设定）。</p>` : ""}
${r.scheduled_withdraw_at ? html`<p class="notice notice-warn" role="status">已定于${shanghaiDateTime(r.scheduled_withdraw_at)}（北京时间）下线：${r.scheduled_withdraw_reason ?? ""}（${r.scheduled_withdraw_by_name ?? ""}设定）。</p>` : ""}`;
}

function cancelForm(ctx: PageContext, action: string, label: string): SafeHtml {
  return html`<form method="post" action="${action}" class="inline">${csrfInput(ctx)}<button type="submit" class="secondary">${label}</button></form>`;
}

/** The actions: schedule or cancel, as the user's permissions and the record's state allow. */
export function scheduleActions(ctx: PageContext, r: RecordRow, o: ScheduleBlockOptions): SafeHtml[] {
  const out: SafeHtml[] = [];
  if (o.approved && o.canPublish) {
    out.push(
      r.scheduled_publish_at
        ? cancelForm(ctx, `${o.base}/cancel-schedule-publish${o.qs}`, "取消定时发布")
        : html`<form method="post" action="${o.base}/schedule-publish${o.qs}" class="stack">${csrfInput(ctx)}
${textField({ name: "publishAt", label: "定时发布时间", type: "datetime-local", value: o.values.publishAt, errors: o.errors, hint: "北京时间；到时自动发布（生成索引号、在门户公开），一年以内。", required: true })}
<p><button type="submit" class="secondary">定时发布</button></p></form>`,
    );
  }
  if ((r.status === "published" || r.scheduled_publish_at) && o.canWithdraw) {
    out.push(
      r.scheduled_withdraw_at
        ? cancelForm(ctx, `${o.base}/cancel-schedule-withdraw${o.qs}`, "取消定时下线")
        : html`<form method="post" action="${o.base}/schedule-withdraw${o.qs}" class="stack">${csrfInput(ctx)}
<fieldset><legend>定时下线（废止、有效期届满等）</legend>
${textField({ name: "withdrawAt", label: "定时下线时间", type: "datetime-local", value: o.values.withdrawAt, errors: o.errors, hint: "北京时间；到时自动从门户撤下，审计日志保留记录。", required: true })}
${area("withdrawReason", "下线理由", o.values.withdrawReason ?? "", o.errors, "例如：该文件已于2026年6月30日废止。", 2)}
</fieldset><p><button type="submit" class="secondary">设定定时下线</button></p></form>`,
    );
  }
  return out;
}
