/**
 * Records import files with characters PostgreSQL refuses (a NUL left in a cell by an old system's export, JSON's
 * "\u0000" and lone surrogate escapes): the dry run said the rows were fine, so --commit must store them, not
 * fail with PostgreSQL's “invalid byte sequence for encoding "UTF8": 0x00”.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createTestDeps } from "../../test/test-app.ts";
import { systemActor } from "../accounts/policy.ts";
import { getAgencyBySlug, seedDemoAgencies } from "../agencies/agency.service.ts";
import { seedDemoCatalogs } from "../catalog/catalog.seed.ts";
import { importRecords } from "./record-import.service.ts";

const deps = await createTestDeps();
await seedDemoAgencies(deps.db);
await seedDemoCatalogs(deps);
const agency = await getAgencyBySlug(deps.db, "zhongwei-hrss");

const commit = (fileName: string, text: string) =>
  importRecords(deps, {
    agencySlug: agency.slug,
    fileName,
    bytes: Buffer.from(text),
    defaultItem: "通知公告",
    commit: true,
    actor: systemActor("导入测试"),
  });

async function titles(prefix: string): Promise<string[]> {
  const rows = await deps.db
    .selectFrom("records")
    .select(["title", "body_text"])
    .where("agency_id", "=", agency.id)
    .where("index_no", "like", `${prefix}%`)
    .orderBy("index_no")
    .execute();
  return rows.map((r) => `${r.title}|${r.body_text}`);
}

describe("records import: characters PostgreSQL refuses", () => {
  it("a CSV with a NUL character in a title is committed without it", async () => {
    // One NUL in a file of some size (a file of more than 1 % control bytes is refused as not text).
    const body = `<p>${"根据有关规定，现将就业补贴发放事项通知如下。".repeat(10)}</p>`;
    const csv = `索引号,标题,发布日期,成文日期,正文\nNUL-001,关于\u0000就业补贴的通知,2021-05-08,2021-05-06,${body}\n`;
    const result = await commit("nul.csv", csv);
    assert.deepEqual(result.errors, []);
    assert.equal(result.imported, 1);
    assert.deepEqual(
      (await titles("NUL-")).map((t) => t.split("|")[0]),
      ["关于就业补贴的通知"],
    );
  });

  it("a JSON file with \\u0000 and lone surrogate escapes is committed with them cleaned", async () => {
    const json = String.raw`[{"索引号":"ESC-001","标题":"通知\u0000甲\ud800","发布日期":"2021-05-08","成文日期":"2021-05-06","正文":"<p>x\udc00</p>"}]`;
    const result = await commit("esc.json", json);
    assert.deepEqual(result.errors, []);
    assert.equal(result.imported, 1);
    assert.deepEqual(await titles("ESC-"), ["通知甲\ufffd|x\ufffd"]);
  });
});
