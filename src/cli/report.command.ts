/**
 * @module `gongkai report annual`: export an agency's annual report (政府信息公开工作年度报告) as JSON (cells keyed by
 * the official labels of 国办公开办函〔2021〕30号), standalone HTML, .docx, .xlsx or the 图解 page. The stored
 * report is exported when there is one; otherwise the report is generated from the data as a preview (not saved).
 */
import fs from "node:fs";
import path from "node:path";
import { annualReportChartPage } from "../reports/annual-report.chart.ts";
import { checkAnnualReport } from "../reports/annual-report.rules.ts";
import {
  EXPORT_FORMATS,
  type ExportFormat,
  isExportFormat,
  renderExport,
} from "../reports/report.exports.ts";
import { mergeReport } from "../reports/report.rules.ts";
import { buildSourceReport, findReportView, getAgencyBySlug } from "../reports/report.service.ts";
import { CliError, type Command, requireString } from "./command.ts";
import { withRuntime } from "./runtime.ts";

const USAGE =
  "gongkai report annual --agency <slug> --year <YYYY> --format json|html|docx|xlsx|chart [--out FILE]";

export const reportAnnualCommand: Command = {
  name: "report annual",
  summary: "导出政府信息公开工作年度报告 / export an agency's annual report",
  usage: USAGE,
  options: {
    agency: { type: "string" },
    year: { type: "string" },
    format: { type: "string" },
    out: { type: "string" },
  },
  async run({ values }, io, env) {
    const slug = requireString(values, "agency", USAGE);
    const yearText = requireString(values, "year", USAGE);
    if (!/^\d{4}$/.test(yearText)) throw new CliError(`--year must be a 4-digit year\nusage: ${USAGE}`, 2);
    const year = Number(yearText);
    const format = requireString(values, "format", USAGE);
    if (!isExportFormat(format) && format !== "chart") {
      throw new CliError(
        `--format must be one of ${[...Object.keys(EXPORT_FORMATS), "chart"].join(", ")}\nusage: ${USAGE}`,
        2,
      );
    }
    const out = typeof values.out === "string" && values.out.trim() !== "" ? values.out.trim() : undefined;
    if (!out && (format === "docx" || format === "xlsx")) {
      throw new CliError(`--out FILE is required for --format ${format}\nusage: ${USAGE}`, 2);
    }
    return withRuntime(
      async ({ deps }) => {
        const today = deps.clock.today();
        const agency = await getAgencyBySlug(deps.db, slug);
        const stored = await findReportView(deps.db, agency, year, today);
        let data = stored?.data;
        if (!data) {
          data = mergeReport(await buildSourceReport(deps.db, agency, year), {}, {}, agency.name);
          io.stderr.write(`gongkai: ${year}年度报告尚未生成，以下为根据当前数据生成的预览（未保存）。\n`);
        } else {
          io.stderr.write(`gongkai: ${stored?.title}（${stored?.statusLabel}）\n`);
        }
        const findings = stored?.findings ?? checkAnnualReport(data);
        const errors = findings.filter((f) => f.severity === "error");
        if (errors.length > 0) {
          io.stderr.write(
            `gongkai: 校验发现${errors.length}项错误：${errors.map((f) => f.cells.join("、")).join("；")}\n`,
          );
        }
        const body =
          format === "chart"
            ? Buffer.from(annualReportChartPage(data).value, "utf8")
            : (await renderExport(data, format as ExportFormat)).body;
        if (out) {
          fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
          fs.writeFileSync(out, body);
          io.stderr.write(`gongkai: 已写入 ${out}（${body.length} 字节）\n`);
        } else {
          io.stdout.write(body.toString("utf8"));
        }
        return 0;
      },
      { io, env },
    );
  },
};
