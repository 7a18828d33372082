/**
 * @module `gongkai records import FILE --agency SLUG [--item ITEM] [--commit] [--json]`: imports an agency's
 * published history (.xlsx/.csv/.tsv/.json, or the HTML table a CMS saves as .xls: 索引号, 标题, 文号, 发布日期,
 * 目录事项, 正文, …) through the bulk loader (src/publishing/record-import.service.ts). --item names the catalog item
 * (number, name, path or id) of every row without a 目录事项; --validity maps the file's own 有效性 words
 * (已修改=有效). Without --commit it is a dry run: it shows what would
 * be imported, the rows skipped and every row's problems, and writes nothing. With --commit it writes the records
 * when no row has a problem (all or nothing). Exit code 1 when any row has a problem or there is no record to import.
 */

import fs from "node:fs";
import path from "node:path";
import { systemActor } from "../accounts/policy.ts";
import { formatRowErrors, rowLabel } from "../publishing/record-import.rules.ts";
import { importRecords, type RecordImportResult } from "../publishing/record-import.service.ts";
import { CliError, type Command, printJson, requireString } from "./command.ts";
import { withRuntime } from "./runtime.ts";

const USAGE = `gongkai records import FILE --agency <slug> [--item <目录事项>] [--validity <词=有效,…>] [--commit] [--json]
  FILE    .xlsx、.csv（UTF-8 或 GBK/GB18030）、.txt（Excel“Unicode 文本”）、.tsv、.json，或 CMS 导出的 HTML 表格（.xls/.html）
  --item  文件中未填“目录事项”的信息归入的目录事项：事项编号（如 2.1）、名称、路径（如“政策文件 / 规范性文件”）或 id
  --validity 文件中“有效性”一列特有的词及其含义，如“已修改=有效,部分失效=有效”（有效、失效、废止及现行有效、已废止等常见写法无需指定）
  --commit 写入（默认只试运行）；任何一行有问题则不写入任何信息`;
const CLI_ACTOR = systemActor("命令行");
/** Rows listed one by one in the text output (the JSON has all of them). */
const LISTED = 20;

export function formatImportResult(r: RecordImportResult, commit: boolean): string[] {
  const lines = [
    `${r.fileName}（${r.format}${r.format === "xlsx" ? `，工作表“${r.table}”` : ""}）→ ${r.agency.name}（${r.agency.slug}）`,
    `读取${r.rows}行：可导入${r.records.length}条，有问题${r.errors.length}行${r.emptyRows ? `，空行${r.emptyRows}行（跳过）` : ""}${r.skipped.length ? `，非信息行${r.skipped.length}行（跳过）` : ""}。`,
  ];
  lines.push(`读取的列：${r.columns.join("、")}`);
  if (r.defaultItem) lines.push(`未填目录事项的信息归入：${r.defaultItem.join(" / ")}`);
  if (r.ignoredColumns.length) lines.push(`未识别的列（忽略）：${r.ignoredColumns.join("、")}`);
  if (r.ignoredSheets.length) lines.push(`没有表头的工作表（未导入）：${r.ignoredSheets.join("、")}`);
  for (const s of r.skipped.slice(0, LISTED)) lines.push(`  跳过${rowLabel(s)}（${s.reason}）：${s.text}`);
  if (r.skipped.length > LISTED) lines.push(`  ……另跳过${r.skipped.length - LISTED}行`);
  for (const rec of r.records.slice(0, LISTED))
    lines.push(
      `  ${rowLabel(rec)}｜${rec.indexNo}｜${rec.publishedDate}｜${rec.title}${rec.docNumber ? `（${rec.docNumber}）` : ""}｜${rec.itemPath.join(" / ")}`,
    );
  if (r.records.length > LISTED) lines.push(`  ……另有${r.records.length - LISTED}条`);
  if (r.errors.length) {
    lines.push("问题：");
    for (const e of r.errors) for (const l of formatRowErrors(e)) lines.push(`  ${l}`);
    const said = (re: RegExp) => r.errors.some((e) => e.messages.some((m) => re.test(m)));
    if (said(/^有效性“/))
      lines.push("提示：文件特有的有效性写法可整体指定其含义，如 --validity 已修改=有效,部分失效=有效");
    if (said(/^目录事项为空/)) lines.push("提示：未填目录事项的信息可用 --item 指定一个目录事项");
  }
  if (!commit) lines.push("试运行：未写入任何信息。确认无误后加 --commit 导入。");
  else if (r.errors.length)
    lines.push(`有${r.errors.length}行存在问题，未导入任何信息：请修改文件后重新导入。`);
  else if (r.imported === 0) lines.push("文件中没有可导入的信息，未写入任何信息。");
  else lines.push(`已导入${r.imported}条已发布信息（审计记录 #${r.auditSeq}）。`);
  return lines;
}

export const recordsImportCommand: Command = {
  name: "records import",
  summary: "批量导入机关的历史已发布信息（默认试运行；--commit 写入） / import an agency's published records",
  usage: USAGE,
  positionals: true,
  options: {
    agency: { type: "string" },
    item: { type: "string" },
    validity: { type: "string" },
    commit: { type: "boolean" },
    json: { type: "boolean" },
  },
  async run({ values, positionals }, io, env) {
    const slug = requireString(values, "agency", USAGE);
    if (positionals.length !== 1) throw new CliError(`请指定一个导入文件\n用法 / usage: ${USAGE}`, 2);
    const file = positionals[0] as string;
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (e) {
      throw new CliError(`无法读取文件 ${file}：${(e as Error).message}`);
    }
    const commit = values.commit === true;
    return withRuntime(
      async ({ deps }) => {
        const result = await importRecords(deps, {
          agencySlug: slug,
          fileName: path.basename(file),
          bytes,
          ...(typeof values.item === "string" ? { defaultItem: values.item } : {}),
          ...(typeof values.validity === "string" ? { validityWords: values.validity } : {}),
          commit,
          actor: CLI_ACTOR,
        });
        if (values.json)
          printJson(io, {
            ...result,
            records: result.records.map(({ bodyHtml: _h, bodyText: _t, ...r }) => r),
          });
        else io.stdout.write(`${formatImportResult(result, commit).join("\n")}\n`);
        return result.errors.length || result.records.length === 0 ? 1 : 0;
      },
      { io, env },
    );
  },
};
