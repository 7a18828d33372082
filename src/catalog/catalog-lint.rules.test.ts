import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { parseDeadlinePhrase } from "../calendar/index.ts";
import { emptyItem } from "./catalog.model.ts";
import {
  editDistance,
  type LintItem,
  lintCatalog,
  MANDATORY_CONTENT,
  nearMisspellings,
} from "./catalog-lint.rules.ts";

const wd = (days: number, element?: string) => ({
  rule: { kind: "workingDaysFromFormation", days } as { kind: string },
  ...(element ? { element } : {}),
});

function leaf(name: string, over: Partial<LintItem> = {}): LintItem {
  return {
    ...emptyItem(2, name),
    deadlineText: "信息形成或者变更之日起20个工作日内",
    deadlineRules: [wd(20)],
    deadlineUnparsed: [],
    channels: ["政府网站"],
    legalBasis: ["《中华人民共和国政府信息公开条例》"],
    units: [{ name: "办公室", role: "lead" }],
    responsibleText: "办公室",
    elements: [{ number: null, label: "", content: `${name}的内容`, deadlineText: null }],
    children: [],
    ...over,
  } as LintItem;
}

/** A catalog covering every 条例第20条 entry, so only the item under test produces findings. */
function catalog(...items: LintItem[]): LintItem[] {
  const names = [
    "规范性文件",
    "机构职能",
    "发展规划",
    "统计信息",
    "行政许可",
    "行政处罚",
    "部门预算",
    "收费项目",
    "政府采购",
    "重大建设项目",
    "社会保险",
    "应急预案",
    "招聘",
    "政府信息公开指南",
    "年度报告",
  ];
  return [
    {
      ...emptyItem(1, "概况"),
      deadlineRules: [],
      deadlineUnparsed: [],
      children: [...names.map((n) => leaf(n)), ...items],
    } as LintItem,
  ];
}

function codes(items: LintItem[], agencyName = "某某县人力资源和社会保障局") {
  return lintCatalog({ agencyName, departments: ["办公室"], items }).map((f) => `${f.severity}:${f.code}`);
}

describe("statutory linter", () => {
  it("never suggests weakening a commitment: no fix proposes 20 working days for a shorter or unread deadline", () => {
    const findings = lintCatalog({
      agencyName: "某某县民政局",
      departments: ["办公室"],
      items: [
        leaf("最低生活保障", { deadlineRules: [wd(10)] }),
        leaf("临时救助", {
          deadlineText: "制定或获取信息之日起10个工作日内（试行）",
          deadlineRules: [],
          deadlineUnparsed: ["试行"],
        }),
      ],
    });
    for (const f of findings) assert.ok(!f.fix.includes("20个工作日"), `${f.code}: ${f.fix}`);
  });

  it("never weakens a commitment read from any phrase of the deadline corpus (real catalogs, issue #15)", () => {
    const corpus = JSON.parse(
      readFileSync(path.join(import.meta.dirname, "../calendar/deadline-phrase-corpus.json"), "utf8"),
    ) as { phrases: { text: string }[] };
    let shorter = 0;
    for (const { text } of corpus.phrases) {
      const parsed = parseDeadlinePhrase(text);
      const findings = lintCatalog({
        agencyName: "某某县民政局",
        departments: ["办公室"],
        items: [
          leaf("事项", {
            deadlineText: text,
            deadlineRules: parsed.rules,
            deadlineUnparsed: parsed.unparsed,
          }),
        ],
      });
      // 条例第26条 bounds formation/decision deadlines at 20 working days: only a longer one (21/22 working days
      // occur in a real catalog) is flagged; anything at or under 20 never gets a 20-working-day suggestion.
      const days = parsed.rules.flatMap((r) =>
        r.rule.kind === "workingDaysFromFormation" || r.rule.kind === "workingDaysFromDecision"
          ? [r.rule.days]
          : [],
      );
      if (days.some((d) => d > 20)) {
        assert.ok(
          findings.some((f) => f.code === "deadline_exceeds_statutory"),
          text,
        );
        continue;
      }
      for (const f of findings) {
        assert.notEqual(f.code, "deadline_exceeds_statutory", text);
        assert.ok(!f.fix.includes("20个工作日"), `${text} → ${f.code}: ${f.fix}`);
      }
      if (days.some((d) => d < 20)) {
        shorter++;
        assert.ok(
          findings.some((f) => f.code === "deadline_stricter_than_statutory" && f.severity === "info"),
          text,
        );
      }
    }
    assert.ok(shorter >= 10, `only ${shorter} corpus phrases commit to fewer than 20 working days`);
  });

  it("a clean catalog has no findings", () => assert.deepEqual(codes(catalog()), []));

  const cases: [string, LintItem, string[]][] = [
    // 条例第26条
    [
      "21 working days without legal basis",
      leaf("内设机构", { legalBasis: [], deadlineRules: [wd(21)] }),
      ["error:deadline_exceeds_statutory", "info:legal_basis_missing"],
    ],
    [
      "30 working days with a stated basis is only a hint",
      leaf("内设机构", { deadlineRules: [wd(30)] }),
      ["info:deadline_exceeds_statutory"],
    ],
    [
      "20 working days is fine",
      leaf("内设机构", { legalBasis: [], deadlineRules: [wd(20)] }),
      ["info:legal_basis_missing"],
    ],
    [
      "an element's deadline counts too",
      leaf("许可", { legalBasis: [], deadlineRules: [{ rule: { kind: "realtime" } }, wd(25, "办理结果")] }),
      ["error:deadline_exceeds_statutory", "info:legal_basis_missing"],
    ],
    [
      "a shorter deadline than the statute is kept and praised, never flagged",
      leaf("社会救助", { deadlineRules: [wd(10)] }),
      ["info:deadline_stricter_than_statutory"],
    ],
    [
      "unparsed deadline",
      leaf("内设机构", { deadlineUnparsed: ["办完再说"] }),
      ["warning:deadline_unparsed"],
    ],
    [
      "no deadline",
      leaf("内设机构", { deadlineText: null, deadlineRules: [] }),
      ["warning:deadline_missing"],
    ],
    // 条例第23条
    ["no channel", leaf("内设机构", { channels: [], channelsOther: [] }), ["warning:channel_missing"]],
    [
      "a free-text channel is a channel",
      leaf("内设机构", { channels: [], channelsOther: ["旗政府门户网站"] }),
      [],
    ],
    // 条例第4条
    [
      "no responsible unit",
      leaf("内设机构", { units: [], responsibleText: null }),
      ["warning:responsible_missing"],
    ],
    // names
    ["no name", leaf("", {}), ["error:name_missing"]],
    ["duplicate sibling", leaf("规范性文件", { elements: [] }), ["warning:duplicate_item"]],
  ];
  for (const [name, item, want] of cases)
    it(name, () => assert.deepEqual(codes(catalog(item)).sort(), want.sort()));

  it("a catalog-wide gap is one finding, not one per item", () => {
    const items = [
      leaf("甲", { units: [], responsibleText: null }),
      leaf("乙", { units: [], responsibleText: null }),
    ];
    const out = lintCatalog({ agencyName: "某局", departments: [], items });
    const missing = out.filter((f) => f.code === "responsible_missing");
    assert.equal(missing.length, 1);
    assert.equal(missing[0]?.itemKey, null);
  });

  it("lists each missing 条例第20条 entry with its article", () => {
    const out = lintCatalog({ agencyName: "某局", departments: [], items: [leaf("规范性文件")] });
    const missing = out.filter((f) => f.code === "mandatory_content_missing");
    assert.equal(missing.length, MANDATORY_CONTENT.length - 1);
    assert.ok(
      missing.some((f) => f.article === "条例第20条第（七）项" && f.message.includes("财政预算、决算信息")),
    );
    assert.ok(missing.some((f) => f.article === "条例第12条"));
  });

  it("finds misspellings of the agency name in any text", () => {
    const item = leaf("人大建议", {
      elements: [
        { number: null, label: "", content: "扎兰屯市人力资源红和社会保障局承办的建议", deadlineText: null },
      ],
    });
    const out = lintCatalog({
      agencyName: "扎兰屯市人力资源和社会保障局",
      departments: [],
      items: catalog(item),
    });
    const typo = out.filter((f) => f.code === "unit_name_inconsistent");
    assert.equal(typo.length, 1);
    assert.match(typo[0]?.message ?? "", /扎兰屯市人力资源红和社会保障局/);
  });

  it("near-duplicate unit names", () => {
    const out = lintCatalog({
      agencyName: "某局",
      departments: ["局办公室", "办公室", "就业股"],
      items: catalog(),
    });
    assert.equal(out.filter((f) => f.code === "unit_name_inconsistent").length, 1);
  });
});

describe("edit distance helpers", () => {
  const cases: [string, string, number][] = [
    ["人力资源和社会保障局", "人力资源和社会保障局", 0],
    ["人力资源红和社会保障局", "人力资源和社会保障局", 1],
    ["局办公室", "办公室", 1],
    ["就业股", "社保股", 2],
  ];
  for (const [a, b, d] of cases) it(`${a} ~ ${b} = ${d}`, () => assert.equal(editDistance(a, b), d));
  it("the exact name is not a misspelling", () => {
    assert.deepEqual(
      nearMisspellings("中卫市人力资源和社会保障局主要职责", "中卫市人力资源和社会保障局"),
      [],
    );
    assert.deepEqual(nearMisspellings("中卫市人力资源与社会保障局", "中卫市人力资源和社会保障局"), [
      "中卫市人力资源与社会保障局",
    ]);
  });
});
