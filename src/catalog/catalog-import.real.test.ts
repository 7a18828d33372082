// Catalogs as published, read through the import (reader → header → rows → preview) as a clerk's upload would be:
// the fixtures in import-fixtures/ reproduce real published catalogs (sources in import-fixtures/README.md).

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { type CatalogDoc, walkItems } from "./catalog.model.ts";
import { parseChannelCell, parseElements } from "./catalog-cells.rules.ts";
import { describeReading, parseDeadline } from "./catalog-deadline.ts";
import { toCsv, toXlsx } from "./catalog-export.ts";
import { readCatalogFile } from "./catalog-import.readers.ts";
import { buildImport, statedSubjectOf } from "./catalog-import.rules.ts";

async function importFixture(name: string) {
  const bytes = new Uint8Array(readFileSync(path.join(import.meta.dirname, "import-fixtures", name)));
  const read = await readCatalogFile(name, bytes);
  const r = buildImport(read.tables, {
    fallbackTitle: name,
    outsideLines: read.lines,
    parseDeadline: (t) => parseDeadline(t),
    describeDeadline: (t) => describeReading(parseDeadline(t)),
  });
  assert.ok(r.ok, r.ok ? "" : r.message);
  return r.preview;
}

describe("a catalog served in 繁体 (中山市东凤镇 财政预决算 标准目录)", () => {
  it("finds the header (序號 / 公開事項 / 公開時限 …) and reads every column", async () => {
    const p = await importFixture("dongfeng-finance-zh-hant.html");
    const roles = Object.fromEntries(p.columns.map((c) => [c.heading, c.role]));
    assert.equal(roles["公開時限"], "deadline");
    assert.equal(roles["公開渠道和載體"], "channels");
    assert.equal(roles["公開主體"], "subject");
    assert.equal(roles["公開依據"], "legalBasis");
    assert.equal(roles["一級事項"], "level1");
    assert.equal(roles["特定群眾"], "audienceSpecific");
    const items = [...walkItems(p.doc.items)].map(({ item }) => item);
    assert.deepEqual(
      items.map((i) => i.name),
      ["財政預決算", "政府預算"],
    );
    const budget = items[1]!;
    assert.deepEqual(budget.channels, ["政府网站"]);
    assert.equal(budget.mode, "主动");
    assert.equal(budget.elements.length, 3);
  });

  it("reads the 批准后20日内 deadline and flags the published typo 「批準後20內」 (no unit) instead of guessing", async () => {
    const p = await importFixture("dongfeng-finance-zh-hant.html");
    const first = p.rows[0]!;
    assert.deepEqual(first.fields?.deadlineUnparsed, []);
    assert.match(first.fields?.deadlineReading.join("") ?? "", /批复后20日内/);
    const second = p.rows[1]!;
    assert.deepEqual(second.fields?.deadlineUnparsed, ["本級人民代表大會或其常務委員會批準後20內"]);
    assert.ok(second.warnings.some((w) => w.includes("未能解析")));
  });
});

describe("a department catalog served in 繁体 (沅江市卫生健康局 政府信息主动公开事项目录)", () => {
  it("maps 事項名稱 / 公開時限 / 公開責任 / 公開渠道 and keeps 條款內容 and 公開鏈接 as extra columns", async () => {
    const p = await importFixture("yuanjiang-health-zh-hant.html");
    assert.equal(p.title, "沅江市衛生健康局政府信息主動公開事項目錄");
    const item = p.doc.items[0]!;
    assert.equal(item.name, "機構信息");
    assert.deepEqual(item.channels, ["政府网站"]);
    assert.equal(item.responsibleText, "辦公室");
    assert.deepEqual(Object.keys(item.extra ?? {}), ["條款內容", "公開鏈接"]);
    assert.deepEqual(p.rows[0]!.fields?.deadlineUnparsed, []);
    assert.match(p.rows[0]!.fields?.deadlineReading.join("") ?? "", /20个工作日/);
  });

  it("a 主動公開 title without a 公開方式 column imports the items as 主动", async () => {
    const p = await importFixture("yuanjiang-health-zh-hant.html");
    assert.equal(p.doc.items[0]!.mode, "主动");
  });

  it("「公開主體:沅江市衛生健康局」 above the table is every item's 公开主体 (the table has no such column)", async () => {
    const p = await importFixture("yuanjiang-health-zh-hant.html");
    assert.equal(p.doc.items[0]!.subject, "沅江市衛生健康局");
    assert.equal(p.rows[0]!.fields?.subject, "沅江市衛生健康局");
    assert.ok(p.notes.some((n) => n.includes("公开主体")));
  });
});

describe("statedSubjectOf", () => {
  it("reads 公开主体：X (either script), nothing else", () => {
    assert.equal(statedSubjectOf(["公开主体：某县人力资源和社会保障局"]), "某县人力资源和社会保障局");
    assert.equal(statedSubjectOf(["公開主體:沅江市衛生健康局"]), "沅江市衛生健康局");
    assert.equal(statedSubjectOf(["填表人：张三 复核人：李四"]), undefined);
    assert.equal(statedSubjectOf(["公开主体：甲 责任单位：乙"]), undefined);
  });
});

describe("a 公开时限 cell wrapped over lines (锡林浩特市 标准目录, cells copied from a PDF)", () => {
  // The deadline cell as published on https://www.xilinhaote.gov.cn/xilinhaote/ztzl/qmtjjczwgkbzhgfhgz/bmjczwgk/blgjdbsc/gkbzml/index.html
  // (items 0505 and 0507): one phrase broken into six lines by the cell's width.
  const WRAPPED = "自信息形\n成或者变\n更之日起\n20个工作\n日内予以\n公开";
  const isOne = (t: string) => parseDeadline(t).unparsed.length === 0;

  it("is one deadline for every element, also when the content has as many lines as the deadline", () => {
    // Six content lines (the elements of such an item, one per line): the count matches the deadline's lines.
    const content = "法律法规和政策文件\n申请材料\n受理范围及条件\n办理流程\n咨询投诉渠道\n办理时限";
    const elements = parseElements(content, WRAPPED, isOne);
    assert.equal(elements.length, 6);
    for (const e of elements) assert.equal(e.deadlineText, WRAPPED);
    assert.deepEqual(parseDeadline(WRAPPED).unparsed, []);
  });

  it("「信息形成↵(变更)20 个工作日内」 (巴塘县 救灾领域目录, the cell broken before its bracket) reads as one rule", () => {
    // http://batang.gov.cn/batang/c102972/202009/c6ed43a1b7ca488aa37b92e5e3b69627.shtml
    const r = parseDeadline("信息形成\n(变更)20 个工作日内");
    assert.deepEqual(r.unparsed, []);
    assert.deepEqual(
      r.rules.map((x) => x.rule),
      [{ kind: "workingDaysFromFormation", days: 20 }],
    );
  });

  it("two rules written one per line still go to the elements in order (長期公開↵隨時公開 reads as two)", () => {
    const elements = parseElements("机构职能\n工作动态", "長期公開\n隨時公開", isOne);
    assert.deepEqual(
      elements.map((e) => e.deadlineText),
      ["長期公開", "隨時公開"],
    );
  });
});

describe("channel cells as published", () => {
  it("「口」 typed for an empty box (锡林浩特市 标准目录, item 0505) is an unticked box", () => {
    // https://www.xilinhaote.gov.cn/xilinhaote/ztzl/qmtjjczwgkbzhgfhgz/bmjczwgk/blgjdbsc/gkbzml/index.html
    const cell =
      "■政府网站\n口两微一端\n□广播电视\n口公开查阅点 口便民服务站\n□政府公报\n口发布会/听证会\n□纸质媒体\n□政务服务中心\n□入户/现场\n口社区/企事业单位/村公示栏(电子屏) 口精准推送       □其他";
    const r = parseChannelCell(cell);
    assert.deepEqual(r.channels, ["政府网站"]);
    assert.deepEqual(r.unknown, []);
  });

  it("「▄政府网站;口政府公报;…」 (枣庄高新区应急管理局 安全生产领域目录): ▄ is a ticked box, 口 after ; an empty one", () => {
    // http://zzctp.gov.cn/zwgk/xxgkml/qzbm/yjglj/202207/t20220708_1465124.html
    const r = parseChannelCell(
      "▄政府网站;口政府公报;口政务新媒体;口发布会/听证会;口广播电视,口纸质媒体:口提供政务服务的场所;口公开查阅点;口便民服务站;口入户/现场;口图书馆:口社区/企事业单位/村公示栏(电子屏);国家档案馆;口精准推送;口其他。",
    );
    assert.deepEqual(r.channels, ["政府网站"]);
    assert.deepEqual(r.unknown, []);
  });

  it("口 inside a label stays a word (■办事窗口, 赣州市蓉江新区 户籍管理目录; 文化机构门口, 锡林浩特市)", () => {
    // http://rjxq.ganzhou.gov.cn/rjxq/c105099/202012/ca8b081a776140e589ec96ce8252c83e.shtml
    assert.deepEqual(parseChannelCell("■政府网站\n■办事窗口").other, ["办事窗口"]);
    // https://www.xilinhaote.gov.cn/xilinhaote/ztzl/qmtjjczwgkbzhgfhgz/bmjczwgk/eedjdbsc/gkbzml/index.html
    assert.deepEqual(parseChannelCell("文化机构门口").other, ["文化机构门口"]);
  });

  it("■发布会听证会 (赛罕区 重大建设项目领域目录) is the standard 发布会/听证会", () => {
    // https://www.saihan.gov.cn/zwgk_new/jczwgk/xzjd/hhsz/bzml
    const r = parseChannelCell(
      "■政府网站    ■两微一端    ■发布会听证会\n■政务服务中心\n■公共资源交易平台\n■信用中国网站  \n■招投标公共服务平台\n■投资项目在线审批监管平台",
    );
    assert.deepEqual(r.channels, ["政府网站", "两微一端", "发布会/听证会", "政务服务中心"]);
    assert.deepEqual(r.other, [
      "公共资源交易平台",
      "信用中国网站",
      "招投标公共服务平台",
      "投资项目在线审批监管平台",
    ]);
  });
});

describe("东阳市 公共法律服务领域基层政务公开标准目录 (公开层级 东阳市级 | 镇街乡 | 村)", () => {
  it("reads 东阳市级 as the county level and 镇街乡 as the township level, not as extra columns", async () => {
    const p = await importFixture("dongyang-legal-services.html");
    const roles = Object.fromEntries(p.columns.map((c) => [c.heading.split("/").pop(), c.role]));
    assert.equal(roles["东阳市级"], "adminCounty");
    assert.equal(roles["镇街乡"], "adminTownship");
    assert.equal(roles["村"], "adminVillage");
    const leaves = [...walkItems(p.doc.items)].map(({ item }) => item).filter((i) => i.level === 2);
    assert.deepEqual(
      leaves.map((i) => [i.name, i.adminLevel, Object.keys(i.extra ?? {}).join("、")]),
      [
        ["法律知识普及服务", "县级", "公开、五公开"],
        ["推广法治文化服务", "县级", "公开、五公开"],
      ],
    );
  });

  it("「■其他法律服务网注:…」 is the 其他 channel naming 法律服务网, its note goes to 备注", async () => {
    const p = await importFixture("dongyang-legal-services.html");
    const leaf = [...walkItems(p.doc.items)]
      .map(({ item }) => item)
      .find((i) => i.name === "法律知识普及服务")!;
    assert.ok(leaf.channels.includes("其他"));
    assert.deepEqual(leaf.channelsOther, ["法律服务网"]);
    assert.equal(leaf.remarks, "注:有关公开信息可推送或归集至本省级法律服务网。");
    assert.ok(!p.rows[0]!.warnings.some((w) => w.includes("非标准公开渠道")));
  });

  it("a city's own 市级 column stays apart when the catalog also has a 县级 column", () => {
    const r = buildImport(
      [
        {
          name: "表1",
          rows: [
            ["序号", "一级事项", "二级事项", "公开时限", "公开层级", "公开层级", "公开层级"],
            ["序号", "一级事项", "二级事项", "公开时限", "江门市级", "县(区)级", "乡级"],
            ["1", "法规政策", "法律法规", "20个工作日", "√", "√", ""],
          ].map((cells, i) => ({ row: i + 1, cells })),
        },
      ],
      { fallbackTitle: "t" },
    );
    assert.ok(r.ok);
    // 县(区)级 as in 江门市's catalogs (https://m.jmsqyfw.com/ztzl/zczwgkml/26gzdly/bzxzf: 市级 | 县(区)级).
    assert.deepEqual(
      r.preview.columns.slice(4).map((c) => c.role),
      ["extra", "adminCounty", "adminTownship"],
    );
  });
});

describe("微山县 catalog: 「公开事项」 merged over two columns, no second header row", () => {
  it("reads the second column as 二级事项 instead of dropping it into an extra column", async () => {
    const p = await importFixture("weishan-openness-catalog.html");
    assert.deepEqual(
      p.columns.slice(1, 3).map((c) => c.role),
      ["level1", "level2"],
    );
    assert.deepEqual(
      p.rows.map((r) => r.path.join(" / ")),
      ["组织机构 / 机构概况", "政策文件 / 规范性文件", "政策文件 / 规范性文件征集、备案、清理"],
    );
    assert.deepEqual(
      p.rows.map((r) => r.fields?.deadlineText),
      ["15个工作日", "15个工作日内公开", "15个工作日内公开"],
    );
  });
});

describe("衢州市柯城区 户籍管理领域目录 (公开层级 区级 | 乡级)", () => {
  it("reads 区级 as the county level", () => {
    // http://qzlj.gov.cn/zwgk/ztzl/rdzt/lhzt/lyxx/hjgl/202011/t20201110_2450562.htm, header and item 1.
    const r = buildImport(
      [
        {
          name: "表1",
          rows: [
            [
              "序号",
              "公开事项",
              "公开事项",
              "公开内容(要素)",
              "公开依据",
              "公开时限",
              "公开主体",
              "公开渠道和载体",
              "公开对象",
              "公开对象",
              "公开方式",
              "公开方式",
              "公开层级",
              "公开层级",
            ],
            [
              "序号",
              "一级事项",
              "二级事项",
              "公开内容(要素)",
              "公开依据",
              "公开时限",
              "公开主体",
              "公开渠道和载体",
              "全社会",
              "特定群众",
              "主动",
              "依申请公开",
              "区级",
              "乡级",
            ],
            [
              "1",
              "出生",
              "新生儿国内出生户口登记",
              "1.受理部门",
              "《中华人民共和国户口登记条例》 《中华人民共和国政府信息公开条例》",
              "形成或者变更之日起20个工作日内予以公开",
              "区公安分局",
              "入户/现场",
              "√",
              "",
              "√",
              "",
              "√",
              "√",
            ],
          ].map((cells, i) => ({ row: i + 1, cells })),
        },
      ],
      { fallbackTitle: "户籍管理领域基层政务公开标准目录", parseDeadline: (t) => parseDeadline(t) },
    );
    assert.ok(r.ok);
    const leaf = [...walkItems(r.preview.doc.items)].map(({ item }) => item).find((i) => i.level === 2)!;
    assert.equal(leaf.adminLevel, "县级、乡级");
    assert.deepEqual(leaf.extra ?? {}, {});
  });
});

describe("平武县 社会保险领域基层政务公开标准目录 (公开方式 全文发布 | 公开属性 主动公开)", () => {
  it("reads 公开属性 as the mode (主动) and 公开方式 as the form (全文发布)", () => {
    // http://www.pingwu.gov.cn/xxgk/jczwgkbzml/xz/sezzx/25170821.html, header and item 1.
    const head = [
      "序号",
      "公开事项",
      "公开事项",
      "公开内容",
      "公开依据",
      "公开时限",
      "公开主体",
      "公开渠道",
      "公开方式",
      "公开属性",
      "公开对象",
      "咨询电话",
      "监督举报电话",
    ];
    const r = buildImport(
      [
        {
          name: "表1",
          rows: [
            head,
            head.map((h, i) => (i === 1 ? "一级事项" : i === 2 ? "二级事项" : h)),
            [
              "1",
              "社会保险登记",
              "城乡居民养老保险参保登记",
              "事项名称、事项简述、办理材料、办理方式、办理时限、结果送达、收费依据及标准、办事时间、办理机构及地点、咨询查询途径、监督投诉渠道",
              "《政府信息公开条例》、《中华人民共和国社会保险法》、《社会保险费征缴暂行条例》",
              "公开事项信息形成或变更之日起20个工作日内公开",
              "乡镇人民政府",
              "■乡镇便民服务中心",
              "全文发布",
              "主动公开",
              "全社会",
              "0816-4773001",
              "0816-4773001",
            ],
          ].map((cells, i) => ({ row: i + 1, cells })),
        },
      ],
      { fallbackTitle: "(七)社会保险领域基层政务公开标准目录", parseDeadline: (t) => parseDeadline(t) },
    );
    assert.ok(r.ok);
    const leaf = r.preview.doc.items[0]!.children[0]!;
    assert.equal(leaf.mode, "主动");
    assert.equal(leaf.form, "全文发布");
    assert.deepEqual(Object.keys(leaf.extra ?? {}), ["咨询电话", "监督举报电话"]);
  });
});

describe("the real catalogs survive export → import", () => {
  const fields = (doc: CatalogDoc) =>
    [...walkItems(doc.items)].map(({ item }) => ({
      name: item.name,
      level: item.level,
      deadlineText: item.deadlineText,
      channels: item.channels,
      channelsOther: item.channelsOther,
      mode: item.mode,
      audience: item.audience,
      adminLevel: item.adminLevel,
      remarks: item.remarks,
      subject: item.subject,
      elements: item.elements.length,
      extra: item.extra,
    }));
  for (const name of readdirSync(path.join(import.meta.dirname, "import-fixtures")).filter((f) =>
    f.endsWith(".html"),
  ))
    it(`${name} as .csv and .xlsx`, async () => {
      const p = await importFixture(name);
      for (const [file, bytes] of [
        ["again.csv", new TextEncoder().encode(toCsv(p.doc))],
        ["again.xlsx", new Uint8Array(await toXlsx(p.doc))],
      ] as const) {
        const read = await readCatalogFile(file, bytes);
        const again = buildImport(read.tables, { fallbackTitle: name, outsideLines: read.lines });
        assert.ok(again.ok, again.ok ? "" : again.message);
        assert.deepEqual(fields(again.preview.doc), fields(p.doc), file);
      }
    });
});
