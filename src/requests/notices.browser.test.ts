/**
 * Every notice type rendered to PDF the way an agency prints it: the HTML notice page with /static/notice.css in
 * real Chromium (Debian's /usr/bin/chromium), `page.pdf()` on A4, the text read back with unpdf. Asserts the text
 * (title, the guide's real contact details, the agency's own 行政复议机关 and court in replies, no placeholder, no
 * 「。，」, no repeated 经审查) and the page structure (the 落款 and the date never stand alone on a page).
 *
 * Run: npm run test:browser
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { type Browser, chromium } from "playwright-core";
import { extractText } from "unpdf";
import { TEST_GUIDE_CONTACT } from "../../test/factories.ts";
import {
  baseNoticeValues,
  DEFAULT_TEMPLATES,
  type NoticeDocument,
  renderTemplate,
  TEMPLATE_KIND_CODES,
  TEMPLATE_KINDS,
  type TemplateKind,
} from "./notices.rules.ts";
import { noticePrintPage } from "./notices.views.ts";
import { DEFAULT_REPLY_TEXT } from "./outcome.rules.ts";

const CHROMIUM = "/usr/bin/chromium";
const CSS = fs.readFileSync(path.join(import.meta.dirname, "..", "http", "assets", "notice.css"), "utf8");
const AGENCY = "测试市人力资源和社会保障局";
const CONTACT = {
  officeName: TEST_GUIDE_CONTACT.officeName,
  officeAddress: TEST_GUIDE_CONTACT.officeAddress,
  officePhone: TEST_GUIDE_CONTACT.phone,
  reviewBody: TEST_GUIDE_CONTACT.reviewBody,
  court: TEST_GUIDE_CONTACT.court,
};

const REPLY_TEXT: Partial<Record<TemplateKind, string>> = {
  reply_granted: DEFAULT_REPLY_TEXT.granted,
  reply_partial: DEFAULT_REPLY_TEXT.partially_granted,
  reply_withheld: DEFAULT_REPLY_TEXT.withheld_process_information,
  reply_unavailable: DEFAULT_REPLY_TEXT.unavailable_not_held,
  reply_not_processed: DEFAULT_REPLY_TEXT.not_processed_repeated,
  reply_other: DEFAULT_REPLY_TEXT.other_not_corrected,
};

function noticeFor(kind: TemplateKind, longItems: boolean): NoticeDocument {
  const values = {
    ...baseNoticeValues({
      agencyName: AGENCY,
      contact: CONTACT,
      feePaymentMethod: "通过非税收入缴款系统缴纳。",
      dateText: "2025年10月20日",
    }),
    申请人: "张三",
    申请编号: "2025-0012",
    查询码: "ABCD-EFGH",
    提交日期: "2025年9月26日",
    收到日期: "2025年9月26日",
    信息名称: "2024年度就业补助资金分配情况",
    答复期限: "2025年10月30日",
    补正事项: longItems
      ? Array.from(
          { length: 14 },
          (_, i) => `${i + 1}. 请写明所需政府信息的名称、文号或者便于查询的其他特征性描述（第${i + 1}项）。`,
        ).join("\n")
      : "1. 请写明所需信息的名称；\n2. 请提供身份证明。",
    补正期限: "2025年10月31日",
    第三方: "某某科技有限公司",
    征求事项: "中标单位的报价明细",
    意见期限: "2025年10月31日",
    延长天数: "20",
    延期理由: "申请内容涉及多个年度的档案，需调取核对，无法在20个工作日内答复。",
    延期后期限: "2025年11月27日",
    收费方式: "按件计收",
    收费说明: "本月第11件，按100元/件计收。",
    收费金额: "100",
    缴费期限: "2025年11月17日",
    答复内容: REPLY_TEXT[kind] ?? "",
    理由: "",
    法律依据: "《中华人民共和国政府信息公开条例》第三十六条",
    获取方式: "电子邮件发送",
  };
  const rendered = renderTemplate(DEFAULT_TEMPLATES[kind], values);
  return {
    title: TEMPLATE_KINDS[kind].title,
    docNumber: "测人社依申〔2025〕3号",
    recipient: rendered.recipient,
    paragraphs: rendered.paragraphs,
    signature: AGENCY,
    dateText: "2025年10月20日",
  };
}

/** CJK Radicals Supplement code points a font's ToUnicode map may give for shared glyphs (no NFKC mapping). */
const RADICALS: Record<string, string> = {
  "⻅": "见",
  "⺠": "民",
  "⻓": "长",
  "⻔": "门",
  "⻢": "马",
  "⻚": "页",
  "⻋": "车",
  "⻄": "西",
  "⻘": "青",
  "⻝": "食",
  "⻛": "风",
};

/**
 * Text without the spaces and line breaks a PDF puts between glyph runs; NFKC folds the Kangxi-radical code points
 * some CJK fonts map glyphs back to (⼈ U+2F08 → 人), the table above the rest.
 */
function squash(s: string): string {
  return s
    .normalize("NFKC")
    .replace(/[\u2E80-\u2EFF]/gu, (c) => RADICALS[c] ?? c)
    .replace(/\s+/g, "");
}

describe("every notice type renders to PDF with the agency's real contact details", () => {
  let browser: Browser;
  before(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  });
  after(async () => {
    await browser?.close();
  });

  async function pdfPages(doc: NoticeDocument): Promise<string[]> {
    const page = await browser.newPage();
    await page.route("**/static/notice.css", (route) =>
      route.fulfill({ status: 200, contentType: "text/css", body: CSS }),
    );
    await page.route("http://notice.test/", (route) =>
      route.fulfill({
        status: 200,
        contentType: "text/html; charset=utf-8",
        body: String(noticePrintPage(doc, { back: "/", docx: "/x.docx" })),
      }),
    );
    await page.goto("http://notice.test/");
    await page.emulateMedia({ media: "print" });
    const pdf = await page.pdf({ format: "A4", preferCSSPageSize: true });
    await page.close();
    const { text } = await extractText(new Uint8Array(pdf), { mergePages: false });
    return text.map(squash);
  }

  for (const kind of TEMPLATE_KIND_CODES) {
    it(`${kind}: ${TEMPLATE_KINDS[kind].title}`, async () => {
      const doc = noticeFor(kind, false);
      const pages = await pdfPages(doc);
      const all = pages.join("");
      for (const expected of [
        doc.title,
        doc.docNumber,
        CONTACT.officeName,
        CONTACT.officeAddress,
        CONTACT.officePhone,
        AGENCY,
        "2025年10月20日",
      ]) {
        assert.ok(all.includes(squash(expected)), `${kind}: ${expected} missing in ${all}`);
      }
      if (kind.startsWith("reply_")) {
        assert.ok(all.includes(`向${CONTACT.reviewBody}申请行政复议`), `${kind}: review body`);
        assert.ok(all.includes(`向${CONTACT.court}提起行政诉讼`), `${kind}: court`);
        assert.ok((all.match(/经审查/g) ?? []).length <= 1, `${kind}: 经审查 repeated`);
      }
      assert.doesNotMatch(all, /\{\{|\}\}|见本机关政府信息公开指南|有管辖权的/);
      assert.doesNotMatch(all, /[。；，.;,][，。；,.;]/, `${kind}: doubled punctuation`);
      const last = pages[pages.length - 1] as string;
      assert.ok(
        last.includes(squash(AGENCY)) && last.includes("2025年10月20日"),
        "signature and date together",
      );
    });
  }

  it("a long 补正告知书 runs over pages and keeps body text with the signature and date", async () => {
    const doc = noticeFor("correction", true);
    const pages = await pdfPages(doc);
    assert.ok(pages.length >= 2, `expected several pages, got ${pages.length}`);
    const last = pages[pages.length - 1] as string;
    assert.ok(last.includes("2025年10月20日"));
    assert.ok(last.includes(squash(AGENCY)));
    assert.ok(last.includes("联系电话"), "the last paragraph stays with the 落款 and date");
    // Each 补正 item is its own paragraph (no manual line breaks inside one justified paragraph).
    for (let i = 1; i <= 14; i++) assert.ok(pages.join("").includes(squash(`（第${i}项）。`)), `item ${i}`);
  });
});
