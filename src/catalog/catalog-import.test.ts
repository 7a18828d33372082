/**
 * Import of catalog files in layouts other than the seeds, generated here: an .xlsx with a two-row header and
 * other wording, a .csv with 同上 and blank cells, an .html table with checkbox inputs, a .docx table; and bad
 * files (wrong type, no header, broken .xlsx, 20 MB of junk) with clear errors and nothing half-imported.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, describe, it } from "node:test";
import { Document, Packer, Paragraph, Table, TableCell, TableRow } from "docx";
import ExcelJS from "exceljs";
import { createAgency } from "../../test/factories.ts";
import { createTestDeps, testAudit } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { systemActor } from "../accounts/policy.ts";
import { ensureDepartments, listDepartments } from "../agencies/agency.service.ts";
import { createDocumentPool } from "../documents/document-pool.ts";
import { type AppError, isAppError } from "../errors.ts";
import { type CatalogDocItem, walkItems } from "./catalog.model.ts";
import { commitImport, parseCatalogFile, previewImport } from "./catalog-import.service.ts";
import { getCatalogVersion, listCatalogVersions } from "./catalog-tree.service.ts";
import { discardDraft } from "./catalog-versions.service.ts";

const documents = createDocumentPool();
after(() => documents.close());

function flat(items: CatalogDocItem[]) {
  return [...walkItems(items)].map((w) => w.item);
}

function byName(items: CatalogDocItem[], name: string): CatalogDocItem {
  const found = flat(items).find((i) => i.name === name);
  assert.ok(found, `item ${name}`);
  return found;
}

async function rejectsWith(p: Promise<unknown>, code: string, message?: RegExp) {
  await assert.rejects(p, (e) => {
    assert.ok(isAppError(e), String(e));
    assert.equal((e as AppError).code, code, (e as AppError).message);
    if (message) assert.match((e as AppError).message, message);
    return true;
  });
}

describe("import: other layouts", () => {
  it("xlsx with a two-row header, merged cells, other wording and a footer", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("目录");
    ws.addRow(["某县人社局政务公开事项目录"]);
    ws.mergeCells("A1:I1");
    ws.addRow([
      "序号",
      "公开事项",
      "",
      "具体内容",
      "时限要求",
      "公开渠道",
      "公开对象",
      "",
      "责任科室",
      "更新频率",
    ]);
    ws.addRow(["", "事项类别", "事项名称", "", "", "", "全社会", "特定群众", "", ""]);
    ws.mergeCells("B2:C2");
    ws.mergeCells("G2:H2");
    ws.addRow([
      "1",
      "就业服务",
      "岗位信息发布",
      "1、招聘单位；2、岗位要求",
      "实时公开",
      "政府网站、政务服务中心",
      "√",
      "",
      "就业股",
      "每周",
    ]);
    ws.addRow([
      "",
      "",
      "就业失业登记",
      "办事指南：受理条件、办理流程",
      "信息形成之日起30个工作日内",
      "政府网站",
      "",
      "√",
      "",
      "",
    ]);
    ws.mergeCells("B4:B5");
    ws.mergeCells("A4:A5");
    ws.addRow([
      "2",
      "社会保险",
      "参保登记",
      "登记办事指南",
      "办完再说",
      "投资项目在线审批监管平台",
      "√",
      "",
      "社保股",
      "",
    ]);
    ws.addRow(["填表人：张三  复核人：李四  审签人：王五  填表时间：2024年3月1日"]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const { format, preview } = await parseCatalogFile("目录.xlsx", bytes, documents);
    assert.equal(format, "xlsx");
    assert.equal(preview.title, "某县人社局政务公开事项目录");
    assert.deepEqual(preview.header, {
      compiledBy: "张三",
      reviewedBy: "李四",
      signedBy: "王五",
      compiledAt: "2024年3月1日",
    });
    assert.deepEqual(
      preview.doc.items.map((i) => [i.number, i.name, i.children.map((c) => c.name)]),
      [
        ["1", "就业服务", ["岗位信息发布", "就业失业登记"]],
        ["2", "社会保险", ["参保登记"]],
      ],
    );
    const post = byName(preview.doc.items, "岗位信息发布");
    assert.deepEqual(
      post.elements.map((e) => [e.number, e.content]),
      [
        ["1", "招聘单位"],
        ["2", "岗位要求"],
      ],
    );
    assert.deepEqual(post.channels, ["政府网站", "政务服务中心"]);
    assert.equal(post.audience, "全社会");
    assert.deepEqual(post.units, [{ name: "就业股", role: "lead" }]);
    assert.deepEqual(post.extra, { 更新频率: "每周" });
    const reg = byName(preview.doc.items, "就业失业登记");
    assert.equal(reg.audience, "特定群体");
    assert.deepEqual(
      reg.elements.map((e) => [e.label, e.content]),
      [["办事指南", "受理条件、办理流程"]],
    );
    // Blank 责任科室 inside the same 一级事项 repeats the row above (a merged cell lost).
    assert.deepEqual(reg.units, [{ name: "就业股", role: "lead" }]);
    const ins = byName(preview.doc.items, "参保登记");
    assert.deepEqual(ins.channelsOther, ["投资项目在线审批监管平台"]);
    // Warnings: the unparsed deadline and the unknown channel, by row.
    const row6 = preview.rows.find((r) => r.row === 6);
    assert.ok(row6?.warnings.some((w) => w.includes("办完再说")));
    assert.ok(row6?.warnings.some((w) => w.includes("投资项目在线审批监管平台")));
    assert.deepEqual(preview.counts, {
      level1: 2,
      level2: 3,
      level3: 0,
      deeper: 0,
      elements: 4,
      warnings: 2,
    });
  });

  it("csv with 同上, blank hierarchy cells, 「—」 and a 配合单位 column", async () => {
    const csv = [
      "一级目录,二级目录,三级目录,公开内容,公开依据,公开时限,公开主体,公开渠道和载体,公开方式,牵头单位,配合单位,备注",
      "机构信息,领导信息,,领导姓名、分工,《中华人民共和国政府信息公开条例》；《宁夏实施办法》,信息形成或者变更之日起20个工作日内,县人社局,■政府网站 □政府公报 ■两微一端,主动公开,办公室,,",
      ",机构职能,,主要职责,同上,同上,同上,同上,同上,同上,,",
      "行政许可,劳务派遣,许可事项,办事指南,《劳动合同法》,自作出行政决定之日起7个工作日内,县人社局,■政府网站,依申请公开,劳动关系股,办公室,按季度汇总",
      ",,变更登记,变更申请材料,同上,同上,同上,□政府网站 ■政务服务中心,主动,—,—,",
      "",
    ].join("\r\n");
    const bytes = Buffer.from(csv);
    const { format, preview } = await parseCatalogFile("list.csv", bytes, documents);
    assert.equal(format, "csv");
    const leader = byName(preview.doc.items, "领导信息");
    const duties = byName(preview.doc.items, "机构职能");
    assert.deepEqual(duties.legalBasis, leader.legalBasis);
    assert.deepEqual(leader.legalBasis, ["《中华人民共和国政府信息公开条例》", "《宁夏实施办法》"]);
    assert.equal(duties.deadlineText, "信息形成或者变更之日起20个工作日内");
    assert.deepEqual(duties.channels, ["政府网站", "两微一端"]);
    assert.equal(duties.mode, "主动");
    assert.deepEqual(duties.units, [{ name: "办公室", role: "lead" }]);
    const permit = byName(preview.doc.items, "许可事项");
    assert.equal(permit.level, 3);
    assert.equal(permit.mode, "依申请");
    assert.deepEqual(permit.units, [
      { name: "劳动关系股", role: "lead" },
      { name: "办公室", role: "cooperating" },
    ]);
    assert.equal(permit.remarks, "按季度汇总");
    const change = byName(preview.doc.items, "变更登记");
    assert.equal(change.level, 3);
    // An unticked channel is not a channel.
    assert.deepEqual(change.channels, ["政务服务中心"]);
    assert.equal(change.deadlineText, "自作出行政决定之日起7个工作日内");
    // 「—」 is an explicit empty, not "same as above": no responsible unit, and a warning says so.
    assert.deepEqual(change.units, []);
    assert.ok(preview.rows.find((r) => r.path.at(-1) === "变更登记")?.warnings.includes("缺少责任单位。"));
    assert.equal(byName(preview.doc.items, "劳务派遣").children.length, 2);
  });

  it("csv in GB18030 (Excel on Chinese Windows) is decoded", async () => {
    // 「事项名称,公开内容,公开时限,责任单位」 + one row, encoded in GB18030 by hand (the bytes of each character).
    const gbk = Buffer.from(
      "cac2cfeec3fbb3c62cb9abbfaac4dac8dd2cb9abbfaacab1cfde2cd4f0c8ceb5a5cebb0d0ab9abbfaad6b8c4cf2cd6b8c4cfc8abceb42cc3bfc4ea31d4c23331c8d5c7b02cb0ecb9abcad20d0a",
      "hex",
    );
    const { preview } = await parseCatalogFile("gbk.csv", gbk, documents);
    const guide = byName(preview.doc.items, "公开指南");
    assert.equal(guide.deadlineText, "每年1月31日前");
    assert.deepEqual(guide.units, [{ name: "办公室", role: "lead" }]);
  });

  it("html table with checkbox inputs and rowspan", async () => {
    const page = `<!doctype html><html><body><h1>政府信息主动公开目录</h1>
<table><thead><tr><th rowspan="2">序号</th><th colspan="2">公开事项</th><th rowspan="2">公开内容（要素）</th><th rowspan="2">公开时限</th><th rowspan="2">公开渠道和载体</th><th colspan="2">公开方式</th><th rowspan="2">公开责任</th></tr>
<tr><th>一级事项</th><th>二级事项</th><th>主动</th><th>依申请</th></tr></thead>
<tbody>
<tr><td rowspan="2">一</td><td rowspan="2">概况信息</td><td>机构信息</td><td>1、本单位主要职责；<br>2、内设机构</td><td>信息形成（更改）之日起20个工作日内。</td>
<td><input type="checkbox" checked> 政府网站<br><input type="checkbox"> 政府公报<br><input type="checkbox" checked="checked"> 两微一端<br><input type="checkbox" checked> 其他（宁夏十公示信息报送系统）</td><td>√</td><td></td><td>办公室</td></tr>
<tr><td>领导信息</td><td>领导姓名、职务</td><td>实时公开</td><td><ul><li><input type="checkbox"> 政府网站</li><li><input type="checkbox" checked> 政务服务中心</li></ul></td><td>√</td><td></td><td>办公室</td></tr>
<tr><td>二</td><td>基本信息</td><td>政府信息公开年报</td><td>年度报告全文</td><td>每年1月31日前</td><td>☑政府网站 ☐纸质媒体</td><td></td><td>√</td><td>政策法规股、办公室</td></tr>
</tbody></table><p>填表人：赵六 填表时间：2023年1月5日</p></body></html>`;
    const { format, preview } = await parseCatalogFile("catalog.html", Buffer.from(page), documents);
    assert.equal(format, "html");
    assert.equal(preview.title, "政府信息主动公开目录");
    assert.equal(preview.header.compiledBy, "赵六");
    assert.deepEqual(
      preview.doc.items.map((i) => [i.number, i.name, i.children.length]),
      [
        ["一", "概况信息", 2],
        ["二", "基本信息", 1],
      ],
    );
    const org = byName(preview.doc.items, "机构信息");
    assert.deepEqual(org.channels, ["政府网站", "两微一端", "其他"]);
    assert.deepEqual(org.channelsOther, ["宁夏十公示信息报送系统"]);
    assert.deepEqual(
      org.elements.map((e) => e.content),
      ["本单位主要职责", "内设机构"],
    );
    assert.equal(org.mode, "主动");
    const leaders = byName(preview.doc.items, "领导信息");
    assert.deepEqual(leaders.channels, ["政务服务中心"]);
    const report = byName(preview.doc.items, "政府信息公开年报");
    assert.deepEqual(report.channels, ["政府网站"]);
    assert.equal(report.mode, "依申请");
    assert.deepEqual(
      report.units.map((u) => u.name),
      ["政策法规股", "办公室"],
    );
  });

  it("docx table with its own wording and ☑/☐ ticks", async () => {
    const cell = (t: string) => new TableCell({ children: t.split("\n").map((l) => new Paragraph(l)) });
    const row = (cells: string[]) => new TableRow({ children: cells.map(cell) });
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph("人社局主动公开基本目录"),
            new Table({
              rows: [
                row(["类别", "事项名称", "公开要素", "依据", "公开时限", "发布渠道", "责任股室", "说明"]),
                row([
                  "财政信息",
                  "部门预算",
                  "预算报告、“三公”经费",
                  "《预算法》第十四条",
                  "财政部门批复后20日内",
                  "☑政府网站\n☐政府公报\n☑两微一端",
                  "财务股",
                  "按年度",
                ]),
                row(["", "部门决算", "决算报告", "同上", "同上", "☑政府网站", "同上", ""]),
                row([
                  "人事信息",
                  "招聘公告",
                  "招聘岗位、条件",
                  "",
                  "实时公开",
                  "☐政府网站\n☐纸质媒体",
                  "人事股",
                  "",
                ]),
              ],
            }),
          ],
        },
      ],
    });
    const bytes = await Packer.toBuffer(doc);
    const { format, preview } = await parseCatalogFile("目录.docx", bytes, documents);
    assert.equal(format, "docx");
    assert.equal(preview.title, "人社局主动公开基本目录");
    assert.deepEqual(
      preview.doc.items.map((i) => [i.name, i.children.map((c) => c.name)]),
      [
        ["财政信息", ["部门预算", "部门决算"]],
        ["人事信息", ["招聘公告"]],
      ],
    );
    const budget = byName(preview.doc.items, "部门预算");
    assert.deepEqual(budget.channels, ["政府网站", "两微一端"]);
    assert.deepEqual(budget.legalBasis, ["《预算法》第十四条"]);
    assert.equal(budget.remarks, "按年度");
    const final = byName(preview.doc.items, "部门决算");
    assert.deepEqual(final.legalBasis, ["《预算法》第十四条"]);
    assert.equal(final.deadlineText, "财政部门批复后20日内");
    assert.deepEqual(final.units, [{ name: "财务股", role: "lead" }]);
    // Every channel unticked: no channel.
    assert.deepEqual(byName(preview.doc.items, "招聘公告").channels, []);
  });
});

describe("import: bad files", () => {
  it("refuses a PDF and an old .xls by their bytes", async () => {
    await rejectsWith(
      parseCatalogFile("目录.pdf", Buffer.from("%PDF-1.7\n..."), documents),
      "catalog_import_unsupported_type",
      /PDF/,
    );
    await rejectsWith(
      parseCatalogFile(
        "目录.xls",
        Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
        documents,
      ),
      "catalog_import_unsupported_type",
      /另存为/,
    );
    await rejectsWith(
      parseCatalogFile("photo.png", Buffer.from("not really a png"), documents),
      "catalog_import_unsupported_type",
    );
  });

  it("refuses a broken xlsx (zip signature, junk inside) and a .xlsx that is not a zip", async () => {
    const broken = Buffer.concat([
      Buffer.from([0x50, 0x4b, 0x03, 0x04]),
      Buffer.from("xl/workbook.xml"),
      randomBytes(2000),
    ]);
    await rejectsWith(
      parseCatalogFile("broken.xlsx", broken, documents),
      "catalog_import_unreadable",
      /broken\.xlsx/,
    );
    await rejectsWith(
      parseCatalogFile("fake.xlsx", Buffer.from("序号,事项"), documents),
      "catalog_import_unreadable",
      /不是有效的 \.xlsx/,
    );
  });

  it("names the table when no header can be recognised", async () => {
    const csv = "姓名,电话\n张三,123\n李四,456\n";
    await rejectsWith(
      parseCatalogFile("people.csv", Buffer.from(csv), documents),
      "catalog_import_no_header",
      /people\.csv/,
    );
  });

  it("a header without rows is an empty catalog", async () => {
    await rejectsWith(
      parseCatalogFile("head.csv", Buffer.from("一级事项,二级事项,公开内容,公开时限\n"), documents),
      "catalog_import_empty",
    );
  });

  it("20 MB of junk: a clear error, not a crash", async () => {
    const junk = randomBytes(20 * 1024 * 1024);
    await rejectsWith(
      parseCatalogFile("junk.csv", junk, documents),
      "catalog_import_unreadable",
      /不是文本文件/,
    );
    await rejectsWith(
      parseCatalogFile("junk.csv", Buffer.alloc(20 * 1024 * 1024 + 1, 0x41), documents),
      "payload_too_large",
    );
  });

  it("invalid JSON names the problem", async () => {
    await rejectsWith(
      parseCatalogFile("c.json", Buffer.from("{ not json"), documents),
      "catalog_import_unreadable",
      /JSON/,
    );
    await rejectsWith(
      parseCatalogFile("c.json", Buffer.from(JSON.stringify({ items: [{ name: 1 }] })), documents),
      "catalog_import_unreadable",
      /items\[0\]\.name/,
    );
  });

  it("a CSV with a broken quote reports the line", async () => {
    const csv = '一级事项,二级事项,公开内容,公开时限\n机构,领导,"内容,实时公开\n';
    await rejectsWith(
      parseCatalogFile("q.csv", Buffer.from(csv), documents),
      "catalog_import_unreadable",
      /q\.csv/,
    );
  });
});

describe("import: commit is all or nothing", () => {
  it("a failure while storing leaves no version behind and the preview pending", async () => {
    const { db } = await createTestDatabase();
    const deps = { db, audit: testAudit() };
    const agency = await createAgency(db);
    const now = new Date("2026-03-16T02:00:00Z");
    const actor = systemActor("测试");
    const csv =
      "一级事项,二级事项,公开内容,公开时限,责任单位\n概况,机构,职责,实时公开,办公室\n概况,领导,姓名,实时公开,办公室\n";
    const preview = await previewImport(db, {
      documents,
      agencyId: agency.id,
      fileName: "a.csv",
      bytes: Buffer.from(csv),
      actor,
      now,
    });
    // Corrupt the stored document so that the second item violates a constraint (mode).
    const row = await db
      .selectFrom("catalog_imports")
      .select("doc")
      .where("id", "=", preview.importId)
      .executeTakeFirstOrThrow();
    const doc = row.doc as { items: { children: { mode: string }[] }[] };
    (doc.items[0]?.children[1] as { mode: string }).mode = "不存在的方式";
    await db
      .updateTable("catalog_imports")
      .set({ doc: JSON.stringify(doc) })
      .where("id", "=", preview.importId)
      .execute();
    await assert.rejects(commitImport(deps, { agencyId: agency.id, importId: preview.importId, actor, now }));
    assert.deepEqual(await listCatalogVersions(db, agency.id), []);
    const items = await db
      .selectFrom("catalog_items")
      .select("id")
      .where("agency_id", "=", agency.id)
      .execute();
    assert.equal(items.length, 0);
    const status = await db
      .selectFrom("catalog_imports")
      .select("status")
      .where("id", "=", preview.importId)
      .executeTakeFirstOrThrow();
    assert.equal(status.status, "pending");
    // Fixed, the same preview commits; a second commit of it is refused.
    (doc.items[0]?.children[1] as { mode: string }).mode = "主动";
    await db
      .updateTable("catalog_imports")
      .set({ doc: JSON.stringify(doc) })
      .where("id", "=", preview.importId)
      .execute();
    const version = await commitImport(deps, { agencyId: agency.id, importId: preview.importId, actor, now });
    const tree = await getCatalogVersion(db, agency.id, version.id);
    assert.deepEqual(tree.counts, { level1: 1, level2: 2, level3: 0, deeper: 0, elements: 2 });
    // The unit became a department of the agency.
    assert.equal(tree.items[0]?.children[0]?.units[0]?.name, "办公室");
    await rejectsWith(
      commitImport(deps, { agencyId: agency.id, importId: preview.importId, actor, now }),
      "catalog_import_not_found",
    );
    // A second import while a draft exists needs "replace draft".
    const again = await previewImport(db, {
      documents,
      agencyId: agency.id,
      fileName: "a.csv",
      bytes: Buffer.from(csv),
      actor,
      now,
    });
    await rejectsWith(
      commitImport(deps, { agencyId: agency.id, importId: again.importId, actor, now }),
      "catalog_draft_exists",
    );
  });
});

describe("import: departments follow the draft", () => {
  it("departments an import creates are removed when its draft is discarded; older ones stay", async () => {
    const deps = await createTestDeps();
    const db = deps.db;
    const agency = await createAgency(db);
    const now = new Date("2026-03-16T02:00:00Z");
    const actor = systemActor("测试");
    await ensureDepartments(db, agency.id, ["办公室"]);
    const csv =
      "一级事项,二级事项,公开内容,公开时限,责任单位\n概况,机构,职责,实时公开,办公室\n概况,领导,姓名,实时公开,新建股\n";
    const preview = await previewImport(db, {
      agencyId: agency.id,
      fileName: "a.csv",
      bytes: Buffer.from(csv),
      actor,
      now,
      documents,
    });
    const names = async () => (await listDepartments(db, agency.id)).map((d) => d.name).sort();
    assert.deepEqual(await names(), ["办公室"], "a preview creates no department");
    const version = await commitImport(deps, { agencyId: agency.id, importId: preview.importId, actor, now });
    assert.deepEqual(await names(), ["办公室", "新建股"]);
    await discardDraft(deps, { agencyId: agency.id, versionId: version.id, actor });
    assert.deepEqual(await names(), ["办公室"]);
  });
});
