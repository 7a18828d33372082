/**
 * @module `gongkai report audit FILE|DIR… [--previous FILE|DIR…] [--json]`: audit published annual reports (the
 * HTML page or .docx as agencies publish them, on the platform or not). Prints the cells read and every failed
 * check with the cells named; exit 0 when every report passes, 1 when any has an error-level finding, 2 on usage.
 * Needs no database.
 */
import fs from "node:fs";
import path from "node:path";
import { auditReportFiles, type FileAudit, type ReportFile } from "../reports/report-audit.service.ts";
import { CliError, type CliIo, type Command, printJson } from "./command.ts";

const USAGE = "gongkai report audit FILE|DIR... [--previous FILE|DIR ...] [--json]";
const REPORT_FILE = /\.(?:html?|docx|shtml)$/i;

function collect(args: readonly string[], what: string): ReportFile[] {
  const files: ReportFile[] = [];
  for (const arg of args) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(arg);
    } catch {
      throw new CliError(`${what} “${arg}” does not exist\nusage: ${USAGE}`, 2);
    }
    const paths = stat.isDirectory()
      ? fs
          .readdirSync(arg)
          .filter((n) => REPORT_FILE.test(n))
          .sort()
          .map((n) => path.join(arg, n))
      : [arg];
    for (const p of paths) files.push({ name: p, bytes: fs.readFileSync(p) });
  }
  return files;
}

function printHuman(io: CliIo, audits: readonly FileAudit[]): void {
  for (const a of audits) {
    io.stdout.write(
      `${a.file}\n  ${a.title ?? "（未识别标题）"} — ${a.agencyName || "（未识别机关）"} ${a.year || "?"}年度，${a.format}格式\n`,
    );
    if (a.previousFile) io.stdout.write(`  对照上年报告：${a.previousFile}\n`);
    io.stdout.write(`  结论：${a.passed ? "通过" : "未通过"}（${a.findings.length}项发现）\n`);
    for (const f of a.findings)
      io.stdout.write(
        `  [${f.severity === "error" ? "错误" : "提示"}] ${f.message}${f.cells.length ? `（${f.cells.join("、")}）` : ""}\n`,
      );
    if (a.comparison?.length) {
      io.stdout.write("  同比：\n");
      for (const c of a.comparison)
        io.stdout.write(
          `    ${c.cell}: ${c.previous} → ${c.current}（${c.change >= 0 ? "+" : ""}${c.change}）\n`,
        );
    }
  }
}

export const reportAuditCommand: Command = {
  name: "report audit",
  summary: "审核已公开的年度报告（勾稽关系、缺项、同比、雷同） / audit published annual reports",
  usage: USAGE,
  positionals: true,
  options: { previous: { type: "string", multiple: true }, json: { type: "boolean" } },
  async run({ values, positionals }, io) {
    if (positionals.length === 0) throw new CliError(`FILE is required\nusage: ${USAGE}`, 2);
    const files = collect(positionals, "FILE");
    if (files.length === 0) throw new CliError(`no .html/.docx report found in ${positionals.join(", ")}`, 2);
    const previous = collect((values.previous as string[] | undefined) ?? [], "--previous");
    const audits = await auditReportFiles(files, previous);
    if (values.json) printJson(io, audits.length === 1 ? audits[0] : audits);
    else printHuman(io, audits);
    return audits.every((a) => a.passed) ? 0 : 1;
  },
};
