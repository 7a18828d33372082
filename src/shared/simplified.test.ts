import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { toSimplified } from "./simplified.ts";

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
