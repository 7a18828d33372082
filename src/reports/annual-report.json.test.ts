import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sampleReport } from "./annual-report.fixtures.ts";
import { annualReportFromJson, annualReportJsonString, annualReportToJson } from "./annual-report.json.ts";
import { checkAnnualReport } from "./annual-report.rules.ts";

type Json = Record<string, unknown>;

function obj(value: unknown, key: string): Json {
  assert.equal(typeof value, "object", key);
  const inner = (value as Json)[key];
  assert.ok(inner !== null && typeof inner === "object", `“${key}” is an object`);
  return inner as Json;
}

const data = sampleReport();
const json = annualReportToJson(data);

describe("annual report JSON: keys are the official labels", () => {
  it("has the identity and the six sections in order", () => {
    assert.deepEqual(Object.keys(json), [
      "格式",
      "标题",
      "机关名称",
      "年度",
      "一、总体情况",
      "二、主动公开政府信息情况",
      "三、收到和处理政府信息公开申请情况",
      "四、政府信息公开行政复议、行政诉讼情况",
      "五、存在的主要问题及改进情况",
      "六、其他需要报告的事项",
    ]);
    assert.equal(json.格式, "国办公开办函〔2021〕30号");
    assert.equal(json.年度, 2023);
  });
  it("table 二: sub-table heading → row label → column label", () => {
    const t2 = obj(json, "二、主动公开政府信息情况");
    assert.deepEqual(Object.keys(t2), [
      "第二十条第（一）项",
      "第二十条第（五）项",
      "第二十条第（六）项",
      "第二十条第（八）项",
    ]);
    assert.deepEqual(obj(t2, "第二十条第（一）项"), {
      规章: { 本年制发件数: 1, 本年废止件数: 2, 现行有效件数: 3 },
      行政规范性文件: { 本年制发件数: 4, 本年废止件数: 5, 现行有效件数: 16 },
    });
    assert.deepEqual(obj(t2, "第二十条第（八）项"), {
      行政事业性收费: { "本年收费金额（单位：万元）": 12.3456 },
    });
  });
  it("table 三: rows nested as 三 → group → sub-row; columns nested under 法人或其他组织", () => {
    const t3 = obj(json, "三、收到和处理政府信息公开申请情况");
    assert.deepEqual(Object.keys(t3), [
      "一、本年新收政府信息公开申请数量",
      "二、上年结转政府信息公开申请数量",
      "三、本年度办理结果",
      "四、结转下年度继续办理",
    ]);
    const results = obj(t3, "三、本年度办理结果");
    assert.deepEqual(Object.keys(results), [
      "（一）予以公开",
      "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
      "（三）不予公开",
      "（四）无法提供",
      "（五）不予处理",
      "（六）其他处理",
      "（七）总计",
    ]);
    const withheld = obj(results, "（三）不予公开");
    assert.equal(Object.keys(withheld).length, 8);
    assert.deepEqual(obj(withheld, "1.属于国家秘密"), {
      自然人: 301,
      法人或其他组织: { 商业企业: 302, 科研机构: 303, 社会公益组织: 304, 法律服务机构: 305, 其他: 306 },
      总计: 1821,
    });
    assert.deepEqual(Object.keys(obj(results, "（六）其他处理")), [
      "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
      "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
      "3.其他",
    ]);
  });
  it("table 四: 行政复议 and 行政诉讼 → 未经复议直接起诉 / 复议后起诉", () => {
    const t4 = obj(json, "四、政府信息公开行政复议、行政诉讼情况");
    assert.deepEqual(t4, {
      行政复议: { 结果维持: 1, 结果纠正: 2, 其他结果: 3, 尚未审结: 4, 总计: 10 },
      行政诉讼: {
        未经复议直接起诉: { 结果维持: 5, 结果纠正: 6, 其他结果: 7, 尚未审结: 8, 总计: 26 },
        复议后起诉: { 结果维持: 9, 结果纠正: 10, 其他结果: 11, 尚未审结: 12, 总计: 42 },
      },
    });
  });
  it("section 六: the narrative and the 信息处理费 figures", () => {
    assert.deepEqual(obj(json, "六、其他需要报告的事项"), {
      正文: "本年度无其他需要报告的事项。",
      信息处理费: {
        发出收费通知的件数: 2,
        "收费通知金额（单位：元）": 3000,
        "实际收取金额（单位：元）": 1000,
      },
    });
  });
  it("drops floating-point noise from amounts", () => {
    const d = sampleReport();
    d.proactive.item8.administrative_fees.amount = 0.1 + 0.2;
    assert.match(annualReportJsonString(d), /"本年收费金额（单位：万元）": 0\.3\n/);
  });
});

describe("annual report JSON: import", () => {
  it("round-trips through the serialised text", () => {
    const back = annualReportFromJson(JSON.parse(annualReportJsonString(data)));
    assert.deepEqual(back, data);
    assert.deepEqual(checkAnnualReport(back), []);
  });
  it("names the missing or non-numeric cell by its label path", () => {
    const broken = JSON.parse(annualReportJsonString(data));
    broken["三、收到和处理政府信息公开申请情况"]["三、本年度办理结果"]["（四）无法提供"][
      "2.没有现成信息需要另行制作"
    ].法人或其他组织.科研机构 = "12";
    assert.throws(
      () => annualReportFromJson(broken),
      /三、收到和处理政府信息公开申请情况 \/ 三、本年度办理结果 \/ （四）无法提供 \/ 2\.没有现成信息需要另行制作 \/ 法人或其他组织 \/ 科研机构”缺失或不是数字/,
    );
    const missing = JSON.parse(annualReportJsonString(data));
    delete missing["四、政府信息公开行政复议、行政诉讼情况"].行政复议.总计;
    assert.throws(() => annualReportFromJson(missing), /行政复议 \/ 总计”缺失/);
  });
  it("rejects a non-object and a missing year", () => {
    assert.throws(() => annualReportFromJson([]), /应为对象/);
    const noYear = annualReportToJson(data);
    delete noYear.年度;
    assert.throws(() => annualReportFromJson(noYear), /“年度”应为整数/);
  });
});
