/**
 * Search against a real database: 100% recall and precision on a random corpus (every substring of length 1–8 of
 * titles and bodies finds exactly the records that contain it), filters, sorting, snippets, and hostile input.
 */

import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { createAgency } from "../../test/factories.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import type { Agency } from "../agencies/agency.service.ts";
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import type { Db } from "../db/database.ts";
import { insertTestRecord } from "../publishing/publishing.fixtures.ts";
import { searchPublishedRecords, searchTerms } from "../publishing/record-search.read.ts";
import { seededRandom } from "../shared/random.ts";
import { cleanQuery, containsQuery } from "./search.rules.ts";
import { PAGE_SIZE, parseSearchParams, runSearch } from "./search.service.ts";

const WORDS = [
  "社会保险",
  "社保",
  "就业",
  "补贴",
  "养老",
  "失业",
  "工伤",
  "人力资源",
  "政策",
  "通知",
  "关于",
  "年度",
  "缴费",
  "标准",
  "调整",
  "医保",
  "创业担保贷款",
  "职业技能",
  "培训",
  "（一）",
  "、",
  "。",
  "２０２４",
  "2025",
  "ABC",
  "abc",
  " ",
  "　",
  "😀",
  "的",
  "和",
  "保",
  "社",
  "'",
  "%",
  "_",
  "\\",
];

function sentence(next: () => number, min: number, max: number): string {
  const n = min + Math.floor(next() * (max - min));
  let s = "";
  while (Array.from(s).length < n) s += WORDS[Math.floor(next() * WORDS.length)];
  return s;
}

interface Doc {
  id: string;
  title: string;
  body: string;
  summary: string;
  docNumber: string;
  indexNo: string;
  keywords: string[];
  published: boolean;
}

describe("portal search over a random corpus", async () => {
  const { db } = await createTestDatabase();
  const docs: Doc[] = [];
  let agencyA: Agency;
  let agencyB: Agency;

  before(async () => {
    const a = await createAgency(db, { slug: "search-a", name: "甲市人力资源和社会保障局" });
    const b = await createAgency(db, { slug: "search-b", name: "乙市人力资源和社会保障局" });
    agencyA = await getAgencyBySlug(db, a.slug);
    agencyB = await getAgencyBySlug(db, b.slug);
    const next = seededRandom(42);
    for (let i = 0; i < 80; i++) {
      const status = i % 10 === 7 ? "draft" : i % 10 === 8 ? "withdrawn" : "published";
      const d = {
        title: sentence(next, 6, 30),
        body: sentence(next, 0, 300),
        summary: i % 3 === 0 ? sentence(next, 5, 40) : "",
        docNumber: i % 4 === 0 ? `人社发〔${2020 + (i % 6)}〕${i}号` : "",
        keywords: i % 5 === 0 ? [sentence(next, 2, 6), sentence(next, 2, 6)] : [],
      };
      const id = await insertTestRecord(db, i % 2 ? agencyA.id : agencyB.id, {
        ...d,
        status,
        publishedDate: `${2021 + (i % 5)}-0${1 + (i % 9)}-1${i % 10}`,
        validity: (["有效", "失效", "废止", null] as const)[i % 4],
        genre: ["通知", "公告", "办事指南"][i % 3] as string,
      });
      const { index_no } = await db
        .selectFrom("records")
        .select("index_no")
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      docs.push({ id, ...d, indexNo: index_no ?? "", published: status === "published" });
    }
  });

  const expected = (q: string) =>
    new Set(
      docs
        .filter(
          (d) =>
            d.published &&
            (containsQuery(d.title, q) ||
              containsQuery(d.body, q) ||
              containsQuery(d.summary, q) ||
              containsQuery(d.docNumber, q) ||
              containsQuery(d.indexNo, q) ||
              d.keywords.some((k) => containsQuery(k, q))),
        )
        .map((d) => d.id),
    );

  async function found(db: Db, q: string): Promise<Set<string>> {
    const { rows, total, exact } = await searchPublishedRecords(
      db,
      { terms: searchTerms(q) },
      { sort: "relevance", limit: 10_000, offset: 0 },
    );
    assert.equal(rows.length, total);
    assert.ok(exact);
    return new Set(rows.map((r) => r.id));
  }

  it("finds exactly the containing records for 500 random substrings of length 1–8", async () => {
    const next = seededRandom(7);
    let checked = 0;
    let nonEmpty = 0;
    for (let n = 0; n < 500; n++) {
      const d = docs[Math.floor(next() * docs.length)] as Doc;
      const source = Array.from(next() < 0.4 ? d.title : d.body || d.title);
      const len = 1 + Math.floor(next() * 8);
      const start = Math.floor(next() * Math.max(1, source.length - len));
      const q = cleanQuery(source.slice(start, start + len).join(""));
      if (!q) continue;
      const want = expected(q);
      const got = await found(db, q);
      assert.deepEqual([...got].sort(), [...want].sort(), `query ${JSON.stringify(q)}`);
      checked++;
      if (want.size) nonEmpty++;
    }
    assert.ok(checked > 400, `checked ${checked}`);
    assert.ok(nonEmpty > 300, `non-empty ${nonEmpty}`);
  });

  it("finds two-character words such as 社保 in every record that contains them, and nothing else", async () => {
    for (const q of ["社保", "就业", "保社", "补贴", "ab", "AB", "２０", "20", "社", "😀"]) {
      assert.deepEqual([...(await found(db, q))].sort(), [...expected(q)].sort(), q);
      assert.ok(expected(q).size > 0, `${q} occurs in the corpus`);
    }
  });

  it("never returns drafts or withdrawn records", async () => {
    const hidden = docs.filter((d) => !d.published);
    assert.ok(hidden.length >= 8);
    for (const d of hidden) {
      const got = await found(db, d.title);
      assert.ok(!got.has(d.id), d.title);
    }
  });

  it("filters by agency, year, validity and genre, and sorts by date", async () => {
    const params = parseSearchParams({
      q: "社",
      year: "2023",
      validity: "有效",
      genre: "通知",
      sort: "date",
    });
    const r = await runSearch(db, params, agencyA);
    for (const h of r.hits) {
      assert.equal(h.agency.slug, agencyA.slug);
      assert.equal(h.validity, "有效");
      assert.equal(h.genre, "通知");
      assert.match(h.publishedDate ?? "", /^2023-/);
    }
    const all = await runSearch(db, parseSearchParams({ q: "社", sort: "date" }));
    const dates = all.hits.map((h) => h.publishedDate ?? "");
    assert.deepEqual(dates, [...dates].sort().reverse());
    assert.equal(all.total, expected("社").size);
    assert.equal(all.hits.length, Math.min(PAGE_SIZE, all.total));
    assert.ok(all.facets && all.facets.agencies.length === 2);
    assert.equal(
      all.facets.years.reduce((s, y) => s + y.n, 0),
      all.total,
      "year facet counts add up to the total",
    );
    const filtered = await runSearch(db, parseSearchParams({ q: "社", year: "2023" }));
    assert.equal(
      filtered.facets?.years.reduce((s, y) => s + y.n, 0),
      all.total,
      "facets count the query before the other filters (their own capped query)",
    );
    const b = await runSearch(db, parseSearchParams({ q: "社", agency: agencyB.slug }));
    assert.ok(b.hits.every((h) => h.agency.slug === agencyB.slug));
    const none = await runSearch(db, parseSearchParams({ q: "社", agency: "no-such-agency" }));
    assert.equal(none.total, 0);
  });

  it("ranks title matches above body-only matches by relevance", async () => {
    const id1 = await insertTestRecord(db, agencyA.id, {
      title: "无关标题",
      body: "正文提到独特词组鲲鹏计划。",
    });
    const id2 = await insertTestRecord(db, agencyA.id, { title: "鲲鹏计划实施方案", body: "无" });
    const r = await runSearch(db, parseSearchParams({ q: "鲲鹏计划" }));
    assert.deepEqual(
      r.hits.map((h) => h.id),
      [id2, id1],
    );
    assert.equal(r.hits[0]?.title.value, "<mark>鲲鹏计划</mark>实施方案");
    assert.match(r.hits[1]?.snippet.value ?? "", /<mark>鲲鹏计划<\/mark>/);
  });

  it("escapes snippets: markup in records is shown as text, never as HTML", async () => {
    await insertTestRecord(db, agencyA.id, {
      title: "<script>alert(1)</script>转义测试",
      body: "<img src=x onerror=alert(1)>转义测试正文",
    });
    const r = await runSearch(db, parseSearchParams({ q: "转义测试" }));
    assert.equal(r.total, 1);
    const hit = r.hits[0];
    assert.ok(hit);
    assert.doesNotMatch(hit.title.value, /<script/);
    assert.doesNotMatch(hit.snippet.value, /<img/);
    assert.match(hit.snippet.value, /&lt;img/);
  });

  it("paginates: pages are disjoint and cover the result", async () => {
    const q = "社";
    const total = expected(q).size;
    const seen = new Set<string>();
    for (let p = 1; p <= Math.ceil(total / PAGE_SIZE); p++) {
      const r = await runSearch(db, parseSearchParams({ q, page: String(p) }));
      for (const h of r.hits) {
        assert.ok(!seen.has(h.id), "no record on two pages");
        seen.add(h.id);
      }
    }
    assert.equal(seen.size, total);
  });

  it("finds records whose text is longer than the indexed prefix (search_overflow)", async () => {
    const long = `${"甲乙丙丁".repeat(13_000)}尾部独有词汇`;
    const id = await insertTestRecord(db, agencyB.id, { title: "长文", body: long });
    assert.deepEqual([...(await found(db, "尾部独有词汇"))], [id]);
  });

  it("never fails on hostile input", async () => {
    const inputs = [
      "x".repeat(10_000),
      "社".repeat(10_000),
      "😀".repeat(5_000),
      "' OR 1=1 --",
      "'; DROP TABLE records; --",
      "a & b | !c <-> d:* ''",
      "\\",
      "%_%",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: regex metacharacters, on purpose
      ".*+?^${}()|[]\\",
      "\u0000\u0001\u0002\u001f\u007f",
      "\ud800",
      "\t\n\r",
      "<mark>",
      "",
    ];
    for (const q of inputs) {
      const r = await runSearch(
        db,
        parseSearchParams({ q, year: "abcd", page: "-1", validity: "'", agency: "x'y" }),
      );
      assert.ok(r.total >= 0, JSON.stringify(q.slice(0, 20)));
    }
    const params = parseSearchParams({ q: ["a", "b"], page: ["2"], year: { x: 1 } });
    assert.equal(params.q, "a");
    assert.equal(params.year, undefined);
  });

  it("counts exactly up to the cap, beyond it says 约 N (facets likewise)", async () => {
    const q = "社";
    const want = expected(q).size;
    assert.ok(want > 6, `${want} matches`);
    const exact = await runSearch(db, parseSearchParams({ q, exact: "1" }), undefined, { countCap: want });
    assert.equal(exact.total, want);
    assert.ok(exact.totalExact && exact.facets?.exact);
    const over = await runSearch(db, parseSearchParams({ q, exact: "1" }), undefined, { countCap: want - 1 });
    assert.equal(over.totalExact, false);
    assert.equal(over.facets?.exact, false);
    assert.ok(over.total >= want, `estimate ${over.total} is at least the cap + 1`);
    assert.equal(over.hits.length, PAGE_SIZE);
  });

  for (const sort of ["relevance", "date"] as const)
    it(`above the cap every match is reachable by paging, once (${sort}, page straddling the ranked pool)`, async () => {
      const q = "社";
      const want = expected(q);
      const seen: string[] = [];
      for (let offset = 0; offset < want.size + 14; offset += 7) {
        const r = await searchPublishedRecords(
          db,
          { terms: searchTerms(q) },
          { sort, limit: 7, offset, cap: 3, pool: 10 },
        );
        assert.equal(r.exact, false);
        seen.push(...r.rows.map((x) => x.id));
      }
      assert.equal(seen.length, new Set(seen).size, "no record on two pages");
      assert.deepEqual([...seen].sort(), [...want].sort());
    });

  /** Published records holding every one of `groups` (some term of each), field by field. */
  const expectedAll = (groups: readonly (readonly string[])[]) => {
    const sets = groups.map((g) => g.map((t) => expected(t)));
    return new Set(docs.map((d) => d.id).filter((id) => sets.every((g) => g.some((s) => s.has(id)))));
  };

  it("several words separated by spaces: exactly the records holding every word, in any field and order", async () => {
    const next = seededRandom(11);
    const words = WORDS.filter((w) => w.trim());
    let nonEmpty = 0;
    for (let n = 0; n < 80; n++) {
      const ws = Array.from(
        { length: 2 + Math.floor(next() * 2) },
        () => words[Math.floor(next() * words.length)] as string,
      );
      const groups = ws.map((w) => searchTerms(w));
      const want = expectedAll(groups);
      const { rows, total, exact } = await searchPublishedRecords(
        db,
        { terms: [...new Set(groups.flat())], groups },
        { sort: "relevance", limit: 10_000, offset: 0 },
      );
      assert.ok(exact);
      assert.equal(rows.length, total);
      assert.deepEqual(rows.map((r) => r.id).sort(), [...want].sort(), ws.join(" "));
      if (want.size) nonEmpty++;
    }
    assert.ok(nonEmpty > 20, `non-empty ${nonEmpty}`);
  });

  it("several words above the cap: every record holding them all is reachable by paging, once", async () => {
    const groups = [searchTerms("社"), searchTerms("保")];
    const want = expectedAll(groups);
    assert.ok(want.size > 8, `${want.size} matches`);
    const seen: string[] = [];
    for (let offset = 0; offset < want.size + 10; offset += 5) {
      const r = await searchPublishedRecords(
        db,
        { terms: [...new Set(groups.flat())], groups },
        { sort: "date", limit: 5, offset, cap: 2 },
      );
      assert.equal(r.plan, "years");
      seen.push(...r.rows.map((x) => x.id));
    }
    assert.equal(seen.length, new Set(seen).size);
    assert.deepEqual([...seen].sort(), [...want].sort());
  });

  it("「社保 就业」 on the portal: both words (社保 with its synonyms), not either", async () => {
    const r = await runSearch(db, parseSearchParams({ q: "社保　就业" }));
    assert.ok(r.expansions.includes("社会保险"), `expansions ${r.expansions.join("、")}`);
    const want = expectedAll([["社保", ...r.expansions], ["就业"]]);
    assert.ok(want.size > 0 && want.size < expected("就业").size, `${want.size} records hold both`);
    assert.equal(r.total, want.size);
    assert.ok(r.totalExact);
    const exact = await runSearch(db, parseSearchParams({ q: "社保 就业", exact: "1" }));
    assert.equal(exact.total, expectedAll([["社保"], ["就业"]]).size);
  });

  it("a word in quotation marks is searched as typed, without its synonyms", async () => {
    const r = await runSearch(db, parseSearchParams({ q: "“社保” 就业" }));
    assert.deepEqual(r.expansions, []);
    assert.equal(r.total, expectedAll([["社保"], ["就业"]]).size);
    assert.ok(r.total < expectedAll([["社保", "社会保险"], ["就业"]]).size, "社会保险 alone is not a match");
    const single = await runSearch(db, parseSearchParams({ q: '"社保"' }));
    assert.deepEqual(single.expansions, []);
    assert.equal(single.total, expected("社保").size);
  });

  it("above the cap, relevance ranks the newest pool by score: a title match comes first", async () => {
    const r = await searchPublishedRecords(
      db,
      { terms: searchTerms("社") },
      { sort: "relevance", limit: 30, offset: 0, cap: 3, pool: 30 },
    );
    const scores = r.rows.map((x) => x.score);
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => b - a),
    );
    assert.ok(r.rows.some((x) => x.title.includes("社")));
  });
});
