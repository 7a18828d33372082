/**
 * Annual reports as some portals serve them: in 繁体 (fixtures/huaqiao-2023-zh-hant.html, a real page, see
 * fixtures/README.md), with the tables missing from the page (published as images, or cut short), and with real
 * titles the import must still read the year and organ from.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { docxFromReportPage } from "./report-import.fixtures.ts";
import { readReportFile, readReportHtml } from "./report-import.readers.ts";
import { documentToReport, identityOf, narrativeSections } from "./report-import.rules.ts";

const HUAQIAO = fs.readFileSync(
  path.join(import.meta.dirname, "fixtures", "huaqiao-2023-zh-hant.html"),
  "utf8",
);

describe("a report page served in 繁体 (衡南县花桥镇 2023)", () => {
  test("the title, year and organ are read in simplified characters", () => {
    const r = documentToReport(readReportHtml(HUAQIAO));
    assert.equal(r.title, "衡南縣花橋鎮2023年政府信息公開年度報告");
    assert.equal(r.data.year, 2023);
    assert.equal(r.data.agencyName, "衡南县花桥镇");
  });

  test("「一、總體情況」 is section 一 and its paragraphs are the overview; the missing tables are named", () => {
    const r = documentToReport(readReportHtml(HUAQIAO));
    assert.deepEqual(r.found.sections, ["overview"]);
    assert.match(r.data.overview, /^\(一\)主動公開情況\n2023年,我鎮/);
    assert.match(r.data.overview, /2023年全鎮共收到0件政府信息公開申請/);
    assert.deepEqual(
      r.warnings.map((w) => w.code),
      ["table_missing", "table_missing", "table_missing"],
    );
  });
});

test("the same page as .docx (a Word file without tables) reads the same", async () => {
  const r = documentToReport(await readReportFile("huaqiao.docx", await docxFromReportPage(HUAQIAO)));
  assert.equal(r.data.year, 2023);
  assert.equal(r.data.agencyName, "衡南县花桥镇");
  assert.match(r.data.overview, /2023年全鎮共收到0件政府信息公開申請/);
});

test("a report page without tables keeps its sections (来安县杨郢乡 2023, tables not in the page's text)", () => {
  // Text from https://www.laian.gov.cn/zwgk/2023nzfxxgknb/xznb/278384872.html (first paragraphs).
  const html = `<html><body><div class="con"><h1>来安县杨郢乡人民政府2023年政府信息公开工作年度报告</h1>
<p>一、总体情况</p><p>(一)主动公开方面。</p>
<p>2023年,杨郢乡贯彻落实《中华人民共和国政府信息公开条例》,准确把握《中华人民共和国政府信息公开条例》基本原则,及时更新发布政务信息,依托来安县政府门户网政府信息公开专栏,主动面向社会公开信息173条;</p>
<p>(二)依申请公开方面。</p></div></body></html>`;
  const r = documentToReport(readReportHtml(html));
  assert.equal(r.data.agencyName, "来安县杨郢乡人民政府");
  assert.match(r.data.overview, /主动面向社会公开信息173条/);
  assert.match(r.data.overview, /\(二\)依申请公开方面/);
});

describe("real titles", () => {
  const cases: [string, string, number][] = [
    // http://changtu.gov.cn/…/2024013110470592735/index.html: the words after 公开 scrambled as published.
    ["昌图县七家子镇2023年政府信息公开 工作告年度报", "昌图县七家子镇", 2023],
    // https://m.99fog.com/xzxxgk/zjz/zfxxgknb/20240118/i3241543.html (繁体, title over two lines)
    ["衡山縣長江鎮2023年政府信息公開工作\n年度報告", "衡山县长江镇", 2023],
    // http://www-346689.com/basic/74275094.html (繁体, organ on its own line)
    ["濟南市章丘區文化和旅游局\n2023 年政府信息公開工作年度報告", "济南市章丘区文化和旅游局", 2023],
    ["衡阳市衡东县杨林镇2023年政府信息公开年度报告", "衡阳市衡东县杨林镇", 2023],
  ];
  for (const [title, agencyName, year] of cases)
    test(title.replace(/\n/g, "⏎"), () => assert.deepEqual(identityOf(title, []), { agencyName, year }));

  test("「一、總體情況」 opens section 一", () => {
    const s = narrativeSections([
      { kind: "paragraph", text: "一、總體情況" },
      { kind: "paragraph", text: "2023年,我鎮……" },
    ]);
    assert.equal(s.overview, "2023年,我鎮……");
  });
});
