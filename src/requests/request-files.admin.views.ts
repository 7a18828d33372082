/**
 * @module The handler's view of the applicant's online loop on the application page: the 补正 submitted online
 * (text and attachments), the information provided with the reply (upload form for 在线查看 / 电子文档, CSRF token in
 * the form field), every access of the applicant (view, download, look-up failures) and the notifications sent.
 * Pure view.
 */
import { csrfInput } from "../http/forms.ts";
import type { PageContext } from "../http/layout.ts";
import { shanghaiDateTime } from "../shared/clock.ts";
import { html, type SafeHtml } from "../shared/html.ts";
import type {
  AccessKind,
  AccessLogRow,
  ApplicantMessageRow,
  RequestFileRow,
} from "./applicant-online.table.ts";
import type { CorrectionRow } from "./info-request.table.ts";

export const ACCESS_KINDS: Record<AccessKind, string> = {
  lookup: "凭查询码和电话后四位进入申请页面",
  lookup_failed: "查询码或电话后四位不正确（查询失败）",
  link_sent: "发送一次性链接",
  link_used: "凭一次性链接进入申请页面",
  view: "查看申请页面",
  notice: "查看或下载告知书",
  file: "下载文件",
  correction: "在线提交补正",
  logout: "退出申请页面",
};

const MESSAGE_STATUS: Record<string, string> = {
  queued: "待发送",
  sent: "已发送",
  failed: "发送失败",
  skipped: "未发送（无联系方式或未配置邮件/短信）",
};

export interface OnlineLoopModel {
  base: string;
  requestId: string;
  status: string;
  files: RequestFileRow[];
  corrections: CorrectionRow[];
  access: AccessLogRow[];
  messages: ApplicantMessageRow[];
  canHandle: boolean;
  canReadPersonal: boolean;
}

const fileLink = (m: OnlineLoopModel, f: RequestFileRow) =>
  m.canReadPersonal
    ? html`<a href="${m.base}/${m.requestId}/files/${f.id}">${f.file_name}</a>`
    : html`${f.file_name}`;

export function onlineLoopSection(ctx: PageContext, m: OnlineLoopModel): SafeHtml {
  const online = m.corrections.filter((c) => c.submitted_online_at);
  const disclosed = m.files.filter((f) => f.purpose === "disclosure");
  const correctionFiles = m.files.filter((f) => f.purpose === "correction");
  const editable = m.canHandle && m.status !== "archived";
  return html`<section aria-labelledby="online-h" id="online"><h2 id="online-h">申请人在线办理</h2>
${
  online.length
    ? html`<h3>在线提交的补正</h3>${online.map(
        (
          c,
        ) => html`<p>第${String(c.round)}次补正，${c.submitted_online_at ? shanghaiDateTime(c.submitted_online_at) : ""}提交：</p>
${c.online_text ? html`<blockquote class="pre">${c.online_text}</blockquote>` : ""}`,
      )}${correctionFiles.length ? html`<ul>${correctionFiles.map((f) => html`<li>${fileLink(m, f)}（${f.mime_type}，${String(f.size_bytes)} 字节）</li>`)}</ul>` : ""}`
    : ""
}
<h3>答复提供的信息</h3>
<p class="hint">选择“在线查看”或“电子文档”的，申请人作出答复后可在申请页面下载这些文件；每次下载都记入下方访问记录。</p>
${
  disclosed.length
    ? html`<ul>${disclosed.map(
        (f) =>
          html`<li>${fileLink(m, f)}（${String(f.size_bytes)} 字节，${f.uploaded_by}）${
            editable
              ? html` <form method="post" action="${m.base}/${m.requestId}/files/${f.id}/delete" class="inline-form">${csrfInput(ctx)}<button type="submit" class="secondary">删除</button></form>`
              : ""
          }</li>`,
      )}</ul>`
    : html`<p>尚未添加。</p>`
}
${
  editable
    ? html`<form method="post" action="${m.base}/${m.requestId}/files" enctype="multipart/form-data" class="stack">
${csrfInput(ctx)}
<div class="field"><label for="f-disclosed">添加文件</label>
<p class="hint" id="f-disclosed-hint">PDF、OFD、Word（.docx）、Excel（.xlsx）、图片或文本文件，可多选。</p>
<input type="file" id="f-disclosed" name="files" multiple required aria-describedby="f-disclosed-hint"></div>
<div><button type="submit" class="secondary">上传</button></div>
</form>`
    : ""
}
<h3>申请人访问记录</h3>
${
  m.access.length
    ? html`<div class="table-scroll"><table><thead><tr><th scope="col">时间</th><th scope="col">操作</th><th scope="col">对象</th><th scope="col">IP</th></tr></thead><tbody>${m.access.map(
        (a) =>
          html`<tr><td>${shanghaiDateTime(a.at)}</td><td>${ACCESS_KINDS[a.kind] ?? a.kind}</td><td>${a.target ?? ""}</td><td>${a.ip ?? ""}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>申请人尚未在线访问。</p>`
}
<h3>通知申请人</h3>
${
  m.messages.length
    ? html`<ul>${m.messages.map(
        (x) =>
          html`<li>${x.subject}：${MESSAGE_STATUS[x.status] ?? x.status}${x.sent_at ? `（${shanghaiDateTime(x.sent_at)}，${x.channels.join("、")}）` : x.status === "queued" ? `（${shanghaiDateTime(x.send_after)}后发送）` : ""}${x.last_error ? html` <span class="hint">${x.last_error}</span>` : ""}</li>`,
      )}</ul>`
    : html`<p>尚无通知。</p>`
}
</section>`;
}
