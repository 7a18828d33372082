import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bodyText, looksLikeHtml, prepareBody, sanitizeBody } from "./record-html.ts";

/** What Word (and WPS, much the same) puts on the clipboard as text/html, cut down to its characteristic parts. */
const WORD_PASTE = `<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head><meta name=Generator content="Microsoft Word 15"><title>通知</title>
<style><!-- p.MsoNormal {margin:0cm; font-family:宋体;} --></style>
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->
</head><body lang=ZH-CN style='tab-interval:21.0pt'>
<!--StartFragment-->
<h1 style='mso-outline-level:1'><span style='font-family:黑体'>关于做好社保补贴申领工作的通知<o:p></o:p></span></h1>
<p class=MsoNormal style='text-indent:2em'><span lang=EN-US style='font-size:16pt;mso-bidi-font-family:宋体'>各乡镇人民政府：<o:p></o:p></span></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<h2><span class=SpellE>一、申领对象</span></h2>
<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><font face=仿宋><b style='mso-bidi-font-weight:normal'>就业困难人员</b></font>。</p>
<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;mso-yfti-tbllook:1184'>
 <tr style='mso-yfti-irow:0'><td width=200 valign=top style='width:150pt;border:solid windowtext 1.0pt'><p class=MsoNormal><span>项目</span></p></td>
  <td width=200 valign=top colspan=1 style='border:solid windowtext 1.0pt'><p class=MsoNormal><span>标准</span></p></td></tr>
 <tr><td><p class=MsoNormal>社保补贴</p></td><td><p class=MsoNormal>每月500元</p></td></tr>
</table>
<p class=MsoNormal onclick="alert(1)"><img width=100 height=50 src="file:///C:/Users/a/AppData/Local/Temp/msohtmlclip1/image001.png" alt="图1"><img src="https://example.gov.cn/a.png" alt="示意图"><img src="/agencies/demo/records/0b0c7f52-4a57-4c43-9a55-1f0c8d0d9f11/files/7d5e8f0e-2f6b-4b55-8a58-0e0c0a4b6c21" alt="示意图"></p>
<!--EndFragment-->
</body></html>`;

describe("prepareBody: a paste from Word/WPS", () => {
  const out = prepareBody(WORD_PASTE);

  it("keeps headings (h1 demoted), paragraphs, tables and images stored on the platform", () => {
    assert.match(out, /<h2>关于做好社保补贴申领工作的通知<\/h2>/);
    assert.match(out, /<p>各乡镇人民政府：<\/p>/);
    assert.match(out, /<h2>一、申领对象<\/h2>/);
    assert.match(out, /<p><b>就业困难人员<\/b>。<\/p>/);
    assert.match(out, /<table>\s*<tr><td><p>项目<\/p><\/td>\s*<td colspan="1"><p>标准<\/p><\/td><\/tr>/);
    assert.match(out, /<td><p>每月500元<\/p><\/td>/);
    assert.match(
      out,
      /<p><img src="\/agencies\/demo\/records\/0b0c7f52-4a57-4c43-9a55-1f0c8d0d9f11\/files\/7d5e8f0e-2f6b-4b55-8a58-0e0c0a4b6c21" alt="示意图" \/><\/p>/,
    );
    assert.doesNotMatch(out, /example\.gov\.cn/);
  });

  it("drops styles, classes, spans, fonts, comments, Office tags, the head and local files", () => {
    for (const gone of [
      "style",
      "class",
      "Mso",
      "mso-",
      "<span",
      "<font",
      "o:p",
      "<!--",
      "[if",
      "w:WordDocument",
      "Normal",
      "<title",
      "Generator",
      "file:",
      "onclick",
      "lang=",
      "valign",
      "&nbsp;",
    ]) {
      assert.ok(!out.includes(gone), `${gone} left in ${out}`);
    }
    assert.ok(!bodyText(out).startsWith("通知"), "the <title> text is not part of the body");
  });
});

describe("prepareBody: plain text from the textarea without JavaScript", () => {
  it("turns blank-line separated paragraphs into <p>s (they no longer run together)", () => {
    assert.equal(
      prepareBody("第一段。\n\n第二段，第一行\n第二行。\r\n\r\n第三段 a < b & c。"),
      "<p>第一段。</p>\n<p>第二段，第一行<br />第二行。</p>\n<p>第三段 a &lt; b &amp; c。</p>",
    );
  });

  it("leaves HTML bodies as HTML", () => {
    assert.equal(prepareBody("<p>一</p><p>二</p>"), "<p>一</p><p>二</p>");
    assert.ok(looksLikeHtml("<p>x</p>"));
    assert.ok(looksLikeHtml("a<br>b"));
    assert.ok(!looksLikeHtml("x < y and 3<4"));
    assert.ok(!looksLikeHtml("<script>alert(1)</script>"));
    assert.equal(prepareBody("<script>alert(1)</script>"), "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
  });

  it("keeps the sanitiser's allow-list for editor output (empty editor lines dropped)", () => {
    assert.equal(sanitizeBody("<p>甲</p><p><br></p><p>乙</p>"), "<p>甲</p><p>乙</p>");
    assert.equal(prepareBody(""), "");
  });

  const FILE =
    "/agencies/demo-1/records/0b0c7f52-4a57-4c43-9a55-1f0c8d0d9f11/files/7d5e8f0e-2f6b-4b55-8a58-0e0c0a4b6c21";
  for (const [src, kept] of [
    [FILE, true],
    ["data:image/png;base64,iVBORw0KGgo=", false],
    ["file:///C:/Users/a/AppData/Local/Temp/msohtmlclip1/image001.png", false],
    ["https://example.gov.cn/a.png", false],
    ["http://127.0.0.1/agencies/demo-1/records/x/files/y", false],
    [`//evil.example${FILE}`, false],
    ["/static/favicon.svg", false],
    ["/agencies/a/files/1.png", false],
    [`${FILE}?x=1`, false],
    [`${FILE}/../../../admin`, false],
    ["javascript:alert(1)", false],
  ] as const)
    it(`an image from ${src.slice(0, 40)}… is ${kept ? "kept" : "dropped"}`, () => {
      const out = sanitizeBody(`<p>图：<img src="${src}" alt="图"></p>`);
      assert.equal(out, kept ? `<p>图：<img src="${src}" alt="图" /></p>` : "<p>图：</p>");
    });
});
