/**
 * How record search picks its path (capped index scan or date walk) from statistics, on a small corpus where the
 * cause of a slow plan can be shown without timing: the path taken (`plan`) and the rows found.
 *
 * The regression: at 200,000 records the rare word 猎民 (9 records) hit the 5 s search timeout. EXPLAIN showed an
 * index scan of the date order that read all 200,000 records (Rows Removed by Filter: 199991): its token code was
 * missing from the most-common-elements statistics of search_grams, whose least listed frequency was 0.67, so
 * the estimate (66,687) sent it to the date walk meant for common words.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { sql } from "kysely";
import { createAgency } from "../../test/factories.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { bulkTestRecord, withAlteredSignatures } from "./publishing.fixtures.ts";
import { type BulkRecord, bulkLoadPublishedRecords } from "./record-bulk.ts";
import {
  estimateMatches,
  searchFacetCounts,
  searchPublishedRecords,
  searchStats,
  searchTerms,
  surelyCommon,
  tokenCode,
} from "./record-search.read.ts";
import type { SearchStats } from "./record-search-stats.ts";

const COMMON = "各有关单位要加强政策宣传解读，及时回应社会关切，营造良好舆论氛围。就业补贴资金按规定发放。";

describe("record search path from statistics", async () => {
  const { db } = await createTestDatabase();
  const rareIds: string[] = [];

  before(async () => {
    const agency = await createAgency(db);
    const records: BulkRecord[] = Array.from({ length: 60 }, (_, i) => {
      const rare = i === 17 || i === 42;
      const r = bulkTestRecord(agency.id, {
        indexNo: `TEST/2025-${String(i + 1).padStart(5, "0")}`,
        title: `关于做好第${i + 1}批就业补贴发放工作的通知`,
        publishedDate: `2025-01-${String(1 + (i % 28)).padStart(2, "0")}`,
        bodyText: `${COMMON}${rare ? "鄂伦春自治旗猎民有关情况另行通报。" : ""}${COMMON}`,
      });
      if (rare) rareIds.push(r.id as string);
      return r;
    });
    await bulkLoadPublishedRecords(db, [records], { lanes: 1 });
  });

  it("a rare word whose code is missing from the statistics takes the capped index path, not the date walk", async () => {
    // Statistics as a large table has them: a short most-common-elements list whose least frequent element is
    // in most records, so the rare code is not listed.
    await sql`ALTER TABLE records ALTER COLUMN search_grams SET STATISTICS 1`.execute(db);
    await sql`ANALYZE records`.execute(db);
    const terms = searchTerms("猎民");
    const stats = await searchStats(db, terms);
    assert.equal(stats.codeFreq.has(tokenCode("猎民")), false, "precondition: 猎民 is not listed");
    const cap = 2;
    const estimate = estimateMatches(stats, { terms });
    assert.ok(
      estimate && estimate.sure === 0 && estimate.n > 3 * cap,
      `precondition: estimate ${estimate?.n}`,
    );
    const r = await searchPublishedRecords(
      db,
      { terms },
      { sort: "relevance", limit: 10, offset: 0, cap },
      stats,
    );
    assert.equal(r.plan, "capped");
    assert.equal(r.exact, true);
    assert.deepEqual(r.rows.map((x) => x.id).sort(), [...rareIds].sort());
  });

  it("a word listed as common in every record takes the date walk and says 约", async () => {
    await sql`ALTER TABLE records ALTER COLUMN search_grams SET STATISTICS 300`.execute(db);
    await sql`ANALYZE records`.execute(db);
    const terms = searchTerms("就业");
    const stats = await searchStats(db, terms);
    const r = await searchPublishedRecords(
      db,
      { terms },
      { sort: "date", limit: 10, offset: 0, cap: 2, withFacets: true },
      stats,
    );
    assert.equal(r.plan, "years");
    assert.equal(r.exact, false);
    assert.equal(r.rows.length, 10);
    // The facets of those matches come with the page, estimated: what searchFacetCounts says, without its scan.
    assert.equal(r.facets?.exact, false);
    assert.deepEqual(r.facets, await searchFacetCounts(db, { terms }, 2, stats));
  });
});

describe("search text storage (migration 2026-12-04T1400)", async () => {
  const { db } = await createTestDatabase();

  it("keeps the folded search text in the row, uncompressed, with the small columns beside it", async () => {
    const agency = await createAgency(db);
    // About 1,500 characters (4.5 kB): compressed and moved out of the row with the default TOAST settings.
    const body = Array.from({ length: 40 }, (_, i) => `第${i + 1}条${COMMON}`).join("\n");
    await bulkLoadPublishedRecords(
      db,
      [
        [
          {
            agencyId: agency.id,
            indexNo: "TEST/2025-99999",
            title: "关于做好就业补贴发放工作的通知",
            summary: "就业补贴发放有关事项。",
            issuingAgency: "测试机关",
            docNumber: "测试发〔2025〕1号",
            publishedDate: "2025-03-01",
            topic: "劳动、人事、监察",
            genre: "通知",
            keywords: ["就业"],
            validity: null,
            itemId: null,
            itemStableKey: null,
            bodyHtml: body
              .split("\n")
              .map((p) => `<p>${p}</p>`)
              .join(""),
            bodyText: body,
          },
        ],
      ],
      { lanes: 1 },
    );
    const { rows } = await sql<{ raw: number; stored: number; compression: string | null; version: number }>`
      SELECT octet_length(search_text) AS raw, pg_column_size(search_text) AS stored,
             pg_column_compression(search_text) AS compression, current_setting('server_version_num')::int AS version
      FROM records WHERE index_no = 'TEST/2025-99999'`.execute(db);
    const r = rows[0];
    assert.ok(r && r.raw > 4000, `precondition: ${r?.raw} bytes of search text`);
    assert.equal(r.compression, null, "not compressed");
    assert.ok(r.stored <= r.raw + 4, `stored ${r.stored} bytes for ${r.raw}`);
    if (r.version >= 170000) {
      // pg_column_toast_chunk_id (PostgreSQL 17+): NULL when the value is in the row.
      const inRow = await sql<{ text: boolean; head: boolean; title: boolean }>`
        SELECT pg_column_toast_chunk_id(search_text) IS NULL AS text,
               pg_column_toast_chunk_id(search_head) IS NULL AS head,
               pg_column_toast_chunk_id(title) IS NULL AS title
        FROM records WHERE index_no = 'TEST/2025-99999'`.execute(db);
      assert.deepEqual(inRow.rows[0], { text: true, head: true, title: true });
    }
  });
});

describe("surelyCommon", () => {
  const stats = (codeFreq: [number, number][], minCodeFreq: number): SearchStats => ({
    rows: 200_000,
    columns: new Map(),
    codeFreq: new Map(codeFreq),
    minCodeFreq,
    phraseSamples: new Map(),
  });
  const code = tokenCode("猎民");
  const cases: [string, SearchStats, boolean][] = [
    ["unlisted code, high least-listed frequency: may be rare", stats([], 0.67), false],
    ["listed code in half the records", stats([[code, 0.5]], 0.02), true],
    ["listed code in 1 % of the records (2,000 > 1.5 × cap)", stats([[code, 0.01]], 0.005), true],
    ["listed code in 0.7 % of the records (1,400 ≤ 1.5 × cap)", stats([[code, 0.007]], 0.005), false],
  ];
  for (const [name, st, want] of cases)
    it(name, () => {
      assert.equal(surelyCommon(estimateMatches(st, { terms: ["猎民"] }), 1000), want);
    });
  it("a query whose expansion is rare but whose own word is listed as common: common", () => {
    const st = stats([[tokenCode("社保"), 0.5]], 0.02);
    assert.equal(surelyCommon(estimateMatches(st, { terms: ["社保", "猎民"] }), 1000), true);
  });
});

describe("the date walk tests each record's signature in the index", async () => {
  const { db } = await createTestDatabase();
  const ids: string[] = []; // newest first
  const phraseIds: string[] = [];

  before(async () => {
    const agency = await createAgency(db);
    const records: BulkRecord[] = Array.from({ length: 40 }, (_, i) => {
      const phrase = i === 5 || i === 30;
      const r = bulkTestRecord(agency.id, {
        indexNo: `SIG/2025-${String(i + 1).padStart(5, "0")}`,
        title: `第${i + 1}号通知`,
        publishedDate: `2025-02-${String(28 - (i % 28)).padStart(2, "0")}`,
        // Every record holds the pairs 执行, 行规 and 规定; only two hold the phrase 执行规定.
        bodyText: `严格执行。行规不可违。就业补贴按规定办理。${phrase ? "执行规定的期限。" : ""}`,
      });
      if (phrase) phraseIds.push(r.id as string);
      return r;
    });
    await bulkLoadPublishedRecords(db, [records], { lanes: 1 });
    await sql`ANALYZE records`.execute(db);
    const { rows } = await sql<{ id: string }>`SELECT id FROM records
      ORDER BY published_date DESC, first_published_at DESC, agency_id, id`.execute(db);
    ids.push(...rows.map((r) => r.id));
  });

  for (const years of [undefined, { probe: 0, firstWalk: 0 }, { probe: 3, firstWalk: 0 }])
    it(`finds every match in date order, page after page, as the text says (${JSON.stringify(years ?? "defaults")})`, async () => {
      const terms = searchTerms("就业");
      const seen: string[] = [];
      for (let offset = 0; offset < 50; offset += 7) {
        const r = await searchPublishedRecords(
          db,
          { terms },
          { sort: "date", limit: 7, offset, cap: 2, years },
        );
        assert.equal(r.plan, "years");
        seen.push(...r.rows.map((x) => x.id));
      }
      assert.deepEqual(seen, ids);
    });

  for (const years of [undefined, { probe: 0, firstWalk: 0 }])
    it(`reads the heap only for records whose signature holds the query's bits (none: not even looked at) (${JSON.stringify(years ?? "first walk")})`, async () => {
      const [zeroed, unsigned] = [ids[3] as string, ids[9] as string];
      // A signature without the bits hides its record from the walk — proof the walk filters on it; a record
      // without a signature (written before the column existed) is still verified and found.
      await withAlteredSignatures(db, { zeroed: [zeroed], unsigned: [unsigned] }, async () => {
        const r = await searchPublishedRecords(
          db,
          { terms: searchTerms("就业") },
          // the first walk (30 of the 39 it can see: enough, the years are not needed), or (probe 0) every year
          // walked through its date index (the signatures)
          { sort: "date", limit: years ? 50 : 30, offset: 0, cap: 2, years },
        );
        assert.equal(r.plan, "years");
        assert.deepEqual(
          r.rows.map((x) => x.id),
          ids.filter((id) => id !== zeroed).slice(0, years ? 50 : 30),
        );
      });
    });

  it("a phrase whose every pair is common but which is itself rare is counted exactly, not walked", async () => {
    const terms = searchTerms("执行规定");
    const stats = await searchStats(db, terms);
    const estimate = estimateMatches(stats, { terms });
    assert.ok(surelyCommon(estimate, 2), `precondition: its pairs say common (${estimate?.sure})`);
    const r = await searchPublishedRecords(
      db,
      { terms },
      { sort: "relevance", limit: 10, offset: 0, cap: 2 },
      stats,
    );
    assert.equal(r.plan, "capped");
    assert.equal(r.exact, true);
    assert.equal(r.total, 2);
    // The sample (all 40 records hold the phrase's bits, 2 the phrase) is taken once for the page and the facets.
    await searchFacetCounts(db, { terms }, 2, stats);
    assert.deepEqual(
      [...stats.phraseSamples.values()].map(({ n, m, whole }) => ({ n, m, whole })),
      [{ n: 40, m: 2, whole: true }],
    );
    assert.deepEqual(r.rows.map((x) => x.id).sort(), [...phraseIds].sort());
  });
});
