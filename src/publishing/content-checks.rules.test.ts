import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkLeaderTitles, findSensitiveWords, type LeaderTerm } from "./content-checks.rules.ts";

describe("sensitive words", () => {
  it("finds every occurrence with its severity, longer words first", () => {
    const found = findSensitiveWords("本局坚决杜绝暴力执法，暴力不可取；另见内部资料。", [
      { word: "暴力", severity: "warn" },
      { word: "暴力执法", severity: "block" },
      { word: "内部资料", severity: "block" },
    ]);
    assert.deepEqual(
      found.map((f) => [f.found, f.severity, f.start]),
      [
        ["暴力执法", "block", 6],
        ["暴力", "warn", 11],
        ["内部资料", "block", 19],
      ],
    );
  });
  it("no words, no findings", () => assert.deepEqual(findSensitiveWords("正文", []), []));
});

describe("leaders' titles on the record's date", () => {
  const terms: LeaderTerm[] = [
    { name: "张三", title: "副局长", validFrom: "2020-01-01", validTo: "2025-12-31" },
    { name: "张三", title: "局长", validFrom: "2026-01-01", validTo: null },
    { name: "李四", title: "副局长", validFrom: "2021-06-01", validTo: null },
    { name: "王五", title: "主任", validFrom: null, validTo: "2024-12-31" },
  ];
  const cases: { text: string; date: string; expect: string[]; why: string }[] = [
    { why: "current title after the name", text: "张三局长出席会议。", date: "2026-03-01", expect: [] },
    { why: "current title before the name", text: "局长张三出席会议。", date: "2026-03-01", expect: [] },
    {
      why: "an outdated title after the name",
      text: "张三副局长出席会议。",
      date: "2026-03-01",
      expect: ["张三副局长"],
    },
    {
      why: "the same words were right on an earlier record date",
      text: "张三副局长出席会议。",
      date: "2025-03-01",
      expect: [],
    },
    {
      why: "a wrong title before the name",
      text: "主任张三讲话。",
      date: "2026-03-01",
      expect: ["主任张三"],
    },
    {
      why: "a title between two names belongs to the second",
      text: "局长张三、副局长李四出席。",
      date: "2026-03-01",
      expect: [],
    },
    {
      why: "space between title and name",
      text: "副局长 张三讲话。",
      date: "2026-03-01",
      expect: ["副局长 张三"],
    },
    {
      why: "a leader without a term on the date is not judged",
      text: "王五局长",
      date: "2026-03-01",
      expect: [],
    },
    { why: "a name without a title is fine", text: "张三同志强调。", date: "2026-03-01", expect: [] },
  ];
  for (const c of cases) {
    it(c.why, () =>
      assert.deepEqual(
        checkLeaderTitles(c.text, terms, c.date).map((f) => f.found),
        c.expect,
      ),
    );
  }
  it("the message names the current title and the end of the old term", () => {
    const [f] = checkLeaderTitles("张三副局长", terms, "2026-03-01");
    assert.equal(f?.severity, "block");
    assert.match(f?.message ?? "", /已于2025-12-31结束.*现任局长/);
  });
});
