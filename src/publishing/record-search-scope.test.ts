/**
 * Searches narrowed by an agency or a year look that agency's and year's codes up in the GIN index with the query's
 * (record-search.read.ts cappedSource), a phrase whose matches are all far back in
 * the date order is found year by year (record-search-years.read.ts), and the facet count is bounded when the
 * index cannot narrow a phrase (FACET_WORK). Shown without timing: the path taken, the rows found, and a record
 * whose agency code is removed hidden from its agency's searches (proof the index condition holds that code).
 *
 * The regression, at 1,000,000 records and 100 agencies: a common word or a phrase of common pairs searched within
 * one agency took 0.3–37 s — PostgreSQL took the agency's bitmap and re-read every row's codes from TOAST, or
 * verified half a million GIN candidates of other agencies; walking the agency's date index through the signatures
 * (session 8) still read most of its rows when a signature bit was common (健为: 9,870 rows for no match, 93–150 ms).
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { sql } from "kysely";
import { createAgency } from "../../test/factories.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { bulkTestRecord, withAlteredSignatures } from "./publishing.fixtures.ts";
import { type BulkRecord, bulkLoadPublishedRecords } from "./record-bulk.ts";
import { searchFacetCounts, searchPublishedRecords, searchStats, searchTerms } from "./record-search.read.ts";
import { agencyCode, termGrams } from "./record-search.rules.ts";

const FILLER =
  "各有关单位要加强政策宣传解读，及时回应社会关切。就业补贴资金按规定发放，严格执行。行规不可违。";

describe("search within an agency or a year", async () => {
  const { db } = await createTestDatabase();
  let small = "";
  const smallIds: string[] = []; // the small agency's records, newest first
  const phraseIds: string[] = []; // records (any agency) holding 执行规定, newest first

  before(async () => {
    const big = await createAgency(db);
    const few = await createAgency(db);
    small = few.id;
    const records: BulkRecord[] = [];
    // 300 records of a big agency every other day of 2023–2024 (183 in 2023) and 12 of a small one in August
    // 2024; every record holds 就业 and the pairs of 执行规定, three (old ones of the big agency) the phrase itself,
    // one the rare word 鄂伦春.
    for (let i = 0; i < 312; i++) {
      const inSmall = i >= 300;
      const phrase = i === 3 || i === 10 || i === 40;
      const day = inSmall ? 300 + i : 2 * i;
      const date = new Date(Date.UTC(2023, 0, 1 + day)).toISOString().slice(0, 10);
      const r = bulkTestRecord(inSmall ? few.id : big.id, {
        indexNo: `SCOPE/${i + 1}`,
        title: `第${i + 1}号通知`,
        publishedDate: date,
        bodyText: `${FILLER}${phrase ? "执行规定的期限。" : ""}${i === 50 ? "鄂伦春自治旗。" : ""}`,
      });
      records.push(r);
    }
    await bulkLoadPublishedRecords(db, [records], { lanes: 1 });
    await sql`ANALYZE records`.execute(db);
    const { rows } = await sql<{ id: string; agency_id: string; phrase: boolean }>`
      SELECT id, agency_id, strpos(body_text, '执行规定') > 0 AS phrase FROM records
      ORDER BY published_date DESC, first_published_at DESC, agency_id, id`.execute(db);
    smallIds.push(...rows.filter((r) => r.agency_id === small).map((r) => r.id));
    phraseIds.push(...rows.filter((r) => r.phrase).map((r) => r.id));
  });

  it("a common word within a small agency: the agency's matches are counted exactly", async () => {
    const terms = searchTerms("就业");
    const r = await searchPublishedRecords(
      db,
      { terms, agencyId: small },
      { sort: "date", limit: 50, offset: 0, cap: 100 },
    );
    assert.equal(r.plan, "scoped");
    assert.equal(r.exact, true);
    assert.equal(r.total, 12);
    assert.deepEqual(
      r.rows.map((x) => x.id),
      smallIds,
    );
  });

  it("the agency's code is in the index condition: a record without it is not found within its agency", async () => {
    const hidden = smallIds[4] as string;
    const code = agencyCode(small);
    const search = (agencyId?: string) =>
      searchPublishedRecords(
        db,
        { terms: searchTerms("就业"), agencyId },
        { sort: "date", limit: 400, offset: 0, cap: 1000 },
      );
    await sql`UPDATE records SET search_grams = array_remove(search_grams, ${code}::int4) WHERE id = ${hidden}`.execute(
      db,
    );
    try {
      const r = await search(small);
      assert.equal(r.plan, "scoped");
      assert.deepEqual(
        r.rows.map((x) => x.id),
        smallIds.filter((id) => id !== hidden),
      );
      assert.ok(
        (await search()).rows.some((x) => x.id === hidden),
        "found over the whole table",
      );
    } finally {
      await sql`UPDATE records SET search_grams = gk_search_codes(search_text, published_date, agency_id, id)
        WHERE id = ${hidden}`.execute(db);
    }
    assert.deepEqual(
      (await search(small)).rows.map((x) => x.id),
      smallIds,
    );
  });

  it("a phrase of common pairs within a year: the year's code narrows the index to that year, its matches found exactly", async () => {
    const terms = searchTerms("执行规定");
    const r = await searchPublishedRecords(
      db,
      { terms, year: 2023 },
      { sort: "date", limit: 10, offset: 0, cap: 100 },
    );
    assert.equal(r.plan, "capped");
    assert.equal(r.total, 3);
    assert.deepEqual(
      r.rows.map((x) => x.id),
      phraseIds,
    );
    // In 2024 (the small agency's year and the big agency's newest records) there is none.
    const none = await searchPublishedRecords(
      db,
      { terms, year: 2024 },
      { sort: "date", limit: 10, offset: 0, cap: 100 },
    );
    assert.deepEqual([none.plan, none.total], ["capped", 0]);
  });

  it("a rare word within an agency: none of the agency's records holds it", async () => {
    const r = await searchPublishedRecords(
      db,
      { terms: searchTerms("鄂伦春"), agencyId: small },
      { sort: "date", limit: 10, offset: 0, cap: 100 },
    );
    assert.equal(r.plan, "scoped");
    assert.equal(r.total, 0);
  });

  it("a common word within a big agency (more matches than the cap) walks that agency's date index", async () => {
    const terms = searchTerms("就业");
    const big = await sql<{ agency_id: string }>`SELECT agency_id FROM records WHERE agency_id <> ${small}
      LIMIT 1`.execute(db);
    const agencyId = big.rows[0]?.agency_id as string;
    const seen: string[] = [];
    for (let offset = 0; offset < 300; offset += 100) {
      const r = await searchPublishedRecords(
        db,
        { terms, agencyId },
        { sort: "date", limit: 100, offset, cap: 10 },
      );
      assert.equal(r.plan, "walk");
      seen.push(...r.rows.map((x) => x.id));
    }
    assert.equal(seen.length, 300);
    assert.equal(new Set(seen).size, 300);
  });

  it("a phrase whose matches are all far back (none among the newest candidates) is found year by year", async () => {
    const terms = searchTerms("执行规定");
    const stats = await searchStats(db, terms);
    const seen: string[] = [];
    for (let offset = 0; offset < 5; offset++) {
      // cap 2: more matches (3) than the cap; the sample of the newest 200 candidates holds none of them.
      const r = await searchPublishedRecords(
        db,
        { terms },
        { sort: "date", limit: 1, offset, cap: 2 },
        stats,
      );
      assert.equal(r.plan, "years");
      assert.equal(r.exact, false);
      seen.push(...r.rows.map((x) => x.id));
    }
    // The newest candidates hold no match: the index's first 200 candidates are sampled too (the table's order),
    // and hold the three.
    assert.deepEqual(
      [...stats.phraseSamples.values()].map(({ n, m, whole }) => ({ n, m, whole })),
      [
        { n: 200, m: 0, whole: false },
        { n: 200, m: 3, whole: false },
      ],
    );
    assert.deepEqual(seen, phraseIds);
    // Relevance: the same three, ranked (no title holds the phrase: by date).
    const ranked = await searchPublishedRecords(
      db,
      { terms },
      { sort: "relevance", limit: 10, offset: 0, cap: 2 },
      stats,
    );
    assert.equal(ranked.plan, "years");
    assert.deepEqual(
      ranked.rows.map((x) => x.id),
      phraseIds,
    );
  });

  it("facets of a phrase the index cannot narrow are estimated from the index's first candidates", async () => {
    const terms = searchTerms("执行规定");
    const stats = await searchStats(db, terms);
    // cap 2: the pairs say common, so the sample (the newest 200 candidates, none holding the phrase) is taken and
    // shows the capped count would read every candidate. The newest candidates holding none of the matches, the
    // index's first 200 candidates (the table's order) are verified and stand for all of them: its 3 matches, of
    // 2023, scaled and marked as estimates.
    const bounded = await searchFacetCounts(db, { terms }, 2, stats, 50);
    const samples = [...stats.phraseSamples.values()];
    assert.deepEqual(
      samples.map(({ n, m, whole }) => ({ n, m, whole })),
      [
        { n: 200, m: 0, whole: false },
        { n: 200, m: 3, whole: false },
      ],
    );
    assert.equal(bounded.exact, false);
    assert.deepEqual(
      bounded.years.map((y) => y.year),
      [2023],
    );
    assert.ok((bounded.years[0]?.n ?? 0) >= 3);
    // With a large enough bound (and a cap above the matches) every candidate is read: exact, the three old matches.
    const exact = await searchFacetCounts(db, { terms }, 100, stats, 1_000);
    assert.equal(exact.exact, true);
    assert.deepEqual(exact.years, [{ year: 2023, n: 3 }]);
  });

  it("facets of a phrase whose index candidates are few are counted exactly, whatever its newest sample says", async () => {
    const terms = searchTerms("鄂伦春");
    const { rows } = await sql<{ id: string }>`SELECT id FROM records`.execute(db);
    // Every signature passes (as rows written before signatures existed): the newest sample holds 200 candidates
    // and no match; and the statistics, as if its codes sat at a high cut-off, bound it at half the table.
    await withAlteredSignatures(db, { unsigned: rows.map((r) => r.id) }, async () => {
      const stats = await searchStats(db, terms);
      // One code just below the cut-off (unlisted), the other listed at it.
      const [below, at] = termGrams("鄂伦春").codes;
      stats.codeFreq.delete(below as number);
      stats.codeFreq.set(at as number, 0.5);
      stats.minCodeFreq = 0.5;
      const facets = await searchFacetCounts(db, { terms }, 2, stats, 50);
      assert.deepEqual(
        [...stats.phraseSamples.values()].map(({ n, m, whole }) => ({ n, m, whole })),
        [
          { n: 200, m: 0, whole: false },
          { n: 1, m: 1, whole: true },
        ],
      );
      assert.equal(facets.exact, true);
      assert.deepEqual(facets.years, [{ year: 2023, n: 1 }]);
    });
  });
});
