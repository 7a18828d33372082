/**
 * @module The import preview a clerk can trust (issue #15): every row with what the import read from it — number and
 * name, the deadline as written and the parser's reading (or 未能解读), channels, 公开主体, 对象, 方式, 层级, 责任单位,
 * the columns whose 「同上」 was resolved — the row's warnings beside it, and the changes the import would make against
 * the published version, all before anything is saved.
 */
import type { Agency } from "../agencies/agency.service.ts";
import { csrfInput } from "../http/forms.ts";
import type { PageContext } from "../http/layout.ts";
import { html, type SafeHtml } from "../shared/html.ts";
import { levelName } from "./catalog.model.ts";
import { crumbs, staffPage } from "./catalog.views.ts";
import { importPath } from "./catalog-import.paths.ts";
import type { ImportPreview, ImportRowReport } from "./catalog-import.rules.ts";
import type { ImportChanges } from "./catalog-import.service.ts";

const ROLE_NAMES: Record<string, string> = {
  seq: "序号",
  content: "公开内容（要素）",
  legalBasis: "公开依据",
  deadline: "公开时限",
  subject: "公开主体",
  channels: "公开渠道和载体",
  audience: "公开对象",
  audienceAll: "公开对象：全社会",
  audienceSpecific: "公开对象：特定群体",
  mode: "公开方式",
  modeActive: "公开方式：主动",
  modeRequest: "公开方式：依申请",
  form: "公开形式",
  adminLevel: "公开层级",
  adminCounty: "公开层级：县级",
  adminTownship: "公开层级：乡级",
  adminVillage: "公开层级：村（社区）级",
  responsible: "责任单位",
  cooperating: "配合单位",
  remarks: "备注",
  extra: "其他（保存为附加信息）",
};

/** 「二级事项」 for level2, 「三级事项编号」 for number3 … */
export function roleName(role: string): string {
  const m = role.match(/^(level|number)(\d+)$/);
  if (m) return `${levelName(Number(m[2]))}${m[1] === "number" ? "编号" : ""}`;
  return ROLE_NAMES[role] ?? role;
}

const CHANGE_KINDS: Record<string, string> = { added: "新增", removed: "删除", changed: "修改" };

/** The upload form (step one of two: upload → preview → commit). */
export function importFormPage(ctx: PageContext, agency: Agency, error?: string): SafeHtml {
  return staffPage(
    ctx,
    "导入目录文件",
    html`<h1>导入目录文件</h1>
${error ? html`<div class="notice notice-error" role="alert" tabindex="-1" id="error-summary"><p>${error}</p></div>` : ""}
<p>支持 Excel（.xlsx）、Word（.docx，读取其中的表格）、CSV/TSV（UTF-8 或 GB18030 编码）、网页表格（.html）以及本平台导出的 JSON。
系统按含义识别表头（如“事项类别/一级事项”“事项名称/二级事项”“责任科室/责任股室”“公开渠道/公开渠道和载体”，支持两行表头），
空白单元格和“同上”沿用上一行，勾选框（■/□、☑/☐、√）中未勾选的渠道不计入。</p>
<p>导入分两步：先预览每一行及其提示，确认后保存为新的草稿版本（不会直接公开）。文件不超过 20 MB。</p>
<form method="post" action="${importPath(agency.slug)}" enctype="multipart/form-data" class="stack">
${csrfInput(ctx)}
<div class="field"><label for="f-file">目录文件</label>
<input type="file" id="f-file" name="file" required aria-required="true" accept=".xlsx,.docx,.csv,.tsv,.txt,.html,.htm,.json"></div>
<p><button type="submit">上传并预览</button></p>
</form>`,
    crumbs(agency, [{ label: "导入" }]),
  );
}

function dash(v: string | null | undefined): string {
  return v === null || v === undefined || v === "" ? "—" : v;
}

function deadlineCell(r: ImportRowReport): SafeHtml {
  const f = r.fields;
  if (!f?.deadlineText) return html`—`;
  return html`<div>${f.deadlineText}</div>
${f.deadlineReading.length ? html`<ul class="reading">${f.deadlineReading.map((l) => html`<li>${l}</li>`)}</ul>` : ""}
${f.deadlineUnparsed.length ? html`<p><span class="badge badge-warn">未能解读</span> ${f.deadlineUnparsed.join("；")}（原文保留，不计算截止日期）</p>` : ""}`;
}

function rowHtml(r: ImportRowReport): SafeHtml {
  const f = r.fields;
  return html`<tr${r.warnings.length ? html` class="has-warning"` : ""}><td class="num">${r.table} 第${String(r.row)}行</td>
<th scope="row">${r.path.slice(0, -1).join(" / ")}${r.path.length > 1 ? " / " : ""}<strong>${f?.number ? `${f.number} ` : ""}${r.path[r.path.length - 1] || "（未命名）"}</strong><br><span class="hint">${levelName(r.level)}${f?.elements ? `，公开内容${f.elements}项` : ""}</span></th>
<td>${deadlineCell(r)}</td>
<td>${f?.channels.length ? f.channels.join("、") : "—"}</td>
<td>${dash(f?.subject)}</td>
<td>${dash(f?.audience)}</td>
<td>${dash(f?.mode)}</td>
<td>${dash(f?.adminLevel)}</td>
<td>${dash(f?.responsible)}</td>
<td>${f?.ditto.length ? html`“同上”取上一行：${f.ditto.join("、")}` : "—"}</td>
<td>${r.warnings.length ? html`<ul>${r.warnings.map((w) => html`<li><span class="badge badge-warn">提示</span> ${w}</li>`)}</ul>` : "—"}</td></tr>`;
}

function changesHtml(c: ImportChanges): SafeHtml {
  if (!c.against)
    return html`<p>尚无已发布的目录版本：导入后全部事项为新增（${String(c.diff.added)}项）。</p>`;
  const { diff } = c;
  return html`<p>与已发布的第${String(c.against.versionNo)}版相比：新增${String(diff.added)}项、删除${String(diff.removed)}项、修改${String(diff.changed)}项${diff.needsReason.length ? `；其中${diff.needsReason.length}项删除或减弱了公开承诺，发布前须说明理由` : ""}。</p>
${
  diff.changes.length
    ? html`<div class="table-scroll"><table><caption>变更明细</caption>
<thead><tr><th scope="col">变更</th><th scope="col">事项</th><th scope="col">变化</th></tr></thead>
<tbody>${diff.changes.map(
        (
          ch,
        ) => html`<tr><td>${CHANGE_KINDS[ch.kind] ?? ch.kind}</td><th scope="row">${ch.path.join(" / ")}</th>
<td>${ch.fields.join("、") || "—"}${ch.weakenings.length ? html`<ul>${ch.weakenings.map((w) => html`<li><span class="badge badge-warn">减弱</span> ${w.message}</li>`)}</ul>` : ""}</td></tr>`,
      )}</tbody></table></div>`
    : ""
}`;
}

export function importPreviewPage(
  ctx: PageContext,
  agency: Agency,
  d: {
    importId: string;
    fileName: string;
    format: string;
    status: string;
    preview: ImportPreview;
    changes: ImportChanges;
    hasDraft: boolean;
    error?: string | undefined;
  },
): SafeHtml {
  const p = d.preview;
  const warned = p.rows.filter((r) => r.warnings.length > 0).length;
  return staffPage(
    ctx,
    "导入预览",
    html`<h1>导入预览：${d.fileName}</h1>
${d.error ? html`<div class="notice notice-error" role="alert" tabindex="-1" id="error-summary"><p>${d.error}</p></div>` : ""}
<p class="notice">以下为系统从文件中读出的内容，尚未保存。请逐行核对后再确认导入。</p>
<dl class="meta-table"><dt>目录名称</dt><dd>${p.title}</dd><dt>文件格式</dt><dd>${d.format}</dd>
<dt>识别结果</dt><dd>一级事项${p.counts.level1}项、二级事项${p.counts.level2}项、三级事项${p.counts.level3}项${p.counts.deeper ? `、四级及以下事项${p.counts.deeper}项` : ""}，公开内容${p.counts.elements}项</dd>
<dt>提示</dt><dd>${warned > 0 ? `${warned}行有提示，共${p.counts.warnings}条` : "无"}</dd>
${p.header.compiledBy ? html`<dt>填表人</dt><dd>${p.header.compiledBy}</dd>` : ""}${p.header.reviewedBy ? html`<dt>复核人</dt><dd>${p.header.reviewedBy}</dd>` : ""}${p.header.signedBy ? html`<dt>审签人</dt><dd>${p.header.signedBy}</dd>` : ""}${p.header.compiledAt ? html`<dt>填表时间</dt><dd>${p.header.compiledAt}</dd>` : ""}
${p.header.notes?.length ? html`<dt>目录注释</dt><dd><ul>${p.header.notes.map((n) => html`<li>${n}</li>`)}</ul></dd>` : ""}</dl>
${p.notes.length ? html`<ul>${p.notes.map((n) => html`<li>${n}</li>`)}</ul>` : ""}
${
  p.columns.length
    ? html`<details><summary>列的识别结果（表头在第${p.headerRows.join("、")}行）</summary><ul>${p.columns.map((c) => html`<li>第${String(c.index + 1)}列“${c.heading}” → ${roleName(c.role)}</li>`)}</ul></details>`
    : ""
}
<h2>与当前版本的差异</h2>
${changesHtml(d.changes)}
<h2>逐行预览</h2>
<div class="table-scroll"><table><caption>逐行预览：每行读出的内容与提示</caption>
<thead><tr><th scope="col">来源</th><th scope="col">事项</th><th scope="col">公开时限（系统解读）</th><th scope="col">公开渠道</th><th scope="col">公开主体</th><th scope="col">公开对象</th><th scope="col">公开方式</th><th scope="col">公开层级</th><th scope="col">责任单位</th><th scope="col">同上</th><th scope="col">提示</th></tr></thead>
<tbody>${p.rows.map(rowHtml)}</tbody></table></div>
${
  d.status === "pending"
    ? html`<form method="post" action="${importPath(agency.slug, `/${d.importId}/commit`)}" class="stack">${csrfInput(ctx)}
${d.hasDraft ? html`<div class="check"><input type="checkbox" id="f-replace" name="replaceDraft" value="1"><label for="f-replace">替换现有草稿（现有草稿中的修改将被丢弃）</label></div>` : ""}
<p><button type="submit">确认导入为新的草稿版本</button></p></form>
<form method="post" action="${importPath(agency.slug, `/${d.importId}/discard`)}">${csrfInput(ctx)}<button type="submit" class="link">放弃本次导入</button></form>`
    : html`<p class="notice">本次导入已${d.status === "committed" ? "提交" : "放弃"}。</p>`
}`,
    crumbs(agency, [{ href: importPath(agency.slug), label: "导入" }, { label: "预览" }]),
  );
}
