import assert from "node:assert/strict";
import { describe, it } from "node:test";
import ExcelJS from "exceljs";
import { sql } from "kysely";
import { createTestDeps } from "../../test/test-app.ts";
import { systemActor } from "../accounts/policy.ts";
import { getAgencyBySlug, seedDemoAgencies } from "../agencies/agency.service.ts";
import { listPublishedItems } from "../catalog/catalog.read.ts";
import { seedDemoCatalogs } from "../catalog/catalog.seed.ts";
import { AppError } from "../errors.ts";
import { cmsWorkbook, importFixture, LONG_BODY } from "./record-import.fixtures.ts";
import { importRecords, type RecordImportInput } from "./record-import.service.ts";

const ACTOR = systemActor("导入测试");

describe("records import of other systems' exports (real PostgreSQL)", async () => {
  const deps = await createTestDeps();
  const { db } = deps;
  await seedDemoAgencies(db);
  await seedDemoCatalogs(deps);
  const agency = await getAgencyBySlug(db, "zhongwei-hrss");
  const items = await listPublishedItems(db, agency.id);
  const itemNamed = (name: string) => {
    const hit = items.filter((i) => i.name === name);
    assert.equal(hit.length, 1, `one published item named ${name}`);
    return hit[0] as (typeof items)[number];
  };
  const notices = itemNamed("通知公告");
  const normative = itemNamed("规范性文件");
  const departmental = itemNamed("部门文件");

  const run = (
    fileName: string,
    bytes: Uint8Array,
    more: Partial<RecordImportInput> & { commit?: boolean } = {},
  ) =>
    importRecords(deps, {
      agencySlug: "zhongwei-hrss",
      fileName,
      bytes,
      commit: false,
      actor: ACTOR,
      ...more,
    });
  const stored = async (prefix: string) =>
    (
      await sql<{
        index_no: string;
        title: string;
        doc_number: string;
        issuing_agency: string;
        formed_date: string;
        published_date: string;
        validity: string | null;
        item_id: string;
        body_html: string;
        body_text: string;
      }>`SELECT index_no, title, doc_number, issuing_agency, formed_date::text, published_date::text, validity, item_id,
          body_html, body_text FROM records WHERE agency_id = ${agency.id} AND index_no LIKE ${`${prefix}%`}
          ORDER BY index_no`.execute(db)
    ).rows;
  const refused = async (p: Promise<unknown>, code: string, message: RegExp) =>
    assert.rejects(p, (e: unknown) => {
      assert.ok(e instanceof AppError, String(e));
      assert.equal(e.code, code);
      assert.match(e.message, message);
      return true;
    });

  it("a TRS export saved by Excel as GB18030 CSV: title rows, 序号, notes, Java timestamps, --item for the whole file", async () => {
    const bytes = importFixture("trs-export-gb18030.csv");
    await refused(
      run("trs.csv", bytes),
      "record_import_no_header",
      /缺少必需的列：目录事项（表头：序号、信息索引号、信息名称.*可为整个文件指定一个目录事项（--item）/,
    );
    await refused(
      run("trs.csv", bytes, { defaultItem: "没有这个事项" }),
      "record_import_item_invalid",
      /指定的默认目录事项无效：目录事项“没有这个事项”不在本机关已发布的目录中/,
    );
    const dry = await run("trs.csv", bytes, { defaultItem: "通知公告" });
    assert.deepEqual(dry.errors, []);
    assert.equal(dry.emptyRows, 2, "the blank row and the row of only a 序号");
    assert.deepEqual(
      dry.skipped.map((s) => [s.row, s.reason, s.text.slice(0, 6)]),
      [
        [10, "说明行", "合计：共3条"],
        [11, "说明行", "说明：本目录"],
      ],
    );
    assert.deepEqual(dry.defaultItem, notices.path);
    assert.equal(dry.imported, 0);
    const done = await run("trs.csv", bytes, { defaultItem: "通知公告", commit: true });
    assert.equal(done.imported, 3);
    const rows = await stored("640500-RS/20");
    assert.deepEqual(
      rows.map((r) => [r.index_no, r.doc_number, r.formed_date, r.published_date, r.validity, r.item_id]),
      [
        ["640500-RS/2019-00031", "中卫人社发〔2019〕12号", "2019-03-01", "2019-03-05", "有效", notices.id],
        ["640500-RS/2019-00047", "", "2019-06-28", "2019-06-28", "失效", notices.id],
        ["640500-RS/2020-00012", "中卫人社规〔2020〕1号", "2020-01-20", "2020-02-03", "废止", notices.id],
      ],
    );
    assert.equal(rows[2]?.title, "关于印发《中卫市䶮华社区就业援助实施办法》的通知", "GB18030, not only GBK");
    assert.equal(rows[2]?.issuing_agency, agency.name, "an empty 发布机构 is the agency");
    // A body exported with its markup escaped is HTML, not text showing “<p>”.
    assert.equal(rows[1]?.body_html, "<p>经单位申报、审核，现将名单公示如下。</p><p>公示期：5个工作日。</p>");

    const again = await run("trs.csv", bytes, { defaultItem: "通知公告", commit: true });
    assert.equal(again.imported, 0);
    assert.equal(again.errors.length, 3);
    assert.match(again.errors[0]?.messages[0] ?? "", /已被本机关的其他信息使用/);
  });

  it("Hanweb UTF-8 with BOM, Excel “Unicode 文本” (UTF-16, tabs, section headings), a two-row header, an HTML table named .xls", async () => {
    const hanweb = await run("hanweb.csv", importFixture("hanweb-export-utf8-bom.csv"), {
      defaultItem: normative.path.join(" / "),
      commit: true,
    });
    assert.deepEqual(hanweb.errors, []);
    assert.equal(hanweb.imported, 2);
    const h = await stored("640500-RS/2021-");
    assert.deepEqual(
      h.map((r) => [r.formed_date, r.published_date, r.validity]),
      [
        ["2021-05-06", "2021-05-08", "有效"],
        ["2021-06-30", "2021-07-01", null],
      ],
    );
    assert.doesNotMatch(h[0]?.body_html ?? "", /script|alert/);
    assert.match(h[1]?.body_html ?? "", /<table>/);

    // The same text as UTF-16BE with its BOM (some Mac and Java tools write it) reads the same.
    const le = importFixture("excel-unicode-text.txt");
    const be = Buffer.from(le);
    be.swap16();
    const beRead = await run("目录.txt", be);
    assert.deepEqual(beRead.errors, []);
    assert.equal(beRead.records.length, 3);
    const unicode = await run("目录.txt", le, { commit: true });
    assert.deepEqual(unicode.errors, []);
    assert.deepEqual(
      unicode.skipped.map((s) => s.reason),
      [
        `分组标题行：其下未填目录事项的信息归入“${normative.path.join(" / ")}”`,
        `分组标题行：其下未填目录事项的信息归入“${notices.path.join(" / ")}”`,
      ],
    );
    assert.deepEqual(
      (await stored("ZW-HAND-")).map((r) => [r.index_no, r.published_date, r.item_id]),
      [
        ["ZW-HAND-2022-001", "2022-05-06", normative.id],
        ["ZW-HAND-2022-002", "2022-07-15", notices.id],
        ["ZW-HAND-2022-003", "2022-08-01", departmental.id],
      ],
    );

    const two = await run("two.csv", importFixture("two-row-header-utf8.csv"), { commit: true });
    assert.deepEqual(two.errors, []);
    assert.deepEqual(
      (await stored("ZW-TWO-")).map((r) => [r.formed_date, r.published_date, r.doc_number]),
      [
        ["2023-04-06", "2023-04-10", ""],
        ["2023-05-06", "2023-05-06", "中卫人社发〔2023〕9号"],
      ],
    );

    const html = await run("目录导出.xls", importFixture("cms-html-table.xls"), {
      defaultItem: "通知公告",
      commit: true,
    });
    assert.equal(html.format, "html");
    assert.deepEqual(html.errors, []);
    assert.deepEqual(html.ignoredSheets, [], "a table inside a cell is part of that cell");
    assert.equal(html.records.length, 2);
    assert.match(html.records[1]?.bodyText ?? "", /一类区\s*2050元/);
    // The cell's markup is the body: its table stays a table.
    assert.match(html.records[1]?.bodyHtml ?? "", /<table><tr><td>一类区<\/td><td>2050元<\/td><\/tr>/);
    assert.deepEqual(
      (await stored("ZW-HTML-")).map((r) => [r.published_date, r.validity, r.issuing_agency]),
      [
        ["2024-03-05", "有效", "中卫市人力资源和社会保障局"],
        ["2024-04-01", "失效", "中卫市人力资源和社会保障局"],
      ],
    );
  });

  it("an .xlsx as CMSs write it: shared, inline and rich strings, formulas, date serials, two sheets of records", async () => {
    const r = await run("目录.xlsx", cmsWorkbook(), { defaultItem: "通知公告", commit: true });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.ignoredSheets, ["说明"]);
    assert.equal(r.table, "2019年、2020年");
    assert.equal(r.emptyRows, 1);
    assert.deepEqual(
      r.skipped.map((s) => [s.sheet, s.row, s.reason]),
      [["2019年", 7, "说明行"]],
    );
    const rows = await stored("XL-");
    assert.deepEqual(
      rows.map((x) => [x.index_no, x.title, x.formed_date, x.published_date, x.validity]),
      [
        ["XL-2019-001", "关于做好2019年度失业保险稳岗返还工作的通知", "2019-02-28", "2019-03-01", "有效"],
        ["XL-2019-002", "关于印发《就业见习管理办法》的通知", "2019-03-26", "2019-04-05", "废止"],
        ["XL-2020-001", "关于进一步做好稳就业工作的通知", "2020-03-02", "2020-03-02", null],
      ],
    );
    assert.equal(rows[2]?.body_text, LONG_BODY, "a 20,000-character cell is kept whole");
  });

  it("a title written as a hyperlink with rich text (a CMS's link to the page) reads as its text", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("目录");
    ws.addRow(["索引号", "标题", "发布日期", "正文"]);
    ws.addRow([
      "ZW-LINK-1",
      {
        text: { richText: [{ text: "关于" }, { font: { bold: true }, text: "公布就业见习单位的通知" }] },
        hyperlink: "http://www.example.gov.cn/art/2021/3/1/art_1.html",
      },
      "2021-03-01",
      "正文",
    ]);
    const r = await run("link.xlsx", Buffer.from(await wb.xlsx.writeBuffer()), { defaultItem: "通知公告" });
    assert.deepEqual(r.errors, []);
    assert.equal(r.records[0]?.title, "关于公布就业见习单位的通知");
  });

  it("a sheet formatted far below its last record (styled empty rows) is read up to its last value", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("目录");
    ws.addRow(["索引号", "标题", "发布日期", "正文"]);
    ws.addRow(["ZW-STYLE-1", "关于做好2021年高校毕业生就业工作的通知", "2021-05-06", "正文"]);
    for (const n of [3, 30_000, 65_536]) ws.getRow(n).getCell(2).numFmt = "@"; // formatted, no value
    const r = await run("styled.xlsx", Buffer.from(await wb.xlsx.writeBuffer()), { defaultItem: "通知公告" });
    assert.deepEqual(r.errors, []);
    assert.equal(r.records.length, 1);
    assert.equal(r.rows, 1);
  });

  it("rows it cannot take: every reason in Chinese, nothing written even with --commit", async () => {
    const r = await run("bad.csv", importFixture("bad-rows-utf8.csv"), { commit: true });
    assert.equal(r.imported, 0);
    assert.deepEqual(
      r.errors.map((e) => [e.row, e.messages.map((m) => m.replace(/[：（].*$/, ""))]),
      [
        [2, ["公开方式为“依申请公开”"]],
        [3, ["有效性“部分失效”只能是有效、失效或废止"]],
        [4, ["发布日期“2020年2月30日”不是有效日期"]],
        [5, ["标题为空", "正文为空"]],
        [6, ["标题不能超过300个字"]],
        [7, ["索引号“ZW-BAD-005”与第6行重复"]],
        [8, ["成文日期2020-03-01晚于发布日期2020-01-02"]],
      ],
    );
    assert.equal((await stored("ZW-BAD-")).length, 0);
    // The user says what the file's 部分失效 means: that row is no longer refused for it.
    const mapped = await run("bad.csv", importFixture("bad-rows-utf8.csv"), {
      validityWords: "部分失效=有效",
    });
    assert.deepEqual(
      mapped.records.map((x) => [x.indexNo, x.validity]),
      [["ZW-BAD-002", "有效"]],
    );
    await refused(
      run("bad.csv", importFixture("bad-rows-utf8.csv"), { validityWords: "部分失效=作废" }),
      "record_import_option_invalid",
      /有效性对应“部分失效=作废”应写作“文件中的词=有效”/,
    );

    const json = await run(
      "export.json",
      Buffer.from(
        JSON.stringify({
          records: [
            { 索引号: "ZW-JSON-1", 标题: "一", 发布日期: "2020-01-02", 目录事项: "通知公告", 正文: "正文" },
            "不是对象",
          ],
        }),
      ),
      { commit: true },
    );
    assert.deepEqual(json.errors, [
      { row: 2, indexNo: "", messages: ['第2项不是对象（应为 {"索引号": …, "标题": …} 形式）'] },
    ]);
    assert.equal((await stored("ZW-JSON-")).length, 0);
  });

  it("a write that fails half-way leaves nothing: no record, no revision, no audit event", async () => {
    // The database refuses the second row during the COPY (as a constraint or a full disk would).
    await sql`CREATE FUNCTION test_refuse_import() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.index_no = 'ZW-HALF-2' THEN RAISE EXCEPTION 'refused by test'; END IF; RETURN NEW; END $$`.execute(
      db,
    );
    await sql`CREATE TRIGGER test_refuse_import BEFORE INSERT ON records FOR EACH ROW EXECUTE FUNCTION test_refuse_import()`.execute(
      db,
    );
    try {
      const audits = async () =>
        Number(
          (
            await sql<{
              n: string;
            }>`SELECT count(*) AS n FROM audit_events WHERE action = 'record.import'`.execute(db)
          ).rows[0]?.n,
        );
      const before = await audits();
      const file = Buffer.from(
        "索引号,标题,发布日期,目录事项,正文\r\nZW-HALF-1,一,2020-01-02,通知公告,正文\r\nZW-HALF-2,二,2020-01-03,通知公告,正文\r\n",
      );
      await assert.rejects(run("half.csv", file, { commit: true }), /refused by test/);
      assert.equal((await stored("ZW-HALF-")).length, 0);
      const revisions = await sql<{ n: string }>`SELECT count(*) AS n FROM record_revisions
        WHERE change_note = '批量导入（half.csv）'`.execute(db);
      assert.equal(Number(revisions.rows[0]?.n), 0);
      assert.equal(await audits(), before);
    } finally {
      await sql`DROP TRIGGER test_refuse_import ON records`.execute(db);
      await sql`DROP FUNCTION test_refuse_import()`.execute(db);
    }
  });

  it("files it cannot read are refused with the reason, before anything is written", async () => {
    const ole = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(512),
    ]);
    await refused(
      run("目录.xls", ole),
      "record_import_unsupported_type",
      /旧版 Excel（\.xls）文件：请.*另存为 \.xlsx/,
    );
    await refused(
      run(
        "目录.xls",
        Buffer.from(
          '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
        ),
      ),
      "record_import_unsupported_type",
      /Excel 2003 XML 表格/,
    );
    await refused(
      run(
        "a.csv",
        Buffer.from('索引号,标题,发布日期,目录事项,正文\r\nA,"未闭合,2020-01-01,通知公告,正文\r\n'),
      ),
      "record_import_unreadable",
      /引号未闭合/,
    );
    await refused(
      run("list.csv", Buffer.from("索引号,标题,发布日期,链接\r\nA,B,2020-01-01,http://x\r\n"), {
        defaultItem: "通知公告",
      }),
      "record_import_no_header",
      /缺少必需的列：正文.*信息公开目录的清单导出通常不含正文/,
    );
  });
});
