import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { itemMatcher, mapHeaders, parseImportDate } from "./record-import.rules.ts";

describe("records import rules", () => {
  it("reads dates as agencies write them and refuses impossible ones", () => {
    for (const [raw, iso] of [
      ["2024-03-05", "2024-03-05"],
      ["2024/3/5", "2024-03-05"],
      ["2024.3.5", "2024-03-05"],
      ["2024年3月5日", "2024-03-05"],
      ["20240305", "2024-03-05"],
      ["2024-03-05 10:30", "2024-03-05"],
    ] as const)
      assert.equal(parseImportDate(raw), iso, raw);
    for (const raw of ["2024-02-30", "3/5/2024", "", "二〇二四年", "1900-01-01"])
      assert.equal(parseImportDate(raw), null, raw);
  });

  it("maps Chinese and export headers, lists the missing required columns", () => {
    const h = mapHeaders(["索 引 号", "标题", "发布日期", "目录事项", "body_html", "备注"]);
    assert.deepEqual(h.missing, []);
    assert.deepEqual(h.ignored, ["备注"]);
    assert.equal(h.columns.get("indexNo"), 0);
    assert.deepEqual(mapHeaders(["标题"]).missing, ["索引号", "发布日期", "目录事项", "正文"]);
  });

  it("matches a catalog item by id, number, name or path; a shared name needs the path", () => {
    const items = [
      { id: "a1", stableKey: "k1", number: "1.1", name: "政策文件", path: ["规章", "政策文件"] },
      { id: "a2", stableKey: "k2", number: "2.1", name: "政策文件", path: ["规范性文件", "政策文件"] },
      { id: "a3", stableKey: "k3", number: "3", name: "人事信息", path: ["人事信息"] },
    ];
    const match = itemMatcher(items);
    const id = (raw: string) => {
      const m = match(raw);
      return m.ok ? m.item.id : m.message;
    };
    assert.equal(id("人事信息"), "a3");
    assert.equal(id("a2"), "a2");
    assert.equal(id("2.1"), "a2");
    assert.equal(id("规章 / 政策文件"), "a1");
    assert.equal(id("规范性文件>政策文件"), "a2");
    assert.match(id("政策文件"), /有2个同名事项，请写出完整路径/);
    assert.match(id("不存在"), /不在本机关已发布的目录中/);
    assert.match(id(""), /目录事项为空/);
  });
});
