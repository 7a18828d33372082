import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { escapeHtml, html, join, raw } from "./html.ts";

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
});
