/**
 * The format definition against an independent transcription of legal-spec §2 (国办公开办函〔2021〕30号, 2021
 * format). The literals below are copied from the spec, not from annual-report.format.ts, so a typo in either
 * fails here.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  APPLICANT_HEADER,
  APPLICANT_TYPE_CODES,
  APPLICANT_TYPES,
  APPLICATION_COLUMNS,
  APPLICATION_ROWS,
  APPLICATIONS_CORNER_NOTE,
  APPLICATIONS_LABEL_COLUMNS,
  CASE_BLOCKS,
  CASE_RESULTS,
  CONCLUDED_TOTAL_LABEL,
  caseCellName,
  FORMAT_BASIS,
  formatNumber,
  LITIGATION_HEADER,
  ORGANISATION_HEADER,
  OUTCOME_CODES,
  OUTCOME_GROUPS,
  OUTCOMES,
  PROACTIVE_CONTENT_HEADER,
  PROACTIVE_GRID_COLUMNS,
  PROACTIVE_SUBTABLES,
  paragraphs,
  processingFeesSentence,
  RESULTS_GROUP_LABEL,
  RESULTS_ROWSPAN,
  REVIEW_HEADER,
  reportTitle,
  SECTIONS,
  UNCONFIRMED_OUTCOME_CODES,
} from "./annual-report.format.ts";

// ---- Transcribed from legal-spec §2.2 ----
const EXPECTED_SECTIONS = [
  "一、总体情况",
  "二、主动公开政府信息情况",
  "三、收到和处理政府信息公开申请情况",
  "四、政府信息公开行政复议、行政诉讼情况",
  "五、存在的主要问题及改进情况",
  "六、其他需要报告的事项",
];

// ---- Transcribed from legal-spec §2.3 (table 二, cell for cell) ----
const EXPECTED_TABLE_2 = [
  {
    heading: "第二十条第（一）项",
    header: ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    rows: ["规章", "行政规范性文件"],
  },
  { heading: "第二十条第（五）项", header: ["信息内容", "本年处理决定数量"], rows: ["行政许可"] },
  { heading: "第二十条第（六）项", header: ["信息内容", "本年处理决定数量"], rows: ["行政处罚", "行政强制"] },
  {
    heading: "第二十条第（八）项",
    header: ["信息内容", "本年收费金额（单位：万元）"],
    rows: ["行政事业性收费"],
  },
];

// ---- Transcribed from legal-spec §2.4 (table 三) ----
const EXPECTED_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";
const EXPECTED_COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"];
const EXPECTED_ORG_COLUMNS = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"];
/** [group label or null, row label] in official order; group null = row directly under 三 or top level. */
const EXPECTED_ROWS: [string | null, string][] = [
  [null, "一、本年新收政府信息公开申请数量"],
  [null, "二、上年结转政府信息公开申请数量"],
  [null, "（一）予以公开"],
  [null, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"],
  ["（三）不予公开", "1.属于国家秘密"],
  ["（三）不予公开", "2.其他法律行政法规禁止公开"],
  ["（三）不予公开", "3.危及“三安全一稳定”"],
  ["（三）不予公开", "4.保护第三方合法权益"],
  ["（三）不予公开", "5.属于三类内部事务信息"],
  ["（三）不予公开", "6.属于四类过程性信息"],
  ["（三）不予公开", "7.属于行政执法案卷"],
  ["（三）不予公开", "8.属于行政查询事项"],
  ["（四）无法提供", "1.本机关不掌握相关政府信息"],
  ["（四）无法提供", "2.没有现成信息需要另行制作"],
  ["（四）无法提供", "3.补正后申请内容仍不明确"],
  ["（五）不予处理", "1.信访举报投诉类申请"],
  ["（五）不予处理", "2.重复申请"],
  ["（五）不予处理", "3.要求提供公开出版物"],
  ["（五）不予处理", "4.无正当理由大量反复申请"],
  ["（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"],
  ["（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"],
  ["（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"],
  ["（六）其他处理", "3.其他"],
  [null, "（七）总计"],
  [null, "四、结转下年度继续办理"],
];

// ---- Transcribed from legal-spec §2.5 (table 四) ----
const EXPECTED_TABLE_4_COLUMNS = [
  "行政复议·结果维持",
  "行政复议·结果纠正",
  "行政复议·其他结果",
  "行政复议·尚未审结",
  "行政复议·总计",
  "行政诉讼·未经复议直接起诉·结果维持",
  "行政诉讼·未经复议直接起诉·结果纠正",
  "行政诉讼·未经复议直接起诉·其他结果",
  "行政诉讼·未经复议直接起诉·尚未审结",
  "行政诉讼·未经复议直接起诉·总计",
  "行政诉讼·复议后起诉·结果维持",
  "行政诉讼·复议后起诉·结果纠正",
  "行政诉讼·复议后起诉·其他结果",
  "行政诉讼·复议后起诉·尚未审结",
  "行政诉讼·复议后起诉·总计",
];

describe("annual report format: identity and sections", () => {
  it("names 国办公开办函〔2021〕30号", () => {
    assert.equal(FORMAT_BASIS, "国办公开办函〔2021〕30号");
  });
  it("has the six sections in order, 一/五/六 narrative and 二–四 tables", () => {
    assert.deepEqual(
      SECTIONS.map((s) => s.title),
      EXPECTED_SECTIONS,
    );
    assert.deepEqual(
      SECTIONS.map((s) => s.kind),
      ["narrative", "table", "table", "table", "narrative", "narrative"],
    );
  });
  it("builds the title as in published reports", () => {
    assert.equal(
      reportTitle("某某市人力资源和社会保障局", 2023),
      "某某市人力资源和社会保障局2023年政府信息公开工作年度报告",
    );
  });
});

describe("annual report format: table 二 (2021 format)", () => {
  it("has exactly the four sub-tables, headers and rows of the spec", () => {
    assert.equal(PROACTIVE_SUBTABLES.length, EXPECTED_TABLE_2.length);
    PROACTIVE_SUBTABLES.forEach((sub, i) => {
      const expected = EXPECTED_TABLE_2[i];
      assert.ok(expected);
      assert.equal(sub.heading, expected.heading);
      assert.deepEqual([PROACTIVE_CONTENT_HEADER, ...sub.columns.map((c) => c.label)], expected.header);
      assert.deepEqual(
        sub.rows.map((r) => r.label),
        expected.rows,
      );
    });
  });
  it("is 4 grid columns wide (heading rows span 4, single values span 3)", () => {
    assert.equal(PROACTIVE_GRID_COLUMNS, 4);
    assert.equal(Math.max(...PROACTIVE_SUBTABLES.map((s) => s.columns.length)) + 1, PROACTIVE_GRID_COLUMNS);
  });
  it("does not contain the 2019 trial-format items", () => {
    const all = JSON.stringify(PROACTIVE_SUBTABLES);
    for (const old of [
      "第二十条第（九）项",
      "其他对外管理服务事项",
      "本年新制作数量",
      "上一年项目数量",
      "采购总金额",
    ]) {
      assert.ok(!all.includes(old), old);
    }
  });
  it("uses 万元 only for 行政事业性收费", () => {
    assert.deepEqual(
      PROACTIVE_SUBTABLES.map((s) => s.unit),
      ["件", "件", "件", "万元"],
    );
  });
});

describe("annual report format: table 三", () => {
  it("has the corner note, the two-level applicant header and 7 data columns", () => {
    assert.equal(APPLICATIONS_CORNER_NOTE, EXPECTED_CORNER);
    assert.equal(APPLICANT_HEADER, "申请人情况");
    assert.equal(ORGANISATION_HEADER, "法人或其他组织");
    assert.equal(APPLICATIONS_LABEL_COLUMNS, 3);
    assert.deepEqual(
      APPLICATION_COLUMNS.map((c) => c.label),
      EXPECTED_COLUMNS,
    );
    assert.deepEqual(
      APPLICANT_TYPES.filter((t) => t.organisation).map((t) => t.label),
      EXPECTED_ORG_COLUMNS,
    );
  });
  it("has the 25 rows in official order with their groups", () => {
    assert.deepEqual(
      APPLICATION_ROWS.map((r): [string | null, string] => [r.groupLabel ?? null, r.label]),
      EXPECTED_ROWS,
    );
  });
  it("nests the rows: top-level rows, rows under 三 (colspan 2), grouped sub-rows", () => {
    assert.deepEqual(
      APPLICATION_ROWS.filter((r) => r.level === "top").map((r) => r.label),
      ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "四、结转下年度继续办理"],
    );
    assert.deepEqual(
      APPLICATION_ROWS.filter((r) => r.level === "result").map((r) => r.label),
      ["（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（七）总计"],
    );
    assert.equal(RESULTS_GROUP_LABEL, "三、本年度办理结果");
    assert.equal(CONCLUDED_TOTAL_LABEL, "（七）总计");
  });
  it("spans 三、本年度办理结果 over 22 rows and the groups over 8, 3, 5, 3", () => {
    assert.equal(RESULTS_ROWSPAN, 22);
    assert.deepEqual(
      OUTCOME_GROUPS.map((g) => [g.label, g.outcomes.length]),
      [
        ["（一）予以公开", 1],
        ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1],
        ["（三）不予公开", 8],
        ["（四）无法提供", 3],
        ["（五）不予处理", 5],
        ["（六）其他处理", 3],
      ],
    );
  });
  it("uses Chinese curly quotes in 3.危及“三安全一稳定”", () => {
    const row = OUTCOMES.find((o) => o.code === "withheld_security_stability");
    assert.equal(row?.label, "3.危及\u201c三安全一稳定\u201d");
  });
});

describe("annual report format: codes for the applications feature", () => {
  it("has 21 unique outcome codes, one per outcome row, in row order", () => {
    assert.equal(OUTCOME_CODES.length, 21);
    assert.equal(new Set(OUTCOME_CODES).size, 21);
    assert.deepEqual(
      OUTCOME_CODES,
      APPLICATION_ROWS.slice(2, 23).map((r) => r.code),
    );
  });
  it("has the fixed outcome codes (a rename would break stored applications)", () => {
    assert.deepEqual(OUTCOME_CODES, [
      "granted",
      "partially_granted",
      "withheld_state_secret",
      "withheld_prohibited_by_law",
      "withheld_security_stability",
      "withheld_third_party",
      "withheld_internal_affairs",
      "withheld_process_information",
      "withheld_enforcement_file",
      "withheld_administrative_inquiry",
      "unavailable_not_held",
      "unavailable_needs_creation",
      "unavailable_still_unclear",
      "not_processed_petition",
      "not_processed_repeated",
      "not_processed_publication",
      "not_processed_excessive",
      "not_processed_confirmation",
      "other_not_corrected",
      "other_fee_unpaid",
      "other_other",
    ]);
  });
  it("has the six applicant-type codes in column order", () => {
    assert.deepEqual(APPLICANT_TYPE_CODES, [
      "natural_person",
      "commercial",
      "research",
      "public_interest",
      "legal_service",
      "other_org",
    ]);
  });
  it("marks the three （六） sub-rows as unconfirmed (🟡 in the spec)", () => {
    for (const code of UNCONFIRMED_OUTCOME_CODES) assert.ok(OUTCOME_CODES.includes(code));
    assert.deepEqual(
      OUTCOMES.filter((o) => o.group === "other").map((o) => o.code),
      [...UNCONFIRMED_OUTCOME_CODES],
    );
  });
  it("names cells by row path, e.g. 三（七）总计 and 三（三）1.属于国家秘密", () => {
    const names = Object.fromEntries(APPLICATION_ROWS.map((r) => [r.code, r.cellName]));
    assert.equal(names.concluded_total, "三（七）总计");
    assert.equal(names.withheld_state_secret, "三（三）1.属于国家秘密");
    assert.equal(names.partially_granted, "三（二）部分公开");
    assert.equal(names.other_other, "三（六）3.其他");
    assert.equal(names.received, "一、本年新收");
    assert.equal(new Set(APPLICATION_ROWS.map((r) => r.cellName)).size, 25);
  });
});

describe("annual report format: table 四", () => {
  it("has 行政复议 (5) and 行政诉讼 (未经复议直接起诉 5, 复议后起诉 5) = 15 cells", () => {
    assert.equal(REVIEW_HEADER, "行政复议");
    assert.equal(LITIGATION_HEADER, "行政诉讼");
    const names = CASE_BLOCKS.flatMap((b) => CASE_RESULTS.map((r) => caseCellName(b.code, r.code)));
    assert.deepEqual(names, EXPECTED_TABLE_4_COLUMNS);
  });
});

describe("annual report format: helpers", () => {
  const cases: [number, string][] = [
    [0, "0"],
    [12, "12"],
    [0.1 + 0.2, "0.3"],
    [12.3456, "12.3456"],
    [Number.NaN, ""],
  ];
  for (const [value, expected] of cases) {
    it(`formats ${value} as "${expected}"`, () => assert.equal(formatNumber(value), expected));
  }
  it("splits narratives into trimmed non-empty paragraphs", () => {
    assert.deepEqual(paragraphs(" 甲 \n\n乙\r\n"), ["甲", "乙"]);
  });
  it("writes the 信息处理费 sentence with the figures, or says none was collected", () => {
    assert.equal(
      processingFeesSentence({ notices: 0, amount_notified: 0, amount_collected: 0 }),
      "本年度未收取政府信息公开信息处理费。",
    );
    const sentence = processingFeesSentence({ notices: 3, amount_notified: 4700, amount_collected: 2000 });
    assert.match(sentence, /发出收费通知3件/);
    assert.match(sentence, /通知收费金额4700元/);
    assert.match(sentence, /实际收取信息处理费2000元/);
  });
});
