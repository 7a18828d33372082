/**
 * Table tests of query expansion (search-synonyms.rules.ts) over the shipped dictionary and an agency's groups.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import shipped from "./data/search-synonyms.json" with { type: "json" };
import {
  buildDictionary,
  expandQuery,
  formatAgencyGroups,
  MAX_EXPANSIONS,
  parseAgencyGroups,
} from "./search-synonyms.rules.ts";

const SHIPPED = buildDictionary({ same: shipped.same, narrower: shipped.narrower });

describe("expandQuery with the shipped dictionary", () => {
  const table: [query: string, expected: string[], why: string][] = [
    ["社保", ["社会保险"], "abbreviation → full form"],
    ["社会保险", ["社保"], "full form → abbreviation"],
    ["社保缴费", ["社会保险缴费"], "a term inside the query is replaced, the rest kept"],
    ["社保卡", ["社会保障卡"], "longest term wins (社保卡, not 社保 + 卡)"],
    ["医保", ["医疗保险", "医疗保障"], "same group and narrower terms"],
    ["人社局", ["人力资源和社会保障局", "人力资源社会保障局"], "every member of the group"],
    ["公积金", [], "住房公积金 contains 公积金: nothing more to find"],
    ["住房公积金", ["公积金"], "the shorter form finds more"],
    ["养老金", ["养老保险金"], "基本养老金 contains the query and is dropped"],
    ["低保", ["最低生活保障"], "低保"],
    ["失业金", ["失业保险金"], "失业金"],
    ["退役军人", ["退伍军人"], "退役军人"],
    [
      "五险一金",
      ["养老保险", "医疗保险", "失业保险", "工伤保险", "生育保险", "住房公积金"],
      "umbrella word → its parts (one way)",
    ],
    ["工伤保险", [], "narrower terms do not expand back to the umbrella word"],
    ["就业", [], "no entry: no expansion"],
    ["", [], "empty query"],
    ["ＳＯＳ", [], "folded, no entry"],
  ];
  for (const [query, expected, why] of table)
    it(`${query || "(empty)"} → ${expected.join("、") || "—"} (${why})`, () => {
      assert.deepEqual(expandQuery(query, SHIPPED), expected);
    });

  it("two terms in one query combine, capped at MAX_EXPANSIONS, never the query itself", () => {
    const out = expandQuery("医保和社保", SHIPPED);
    assert.ok(out.includes("医疗保险和社会保险"));
    assert.ok(out.includes("医保和社会保险"));
    assert.ok(!out.includes("医保和社保"));
    assert.ok(out.length <= MAX_EXPANSIONS);
  });

  it("the shipped dictionary has dozens of entries, none empty", () => {
    assert.ok(shipped.same.length + Object.keys(shipped.narrower).length >= 40);
    for (const g of shipped.same) assert.ok(g.length >= 2, g.join());
    for (const [k, list] of SHIPPED) assert.ok(k && list.every((x) => x && x !== k), k);
  });
});

describe("an agency's own groups", () => {
  it("are added to the shipped dictionary both ways", () => {
    const dict = buildDictionary(
      { same: shipped.same, narrower: shipped.narrower },
      { same: [["稳岗返还", "稳岗补贴", "稳就业补贴"]] },
    );
    assert.deepEqual(expandQuery("稳就业补贴", dict), ["稳岗返还", "稳岗补贴"]);
    assert.deepEqual(expandQuery("稳岗补贴", dict), ["稳岗返还", "稳就业补贴"]);
  });

  it("are parsed one group per line, any separator; bad lines are reported by number", () => {
    assert.deepEqual(parseAgencyGroups("甲、乙\n\n丙，丁 戊\r\n己,庚;辛"), {
      groups: [
        ["甲", "乙"],
        ["丙", "丁", "戊"],
        ["己", "庚", "辛"],
      ],
      badLines: [],
    });
    assert.deepEqual(parseAgencyGroups("单独\n甲、乙\n甲、甲").badLines, [1, 3]);
    assert.deepEqual(parseAgencyGroups(`甲、${"长".repeat(31)}`).badLines, [1]);
    assert.equal(
      formatAgencyGroups([
        ["甲", "乙"],
        ["丙", "丁"],
      ]),
      "甲、乙\n丙、丁",
    );
  });
});
