/**
 * Catalog files with characters PostgreSQL refuses (a NUL left in a cell by an old system's export, JSON's lone
 * surrogate escapes): the preview is stored and committed, not refused with a bare invalid_input page.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { createAgency } from "../../test/factories.ts";
import { testAudit } from "../../test/test-app.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { systemActor } from "../accounts/policy.ts";
import { createDocumentPool } from "../documents/document-pool.ts";
import { walkItems } from "./catalog.model.ts";
import { commitImport, previewImport } from "./catalog-import.service.ts";

const documents = createDocumentPool();
after(() => documents.close());
const { db } = await createTestDatabase();
const agency = await createAgency(db);
const actor = systemActor("测试");
const now = new Date("2026-03-16T02:00:00Z");

async function importAndCommit(fileName: string, bytes: Buffer): Promise<string[]> {
  const preview = await previewImport(db, { documents, agencyId: agency.id, fileName, bytes, actor, now });
  const version = await commitImport(
    { db, audit: testAudit() },
    { agencyId: agency.id, importId: preview.importId, actor, now, replaceDraft: true },
  );
  const items = await db
    .selectFrom("catalog_items")
    .select("name")
    .where("version_id", "=", version.id)
    .execute();
  assert.ok(preview.preview.doc.items.length > 0);
  assert.ok([...walkItems(preview.preview.doc.items)].length > 0);
  return items.map((i) => i.name).sort();
}

describe("catalog import: characters PostgreSQL refuses", () => {
  it("a CSV with a NUL in a cell is imported without it", async () => {
    const csv = "一级事项,二级事项,公开内容,公开时限,责任单位\n概况,机构\u0000职责,职责,实时公开,办公室\n";
    assert.deepEqual(await importAndCommit("nul.csv", Buffer.from(csv)), ["机构职责", "概况"]);
  });

  it("a JSON export with \\u0000 and a lone surrogate escaped is imported with them cleaned", async () => {
    const json = JSON.stringify({
      title: "目录",
      items: [{ name: "概况\\u0000", children: [{ name: "机构\\ud800", deadlineText: "实时公开" }] }],
    }).replaceAll("\\\\", "\\");
    assert.deepEqual(await importAndCommit("esc.json", Buffer.from(json)), ["机构\ufffd", "概况"]);
  });
});
