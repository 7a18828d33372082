import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sampleReport } from "./annual-report.fixtures.ts";
import { checkAnnualReport, emptyReport, NUMERIC_CELLS } from "./annual-report.rules.ts";
import {
  aggregationDeadline,
  CELL_SECTIONS,
  canTransition,
  cellKey,
  draftNarratives,
  EDITABLE_CELLS,
  editableCell,
  isDerivedCell,
  isReportableYear,
  lateness,
  mergeReport,
  normaliseNarrative,
  parseCellInput,
  publicationDeadline,
  reminderFor,
  returnAction,
  TRANSITIONS,
  yearEnded,
} from "./report.rules.ts";
import type { ReportStatus } from "./report.table.ts";

describe("statutory deadlines (条例第49条)", () => {
  it("departments publish by 31 January, governments by 31 March of the next year", () => {
    assert.equal(publicationDeadline(2025), "2026-01-31");
    assert.equal(aggregationDeadline(2025), "2026-03-31");
  });

  const cases: {
    name: string;
    publishedOn: string | null;
    today: string;
    late: boolean;
    overdue: boolean;
  }[] = [
    {
      name: "published on the deadline",
      publishedOn: "2026-01-31",
      today: "2026-03-01",
      late: false,
      overdue: false,
    },
    {
      name: "published the day after",
      publishedOn: "2026-02-01",
      today: "2026-03-01",
      late: true,
      overdue: false,
    },
    {
      name: "unpublished on the deadline",
      publishedOn: null,
      today: "2026-01-31",
      late: false,
      overdue: false,
    },
    { name: "unpublished the day after", publishedOn: null, today: "2026-02-01", late: false, overdue: true },
    { name: "published early", publishedOn: "2026-01-05", today: "2026-01-05", late: false, overdue: false },
  ];
  for (const c of cases) {
    it(`late flag: ${c.name}`, () => {
      const l = lateness(2025, c.publishedOn, c.today);
      assert.equal(l.deadline, "2026-01-31");
      assert.equal(l.publishedLate, c.late);
      assert.equal(l.overdue, c.overdue);
    });
  }
});

describe("console reminder (from 1 January until published)", () => {
  const cases: { today: string; publishedOn: string | null; expected: string | null; overdue?: boolean }[] = [
    {
      today: "2026-01-01",
      publishedOn: null,
      expected: "2025年度报告尚未发布，截止日期2026-01-31",
      overdue: false,
    },
    {
      today: "2026-01-31",
      publishedOn: null,
      expected: "2025年度报告尚未发布，截止日期2026-01-31",
      overdue: false,
    },
    {
      today: "2026-02-01",
      publishedOn: null,
      expected: "2025年度报告尚未发布，已超过截止日期2026-01-31（《条例》第四十九条）",
      overdue: true,
    },
    { today: "2026-01-15", publishedOn: "2026-01-10", expected: null },
    // On 31 December the 2024 report is the one due (2025 has not ended).
    {
      today: "2025-12-31",
      publishedOn: null,
      expected: "2024年度报告尚未发布，已超过截止日期2025-01-31（《条例》第四十九条）",
      overdue: true,
    },
  ];
  for (const c of cases) {
    it(`${c.today} ${c.publishedOn ?? "unpublished"}`, () => {
      const r = reminderFor(c.publishedOn, c.today);
      if (c.expected === null) assert.equal(r, null);
      else {
        assert.ok(r);
        assert.equal(r.message, c.expected);
        assert.equal(r.overdue, c.overdue);
      }
    });
  }
  it("no reminder for years before the 2021 format", () => {
    assert.equal(reminderFor(null, "2021-01-10"), null);
  });
});

describe("years", () => {
  it("reportable: 2021 to the current year", () => {
    assert.equal(isReportableYear(2020, "2026-03-01"), false);
    assert.equal(isReportableYear(2021, "2026-03-01"), true);
    assert.equal(isReportableYear(2026, "2026-03-01"), true);
    assert.equal(isReportableYear(2027, "2026-03-01"), false);
    assert.equal(isReportableYear(2025.5, "2026-03-01"), false);
  });
  it("the statistics year ends on 31 December", () => {
    assert.equal(yearEnded(2025, "2025-12-31"), false);
    assert.equal(yearEnded(2025, "2026-01-01"), true);
  });
});

describe("workflow transitions", () => {
  const table: [ReportStatus, keyof typeof TRANSITIONS, boolean][] = [
    ["draft", "submit", true],
    ["draft", "review", false],
    ["draft", "publish", false],
    ["draft", "return", false],
    ["submitted", "review", true],
    ["submitted", "approve", false],
    ["submitted", "return", true],
    ["reviewed", "approve", true],
    ["reviewed", "publish", false],
    ["reviewed", "return", true],
    ["approved", "publish", true],
    ["approved", "return", true],
    ["published", "return", false],
    ["published", "submit", false],
  ];
  for (const [status, transition, allowed] of table) {
    it(`${status} → ${transition}: ${allowed ? "allowed" : "refused"}`, () => {
      assert.equal(canTransition(status, transition), allowed);
    });
  }
  it("the reviewer returns a submitted report, the approver a reviewed or approved one", () => {
    assert.equal(returnAction("submitted"), "report.review");
    assert.equal(returnAction("reviewed"), "report.approve");
    assert.equal(returnAction("approved"), "report.approve");
  });
  it("each forward step needs its own action", () => {
    assert.equal(TRANSITIONS.submit.action, "report.edit");
    assert.equal(TRANSITIONS.review.action, "report.review");
    assert.equal(TRANSITIONS.approve.action, "report.approve");
    assert.equal(TRANSITIONS.publish.action, "report.approve");
  });
});

describe("cells staff may enter", () => {
  it("totals are derived, everything else editable", () => {
    const derived = NUMERIC_CELLS.filter(isDerivedCell).map(cellKey);
    // Table 三: the 总计 column of 25 rows + the six applicant cells of （七）总计; table 四: three 总计.
    assert.equal(derived.length, 25 + 6 + 3);
    assert.ok(derived.includes("applications.concluded_total.commercial"));
    assert.ok(derived.includes("applications.received.total"));
    assert.ok(derived.includes("reviewLitigation.review.total"));
    assert.equal(EDITABLE_CELLS.length, NUMERIC_CELLS.length - derived.length);
    assert.ok(editableCell("proactive.item1.rules.issued"));
    assert.ok(editableCell("processingFees.amount_collected"));
    assert.equal(editableCell("applications.received.total"), undefined);
    assert.equal(editableCell("nonsense"), undefined);
  });

  it("every editable cell belongs to a form section", () => {
    for (const c of EDITABLE_CELLS)
      assert.ok((CELL_SECTIONS as readonly string[]).includes(c.section), cellKey(c));
  });

  const count = editableCell("applications.granted.natural_person");
  const wan = editableCell("proactive.item8.administrative_fees.amount");
  const yuan = editableCell("processingFees.amount_notified");
  assert.ok(count && wan && yuan);
  const table: { cell: typeof count; input: string; expected: number | null | "error" }[] = [
    { cell: count, input: "", expected: null },
    { cell: count, input: "  ", expected: null },
    { cell: count, input: "12", expected: 12 },
    { cell: count, input: "1,234", expected: 1234 },
    // What a Chinese input method types in full-width mode is read as ASCII.
    { cell: count, input: "１２", expected: 12 },
    { cell: count, input: "\u3000１２\u3000", expected: 12 },
    { cell: count, input: "\u00a012 ", expected: 12 },
    { cell: count, input: "１，２３４", expected: 1234 },
    { cell: count, input: "1,234,567", expected: 1234567 },
    { cell: count, input: "1,2", expected: "error" },
    { cell: count, input: "12,34", expected: "error" },
    { cell: count, input: "12 34", expected: "error" },
    { cell: count, input: ",123", expected: "error" },
    { cell: count, input: "-1", expected: "error" },
    { cell: count, input: "－１", expected: "error" },
    { cell: count, input: "1.5", expected: "error" },
    { cell: count, input: "１．５", expected: "error" },
    { cell: count, input: "abc", expected: "error" },
    { cell: count, input: "十二", expected: "error" },
    { cell: count, input: "１２件", expected: "error" },
    { cell: count, input: "2000000000", expected: "error" },
    { cell: wan, input: "12.3456", expected: 12.3456 },
    { cell: wan, input: "12.34567", expected: "error" },
    { cell: wan, input: "0", expected: 0 },
    { cell: wan, input: "１２．３４５６", expected: 12.3456 },
    { cell: wan, input: "1,234.5", expected: 1234.5 },
    { cell: yuan, input: "300.50", expected: 300.5 },
    { cell: yuan, input: "300.505", expected: "error" },
  ];
  for (const c of table) {
    it(`parse ${c.cell.name} “${c.input}”`, () => {
      const r = parseCellInput(c.cell, c.input);
      if (c.expected === "error") {
        assert.equal(r.ok, false);
        if (!r.ok) assert.ok(r.message.startsWith(c.cell.name), "the message names the cell");
      } else assert.deepEqual(r, { ok: true, value: c.expected });
    });
  }
});

describe("merging generated figures with staff entries", () => {
  it("manual cells override, totals are recomputed, narratives replace the drafted ones", () => {
    const source = sampleReport(2025);
    const merged = mergeReport(
      source,
      {
        "applications.granted.commercial": 1000,
        "applications.received.total": 5,
        "proactive.item1.rules.issued": 9,
      },
      { problems: "人工填写的问题。" },
      "改名后的机关",
    );
    assert.equal(merged.applications.granted.commercial, 1000);
    // The 总计 column and the （七）总计 row follow the entry; the derived key in `manual` is ignored.
    const before = source.applications.granted.commercial;
    assert.equal(merged.applications.granted.total, source.applications.granted.total - before + 1000);
    assert.equal(
      merged.applications.concluded_total.commercial,
      source.applications.concluded_total.commercial - before + 1000,
    );
    assert.equal(merged.applications.received.total, source.applications.received.total);
    assert.equal(merged.proactive.item1.rules.issued, 9);
    assert.equal(merged.problems, "人工填写的问题。");
    assert.equal(merged.overview, source.overview);
    assert.equal(merged.agencyName, "改名后的机关");
    // The source is untouched.
    assert.equal(source.applications.granted.commercial, before);
    // Changing an outcome without changing 一/二/四 breaks the printed identity: the check names the cells.
    const findings = checkAnnualReport(merged);
    assert.ok(
      findings.some((f) => f.code === "applications_balance" && f.cells.includes("一、本年新收[商业企业]")),
    );
  });
});

describe("drafted narratives follow the current figures", () => {
  const context = { recordsPublished: 3, interpretationsPublished: 1, recordsPublishedLate: 0 };
  const generated = sampleReport(2025);
  const source = { ...generated, ...draftNarratives(generated, context), draftContext: context };
  const received = source.applications.received;

  it("a staff edit of table 三 changes 「新收N件」 in the drafted 总体情况; the context never reaches the data", () => {
    const merged = mergeReport(
      source,
      { "applications.received.natural_person": received.natural_person + 4 },
      {},
    );
    assert.equal(merged.applications.received.total, received.total + 4);
    assert.match(merged.overview, new RegExp(`本年新收政府信息公开申请${received.total + 4}件`));
    assert.doesNotMatch(merged.overview, new RegExp(`本年新收政府信息公开申请${received.total}件`));
    assert.equal("draftContext" in merged, false);
  });

  it("text staff wrote is never replaced", () => {
    const merged = mergeReport(
      source,
      { "applications.received.natural_person": received.natural_person + 4 },
      { overview: "人工撰写的总体情况：新收9件。" },
    );
    assert.equal(merged.overview, "人工撰写的总体情况：新收9件。");
  });
});

describe("drafted narratives", () => {
  it("state the figures and the statistics period", () => {
    const data = sampleReport(2025);
    const drafted = draftNarratives(data, {
      recordsPublished: 321,
      interpretationsPublished: 12,
      recordsPublishedLate: 0,
    });
    assert.match(drafted.overview, /统计期限为2025年1月1日至2025年12月31日/);
    assert.match(drafted.overview, /主动公开政府信息321条，其中政策解读12条/);
    assert.match(
      drafted.overview,
      new RegExp(`本年新收政府信息公开申请${data.applications.received.total}件`),
    );
    assert.match(drafted.overview, new RegExp(`上年结转${data.applications.carried_over.total}件`));
    assert.match(drafted.overview, /行政许可决定1234件、行政处罚决定56件、行政强制决定7件/);
    // sampleReport carries applications forward and has corrected cases.
    assert.match(
      drafted.problems,
      new RegExp(`${data.applications.carried_forward.total}件政府信息公开申请结转下年度`),
    );
    assert.match(drafted.problems, /18件政府信息公开行政复议、行政诉讼案件结果被纠正/);
    assert.ok(drafted.otherMatters.length > 0);
  });

  it("a quiet year gets the no-problems sentence; late records are reported", () => {
    const quiet = draftNarratives(emptyReport(2025, "某局"), {
      recordsPublished: 0,
      interpretationsPublished: 0,
      recordsPublishedLate: 0,
    });
    assert.match(quiet.problems, /未发现/);
    const late = draftNarratives(emptyReport(2025, "某局"), {
      recordsPublished: 10,
      interpretationsPublished: 0,
      recordsPublishedLate: 3,
    });
    assert.match(late.problems, /3条政府信息未在《条例》第二十六条规定的时限内公开/);
  });

  it("a drafted report passes the narrative checks", () => {
    const data = emptyReport(2025, "某局");
    Object.assign(
      data,
      draftNarratives(data, { recordsPublished: 0, interpretationsPublished: 0, recordsPublishedLate: 0 }),
    );
    assert.deepEqual(checkAnnualReport(data), []);
  });
});

describe("narrative input", () => {
  it("normalises line endings and trailing spaces", () => {
    assert.equal(normaliseNarrative("  第一段。  \r\n第二段。\r\n\r\n"), "第一段。\n第二段。");
    assert.equal(normaliseNarrative("a\u0000b"), "ab");
  });
});
