import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { searchGrams, termGrams, tokenCode } from "../publishing/record-search.read.ts";
import {
  DIGIT3_BASE,
  DIGIT4_BASE,
  INDEX_CODE_MAX_SHARE,
  INDEX_CODE_SECOND_MAX_SHARE,
  INDEX_CODES_KEPT,
  pickIndexCodes,
  TWIN_SHARE,
} from "../publishing/record-search.rules.ts";
import {
  cleanQuery,
  containsQuery,
  exclusionCoversQuery,
  foldForSearch,
  highlightAll,
  highlightSnippet,
  MAX_EXCLUDED_WORDS,
  MAX_QUERY_CHARS,
  MAX_QUERY_TOKENS,
  MAX_QUERY_WORDS,
  queryParts,
  queryText,
  queryTokens,
  searchTokens,
  simplifiedSplit,
  splitQuery,
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

describe("token codes (search_grams)", () => {
  it("a character is its code point, a pair is (a << 16 | b) as int4, never in the single-character range", () => {
    assert.equal(tokenCode("社"), 0x793e);
    assert.equal(tokenCode("社保"), (0x793e << 16) | 0x4fdd);
    assert.ok(tokenCode("ab") > 0xffff);
    assert.ok(tokenCode("险种") < 0, "a pair starting above U+7FFF is negative as int4");
    assert.equal(
      tokenCode("𠀀"),
      0xd800 + (0x20000 % 0x800),
      "astral characters share surrogate-range codes",
    );
  });
  const cases: [string, boolean][] = [
    ["社", true],
    ["社保", true],
    ["ＡＢ", true],
    ["养老保险", false],
    ["a b", false],
    ["😀", false],
  ];
  for (const [term, exact] of cases)
    it(`${JSON.stringify(term)}: the index ${exact ? "alone decides" : "narrows, strpos decides"}`, () => {
      assert.equal(termGrams(term).exact, exact);
    });
  it("every code of a contained term is a code of the text (recall)", () => {
    const doc = "关于做好２０２４年度城乡居民基本养老保险缴费工作的通知 A-B 'x' \\ 😀😀";
    const codes = new Set(searchGrams(doc));
    for (let i = 0; i < doc.length; i++)
      for (let len = 1; len <= 8 && i + len <= doc.length; len++) {
        const q = cleanQuery(doc.slice(i, i + len));
        if (!q) continue;
        for (const c of termGrams(q).codes) assert.ok(codes.has(c), `${q}: ${c}`);
      }
  });
});

describe("termGrams: digit grams of a query", () => {
  const three = (d: string) => DIGIT3_BASE + Number(d);
  const four = (d: string) => DIGIT4_BASE + Number(d);
  const cases: [string, number[], number[]][] = [
    // [term, codes it holds, codes it leaves out]
    ["2020年", [four("2020")], [three("202"), three("020")]],
    ["〔2016〕", [four("2016")], [three("201"), three("016")]],
    ["20201号", [four("2020"), four("0201")], [three("202"), three("020"), three("201")]],
    ["202号", [three("202")], []],
    ["第12号", [], [three("012")]],
  ];
  for (const [term, held, left] of cases)
    it(`${term}: four-digit grams imply the three-digit ones of their run`, () => {
      const codes = new Set(termGrams(term).codes);
      for (const c of held) assert.ok(codes.has(c), `${term} holds ${c}`);
      for (const c of left) assert.ok(!codes.has(c), `${term} leaves out ${c}`);
    });
});

describe("pickIndexCodes: the codes the index is asked for", () => {
  const shares = new Map([
    [1, 0.67],
    [2, 0.67],
    [3, 0.08],
    [4, 0.5],
    [5, 0.09],
    [6, 0.6705], // a twin of 1 and 2 (within TWIN_SHARE)
    [7, 0.9],
    [8, 0.2],
    [10, 0.3],
    [11, 0.3015], // a twin of 10
  ]);
  const share = (c: number) => shares.get(c);
  const cases: [string, number[], number[]][] = [
    ["all common: the rarest, and a second only if held by at most half", [1, 7, 4], [4]],
    ["a second code held by at most half the records: kept", [1, 4, 8], [8, 4]],
    ["rare ones (at most INDEX_CODE_MAX_SHARE) all, the common ones left out", [1, 3, 4, 5], [3, 5]],
    ["codes not listed are rarer than any listed: always kept", [1, 9, 8, 2], [9, 8]],
    ["not listed and rare together", [9, 3, 5, 1], [9, 3, 5]],
    ["one code", [1], [1]],
    ["none", [], []],
    ["twins (one boilerplate phrase): the first only", [2, 1, 6], [2]],
    ["a twin is skipped, the next common code that is not one is kept", [10, 11, 4], [10, 4]],
    ["a rare code and a common one: both", [4, 3], [3, 4]],
    ["a rare code and one above half the records: the rare one", [7, 3], [3]],
  ];
  for (const [name, codes, want] of cases)
    it(name, () => assert.deepEqual(pickIndexCodes(codes, share), want));
  it("at most INDEX_CODES_KEPT codes above INDEX_CODE_MAX_SHARE, however many", () => {
    assert.equal(INDEX_CODES_KEPT, 2);
    assert.ok(INDEX_CODE_MAX_SHARE < INDEX_CODE_SECOND_MAX_SHARE && TWIN_SHARE < 0.05);
    // 0.1, 0.2, 0.3, 0.4: the first (at most INDEX_CODE_MAX_SHARE) and one more.
    assert.deepEqual(
      pickIndexCodes([21, 22, 23, 24], (c) => (c - 20) / 10),
      [21, 22],
    );
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

describe("queryParts: the words", () => {
  const queryWords = (q: string) => queryParts(q).map((w) => w.text);
  const cases: [string, string[]][] = [
    ["", []],
    ["社保", ["社保"]],
    ["社保 就业", ["社保", "就业"]],
    ["社保\u3000就业", ["社保", "就业"]],
    ["社保  \t 就业 社保", ["社保", "就业"]],
    ["人社发〔2024〕5号", ["人社发〔2024〕5号"]],
    ["a b c d e f g h", ["a", "b", "c", "d", "e", "f g h"]],
    ['"社保"', ["社保"]],
    ['"社会 保险" 就业', ["社会 保险", "就业"]],
    ["“ 社保 ” 「就业」 『养老』 ＂医保＂", ["社保", "就业", "养老", "医保"]],
    // Marks inside a word, or without their closing mark, are text.
    ["关于“双随机”检查", ["关于“双随机”检查"]],
    ['"社保', ['"社保']],
    ['"社保"就业', ['"社保"就业']],
    ['a"b c"', ['a"b', 'c"']],
    // The phrase ends at the first closing mark at a word's end.
    ["「社保」」", ["社保」"]],
    ['""', ['""']],
    ['"" 社保', ["社保"]],
  ];
  for (const [q, want] of cases)
    it(JSON.stringify(q), () => {
      assert.deepEqual(queryWords(q), want);
    });
  it(`keeps at most ${MAX_QUERY_WORDS} words, the rest as one phrase`, () => {
    assert.equal(queryWords("一 二 三 四 五 六 七").length, MAX_QUERY_WORDS);
  });
});

describe("queryParts", () => {
  it("marks the words typed in quotation marks (searched without synonyms)", () => {
    assert.deepEqual(queryParts('"社保" 就业 “医保”'), [
      { text: "社保", quoted: true },
      { text: "就业", quoted: false },
      { text: "医保", quoted: true },
    ]);
  });
  it("a word typed both ways is quoted", () => {
    assert.deepEqual(queryParts('社保 "社保"'), [{ text: "社保", quoted: true }]);
  });
  it("the words past the limit join the last one, unquoted", () => {
    const parts = queryParts('一 二 三 四 五 "六" 七');
    assert.equal(parts.length, MAX_QUERY_WORDS);
    assert.deepEqual(parts.at(-1), { text: "六 七", quoted: false });
  });
});

describe("splitQuery: excluded words (a leading - or －)", () => {
  const cases: [string, string[], string[]][] = [
    ["社保 -医疗", ["社保"], ["医疗"]],
    ["社保 －医疗", ["社保"], ["医疗"]],
    ["-医疗 社保", ["社保"], ["医疗"]],
    ["社保\u3000-医疗\u3000-养老", ["社保"], ["医疗", "养老"]],
    ['社保 -"医疗 保险"', ["社保"], ["医疗 保险"]],
    ["社保 -“医疗保险”", ["社保"], ["医疗保险"]],
    ["社保 -医疗 -医疗", ["社保"], ["医疗"]],
    ["-医疗", [], ["医疗"]],
    ["－医疗 -养老", [], ["医疗", "养老"]],
    // A minus inside a word, alone, or doubled is text.
    ["000014349/2024-00012", ["000014349/2024-00012"], []],
    ["2024-2025 社保", ["2024-2025", "社保"], []],
    ["社保 - 医疗", ["社保", "-", "医疗"], []],
    ["社保 --医疗", ["社保"], ["-医疗"]],
    ["社保 -", ["社保", "-"], []],
    // A word both wanted and excluded: both (nothing can match; the search says why: exclusionCoversQuery).
    ["社保 -社保", ["社保"], ["社保"]],
  ];
  for (const [q, words, excluded] of cases)
    it(JSON.stringify(q), () => {
      const split = splitQuery(q);
      assert.deepEqual(
        split.words.map((w) => w.text),
        words,
      );
      assert.deepEqual(split.excluded, excluded);
      assert.deepEqual(split.ignored, []);
    });
  it(`applies at most ${MAX_EXCLUDED_WORDS} excluded words and names the rest`, () => {
    const split = splitQuery("社保 -一 -二 -三 -四 -五");
    assert.deepEqual(split.excluded, ["一", "二", "三"]);
    assert.deepEqual(split.ignored, ["四", "五"]);
  });
  it("queryParts gives the words to find only", () => {
    assert.deepEqual(queryParts("社保 -医疗"), [{ text: "社保", quoted: false }]);
  });
});

describe("simplifiedSplit and queryText: traditional characters in the query", () => {
  const cases: [string, string | undefined][] = [
    ["社會保險", "社会保险"],
    ["醫療保險 -養老", "医疗保险 -养老"],
    ["“資訊公開” 條例", "“资讯公开” 条例"],
    ["社保 -醫療", "社保 -医疗"],
    ["社会保险", undefined],
    ["人社发〔2024〕5号", undefined],
    ["", undefined],
  ];
  for (const [q, want] of cases)
    it(JSON.stringify(q), () => {
      const s = simplifiedSplit(splitQuery(q));
      assert.equal(s && queryText(s), want);
    });
});

describe("exclusionCoversQuery: an excluded term every form of a word holds", () => {
  const cases: [string[][], string[], string | undefined][] = [
    [[["社保"]], ["社"], "社"],
    [[["社保", "社会保险"]], ["社"], "社"],
    [[["社保", "社会保险"]], ["保险"], undefined],
    [[["社保"], ["就业"]], ["就业"], "就业"],
    [[["社保"]], ["医疗"], undefined],
    [[["社保"]], [], undefined],
  ];
  for (const [groups, excluded, want] of cases)
    it(`${JSON.stringify(groups)} -${excluded.join(" -")}`, () =>
      assert.equal(exclusionCoversQuery(groups, excluded), want));
});
