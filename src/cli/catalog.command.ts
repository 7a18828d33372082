/**
 * @module `gongkai catalog export|lint|show` (`catalog import`: catalog-import.command.ts): the disclosure catalog (主动公开事项目录) from the command line.
 *
 *   gongkai catalog export --agency zhongwei-hrss --format json|xlsx|docx|csv [--out FILE] [--version ID]
 *   gongkai catalog lint   --agency X [--version ID] [--json]
 *   gongkai catalog show   --agency X [--version ID] [--json]
 */
import fs from "node:fs";
import path from "node:path";
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import { walkItems } from "../catalog/catalog.model.ts";
import { exportCatalog } from "../catalog/catalog-export.service.ts";
import { EXPORT_FORMATS, isExportFormat } from "../catalog/catalog-export.ts";
import { lintCatalogVersion } from "../catalog/catalog-lint.service.ts";
import {
  getCatalogVersion,
  getDraftCatalog,
  getPublishedCatalog,
  listCatalogVersions,
} from "../catalog/catalog-tree.service.ts";
import { CliError, type Command, printJson, requireString } from "./command.ts";
import { withRuntime } from "./runtime.ts";

function optional(values: Record<string, unknown>, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

const EXPORT_USAGE = `gongkai catalog export --agency <slug> --format ${EXPORT_FORMATS.join("|")} [--out FILE] [--version ID]`;

export const catalogExportCommand: Command = {
  name: "catalog export",
  summary: "导出主动公开事项目录 / export an agency's disclosure catalog",
  usage: EXPORT_USAGE,
  options: {
    agency: { type: "string" },
    format: { type: "string" },
    out: { type: "string" },
    version: { type: "string" },
  },
  async run({ values }, io, env) {
    const slug = requireString(values, "agency", EXPORT_USAGE);
    const format = requireString(values, "format", EXPORT_USAGE);
    if (!isExportFormat(format))
      throw new CliError(`--format must be one of ${EXPORT_FORMATS.join(", ")}\nusage: ${EXPORT_USAGE}`, 2);
    const out = optional(values, "out");
    if (!out && (format === "xlsx" || format === "docx"))
      throw new CliError(`--out FILE is required for --format ${format}\nusage: ${EXPORT_USAGE}`, 2);
    return withRuntime(
      async ({ deps }) => {
        const agency = await getAgencyBySlug(deps.db, slug);
        const file = await exportCatalog(deps.db, {
          agencyId: agency.id,
          agencySlug: agency.slug,
          agencyName: agency.name,
          format,
          versionId: optional(values, "version"),
        });
        if (out) {
          fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
          fs.writeFileSync(out, file.body);
          io.stderr.write(`gongkai: 已写入 ${out}（${file.body.length} 字节）\n`);
        } else io.stdout.write(file.body.toString("utf8"));
        return 0;
      },
      { io, env },
    );
  },
};

const LINT_USAGE = "gongkai catalog lint --agency <slug> [--version ID] [--json]";
const SEVERITY: Record<string, string> = { error: "错误", warning: "警告", info: "提示" };

export const catalogLintCommand: Command = {
  name: "catalog lint",
  summary: "按条例检查主动公开事项目录 / check a catalog against the Regulations",
  usage: LINT_USAGE,
  options: { agency: { type: "string" }, version: { type: "string" }, json: { type: "boolean" } },
  async run({ values }, io, env) {
    const slug = requireString(values, "agency", LINT_USAGE);
    return withRuntime(
      async ({ deps }) => {
        const agency = await getAgencyBySlug(deps.db, slug);
        const { version, findings } = await lintCatalogVersion(deps.db, {
          agencyId: agency.id,
          agencyName: agency.name,
          agencyShortName: agency.shortName,
          versionId: optional(values, "version"),
        });
        if (values.json)
          printJson(io, {
            agency: agency.slug,
            version: { id: version.id, versionNo: version.versionNo, status: version.status },
            findings,
          });
        else {
          io.stdout.write(`${agency.name} 第${version.versionNo}版：${findings.length} 条检查结果\n`);
          for (const f of findings)
            io.stdout.write(
              `[${SEVERITY[f.severity]}] ${f.itemPath.join(" / ") || "整个目录"}：${f.message}（${f.article}）\n    修改：${f.fix}\n`,
            );
        }
        // Exit 1 when there are errors, so scripts can gate on it.
        return findings.some((f) => f.severity === "error") ? 1 : 0;
      },
      { io, env },
    );
  },
};

const SHOW_USAGE = "gongkai catalog show --agency <slug> [--version ID] [--json]";

export const catalogShowCommand: Command = {
  name: "catalog show",
  summary: "显示目录及其版本 / show a catalog and its versions",
  usage: SHOW_USAGE,
  options: { agency: { type: "string" }, version: { type: "string" }, json: { type: "boolean" } },
  async run({ values }, io, env) {
    const slug = requireString(values, "agency", SHOW_USAGE);
    return withRuntime(
      async ({ deps }) => {
        const agency = await getAgencyBySlug(deps.db, slug);
        const versionId = optional(values, "version");
        const tree = versionId
          ? await getCatalogVersion(deps.db, agency.id, versionId)
          : ((await getPublishedCatalog(deps.db, agency.id)) ?? (await getDraftCatalog(deps.db, agency.id)));
        const versions = await listCatalogVersions(deps.db, agency.id);
        if (values.json) {
          printJson(io, { agency: agency.slug, versions, tree });
          return 0;
        }
        for (const v of versions)
          io.stdout.write(
            `第${v.versionNo}版 ${v.status}${v.publishedAt ? ` 发布于 ${v.publishedAt}` : ""}${v.id === tree?.version.id ? " ←" : ""}\n`,
          );
        if (!tree) {
          io.stdout.write("尚无目录。\n");
          return 0;
        }
        io.stdout.write(`\n${tree.version.title}（第${tree.version.versionNo}版）\n`);
        for (const { item } of walkItems(tree.items))
          io.stdout.write(
            `${"  ".repeat(item.level - 1)}${item.number ? `${item.number} ` : ""}${item.name || "（未命名）"}${item.deadlineText ? `｜${item.deadlineText.replace(/\n/g, " ")}` : ""}\n`,
          );
        return 0;
      },
      { io, env },
    );
  },
};
