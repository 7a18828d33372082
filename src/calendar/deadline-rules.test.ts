import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type DeadlineRule,
  describeRule,
  normalizeClause,
  parseClause,
  parseDeadlinePhrase,
} from "./deadline-rules.ts";

describe("parseDeadlinePhrase", () => {
  it("keeps clauses it cannot parse verbatim, with their element label, and parses the rest", () => {
    const r = parseDeadlinePhrase("1. 办事指南：实时公开 2. 办理结果：另行通知，保持长期公开");
    assert.deepEqual(
      r.rules.map((x) => [x.element, x.rule.kind]),
      [
        ["办事指南", "realtime"],
        ["办理结果", "keepPublished"],
      ],
    );
    assert.deepEqual(r.unparsed, ["办理结果：另行通知"]);
  });

  it("never drops an unknown phrase", () => {
    for (const text of ["按上级要求", "30日内视情况", "另行通知", "20个工作日前", "2025年", "次月10日前"]) {
      const r = parseDeadlinePhrase(text);
      assert.deepEqual(r.rules, [], text);
      assert.deepEqual(r.unparsed, [text], text);
    }
  });

  it("returns nothing for an empty cell", () => {
    assert.deepEqual(parseDeadlinePhrase("  "), { rules: [], unparsed: [] });
  });

  it("accepts spacing, full-width digits and both bracket widths", () => {
    for (const text of [
      "信息形成（更改）之日起 ２０ 个工作日内。",
      "信息形成(更改)之日起20个工作日内",
      "信息产生或者变更之日起20个工作日内公开",
    ]) {
      assert.deepEqual(parseClause(text), { kind: "workingDaysFromFormation", days: 20 }, text);
    }
    assert.equal(normalizeClause("每年 1 月 31 日前。"), "每年1月31日前");
  });

  it("does not split on numbers inside clauses or on commas inside parentheses", () => {
    const r = parseDeadlinePhrase(
      "信息产生或变更之日起20个工作日内公开（相关法律法规另有规定的，从其规定），保持长期公开",
    );
    assert.deepEqual(
      r.rules.map((x) => [x.rule.kind, x.otherLawPrevails]),
      [
        ["workingDaysFromFormation", true],
        ["keepPublished", true],
      ],
    );
    assert.deepEqual(r.unparsed, []);
  });

  it("parses other wordings of the same kinds", () => {
    const cases: [string, DeadlineRule][] = [
      ["作出决定之日起7个工作日内公开", { kind: "workingDaysFromDecision", days: 7, trigger: "decision" }],
      ["公告期届满后两个月内", { kind: "afterNoticePeriod", months: 2 }],
      ["批复后15个工作日内公开", { kind: "afterApproval", amount: 15, unit: "workingDays" }],
      [
        "财政部门批复之日后20天内",
        { kind: "afterApproval", amount: 20, unit: "calendarDays", approver: "财政部门" },
      ],
      ["与政策文件同步公开", { kind: "withLinkedPublication", linkedDocument: "政策文件" }],
      ["每季度更新", { kind: "periodic", unit: "quarter" }],
      ["每月更新", { kind: "periodic", unit: "month" }],
      ["根据变化情况及时更新", { kind: "onChange", promptness: "prompt" }],
      ["每年3月31日前公开", { kind: "fixedYearly", month: 3, day: 31 }],
      ["长期公开", { kind: "keepPublished" }],
      ["信息形成之日起20个工作日内", { kind: "workingDaysFromFormation", days: 20 }],
      ["无法定时限", { kind: "noStatutoryDeadline" }],
    ];
    for (const [text, rule] of cases) assert.deepEqual(parseClause(text), rule, text);
    assert.equal(parseClause("每年13月1日前"), null);
  });
});

describe("describeRule", () => {
  it("renders each kind in Chinese", () => {
    const cases: [DeadlineRule, string][] = [
      [{ kind: "workingDaysFromFormation", days: 20 }, "信息形成或者变更之日起20个工作日内公开"],
      [
        { kind: "workingDaysFromDecision", days: 7, trigger: "decision" },
        "自作出行政决定之日起7个工作日内公开",
      ],
      [
        { kind: "workingDaysFromDecision", days: 20, trigger: "result" },
        "办理结果作出之日起20个工作日内公开",
      ],
      [{ kind: "afterApproval", amount: 20, unit: "calendarDays" }, "批复后20日内公开"],
      [
        { kind: "afterApproval", amount: 20, unit: "workingDays", approver: "财政部门" },
        "财政部门批复后20个工作日内公开",
      ],
      [
        { kind: "afterLinkedPublication", days: 3, linkedDocument: "政策文件" },
        "政策文件公开后3个工作日内公开",
      ],
      [{ kind: "withLinkedPublication", linkedDocument: "政策文件" }, "与政策文件同步公开"],
      [{ kind: "afterNoticePeriod", months: 1 }, "公告期满后1个月内公开"],
      [{ kind: "realtime", wording: "实时" }, "实时公开（当日）"],
      [{ kind: "periodic", unit: "quarter" }, "每季度更新"],
      [{ kind: "onChange", promptness: "asNeeded" }, "根据实际情况更新（无固定时限）"],
      [{ kind: "fixedYearly", month: 1, day: 31 }, "每年1月31日前公开"],
      [{ kind: "keepPublished" }, "保持长期公开"],
      [{ kind: "noStatutoryDeadline" }, "无法定公开时限"],
    ];
    for (const [rule, text] of cases) assert.equal(describeRule(rule), text);
  });
});
