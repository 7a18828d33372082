import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  combineHeaderRows,
  type ImportContext,
  isHeaderRow,
  itemMatcher,
  mapHeaders,
  parseImportDate,
  planImport,
  type SourceRow,
} from "./record-import.rules.ts";

const ITEMS = [
  { id: "a1", stableKey: "k1", number: "1.1", name: "政策文件", path: ["规章", "政策文件"] },
  { id: "a2", stableKey: "k2", number: "2.1", name: "政策文件", path: ["规范性文件", "政策文件"] },
  { id: "a3", stableKey: "k3", number: "3", name: "人事信息", path: ["人事信息"] },
  { id: "a4", stableKey: "k4", number: "4", name: "通知公告", path: ["通知公告"] },
];

const CTX: ImportContext = {
  agency: { id: "ag", slug: "zw", name: "中卫市人社局", shortName: null },
  matchItem: itemMatcher(ITEMS),
  existingIndexNos: new Set(["TAKEN-1"]),
  today: "2026-03-16",
};

/** Plans rows under a header; bodies are the 正文 cell (the reader prepares them; any text will do here). */
function plan(headers: string[], rows: string[][], ctx: Partial<ImportContext> = {}, sheet?: string) {
  const header = mapHeaders(headers);
  const body = header.columns.get("bodyText");
  const source: SourceRow[] = rows.map((cells, i) => {
    const b = body === undefined ? "" : (cells[body] ?? "");
    return { row: i + 2, cells, bodyHtml: b && `<p>${b}</p>`, bodyText: b, ...(sheet ? { sheet } : {}) };
  });
  return planImport(header, source, { ...CTX, ...ctx });
}

describe("records import rules", () => {
  it("reads dates as agencies write them and refuses impossible ones", () => {
    for (const [raw, iso] of [
      ["2024-03-05", "2024-03-05"],
      ["2024/3/5", "2024-03-05"],
      ["2024.3.5", "2024-03-05"],
      ["2024年3月5日", "2024-03-05"],
      ["20240305", "2024-03-05"],
      ["2024-03-05 10:30", "2024-03-05"],
    ] as const)
      assert.equal(parseImportDate(raw), iso, raw);
    for (const raw of ["2024-02-30", "3/5/2024", "", "二〇二四年", "1900-01-01"])
      assert.equal(parseImportDate(raw), null, raw);
  });

  it("maps Chinese and export headers, lists the missing required columns", () => {
    const h = mapHeaders(["索 引 号", "标题", "发布日期", "目录事项", "body_html", "备注"]);
    assert.deepEqual(h.missing, []);
    assert.deepEqual(h.ignored, ["备注"]);
    assert.equal(h.columns.get("indexNo"), 0);
    assert.deepEqual(mapHeaders(["标题"]).missing, ["索引号", "发布日期", "目录事项", "正文"]);
  });

  it("matches a catalog item by id, number, name or path; a shared name needs the path", () => {
    const items = [
      { id: "a1", stableKey: "k1", number: "1.1", name: "政策文件", path: ["规章", "政策文件"] },
      { id: "a2", stableKey: "k2", number: "2.1", name: "政策文件", path: ["规范性文件", "政策文件"] },
      { id: "a3", stableKey: "k3", number: "3", name: "人事信息", path: ["人事信息"] },
    ];
    const match = itemMatcher(items);
    const id = (raw: string) => {
      const m = match(raw);
      return m.ok ? m.item.id : m.message;
    };
    assert.equal(id("人事信息"), "a3");
    assert.equal(id("a2"), "a2");
    assert.equal(id("2.1"), "a2");
    assert.equal(id("规章 / 政策文件"), "a1");
    assert.equal(id("规范性文件>政策文件"), "a2");
    assert.match(id("政策文件"), /有2个同名事项，请写出完整路径/);
    assert.match(id("不存在"), /不在本机关已发布的目录中/);
    assert.match(id(""), /目录事项为空/);
  });

  it("maps the column names of CMS exports and hand-made lists", () => {
    const h = mapHeaders([
      "序号",
      "信息索引号",
      "信息名称",
      "文件编号",
      "信息来源",
      "发文日期",
      "公开时间",
      "时效性",
      "所属主题",
      "公开方式",
      "信息内容",
      "*发布日期",
      "链接",
    ]);
    assert.deepEqual(Object.fromEntries(h.columns), {
      indexNo: 1,
      title: 2,
      docNumber: 3,
      issuingAgency: 4,
      formedDate: 5,
      publishedDate: 6,
      validity: 7,
      topic: 8,
      disclosure: 9,
      bodyText: 10,
    });
    assert.deepEqual(h.seqColumns, [0]);
    assert.deepEqual(h.ignored, ["*发布日期（与“公开时间”重复，取前者）", "链接"]);
    assert.deepEqual(h.missing, ["目录事项"]);
    for (const [header, field] of [
      ["索　引　号", "indexNo"],
      ["索取号", "indexNo"],
      ["成文（生成）日期", "formedDate"],
      ["发布日期（必填）", "publishedDate"],
      ["发文字号：", "docNumber"],
      ["效力状况", "validity"],
      ["ＴＩＴＬＥ", "title"],
      ["发布\n日期", "publishedDate"],
      ["信息发布日期", "publishedDate"],
      ["发布机关", "issuingAgency"],
      ["成文时间", "formedDate"],
      ["文件名", "title"],
      ["索引码", "indexNo"],
    ] as const)
      assert.equal([...mapHeaders([header]).columns.keys()][0], field, header);
    assert.deepEqual(mapHeaders(["发布日期", "标题", "发布时间"]).ignored, [
      "发布时间（与“发布日期”重复，取前者）",
    ]);
    assert.equal(isHeaderRow(["中卫市人社局政府信息公开目录"]), false);
    assert.equal(isHeaderRow(["有效性", "主题分类", "体裁分类"]), false, "a lookup list is not a header");
    assert.equal(isHeaderRow(["序号", "信息名称", "发布日期"]), true);
  });

  it("combines a two-row header (merged 日期 over 成文日期 | 发布日期) and leaves data rows alone", () => {
    assert.deepEqual(
      combineHeaderRows(
        ["序号", "索引号", "标题", "日期", "", "正文"],
        ["", "", "", "成文日期", "发布日期", ""],
      ),
      ["序号", "索引号", "标题", "成文日期", "发布日期", "正文"],
    );
    // exceljs repeats a merged cell's value: 日期 | 日期 above, 索引号 (vertically merged) below.
    assert.deepEqual(
      combineHeaderRows(["索引号", "标题", "日期", "日期"], ["索引号", "标题", "成文日期", "发布日期"]),
      ["索引号", "标题", "成文日期", "发布日期"],
    );
    assert.equal(combineHeaderRows(["索引号", "标题", "发布日期"], ["A-1", "标题一", "2020-01-01"]), null);
    assert.equal(combineHeaderRows(["索引号", "标题", "发布日期"], ["", "", ""]), null);
  });

  it("skips empty rows, rows of only a 序号, notes, repeated headers; a section heading gives its item", () => {
    const H = ["序号", "索引号", "标题", "发布日期", "目录事项", "正文", "备注"];
    const p = plan(H, [
      ["1", "A-1", "标题一", "2020-01-02", "人事信息", "正文", ""],
      ["", "—", "/", "", "—", "", ""],
      ["2", "", "", "", "", "", ""],
      [
        "一、通知公告",
        "一、通知公告",
        "一、通知公告",
        "一、通知公告",
        "一、通知公告",
        "一、通知公告",
        "一、通知公告",
      ],
      ["3", "A-2", "标题二", "2020-01-03", "", "正文", ""],
      ["序号", "索引号", "标题", "发布日期", "目录事项", "正文", "备注"],
      ["", "A-5", "标题", "2020-01-05", "人事信息", "正文", "备注"], // data that happens to read like header names
      ["", "（二）未知分组", "", "", "", "", ""],
      ["4", "A-3", "标题三", "2020-01-04", "", "正文", ""],
      ["合计：共3条", "合计：共3条", "", "", "", "", ""],
      ["说明：本目录由办公室编制", "", "", "", "", "", ""],
      ["", "", "", "", "", "", "仅有备注"],
    ]);
    assert.equal(p.emptyRows, 2);
    assert.deepEqual(
      p.skipped.map((s) => [s.row, s.reason]),
      [
        [5, "分组标题行：其下未填目录事项的信息归入“通知公告”"],
        [7, "重复的表头行"],
        [9, "分组标题行（未对应目录事项）"],
        [11, "说明行"],
        [12, "说明行"],
        [13, "只有未识别列的内容"],
      ],
    );
    assert.deepEqual(
      p.records.map((r) => [r.indexNo, r.itemId]),
      [
        ["A-1", "a3"],
        ["A-2", "a4"],
        ["A-5", "a3"],
      ],
    );
    // After a heading that names no item, rows without one are errors again (not filed under the previous heading).
    assert.deepEqual(
      p.errors.map((e) => [e.row, e.messages]),
      [[10, ["目录事项为空：主动公开的信息须对应目录事项"]]],
    );
  });

  it("a default item fills rows without one; a row's own item wins", () => {
    const H = ["索引号", "标题", "发布日期", "目录事项", "正文"];
    const p = plan(
      H,
      [
        ["D-1", "一", "2020-01-02", "", "正文"],
        ["D-2", "二", "2020-01-02", "—", "正文"],
        ["D-3", "三", "2020-01-02", "3", "正文"],
      ],
      { defaultItem: ITEMS[3] },
    );
    assert.deepEqual(
      p.records.map((r) => r.itemId),
      ["a4", "a4", "a3"],
    );
    const noColumn = plan(["索引号", "标题", "发布日期", "正文"], [["D-4", "四", "2020-01-02", "正文"]], {
      defaultItem: ITEMS[0],
    });
    assert.equal(noColumn.records[0]?.itemId, "a1");
  });

  it("reads each field as lists write it and names every problem of a row", () => {
    const H = [
      "索引号",
      "标题",
      "文号",
      "发文日期",
      "公开日期",
      "时效性",
      "公开方式",
      "目录事项",
      "正文",
      "关键词",
    ];
    const p = plan(
      H,
      [
        [
          "V-1",
          "关于做好\n稳岗返还的通知",
          "—",
          "二〇二三年五月四日",
          "2023-05-06 00:00:00.0",
          "现行有效",
          "主动公开",
          "3",
          "正文",
          "",
        ],
        ["V-2", "二", "无", "", "２０２３年５月６日", "已废止", "", "3", "正文", "/"],
        ["V-3", "三", "", "", "2023-05-06", "已修改", "依申请公开", "3", "正文", ""],
        ["V-1", "四", "", "", "2023-05-06", "", "", "3", "正文", ""],
        ["TAKEN-1", "五", "", "", "45052", "", "", "3", "正文", "a b c d e f g h i j k"],
      ],
      {},
      "2023年",
    );
    assert.deepEqual(
      p.records.map((r) => [
        r.indexNo,
        r.title,
        r.docNumber,
        r.formedDate,
        r.publishedDate,
        r.validity,
        r.keywords,
      ]),
      [
        ["V-1", "关于做好稳岗返还的通知", "", "2023-05-04", "2023-05-06", "有效", []],
        ["V-2", "二", "", "2023-05-06", "2023-05-06", "废止", []],
      ],
    );
    const lines = p.errors.flatMap((e) => e.messages.map((m) => `${e.row}:${m}`));
    assert.equal(lines.length, 5, lines.join("\n"));
    assert.match(lines[0] ?? "", /^4:有效性“已修改”只能是有效、失效或废止：被修改的文件/);
    assert.match(lines[1] ?? "", /^4:公开方式为“依申请公开”：批量导入只导入主动公开的信息/);
    assert.equal(lines[2], "5:索引号“V-1”与工作表“2023年”第2行重复");
    assert.equal(lines[3], "6:索引号“TAKEN-1”已被本机关的其他信息使用");
    assert.equal(lines[4], "6:关键词最多10个（本行11个）");
  });

  it("a row the reader marked (a JSON element that is not an object) is an error, not a crash", () => {
    const header = mapHeaders(["索引号", "标题", "发布日期", "目录事项", "正文", "（其他列）"]);
    const p = planImport(
      header,
      [{ row: 3, cells: ["", "", "", "", "", "x"], bodyHtml: "", bodyText: "", problems: ["第3项不是对象"] }],
      CTX,
    );
    assert.equal(p.errors[0]?.messages[0], "第3项不是对象");
  });
});
