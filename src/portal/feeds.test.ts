import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { atomXml, escapeXml, type Feed, rssXml, sitemapXml, tagUri } from "./feeds.ts";

const feed: Feed = {
  title: "某局 <最新> & 公开",
  description: "描述",
  pageUrl: "https://gk.example.cn/agencies/a",
  selfUrl: "https://gk.example.cn/agencies/a/feed.xml",
  id: "tag:gk.example.cn,2026:agency:a",
  updated: new Date("2026-03-02T02:00:00Z"),
  entries: [
    {
      id: "tag:gk.example.cn,2026:record:1",
      title: "关于“社保”的通知 <b>",
      url: "https://gk.example.cn/agencies/a/records/1?x=1&y=2",
      summary: "摘要\u0000\u0008含控制字符",
      published: new Date("2026-03-02T02:00:00Z"),
      updated: new Date("2026-03-03T02:00:00Z"),
      author: "某局",
      categories: ["综合政务"],
    },
  ],
};

describe("feeds", () => {
  const cases: [string, string][] = [
    ["a&b", "a&amp;b"],
    ["<x>", "&lt;x&gt;"],
    [`"'`, "&quot;&apos;"],
    ["a\u0000b\u0001c\u000bd", "abcd"],
    ["\ufffe\uffff", ""],
    ["tab\tnewline\n", "tab\tnewline\n"],
    ["😀", "😀"],
  ];
  for (const [input, expected] of cases)
    it(`escapeXml(${JSON.stringify(input)})`, () => assert.equal(escapeXml(input), expected));

  it("RSS 2.0 escapes titles and links and drops forbidden characters", () => {
    const xml = rssXml(feed);
    assert.match(xml, /<title>某局 &lt;最新&gt; &amp; 公开<\/title>/);
    assert.match(xml, /<link>https:\/\/gk.example.cn\/agencies\/a\/records\/1\?x=1&amp;y=2<\/link>/);
    assert.match(xml, /<pubDate>Mon, 02 Mar 2026 02:00:00 GMT<\/pubDate>/);
    assert.match(xml, /<description>摘要含控制字符<\/description>/);
    // The agency is a name, not the e-mail address RSS's <author> must hold.
    assert.match(xml, /<dc:creator>某局<\/dc:creator>/);
    assert.match(xml, /xmlns:dc="http:\/\/purl.org\/dc\/elements\/1.1\/"/);
    assert.doesNotMatch(xml, /<author>/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting that control characters are gone
    assert.doesNotMatch(xml, /[\u0000-\u0008]/);
  });

  it("Atom 1.0 has ids, links and ISO dates", () => {
    const xml = atomXml(feed);
    assert.match(xml, /<id>tag:gk.example.cn,2026:record:1<\/id>/);
    assert.match(xml, /<updated>2026-03-03T02:00:00.000Z<\/updated>/);
    assert.match(
      xml,
      /<link rel="self" type="application\/atom\+xml" href="https:\/\/gk.example.cn\/agencies\/a\/feed.xml"\/>/,
    );
  });

  it("sitemap lists URLs with optional lastmod", () => {
    const xml = sitemapXml([
      { loc: "https://x.cn/a?b=1&c=2" },
      { loc: "https://x.cn/r", lastmod: "2026-03-02" },
    ]);
    assert.match(xml, /<url><loc>https:\/\/x.cn\/a\?b=1&amp;c=2<\/loc><\/url>/);
    assert.match(xml, /<lastmod>2026-03-02<\/lastmod>/);
  });

  it("tag URIs use the public host", () => {
    assert.equal(tagUri("https://gk.example.cn", "x"), "tag:gk.example.cn,2026:x");
    assert.equal(tagUri("not a url", "x"), "tag:gongkai.invalid,2026:x");
  });
});
