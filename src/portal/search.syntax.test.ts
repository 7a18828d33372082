/**
 * What citizens type, against a real database: traditional characters searched in simplified form (the exact original
 * still available), and excluded words (`社保 -医疗`): exactly the records holding the words and none of the excluded
 * ones, exact counts and facets under the cap, every match reachable by paging above it and past the exclusions'
 * work bound, and the queries that cannot search (only exclusions, an exclusion inside the word).
 */

import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { sql } from "kysely";
import { createAgency } from "../../test/factories.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import { insertTestRecord } from "../publishing/publishing.fixtures.ts";
import { searchFacetCounts, searchPublishedRecords, searchTerms } from "../publishing/record-search.read.ts";
import { seededRandom } from "../shared/random.ts";
import { containsQuery, MAX_EXCLUDED_WORDS } from "./search.rules.ts";
import { exactRecordTarget, PAGE_SIZE, parseSearchParams, runSearch } from "./search.service.ts";

const WORDS = [
  "社保",
  "社会保险",
  "医疗",
  "养老",
  "就业",
  "劳动",
  "职业",
  "条例",
  "通知",
  "关于",
  "。",
  "的",
];

interface Doc {
  id: string;
  text: string;
  year: number;
}

describe("search syntax: traditional characters and excluded words", async () => {
  const { db } = await createTestDatabase();
  const docs: Doc[] = [];
  let agencyId = "";

  before(async () => {
    const a = await createAgency(db, { slug: "syntax-a", name: "甲市人力资源和社会保障局" });
    agencyId = (await getAgencyBySlug(db, a.slug)).id;
    const next = seededRandom(7);
    const pick = (n: number) =>
      Array.from({ length: n }, () => WORDS[Math.floor(next() * WORDS.length)] as string).join("");
    for (let i = 0; i < 90; i++) {
      const title = pick(3 + Math.floor(next() * 4));
      const body = pick(Math.floor(next() * 12));
      const year = 2021 + (i % 5);
      const docNumber = i === 0 ? "人社发〔2024〕5号" : "";
      const id = await insertTestRecord(db, agencyId, {
        title,
        body,
        docNumber,
        publishedDate: `${year}-0${1 + (i % 9)}-1${i % 10}`,
      });
      docs.push({ id, text: `${title} ${body} ${docNumber}`, year });
    }
  });

  /** Records holding some term of every group and none of `exclude`. */
  const expected = (groups: readonly (readonly string[])[], exclude: readonly string[] = []) =>
    new Set(
      docs
        .filter(
          (d) =>
            groups.every((g) => g.some((t) => containsQuery(d.text, t))) &&
            !exclude.some((e) => containsQuery(d.text, e)),
        )
        .map((d) => d.id),
    );

  async function allPages(q: string, exact = ""): Promise<string[]> {
    const ids: string[] = [];
    for (let page = 1; page <= 20; page++) {
      const r = await runSearch(db, parseSearchParams({ q, page: String(page), exact }));
      ids.push(...r.hits.map((h) => h.id));
      if (r.hits.length < PAGE_SIZE) break;
    }
    return ids;
  }

  it("「社會保險」 is searched as 社会保险 (with its synonyms), and says so; exact=1 searches the original", async () => {
    const r = await runSearch(db, parseSearchParams({ q: "社會保險" }));
    assert.equal(r.simplified, "社会保险");
    assert.ok(r.expansions.includes("社保"), `expansions ${r.expansions.join("、")}`);
    const want = expected([["社会保险", "社保"]]);
    assert.ok(want.size > 5, `${want.size} records`);
    assert.equal(r.total, want.size);
    assert.ok(r.hits.every((h) => h.title.value.includes("<mark>") || h.snippet.value.includes("<mark>")));
    const original = await runSearch(db, parseSearchParams({ q: "社會保險", exact: "1" }));
    assert.equal(original.simplified, undefined);
    assert.equal(original.total, 0);
  });

  it("traditional words with quotation marks and several words: converted, quoted ones without synonyms", async () => {
    const quoted = await runSearch(db, parseSearchParams({ q: "“社會保險” 勞動" }));
    assert.equal(quoted.simplified, "“社会保险” 劳动");
    assert.deepEqual(quoted.expansions, []);
    assert.equal(quoted.total, expected([["社会保险"], ["劳动"]]).size);
    const simplified = await runSearch(db, parseSearchParams({ q: "社会保险" }));
    assert.equal(simplified.simplified, undefined, "simplified input is left alone");
  });

  it("a 文号 typed in traditional characters opens its record", async () => {
    const target = await exactRecordTarget(db, parseSearchParams({ q: "人社發〔2024〕5號" }));
    assert.equal(target?.id, docs[0]?.id);
    assert.equal(
      await exactRecordTarget(db, parseSearchParams({ q: "人社發〔2024〕5號", exact: "1" })),
      undefined,
    );
    assert.equal(
      await exactRecordTarget(db, parseSearchParams({ q: "人社发〔2024〕5号 -医疗" })),
      undefined,
      "a query with an excluded word searches",
    );
  });

  it("excluded words: exactly the records holding the words and none of the excluded ones", async () => {
    const next = seededRandom(3);
    const plain = WORDS.filter((w) => w !== "社保" && w !== "社会保险");
    let nonEmpty = 0;
    for (let n = 0; n < 40; n++) {
      const w = plain[Math.floor(next() * plain.length)] as string;
      const ex = [plain[Math.floor(next() * plain.length)] as string];
      if (n % 3 === 0) ex.push(plain[Math.floor(next() * plain.length)] as string);
      if (ex.some((e) => w.includes(e))) continue;
      const minus = n % 2 ? "－" : "-";
      const q = `${w} ${ex.map((e) => `${minus}${e}`).join(" ")}`;
      const want = expected([[w]], ex);
      const r = await runSearch(db, parseSearchParams({ q, exact: "1" }));
      assert.ok(r.totalExact, q);
      assert.equal(r.total, want.size, q);
      assert.deepEqual(r.excluded, [...new Set(ex)]);
      // Facets exact: every match counted once by year.
      assert.ok(r.facets?.exact, q);
      assert.equal(
        r.facets?.years.reduce((s, y) => s + y.n, 0),
        want.size,
        q,
      );
      assert.deepEqual((await allPages(q, "1")).sort(), [...want].sort(), q);
      if (want.size) nonEmpty++;
    }
    assert.ok(nonEmpty > 10, `non-empty ${nonEmpty}`);
  });

  it("「社保 -医疗」 excludes after the synonyms: 社保 or 社会保险, and never 医疗; with a year filter too", async () => {
    const want = expected([["社保", "社会保险"]], ["医疗"]);
    assert.ok(want.size > 3 && want.size < expected([["社保", "社会保险"]]).size, `${want.size}`);
    const r = await runSearch(db, parseSearchParams({ q: "社保 -医疗" }));
    assert.equal(r.total, want.size);
    assert.ok(r.hits.every((h) => !h.plainTitle.includes("医疗")));
    const year = 2023;
    const inYear = [...want].filter((id) => docs.find((d) => d.id === id)?.year === year);
    const filtered = await runSearch(db, parseSearchParams({ q: "社保 -医疗", year: String(year) }));
    assert.equal(filtered.total, inYear.length);
    // The facets (before the year filter) still count the whole query.
    assert.equal(
      filtered.facets?.years.reduce((s, y) => s + y.n, 0),
      want.size,
    );
  });

  it("above the cap: estimated, and every match is reachable by paging exactly once", async () => {
    const terms = searchTerms("的");
    const exclude = ["医疗"];
    const want = expected([terms], exclude);
    assert.ok(want.size > 12, `${want.size} matches`);
    for (const sort of ["relevance", "date"] as const) {
      const seen: string[] = [];
      for (let offset = 0; offset < want.size + 10; offset += 5) {
        const r = await searchPublishedRecords(
          db,
          { terms, exclude },
          { sort, limit: 5, offset, cap: 4, pool: 7 },
        );
        assert.equal(r.exact, false);
        assert.ok(r.total > 4);
        seen.push(...r.rows.map((x) => x.id));
      }
      assert.equal(seen.length, new Set(seen).size, "no record on two pages");
      assert.deepEqual(seen.sort(), [...want].sort(), sort);
    }
  });

  it("past the exclusions' work bound with few kept: an estimate, still every match reachable", async () => {
    const terms = searchTerms("的");
    const exclude = ["。", "关于"];
    const want = expected([terms], exclude);
    const all = expected([terms]);
    assert.ok(want.size > 0 && all.size > 20, `${want.size} of ${all.size}`);
    const bounded = { sort: "date" as const, limit: 100, offset: 0, cap: 50, exclusionWork: 10 };
    const r = await searchPublishedRecords(db, { terms, exclude }, bounded);
    assert.equal(r.exact, false, "the bound was reached: not counted exactly");
    assert.deepEqual(r.rows.map((x) => x.id).sort(), [...want].sort());
    // Within the bound the same query is exact.
    const whole = await searchPublishedRecords(db, { terms, exclude }, { ...bounded, exclusionWork: 1_000 });
    assert.ok(whole.exact);
    assert.equal(whole.total, want.size);
    const facets = await searchFacetCounts(db, { terms, exclude }, 50);
    assert.ok(facets.exact);
    assert.equal(
      facets.years.reduce((s, y) => s + y.n, 0),
      want.size,
    );
  });

  it("only excluded words: no search, a notice; an excluded word inside the word searched: nothing, said why", async () => {
    for (const q of ["-医疗", "－医疗 -养老"]) {
      const r = await runSearch(db, parseSearchParams({ q, year: "2023" }));
      assert.equal(r.searched, false, q);
      assert.equal(r.notice, "exclusion_only", q);
      assert.equal(r.total, 0);
    }
    const covered = await runSearch(db, parseSearchParams({ q: "社保 -社" }));
    assert.equal(covered.notice, "excluded_all", "社保 and its synonym 社会保险 both hold 社");
    assert.equal(covered.coveredBy, "社");
    const partly = await runSearch(db, parseSearchParams({ q: "社保 -保险" }));
    assert.equal(partly.notice, undefined, "社保 does not hold 保险: a search");
    assert.equal(partly.total, expected([["社保", "社会保险"]], ["保险"]).size);
    const all = await runSearch(db, parseSearchParams({ q: "社会保险 -保险", exact: "1" }));
    assert.equal(all.notice, "excluded_all");
    assert.equal(all.coveredBy, "保险");
    assert.equal(all.total, 0);
  });

  it("nothing found with excluded words: no similar titles (they would hold the excluded words)", async () => {
    // A title with one character no record holds: nothing matches, the title is similar.
    const q = `${docs[1]?.text.split(" ")[0]}零`;
    const plain = await runSearch(db, parseSearchParams({ q }));
    assert.equal(plain.total, 0);
    assert.ok(plain.suggestions.length > 0, "similar titles without exclusions");
    const other = WORDS.find((w) => !q.includes(w) && plain.suggestions.some((t) => !t.includes(w)));
    const excluded = await runSearch(db, parseSearchParams({ q: `${q} -${other}` }));
    assert.equal(excluded.notice, undefined);
    assert.equal(excluded.total, 0);
    assert.deepEqual(excluded.suggestions, []);
  });

  it(`more than ${MAX_EXCLUDED_WORDS} excluded words: the first ${MAX_EXCLUDED_WORDS} apply, the rest are named`, async () => {
    const r = await runSearch(db, parseSearchParams({ q: "的 -医疗 -养老 -就业 -劳动 -职业" }));
    assert.deepEqual(r.excluded, ["医疗", "养老", "就业"]);
    assert.deepEqual(r.ignoredExclusions, ["劳动", "职业"]);
    assert.equal(r.total, expected([["的"]], ["医疗", "养老", "就业"]).size);
  });

  it("excluded words in traditional characters are converted too", async () => {
    const r = await runSearch(db, parseSearchParams({ q: "就業 -醫療" }));
    assert.equal(r.simplified, "就业 -医疗");
    assert.deepEqual(r.excluded, ["医疗"]);
    assert.equal(r.total, expected([["就业"]], ["医疗"]).size);
  });
});

describe("excluded words on a surely common word: the date walk when the sample shows many kept, else counted", async () => {
  const { db } = await createTestDatabase();
  const docs: Doc[] = [];

  before(async () => {
    const a = await createAgency(db, { slug: "syntax-walk", name: "乙市人力资源和社会保障局" });
    const agencyId = (await getAgencyBySlug(db, a.slug)).id;
    // 320 records hold 就业 (more than the phrase sample's 200, so the sample does not see the whole table); one in
    // eight also holds 培训; every one but three holds 通知.
    for (let i = 0; i < 320; i++) {
      const title = `关于就业${i % 8 === 0 ? "培训" : "服务"}的${i % 107 === 0 ? "公告" : "通知"}第${i}号`;
      const id = await insertTestRecord(db, agencyId, {
        title,
        body: "",
        publishedDate: `${2020 + (i % 6)}-0${1 + (i % 9)}-1${i % 10}`,
      });
      docs.push({ id, text: title, year: 2020 + (i % 6) });
    }
    await sql`ANALYZE records`.execute(db);
  });

  const kept = (exclude: string) =>
    new Set(
      docs.filter((d) => containsQuery(d.text, "就业") && !containsQuery(d.text, exclude)).map((d) => d.id),
    );

  it("就业 -培训 (one in eight excluded): walked by date, estimated, and every kept record reachable once", async () => {
    const terms = searchTerms("就业");
    const exclude = searchTerms("培训");
    const want = kept("培训");
    assert.equal(want.size, 280);
    const seen: string[] = [];
    for (let offset = 0; offset < want.size + 20; offset += 20) {
      const r = await searchPublishedRecords(
        db,
        { terms, exclude },
        // exclusionWork 1: a count first would end at once at its bound, its estimate 0 or 320.
        { sort: "date", limit: 20, offset, cap: 20, pool: 40, exclusionWork: 1 },
      );
      assert.ok(r.plan === "walk" || r.plan === "years", `plan ${r.plan}: not counted first`);
      assert.equal(r.exact, false);
      // The sample's share of kept records scales the estimate: near 280, never the 320 of 就业 alone.
      assert.ok(r.total > 200 && r.total < 320, `total ${r.total}`);
      seen.push(...r.rows.map((x) => x.id));
    }
    assert.equal(seen.length, new Set(seen).size, "no record on two pages");
    assert.deepEqual(seen.sort(), [...want].sort());
  });

  it("就业 -通知 (all but three excluded): counted, exactly, never walked on the statistics of 就业", async () => {
    const terms = searchTerms("就业");
    const exclude = searchTerms("通知");
    const want = kept("通知");
    assert.equal(want.size, 3);
    // cap 200: 就业's 320 are surely above it, and the count's bound (603 candidates) covers the table.
    const r = await searchPublishedRecords(
      db,
      { terms, exclude },
      { sort: "date", limit: 20, offset: 0, cap: 200 },
    );
    assert.equal(r.plan, "capped");
    assert.ok(r.exact);
    assert.equal(r.total, 3);
    assert.deepEqual(r.rows.map((x) => x.id).sort(), [...want].sort());
    const facets = await searchFacetCounts(db, { terms, exclude }, 200);
    assert.ok(facets.exact);
    assert.equal(
      facets.years.reduce((s, y) => s + y.n, 0),
      3,
    );
  });
});
