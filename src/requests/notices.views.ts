/**
 * @module Printable HTML of a notice: a standalone A4 page in the official-letter layout (/static/notice.css).
 */
import { html, type SafeHtml } from "../shared/html.ts";
import { UUID_PATTERN } from "../shared/ids.ts";
import type { NoticeDocument } from "./notices.rules.ts";

const NOTICE_FILE = new RegExp(`^(${UUID_PATTERN})\\.(docx|html)$`);

/** The `:file` segment of a notice URL (`<notice id>.docx` or `<notice id>.html`), or undefined. */
export function parseNoticeFile(file: string): { noticeId: string; format: "docx" | "html" } | undefined {
  const m = NOTICE_FILE.exec(file);
  return m ? { noticeId: m[1] as string, format: m[2] as "docx" | "html" } : undefined;
}

export function noticePrintPage(doc: NoticeDocument, links: { back: string; docx: string }): SafeHtml {
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${doc.title} ${doc.docNumber}</title>
<link rel="stylesheet" href="/static/notice.css">
</head>
<body>
<nav class="print-actions" aria-label="操作"><a href="${links.back}">返回申请</a> · <a href="${links.docx}">下载 Word 文档</a> · 使用浏览器的“打印”功能打印本页。</nav>
<main class="sheet">
<h1 class="notice-title">${doc.title}</h1>
<p class="doc-number">${doc.docNumber}</p>
${doc.recipient ? html`<p class="recipient">${doc.recipient}</p>` : ""}
<div class="body">${doc.paragraphs.slice(0, -1).map((p) => html`<p>${p}</p>`)}</div>
<div class="closing">
${doc.paragraphs.length > 0 ? html`<div class="body"><p>${doc.paragraphs[doc.paragraphs.length - 1] ?? ""}</p></div>` : ""}
<p class="signature">${doc.signature}</p>
<p class="date">${doc.dateText}</p>
</div>
</main>
</body>
</html>`;
}
