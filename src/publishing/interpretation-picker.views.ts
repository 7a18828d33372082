/**
 * @module The record form's 政策解读 picker (the fieldset): the chosen policy documents as checked boxes, a search
 * field with a 查找 button and the matches as boxes to tick. Without JavaScript 查找 submits the form, which comes
 * back with every typed value and the matches (record.routes.ts); /static/interpretation-picker.js searches as the
 * user types (GET …/records/interpretation-options) and adds a match with its 添加 button.
 */
import { fieldId } from "../http/forms.ts";
import { dateToken, html, noBreak, type SafeHtml } from "../shared/html.ts";
import { PICKER_QUERY_MAX, type PickerDocument, type PickerResult } from "./interpretation-picker.read.ts";
import { recordsPath } from "./record.paths.ts";

/** Form fields of the picker (besides `interpretsRecordIds`). */
export const PICKER_FIELDS = {
  /** The search text. */
  query: "interpQuery",
  /** The query whose matches the page shows (a changed query submitted by Enter searches again). */
  shown: "interpShown",
  /** The 查找 button. */
  search: "interpSearch",
} as const;

export interface PickerModel {
  agencySlug: string;
  recordId?: string | undefined;
  chosen: PickerDocument[];
  query: string;
  /** The matches of `query` when the form came back from a 查找 (null: no search yet). */
  results: PickerResult | null;
  error?: string | undefined;
}

export function pickerOptionsUrl(agencySlug: string): string {
  return `${recordsPath(agencySlug)}/interpretation-options`;
}

function meta(d: PickerDocument): SafeHtml {
  const parts = [
    d.docNumber ? noBreak(d.docNumber) : "",
    d.indexNo ? html`索引号 ${noBreak(d.indexNo)}` : "",
    d.publishedDate ? html`${dateToken(d.publishedDate)}发布` : "",
  ].filter((p) => p !== "");
  return html`${parts.map((p, i) => html`${i ? "　" : ""}${p}`)}`;
}

function box(d: PickerDocument, checked: boolean, prefix: string): SafeHtml {
  const id = `${prefix}-${d.id}`;
  return html`<li class="check"><input type="checkbox" id="${id}" name="interpretsRecordIds" value="${d.id}"${checked ? html` checked` : ""}><label for="${id}">${d.title}<span class="picker-meta">${meta(d)}</span></label></li>`;
}

export function interpretationPicker(m: PickerModel): SafeHtml {
  const errorId = fieldId("interpretsRecordIds");
  const r = m.results;
  return html`<fieldset class="interp-picker" data-interp-picker="${pickerOptionsUrl(m.agencySlug)}"${m.recordId ? html` data-record-id="${m.recordId}"` : ""}>
<legend>政策解读</legend>
<p class="hint" id="interp-hint">信息类型为“政策解读”时，查找并勾选所解读的政策文件（本单位已发布的文件）；两者页面互相链接。</p>
${m.error ? html`<p class="field-error" id="${errorId}">${m.error}</p>` : ""}
<p class="picker-heading" id="interp-chosen-h">已选择的政策文件</p>
<ul class="picker-list" id="interp-chosen" aria-labelledby="interp-chosen-h"${m.error ? html` aria-describedby="${errorId}"` : ""}>${m.chosen.map((d) => box(d, true, "interp"))}</ul>
${m.chosen.length ? "" : html`<p class="picker-empty" id="interp-none">尚未选择。</p>`}
<div class="field picker-search"><label for="interp-q">查找政策文件</label>
<p class="hint" id="interp-q-hint">输入标题、文号或索引号中的文字，按“查找”；勾选后保存。</p>
<div class="picker-row"><input type="search" id="interp-q" name="${PICKER_FIELDS.query}" value="${m.query}" maxlength="${String(PICKER_QUERY_MAX)}" aria-describedby="interp-q-hint" autocomplete="off">
<button type="submit" name="${PICKER_FIELDS.search}" value="1" class="secondary" formnovalidate>查找</button></div>
<input type="hidden" name="${PICKER_FIELDS.shown}" value="${r ? m.query : ""}"></div>
<div id="interp-results" class="picker-results">${
    r
      ? html`<p role="status" id="interp-status">${
          r.documents.length === 0
            ? html`未找到含“${m.query}”的已发布文件。`
            : html`找到${r.more ? "超过" : ""}${String(r.documents.length)}个文件${r.more ? "，只列出最新的，请输入更多文字缩小范围" : ""}：`
        }</p>
<ul class="picker-list" aria-labelledby="interp-status">${r.documents.map((d) => box(d, false, "interp-found"))}</ul>`
      : ""
  }</div>
</fieldset>`;
}
