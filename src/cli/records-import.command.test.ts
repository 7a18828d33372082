import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import ExcelJS from "exceljs";
import { sql } from "kysely";
import { testAudit } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { getAgencyBySlug, seedDemoAgencies } from "../agencies/agency.service.ts";
import { listPublishedItems } from "../catalog/catalog.read.ts";
import { seedDemoCatalogs } from "../catalog/catalog.seed.ts";
import { parseSearchParams, runSearch } from "../portal/search.service.ts";
import { captureIo, cliEnv } from "./cli.fixtures.ts";
import { main } from "./main.ts";

const HEADER = ["索引号", "标题", "文号", "发布日期", "成文日期", "目录事项", "关键词", "有效性", "正文"];

function csvOf(rows: string[][]): string {
  return `${rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(",")).join("\r\n")}\r\n`;
}

describe("gongkai records import", async () => {
  const { db, url } = await createTestDatabase();
  await seedDemoAgencies(db);
  await seedDemoCatalogs({
    db,
    audit: testAudit(),
    clock: { now: () => new Date("2026-03-16T02:00:00Z"), today: () => "2026-03-16" },
  });
  const agency = await getAgencyBySlug(db, "zhongwei-hrss");
  const items = await listPublishedItems(db, agency.id);
  const leaf = items.find((i) => i.isLeaf) ?? items[0];
  assert.ok(leaf);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-cli-records-import-"));
  const env = cliEnv(url, dir);
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: string | Buffer) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  };
  const run = async (...argv: string[]) => {
    const io = captureIo();
    const code = await main(["records", "import", ...argv], io, env);
    return { code, out: io.stdout.text, err: io.stderr.text };
  };
  const count = async (prefix: string) =>
    Number(
      (
        await sql<{ n: string }>`SELECT count(*) AS n FROM records WHERE agency_id = ${agency.id}
          AND index_no LIKE ${`${prefix}%`}`.execute(db)
      ).rows[0]?.n,
    );

  it("csv: a dry run shows the rows and writes nothing; --commit writes them searchable, audited", async () => {
    const file = write(
      "history.csv",
      csvOf([
        HEADER,
        [
          "IMP-CSV-0001",
          "关于做好2019年度失业保险稳岗返还工作的通知",
          "中卫人社发〔2019〕12号",
          "2019/3/5",
          "2019年3月1日",
          leaf.name,
          "失业保险、稳岗",
          "有效",
          "各县（区）人社局：\n\n现将稳岗返还有关事项通知如下。",
        ],
        [
          "IMP-CSV-0002",
          "2020年就业见习基地名单公示",
          "",
          "2020-07-01",
          "",
          leaf.path.join(" / "),
          "",
          "",
          "公示内容……",
        ],
        ["", "", "", "", "", "", "", "", ""],
      ]),
    );
    const dry = await run(file, "--agency", "zhongwei-hrss");
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /可导入2条，有问题0行，空行1行/);
    assert.match(dry.out, /第2行｜IMP-CSV-0001｜2019-03-05｜关于做好2019年度失业保险稳岗返还工作的通知/);
    assert.match(dry.out, /试运行：未写入任何信息/);
    assert.equal(await count("IMP-CSV-"), 0);

    const done = await run(file, "--agency", "zhongwei-hrss", "--commit");
    assert.equal(done.code, 0, done.err);
    assert.match(done.out, /已导入2条已发布信息（审计记录 #\d+）/);
    const row = await db
      .selectFrom("records")
      .selectAll()
      .where("agency_id", "=", agency.id)
      .where("index_no", "=", "IMP-CSV-0001")
      .executeTakeFirstOrThrow();
    assert.equal(row.status, "published");
    const revision = await db
      .selectFrom("record_revisions")
      .select(["revision_no", "status", "content", "body_text"])
      .where("agency_id", "=", agency.id)
      .where("record_id", "=", row.id)
      .executeTakeFirstOrThrow();
    assert.equal(revision.revision_no, row.current_revision_no);
    assert.equal(revision.status, "published");
    assert.equal((revision.content as { title: string }).title, row.title);
    assert.equal((revision.content as { itemId: string }).itemId, leaf.id);
    assert.equal(revision.body_text, row.body_text);
    assert.equal(row.item_id, leaf.id);
    const dates = await sql<{ f: string; p: string }>`SELECT formed_date::text AS f, published_date::text AS p
      FROM records WHERE agency_id = ${agency.id} AND index_no = 'IMP-CSV-0001'`.execute(db);
    assert.deepEqual(dates.rows[0], { f: "2019-03-01", p: "2019-03-05" });
    assert.deepEqual(row.keywords, ["失业保险", "稳岗"]);
    assert.match(row.body_html, /<p>各县（区）人社局：<\/p>/);
    assert.equal(String(row.body_text).includes("现将稳岗返还有关事项通知如下"), true);
    // The search columns the bulk path wrote equal what the trigger computes for an ordinary write.
    const before = await sql<{ t: string; h: string; g: number[] }>`
      SELECT search_text AS t, search_head AS h, search_grams AS g FROM records
      WHERE agency_id = ${agency.id} AND index_no LIKE 'IMP-CSV-%' ORDER BY index_no`.execute(db);
    await sql`UPDATE records SET search_text = NULL WHERE agency_id = ${agency.id} AND index_no LIKE 'IMP-CSV-%'`.execute(
      db,
    );
    const recomputed = await sql<{ t: string; h: string; g: number[] }>`
      SELECT search_text AS t, search_head AS h, search_grams AS g FROM records
      WHERE agency_id = ${agency.id} AND index_no LIKE 'IMP-CSV-%' ORDER BY index_no`.execute(db);
    assert.deepEqual(
      before.rows.map((r) => ({ ...r, g: [...r.g].sort((a, b) => a - b) })),
      recomputed.rows.map((r) => ({ ...r, g: [...r.g].sort((a, b) => a - b) })),
    );
    const found = await runSearch(db, parseSearchParams({ q: "稳岗返还" }), agency);
    assert.ok(found.hits.some((h) => String(h.title).includes("稳岗返还")));
    const audit = await db
      .selectFrom("audit_events")
      .select(["action", "summary"])
      .where("action", "=", "record.import")
      .execute();
    assert.equal(audit.length, 1);
    assert.match(audit[0]?.summary ?? "", /批量导入已发布信息2条（history\.csv）/);

    // Importing the same file again: every 索引号 is taken, nothing is written.
    const again = await run(file, "--agency", "zhongwei-hrss", "--commit");
    assert.equal(again.code, 1);
    assert.match(again.out, /第2行（索引号 IMP-CSV-0001）：索引号“IMP-CSV-0001”已被本机关的其他信息使用/);
    assert.match(again.out, /未导入任何信息/);
    assert.equal(await count("IMP-CSV-"), 2);
  });

  it("bad rows: every problem of every row in Chinese, and nothing is imported", async () => {
    const file = write(
      "bad.csv",
      csvOf([
        HEADER,
        ["IMP-BAD-1", "", "", "2019-02-30", "", leaf.name, "", "作废", "正文"],
        ["IMP-BAD-2", "标题二", "", "2030-01-01", "", "没有这个事项", "", "", ""],
        ["IMP-BAD-3", "标题三", "", "2020-01-02", "2020-02-01", leaf.name, "", "", "正文"],
        ["IMP-BAD-3", "标题四", "", "2020-01-02", "", leaf.name, "", "", "正文"],
        ["IMP-BAD-5", "标题五", "", "2020-01-02", "", leaf.name, "", "", "正文"],
      ]),
    );
    const r = await run(file, "--agency", "zhongwei-hrss", "--commit");
    assert.equal(r.code, 1);
    for (const line of [
      "第2行（索引号 IMP-BAD-1）：标题为空",
      "第2行（索引号 IMP-BAD-1）：发布日期“2019-02-30”不是有效日期",
      "第2行（索引号 IMP-BAD-1）：有效性“作废”只能是有效、失效或废止",
      "第3行（索引号 IMP-BAD-2）：发布日期2030-01-01晚于今天",
      "第3行（索引号 IMP-BAD-2）：目录事项“没有这个事项”不在本机关已发布的目录中",
      "第3行（索引号 IMP-BAD-2）：正文为空",
      "第4行（索引号 IMP-BAD-3）：成文日期2020-02-01晚于发布日期2020-01-02",
      "第5行（索引号 IMP-BAD-3）：索引号“IMP-BAD-3”与第4行重复",
    ])
      assert.ok(r.out.includes(line), `${line}\n${r.out}`);
    assert.match(r.out, /可导入1条，有问题4行/);
    assert.equal(await count("IMP-BAD-"), 0);
  });

  it("wrong agency: unknown slug, and rows of another agency", async () => {
    const file = write(
      "other.csv",
      csvOf([
        ["机关", ...HEADER],
        ["qi-hrss", "IMP-OTHER-1", "标题", "", "2020-01-02", "", leaf.name, "", "", "正文"],
        [agency.name, "IMP-OTHER-2", "标题", "", "2020-01-02", "", leaf.name, "", "", "正文"],
      ]),
    );
    const unknown = await run(file, "--agency", "no-such-agency");
    assert.equal(unknown.code, 1, unknown.out + unknown.err);
    assert.match(unknown.err, /未找到标识为“no-such-agency”的机关/);
    const r = await run(file, "--agency", "zhongwei-hrss", "--commit");
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /第2行（索引号 IMP-OTHER-1）：本行属于其他机关（“qi-hrss”）/);
    assert.doesNotMatch(r.out, /第3行（/);
    assert.match(r.out, /可导入1条，有问题1行/);
    assert.equal(await count("IMP-OTHER-"), 0);
  });

  it("xlsx and json (Gongkai's own export column names) import; missing columns and other types are refused", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("2021年");
    ws.addRow(["中卫市人社局 2021 年公开信息"]);
    ws.addRow(HEADER);
    ws.addRow([
      "IMP-XLSX-1",
      "2021年第一季度就业形势分析",
      "",
      new Date("2021-04-02T00:00:00Z"),
      "",
      leaf.name,
      "",
      "",
      "<p>就业形势<script>alert(1)</script>总体稳定。</p>",
    ]);
    const xlsx = write("history.xlsx", Buffer.from(await wb.xlsx.writeBuffer()));
    const x = await run(xlsx, "--agency", "zhongwei-hrss", "--commit");
    assert.equal(x.code, 0, x.out + x.err);
    assert.match(x.out, /工作表“2021年”/);
    const body = await db
      .selectFrom("records")
      .select(["body_html", "published_date"])
      .where("agency_id", "=", agency.id)
      .where("index_no", "=", "IMP-XLSX-1")
      .executeTakeFirstOrThrow();
    assert.doesNotMatch(body.body_html, /script/);

    const json = write(
      "export.json",
      JSON.stringify([
        {
          agency_id: agency.id,
          index_no: "IMP-JSON-1",
          title: "政策解读：稳岗返还",
          published_date: "2022-05-06",
          catalog_item_id: leaf.id,
          keywords: ["稳岗", "解读"],
          body_text: "解读正文",
          body_html: "<p>解读正文</p>",
          record_id: "ignored",
        },
      ]),
    );
    const j = await run(json, "--agency", "zhongwei-hrss", "--commit", "--json");
    assert.equal(j.code, 0, j.out + j.err);
    const out = JSON.parse(j.out);
    assert.equal(out.imported, 1);
    assert.deepEqual(out.ignoredColumns, ["record_id"]);

    const noBody = write(
      "nobody.csv",
      csvOf([
        ["索引号", "标题", "发布日期"],
        ["X", "Y", "2020-01-01"],
      ]),
    );
    const m = await run(noBody, "--agency", "zhongwei-hrss");
    assert.equal(m.code, 1);
    assert.match(m.err, /缺少必需的列：目录事项、正文/);
    const pdf = write("history.pdf", "%PDF-1.4\n");
    const p = await run(pdf, "--agency", "zhongwei-hrss");
    assert.equal(p.code, 1);
    assert.match(p.err, /请导入 \.xlsx、\.csv、\.tsv 或 \.json 文件/);
    const usage = await run("--agency", "zhongwei-hrss");
    assert.equal(usage.code, 2);
  });

  it("--item files every row of a CMS export without 目录事项 under one item; skipped rows are listed", async () => {
    const file = write(
      "cms.csv",
      csvOf([
        ["政府信息公开目录"],
        ["序号", "信息索引号", "信息名称", "公开日期", "时效性", "信息内容"],
        ["1", "IMP-ITEM-1", "关于2019年度就业见习的通知", "2019-03-05 00:00:00.0", "现行有效", "正文"],
        ["2", "IMP-ITEM-2", "关于2019年度技能培训补贴的通知", "2019-04-01", "已修改", "正文"],
        ["3", "", "", "", "", ""],
        ["合计：共2条", "", "", "", "", ""],
      ]),
    );
    const missing = await run(file, "--agency", "zhongwei-hrss");
    assert.equal(missing.code, 1);
    assert.match(missing.err, /缺少必需的列：目录事项.*（--item）/);
    const bad = await run(file, "--agency", "zhongwei-hrss", "--item", "没有这个事项");
    assert.equal(bad.code, 1);
    assert.match(bad.err, /指定的默认目录事项无效：目录事项“没有这个事项”不在本机关已发布的目录中/);
    const unmapped = await run(file, "--agency", "zhongwei-hrss", "--item", leaf.id);
    assert.equal(unmapped.code, 1);
    assert.match(unmapped.out, /第4行（索引号 IMP-ITEM-2）：有效性“已修改”只能是有效、失效或废止/);
    assert.match(unmapped.out, /提示：文件特有的有效性写法可整体指定其含义，如 --validity 已修改=有效/);
    const r = await run(
      file,
      "--agency",
      "zhongwei-hrss",
      "--item",
      leaf.path.join(" / "),
      "--validity",
      "已修改=有效",
      "--commit",
    );
    assert.equal(r.code, 0, r.out + r.err);
    assert.ok(r.out.includes(`未填目录事项的信息归入：${leaf.path.join(" / ")}`), r.out);
    assert.match(
      r.out,
      /读取的列：信息索引号→索引号、信息名称→标题、公开日期→发布日期、时效性→有效性、信息内容→正文/,
    );
    assert.match(r.out, /可导入2条，有问题0行，空行1行（跳过），非信息行1行（跳过）/);
    assert.match(r.out, /跳过第6行（说明行）：合计：共2条/);
    assert.match(r.out, /已导入2条已发布信息/);
    const row = await db
      .selectFrom("records")
      .select(["item_id", "validity"])
      .where("agency_id", "=", agency.id)
      .where("index_no", "=", "IMP-ITEM-1")
      .executeTakeFirstOrThrow();
    assert.equal(row.item_id, leaf.id);
    assert.equal(row.validity, "有效");
    const none = await run(
      write(
        "none.csv",
        csvOf([
          ["索引号", "标题", "发布日期", "正文"],
          ["合计：共0条", "", "", ""],
        ]),
      ),
      "--agency",
      "zhongwei-hrss",
      "--item",
      leaf.id,
      "--commit",
    );
    assert.equal(none.code, 1);
    assert.match(none.out, /文件中没有可导入的信息，未写入任何信息。/);
    const noItem = await run(
      write(
        "noitem.csv",
        csvOf([HEADER, ["IMP-NOITEM-1", "标题", "", "2020-01-02", "", "", "", "", "正文"]]),
      ),
      "--agency",
      "zhongwei-hrss",
    );
    assert.equal(noItem.code, 1);
    assert.match(noItem.out, /目录事项为空[\s\S]*提示：未填目录事项的信息可用 --item 指定一个目录事项/);
    const helpIo = captureIo();
    assert.equal(await main(["records", "import", "--help"], helpIo, env), 0);
    assert.match(helpIo.stdout.text, /--item {2}文件中未填“目录事项”的信息归入的目录事项/);
  });
});
