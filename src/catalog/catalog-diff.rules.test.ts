import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { emptyItem } from "./catalog.model.ts";
import {
  type DiffItem,
  deadlineAllowance,
  diffCatalogs,
  missingReasons,
  weakenings,
} from "./catalog-diff.rules.ts";

type Rule = DiffItem["deadlineRules"][number];
const wd = (days: number): Rule => ({ rule: { kind: "workingDaysFromFormation", days } as { kind: string } });
const rt: Rule = { rule: { kind: "realtime", wording: "实时" } as { kind: string } };
const none: Rule = { rule: { kind: "noStatutoryDeadline" } };

function item(key: string, over: Partial<DiffItem> = {}): DiffItem {
  return {
    ...emptyItem(2, key),
    stableKey: key,
    deadlineText: "20个工作日内",
    deadlineRules: [wd(20)],
    channels: ["政府网站", "两微一端"],
    mode: "主动",
    audience: "全社会",
    elements: [{ stableKey: `${key}#1`, number: null, label: "", content: "内容", deadlineText: null }],
    children: [],
    ...over,
  } as DiffItem;
}

describe("deadline allowance (larger = weaker)", () => {
  const cases: [string, Rule[], number | undefined][] = [
    ["20 working days", [wd(20)], 20],
    ["realtime", [rt], 0],
    ["the longest rule counts", [rt, wd(5)], 5],
    ["no statutory deadline is the weakest", [none], Number.POSITIVE_INFINITY],
    ["no rule", [], undefined],
    [
      "批复后20日 (calendar days → ~15 working days)",
      [{ rule: { kind: "afterApproval", amount: 20, unit: "calendarDays" } as { kind: string } }],
      15,
    ],
  ];
  for (const [name, rules, want] of cases) it(name, () => assert.equal(deadlineAllowance(rules), want));
});

describe("weakenings (cutting needs justification)", () => {
  const cases: [string, Partial<DiffItem>, string[]][] = [
    ["unchanged", {}, []],
    ["shorter deadline is not a weakening", { deadlineText: "5个工作日内", deadlineRules: [wd(5)] }, []],
    ["longer deadline", { deadlineText: "30个工作日内", deadlineRules: [wd(30)] }, ["deadline_longer"]],
    [
      "realtime → no statutory deadline",
      { deadlineText: "无法定公开时限", deadlineRules: [none] },
      ["deadline_longer"],
    ],
    ["deadline removed", { deadlineText: null, deadlineRules: [] }, ["deadline_removed"]],
    ["fewer channels", { channels: ["政府网站"] }, ["channels_fewer"]],
    ["more channels is free", { channels: ["政府网站", "两微一端", "政府公报"] }, []],
    ["主动 → 依申请", { mode: "依申请" }, ["mode_to_request"]],
    ["全社会 → 特定群体", { audience: "特定群体" }, ["audience_narrowed"]],
    ["element removed", { elements: [] }, ["elements_removed"]],
    [
      "element added is free",
      {
        elements: [
          ...item("a").elements,
          { stableKey: "a#2", number: null, label: "", content: "新增", deadlineText: null },
        ],
      },
      [],
    ],
  ];
  for (const [name, change, kinds] of cases)
    it(name, () =>
      assert.deepEqual(
        weakenings(item("a"), item("a", change)).map((w) => w.kind),
        kinds,
      ),
    );
});

describe("diff between versions", () => {
  it("adds, removes (a removed parent covers its children), changes; reasons required for cuts only", () => {
    const parentOld = { ...item("p"), level: 1 as const, children: [item("c1"), item("c2")] };
    const before = [parentOld, item("x"), item("y")];
    const after = [
      item("x", { name: "新名称" }),
      item("y", { deadlineText: "30个工作日内", deadlineRules: [wd(30)] }),
      item("z"),
    ];
    const diff = diffCatalogs(before, after);
    assert.equal(diff.added, 1);
    assert.equal(diff.removed, 3);
    assert.equal(diff.changed, 2);
    assert.deepEqual(diff.needsReason.map((c) => c.stableKey).sort(), ["p", "y"]);
    assert.deepEqual(
      missingReasons(diff, { p: "已合并", y: " " }).map((c) => c.stableKey),
      ["y"],
    );
    assert.deepEqual(missingReasons(diff, { p: "已合并", y: "上级要求" }), []);
    const renamed = diff.changes.find((c) => c.stableKey === "x");
    assert.deepEqual(renamed?.fields, ["事项名称"]);
  });
  it("identical versions have no changes", () => {
    const v = [item("a"), item("b")];
    assert.equal(diffCatalogs(v, structuredClone(v)).changes.length, 0);
  });
});
