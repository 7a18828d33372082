import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { signIn } from "../../test/auth.ts";
import { createAgency, createUser, type TestUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { fixedClock } from "../shared/clock.ts";
import {
  interpretableDocumentsByIds,
  PICKER_LIMIT,
  searchInterpretableDocuments,
} from "./interpretation-picker.read.ts";
import { pickerSearchRequested } from "./interpretation-picker.routes.ts";
import { bulkTestRecord } from "./publishing.fixtures.ts";
import { type BulkRecord, bulkLoadPublishedRecords } from "./record-bulk.ts";

const { app, db } = await createTestApp({ clock: fixedClock("2026-03-16T10:00:00+08:00") });
const agency = await createAgency(db, { name: "测试县人力资源和社会保障局" });
const other = await createAgency(db, { name: "测试县财政局" });

const TOPICS = ["养老保险", "就业补贴", "工伤认定", "人才引进", "劳动仲裁"];
/** A large agency: 3,000 published documents (and 解读 of some), newest on 2026-03-15. */
function documents(agencyId: string, n: number, prefix: string): BulkRecord[] {
  return Array.from({ length: n }, (_, i) =>
    bulkTestRecord(agencyId, {
      kind: i % 10 === 9 ? "interpretation" : "document",
      indexNo: `${prefix}/2026-${String(i + 1).padStart(5, "0")}`,
      title: `关于${TOPICS[i % TOPICS.length]}工作的通知（第${i + 1}号）`,
      docNumber: i % 2 ? `测人社发〔2026〕${i + 1}号` : "",
      publishedDate: new Date(Date.UTC(2026, 2, 15) - i * 86_400_000).toISOString().slice(0, 10),
      bodyHtml: "<p>正文</p>",
      bodyText: "正文",
    }),
  );
}
await bulkLoadPublishedRecords(db, [documents(agency.id, 3000, "A"), documents(other.id, 50, "B")], {
  workers: 0,
});
const editor = await createUser(db, { roles: ["editor"], agencyId: agency.id });

describe("searchInterpretableDocuments (3,000 published records)", () => {
  it("finds by title, newest first, at most PICKER_LIMIT, documents of the agency only", async () => {
    const r = await searchInterpretableDocuments(db, agency.id, "工伤认定");
    assert.equal(r.documents.length, PICKER_LIMIT);
    assert.equal(r.more, true);
    assert.ok(r.documents.every((d) => d.title.includes("工伤认定")));
    const dates = r.documents.map((d) => d.publishedDate ?? "");
    assert.deepEqual(dates, [...dates].sort().reverse());
    assert.equal(r.documents[0]?.title, "关于工伤认定工作的通知（第3号）");
    // The 10th, 20th … rows are 解读: never offered.
    assert.ok(!r.documents.some((d) => /（第\d*0号）/.test(d.title)));
  });

  it("finds one document by a distinctive part of its title, 文号 or 索引号, folding full-width digits", async () => {
    const byTitle = await searchInterpretableDocuments(db, agency.id, "第２９９８号");
    assert.deepEqual(
      byTitle.documents.map((d) => d.title),
      ["关于工伤认定工作的通知（第2998号）"],
    );
    assert.equal(byTitle.more, false);
    const byDocNumber = await searchInterpretableDocuments(db, agency.id, "〔2026〕1234号");
    assert.deepEqual(
      byDocNumber.documents.map((d) => d.docNumber),
      ["测人社发〔2026〕1234号"],
    );
    const byIndex = await searchInterpretableDocuments(db, agency.id, "a/2026-02998");
    assert.deepEqual(
      byIndex.documents.map((d) => d.indexNo),
      ["A/2026-02998"],
    );
  });

  it("no match, another agency's document, and excluded ids", async () => {
    assert.deepEqual(await searchInterpretableDocuments(db, agency.id, "不存在的词语"), {
      documents: [],
      more: false,
    });
    assert.equal((await searchInterpretableDocuments(db, agency.id, "B/2026-00001")).documents.length, 0);
    const first = await searchInterpretableDocuments(db, agency.id, "");
    assert.equal(first.documents.length, PICKER_LIMIT);
    const without = await searchInterpretableDocuments(db, agency.id, "", [first.documents[0]!.id]);
    assert.equal(without.documents[0]?.id, first.documents[1]?.id);
  });

  it("reads chosen documents back in the given order, dropping unknown and foreign ids", async () => {
    const a = (await searchInterpretableDocuments(db, agency.id, "第2号")).documents[0]!;
    const b = (await searchInterpretableDocuments(db, agency.id, "第4号")).documents[0]!;
    const foreign = (await searchInterpretableDocuments(db, other.id, "第2号")).documents[0]!;
    const got = await interpretableDocumentsByIds(db, agency.id, [b.id, randomUUID(), foreign.id, a.id]);
    assert.deepEqual(
      got.map((d) => d.id),
      [b.id, a.id],
    );
  });
});

describe("pickerSearchRequested", () => {
  for (const [body, expected] of [
    [{ interpSearch: "1" }, true],
    [{ interpQuery: "养老" }, true],
    [{ interpQuery: "养老", interpShown: "养老" }, false],
    [{ interpQuery: "  " }, false],
    [{ title: "x" }, false],
  ] as const)
    it(`${JSON.stringify(body)} → ${expected}`, () => assert.equal(pickerSearchRequested(body), expected));
});

async function session(user: TestUser) {
  return signIn(app, user);
}

describe("picker routes", () => {
  const base = `/admin/agencies/${agency.slug}/records`;

  it("JSON options: matches with titles and numbers, nothing else", async () => {
    const s = await session(editor);
    const res = await app.inject({
      url: `${base}/interpretation-options?q=${encodeURIComponent("第2998号")}`,
      headers: { cookie: s.cookie },
    });
    assert.equal(res.statusCode, 200);
    const body = res.json() as { documents: Record<string, unknown>[]; more: boolean };
    assert.equal(body.more, false);
    assert.deepEqual(Object.keys(body.documents[0] ?? {}).sort(), [
      "docNumber",
      "id",
      "indexNo",
      "publishedDate",
      "title",
    ]);
    const anonymous = await app.inject({ url: `${base}/interpretation-options?q=x` });
    assert.notEqual(anonymous.statusCode, 200);
  });

  it("without JavaScript, 查找 shows the form again with the typed values and the matches; nothing is saved", async () => {
    const s = await session(editor);
    const before = await db.selectFrom("records").select(db.fn.countAll().as("n")).executeTakeFirstOrThrow();
    const chosen = (await searchInterpretableDocuments(db, agency.id, "第4号")).documents[0]!;
    const payload = new URLSearchParams({
      _csrf: s.csrfToken,
      kind: "interpretation",
      title: "《就业补贴办法》政策解读",
      bodyHtml: "第一段\n\n第二段",
      interpretsRecordIds: chosen.id,
      interpQuery: "第２９９８号",
      interpSearch: "1",
    });
    const res = await app.inject({
      method: "POST",
      url: base,
      headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: payload.toString(),
    });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /value="《就业补贴办法》政策解读"/);
    assert.match(res.body, /第一段\n\n第二段/);
    // The chosen document stays ticked; the match is offered unticked.
    assert.match(
      res.body,
      new RegExp(`id="interp-${chosen.id}" name="interpretsRecordIds" value="${chosen.id}" checked`),
    );
    assert.match(res.body, /找到1个文件/);
    assert.match(
      res.body,
      /name="interpretsRecordIds" value="[0-9a-f-]{36}"><label for="interp-found-[^"]+">关于工伤认定工作的通知（第2998号）/,
    );
    assert.match(res.body, /name="interpShown" value="第２９９８号"/);
    const after = await db.selectFrom("records").select(db.fn.countAll().as("n")).executeTakeFirstOrThrow();
    assert.equal(Number(after.n), Number(before.n));

    // Saving with the match ticked links it.
    const found = (await searchInterpretableDocuments(db, agency.id, "第2998号")).documents[0]!;
    payload.delete("interpSearch");
    payload.set("interpShown", "第２９９８号");
    payload.append("interpretsRecordIds", found.id);
    for (const [k, v] of Object.entries({
      issuingAgency: agency.name,
      formedDate: "2026-03-10",
      disclosure: "主动公开",
    }))
      payload.set(k, v);
    const saved = await app.inject({
      method: "POST",
      url: base,
      headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: payload.toString(),
    });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 2000));
    const id = /records\/([0-9a-f-]{36})/.exec(saved.headers.location ?? "")?.[1] ?? "";
    const revision = await db
      .selectFrom("record_revisions")
      .select("content")
      .where("record_id", "=", id)
      .executeTakeFirstOrThrow();
    assert.deepEqual([...revision.content.interpretsRecordIds].sort(), [chosen.id, found.id].sort());
  });

  it("a search with no match says so", async () => {
    const s = await session(editor);
    const res = await app.inject({
      method: "POST",
      url: base,
      headers: { cookie: s.cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({
        _csrf: s.csrfToken,
        interpQuery: "没有这个文件",
        interpSearch: "1",
      }).toString(),
    });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /未找到含“没有这个文件”的已发布文件/);
  });
});
