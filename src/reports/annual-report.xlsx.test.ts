import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import ExcelJS from "exceljs";
import { sampleReport } from "./annual-report.fixtures.ts";
import { APPLICATION_ROWS, APPLICATIONS_CORNER_NOTE } from "./annual-report.format.ts";
import { renderAnnualReportXlsx, XLSX_SHEETS } from "./annual-report.xlsx.ts";

describe("annual report .xlsx (re-read with exceljs)", () => {
  const wb = new ExcelJS.Workbook();

  before(async () => {
    const buffer = await renderAnnualReportXlsx(sampleReport());
    assert.ok(Buffer.isBuffer(buffer));
    // exceljs types its Buffer as an ArrayBuffer; a Node Buffer is what it reads at runtime.
    await wb.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  });

  function sheet(name: string): ExcelJS.Worksheet {
    const ws = wb.getWorksheet(name);
    assert.ok(ws, `sheet ${name}`);
    return ws;
  }

  function merges(ws: ExcelJS.Worksheet): string[] {
    return [...ws.model.merges].sort();
  }

  function value(ws: ExcelJS.Worksheet, address: string): unknown {
    return ws.getCell(address).value;
  }

  it("has the info sheet and one sheet per table, named by section title", () => {
    assert.deepEqual(
      wb.worksheets.map((w) => w.name),
      [
        "报告信息",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
      ],
    );
    const info = sheet(XLSX_SHEETS.info);
    assert.equal(value(info, "A1"), "某某市人力资源和社会保障局2023年政府信息公开工作年度报告");
    assert.equal(value(info, "B3"), 2023);
    assert.equal(value(info, "A5"), "一、总体情况");
  });

  it("table 二: merged heading rows and single-value spans", () => {
    const ws = sheet(XLSX_SHEETS.proactive);
    assert.deepEqual(
      merges(ws),
      [
        "A1:D1",
        "A2:D2",
        "B7:D7",
        "B8:D8",
        "A6:D6",
        "A9:D9",
        "B10:D10",
        "B11:D11",
        "B12:D12",
        "A13:D13",
        "B14:D14",
        "B15:D15",
      ].sort(),
    );
    assert.equal(value(ws, "A2"), "第二十条第（一）项");
    assert.deepEqual(
      ["A3", "B3", "C3", "D3"].map((a) => value(ws, a)),
      ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    );
    assert.deepEqual(
      ["A5", "B5", "C5", "D5"].map((a) => value(ws, a)),
      ["行政规范性文件", 4, 5, 16],
    );
    assert.equal(value(ws, "B7"), "本年处理决定数量");
    assert.equal(value(ws, "B8"), 1234);
    assert.equal(value(ws, "A13"), "第二十条第（八）项");
    assert.equal(value(ws, "B14"), "本年收费金额（单位：万元）");
    assert.equal(value(ws, "B15"), 12.3456);
  });

  it("table 三: the official merged header and row spans", () => {
    const ws = sheet(XLSX_SHEETS.applications);
    assert.deepEqual(
      merges(ws),
      [
        "A1:J1", // sheet title
        "A2:C4", // corner note, 3×3
        "D2:J2", // 申请人情况
        "D3:D4", // 自然人
        "E3:I3", // 法人或其他组织
        "J3:J4", // 总计
        "A5:C5", // 一、本年新收
        "A6:C6", // 二、上年结转
        "A7:A28", // 三、本年度办理结果 (22 rows)
        "B7:C7", // （一）
        "B8:C8", // （二）
        "B9:B16", // （三） 8
        "B17:B19", // （四） 3
        "B20:B24", // （五） 5
        "B25:B27", // （六） 3
        "B28:C28", // （七）总计
        "A29:C29", // 四、结转下年度继续办理
      ].sort(),
    );
    assert.equal(value(ws, "A2"), APPLICATIONS_CORNER_NOTE);
    assert.equal(value(ws, "D2"), "申请人情况");
    assert.equal(value(ws, "D3"), "自然人");
    assert.equal(value(ws, "E3"), "法人或其他组织");
    assert.equal(value(ws, "J3"), "总计");
    assert.deepEqual(
      ["E4", "F4", "G4", "H4", "I4"].map((a) => value(ws, a)),
      ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
    );
    assert.equal(value(ws, "A7"), "三、本年度办理结果");
    assert.equal(value(ws, "B9"), "（三）不予公开");
    assert.equal(value(ws, "C11"), "3.危及“三安全一稳定”");
    assert.equal(value(ws, "B28"), "（七）总计");
    // Row labels in order: column A for top rows, B for 三's direct rows, C for grouped sub-rows.
    const labels = APPLICATION_ROWS.map((row, i) => {
      const r = 5 + i;
      const col = row.level === "top" ? "A" : row.level === "result" ? "B" : "C";
      return value(ws, `${col}${r}`);
    });
    assert.deepEqual(
      labels,
      APPLICATION_ROWS.map((r) => r.label),
    );
    assert.equal(value(ws, "D7"), 101);
    assert.equal(value(ws, "E9"), 302);
    assert.equal(value(ws, "J6"), 21);
    assert.equal(value(ws, "J29"), 42);
  });

  it("table 四: 行政复议 5 | 行政诉讼 10 (5 + 5), rowspan 2 on the 复议 results", () => {
    const ws = sheet(XLSX_SHEETS.reviewLitigation);
    assert.deepEqual(
      merges(ws),
      ["A1:O1", "A2:E2", "F2:O2", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "F3:J3", "K3:O3"].sort(),
    );
    assert.equal(value(ws, "A2"), "行政复议");
    assert.equal(value(ws, "F2"), "行政诉讼");
    assert.equal(value(ws, "F3"), "未经复议直接起诉");
    assert.equal(value(ws, "K3"), "复议后起诉");
    assert.deepEqual(
      ["A3", "B3", "C3", "D3", "E3"].map((a) => value(ws, a)),
      ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
    );
    assert.deepEqual(
      ["F4", "J4", "K4", "O4"].map((a) => value(ws, a)),
      ["结果维持", "总计", "结果维持", "总计"],
    );
    const row5 = Array.from({ length: 15 }, (_, i) => ws.getCell(5, i + 1).value);
    assert.deepEqual(row5, [1, 2, 3, 4, 10, 5, 6, 7, 8, 26, 9, 10, 11, 12, 42]);
  });
});
