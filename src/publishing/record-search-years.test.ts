/**
 * Searches over the whole table with more matches than the cap find their newest matches year by year
 * (record-search-years.read.ts): every match is reachable by paging, in the date order, whether they come from the
 * first walk, a year's candidates read whole from the GIN index (its year code) or its date index walked through
 * the signatures, with
 * matches years back, and numbers found by their digit grams.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { sql } from "kysely";
import { createAgency } from "../../test/factories.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { bulkTestRecord, insertTestRecord } from "./publishing.fixtures.ts";
import { type BulkRecord, bulkLoadPublishedRecords } from "./record-bulk.ts";
import { denseYears, searchPublishedRecords, searchStats, searchTerms } from "./record-search.read.ts";
import { yearCode } from "./record-search.rules.ts";
import { afterRecord, type Boundary } from "./record-search-years.read.ts";

describe("the newest matches, year by year", async () => {
  const { db } = await createTestDatabase();

  before(async () => {
    const agency = await createAgency(db);
    const records: BulkRecord[] = [];
    // 2016–2024, 8 records a year. 甲乙 is in every 2017 record, one of 2021, two of 2024; "2017" in the 文号 of
    // every 2017 record and the body of one 2023 record; 社保 everywhere.
    for (let year = 2016; year <= 2024; year++)
      for (let i = 0; i < 8; i++) {
        const phrase = year === 2017 || (year === 2021 && i === 3) || (year === 2024 && i < 2);
        records.push(
          bulkTestRecord(agency.id, {
            indexNo: `YR/${year}-${String(i + 1).padStart(5, "0")}`,
            title: `第${i + 1}号通知`,
            docNumber: `人社发〔${year}〕${i + 1}号`,
            publishedDate: `${year}-0${1 + (i % 4)}-15`, // pairs share a date (and first publication time)
            bodyText: `社保工作。${phrase ? "甲乙丙丁。" : "丙丁甲。乙方。"}${year === 2023 && i === 5 ? "参照2017年办法。" : ""}`,
          }),
        );
      }
    await bulkLoadPublishedRecords(db, [records], { lanes: 1 });
    // One written by the trigger (single-record path), in 2022.
    await insertTestRecord(db, agency.id, {
      title: "单条",
      body: "甲乙丙丁，社保，2017",
      docNumber: "",
      publishedDate: "2022-06-01",
    });
    // Some without a first publication time (imported records): last within their date.
    await sql`UPDATE records SET first_published_at = NULL
      WHERE extract(year FROM published_date) IN (2021, 2024) AND right(index_no, 1) IN ('1', '2', '3', '4')`.execute(
      db,
    );
    await sql`ALTER TABLE records ALTER COLUMN search_grams SET STATISTICS 300`.execute(db);
    await sql`ANALYZE records`.execute(db);
  });

  /** The matches in the portal's date order, by the text itself. */
  async function oracle(term: string): Promise<string[]> {
    const { rows } = await sql<{ id: string }>`SELECT id FROM records
      WHERE status = 'published' AND strpos(search_text, ${term}) > 0
      ORDER BY published_date DESC NULLS LAST, first_published_at DESC NULLS LAST, agency_id, id`.execute(db);
    return rows.map((r) => r.id);
  }

  for (const query of ["甲乙", "2017", "〔2017〕", "社保"])
    for (const years of [
      undefined,
      { firstWalk: 0, probe: 0 },
      { firstWalk: 0, probe: 1 },
      { firstWalk: 0, probe: 4 },
      { firstWalk: 1, probe: 4 },
      { firstWalk: 1, probe: 0 },
      // Years said to be dense (an index sample's) are walked without their probe, whatever they hold.
      { firstWalk: 0, probe: 4, denseYears: [2024, 2021, 2017, 2016] },
      { firstWalk: 1, probe: 1, denseYears: [2023, 2022] },
    ])
      it(`${query}: every match once, in date order (${JSON.stringify(years ?? "defaults")})`, async () => {
        const terms = searchTerms(query);
        const want = await oracle(terms[0] as string);
        assert.ok(want.length > 4, `${want.length} matches`);
        const stats = await searchStats(db, terms);
        const seen: string[] = [];
        for (let offset = 0; offset < want.length + 6; offset += 4) {
          const r = await searchPublishedRecords(
            db,
            { terms },
            { sort: "date", limit: 4, offset, cap: 2, years },
            stats,
          );
          assert.equal(r.plan, "years");
          seen.push(...r.rows.map((x) => x.id));
        }
        assert.deepEqual(seen, want);
      });

  it("relevance: the newest matches ranked, the same set as by date", async () => {
    const terms = searchTerms("甲乙");
    const want = await oracle("甲乙");
    const r = await searchPublishedRecords(
      db,
      { terms },
      { sort: "relevance", limit: 50, offset: 0, cap: 2, years: { firstWalk: 0, probe: 1 } },
    );
    assert.equal(r.plan, "years");
    assert.deepEqual(r.rows.map((x) => x.id).sort(), [...want].sort());
  });

  it("a number's digit grams tell years apart: 2017 is not found in records of 2016 or 2018", async () => {
    const r = await searchPublishedRecords(
      db,
      { terms: searchTerms("2017") },
      { sort: "date", limit: 50, offset: 0, cap: 100 },
    );
    assert.equal(r.plan, "capped");
    assert.deepEqual(r.rows.map((x) => x.id).sort(), [...(await oracle("2017"))].sort());
    assert.equal(r.total, 8 + 1 + 1);
  });

  it("the years together stay within the search's statement timeout", async () => {
    const terms = searchTerms("甲乙");
    const search = (timeoutMs: number) =>
      db
        .transaction()
        .execute((trx) =>
          searchPublishedRecords(
            trx,
            { terms },
            { sort: "date", limit: 20, offset: 0, cap: 2, years: { firstWalk: 0, probe: 1 }, timeoutMs },
          ),
        );
    // Budget spent (0 ms): the search stops before its second year, as a statement timeout would stop it.
    await assert.rejects(search(0), (e: { code?: string }) => e.code === "search_timeout");
    assert.equal((await search(60_000)).rows.length, 12);
  });

  it("a year filter looks the year's code up in the index (a record without it is not a candidate)", async () => {
    const terms = searchTerms("甲乙");
    const search = (year?: number) =>
      searchPublishedRecords(db, { terms, year }, { sort: "date", limit: 50, offset: 0, cap: 100 });
    const in2017 = (await search(2017)).rows.map((x) => x.id);
    assert.equal(in2017.length, 8);
    const hidden = in2017[0] as string;
    await sql`ALTER TABLE records DISABLE TRIGGER records_search_columns`.execute(db);
    try {
      await sql`UPDATE records SET search_grams = array_remove(search_grams, ${yearCode("2017-01-01")}::int4)
        WHERE id = ${hidden}`.execute(db);
      const r = await search(2017);
      assert.equal(r.plan, "capped");
      assert.deepEqual(
        r.rows.map((x) => x.id),
        in2017.filter((id) => id !== hidden),
      );
      assert.ok(
        (await search()).rows.some((x) => x.id === hidden),
        "without the year filter it is found",
      );
    } finally {
      await sql`ALTER TABLE records ENABLE TRIGGER records_search_columns`.execute(db);
      await sql`UPDATE records SET search_text = NULL WHERE id = ${hidden}`.execute(db);
    }
  });

  it("the records after a record in the date order (where the years continue the first walk), for every record", async () => {
    const { rows } = await sql<Boundary & { n: number }>`
      SELECT published_date::text AS published_date, first_published_at::text AS first_published_at, agency_id, id
      FROM records WHERE status = 'published'
      ORDER BY published_date DESC NULLS LAST, first_published_at DESC NULLS LAST, agency_id, id`.execute(db);
    assert.ok(rows.some((r) => r.first_published_at === null));
    for (const [i, b] of rows.entries()) {
      const { rows: after } = await sql<{ id: string }>`SELECT r.id FROM records r
        WHERE r.status = 'published' AND ${afterRecord("r", b)}
        ORDER BY r.published_date DESC NULLS LAST, r.first_published_at DESC NULLS LAST, r.agency_id, r.id`.execute(
        db,
      );
      assert.deepEqual(
        after.map((r) => r.id),
        rows.slice(i + 1).map((r) => r.id),
        `after ${JSON.stringify(b)}`,
      );
    }
  });

  it("keys read back the same under another DateStyle and TimeZone", async () => {
    const terms = searchTerms("甲乙");
    const want = await oracle("甲乙");
    const seen = await db.transaction().execute(async (trx) => {
      await sql`SELECT set_config('DateStyle', 'SQL, DMY', true), set_config('TimeZone', 'America/New_York', true)`.execute(
        trx,
      );
      const ids: string[] = [];
      for (let offset = 0; offset < want.length + 6; offset += 4) {
        const r = await searchPublishedRecords(
          trx,
          { terms },
          { sort: "date", limit: 4, offset, cap: 2, years: { firstWalk: 1, probe: 1 } },
        );
        ids.push(...r.rows.map((x) => x.id));
      }
      return ids;
    });
    assert.deepEqual(seen, want);
  });
});

describe("denseYears: the years an index sample shows to hold many matches", () => {
  const sample = (years: [number, number][], m: number) => ({
    n: 200,
    m,
    whole: false,
    facets: years.map(([year, n]) => ({ g: 11, agency_id: null, year, validity: null, genre: null, n })),
  });
  const cases: [string, ReturnType<typeof sample> | undefined, number, number[]][] = [
    ["all of 67,000 matches in 2020", sample([[2020, 200]], 200), 67_000, [2020]],
    [
      "split: each year's share of the total",
      sample(
        [
          [2020, 150],
          [2019, 48],
          [2018, 2], // 67,000 × 2 ÷ 200 = 670 matches, not above 800
        ],
        200,
      ),
      67_000,
      [2020, 2019],
    ],
    ["at most twice the probe: not dense", sample([[2020, 200]], 200), 800, []],
    ["just above", sample([[2020, 200]], 200), 801, [2020]],
    ["no matches in the sample", sample([], 0), 67_000, []],
    ["no sample", undefined, 67_000, []],
  ];
  for (const [name, s, total, want] of cases)
    it(name, () => assert.deepEqual(denseYears(s, total, 400), want));
});
