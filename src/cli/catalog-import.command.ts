/**
 * @module `gongkai catalog import`: read a catalog file and print, row by row, what the import read from it — number
 * and name, the deadline as written with the parser's reading (or 未能解读 and why), channels, 公开主体, 对象, 方式,
 * 层级, 责任单位, the columns whose 「同上」 was resolved, and the row's warnings — plus the changes against the
 * published version (issue #15: a preview a clerk can trust, also from the command line).
 *
 *   gongkai catalog import --agency X --file F [--dry-run | --commit [--replace-draft]] [--json]
 *
 * Without `--dry-run` the preview is stored (its number can be committed later from the console); `--dry-run` saves
 * nothing at all; `--commit` saves the import as a new draft version.
 */
import fs from "node:fs";
import path from "node:path";
import { systemActor } from "../accounts/policy.ts";
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import { levelName } from "../catalog/catalog.model.ts";
import type { ImportPreview, ImportRowReport } from "../catalog/catalog-import.rules.ts";
import {
  commitImport,
  type ImportChanges,
  importChanges,
  parseCatalogFile,
  previewImport,
} from "../catalog/catalog-import.service.ts";
import { CliError, type Command, printJson, requireString } from "./command.ts";
import { withRuntime } from "./runtime.ts";

const CLI_ACTOR = systemActor("命令行");

const IMPORT_USAGE =
  "gongkai catalog import --agency <slug> --file FILE [--dry-run | --commit [--replace-draft]] [--json]";

const CHANGE_KINDS: Record<string, string> = { added: "新增", removed: "删除", changed: "修改" };

/** One row of the preview as text lines: what the import read, then the row's warnings. */
export function formatImportRow(r: ImportRowReport): string[] {
  const f = r.fields;
  const name = r.path[r.path.length - 1] || "（未命名）";
  const lines = [
    `${r.table} 第${r.row}行｜${levelName(r.level)}｜${f?.number ? `${f.number} ` : ""}${name}${r.path.length > 1 ? `（${r.path.slice(0, -1).join(" / ")}）` : ""}`,
  ];
  const field = (label: string, value: string | null | undefined) => {
    if (value !== null && value !== undefined && value !== "") lines.push(`  ${label}：${value}`);
  };
  if (f) {
    if (f.deadlineText) {
      lines.push(`  公开时限（原文）：${f.deadlineText.replace(/\s*\n\s*/g, " ")}`);
      for (const reading of f.deadlineReading) lines.push(`    解读：${reading}`);
      for (const clause of f.deadlineUnparsed)
        lines.push(`    未能解读：${clause}（原文保留，不据此计算截止日期）`);
    } else lines.push("  公开时限：—（未填写）");
    field("公开渠道", f.channels.join("、"));
    field("公开主体", f.subject);
    field("公开对象", f.audience);
    field("公开方式", f.mode);
    field("公开层级", f.adminLevel);
    field("责任单位", f.responsible);
    if (f.elements > 0) field("公开内容", `${f.elements}项`);
    if (f.ditto.length) field("同上", `取上一行：${f.ditto.join("、")}`);
  }
  for (const w of r.warnings) lines.push(`  提示：${w}`);
  return lines;
}

function formatChanges(c: ImportChanges): string[] {
  if (!c.against) return [`尚无已发布的目录版本：导入后全部事项为新增（${c.diff.added}项）。`];
  const { diff } = c;
  const lines = [
    `与已发布的第${c.against.versionNo}版相比：新增${diff.added}项、删除${diff.removed}项、修改${diff.changed}项` +
      (diff.needsReason.length
        ? `；其中${diff.needsReason.length}项删除或减弱了公开承诺，发布前须说明理由`
        : "") +
      "。",
  ];
  for (const ch of diff.changes) {
    // A removal is its own weakening: one line says both.
    const removedWeakening = ch.kind === "removed" && ch.weakenings.length > 0;
    lines.push(
      `  ${CHANGE_KINDS[ch.kind] ?? ch.kind}：${ch.path.join(" / ")}${ch.fields.length ? `（${ch.fields.join("、")}）` : ""}${removedWeakening ? "（减弱公开承诺，须说明理由）" : ""}`,
    );
    if (!removedWeakening) for (const w of ch.weakenings) lines.push(`    减弱：${w.message}`);
  }
  return lines;
}

function summary(p: ImportPreview, format: string): string {
  return `${p.title}（${format}）：一级事项${p.counts.level1}项、二级事项${p.counts.level2}项、三级事项${p.counts.level3}项${p.counts.deeper ? `、四级及以下事项${p.counts.deeper}项` : ""}，公开内容${p.counts.elements}项，提示${p.counts.warnings}条`;
}

export const catalogImportCommand: Command = {
  name: "catalog import",
  summary:
    "导入目录文件：逐行显示读出的内容（--dry-run 不保存；--commit 保存为草稿） / import a catalog file, row by row",
  usage: IMPORT_USAGE,
  options: {
    agency: { type: "string" },
    file: { type: "string" },
    "dry-run": { type: "boolean" },
    commit: { type: "boolean" },
    "replace-draft": { type: "boolean" },
    json: { type: "boolean" },
  },
  async run({ values }, io, env) {
    const slug = requireString(values, "agency", IMPORT_USAGE);
    const file = requireString(values, "file", IMPORT_USAGE);
    const dryRun = values["dry-run"] === true;
    if (dryRun && (values.commit === true || values["replace-draft"] === true))
      throw new CliError(
        `--dry-run saves nothing: it cannot be combined with --commit\nusage: ${IMPORT_USAGE}`,
        2,
      );
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (e) {
      throw new CliError(`cannot read ${file}: ${(e as Error).message}`);
    }
    return withRuntime(
      async ({ deps }) => {
        const agency = await getAgencyBySlug(deps.db, slug);
        const now = deps.clock.now();
        const fileName = path.basename(file);
        let importId: string | null = null;
        let format: string;
        let p: ImportPreview;
        if (dryRun) {
          ({ format, preview: p } = await parseCatalogFile(fileName, bytes, deps.documents));
        } else {
          const result = await previewImport(deps.db, {
            agencyId: agency.id,
            fileName,
            bytes,
            actor: CLI_ACTOR,
            now,
            documents: deps.documents,
          });
          ({ importId, format, preview: p } = result);
        }
        const changes = await importChanges(deps.db, agency.id, p.doc);
        const version =
          values.commit && importId
            ? await commitImport(deps, {
                agencyId: agency.id,
                importId,
                actor: CLI_ACTOR,
                now,
                replaceDraft: values["replace-draft"] === true,
              })
            : null;
        if (values.json) {
          const { doc, ...rest } = p;
          printJson(io, {
            dryRun,
            importId,
            format,
            ...rest,
            items: doc.items,
            changes,
            committedVersion: version,
          });
          return 0;
        }
        io.stdout.write(`${summary(p, format)}\n`);
        for (const n of p.header.notes ?? []) io.stdout.write(`目录注释：${n}\n`);
        for (const n of p.notes) io.stdout.write(`注：${n}\n`);
        io.stdout.write("\n逐行预览：\n");
        for (const r of p.rows) io.stdout.write(`${formatImportRow(r).join("\n")}\n`);
        io.stdout.write(`\n${formatChanges(changes).join("\n")}\n\n`);
        if (version) io.stdout.write(`已保存为第${version.versionNo}版草稿（${version.id}）。\n`);
        else if (dryRun) io.stdout.write("试运行（--dry-run）：未保存任何内容。\n");
        else io.stdout.write(`预览编号 ${importId}；确认无误后加 --commit 保存为草稿。\n`);
        return 0;
      },
      { io, env },
    );
  },
};
