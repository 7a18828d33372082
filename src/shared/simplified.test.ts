import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { toSimplified, toSimplifiedCharacters } from "./simplified.ts";

describe("toSimplified: the field vocabulary citizens type in traditional characters", () => {
  const cases: [string, string][] = [
    ["社會保險", "社会保险"],
    ["醫療保險", "医疗保险"],
    ["社會保障", "社会保障"],
    ["養老", "养老"],
    ["養老保險", "养老保险"],
    ["醫保", "医保"],
    ["勞動", "劳动"],
    ["勞動合同", "劳动合同"],
    ["職業", "职业"],
    ["職業資格", "职业资格"],
    ["資訊公開", "资讯公开"],
    ["政府資訊公開條例", "政府资讯公开条例"],
    ["條例", "条例"],
    ["住房公積金", "住房公积金"],
    ["義務教育", "义务教育"],
    ["衛生健康", "卫生健康"],
    ["就業補貼", "就业补贴"],
    ["戶口遷移", "户口迁移"],
    ["鄉鎮", "乡镇"],
    ["徵求意見", "征求意见"],
    ["行政復議", "行政复议"],
    ["答覆", "答复"],
    ["發佈", "发布"],
    ["關於", "关于"],
    ["幹部", "干部"],
    ["乾燥", "干燥"],
    ["後續", "后续"],
    ["群眾", "群众"],
    ["諮詢", "咨询"],
    // A 文号 typed in traditional characters: the numbers and brackets stay.
    ["人社發〔2024〕5號", "人社发〔2024〕5号"],
    // Words whose characters are the same in both scripts (OpenCC's phrase table keeps them).
    ["著作權", "著作权"],
    ["乾隆", "乾隆"],
    ["皇后", "皇后"],
  ];
  for (const [traditional, simplified] of cases)
    it(`${traditional} → ${simplified}`, () => assert.equal(toSimplified(traditional), simplified));
});

describe("toSimplified leaves simplified and other text alone", () => {
  const same = [
    "社会保险",
    "医疗保险",
    "社保",
    "养老",
    "劳动",
    "职业",
    "信息公开",
    "政府信息公开条例",
    "显著",
    "著名",
    "影片",
    "执行",
    "干部",
    "台湾",
    "于",
    "余额",
    "里程",
    "后台",
    "复议",
    "人社发〔2024〕5号",
    "000014349/2024-00012",
    "2024年",
    "ABC abc",
    "ＡＢＣ１２３",
    "😀好",
    "",
  ];
  for (const text of same) it(`${JSON.stringify(text)}`, () => assert.equal(toSimplified(text), text));
});

describe("toSimplifiedCharacters", () => {
  it("reads the words of a catalog served in 繁体 (中山市東鳳鎮 財政預決算 catalog) as simplified", () => {
    assert.equal(toSimplifiedCharacters("公開時限"), "公开时限");
    assert.equal(toSimplifiedCharacters("公開內容(要素)"), "公开内容(要素)");
    assert.equal(toSimplifiedCharacters("序號"), "序号");
    assert.equal(toSimplifiedCharacters("公開渠道和載體"), "公开渠道和载体");
    assert.equal(toSimplifiedCharacters("特定群眾"), "特定群众");
    assert.equal(toSimplifiedCharacters("政府網站"), "政府网站");
    assert.equal(
      toSimplifiedCharacters("信息形成或者變更之日起20個工作日內"),
      "信息形成或者变更之日起20个工作日内",
    );
  });
  it("leaves simplified text, digits and punctuation alone", () => {
    const s = "信息形成或者变更之日起20个工作日内（法律法规另有规定的，从其规定）■政府网站";
    assert.equal(toSimplifiedCharacters(s), s);
  });
  it("keeps every character in place: a character whose conversion is not one character stays", () => {
    const s = "乾隆年間公開的信息：著作權";
    const out = toSimplifiedCharacters(s);
    assert.equal(out.length, s.length);
    assert.equal(out, "干隆年间公开的信息：著作权");
  });
});
