import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import JSZip from "jszip";
import { renderAnnualReportDocx } from "./annual-report.docx.ts";
import { sampleReport } from "./annual-report.fixtures.ts";
import {
  APPLICATION_ROWS,
  APPLICATIONS_CORNER_NOTE,
  CASE_BLOCKS,
  CASE_RESULTS,
  OUTCOME_GROUPS,
  PROACTIVE_SUBTABLES,
  SECTIONS,
} from "./annual-report.format.ts";

interface DocxCell {
  text: string;
  gridSpan: number;
  vMerge: "restart" | "continue" | null;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

function textOf(xml: string): string {
  return unescapeXml([...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(""));
}

/** A minimal reader of WordprocessingML tables (no nested tables in this document). */
function readTables(xml: string): { grid: number[]; rows: DocxCell[][] }[] {
  return [...xml.matchAll(/<w:tbl>([\s\S]*?)<\/w:tbl>/g)].map((t) => {
    const body = t[1] ?? "";
    const grid = [...body.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((m) => Number(m[1]));
    const rows = [...body.matchAll(/<w:tr(?: [^>]*)?>([\s\S]*?)<\/w:tr>/g)].map((r) =>
      [...(r[1] ?? "").matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((c): DocxCell => {
        const cell = c[1] ?? "";
        const span = /<w:gridSpan w:val="(\d+)"\/>/.exec(cell);
        const merge = /<w:vMerge(?: w:val="(\w+)")?\/>/.exec(cell);
        return {
          text: textOf(cell),
          gridSpan: span ? Number(span[1]) : 1,
          vMerge: merge ? (merge[1] === "restart" ? "restart" : "continue") : null,
        };
      }),
    );
    return { grid, rows };
  });
}

/** Grid position of each cell; asserts each row fills the grid and continuations sit under a merged cell. */
function place(table: { grid: number[]; rows: DocxCell[][] }): { cell: DocxCell; col: number }[][] {
  const placed = table.rows.map((row, r) => {
    let col = 0;
    const out = row.map((cell) => {
      const p = { cell, col };
      col += cell.gridSpan;
      return p;
    });
    assert.equal(col, table.grid.length, `row ${r} spans the whole grid`);
    return out;
  });
  placed.forEach((row, r) => {
    for (const { cell, col } of row) {
      if (cell.vMerge !== "continue") continue;
      const above = placed[r - 1]?.find((p) => p.col === col);
      assert.ok(above, `continuation at row ${r}, column ${col} has a cell above`);
      assert.ok(above.cell.vMerge !== null, `cell above row ${r}, column ${col} is merged`);
      assert.equal(above.cell.gridSpan, cell.gridSpan);
      assert.equal(cell.text, "");
    }
  });
  return placed;
}

function cellAt(placed: { cell: DocxCell; col: number }[][], r: number, col: number): DocxCell {
  const found = placed[r]?.find((p) => p.col === col);
  assert.ok(found, `cell at row ${r}, column ${col}`);
  return found.cell;
}

/** Number of rows a vertically merged cell covers, starting at its restart. */
function mergedRows(placed: { cell: DocxCell; col: number }[][], r: number, col: number): number {
  assert.equal(cellAt(placed, r, col).vMerge, "restart");
  let n = 1;
  while (placed[r + n]?.find((p) => p.col === col)?.cell.vMerge === "continue") n++;
  return n;
}

describe("annual report .docx", () => {
  let documentXml = "";
  let coreXml = "";
  let tables: ReturnType<typeof readTables> = [];

  before(async () => {
    const buffer = await renderAnnualReportDocx(sampleReport());
    assert.ok(Buffer.isBuffer(buffer));
    const zip = await JSZip.loadAsync(buffer);
    documentXml = (await zip.file("word/document.xml")?.async("string")) ?? "";
    coreXml = (await zip.file("docProps/core.xml")?.async("string")) ?? "";
    tables = readTables(documentXml);
  });

  it("is a zip with the document part, titled with the report title", () => {
    assert.ok(documentXml.length > 0);
    assert.match(coreXml, /某某市人力资源和社会保障局2023年政府信息公开工作年度报告/);
  });

  it("contains the title, the six section titles and every official label", () => {
    const text = textOf(documentXml);
    assert.ok(text.includes("某某市人力资源和社会保障局2023年政府信息公开工作年度报告"));
    const labels = [
      ...SECTIONS.map((s) => s.title),
      ...PROACTIVE_SUBTABLES.flatMap((s) => [
        s.heading,
        ...s.columns.map((c) => c.label),
        ...s.rows.map((r) => r.label),
      ]),
      APPLICATIONS_CORNER_NOTE,
      "申请人情况",
      "法人或其他组织",
      "三、本年度办理结果",
      ...APPLICATION_ROWS.map((r) => r.label),
      ...OUTCOME_GROUPS.map((g) => g.label),
      "行政复议",
      "行政诉讼",
      ...CASE_BLOCKS.map((b) => b.label),
      ...CASE_RESULTS.map((r) => r.label),
    ];
    for (const label of labels) assert.ok(text.includes(label), label);
    assert.match(text, /发出收费通知2件/);
  });

  it("uses the official-document fonts and A4 page", () => {
    assert.match(documentXml, /w:eastAsia="方正小标宋简体"/);
    assert.match(documentXml, /w:eastAsia="黑体"/);
    assert.match(documentXml, /w:eastAsia="仿宋_GB2312"/);
    assert.match(documentXml, /w:eastAsia="宋体"/);
    assert.match(documentXml, /<w:pgSz w:w="11906" w:h="16838"/);
  });

  it("has three tables on 4, 10 and 15 grid columns", () => {
    assert.deepEqual(
      tables.map((t) => t.grid.length),
      [4, 10, 15],
    );
  });

  it("table 二: heading rows span 4 columns, single values span 3", () => {
    const t = tables[0];
    assert.ok(t);
    const placed = place(t);
    assert.equal(placed.length, 14);
    assert.deepEqual(cellAt(placed, 0, 0), { text: "第二十条第（一）项", gridSpan: 4, vMerge: null });
    assert.deepEqual(cellAt(placed, 5, 1), { text: "本年处理决定数量", gridSpan: 3, vMerge: null });
    assert.deepEqual(cellAt(placed, 6, 1), { text: "1234", gridSpan: 3, vMerge: null });
    assert.deepEqual(cellAt(placed, 13, 1), { text: "12.3456", gridSpan: 3, vMerge: null });
  });

  it("table 三: merged header (gridSpan/vMerge) exactly as the official layout", () => {
    const t = tables[1];
    assert.ok(t);
    const placed = place(t);
    assert.equal(placed.length, 28);
    assert.deepEqual(cellAt(placed, 0, 0), {
      text: APPLICATIONS_CORNER_NOTE,
      gridSpan: 3,
      vMerge: "restart",
    });
    assert.equal(mergedRows(placed, 0, 0), 3);
    assert.deepEqual(cellAt(placed, 0, 3), { text: "申请人情况", gridSpan: 7, vMerge: null });
    assert.deepEqual(cellAt(placed, 1, 3), { text: "自然人", gridSpan: 1, vMerge: "restart" });
    assert.equal(mergedRows(placed, 1, 3), 2);
    assert.deepEqual(cellAt(placed, 1, 4), { text: "法人或其他组织", gridSpan: 5, vMerge: null });
    assert.deepEqual(cellAt(placed, 1, 9), { text: "总计", gridSpan: 1, vMerge: "restart" });
    assert.equal(mergedRows(placed, 1, 9), 2);
    assert.deepEqual(
      [4, 5, 6, 7, 8].map((c) => cellAt(placed, 2, c).text),
      ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
    );
  });

  it("table 三: row labels and spans", () => {
    const t = tables[1];
    assert.ok(t);
    const placed = place(t);
    assert.deepEqual(cellAt(placed, 3, 0), {
      text: "一、本年新收政府信息公开申请数量",
      gridSpan: 3,
      vMerge: null,
    });
    assert.equal(cellAt(placed, 5, 0).text, "三、本年度办理结果");
    assert.equal(mergedRows(placed, 5, 0), 22);
    assert.deepEqual(cellAt(placed, 5, 1), { text: "（一）予以公开", gridSpan: 2, vMerge: null });
    for (const [row, label, rows] of [
      [7, "（三）不予公开", 8],
      [15, "（四）无法提供", 3],
      [18, "（五）不予处理", 5],
      [23, "（六）其他处理", 3],
    ] as const) {
      assert.equal(cellAt(placed, row, 1).text, label);
      assert.equal(mergedRows(placed, row, 1), rows);
    }
    assert.deepEqual(cellAt(placed, 26, 1), { text: "（七）总计", gridSpan: 2, vMerge: null });
    assert.deepEqual(cellAt(placed, 27, 0), { text: "四、结转下年度继续办理", gridSpan: 3, vMerge: null });
    assert.equal(cellAt(placed, 7, 4).text, "302");
  });

  it("table 四: 行政复议 5 | 行政诉讼 10 with 未经复议直接起诉 / 复议后起诉, one data row", () => {
    const t = tables[2];
    assert.ok(t);
    const placed = place(t);
    assert.equal(placed.length, 4);
    assert.deepEqual(cellAt(placed, 0, 0), { text: "行政复议", gridSpan: 5, vMerge: null });
    assert.deepEqual(cellAt(placed, 0, 5), { text: "行政诉讼", gridSpan: 10, vMerge: null });
    for (let c = 0; c < 5; c++) assert.equal(mergedRows(placed, 1, c), 2);
    assert.deepEqual(cellAt(placed, 1, 5), { text: "未经复议直接起诉", gridSpan: 5, vMerge: null });
    assert.deepEqual(cellAt(placed, 1, 10), { text: "复议后起诉", gridSpan: 5, vMerge: null });
    assert.deepEqual(
      Array.from({ length: 15 }, (_, c) => cellAt(placed, 3, c).text),
      ["1", "2", "3", "4", "10", "5", "6", "7", "8", "26", "9", "10", "11", "12", "42"],
    );
  });
});
