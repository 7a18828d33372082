/**
 * A phrase whose candidates are all years back (none among the newest SAMPLE_ENTRIES records holds its signature
 * bits: 2013年, 〔2014〕 in a corpus of later years) is judged by a sample of the GIN index's own candidates
 * (record-search.read.ts chooseWalk, indexSample): common among them, the search goes year by year at once instead
 * of verifying cap + 1 matches first (2013年 at 1,000,000 records: 93 ms for that capped count); rare among them,
 * the capped path counts it exactly.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { sql } from "kysely";
import { createAgency } from "../../test/factories.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { bulkTestRecord } from "./publishing.fixtures.ts";
import { type BulkRecord, bulkLoadPublishedRecords } from "./record-bulk.ts";
import {
  chooseWalk,
  estimateMatches,
  PRECISION_SAMPLE,
  SAMPLE_ENTRIES,
  searchPublishedRecords,
  searchStats,
  searchTerms,
} from "./record-search.read.ts";
import { bucketCode, bucketCodeOf, termGrams } from "./record-search.rules.ts";
import { indexSample, SAMPLE_BUCKET } from "./record-search-path.ts";

describe("a phrase whose candidates are all years back", async () => {
  const { db } = await createTestDatabase();

  before(async () => {
    const agency = await createAgency(db);
    const records: BulkRecord[] = [];
    const add = (n: number, key: string, date: string, bodyText: string) => {
      for (let i = 0; i < n; i++)
        records.push(
          bulkTestRecord(agency.id, {
            indexNo: `FAR/${key}-${i}`,
            title: "工作通知",
            publishedDate: date,
            bodyText,
          }),
        );
    };
    // The newest SAMPLE_ENTRIES + 200 records (2024) hold none of the phrases' pairs.
    add(SAMPLE_ENTRIES + 200, "new", "2024-06-01", "各单位要做好宣传解读工作。");
    // 2015: 300 records with 执行规定期限; 2014: 300 with every pair of 认真审查 but not the phrase, 5 with it.
    add(300, "far", "2015-03-01", "按照执行规定期限办理。");
    add(300, "decoy", "2014-03-01", "认真真审审查。");
    add(5, "rare", "2014-04-01", "认真审查。");
    await bulkLoadPublishedRecords(db, [records], { lanes: 1 });
    await sql`ALTER TABLE records ALTER COLUMN search_grams SET STATISTICS 300`.execute(db);
    await sql`ANALYZE records`.execute(db);
  });

  it("common among the index's candidates: year by year at once, every match reachable", async () => {
    const terms = searchTerms("执行规定期限");
    const stats = await searchStats(db, terms);
    const choice = await chooseWalk(db, stats, { terms }, 10);
    const samples = [...stats.phraseSamples.values()];
    assert.equal(samples[0]?.n, 0, "none of the newest records holds the phrase's bits");
    assert.deepEqual(
      [samples[1]?.n, samples[1]?.m, samples[1]?.whole],
      [PRECISION_SAMPLE, PRECISION_SAMPLE, false],
    );
    assert.equal(choice.walk, true);
    const seen = new Set<string>();
    for (let offset = 0; offset < 300; offset += 100) {
      const r = await searchPublishedRecords(
        db,
        { terms },
        { sort: "date", limit: 100, offset, cap: 10 },
        stats,
      );
      assert.equal(r.plan, "years");
      for (const x of r.rows) seen.add(x.id);
    }
    assert.equal(seen.size, 300);
  });

  it("a code just below the statistics' cut-off: the phrase is still sampled, walked when dense among the newest", async () => {
    // As if ANALYZE had listed every code of the phrase but one (the list's least frequency just above it): no
    // sure share, only an upper bound.
    const unsure = async (phrase: string) => {
      const terms = searchTerms(phrase);
      const stats = await searchStats(db, terms);
      const [dropped] = termGrams(phrase).codes;
      stats.codeFreq.delete(dropped as number);
      stats.minCodeFreq = Math.max(...stats.codeFreq.values());
      assert.equal(estimateMatches(stats, { terms })?.sure, 0, "no sure share");
      return { terms, stats };
    };
    // In every one of the newest records: 200 of the first 200 candidates match, within the newest 5,000.
    const dense = await unsure("宣传解读工作");
    const walked = await chooseWalk(db, dense.stats, { terms: dense.terms }, 10);
    assert.deepEqual(
      [...dense.stats.phraseSamples.values()].map((x) => [x.n, x.m]),
      [[PRECISION_SAMPLE, PRECISION_SAMPLE]],
    );
    assert.equal(walked.walk, true);
    // None among the newest: no density to go by, the capped path counts it (exactly: 300 matches).
    const far = await unsure("执行规定期限");
    assert.equal((await chooseWalk(db, far.stats, { terms: far.terms }, 10)).walk, false);
    const r = await searchPublishedRecords(
      db,
      { terms: far.terms },
      { sort: "date", limit: 10, offset: 0 },
      far.stats,
    );
    assert.deepEqual([r.total, r.exact], [300, true]);
  });

  it("two codes below the cut-off: no sample, the capped path counts it", async () => {
    const terms = searchTerms("宣传解读工作");
    const stats = await searchStats(db, terms);
    const [a, b] = termGrams("宣传解读工作").codes;
    stats.codeFreq.delete(a as number);
    stats.codeFreq.delete(b as number);
    stats.minCodeFreq = Math.max(...stats.codeFreq.values());
    assert.equal((await chooseWalk(db, stats, { terms }, 10)).walk, false);
    assert.equal(stats.phraseSamples.size, 0);
  });

  it("rare among them: the capped path counts it exactly", async () => {
    const terms = searchTerms("认真审查");
    const stats = await searchStats(db, terms);
    const choice = await chooseWalk(db, stats, { terms }, 10);
    const samples = [...stats.phraseSamples.values()];
    assert.equal(samples[0]?.n, 0);
    assert.equal(samples[1]?.n, PRECISION_SAMPLE);
    assert.ok((samples[1]?.m ?? 0) < 10, `${samples[1]?.m} of the sample match`);
    assert.equal(choice.walk, false);
    const r = await searchPublishedRecords(
      db,
      { terms },
      { sort: "date", limit: 10, offset: 0, cap: 10 },
      stats,
    );
    assert.deepEqual([r.plan, r.total, r.exact], ["capped", 5, true]);
  });

  it("within an agency or a year, the capped path decides without the index sample", async () => {
    const terms = searchTerms("执行规定期限");
    const stats = await searchStats(db, terms);
    const choice = await chooseWalk(db, stats, { terms, year: 2015 }, 10);
    assert.equal(choice.walk, false);
    assert.equal(stats.phraseSamples.size, 1);
  });
});

describe("the index sample of a phrase with many candidates: one sampling bucket's", async () => {
  const { db } = await createTestDatabase();
  const inBucket = (id: string) => bucketCode(id) === bucketCodeOf(SAMPLE_BUCKET);

  before(async () => {
    const agency = await createAgency(db);
    const records: BulkRecord[] = [];
    // 1,280 records with every pair of 认真审查: those of the sampling bucket (~20) hold the phrase, no other does.
    // 执行规定期限 is in three records, none of the bucket.
    for (let i = 0; i < 1280; i++) {
      const r = bulkTestRecord(agency.id, { indexNo: `BKT/${i}`, title: "工作通知", bodyText: "" });
      r.bodyText = inBucket(r.id as string) ? "认真审查。" : "认真真审审查。";
      records.push(r);
    }
    let far = 0;
    while (far < 3) {
      const r = bulkTestRecord(agency.id, {
        indexNo: `BKT/far-${far}`,
        title: "通知",
        bodyText: "按照执行规定期限办理。",
      });
      if (inBucket(r.id as string)) continue;
      records.push(r);
      far++;
    }
    await bulkLoadPublishedRecords(db, [records], { lanes: 1 });
    await sql`ANALYZE records`.execute(db);
  });

  it("is taken among the bucket's candidates when it holds a full sample: they alone match here", async () => {
    const terms = searchTerms("认真审查");
    const ids = await db.selectFrom("records").select("id").execute();
    const bucket = ids.filter((r) => inBucket(r.id)).length;
    assert.ok(bucket >= 5, `${bucket} records in the bucket`);
    const sample = await indexSample(db, await searchStats(db, terms), { terms }, 5);
    // The whole table's first 5 candidates would be decoys (~63 in 64 of them are).
    assert.deepEqual([sample.n, sample.m, sample.whole], [5, 5, false]);
  });

  it("falls back to the whole table's candidates when the bucket holds fewer: then they may be all there are", async () => {
    const terms = searchTerms("执行规定期限");
    const sample = await indexSample(db, await searchStats(db, terms), { terms }, 5);
    assert.deepEqual([sample.n, sample.m, sample.whole], [3, 3, true]);
  });
});
