import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type CatalogDoc, type CatalogDocItem, emptyItem } from "./catalog.model.ts";
import { canonicalName, compareCatalogs, nameSimilarity, workingDayBound } from "./catalog-compare.rules.ts";
import { loadSeedCatalog, seedToDoc } from "./catalog-seed.ts";

function item(
  name: string,
  extra: Partial<CatalogDocItem> = {},
  children: CatalogDocItem[] = [],
): CatalogDocItem {
  return { ...emptyItem(1, name), ...extra, children };
}

function doc(title: string, items: CatalogDocItem[]): CatalogDoc {
  return { title, header: {}, items };
}

describe("matching catalog items by meaning", () => {
  test("names fold numbering, punctuation and the field's synonyms", () => {
    const cases: [string, string][] = [
      ["1.1社会保险登记", "社保登记"],
      ["（一）参保登记", "社保登记"],
      ["2、人力资源和社会保障局简介", "人社局简介"],
      ["① 最低生活保障审批", "低保审批"],
      ["行政规范性文件", "规范性文件"],
      ["财政预算、决算信息", "财政预决算"],
    ];
    for (const [input, expected] of cases) assert.equal(canonicalName(input), expected, input);
  });

  test("similarity: identical 1, synonyms exact, related names high, unrelated low", () => {
    assert.equal(nameSimilarity(canonicalName("社会保险登记"), canonicalName("参保登记")), 1);
    assert.ok(nameSimilarity(canonicalName("社会保险缴费申报"), canonicalName("社会保险费申报")) >= 0.55);
    assert.ok(nameSimilarity(canonicalName("工伤认定"), canonicalName("政府采购")) < 0.2);
    // A long name that merely contains a short one is not taken for it.
    assert.ok(
      nameSimilarity(
        canonicalName("对职业技能培训机构违反国家有关职业介绍规定的处罚"),
        canonicalName("职业技能培训"),
      ) < 0.55,
    );
  });

  test("deadline bounds in working days: 实时 0, calendar days scaled, none null", () => {
    assert.equal(workingDayBound("信息形成或者变更之日起20个工作日内"), 20);
    assert.equal(workingDayBound("实时公开"), 0);
    assert.equal(workingDayBound(null), null);
  });
});

describe("comparing an agency's catalog with a reference", () => {
  const reference = doc("社会保险领域标准目录", [
    item(
      "社会保险登记",
      {
        deadlineText: "信息形成或者变更之日起20个工作日内",
        channels: ["政府网站", "政务服务中心"],
        mode: "主动",
      },
      [
        item("机关事业单位社会保险登记", { deadlineText: "信息形成或者变更之日起10个工作日内" }),
        item("参保单位注销"),
      ],
    ),
    item("社会保障卡服务", { deadlineText: "信息形成或者变更之日起20个工作日内" }),
  ]);
  const agency = doc("某县人社局目录", [
    item(
      "1.参保登记",
      { deadlineText: "信息形成或者变更之日起30个工作日内", channels: ["政府网站"], mode: "依申请" },
      [item("1.1机关事业单位社会保险登记", { deadlineText: "信息形成或者变更之日起5个工作日内" })],
    ),
    item("政府采购"),
  ]);
  const result = compareCatalogs(agency, reference);

  test("matched one-to-one; synonyms are exact, missing and added listed", () => {
    assert.deepEqual(
      result.matches.map((m) => [m.agency.path.at(-1), m.reference.path.at(-1), m.kind]),
      [
        ["1.参保登记", "社会保险登记", "exact"],
        ["1.1机关事业单位社会保险登记", "机关事业单位社会保险登记", "exact"],
      ],
    );
    assert.deepEqual(
      result.missing.map((m) => m.path.join(">")),
      ["社会保险登记>参保单位注销", "社会保障卡服务"],
    );
    assert.deepEqual(
      result.added.map((m) => m.path.join(">")),
      ["政府采购"],
    );
  });

  test("weaker deadline, fewer channels and 依申请 are found; a shorter deadline is stronger", () => {
    const [top, child] = result.matches;
    assert.equal(top?.deadline.verdict, "weaker");
    assert.deepEqual(top?.channelsMissing, ["政务服务中心"]);
    assert.equal(top?.modeWeaker, true);
    assert.equal(child?.deadline.verdict, "stronger");
    assert.deepEqual(
      [result.summary.weakerDeadlines, result.summary.fewerChannels, result.summary.weakerMode],
      [1, 1, 1],
    );
  });

  test("the seed agencies: 中卫's 社会保险 items are found in 旗人社局's catalog under other names", () => {
    const qi = seedToDoc(loadSeedCatalog("qi-hrss") ?? assert.fail("seed missing"));
    const zhongwei = seedToDoc(loadSeedCatalog("zhongwei-hrss") ?? assert.fail("seed missing"));
    const c = compareCatalogs(qi, zhongwei);
    const pair = c.matches.find((m) => m.reference.path.at(-1) === "社会保险缴费申报");
    assert.equal(pair?.agency.path.at(-1), "社会保险费申报");
    assert.equal(pair?.kind, "probable");
    assert.ok(c.summary.matched >= 10 && c.summary.missing > 0 && c.summary.added > 0);
  });
});
