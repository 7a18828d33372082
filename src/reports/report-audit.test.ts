import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { renderAnnualReportDocx } from "./annual-report.docx.ts";
import { annualReportDocument } from "./annual-report.html.ts";
import { type AnnualReportData, getCell, NUMERIC_CELLS } from "./annual-report.rules.ts";
import { auditReport, overlap } from "./report-audit.rules.ts";
import { decodeHtmlBytes, readReportFile, readReportHtml } from "./report-import.readers.ts";
import { documentToReport, narrativeSections, parseNumberCell } from "./report-import.rules.ts";

const FIXTURE = fs.readFileSync(
  path.join(import.meta.dirname, "fixtures", "published-report-2023.html"),
  "utf8",
);

function importHtml(html: string) {
  return documentToReport(readReportHtml(html));
}

/** Replaces the n-th numeric cell of the row whose label contains `label` (1-based n) in the fixture. */
function breakCell(html: string, label: string, n: number, value: string): string {
  const start = html.indexOf(label);
  assert.ok(start > 0, `label ${label} not in fixture`);
  const rowEnd = html.indexOf("</tr>", start);
  const row = html.slice(start, rowEnd);
  let i = 0;
  const changed = row.replace(/<td>(\d+)<\/td>/g, (m) => (++i === n ? `<td>${value}</td>` : m));
  assert.equal(i >= n, true, "row has fewer numeric cells");
  return html.slice(0, start) + changed + html.slice(rowEnd);
}

function sameCells(a: AnnualReportData, b: AnnualReportData): string[] {
  return NUMERIC_CELLS.filter((c) => c.path[0] !== "processingFees")
    .filter((c) => getCell(a, c.path) !== getCell(b, c.path))
    .map((c) => `${c.name}: ${getCell(a, c.path)} ≠ ${getCell(b, c.path)}`);
}

describe("reading a published report page", () => {
  const imported = importHtml(FIXTURE);

  test("identity from the article heading, never the breadcrumb or site name", () => {
    assert.equal(imported.title, "杭州市人力资源和社会保障局2023年政府信息公开工作年度报告");
    assert.equal(imported.data.agencyName, "杭州市人力资源和社会保障局");
    assert.equal(imported.data.year, 2023);
    assert.equal(imported.format, "2021");
  });

  test("every table is found and read into the official cells", () => {
    assert.deepEqual(imported.found, {
      proactive: true,
      applications: true,
      reviewLitigation: true,
      sections: ["overview", "proactive", "applications", "review_litigation", "problems", "other_matters"],
    });
    const a = imported.data.applications;
    assert.deepEqual(
      [a.received.natural_person, a.received.commercial, a.received.legal_service, a.received.total],
      [46, 3, 1, 50],
    );
    assert.equal(a.unavailable_not_held.natural_person, 15, "「1、」 enumerator read like 「1.」");
    assert.equal(a.not_processed_petition.legal_service, 1);
    assert.equal(a.other_not_corrected.total, 2);
    assert.equal(a.concluded_total.total, 48);
    assert.equal(a.carried_forward.natural_person, 2);
    const r = imported.data.reviewLitigation;
    assert.deepEqual([r.review.upheld, r.review.total], [7, 7]);
    assert.deepEqual([r.litigation_direct.upheld, r.litigation_after_review.pending], [2, 1]);
    const p = imported.data.proactive;
    assert.equal(p.item1.normative_documents.issued, 2, "full-width ２ read as 2");
    assert.equal(p.item1.normative_documents.in_force, 15);
    assert.equal(p.item5.licensing.decisions, 1203, "a value merged over three columns is read once");
    assert.match(imported.sources["applications.received.total"] ?? "", /^表格\d+第\d+行第\d+列$/);
    assert.deepEqual(
      imported.warnings.map((w) => w.code),
      [],
    );
  });

  test("narratives are split under their headings", () => {
    assert.match(imported.data.overview, /^（一）主动公开。/);
    assert.match(imported.data.overview, /（四）平台建设与监督保障/);
    assert.match(imported.data.problems, /栏目更新台账/);
    assert.match(imported.data.otherMatters, /信息处理费/);
  });

  test("a consistent report passes the audit", () => {
    const audit = auditReport(imported);
    assert.deepEqual(audit.findings, []);
    assert.equal(audit.passed, true);
  });
});

describe("finding a broken 勾稽关系 in a published report", () => {
  test("HTML: （七）总计[自然人] changed from 44 to 45 is named in two failed checks", () => {
    const broken = breakCell(FIXTURE, "（七）总计", 1, "45");
    const audit = auditReport(importHtml(broken));
    assert.equal(audit.passed, false);
    const balance = audit.findings.find((f) => f.code === "applications_balance");
    assert.ok(balance, "一 + 二 = 三（七） + 四 fails for the natural-person column");
    assert.deepEqual(balance.cells, [
      "一、本年新收[自然人]",
      "二、上年结转[自然人]",
      "三（七）总计[自然人]",
      "四、结转下年度继续办理[自然人]",
    ]);
    const total = audit.findings.find((f) => f.code === "applications_concluded_total");
    assert.deepEqual(total?.cells, ["三（七）总计[自然人]"]);
    assert.match(total?.message ?? "", /45.*44/);
  });

  test("HTML: a 总计 column that does not add up names its row", () => {
    const broken = breakCell(FIXTURE, "一、本年新收政府信息公开申请数量", 7, "51");
    const audit = auditReport(importHtml(broken));
    const codes = audit.findings.map((f) => `${f.code}:${f.cells.join(",")}`);
    assert.ok(codes.includes("applications_column_total:一、本年新收[总计]"), codes.join("\n"));
  });

  test("HTML: table 四's 总计 that does not add up", () => {
    const broken = FIXTURE.replace(
      "<tr><td>7</td><td>0</td><td>0</td><td>0</td><td>7</td>",
      "<tr><td>7</td><td>0</td><td>0</td><td>0</td><td>8</td>",
    );
    const audit = auditReport(importHtml(broken));
    assert.deepEqual(
      audit.findings.filter((f) => f.code === "review_litigation_total").map((f) => f.cells),
      [["行政复议·总计"]],
    );
  });

  test(".docx as agencies upload it: round trip exact, then a broken cell is found", async () => {
    const good = importHtml(FIXTURE).data;
    const docx = await readReportFile("report.docx", await renderAnnualReportDocx(good));
    const reread = documentToReport(docx);
    assert.deepEqual(sameCells(reread.data, good), []);
    assert.equal(reread.data.agencyName, good.agencyName);
    assert.equal(auditReport(reread).passed, true, JSON.stringify(auditReport(reread).findings));

    const broken = structuredClone(good);
    broken.applications.received.commercial = 4; // total stays 50
    const audit = auditReport(
      documentToReport(await readReportFile("r.docx", await renderAnnualReportDocx(broken))),
    );
    const named = audit.findings.map((f) => `${f.code}:${f.cells.join(",")}`);
    assert.ok(named.includes("applications_column_total:一、本年新收[总计]"), named.join("\n"));
    assert.ok(
      named.some((n) => n.startsWith("applications_balance:一、本年新收[商业企业]")),
      named.join("\n"),
    );
  });

  test("our own standalone HTML export reads back cell for cell", () => {
    const good = importHtml(FIXTURE).data;
    const reread = importHtml(annualReportDocument(good).toString());
    assert.deepEqual(sameCells(reread.data, good), []);
  });
});

describe("what cannot be read is reported, never taken as 0", () => {
  test("a missing table 三 is an error and its (vacuous) checks are not reported as passing", () => {
    const start = FIXTURE.indexOf("<table", FIXTURE.indexOf("三、收到和处理政府信息公开申请情况"));
    const end = FIXTURE.indexOf("</table>", start) + "</table>".length;
    const audit = auditReport(importHtml(FIXTURE.slice(0, start) + FIXTURE.slice(end)));
    assert.equal(audit.passed, false);
    assert.deepEqual(
      audit.findings
        .filter((f) => f.section === "applications" || f.code === "table_missing")
        .map((f) => f.code),
      ["table_missing"],
    );
  });

  test("a row that is not in the format is reported and the rows that are missing are named", () => {
    const withoutRow = FIXTURE.replace(/<tr><td><p><span>2\.重复申请[\s\S]*?<\/tr>/, "").replace(
      '<td rowspan="5"><p><span>（五）不予处理',
      '<td rowspan="4"><p><span>（五）不予处理',
    );
    const imported = importHtml(withoutRow);
    const missing = imported.warnings.find((w) => w.code === "row_missing");
    assert.deepEqual(missing?.cells, ["三（五）2.重复申请"]);
    assert.equal(auditReport(imported).passed, false);
  });

  test("an unreadable cell is named by the format check", () => {
    const audit = auditReport(importHtml(breakCell(FIXTURE, "（一）予以公开", 1, "十四")));
    const invalid = audit.findings.find((f) => f.code === "invalid_number");
    assert.deepEqual(invalid?.cells, ["三（一）予以公开[自然人]"]);
  });

  test("the superseded 2019 format is an error for a 2021+ report", () => {
    const old = FIXTURE.replace("本年制发件数", "本年新制作数量").replace("本年废止件数", "本年新公开数量");
    const audit = auditReport(importHtml(old));
    assert.ok(audit.findings.some((f) => f.code === "format_2019" && f.severity === "error"));
  });

  test("a PDF or a legacy .doc is refused with a specific code", async () => {
    await assert.rejects(readReportFile("a.pdf", Buffer.from("%PDF-1.7\n")), {
      code: "report_import_unsupported_type",
    });
    await assert.rejects(readReportFile("a.doc", Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3, 4])), {
      code: "report_import_unsupported_type",
    });
    await assert.rejects(readReportFile("a.docx", Buffer.from("PK\x03\x04garbage")), {
      code: "report_import_unreadable",
    });
    await assert.rejects(readReportFile("a.txt", Buffer.from("just text")), {
      code: "report_import_unsupported_type",
    });
  });

  test("a GBK page (as many portals serve) is decoded by its declared charset", () => {
    const gbk = Buffer.from([
      ...Buffer.from('<meta charset="gbk"><p>', "latin1"),
      0xb9,
      0xab,
      0xbf,
      0xaa,
      ...Buffer.from("</p>", "latin1"),
    ]);
    assert.match(decodeHtmlBytes(gbk), /公开/);
  });
});

describe("year on year and copied text", () => {
  const current = importHtml(FIXTURE);

  test("carry-over: this year's 二、上年结转 must equal last year's 四、结转下年度继续办理", () => {
    const previous = structuredClone(current.data);
    previous.year = 2022;
    previous.applications.carried_forward.natural_person = 3;
    previous.applications.carried_forward.total = 3;
    const audit = auditReport(current, { data: previous });
    const f = audit.findings.find(
      (x) => x.code === "carry_over_continuity" && x.cells[0] === "二、上年结转[自然人]",
    );
    assert.ok(f);
    assert.deepEqual(f.cells, ["二、上年结转[自然人]", "2022年度四、结转下年度继续办理[自然人]"]);
    const received = audit.comparison?.find((c) => c.cell === "一、本年新收[总计]");
    assert.deepEqual(received, { cell: "一、本年新收[总计]", previous: 50, current: 50, change: 0 });
  });

  test("a section copied from last year with only the numbers changed is flagged; rewritten text is not", () => {
    const previous = structuredClone(current.data);
    previous.year = 2022;
    previous.applications.carried_forward = { ...previous.applications.carried_over };
    previous.problems = current.data.problems.replace(/2023/g, "2022");
    previous.overview =
      "全年围绕稳就业、保民生推进政务公开，重点做好失业保险稳岗返还、技能提升补贴和企业职工养老保险待遇调整信息的发布，并对照年度要点逐项落实，按季度通报进度。";
    const audit = auditReport(current, { data: previous });
    const copied = audit.findings.filter((f) => f.code === "narrative_copied");
    assert.deepEqual(
      copied.map((f) => f.section),
      ["problems"],
    );
    assert.match(copied[0]?.message ?? "", /100%/);
  });

  test("a peer agency's copied text is flagged in a regional batch", () => {
    const peer = importHtml(FIXTURE.replaceAll("杭州市人力资源和社会保障局", "某某市医疗保障局"));
    const audit = auditReport(current, null, [current, peer]);
    assert.ok(
      audit.findings.some((f) => f.code === "narrative_copied_from_peer" && f.section === "problems"),
    );
  });

  test("overlap: containment of 5-character shingles with numbers masked", () => {
    const text =
      "本年度共受理申请50件，全部在法定期限内答复，未发生行政复议被纠错的情况，答复文书规范，救济渠道告知完整。";
    assert.equal(overlap(text, text.replace("50", "61")), 1);
    assert.equal(overlap("太短了", "太短了"), null);
    const unrelated = overlap(
      text,
      "加强门户网站栏目巡检，建立问题整改台账，每月通报，确保链接可用、内容准确、更新及时。",
    );
    assert.ok(unrelated !== null && unrelated < 0.2);
  });
});

describe("cell and heading variants", () => {
  test("numbers as agencies print them", () => {
    const cases: [string, ReturnType<typeof parseNumberCell>][] = [
      ["0", { kind: "number", value: 0 }],
      ["１２", { kind: "number", value: 12 }],
      ["1,203", { kind: "number", value: 1203 }],
      [" 7 件", { kind: "number", value: 7 }],
      ["0.35", { kind: "number", value: 0.35 }],
      ["—", { kind: "blank" }],
      ["/", { kind: "blank" }],
      ["", { kind: "blank" }],
      ["十四", null],
      ["约5", null],
    ];
    for (const [text, expected] of cases) assert.deepEqual(parseNumberCell(text), expected, text);
  });

  test("headings in order; a later 「一、」 inside a section is text", () => {
    const sections = narrativeSections(
      [
        "一、总体情况",
        "甲",
        "五、存在的主要问题及改进情况",
        "乙",
        "一、加强学习",
        "六、其他需要报告的事项",
        "丙",
      ].map((text) => ({ kind: "paragraph" as const, text })),
    );
    assert.deepEqual(sections, { overview: "甲", problems: "乙\n一、加强学习", other_matters: "丙" });
  });
});
