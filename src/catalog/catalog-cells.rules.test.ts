import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { STANDARD_CHANNELS } from "./catalog.model.ts";
import {
  formatChannelTickList,
  formatElements,
  formatNumberedName,
  formatResponsible,
  isTicked,
  normalizeChannel,
  parseChannelCell,
  parseElements,
  parseResponsible,
  splitLegalBasis,
  splitNumberPrefix,
} from "./catalog-cells.rules.ts";

describe("channels (公开渠道和载体)", () => {
  const cases: [string, string, { channels: string[]; other: string[] }][] = [
    [
      "■/□ tick list: only ticked count",
      "■政府网站 □政府公报 ■两微一端",
      { channels: ["政府网站", "两微一端"], other: [] },
    ],
    [
      "☑/☐ with line breaks",
      "☑政府网站\n☐纸质媒体\n☑社区/企事业单位/村公示栏（电子屏）",
      { channels: ["政府网站", "社区/企事业单位/村公示栏（电子屏）"], other: [] },
    ],
    ["all unticked", "□政府网站 □政府公报", { channels: [], other: [] }],
    ["[x] and [ ]", "[x] 政府网站 [ ] 政府公报", { channels: ["政府网站"], other: [] }],
    ["√ marks", "√政府网站 √政务服务中心", { channels: ["政府网站", "政务服务中心"], other: [] }],
    [
      "aliases: 报刊 → 纸质媒体, 政府网站公开 → 政府网站",
      "政府网站公开、报刊",
      { channels: ["政府网站", "纸质媒体"], other: [] },
    ],
    ["a specific site stays free text", "■ 旗政府门户网站", { channels: [], other: ["旗政府门户网站"] }],
    [
      "其他（X） gives 其他 and X",
      "■其他(宁夏十公示信息报送系统)",
      { channels: ["其他"], other: ["宁夏十公示信息报送系统"] },
    ],
    ["精准推送（注明） is the standard label", "■精准推送（注明）", { channels: ["精准推送"], other: [] }],
    [
      "社区（村）/企事业单位公示栏 variant",
      "■社区（村）/企事业单位公示栏",
      { channels: ["社区/企事业单位/村公示栏（电子屏）"], other: [] },
    ],
    ["explicit empty", "—", { channels: [], other: [] }],
  ];
  for (const [name, cell, want] of cases)
    it(name, () => {
      const got = parseChannelCell(cell);
      assert.deepEqual({ channels: got.channels, other: got.other }, want);
    });

  it("the tick list writes all 13 standard channels and reads back", () => {
    const text = formatChannelTickList(["政府网站", "其他"], ["投资项目在线审批监管平台"]);
    assert.equal(text.split("\n").length, STANDARD_CHANNELS.length + 1);
    const back = parseChannelCell(text);
    assert.deepEqual(back.channels, ["政府网站", "其他"]);
    assert.deepEqual(back.other, ["投资项目在线审批监管平台"]);
    assert.deepEqual(back.unknown, ["投资项目在线审批监管平台"]);
  });

  it("normalizes every standard label to itself", () => {
    for (const c of STANDARD_CHANNELS) assert.deepEqual(normalizeChannel(c), { channel: c });
  });
});

describe("content elements (公开内容（要素）) and their deadlines", () => {
  it("labelled parts get the deadline with the same label", () => {
    const els = parseElements(
      "1. 办事指南：受理条件 2. 办理结果：许可证信息",
      "1. 办事指南：实时公开 2. 办理结果：办理结果出来后20个工作日内公开",
    );
    assert.deepEqual(
      els.map((e) => [e.number, e.label, e.content, e.deadlineText]),
      [
        ["1", "办事指南", "受理条件", "实时公开"],
        ["2", "办理结果", "许可证信息", "办理结果出来后20个工作日内公开"],
      ],
    );
  });
  it("labels that differ are paired by number (seed 000 row 33)", () => {
    const els = parseElements(
      "1. 办事指南：指南 2. 办理结果：工作动态",
      "1. 办事指南: 实时公开; 2. 工作动态: 20个工作日内",
    );
    assert.deepEqual(
      els.map((e) => e.deadlineText),
      ["实时公开", "20个工作日内"],
    );
  });
  it("a single deadline applies to every part", () => {
    const els = parseElements("1、本单位主要职责； 2、内设科室", "信息形成（更改）之日起20个工作日内。");
    assert.deepEqual(
      els.map((e) => [e.content, e.deadlineText]),
      [
        ["本单位主要职责", "信息形成（更改）之日起20个工作日内。"],
        ["内设科室", "信息形成（更改）之日起20个工作日内。"],
      ],
    );
  });
  it("unnumbered lines are parts, paired by position", () => {
    const els = parseElements("征求意见稿全文\n采纳反馈情况", "实时公开\n公告期满后一个月内");
    assert.deepEqual(
      els.map((e) => e.deadlineText),
      ["实时公开", "公告期满后一个月内"],
    );
  });
  it("numbers inside text (20个工作日, 1.5倍) are not list markers", () => {
    const els = parseElements("本单位1—X月财政收支情况，按1.5倍计算", null);
    assert.equal(els.length, 1);
  });
  it("format → parse gives the elements back", () => {
    const els = [
      { number: "1", label: "办事指南", content: "事项名称、受理条件" },
      { number: "2", label: "", content: "工作动态" },
      { number: null, label: "办理结果", content: "名单" },
    ];
    assert.deepEqual(
      parseElements(formatElements(els), null).map((e) => ({
        number: e.number,
        label: e.label,
        content: e.content,
      })),
      els,
    );
  });
});

describe("legal basis, responsible units, ticks, numbers", () => {
  it("splits citations at ；", () => {
    assert.deepEqual(splitLegalBasis("《条例》（国务院令 第711号）；《宁夏办法》（自治区政府令 21号）。"), [
      "《条例》（国务院令 第711号）",
      "《宁夏办法》（自治区政府令 21号）",
    ]);
  });
  const units: [string, string, { name: string; role: string }[]][] = [
    [
      "lead and cooperating",
      "局办公室牵头、所有科室、单位配合",
      [
        { name: "局办公室", role: "lead" },
        { name: "所有科室、单位", role: "cooperating" },
      ],
    ],
    [
      "several leads",
      "局办公室、人事科",
      [
        { name: "局办公室", role: "lead" },
        { name: "人事科", role: "lead" },
      ],
    ],
    ["a group stays whole", "就业促进科等科室、单位", [{ name: "就业促进科等科室、单位", role: "lead" }]],
    [
      "及 separates units",
      "局财务规划办公室及局属各单位",
      [
        { name: "局财务规划办公室", role: "lead" },
        { name: "局属各单位", role: "lead" },
      ],
    ],
    ["explicit empty", "—", []],
  ];
  for (const [name, cell, want] of units)
    it(`responsible: ${name}`, () => assert.deepEqual(parseResponsible(cell), want));
  it("responsible units write back", () => {
    const u = parseResponsible("政策法规科牵头、所有科室、单位配合");
    assert.deepEqual(parseResponsible(formatResponsible(u)), u);
  });
  it("ticks", () => {
    for (const t of ["√", "✓", "■", "☑", "是", "Y"]) assert.equal(isTicked(t), true, t);
    for (const t of ["", "□", "×", "否", "—"]) assert.equal(isTicked(t), false, t);
  });
  const numbers: [string, string | null, string][] = [
    ["一、概况信息", "一", "概况信息"],
    ["12. 通知公告", "12", "通知公告"],
    ["（三）行政许可", "三", "行政许可"],
    ["1.2 机构信息", "1.2", "机构信息"],
    ["2023年工作要点", null, "2023年工作要点"],
    ["11. —", "11", ""],
  ];
  for (const [cell, number, name] of numbers)
    it(`number prefix: ${cell}`, () => {
      assert.deepEqual(splitNumberPrefix(cell), { number, name });
      if (number) assert.deepEqual(splitNumberPrefix(formatNumberedName(number, name)), { number, name });
    });
});
