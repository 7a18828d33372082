/**
 * @module The regional dashboard as an .xlsx workbook (exceljs): one sheet with a row per agency and the
 * dashboard's columns, one with every check of every agency (status, value, points, source).
 */
import ExcelJS from "exceljs";
import { INDICATORS } from "./inspection.rules.ts";
import type { AgencyInspection, RegionDashboard } from "./supervision.service.ts";
import { DASHBOARD_COLUMNS } from "./supervision.views.ts";

const STATUS_LABEL = { pass: "合格", warn: "提醒", fail: "不合格", veto: "单项否决" } as const;

export async function dashboardWorkbook(
  d: RegionDashboard,
  rows: readonly AgencyInspection[],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "公开 Gongkai";
  const sheet = wb.addWorksheet("辖区机关");
  sheet.addRow([`${d.region?.name ?? "全平台"}政务公开检查（统计日期 ${d.asOf}）`]);
  sheet.addRow(["机关", "区划", ...DASHBOARD_COLUMNS.map((c) => c.label), "单项否决"]);
  for (const r of rows)
    sheet.addRow([
      r.agency.name,
      r.regionName,
      ...DASHBOARD_COLUMNS.map((c) => c.show(r)),
      r.summary.veto ? "是" : "否",
    ]);
  sheet.getRow(2).font = { bold: true };
  sheet.columns.forEach((c, i) => {
    c.width = i === 0 ? 28 : 14;
  });
  const checks = wb.addWorksheet("检查明细");
  checks.addRow(["机关", "指标", "结果", "数值", "说明", "扣分", "依据"]);
  checks.getRow(1).font = { bold: true };
  for (const r of rows)
    for (const c of r.checks)
      checks.addRow([r.agency.name, c.label, STATUS_LABEL[c.status], c.value, c.detail, c.points, c.source]);
  const basis = wb.addWorksheet("指标依据");
  basis.addRow(["指标", "规则", "依据", "每处扣分"]);
  for (const i of INDICATORS) basis.addRow([i.label, i.rule, i.source, i.pointsEach]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
