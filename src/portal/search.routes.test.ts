/**
 * Search routes over the demo data: 「社保」 finds the 人社局 records that say 社会保险 and names the expansion,
 * the exact-only search does not expand, an exact 索引号 or 文号 opens its record, and an agency's own synonyms
 * (console, audited) change its search.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { sql } from "kysely";
import { signIn } from "../../test/auth.ts";
import { createUser } from "../../test/factories.ts";
import { createTestApp } from "../../test/test-app.ts";
import { getAgencyBySlug, seedDemoAgencies } from "../agencies/agency.service.ts";
import { seedDemoCatalogs } from "../catalog/catalog.seed.ts";
import { seedDemoRecords } from "../publishing/publishing.seed.ts";

describe("search routes over the demo data", async () => {
  const { app, db, deps } = await createTestApp();

  before(async () => {
    await seedDemoAgencies(db);
    await seedDemoCatalogs(deps);
    await seedDemoRecords(deps);
  });

  /** Published records containing any of the words in any searched field (a naive scan, the reference). */
  async function naiveCount(words: string[], agencyId?: string): Promise<number> {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM records
      WHERE status = 'published' ${agencyId ? sql`AND agency_id = ${agencyId}::uuid` : sql``}
        AND (${sql.join(
          words.map(
            (w) => sql`strpos(title || doc_number || coalesce(index_no, '') || array_to_string(keywords, ' ')
              || summary || body_text, ${w}) > 0`,
          ),
          sql` OR `,
        )})`.execute(db);
    return rows[0]?.n ?? 0;
  }

  it("a page past the last leads back to the last page, not to the empty page before it", async () => {
    const q = encodeURIComponent("社保");
    const first = await app.inject({ url: `/search?q=${q}` });
    const last = Number(/共 (\d+) 页/.exec(first.body)?.[1]);
    assert.ok(last >= 2, "several pages");
    const beyond = await app.inject({ url: `/search?q=${q}&page=999` });
    assert.equal(beyond.statusCode, 200);
    assert.match(beyond.body, /本页没有结果/);
    assert.ok(
      beyond.body.includes(`href="/search?q=${q}&amp;page=${last}" rel="prev"`),
      "上一页 is the last page",
    );
    assert.ok(!beyond.body.includes("page=998"));
  });

  it("「社保」 finds the records that say 社会保险, says so, and offers the exact-only search", async () => {
    const expected = await naiveCount(["社保", "社会保险"]);
    assert.ok(expected > 20, `the demo has 社会保险 records (${expected})`);
    const res = await app.inject({ url: `/search?q=${encodeURIComponent("社保")}` });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, new RegExp(`找到 <strong>${expected}</strong> 条与“社保”相关的信息`));
    assert.match(res.body, /同时搜索了同义词或简称：<strong>社会保险<\/strong>/);
    assert.ok(res.body.includes("<mark>社会保险</mark>"), "the expansion is highlighted");
    assert.ok(res.body.includes(`href="/search?q=${encodeURIComponent("社保")}&amp;exact=1"`));

    const exact = await app.inject({ url: `/search?q=${encodeURIComponent("社保")}&exact=1` });
    const exactCount = await naiveCount(["社保"]);
    assert.ok(
      exactCount === 0
        ? exact.body.includes("未找到与“社保”相关的信息")
        : exact.body.includes(`找到 <strong>${exactCount}</strong> 条`),
    );
    assert.ok(exact.body.includes("只搜索了“社保”本身"));
    assert.ok(!exact.body.includes("同时搜索了同义词或简称"));
  });

  it("every record of an expanded search is reachable by paging (recall stays exact)", async () => {
    const expected = await naiveCount(["社保", "社会保险"]);
    const seen = new Set<string>();
    for (let page = 1; page <= Math.ceil(expected / 10); page++) {
      const res = await app.inject({ url: `/search?q=${encodeURIComponent("社保")}&page=${page}&sort=date` });
      for (const m of res.body.matchAll(/href="\/agencies\/[a-z0-9-]+\/records\/([0-9a-f-]{36})"/g))
        seen.add(m[1] as string);
    }
    assert.equal(seen.size, expected);
  });

  it("an exact 索引号 or 文号 opens the record; with a filter it searches", async () => {
    const { rows } = await sql<{ id: string; slug: string; index_no: string; doc_number: string }>`
      SELECT r.id, a.slug, r.index_no, r.doc_number FROM records r JOIN agencies a ON a.id = r.agency_id
      WHERE r.status = 'published' AND r.kind = 'document' AND r.doc_number <> ''
        AND (SELECT count(*) FROM records o WHERE o.doc_number = r.doc_number AND o.status = 'published') = 1
      ORDER BY r.published_date DESC LIMIT 1`.execute(db);
    const record = rows[0];
    assert.ok(record, "a demo record with a unique 文号");
    const byIndex = await app.inject({ url: `/search?q=${encodeURIComponent(record.index_no)}` });
    assert.equal(byIndex.statusCode, 303);
    assert.equal(byIndex.headers.location, `/agencies/${record.slug}/records/${record.id}`);
    const byDocNumber = await app.inject({ url: `/search?q=${encodeURIComponent(record.doc_number)}` });
    assert.equal(byDocNumber.statusCode, 303);
    assert.equal(byDocNumber.headers.location, `/agencies/${record.slug}/records/${record.id}`);
    const quoted = await app.inject({ url: `/search?q=${encodeURIComponent(`“${record.doc_number}”`)}` });
    assert.equal(quoted.statusCode, 303, "in quotation marks");
    assert.equal(quoted.headers.location, `/agencies/${record.slug}/records/${record.id}`);
    const scoped = await app.inject({
      url: `/agencies/${record.slug}/search?q=${encodeURIComponent(record.index_no.toLowerCase())}`,
    });
    assert.equal(scoped.statusCode, 303, "folded (case-insensitive) match");
    const filtered = await app.inject({
      url: `/search?q=${encodeURIComponent(record.index_no)}&validity=有效`,
    });
    assert.equal(filtered.statusCode, 200);
    const partial = await app.inject({
      url: `/search?q=${encodeURIComponent(record.index_no.slice(0, -1))}`,
    });
    assert.equal(partial.statusCode, 200, "a prefix is searched, not opened");
  });

  it("「社會保險」 is searched as 社会保险, says so and offers the original; a 文号 in traditional characters opens", async () => {
    const expected = await naiveCount(["社保", "社会保险"]);
    const res = await app.inject({ url: `/search?q=${encodeURIComponent("社會保險")}` });
    assert.equal(res.statusCode, 200);
    assert.ok(res.body.includes("已将繁体字转换为简体，按“社会保险”检索。"));
    assert.ok(
      res.body.includes(
        `href="/search?q=${encodeURIComponent("社會保險")}&amp;exact=1">按原文“社會保險”检索</a>`,
      ),
    );
    assert.match(res.body, new RegExp(`找到 <strong>${expected}</strong> 条与“社會保險”相关的信息`));
    const original = await app.inject({ url: `/search?q=${encodeURIComponent("社會保險")}&exact=1` });
    assert.ok(original.body.includes("按原文“社會保險”检索（繁体字未转换为简体，未搜索同义词）"));
    assert.ok(original.body.includes("未找到与“社會保險”相关的信息"));
    const { rows } = await sql<{ id: string; slug: string; doc_number: string }>`
      SELECT r.id, a.slug, r.doc_number FROM records r JOIN agencies a ON a.id = r.agency_id
      WHERE r.status = 'published' AND r.kind = 'document' AND r.doc_number ~ '[发号]'
        AND (SELECT count(*) FROM records o WHERE o.doc_number = r.doc_number AND o.status = 'published') = 1
      ORDER BY r.published_date DESC LIMIT 1`.execute(db);
    const record = rows[0];
    assert.ok(record, "a demo record with a unique 文号 holding 发 or 号");
    const traditional = record.doc_number.replaceAll("发", "發").replaceAll("号", "號");
    const byDocNumber = await app.inject({ url: `/search?q=${encodeURIComponent(traditional)}` });
    assert.equal(byDocNumber.statusCode, 303);
    assert.equal(byDocNumber.headers.location, `/agencies/${record.slug}/records/${record.id}`);
  });

  it("「社保 -医疗」 excludes 医疗 and shows it; only excluded words get a notice; too many are named", async () => {
    const all = await naiveCount(["社保", "社会保险"]);
    let word = "";
    let expected = 0;
    for (const w of ["医疗", "养老", "失业", "工伤", "缴费", "就业", "通知"]) {
      const { rows } = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM records WHERE status = 'published'
          AND (strpos(title || doc_number || coalesce(index_no, '') || array_to_string(keywords, ' ') || summary
            || body_text, '社保') > 0 OR strpos(title || doc_number || coalesce(index_no, '')
            || array_to_string(keywords, ' ') || summary || body_text, '社会保险') > 0)
          AND strpos(title || doc_number || coalesce(index_no, '') || array_to_string(keywords, ' ') || summary
            || body_text, ${w}) = 0`.execute(db);
      expected = rows[0]?.n ?? 0;
      word = w;
      if (expected > 0 && expected < all) break;
    }
    assert.ok(expected > 0 && expected < all, `社保 -${word}: ${expected} of ${all}`);
    for (const q of [`社保 -${word}`, `社保 －${word}`]) {
      const res = await app.inject({ url: `/search?q=${encodeURIComponent(q)}` });
      assert.equal(res.statusCode, 200);
      assert.ok(res.body.includes(`已排除含有以下词语的信息：<strong>${word}</strong>。`), q);
      assert.match(res.body, new RegExp(`找到 <strong>${expected}</strong> 条`), q);
    }
    const only = await app.inject({ url: `/search?q=${encodeURIComponent("-医疗")}` });
    assert.equal(only.statusCode, 200);
    assert.ok(only.body.includes("只输入了要排除的词（-医疗），请同时输入要查找的词，例如：社保 -医疗。"));
    assert.ok(!only.body.includes("result-count"));
    const many = await app.inject({
      url: `/search?q=${encodeURIComponent("社保 -医疗 -养老 -就业 -失业 -工伤")}`,
    });
    assert.ok(many.body.includes("最多排除 3 个词，以下排除词未生效：失业、工伤。"));
    const covered = await app.inject({ url: `/search?q=${encodeURIComponent("社保 -社")}` });
    assert.ok(covered.body.includes("排除词“社”是要查找的词的一部分，所有结果都被排除了。"));
    const help = await app.inject({ url: "/search" });
    assert.ok(help.body.includes("检索语法") && help.body.includes("<code>社保 -医疗</code>"));
  });

  it("searches the 关键词 field", async () => {
    const { rows } = await sql<{ id: string }>`
      UPDATE records SET keywords = ARRAY['独一无二关键词'] WHERE id = (
        SELECT id FROM records WHERE status = 'published' ORDER BY id LIMIT 1) RETURNING id`.execute(db);
    deps.pageCache.invalidate();
    const res = await app.inject({ url: `/search?q=${encodeURIComponent("独一无二关键词")}` });
    assert.match(res.body, /找到 <strong>1<\/strong> 条/);
    assert.ok(res.body.includes(rows[0]?.id as string));
  });

  it("an agency's own synonyms (console, audited) expand its search", async () => {
    const agency = await getAgencyBySlug(db, "qi-hrss");
    const admin = await createUser(db, { roles: ["agency_admin"], agencyId: agency.id });
    const creds = await signIn(app, admin);
    const url = `/admin/agencies/${agency.slug}/search-synonyms`;
    const page = await app.inject({ url, headers: creds.headers });
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes("社保 ↔ 社会保险"), "the shipped dictionary is shown");
    const bad = await app.inject({
      method: "POST",
      url,
      headers: creds.headers,
      payload: { groups: "孤词" },
    });
    assert.equal(bad.statusCode, 400);
    assert.ok(bad.body.includes("第1行有误"));
    const word = "甲乙丙丁戊";
    const before = await app.inject({ url: `/agencies/${agency.slug}/search?q=${encodeURIComponent(word)}` });
    assert.ok(before.body.includes("未找到"));
    const saved = await app.inject({
      method: "POST",
      url,
      headers: creds.headers,
      payload: { groups: `${word}、社会保险` },
    });
    assert.equal(saved.statusCode, 303);
    const after = await app.inject({ url: `/agencies/${agency.slug}/search?q=${encodeURIComponent(word)}` });
    assert.match(after.body, /同时搜索了同义词或简称：<strong>社会保险<\/strong>/);
    assert.ok(after.body.includes("找到 <strong>"), "the cached empty page was dropped");
    const audit = await db
      .selectFrom("audit_events")
      .select("summary")
      .where("action", "=", "search.synonyms.update")
      .executeTakeFirst();
    assert.equal(audit?.summary, "修改搜索同义词（1组）");
  });
});
