/**
 * A second real published report, complete with table 四 (fixtures/shanghai-2019-office.html, see
 * fixtures/README.md): 上海市人民政府办公厅's 2019 report in the 2019 trial format (国办公开办函〔2019〕60号), as the
 * HTML page and as .docx. The report as published leaves the 总计 column of every outcome row blank — a real
 * 勾稽关系 defect the audit must name cell by cell — while its columns balance (一 + 二 = 三（七）+ 四); a broken
 * balance made on purpose is found with the cells named.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { type AnnualReportData, getCell, NUMERIC_CELLS } from "./annual-report.rules.ts";
import { auditReport } from "./report-audit.rules.ts";
import { docxFromReportPage } from "./report-import.fixtures.ts";
import { readReportFile, readReportHtml } from "./report-import.readers.ts";
import { documentToReport, type ImportedReport } from "./report-import.rules.ts";

const PAGE = fs.readFileSync(path.join(import.meta.dirname, "fixtures", "shanghai-2019-office.html"), "utf8");
const importHtml = (html: string) => documentToReport(readReportHtml(html));
const importDocx = async (html: string) =>
  documentToReport(await readReportFile("report.docx", await docxFromReportPage(html)));

/** The row whose label is `label`: its n-th value cell (1-based, counting after the label) set to `value`. */
function setCell(html: string, label: string, n: number, value: string): string {
  const start = html.indexOf(`<p>${label}</p>`);
  assert.ok(start > 0, `label ${label} not in the page`);
  const end = html.indexOf("</tr>", start);
  let i = 0;
  const row = html
    .slice(start, end)
    .replace(/<p align="center">([^<]*)<\/p>/g, (m, _v: string) =>
      ++i === n ? `<p align="center">${value}</p>` : m,
    );
  assert.ok(i >= n, `row ${label} has ${i} value cells`);
  return html.slice(0, start) + row + html.slice(end);
}

function differences(a: AnnualReportData, b: AnnualReportData): string[] {
  return NUMERIC_CELLS.filter((c) => c.path[0] !== "processingFees")
    .filter((c) => !Object.is(getCell(a, c.path), getCell(b, c.path)))
    .map((c) => `${c.name}: ${getCell(a, c.path)} ≠ ${getCell(b, c.path)}`);
}

const cell = (r: ImportedReport, row: string, column: string) =>
  (r.data.applications as unknown as Record<string, Record<string, number>>)[row]?.[column];

function assertRealCells(r: ImportedReport): void {
  assert.equal(r.data.agencyName, "上海市人民政府办公厅");
  assert.equal(r.data.year, 2019);
  assert.equal(r.format, "2019");
  assert.deepEqual(
    ["natural_person", "commercial", "legal_service", "other_org", "total"].map((c) =>
      cell(r, "received", c),
    ),
    [821, 35, 2, 1, 859],
  );
  assert.equal(cell(r, "carried_over", "natural_person"), 18);
  assert.equal(cell(r, "granted", "natural_person"), 258);
  assert.equal(cell(r, "granted", "commercial"), 12);
  assert.equal(cell(r, "unavailable_not_held", "natural_person"), 252);
  assert.equal(cell(r, "not_processed_petition", "natural_person"), 148);
  assert.deepEqual(
    ["natural_person", "commercial", "legal_service", "other_org", "total"].map((c) =>
      cell(r, "concluded_total", c),
    ),
    [767, 35, 2, 1, 805],
  );
  assert.equal(cell(r, "carried_forward", "total"), 72);
  const rl = r.data.reviewLitigation as unknown as Record<string, Record<string, number>>;
  assert.deepEqual(rl.review, { upheld: 5, corrected: 0, other: 0, pending: 2, total: 7 });
  assert.deepEqual(rl.litigation_direct, { upheld: 8, corrected: 0, other: 0, pending: 1, total: 9 });
  assert.equal(r.found.applications, true);
  assert.equal(r.found.reviewLitigation, true);
}

describe("a real complete report (上海市人民政府办公厅 2019, 2019 trial format)", () => {
  test("HTML page: identity (year before the organ's name), format, tables 三 and 四 read", () => {
    const r = importHtml(PAGE);
    assertRealCells(r);
    const codes = new Set(r.warnings.map((w) => w.code));
    assert.ok(!codes.has("row_missing"), "the 2019 format's single （六）其他处理 row leaves no row missing");
    assert.ok(!codes.has("table_missing"));
  });

  test("audit: the blank 总计 column of the outcome rows is named cell by cell; the columns balance", () => {
    const audit = auditReport(importHtml(PAGE));
    assert.equal(audit.passed, false);
    const named = audit.findings.map((f) => `${f.code}:${f.cells.join(",")}`);
    assert.ok(named.includes("applications_column_total:三（一）予以公开[总计]"), named.join("\n"));
    const granted = audit.findings.find(
      (f) => f.code === "applications_column_total" && f.cells.join() === "三（一）予以公开[总计]",
    );
    assert.match(granted?.message ?? "", /272/, "258 + 12 + 1 + 1 from the applicant columns");
    assert.ok(named.includes("applications_concluded_total:三（七）总计[总计]"), named.join("\n"));
    assert.deepEqual(
      audit.findings.filter((f) => f.code === "applications_balance"),
      [],
      "一 + 二 = 三（七）+ 四 holds in every column as published",
    );
    assert.ok(
      !audit.findings.some((f) => f.code.startsWith("format_")),
      "a 2019 report in the 2019 format is in the format of its year",
    );
  });

  test("HTML page: 四、结转下年度继续办理[自然人] changed from 72 to 70 breaks the balance, cells named", () => {
    const audit = auditReport(importHtml(setCell(PAGE, "四、结转下年度继续办理", 1, "70")));
    const balance = audit.findings.find(
      (f) => f.code === "applications_balance" && f.cells.includes("四、结转下年度继续办理[自然人]"),
    );
    assert.deepEqual(balance?.cells, [
      "一、本年新收[自然人]",
      "二、上年结转[自然人]",
      "三（七）总计[自然人]",
      "四、结转下年度继续办理[自然人]",
    ]);
  });

  test(".docx of the same report: cell for cell as the page; a broken 行政复议 total is found", async () => {
    const page = importHtml(PAGE);
    const docx = await importDocx(PAGE);
    assert.deepEqual(differences(docx.data, page.data), []);
    assertRealCells(docx);
    const broken = PAGE.replace("<td><p>2</p></td><td><p>7</p></td>", "<td><p>2</p></td><td><p>8</p></td>");
    assert.notEqual(broken, PAGE);
    const named = auditReport(await importDocx(broken)).findings.map((f) => `${f.code}:${f.cells.join(",")}`);
    assert.ok(
      named.some((n) => n.includes("行政复议") && n.includes("总计")),
      named.join("\n"),
    );
  });
});
