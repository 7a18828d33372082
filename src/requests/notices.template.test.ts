// Template fixes (issue #16): punctuation after substitutions, real paragraphs, no repeated 经审查, the agency's
// own review body and court, contact details required.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { OUTCOME_CODES } from "../reports/annual-report.format.ts";
import {
  DEFAULT_TEMPLATES,
  missingNoticeContact,
  renderTemplate,
  replyTemplateKind,
  TEMPLATE_KIND_CODES,
} from "./notices.rules.ts";
import { remedyClause, standardReplyText } from "./outcome.rules.ts";

describe("notice templates render clean text", () => {
  it("drops a value's own full stop before the template's punctuation (no 「。，」)", () => {
    const r = renderTemplate(DEFAULT_TEMPLATES.extension, {
      申请人: "张三",
      延期理由: "申请内容涉及多个年度的档案，需调取核对，无法在20个工作日内答复。",
      延长天数: "20",
      延期后期限: "2025年12月1日",
    });
    const text = r.paragraphs.join("\n");
    assert.doesNotMatch(text, /[。；，][，。；]/);
    assert.match(text, /无法在20个工作日内答复，本机关不能在规定期限内作出答复/);
  });

  it("makes each line of a whole-paragraph value its own paragraph (no manual breaks)", () => {
    const r = renderTemplate(DEFAULT_TEMPLATES.correction, {
      申请人: "张三",
      补正事项: "1. 请写明所需信息的名称；\n2. 请提供身份证明。",
      补正期限: "2025年10月20日",
    });
    assert.ok(r.paragraphs.includes("1. 请写明所需信息的名称；"));
    assert.ok(r.paragraphs.includes("2. 请提供身份证明。"));
    for (const p of r.paragraphs) assert.doesNotMatch(p, /\n/);
    const inline = renderTemplate("理由：{{理由}}。", { 理由: "第一行。\n第二行。" });
    assert.deepEqual(inline.paragraphs, ["理由：第一行；第二行。"]);
  });

  it("no reply notice says 经审查 twice", () => {
    for (const outcome of OUTCOME_CODES) {
      const kind = replyTemplateKind(outcome);
      const r = renderTemplate(DEFAULT_TEMPLATES[kind], {
        申请人: "张三",
        答复内容: standardReplyText("", outcome),
        法律依据: "条例第三十六条",
        救济途径: remedyClause("某市人民政府", "某区人民法院"),
      });
      const text = r.paragraphs.join("");
      assert.ok((text.match(/经审查/g) ?? []).length <= 1, `${outcome}: ${text}`);
      assert.ok((text.match(/经检索/g) ?? []).length <= 1, outcome);
    }
  });

  it("every template prints the office, address and phone", () => {
    for (const kind of TEMPLATE_KIND_CODES) {
      assert.match(DEFAULT_TEMPLATES[kind], /\{\{工作机构\}\}/, kind);
      assert.match(DEFAULT_TEMPLATES[kind], /\{\{联系地址\}\}/, kind);
      assert.match(DEFAULT_TEMPLATES[kind], /\{\{联系电话\}\}/, kind);
    }
  });

  it("names the agency's own review body and court, and lists what is missing", () => {
    const clause = remedyClause("某市人民政府", "某区人民法院");
    assert.match(clause, /向某市人民政府申请行政复议/);
    assert.match(clause, /向某区人民法院提起行政诉讼/);
    assert.doesNotMatch(clause, /有管辖权的/);
    assert.deepEqual(
      missingNoticeContact({
        officeName: "办公室",
        officeAddress: "",
        officePhone: "0471-1234567",
        reviewBody: " ",
        court: "某区人民法院",
      }),
      ["officeAddress", "reviewBody"],
    );
  });
});
