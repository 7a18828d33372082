import assert from "node:assert/strict";
import { describe, it } from "node:test";
import mammoth from "mammoth";
import { OUTCOME_CODES } from "../legal/annual-report-codes.ts";
import { renderNoticeDocx } from "./notices.docx.ts";
import {
  DEFAULT_TEMPLATES,
  formatDocNumber,
  renderTemplate,
  replyTemplateKind,
  TEMPLATE_KIND_CODES,
  unknownPlaceholders,
} from "./notices.rules.ts";

describe("notice templates", () => {
  it("every default template uses only known placeholders and names its addressee", () => {
    for (const kind of TEMPLATE_KIND_CODES) {
      assert.deepEqual(unknownPlaceholders(DEFAULT_TEMPLATES[kind]), [], kind);
      assert.match(DEFAULT_TEMPLATES[kind], /^\{\{(申请人|第三方)\}\}：/, kind);
    }
  });

  it("every reply template carries the remedy clause placeholder", () => {
    for (const outcome of OUTCOME_CODES)
      assert.match(DEFAULT_TEMPLATES[replyTemplateKind(outcome)], /\{\{救济途径\}\}/, outcome);
  });

  it("fills placeholders, keeps the addressee apart and drops empty paragraphs", () => {
    const r = renderTemplate("{{申请人}}：\n\n第一段{{信息名称}}。\n\n{{理由}}\n\n依据：{{法律依据}}。", {
      申请人: "张三",
      信息名称: "某文件",
      理由: "",
      法律依据: "条例第三十三条",
    });
    assert.equal(r.recipient, "张三：");
    assert.deepEqual(r.paragraphs, ["第一段某文件。", "依据：条例第三十三条。"]);
  });

  it("flags typos in placeholders", () => {
    assert.deepEqual(unknownPlaceholders("{{申请人}} {{申请日期}} {{ 申请编号 }}"), ["申请日期"]);
  });

  it("document numbers use 六角括号 (GB/T 9704-2012)", () => {
    assert.equal(formatDocNumber("旗人社依申", 2025, 12), "旗人社依申〔2025〕12号");
  });
});

describe("notice .docx", () => {
  it("contains the title, number, addressee, body, signature and date", async () => {
    const buffer = await renderNoticeDocx({
      title: "政府信息公开申请答复告知书",
      docNumber: "测人社依申〔2025〕3号",
      recipient: "张三：",
      paragraphs: ["本机关于2025年9月26日收到您的申请。", "1. 第一项；\n2. 第二项。"],
      signature: "测试市人力资源和社会保障局",
      dateText: "2025年10月20日",
    });
    const { value } = await mammoth.extractRawText({ buffer });
    for (const text of [
      "政府信息公开申请答复告知书",
      "测人社依申〔2025〕3号",
      "张三：",
      "本机关于2025年9月26日收到您的申请。",
      "2. 第二项。",
      "测试市人力资源和社会保障局",
      "2025年10月20日",
    ]) {
      assert.ok(value.includes(text), `${text} in ${value}`);
    }
  });
});
