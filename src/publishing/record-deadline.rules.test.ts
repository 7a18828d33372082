import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { officialCalendar, parseDeadlinePhrase } from "../calendar/index.ts";
import {
  applicableRules,
  dueStatusText,
  isLate,
  obligationPeriods,
  periodicDuties,
  type RecordDueInput,
  recordDue,
} from "./record-deadline.rules.ts";

const calendar = officialCalendar();
const rules = (text: string) => parseDeadlinePhrase(text).rules;

function input(over: Partial<RecordDueInput>): RecordDueInput {
  return {
    kind: "document",
    disclosure: "主动公开",
    formedDate: "2025-09-30",
    changedDate: null,
    linkedPublicationDate: null,
    sources: null,
    ...over,
  };
}

describe("record due dates (条例第26条 and catalog rules)", () => {
  const cases: { why: string; in: Partial<RecordDueInput>; due: string | null; includes?: string }[] = [
    {
      // 2025-09-30 + 20 working days: 国庆节、中秋节 10-01..10-08 skipped, 10-11 (Sat) is a make-up working day.
      why: "no catalog item → 条例第26条, 20 working days over the National Day holiday",
      in: {},
      due: "2025-11-04",
      includes: "第二十六条",
    },
    {
      why: "item rule 信息形成或者变更之日起20个工作日内",
      in: {
        sources: {
          itemRules: rules("信息形成或者变更之日起20个工作日内"),
          elementRules: [],
          elementLabel: null,
        },
      },
      due: "2025-11-04",
    },
    {
      why: "a change date restarts the clock",
      in: {
        formedDate: "2025-01-02",
        changedDate: "2025-09-30",
        sources: {
          itemRules: rules("信息形成或者变更之日起20个工作日内"),
          elementRules: [],
          elementLabel: null,
        },
      },
      due: "2025-11-04",
    },
    {
      why: "element label picks 办理结果 (7 working days) over 办事指南 (实时)",
      in: {
        formedDate: "2025-03-03",
        sources: {
          itemRules: rules("1. 办事指南：实时公开 2. 办理结果：办理结果出来后7个工作日内公开，保持长期公开"),
          elementRules: [],
          elementLabel: "办理结果",
        },
      },
      due: "2025-03-12",
    },
    {
      why: "实时 on a Saturday rolls to Monday",
      in: {
        formedDate: "2025-03-08",
        sources: { itemRules: rules("实时公开"), elementRules: [], elementLabel: null },
      },
      due: "2025-03-10",
    },
    {
      why: "periodic item: no per-record due date",
      in: { sources: { itemRules: rules("季度更新"), elementRules: [], elementLabel: null } },
      due: null,
      includes: "按期次考核",
    },
    {
      why: "interpretation: 政策文件公开后3个工作日内, counted from the policy's publication",
      in: {
        kind: "interpretation",
        linkedPublicationDate: "2025-09-30",
        sources: { itemRules: rules("政策文件公开后3个工作日内"), elementRules: [], elementLabel: null },
      },
      due: "2025-10-11", // 10-09, 10-10, 10-11 (Saturday make-up working day)
    },
    {
      why: "interpretation: 与政策文件同步发布 → same day as the policy",
      in: {
        kind: "interpretation",
        linkedPublicationDate: "2025-06-16",
        sources: { itemRules: rules("与政策文件同步发布"), elementRules: [], elementLabel: null },
      },
      due: "2025-06-16",
    },
    {
      why: "interpretation whose policy is not yet published: pending",
      in: {
        kind: "interpretation",
        sources: { itemRules: rules("与政策文件同步发布"), elementRules: [], elementLabel: null },
      },
      due: null,
      includes: "尚未公开",
    },
    {
      why: "依申请公开 has no proactive deadline",
      in: { disclosure: "依申请公开" },
      due: null,
    },
    {
      why: "element's own rules win",
      in: {
        formedDate: "2025-03-03",
        sources: {
          itemRules: rules("信息形成或者变更之日起20个工作日内"),
          elementRules: rules("5个工作日内"),
          elementLabel: "办理结果",
        },
      },
      due: "2025-03-10",
    },
  ];
  for (const c of cases) {
    it(c.why, () => {
      const d = recordDue(calendar, input(c.in));
      assert.equal(d.due, c.due, d.explanation);
      if (c.includes)
        assert.ok(d.explanation.includes(c.includes) || (d.basis ?? "").includes(c.includes), d.explanation);
      assert.ok(d.explanation.length > 0);
    });
  }

  it("a 10-working-day 社会救助 item written with a prefix is judged against 10 days, not the 20-day default", () => {
    const text = "制定或获取信息之日起10个工作日内";
    const d = recordDue(
      calendar,
      input({
        formedDate: "2025-03-03",
        sources: { itemRules: rules(text), elementRules: [], elementLabel: null, statedDeadline: text },
      }),
    );
    assert.equal(d.due, "2025-03-17", d.explanation);
  });

  it("an item whose deadline text is not understood has no computable deadline (never the 20-day default)", () => {
    const text = "按上级统一部署";
    const d = recordDue(
      calendar,
      input({
        sources: { itemRules: rules(text), elementRules: [], elementLabel: null, statedDeadline: text },
      }),
    );
    assert.equal(d.due, null);
    assert.equal(d.rule, null);
    assert.ok(d.explanation.includes("无可计算的截止日期"), d.explanation);
  });

  it("late when published after the due date, not on it", () => {
    assert.equal(isLate("2025-11-04", "2025-11-04"), false);
    assert.equal(isLate("2025-11-04", "2025-11-05"), true);
    assert.equal(isLate(null, "2025-11-05"), null);
  });

  it("applicableRules falls back to unlabelled item rules", () => {
    const r = applicableRules({
      itemRules: rules("20个工作日内"),
      elementRules: [],
      elementLabel: "工作动态",
    });
    assert.equal(r.length, 1);
  });
});

describe("periodic obligations", () => {
  it("one duty per unit; labelled rules attach to their element", () => {
    const duties = periodicDuties(rules("1. 工作动态：月度更新 2. 统计数据：季度更新"), [
      { stableKey: "el-dyn", label: "工作动态", rules: [] },
    ]);
    assert.deepEqual(
      duties.map((d) => [d.elementStableKey, d.unit]),
      [
        ["el-dyn", "month"],
        ["", "quarter"],
      ],
    );
  });

  it("quarterly periods over a range, due 15 working days after the quarter", () => {
    const [duty] = periodicDuties(rules("季度更新"), []);
    assert.ok(duty);
    const periods = obligationPeriods(calendar, duty, "2025-01-15", "2025-07-01");
    assert.deepEqual(
      periods.map((p) => [p.label, p.start, p.due]),
      [
        // Q1 ends 03-31; 清明节 04-04..04-06 skipped → 15th working day 2025-04-22.
        ["2025年第一季度", "2025-01-01", "2025-04-22"],
        ["2025年第二季度", "2025-04-01", periods[1]?.due],
        ["2025年第三季度", "2025-07-01", periods[2]?.due],
      ],
    );
    assert.ok(periods[0]?.explanation.includes("15个工作日"));
  });

  it("monthly: January 2025 is due 10 working days later, over 春节 with the 2-08 make-up day", () => {
    const [duty] = periodicDuties(rules("月度更新"), []);
    const periods = obligationPeriods(calendar, duty!, "2025-01-01", "2025-01-31");
    assert.equal(periods.length, 1);
    assert.equal(periods[0]?.due, "2025-02-17");
  });

  it("fixed yearly date 每年1月31日前: one per year whose date is in range", () => {
    const [duty] = periodicDuties(rules("每年1月31日前"), []);
    const periods = obligationPeriods(calendar, duty!, "2024-03-01", "2026-01-05");
    assert.deepEqual(
      periods.map((p) => [p.year, p.due]),
      [
        [2025, "2025-01-31"],
        [2026, "2026-01-31"],
      ],
    );
  });

  it("status text counts working days", () => {
    assert.equal(dueStatusText(calendar, "2025-03-14", "2025-03-11"), "2025年3月14日（还剩3个工作日）");
    assert.equal(dueStatusText(calendar, "2025-03-14", "2025-03-14"), "2025年3月14日（今日到期）");
    assert.equal(dueStatusText(calendar, "2025-03-14", "2025-03-18"), "2025年3月14日（已逾期2个工作日）");
  });
});
