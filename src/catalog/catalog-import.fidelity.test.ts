// Import fidelity (issue #15): catalogs as agencies really write them — 1.1/2.2.2/（一）/①-style numbers, six
// levels, footnote rows, several tables, 村（社区）级/嘎查级 columns, ☑其他 ticks, html titles; and the round trip
// import → export → import of a six-level catalog with 1.1-style numbering.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type CatalogDoc, type CatalogDocItem, walkItems } from "./catalog.model.ts";
import { splitNumberPrefix } from "./catalog-cells.rules.ts";
import { parseDeadline } from "./catalog-deadline.ts";
import { exportTable, toCsv, toXlsx } from "./catalog-export.ts";
import { readCatalogFile, readHtml } from "./catalog-import.readers.ts";
import { buildImport, type RawTable, roleOfHeading } from "./catalog-import.rules.ts";

function table(rows: string[][], name = "表1"): RawTable {
  return { name, rows: rows.map((cells, i) => ({ row: i + 1, cells })) };
}

function importOk(tables: RawTable[], outsideLines: string[] = []) {
  const r = buildImport(tables, {
    fallbackTitle: "目录",
    parseDeadline: (t) => parseDeadline(t),
    outsideLines,
  });
  assert.ok(r.ok, r.ok ? "" : r.message);
  return r.preview;
}

const HEAD = [
  "序号",
  "一级事项",
  "二级事项",
  "公开内容",
  "公开时限",
  "公开主体",
  "公开渠道和载体",
  "责任单位",
];

describe("numbers split exactly from names", () => {
  const cases: [string, string | null, string][] = [
    ["1.1机关事业单位社会保险登记", "1.1", "机关事业单位社会保险登记"],
    ["2.2.2企业职工参加社会保险登记", "2.2.2", "企业职工参加社会保险登记"],
    ["1.2.3.4.5.6 六级事项", "1.2.3.4.5.6", "六级事项"],
    ["（一）概况信息", "一", "概况信息"],
    ["1、机构职能", "1", "机构职能"],
    ["①办事指南", "①", "办事指南"],
    ["一、政策文件", "一", "政策文件"],
    ["2024年度报告", null, "2024年度报告"],
  ];
  for (const [cell, number, name] of cases)
    it(`${cell} → ${number ?? "no number"} + ${name}`, () =>
      assert.deepEqual(splitNumberPrefix(cell), { number, name }));

  it("an imported 1.1 item keeps its name whole", () => {
    const p = importOk([
      table([
        HEAD,
        [
          "1",
          "1社会保险登记",
          "1.1机关事业单位社会保险登记",
          "指南",
          "20个工作日内",
          "人社局",
          "■政府网站",
          "社保股",
        ],
        ["", "", "2.2.2企业职工参加社会保险登记", "指南", "20个工作日内", "人社局", "■政府网站", "社保股"],
      ]),
    ]);
    const names = [...walkItems(p.doc.items)].map(({ item }) => [item.number, item.name]);
    assert.deepEqual(names.slice(1), [
      ["1.1", "机关事业单位社会保险登记"],
      ["2.2.2", "企业职工参加社会保险登记"],
    ]);
  });
});

describe("catalogs of any depth", () => {
  it("recognises 四级–六级事项 columns", () => {
    assert.equal(roleOfHeading("四级事项"), "level4");
    assert.equal(roleOfHeading("六级目录"), "level6");
  });

  it("keeps six levels as a tree, sub-items and their deadlines apart", () => {
    const p = importOk([
      table([
        [
          "一级事项",
          "二级事项",
          "三级事项",
          "四级事项",
          "五级事项",
          "六级事项",
          "公开内容",
          "公开时限",
          "责任单位",
        ],
        [
          "1社会保险",
          "1.1参保",
          "1.1.1登记",
          "1.1.1.1单位",
          "1.1.1.1.1机关",
          "1.1.1.1.1.1事业单位",
          "指南",
          "10个工作日内",
          "社保股",
        ],
        ["", "", "", "", "", "1.1.1.1.1.2机关单位", "指南", "5个工作日内", "社保股"],
      ]),
    ]);
    const deepest = [...walkItems(p.doc.items)]
      .filter(({ item }) => item.level === 6)
      .map(({ item }) => item);
    assert.deepEqual(
      deepest.map((i) => [i.number, i.name, i.deadlineText]),
      [
        ["1.1.1.1.1.1", "事业单位", "10个工作日内"],
        ["1.1.1.1.1.2", "机关单位", "5个工作日内"],
      ],
    );
    assert.equal(p.counts.deeper, 4);
    assert.deepEqual(
      p.rows.map((r) => r.level),
      [6, 6],
    );
  });
});

describe("notes, tables, levels, ticks", () => {
  it("a footnote row under the table is the catalog's note, not an item", () => {
    const p = importOk([
      table([
        HEAD,
        ["1", "机构职能", "机构概况", "职能", "20个工作日内", "本局", "■政府网站", "办公室"],
        ["注：√表示公开对象；■表示必选渠道。", "注：√表示公开对象；■表示必选渠道。", "", "", "", "", "", ""],
      ]),
    ]);
    assert.equal(p.doc.items.length, 1);
    assert.deepEqual(p.header.notes, ["注：√表示公开对象；■表示必选渠道。"]);
    assert.equal(p.rows.length, 1);
  });

  it("rows of a second table keep that table's name (provenance and warnings)", () => {
    const row = (name: string) => ["1", "机构职能", name, "职能", "", "本局", "■政府网站", "办公室"];
    const p = importOk([table([HEAD, row("机构概况")], "表格1"), table([HEAD, row("领导信息")], "表格2")]);
    assert.deepEqual(
      p.rows.map((r) => [r.table, r.row]),
      [
        ["表格1", 2],
        ["表格2", 2],
      ],
    );
    const leaf = [...walkItems(p.doc.items)].find(({ item }) => item.name === "领导信息")?.item;
    assert.equal(leaf?.provenance.sheet, "表格2");
  });

  it("reads 村（社区）级 and 嘎查级 level columns", () => {
    assert.equal(roleOfHeading("村(社区)级"), "adminVillage");
    assert.equal(roleOfHeading("嘎查级"), "adminVillage");
    const p = importOk([
      table([
        ["一级事项", "二级事项", "公开时限", "责任单位", "公开层级", "", ""],
        ["", "", "", "", "县级", "乡级", "嘎查级"],
        ["政策", "文件", "20个工作日内", "办公室", "", "√", "√"],
      ]),
    ]);
    const leaf = p.doc.items[0]?.children[0] as CatalogDocItem;
    assert.equal(leaf.adminLevel, "乡级、嘎查级");
  });

  it("reads the 其他 tick with its text (☑其他 乡镇公示栏)", () => {
    const p = importOk([
      table([
        HEAD,
        ["1", "政策", "文件", "全文", "20个工作日内", "本局", "☑政府网站 ☑其他 乡镇公示栏", "办公室"],
      ]),
    ]);
    const leaf = p.doc.items[0]?.children[0] as CatalogDocItem;
    assert.deepEqual([leaf.channels, leaf.channelsOther], [["政府网站", "其他"], ["乡镇公示栏"]]);
  });

  it("an html file's title is its heading, not the breadcrumb", () => {
    const { lines } = readHtml(
      `<html><head><title>某镇标准目录 - 某县人民政府</title></head><body>
       <div class="position">当前位置：首页 &gt; 基层政务公开 &gt; 标准目录</div>
       <p>首页 &gt; 政务公开 &gt; 标准目录</p>
       <h2>某镇社会救助领域基层政务公开标准目录</h2>
       <table><tr><td>一级事项</td><td>二级事项</td><td>公开时限</td><td>责任单位</td></tr>
       <tr><td>低保</td><td>名单</td><td>10个工作日内</td><td>民政办</td></tr></table></body></html>`,
    );
    assert.equal(lines[0], "某镇社会救助领域基层政务公开标准目录");
    assert.ok(lines.every((l) => !l.includes("首页")));
  });
});

/** A six-level catalog with 1.1-style numbering, a note and a village level. */
function sixLevels(): CatalogDoc {
  const item = (
    level: number,
    number: string,
    name: string,
    children: CatalogDocItem[] = [],
  ): CatalogDocItem => ({
    level,
    number,
    name,
    legalBasis: children.length === 0 ? ["《中华人民共和国政府信息公开条例》"] : [],
    deadlineText: children.length === 0 ? "制定或获取信息之日起10个工作日内" : null,
    subject: children.length === 0 ? "县人社局" : null,
    channels: children.length === 0 ? ["政府网站", "其他"] : [],
    channelsOther: children.length === 0 ? ["乡镇公示栏"] : [],
    audience: children.length === 0 ? "全社会" : null,
    mode: children.length === 0 ? "主动" : null,
    form: null,
    adminLevel: children.length === 0 ? "县级、乡级" : null,
    responsibleText: children.length === 0 ? "社保股" : null,
    units: children.length === 0 ? [{ name: "社保股", role: "lead" }] : [],
    remarks: null,
    extra: {},
    provenance: {},
    elements:
      children.length === 0
        ? [{ number: null, label: "", content: "办事指南", deadlineText: "制定或获取信息之日起10个工作日内" }]
        : [],
    children,
  });
  return {
    title: "某县社会保险领域基层政务公开标准目录",
    header: { notes: ["注：√表示公开对象。"] },
    items: [
      item(1, "1", "社会保险", [
        item(2, "1.1", "参保登记", [
          item(3, "1.1.1", "单位参保", [
            item(4, "1.1.1.1", "机关事业单位", [
              item(5, "1.1.1.1.1", "登记", [
                item(6, "1.1.1.1.1.1", "新参保登记"),
                item(6, "1.1.1.1.1.2", "变更登记"),
              ]),
            ]),
          ]),
          item(3, "1.1.2", "个人参保"),
        ]),
        item(2, "1.2", "待遇支付"),
      ]),
    ],
  };
}

/** The parts of a catalog that an import must reproduce (provenance is where it came from, not content). */
function shape(doc: CatalogDoc) {
  return {
    title: doc.title,
    notes: doc.header.notes,
    items: [...walkItems(doc.items)].map(({ item, path }) => ({
      path: path.map((p) => p.name),
      level: item.level,
      number: item.number,
      name: item.name,
      deadline: item.deadlineText,
      channels: [item.channels, item.channelsOther],
      audience: item.audience,
      mode: item.mode,
      adminLevel: item.adminLevel,
      responsible: item.responsibleText,
      elements: item.elements.map((e) => [e.label, e.content]),
    })),
  };
}

describe("round trip import → export → import", () => {
  it("a six-level catalog with 1.1-style numbering comes back unchanged (csv)", async () => {
    const doc = sixLevels();
    assert.equal(exportTable(doc).levels, 6);
    const first = await readCatalogFile("目录.csv", Buffer.from(toCsv(doc), "utf8"));
    const once = importOk(first.tables, first.lines);
    assert.deepEqual(shape({ ...once.doc, header: once.header }), shape(doc));
    const again = await readCatalogFile(
      "目录.csv",
      Buffer.from(toCsv({ ...once.doc, header: once.header }), "utf8"),
    );
    const twice = importOk(again.tables, again.lines);
    assert.deepEqual(shape({ ...twice.doc, header: twice.header }), shape(doc));
  });

  it("and through xlsx", async () => {
    const doc = sixLevels();
    const read = await readCatalogFile("目录.xlsx", await toXlsx(doc));
    const back = importOk(read.tables, read.lines);
    assert.deepEqual(shape({ ...back.doc, header: back.header }), shape(doc));
  });
});
