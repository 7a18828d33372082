import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dateToken, escapeHtml, html, join, keepTokens, noBreak, raw } from "./html.ts";

describe("html templates", () => {
  it("escapes interpolated strings", () => {
    const payload = `<script>alert("x")</script>'&`;
    assert.equal(
      html`<p title="${payload}">${payload}</p>`.value,
      `<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;</p>`,
    );
  });
  it("does not double-escape nested templates and raw()", () => {
    const inner = html`<b>${"a&b"}</b>`;
    assert.equal(html`<p>${inner}${raw("<i>ok</i>")}</p>`.value, "<p><b>a&amp;b</b><i>ok</i></p>");
  });
  it("renders arrays, numbers and skips null/undefined/booleans", () => {
    assert.equal(html`${["<", 1, null, undefined, false, true]}`.value, "&lt;1");
    assert.equal(join(["a", "<b>"], ", ").value, "a, &lt;b&gt;");
  });
  it("escapes backticks", () => {
    assert.equal(escapeHtml("`"), "&#96;");
  });
  it("keeps dates, 索引号, 文号 and numbers with units on one line, escaping the rest", () => {
    assert.equal(noBreak("局办公室").value, '<span class="nowrap">局办公室</span>');
    assert.equal(dateToken("2026-03-16").value, '<span class="nowrap">2026-03-16</span>');
    assert.equal(dateToken(null, "—").value, "—");
    const cases: [string, string][] = [
      [
        "自2026年3月16日起20个工作日内<b>",
        '自<span class="nowrap">2026年3月16日</span>起<span class="nowrap">20个工作日</span>内&lt;b&gt;',
      ],
      ["截止2026-03-16 09:30。", '截止<span class="nowrap">2026-03-16</span> 09:30。'],
      [
        "索引号11350000MB0000000X/2026-00009",
        '索引号<span class="nowrap">11350000MB0000000X/2026-00009</span>',
      ],
      ["闽政办〔2026〕9号", '闽政办<span class="nowrap">〔2026〕9号</span>'],
      ["（第0日，当日不计入）", '（<span class="nowrap">第0日</span>，当日不计入）'],
      ["共3件，占12.5%", '共<span class="nowrap">3件</span>，占<span class="nowrap">12.5%</span>'],
      ["没有数字", "没有数字"],
    ];
    for (const [text, expected] of cases) assert.equal(keepTokens(text).value, expected, text);
  });
});
