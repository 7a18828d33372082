/**
 * A real published annual report (fixtures/hanyang-2022-office.html, see fixtures/README.md) imported as the HTML
 * page and as .docx: every cell read, a deliberately broken 勾稽关系 found with the cells named; then the layouts
 * agencies really publish, applied to the same report: the table broken across pages, padding cells, blank cells
 * for 0, full-width digits, units.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { APPLICATION_COLUMNS } from "./annual-report.format.ts";
import { type AnnualReportData, getCell, NUMERIC_CELLS } from "./annual-report.rules.ts";
import { auditReport } from "./report-audit.rules.ts";
import { docxFromReportPage } from "./report-import.fixtures.ts";
import { readReportFile, readReportHtml } from "./report-import.readers.ts";
import { documentToReport, type ImportedReport } from "./report-import.rules.ts";

const PAGE = fs.readFileSync(path.join(import.meta.dirname, "fixtures", "hanyang-2022-office.html"), "utf8");

const importHtml = (html: string) => documentToReport(readReportHtml(html));
const importDocx = async (html: string) =>
  documentToReport(await readReportFile("report.docx", await docxFromReportPage(html)));

/** The n-th value cell (1-based) of the row whose label is `label`, set to `value`. */
function setCell(html: string, label: string, n: number, value: string): string {
  const start = html.indexOf(`>${label}</span>`);
  assert.ok(start > 0, `label ${label} not in the page`);
  const end = html.indexOf("</tr>", start);
  let i = 0;
  const row = html
    .slice(start, end)
    .replace(/(font-family:宋体">)(\d+)(<\/span>)/g, (m, a: string, _v: string, b: string) =>
      ++i === n ? `${a}${value}${b}` : m,
    );
  assert.ok(i >= n, `row ${label} has ${i} value cells`);
  return html.slice(0, start) + row + html.slice(end);
}

function differences(a: AnnualReportData, b: AnnualReportData): string[] {
  return NUMERIC_CELLS.filter((c) => c.path[0] !== "processingFees")
    .filter((c) => getCell(a, c.path) !== getCell(b, c.path))
    .map((c) => `${c.name}: ${getCell(a, c.path)} ≠ ${getCell(b, c.path)}`);
}

/** Every cell of table 三 that is not 0, as `row[column]=value`. */
function nonZeroApplications(r: ImportedReport): string[] {
  const out: string[] = [];
  for (const [row, cols] of Object.entries(r.data.applications))
    for (const c of APPLICATION_COLUMNS) {
      const v = (cols as Record<string, number>)[c.code];
      if (v !== 0) out.push(`${row}[${c.code}]=${v}`);
    }
  return out;
}

const EXPECTED_APPLICATIONS = [
  "received[natural_person]=8",
  "received[total]=8",
  "granted[natural_person]=2",
  "granted[total]=2",
  "partially_granted[natural_person]=2",
  "partially_granted[total]=2",
  "withheld_process_information[natural_person]=1",
  "withheld_process_information[total]=1",
  "unavailable_not_held[natural_person]=2",
  "unavailable_not_held[total]=2",
  "other_other[natural_person]=1",
  "other_other[total]=1",
  "concluded_total[natural_person]=8",
  "concluded_total[total]=8",
];

function assertRealCells(r: ImportedReport): void {
  assert.equal(r.data.agencyName, "汉阳区人民政府办公室");
  assert.equal(r.data.year, 2022);
  assert.equal(r.format, "2021");
  assert.deepEqual(nonZeroApplications(r).sort(), [...EXPECTED_APPLICATIONS].sort());
  const p = r.data.proactive;
  assert.deepEqual(
    [p.item1.rules.issued, p.item1.rules.repealed, p.item1.rules.in_force],
    [0, 0, 0],
    "the blank 规章·现行有效件数 reads as 0",
  );
  assert.deepEqual(
    [
      p.item1.normative_documents.issued,
      p.item1.normative_documents.repealed,
      p.item1.normative_documents.in_force,
    ],
    [5, 12, 8],
  );
  assert.equal(p.item8.administrative_fees.amount, 0);
  assert.deepEqual(r.found, {
    proactive: true,
    applications: true,
    reviewLitigation: false,
    sections: ["overview", "proactive", "applications"],
  });
}

describe("a real published report (汉阳区人民政府办公室 2022)", () => {
  test("HTML page: every cell read; the blank cell is named; table 四 (not in the stored copy) is reported missing", () => {
    const r = importHtml(PAGE);
    assertRealCells(r);
    assert.deepEqual(
      r.warnings.map((w) => `${w.code}:${w.cells.join(",")}`),
      ["table_missing:四、政府信息公开行政复议、行政诉讼情况", "cell_blank:规章·现行有效件数"],
    );
    const audit = auditReport(r);
    assert.deepEqual(
      audit.findings.filter((f) => f.code.startsWith("applications_")),
      [],
      "table 三 as published is consistent",
    );
  });

  test("HTML page: （七）总计[自然人] changed from 8 to 9 is found with the cells named", () => {
    const audit = auditReport(importHtml(setCell(PAGE, "(七)总计", 1, "9")));
    assert.equal(audit.passed, false);
    const balance = audit.findings.find((f) => f.code === "applications_balance");
    assert.deepEqual(balance?.cells, [
      "一、本年新收[自然人]",
      "二、上年结转[自然人]",
      "三（七）总计[自然人]",
      "四、结转下年度继续办理[自然人]",
    ]);
    const total = audit.findings.find((f) => f.code === "applications_concluded_total");
    assert.deepEqual(total?.cells, ["三（七）总计[自然人]"]);
    assert.match(total?.message ?? "", /9.*8/);
  });

  test(".docx of the same report: cell for cell as the page, and a broken 总计 column is found", async () => {
    const page = importHtml(PAGE);
    const docx = await importDocx(PAGE);
    assert.deepEqual(differences(docx.data, page.data), []);
    assertRealCells(docx);

    const broken = await importDocx(setCell(PAGE, "一、本年新收政府信息公开申请数量", 7, "9"));
    const named = auditReport(broken).findings.map((f) => `${f.code}:${f.cells.join(",")}`);
    assert.ok(named.includes("applications_column_total:一、本年新收[总计]"), named.join("\n"));
    assert.ok(
      named.some((n) => n.startsWith("applications_balance:一、本年新收[总计]")),
      named.join("\n"),
    );
  });
});

describe("layouts agencies publish, applied to the real report: same cells", () => {
  const reference = importHtml(PAGE).data;
  const same = (html: string) => assert.deepEqual(differences(importHtml(html).data, reference), []);

  test("table 三 broken across pages inside a group (Word prints two tables; 「2.没有现成信息…」 loses its group cell)", async () => {
    const at = PAGE.indexOf("<tr>", PAGE.indexOf(">1.本机关不掌握相关政府信息</span>"));
    const split = `${PAGE.slice(0, at)}</tbody></table>\n<p></p>\n<table class="MsoNormalTable"><tbody>${PAGE.slice(at)}`;
    same(split);
    assert.deepEqual(differences((await importDocx(split)).data, reference), []);
  });

  test("padding cells after the last column (gridAfter) are not read as values", () => {
    same(PAGE.replace(/<\/tr>/g, "<td></td><td>&nbsp;</td></tr>"));
  });

  test("blank cells for 0 in the organisation columns, full-width digits and units", () => {
    const blanks = PAGE.replace(/(font-family:宋体">)0(<\/span>)/g, "$1$2");
    const r = importHtml(blanks);
    assert.deepEqual(differences(r.data, reference), []);
    assert.ok(
      r.warnings.some((w) => w.code === "cell_blank" && w.cells.includes("一、本年新收[商业企业]")),
      "blank cells are named, then read as 0",
    );
    const fullWidth = setCell(
      setCell(PAGE, "一、本年新收政府信息公开申请数量", 1, "８"),
      "(七)总计",
      7,
      "8件",
    );
    same(fullWidth);
  });
});
