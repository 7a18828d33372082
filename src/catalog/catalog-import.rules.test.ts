import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildImport, parseHeaderLines, type RawTable, roleOfHeading } from "./catalog-import.rules.ts";

describe("header recognition by meaning", () => {
  const cases: [string, string][] = [
    ["序号", "seq"],
    ["一级事项", "level1"],
    ["事项类别", "level1"],
    ["一级 事项", "level1"],
    ["二级事项", "level2"],
    ["事项名称", "level2"],
    ["三级事项", "level3"],
    ["公开内容（要素）", "content"],
    ["公开内容 (要素)", "content"],
    ["具体内容", "content"],
    ["公开依据", "legalBasis"],
    ["公开时限", "deadline"],
    ["公开时限及备注", "deadline"],
    ["公开 时限", "deadline"],
    ["公开主体", "subject"],
    ["公开渠道", "channels"],
    ["公开渠道和载体", "channels"],
    ["公开对象", "audience"],
    ["全社会", "audienceAll"],
    ["特定群众", "audienceSpecific"],
    ["主动公开", "modeActive"],
    ["依申请", "modeRequest"],
    ["县级", "adminCounty"],
    ["乡、村级", "adminTownship"],
    ["公开责任", "responsible"],
    ["责任科室", "responsible"],
    ["责任股室", "responsible"],
    ["责任单位", "responsible"],
    ["配合单位", "cooperating"],
    ["备注", "remarks"],
    ["更新频率", "extra"],
    ["附加列：二级事项", "extra"],
  ];
  for (const [heading, role] of cases)
    it(`${heading} → ${role}`, () => assert.equal(roleOfHeading(heading), role));
});

function table(rows: string[][]): RawTable[] {
  return [{ name: "表1", rows: rows.map((cells, i) => ({ row: i + 1, cells })) }];
}

describe("building the tree", () => {
  it("序号 numbering the 一级事项 (聊城): a new 序号 with a blank category is a new 一级事项", () => {
    const r = buildImport(
      table([
        ["序号", "事项类别", "事项名称", "内容", "公开时限及备注", "公开方式", "公开形式", "责任单位"],
        ["1", "机构职能", "机构概况", "职能", "根据变动及时更新", "全文发布", "政府网站公开", "局办公室"],
        ["", "", "领导成员", "姓名", "", "全文发布", "政府网站公开", ""],
        ["3", "", "政策解读", "解读", "3个工作日内", "全文发布", "政府网站公开", "所有科室"],
      ]),
      { fallbackTitle: "x" },
    );
    assert.ok(r.ok);
    const items = r.preview.doc.items;
    assert.deepEqual(
      items.map((i) => [i.number, i.name, i.children.length]),
      [
        ["1", "机构职能", 2],
        ["3", "政策解读", 0],
      ],
    );
    const leaders = items[0]?.children[1];
    assert.equal(leaders?.deadlineText, "根据变动及时更新"); // merged cell carried down
    assert.equal(leaders?.form, "全文发布");
    assert.deepEqual(leaders?.channels, ["政府网站"]);
  });

  it("a number column under the 二级事项 heading (中卫)", () => {
    const r = buildImport(
      table([
        ["序号", "公开事项", "", "", "公开内容", "公开时限"],
        ["", "一级事项", "二级事项", "二级事项", "", ""],
        ["一", "概况信息", "1", "机构信息", "职责", "20个工作日内"],
        ["", "", "2", "领导信息", "姓名", "20个工作日内"],
      ]),
      { fallbackTitle: "x" },
    );
    assert.ok(r.ok);
    assert.deepEqual(
      r.preview.doc.items.map((i) => [i.number, i.name, i.children.map((c) => `${c.number}:${c.name}`)]),
      [["一", "概况信息", ["1:机构信息", "2:领导信息"]]],
    );
  });

  it("a continuation row (all hierarchy cells blank) adds elements with their own deadline", () => {
    const r = buildImport(
      table([
        ["一级事项", "二级事项", "公开内容", "公开时限"],
        ["履职依据", "意见征集及反馈", "征求意见稿全文", "实时公开"],
        ["", "", "采纳反馈情况", "公告期满后一个月内"],
      ]),
      { fallbackTitle: "x" },
    );
    assert.ok(r.ok);
    const item = r.preview.doc.items[0]?.children[0];
    assert.equal(item?.deadlineText, "实时公开\n公告期满后一个月内");
    assert.deepEqual(
      item?.elements.map((e) => [e.content, e.deadlineText]),
      [
        ["征求意见稿全文", "实时公开"],
        ["采纳反馈情况", "公告期满后一个月内"],
      ],
    );
  });

  it("no header: a failure naming the table", () => {
    const r = buildImport(
      table([
        ["a", "b"],
        ["1", "2"],
      ]),
      { fallbackTitle: "x" },
    );
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.code, "catalog_import_no_header");
      assert.match(r.message, /表1/);
    }
  });
});

describe("header lines (填表人/复核人/审签人/填表时间, totals)", () => {
  it("reads seed 004's header", () => {
    const h = parseHeaderLines([
      "责任单位：中卫市人力资源和社会保障局 填表人：李永翔 复核人：刘文华 审签人：刘晓燕 填表时间：2022年12月18日",
      "政府信息：主动公开一级事项6项，二级事项42项；依申请公开二级事项0项",
    ]);
    assert.deepEqual(h, {
      unit: "中卫市人力资源和社会保障局",
      compiledBy: "李永翔",
      reviewedBy: "刘文华",
      signedBy: "刘晓燕",
      compiledAt: "2022年12月18日",
      statedTotals: { 一级事项: 6, 二级事项: 42, 依申请公开二级事项: 0 },
      notes: ["政府信息：主动公开一级事项6项，二级事项42项；依申请公开二级事项0项"],
    });
  });
});
