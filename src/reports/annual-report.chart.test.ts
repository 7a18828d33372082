import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type HTMLElement, parse } from "node-html-parser";
import {
  annualReportChartPage,
  annualReportCharts,
  type BarChart,
  barChartSvg,
  compareFigure,
  keyFigures,
  textWidth,
} from "./annual-report.chart.ts";
import { sampleReport } from "./annual-report.fixtures.ts";
import { emptyReport } from "./annual-report.rules.ts";

function svgOf(chart: BarChart): HTMLElement {
  const svg = parse(String(barChartSvg(chart))).querySelector("svg");
  assert.ok(svg);
  return svg;
}

const chart: BarChart = {
  id: "c1",
  title: "测试图",
  unit: "件",
  groups: [
    {
      label: "规章",
      bars: [
        { label: "本年制发件数", value: 10 },
        { label: "本年废止件数", value: 5 },
        { label: "现行有效件数", value: 0 },
      ],
    },
  ],
};

describe("barChartSvg", () => {
  it("is an accessible image: role, <title> and <desc> referenced by aria-labelledby", () => {
    const svg = svgOf(chart);
    assert.equal(svg.getAttribute("role"), "img");
    assert.equal(svg.getAttribute("aria-labelledby"), "c1-title c1-desc");
    assert.equal(svg.querySelector("#c1-title")?.text, "测试图");
    assert.equal(
      svg.querySelector("#c1-desc")?.text,
      "测试图（单位：件）。规章：本年制发件数10件，本年废止件数5件，现行有效件数0件。",
    );
  });
  it("labels every bar with its text and value", () => {
    const texts = svgOf(chart)
      .querySelectorAll("text")
      .map((t) => t.text);
    assert.deepEqual(texts, ["规章", "本年制发件数", "10件", "本年废止件数", "5件", "现行有效件数", "0件"]);
  });
  it("draws bar lengths proportional to the values", () => {
    const widths = svgOf(chart)
      .querySelectorAll("rect")
      .map((r) => Number(r.getAttribute("width")));
    assert.equal(widths.length, 3);
    assert.ok((widths[0] ?? 0) > 0);
    assert.equal(widths[1], Math.round((widths[0] ?? 0) / 2));
    assert.equal(widths[2], 0);
  });
  it("fits the labels: bars start right of the widest label", () => {
    const svg = svgOf(chart);
    const x = Number(svg.querySelector("rect")?.getAttribute("x"));
    assert.ok(x >= textWidth("本年制发件数"));
  });
  it("escapes text", () => {
    const out = String(barChartSvg({ ...chart, title: "<b>&" }));
    assert.ok(out.includes("&lt;b&gt;&amp;"));
    assert.ok(!out.includes("<b>"));
  });
  it("draws an all-zero chart without dividing by zero", () => {
    const out = String(
      barChartSvg({ id: "z", title: "零", unit: "件", groups: [{ bars: [{ label: "甲", value: 0 }] }] }),
    );
    assert.ok(!out.includes("NaN"));
  });
});

describe("annualReportCharts", () => {
  it("charts the main figures from the data", () => {
    const charts = annualReportCharts(sampleReport());
    assert.deepEqual(
      charts.map((c) => c.id),
      ["chart-proactive", "chart-applicants", "chart-results", "chart-withheld", "chart-cases"],
    );
    const applicants = charts[1];
    assert.deepEqual(
      applicants?.groups[0]?.bars.map((b) => b.label),
      ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
    );
    const results = charts[2]?.groups[0]?.bars;
    assert.deepEqual(
      results?.map((b) => b.label),
      ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理", "结转下年度继续办理"],
    );
    // 予以公开 总计 = 101+…+106 = 621; 不予公开 = rows 3–10.
    assert.equal(results?.[0]?.value, 621);
    const withheldTotal = [3, 4, 5, 6, 7, 8, 9, 10].reduce((s, i) => s + 600 * i + 21, 0);
    assert.equal(results?.[2]?.value, withheldTotal);
    assert.equal(results?.[6]?.value, 42);
    assert.deepEqual(
      charts[4]?.groups.map((g) => [g.label, g.bars.map((b) => b.value)]),
      [
        ["行政复议", [1, 2, 3, 4]],
        ["行政诉讼（未经复议直接起诉）", [5, 6, 7, 8]],
        ["行政诉讼（复议后起诉）", [9, 10, 11, 12]],
      ],
    );
  });
  it("gives the headline figures", () => {
    const figures = Object.fromEntries(keyFigures(sampleReport()).map((f) => [f.label, f.value]));
    assert.equal(figures.上年结转申请, "21件");
    assert.equal(figures.行政事业性收费, "12.3456万元");
    assert.equal(figures["行政复议、行政诉讼"], "78件");
  });
});

describe("key figures compared with last year", () => {
  const cases: [number, number, string, string | undefined, string][] = [
    [12, 10, "up", "20.0%", "比上年增长20.0%"],
    [7, 8, "down", "12.5%", "比上年下降12.5%"],
    [5, 5, "same", undefined, "与上年持平"],
    [3, 0, "new", undefined, "上年为0，本年3件"],
  ];
  for (const [current, previous, direction, percent, text] of cases) {
    it(`${previous} → ${current}: ${text}`, () => {
      const c = compareFigure(current, previous, "件");
      assert.equal(c.direction, direction);
      assert.equal(c.percent, percent);
      assert.equal(c.text, text);
      assert.equal(c.previous, `${previous}件`);
    });
  }
  it("each key figure carries its change when last year's report is given, none without", () => {
    const now = sampleReport();
    const before = structuredClone(now);
    before.year = now.year - 1;
    before.applications.received.total = now.applications.received.total * 2;
    const figures = keyFigures(now, before);
    const received = figures.find((f) => f.label === "本年新收政府信息公开申请");
    assert.equal(received?.change?.direction, "down");
    assert.equal(received?.change?.percent, "50.0%");
    assert.ok(figures.every((f) => f.change !== undefined));
    assert.ok(keyFigures(now).every((f) => f.change === undefined));
    const page = String(annualReportChartPage(now, before));
    assert.match(page, /比上年下降50\.0%/);
    assert.match(page, new RegExp(`与${before.year}年度报告对比`));
  });
});

describe("annualReportChartPage", () => {
  it("is a page with one figure per chart, each with a caption", () => {
    const root = parse(String(annualReportChartPage(sampleReport())));
    assert.equal(root.querySelector("html")?.getAttribute("lang"), "zh-CN");
    assert.equal(
      root.querySelector("h1")?.text,
      "图解：某某市人力资源和社会保障局2023年政府信息公开工作年度报告",
    );
    const figures = root.querySelectorAll("figure");
    assert.equal(figures.length, 5);
    for (const f of figures) {
      assert.ok(f.querySelector("svg title")?.text);
      assert.ok(f.querySelector("svg desc")?.text);
      assert.ok(f.querySelector("figcaption")?.text);
    }
    assert.equal(root.querySelectorAll("dl dt").length, 9);
  });
  it("renders an empty report", () => {
    const out = String(annualReportChartPage(emptyReport(2024, "某某局")));
    assert.ok(!out.includes("NaN"));
  });
});
