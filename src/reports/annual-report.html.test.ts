import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { type HTMLElement, parse } from "node-html-parser";
import { sampleReport } from "./annual-report.fixtures.ts";
import { annualReportArticle, annualReportDocument } from "./annual-report.html.ts";

const data = sampleReport();
const root = parse(String(annualReportDocument(data)));

function tableById(id: string): HTMLElement {
  const table = root.querySelector(`#${id}`);
  assert.ok(table, `table #${id}`);
  return table;
}

/**
 * Lays a table out on its grid as a browser does (rowspan/colspan), row group by row group, and checks that every
 * row is exactly `width` slots wide, nothing overlaps, and no rowspan leaves its row group.
 */
function layout(table: HTMLElement, width: number): (HTMLElement | undefined)[][] {
  const grid: (HTMLElement | undefined)[][] = [];
  const groups = table.childNodes.filter(
    (n): n is HTMLElement =>
      "tagName" in n && ["THEAD", "TBODY", "TFOOT"].includes((n as HTMLElement).tagName),
  );
  for (const group of groups) {
    const start = grid.length;
    const rows = group.querySelectorAll("tr");
    for (let r = 0; r < rows.length; r++) grid.push(Array.from({ length: width }, () => undefined));
    rows.forEach((tr, r) => {
      let c = 0;
      for (const cell of tr.childNodes.filter((n): n is HTMLElement => "tagName" in n)) {
        const row = grid[start + r];
        assert.ok(row);
        while (c < width && row[c] !== undefined) c++;
        const colspan = Number(cell.getAttribute("colspan") ?? 1);
        const rowspan = Number(cell.getAttribute("rowspan") ?? 1);
        assert.ok(r + rowspan <= rows.length, `rowspan of “${cell.text}” stays in its row group`);
        for (let dr = 0; dr < rowspan; dr++) {
          for (let dc = 0; dc < colspan; dc++) {
            const target = grid[start + r + dr];
            assert.ok(target && c + dc < width, `“${cell.text}” fits in ${width} columns`);
            assert.equal(target[c + dc], undefined, `“${cell.text}” overlaps another cell`);
            target[c + dc] = cell;
          }
        }
        c += colspan;
      }
    });
  }
  grid.forEach((row, i) => {
    assert.ok(
      row.every((slot) => slot !== undefined),
      `row ${i} is completely filled`,
    );
  });
  return grid;
}

function at(grid: (HTMLElement | undefined)[][], r: number, c: number): HTMLElement {
  const cell = grid[r]?.[c];
  assert.ok(cell, `cell ${r},${c}`);
  return cell;
}

function span(cell: HTMLElement): [number, number] {
  return [Number(cell.getAttribute("rowspan") ?? 1), Number(cell.getAttribute("colspan") ?? 1)];
}

/** The texts of the header cells a data cell names in `headers`, in order. */
function headerTexts(cell: HTMLElement): string[] {
  return (cell.getAttribute("headers") ?? "").split(" ").map((id) => {
    const th = root.querySelector(`#${id}`);
    assert.ok(th, `header #${id} exists`);
    assert.equal(th.tagName, "TH");
    return th.text;
  });
}

function findCell(table: HTMLElement, text: string): HTMLElement {
  const found = table.querySelectorAll("td").filter((td) => td.text === text);
  assert.equal(found.length, 1, `exactly one cell “${text}”`);
  return found[0] as HTMLElement;
}

describe("annual report HTML: document", () => {
  it("is a zh-CN document with the title, six h2 sections in order and three captioned tables", () => {
    assert.equal(root.querySelector("html")?.getAttribute("lang"), "zh-CN");
    assert.equal(root.querySelector("h1")?.text, "某某市人力资源和社会保障局2023年政府信息公开工作年度报告");
    assert.deepEqual(
      root.querySelectorAll("h2").map((h) => h.text),
      [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
      ],
    );
    const tables = root.querySelectorAll("table");
    assert.equal(tables.length, 3);
    for (const table of tables) {
      assert.ok(table.querySelector("caption")?.text, "caption");
      assert.ok(table.querySelector("thead"), "thead");
    }
  });
  it("writes narratives as paragraphs, escaped, and the 信息处理费 sentence in 六", () => {
    const d = sampleReport();
    d.overview = "第一段<script>alert(1)</script>\n第二段";
    d.agencyName = "A&B局";
    const out = String(annualReportArticle(d));
    assert.ok(!out.includes("<script>"));
    assert.ok(out.includes("第一段&lt;script&gt;"));
    assert.ok(out.includes("A&amp;B局2023年"));
    const doc = parse(out);
    const sections = doc.querySelectorAll("section");
    assert.deepEqual(
      sections[0]?.querySelectorAll("p").map((p) => p.text),
      ["第一段<script>alert(1)</script>", "第二段"],
    );
    assert.match(sections[5]?.text ?? "", /发出收费通知2件，通知收费金额3000元，实际收取信息处理费1000元/);
    assert.match(sections[5]?.text ?? "", /本年度无其他需要报告的事项/);
  });
  it("prefixes ids so two reports can share a page", () => {
    const a = String(annualReportArticle(data, { idPrefix: "r2023" }));
    assert.ok(a.includes('id="r2023-t3-applicant"'));
    assert.ok(!a.includes('id="ar-'));
  });
});

describe("annual report HTML: table 二", () => {
  // Computed inside each test, so a malformed table fails the tests rather than the suite's set-up.
  let table: HTMLElement;
  let grid: (HTMLElement | undefined)[][];
  beforeEach(() => {
    table = tableById("ar-table-proactive");
    grid = layout(table, 4);
  });
  it("stacks four sub-tables; heading rows span 4 columns", () => {
    const headings = table.querySelectorAll("th").filter((th) => th.getAttribute("colspan") === "4");
    assert.deepEqual(
      headings.map((h) => h.text),
      ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"],
    );
    assert.equal(grid.length, 14);
  });
  it("spans single values over 3 columns", () => {
    assert.equal(at(grid, 5, 1).text, "本年处理决定数量");
    assert.deepEqual(span(at(grid, 5, 1)), [1, 3]);
    assert.equal(at(grid, 6, 0).text, "行政许可");
    assert.equal(at(grid, 6, 3).text, "1234");
    assert.deepEqual(span(at(grid, 6, 1)), [1, 3]);
    assert.equal(at(grid, 12, 1).text, "本年收费金额（单位：万元）");
    assert.equal(at(grid, 13, 1).text, "12.3456");
  });
  it("links each value to its sub-table, column and row headers", () => {
    assert.deepEqual(headerTexts(findCell(table, "16")), [
      "第二十条第（一）项",
      "现行有效件数",
      "行政规范性文件",
    ]);
    assert.deepEqual(headerTexts(findCell(table, "56")), [
      "第二十条第（六）项",
      "本年处理决定数量",
      "行政处罚",
    ]);
  });
});

describe("annual report HTML: table 三", () => {
  // Computed inside each test, so a malformed table fails the tests rather than the suite's set-up.
  let table: HTMLElement;
  let grid: (HTMLElement | undefined)[][];
  beforeEach(() => {
    table = tableById("ar-table-applications");
    grid = layout(table, 10);
  });
  it("has 3 header rows and 25 data rows on a 10-column grid", () => {
    assert.equal(table.querySelectorAll("thead tr").length, 3);
    assert.equal(grid.length, 28);
  });
  it("mirrors the official merged header", () => {
    const corner = at(grid, 0, 0);
    assert.equal(corner.text, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）");
    assert.deepEqual(span(corner), [3, 3]);
    assert.equal(at(grid, 2, 2), corner);
    assert.equal(at(grid, 0, 3).text, "申请人情况");
    assert.deepEqual(span(at(grid, 0, 3)), [1, 7]);
    assert.equal(at(grid, 0, 3).getAttribute("scope"), "colgroup");
    assert.equal(at(grid, 1, 3).text, "自然人");
    assert.deepEqual(span(at(grid, 1, 3)), [2, 1]);
    assert.equal(at(grid, 1, 4).text, "法人或其他组织");
    assert.deepEqual(span(at(grid, 1, 4)), [1, 5]);
    assert.equal(at(grid, 1, 9).text, "总计");
    assert.deepEqual(span(at(grid, 1, 9)), [2, 1]);
    assert.deepEqual(
      [4, 5, 6, 7, 8].map((c) => at(grid, 2, c).text),
      ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
    );
    for (const c of [4, 5, 6, 7, 8]) assert.equal(at(grid, 2, c).getAttribute("scope"), "col");
  });
  it("mirrors the official row labels and spans", () => {
    assert.equal(at(grid, 3, 0).text, "一、本年新收政府信息公开申请数量");
    assert.deepEqual(span(at(grid, 3, 0)), [1, 3]);
    const results = at(grid, 5, 0);
    assert.equal(results.text, "三、本年度办理结果");
    assert.deepEqual(span(results), [22, 1]);
    assert.equal(results.getAttribute("scope"), "rowgroup");
    assert.equal(at(grid, 26, 0), results);
    assert.equal(at(grid, 5, 1).text, "（一）予以公开");
    assert.deepEqual(span(at(grid, 5, 1)), [1, 2]);
    assert.equal(at(grid, 6, 1).text, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）");
    const groups: [number, string, number][] = [
      [7, "（三）不予公开", 8],
      [15, "（四）无法提供", 3],
      [18, "（五）不予处理", 5],
      [23, "（六）其他处理", 3],
    ];
    for (const [row, label, rows] of groups) {
      assert.equal(at(grid, row, 1).text, label);
      assert.deepEqual(span(at(grid, row, 1)), [rows, 1]);
    }
    assert.equal(at(grid, 9, 2).text, "3.危及“三安全一稳定”");
    assert.equal(at(grid, 26, 1).text, "（七）总计");
    assert.deepEqual(span(at(grid, 26, 1)), [1, 2]);
    assert.equal(at(grid, 27, 0).text, "四、结转下年度继续办理");
    assert.deepEqual(span(at(grid, 27, 0)), [1, 3]);
  });
  it("places the values in the right cells", () => {
    assert.equal(at(grid, 5, 3).text, "101"); // （一）予以公开[自然人]
    assert.equal(at(grid, 7, 4).text, "302"); // （三）1.属于国家秘密[商业企业]
    assert.equal(at(grid, 25, 8).text, "2106"); // （六）3.其他[其他]
    assert.equal(at(grid, 4, 9).text, "21"); // 二、上年结转[总计] = 1+…+6
    assert.equal(at(grid, 27, 9).text, "42"); // 四、结转下年度继续办理[总计]
  });
  it("links each value to all its headers (two-level column, nested rows)", () => {
    assert.deepEqual(headerTexts(at(grid, 7, 4)), [
      "申请人情况",
      "法人或其他组织",
      "商业企业",
      "三、本年度办理结果",
      "（三）不予公开",
      "1.属于国家秘密",
    ]);
    assert.deepEqual(headerTexts(at(grid, 3, 3)), [
      "申请人情况",
      "自然人",
      "一、本年新收政府信息公开申请数量",
    ]);
    assert.deepEqual(headerTexts(at(grid, 26, 9)), [
      "申请人情况",
      "总计",
      "三、本年度办理结果",
      "（七）总计",
    ]);
  });
});

describe("annual report HTML: table 四", () => {
  // Computed inside each test, so a malformed table fails the tests rather than the suite's set-up.
  let table: HTMLElement;
  let grid: (HTMLElement | undefined)[][];
  beforeEach(() => {
    table = tableById("ar-table-review-litigation");
    grid = layout(table, 15);
  });
  it("mirrors the official header: 行政复议 5 | 行政诉讼 10 (5 + 5)", () => {
    assert.equal(grid.length, 4);
    assert.equal(at(grid, 0, 0).text, "行政复议");
    assert.deepEqual(span(at(grid, 0, 0)), [1, 5]);
    assert.equal(at(grid, 0, 5).text, "行政诉讼");
    assert.deepEqual(span(at(grid, 0, 5)), [1, 10]);
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((c) => [at(grid, 1, c).text, ...span(at(grid, 1, c))]),
      [
        ["结果维持", 2, 1],
        ["结果纠正", 2, 1],
        ["其他结果", 2, 1],
        ["尚未审结", 2, 1],
        ["总计", 2, 1],
      ],
    );
    assert.equal(at(grid, 1, 5).text, "未经复议直接起诉");
    assert.deepEqual(span(at(grid, 1, 5)), [1, 5]);
    assert.equal(at(grid, 1, 10).text, "复议后起诉");
    assert.deepEqual(span(at(grid, 1, 10)), [1, 5]);
    assert.deepEqual(
      Array.from({ length: 10 }, (_, i) => at(grid, 2, 5 + i).text),
      [
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
      ],
    );
  });
  it("has one data row of 15 values in order", () => {
    assert.deepEqual(
      Array.from({ length: 15 }, (_, i) => at(grid, 3, i).text),
      ["1", "2", "3", "4", "10", "5", "6", "7", "8", "26", "9", "10", "11", "12", "42"],
    );
    assert.deepEqual(headerTexts(at(grid, 3, 14)), ["行政诉讼", "复议后起诉", "总计"]);
    assert.deepEqual(headerTexts(at(grid, 3, 1)), ["行政复议", "结果纠正"]);
  });
});

describe("heading level option", () => {
  it("headingLevel 2 puts the title in h2 and the sections in h3 (for pages with their own h1)", () => {
    const doc = parse(String(annualReportArticle(data, { headingLevel: 2 })));
    assert.equal(doc.querySelectorAll("h1").length, 0);
    assert.equal(doc.querySelectorAll("h2").length, 1);
    assert.deepEqual(
      doc.querySelectorAll("h3").map((h) => h.text),
      [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
      ],
    );
    assert.equal(parse(String(annualReportArticle(data))).querySelectorAll("h1").length, 1);
  });
});
