import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { previousYearOf, sampleReport } from "./annual-report.fixtures.ts";
import { APPLICANT_TYPE_CODES, APPLICATION_COLUMNS, OUTCOME_CODES } from "./annual-report.format.ts";
import {
  type AnnualReportData,
  aggregateReports,
  checkAnnualReport,
  computeTotals,
  emptyReport,
  type Finding,
  isSubmittable,
  NUMERIC_CELLS,
} from "./annual-report.rules.ts";

function codes(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.code);
}

/** A consistent report that also passes the narrative checks. */
function valid(): AnnualReportData {
  return sampleReport();
}

describe("checkAnnualReport: a consistent report", () => {
  it("has no findings", () => {
    assert.deepEqual(checkAnnualReport(valid()), []);
  });
  it("has no findings with a matching previous year", () => {
    const current = valid();
    const previous = previousYearOf(current);
    assert.equal(previous.year, 2022);
    assert.deepEqual(checkAnnualReport(previous), []);
    assert.deepEqual(checkAnnualReport(current, previous), []);
  });
  it("accepts an all-zero report with narratives", () => {
    const data = emptyReport(2023, "某某局");
    data.overview = "概述";
    data.problems = "问题";
    assert.deepEqual(checkAnnualReport(data), []);
  });
});

interface FailCase {
  name: string;
  mutate: (d: AnnualReportData) => void;
  expected: { code: string; cells: string[]; message?: RegExp }[];
}

/** Each mutation breaks exactly the listed checks, naming exactly these cells. */
const FAIL_CASES: FailCase[] = [
  {
    name: "（七）总计[商业企业] one more than its parts (identity and row total kept)",
    mutate: (d) => {
      d.applications.concluded_total.commercial += 1;
      d.applications.carried_forward.commercial -= 1;
      d.applications.concluded_total.total += 1;
      d.applications.carried_forward.total -= 1;
    },
    expected: [
      {
        code: "applications_concluded_total",
        cells: ["三（七）总计[商业企业]"],
        message: /^三（七）总计\[商业企业\] = 23143，但（一）至（六）各项之和为 23142。$/,
      },
      // （七）总计[总计] is both a row and a column total: it no longer equals the outcomes' 总计 column.
      { code: "applications_concluded_total", cells: ["三（七）总计[总计]"] },
    ],
  },
  {
    name: "an outcome cell changed without its totals",
    mutate: (d) => {
      d.applications.withheld_state_secret.research += 5;
    },
    expected: [
      { code: "applications_concluded_total", cells: ["三（七）总计[科研机构]"] },
      {
        code: "applications_column_total",
        cells: ["三（三）1.属于国家秘密[总计]"],
        message: /= 1821，但自然人与法人或其他组织各项之和为 1826/,
      },
    ],
  },
  {
    name: "（七）总计 and 总计 re-totalled after an outcome change, but 一 not updated (column identity)",
    mutate: (d) => {
      d.applications.withheld_state_secret.research += 5;
      Object.assign(d, computeTotals(d));
    },
    expected: [
      {
        code: "applications_balance",
        cells: [
          "一、本年新收[科研机构]",
          "二、上年结转[科研机构]",
          "三（七）总计[科研机构]",
          "四、结转下年度继续办理[科研机构]",
        ],
      },
      {
        code: "applications_balance",
        cells: [
          "一、本年新收[总计]",
          "二、上年结转[总计]",
          "三（七）总计[总计]",
          "四、结转下年度继续办理[总计]",
        ],
      },
    ],
  },
  {
    name: "一、本年新收[自然人] too low (identity breaks in 自然人 and 总计)",
    mutate: (d) => {
      d.applications.received.natural_person -= 3;
      d.applications.received.total -= 3;
    },
    expected: [
      {
        code: "applications_balance",
        cells: [
          "一、本年新收[自然人]",
          "二、上年结转[自然人]",
          "三（七）总计[自然人]",
          "四、结转下年度继续办理[自然人]",
        ],
        message:
          /^一、本年新收\[自然人\] \+ 二、上年结转\[自然人\] = 23120，但三（七）总计\[自然人\] \+ 四、结转下年度继续办理\[自然人\] = 23123/,
      },
      {
        code: "applications_balance",
        cells: [
          "一、本年新收[总计]",
          "二、上年结转[总计]",
          "三（七）总计[总计]",
          "四、结转下年度继续办理[总计]",
        ],
      },
    ],
  },
  {
    name: "identity broken in the 总计 column only",
    mutate: (d) => {
      d.applications.carried_forward.total += 1;
    },
    expected: [
      {
        code: "applications_balance",
        cells: [
          "一、本年新收[总计]",
          "二、上年结转[总计]",
          "三（七）总计[总计]",
          "四、结转下年度继续办理[总计]",
        ],
      },
      { code: "applications_column_total", cells: ["四、结转下年度继续办理[总计]"] },
    ],
  },
  {
    name: "行政复议·总计 wrong",
    mutate: (d) => {
      d.reviewLitigation.review.total = 11;
    },
    expected: [
      {
        code: "review_litigation_total",
        cells: ["行政复议·总计"],
        message: /^行政复议·总计 = 11，但结果维持、结果纠正、其他结果、尚未审结之和为 10。$/,
      },
    ],
  },
  {
    name: "行政诉讼·未经复议直接起诉 part changed",
    mutate: (d) => {
      d.reviewLitigation.litigation_direct.pending += 1;
    },
    expected: [{ code: "review_litigation_total", cells: ["行政诉讼·未经复议直接起诉·总计"] }],
  },
  {
    name: "行政诉讼·复议后起诉·总计 wrong",
    mutate: (d) => {
      d.reviewLitigation.litigation_after_review.total = 0;
    },
    expected: [{ code: "review_litigation_total", cells: ["行政诉讼·复议后起诉·总计"] }],
  },
  {
    name: "negative count",
    mutate: (d) => {
      d.applications.granted.legal_service = -1;
      d.applications.granted.total = d.applications.granted.total - 105 - 1;
      d.applications.concluded_total.legal_service -= 106;
      d.applications.concluded_total.total -= 106;
      d.applications.received.legal_service -= 106;
      d.applications.received.total -= 106;
    },
    expected: [
      { code: "invalid_number", cells: ["三（一）予以公开[法律服务机构]"], message: /应为非负整数，实为 -1/ },
    ],
  },
  {
    name: "fractional count in table 二",
    mutate: (d) => {
      d.proactive.item5.licensing.decisions = 1.5;
    },
    expected: [{ code: "invalid_number", cells: ["行政许可·本年处理决定数量"] }],
  },
  {
    name: "NaN in table 四 (the sum check also fails)",
    mutate: (d) => {
      d.reviewLitigation.review.upheld = Number.NaN;
    },
    expected: [
      { code: "invalid_number", cells: ["行政复议·结果维持"] },
      { code: "review_litigation_total", cells: ["行政复议·总计"] },
    ],
  },
  {
    name: "negative 万元 amount",
    mutate: (d) => {
      d.proactive.item8.administrative_fees.amount = -0.5;
    },
    expected: [
      { code: "invalid_number", cells: ["行政事业性收费·本年收费金额（单位：万元）"], message: /应为非负数/ },
    ],
  },
  {
    name: "decimal 万元 amount is fine but a decimal fee-notice count is not",
    mutate: (d) => {
      d.proactive.item8.administrative_fees.amount = 0.0001;
      d.processingFees.notices = 2.5;
    },
    expected: [{ code: "invalid_number", cells: ["信息处理费·发出收费通知的件数"] }],
  },
  {
    name: "一、总体情况 blank",
    mutate: (d) => {
      d.overview = "  \n ";
    },
    expected: [{ code: "section_missing", cells: ["一、总体情况"] }],
  },
  {
    name: "五、存在的主要问题及改进情况 blank",
    mutate: (d) => {
      d.problems = "";
    },
    expected: [{ code: "section_missing", cells: ["五、存在的主要问题及改进情况"] }],
  },
  {
    name: "agency name blank",
    mutate: (d) => {
      d.agencyName = " ";
    },
    expected: [{ code: "invalid_identity", cells: ["机关名称"] }],
  },
  {
    name: "year not an integer",
    mutate: (d) => {
      d.year = 2023.5;
    },
    expected: [{ code: "invalid_identity", cells: ["年度"] }],
  },
  {
    name: "year before the 2021 format",
    mutate: (d) => {
      d.year = 2020;
    },
    expected: [{ code: "format_not_applicable", cells: ["年度"] }],
  },
  {
    name: "信息处理费 collected more than notified",
    mutate: (d) => {
      d.processingFees.amount_collected = 3100;
    },
    expected: [
      {
        code: "processing_fees_collected_exceed_notified",
        cells: ["信息处理费·实际收取金额（单位：元）", "信息处理费·收费通知金额（单位：元）"],
      },
    ],
  },
];

describe("checkAnnualReport: each check fails where it should, naming the cells", () => {
  for (const c of FAIL_CASES) {
    it(c.name, () => {
      const data = valid();
      c.mutate(data);
      const findings = checkAnnualReport(data);
      assert.deepEqual(
        findings.map((f) => ({ code: f.code, cells: f.cells })),
        c.expected.map((e) => ({ code: e.code, cells: e.cells })),
      );
      c.expected.forEach((e, i) => {
        if (e.message) assert.match(findings[i]?.message ?? "", e.message);
      });
      for (const f of findings) {
        for (const cell of f.cells) assert.ok(f.message.includes(cell), `“${f.message}” names ${cell}`);
        assert.ok(f.basis.length > 0);
      }
    });
  }
});

describe("checkAnnualReport: severities and citations", () => {
  it("cites 国办公开办函〔2021〕30号 for the table-三 identity and 条例第50条 for missing sections", () => {
    const data = valid();
    data.applications.carried_forward.total += 1;
    data.problems = "";
    const findings = checkAnnualReport(data);
    assert.match(
      findings.find((f) => f.code === "applications_balance")?.basis ?? "",
      /国办公开办函〔2021〕30号/,
    );
    assert.match(findings.find((f) => f.code === "section_missing")?.basis ?? "", /条例第50条/);
  });
  it("blocks submission on errors, not on warnings", () => {
    const warnOnly = valid();
    warnOnly.processingFees.amount_collected = 99999;
    const warnings = checkAnnualReport(warnOnly);
    assert.deepEqual(
      warnings.map((f) => f.severity),
      ["warning"],
    );
    assert.equal(isSubmittable(warnings), true);
    const broken = valid();
    broken.reviewLitigation.review.total = 0;
    assert.equal(isSubmittable(checkAnnualReport(broken)), false);
  });
});

describe("checkAnnualReport: carry-over continuity with last year's report", () => {
  it("flags every column where 二、上年结转 differs from last year's 四、结转下年度继续办理", () => {
    const previous = previousYearOf(valid());
    previous.applications.carried_forward.commercial = 9; // was 2
    previous.applications.carried_forward.total += 7;
    const findings = checkAnnualReport(valid(), previous);
    assert.deepEqual(
      findings.map((f) => [f.code, f.cells]),
      [
        ["carry_over_continuity", ["二、上年结转[商业企业]", "2022年度四、结转下年度继续办理[商业企业]"]],
        ["carry_over_continuity", ["二、上年结转[总计]", "2022年度四、结转下年度继续办理[总计]"]],
      ],
    );
    assert.equal(
      findings[0]?.message,
      "二、上年结转[商业企业] = 2，但2022年度四、结转下年度继续办理[商业企业] = 9。",
    );
  });
  it("refuses a previous report that is not of the year before", () => {
    const findings = checkAnnualReport(valid(), previousYearOf(sampleReport(2022)));
    assert.deepEqual(codes(findings), ["previous_year_mismatch"]);
  });
  it("skips the continuity check without a previous report", () => {
    const data = valid();
    data.applications.carried_over.natural_person += 0;
    assert.deepEqual(checkAnnualReport(data, null), []);
  });
});

describe("computeTotals", () => {
  it("fills the 总计 column, the （七） row and table 四's totals from the parts", () => {
    const data = emptyReport(2023, "某某局");
    data.applications.granted.natural_person = 3;
    data.applications.other_fee_unpaid.commercial = 2;
    data.applications.received.research = 4;
    data.reviewLitigation.litigation_direct = { upheld: 1, corrected: 1, other: 0, pending: 2, total: 99 };
    const out = computeTotals(data);
    assert.equal(out.applications.concluded_total.natural_person, 3);
    assert.equal(out.applications.concluded_total.commercial, 2);
    assert.equal(out.applications.concluded_total.total, 5);
    assert.equal(out.applications.granted.total, 3);
    assert.equal(out.applications.received.total, 4);
    assert.equal(out.reviewLitigation.litigation_direct.total, 4);
    assert.equal(data.reviewLitigation.litigation_direct.total, 99, "input not mutated");
  });
});

describe("NUMERIC_CELLS", () => {
  it("lists every numeric cell once: 10 (二) + 175 (三) + 15 (四) + 3 (信息处理费)", () => {
    assert.equal(NUMERIC_CELLS.length, 10 + 25 * 7 + 15 + 3);
    assert.equal(new Set(NUMERIC_CELLS.map((c) => c.name)).size, NUMERIC_CELLS.length);
    assert.equal(new Set(NUMERIC_CELLS.map((c) => c.path.join("/"))).size, NUMERIC_CELLS.length);
  });
});

describe("aggregateReports", () => {
  it("sums cell by cell, totals included, and the result stays consistent", () => {
    const a = sampleReport();
    const b = sampleReport();
    b.agencyName = "某某市医疗保障局";
    b.proactive.item8.administrative_fees.amount = 0.1;
    a.proactive.item8.administrative_fees.amount = 0.2;
    const sum = aggregateReports([a, b], { agencyName: "某某市人民政府" });
    assert.equal(sum.year, 2023);
    assert.equal(sum.agencyName, "某某市人民政府");
    for (const code of OUTCOME_CODES) {
      for (const column of APPLICATION_COLUMNS) {
        assert.equal(sum.applications[code][column.code], a.applications[code][column.code] * 2);
      }
    }
    assert.equal(sum.applications.concluded_total.total, a.applications.concluded_total.total * 2);
    assert.equal(sum.reviewLitigation.review.total, 20);
    assert.equal(sum.proactive.item1.normative_documents.in_force, 32);
    assert.equal(sum.proactive.item8.administrative_fees.amount, 0.3, "no floating-point noise");
    assert.equal(sum.processingFees.amount_notified, 6000);
    assert.equal(sum.overview, "");
    sum.overview = "汇总";
    sum.problems = "问题";
    assert.deepEqual(checkAnnualReport(sum), []);
  });
  it("carries an inconsistency of one input into the sum", () => {
    const a = sampleReport();
    a.applications.concluded_total.commercial += 1;
    const findings = checkAnnualReport({
      ...aggregateReports([a, sampleReport()]),
      overview: "x",
      problems: "y",
    });
    assert.ok(codes(findings).includes("applications_concluded_total"));
  });
  it("rejects reports of different years", () => {
    assert.throws(() => aggregateReports([sampleReport(2023), sampleReport(2022)]), /年度不一致/);
  });
  it("needs a year for an empty list and then returns an all-zero report", () => {
    assert.throws(() => aggregateReports([]), /未提供任何报告/);
    const empty = aggregateReports([], { year: 2024, agencyName: "某某县人民政府" });
    assert.equal(empty.year, 2024);
    for (const column of APPLICANT_TYPE_CODES) assert.equal(empty.applications.received[column], 0);
  });
  it("rejects a report with a non-numeric cell", () => {
    const bad = sampleReport();
    (bad.applications.granted as Record<string, unknown>).natural_person = "3";
    assert.throws(() => aggregateReports([bad]), /三（一）予以公开\[自然人\]不是有效数字/);
  });
});
