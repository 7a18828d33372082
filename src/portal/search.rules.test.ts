import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  cleanQuery,
  containsQuery,
  foldForSearch,
  highlightAll,
  highlightSnippet,
  MAX_QUERY_CHARS,
  MAX_QUERY_TOKENS,
  queryTokens,
  searchTokens,
  toTsquery,
  tsqueryLexeme,
} from "./search.rules.ts";

describe("foldForSearch", () => {
  const cases: [string, string][] = [
    ["社会保障", "社会保障"],
    ["ABC abc", "abc abc"],
    ["ＡＢＣ１２３", "abc123"],
    ["２０２４年", "2024年"],
    ["a\tb\nc\u3000d\u00a0e", "a b c d e"],
    ["（一）", "(一)"],
    ["'\\", "'\\"],
    ["😀Ｚ", "😀z"],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(foldForSearch(input), expected);
      assert.equal(foldForSearch(input).length, input.length, "folding keeps UTF-16 indices");
    });
  }
});

describe("searchTokens (mirror of gk_search_tokens)", () => {
  const cases: [string, string[]][] = [
    ["", []],
    ["社", ["社"]],
    ["社保", ["社", "社保", "保"]],
    ["社保社保", ["社", "社保", "保", "保社"]],
    ["A b", ["a", "b"]],
    ["就业 补贴", ["业", "就", "就业", "补", "补贴", "贴"]],
    ["😀好", ["好", "😀", "😀好"]],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)}`, () => {
      assert.deepEqual(new Set(searchTokens(input)), new Set(expected));
      assert.equal(searchTokens(input).length, expected.length);
    });
  }
});

describe("queryTokens", () => {
  const cases: [string, string[]][] = [
    ["社", ["社"]],
    ["社保", ["社保"]],
    ["就业补贴", ["就业", "业补", "补贴"]],
    ["a b", ["a", "b"]],
    ["社保 a", ["社保"]],
    ["   ", []],
    ["ＡＢ", ["ab"]],
    ["哈哈哈", ["哈哈"]],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(queryTokens(input), expected);
    });
  }
  it("every query token is a document token whenever the document contains the query (recall)", () => {
    const doc = "关于做好２０２４年度城乡居民基本养老保险缴费工作的通知 A-B 'x' \\ 😀😀";
    for (let i = 0; i < doc.length; i++)
      for (let len = 1; len <= 8 && i + len <= doc.length; len++) {
        const q = cleanQuery(doc.slice(i, i + len));
        if (!q) continue;
        assert.ok(containsQuery(doc, q));
        const docTokens = new Set(searchTokens(doc));
        for (const t of queryTokens(q)) assert.ok(docTokens.has(t), `${q}: ${t}`);
      }
  });
  it("caps the number of tokens of a long query", () => {
    const long = Array.from({ length: 300 }, (_, i) => String.fromCharCode(0x4e00 + i)).join("");
    assert.equal(queryTokens(long).length, MAX_QUERY_TOKENS);
  });
});

describe("tsquery building", () => {
  const cases: [string, string][] = [
    ["社保", "'社保'"],
    ["'", "''''"],
    ["\\", "'\\\\'"],
    ["a'b\\c", "'a''b\\\\c'"],
    ["&|!", "'&|!'"],
  ];
  for (const [token, expected] of cases) {
    it(`lexeme ${JSON.stringify(token)}`, () => assert.equal(tsqueryLexeme(token), expected));
  }
  it("ANDs lexemes and gives null for no tokens", () => {
    assert.equal(toTsquery(["社保", "保险"]), "'社保' & '保险'");
    assert.equal(toTsquery([]), null);
  });
});

describe("cleanQuery", () => {
  const cases: [unknown, string][] = [
    ["  社保  ", "社保"],
    ["\u3000社保\u3000", "社保"],
    ["社\u0000保", "社保"],
    ["a\u0007b\u007f\u009fc", "abc"],
    ["社  保", "社  保"],
    [["社保", "x"], "社保"],
    [undefined, ""],
    [42, ""],
    [{ q: 1 }, ""],
    ["\ud800x\udc00", "x"],
    ["😀", "😀"],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () =>
      assert.equal(cleanQuery(input), expected));
  }
  it(`cuts to ${MAX_QUERY_CHARS} characters without splitting a surrogate pair`, () => {
    assert.equal(Array.from(cleanQuery("😀".repeat(10_000))).length, MAX_QUERY_CHARS);
    assert.equal(cleanQuery("x".repeat(10_000)).length, MAX_QUERY_CHARS);
  });
});

describe("highlighting", () => {
  it("escapes the text and marks every match, case- and width-insensitively", () => {
    assert.equal(
      highlightAll("<b>社保</b> and ＳＯＳ sos", "sos").value,
      "&lt;b&gt;社保&lt;/b&gt; and <mark>ＳＯＳ</mark> <mark>sos</mark>",
    );
  });
  it("never lets the query inject markup", () => {
    assert.equal(highlightAll("a<script>b", "<script>").value, "a<mark>&lt;script&gt;</mark>b");
  });
  it("snippet centres the first match and adds ellipses", () => {
    const text = `${"甲".repeat(100)}社保${"乙".repeat(100)}`;
    const s = highlightSnippet(text, "社保", 40).value;
    assert.match(s, /^…甲+<mark>社保<\/mark>乙+…$/);
    assert.ok(s.replace(/<\/?mark>/g, "").length <= 42);
  });
  it("snippet without a match shows the start", () => {
    assert.equal(highlightSnippet("短文本", "无", 40).value, "短文本");
  });
  it("snippet never splits a surrogate pair", () => {
    const s = highlightSnippet(`${"😀".repeat(50)}社保${"😀".repeat(50)}`, "社保", 21).value;
    assert.doesNotMatch(s, /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });
});
