/**
 * The SQL search functions (gk_search_fold / gk_search_tokens / gk_search_grams) and their TypeScript mirror must
 * agree exactly: single records are indexed in SQL (trigger), bulk loads and queries in TypeScript.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { createAgency } from "../../test/factories.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { migrateDown, migrateToLatest, migrationStatus } from "../db/migrator.ts";
import { insertTestRecord } from "../publishing/publishing.fixtures.ts";
import {
  MAX_QUERY_TOKENS,
  recordSearchColumns,
  searchGrams,
  termGrams,
  tokenCode,
} from "../publishing/record-search.read.ts";
import {
  agencyCode,
  boundaryCode,
  bucketCode,
  bucketCodeOf,
  digitGramCode,
  SAMPLE_BUCKETS,
  searchSignature,
  yearCode,
} from "../publishing/record-search.rules.ts";
import { seededRandom } from "../shared/random.ts";
import { FOLD_PAIRS, foldForSearch, searchTokens } from "./search.rules.ts";

const ALPHABET = [
  ..."社会保险就业补贴养老失业工伤人力资源和政府信息公开年度报告关于通知（）、。：；“”《》〔〕",
  ..."abcXYZ019 '\"\\&|!:*()<>%_-",
  ...FOLD_PAIRS.map(([from]) => from),
  "😀",
  "𠀀",
  "é",
  "ß",
  "İ",
];

/** Texts dense in digit runs (digit grams: 3 and 4 consecutive digits), full-width digits included. */
const DIGITS = [..."0123456789０１２３４５６７８９0123456789", ..."年〔〕号 a"];

function randomText(next: () => number, max: number, alphabet: readonly string[] = ALPHABET): string {
  const n = Math.floor(next() * max);
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(next() * alphabet.length)];
  return s;
}

describe("search functions in SQL mirror search.rules.ts", async () => {
  const { db } = await createTestDatabase();

  it("gk_search_fold maps every folded character exactly like foldForSearch", async () => {
    const all = FOLD_PAIRS.map(([f]) => f).join("") + "社保abcÀé😀";
    const { rows } = await sql<{ f: string }>`SELECT gk_search_fold(${all}) AS f`.execute(db);
    assert.equal(rows[0]?.f, foldForSearch(all));
  });

  it("gk_search_tokens equals searchTokens on fixed and random texts", async () => {
    const next = seededRandom(20261123);
    const texts = [
      "",
      " ",
      "社",
      "社保",
      "关于做好２０２４年度城乡居民基本养老保险缴费工作的通知",
      "A\tB\u3000C\u00a0D",
      "'\\&|!",
      "😀😀𠀀",
      ...Array.from({ length: 300 }, () => randomText(next, 40)),
    ];
    const { rows } = await sql<{ i: number; tokens: string[] }>`
      SELECT t.i::int AS i, gk_search_tokens(t.s) AS tokens
      FROM unnest(${texts}::text[]) WITH ORDINALITY AS t(s, i)`.execute(db);
    assert.equal(rows.length, texts.length);
    for (const row of rows) {
      const text = texts[row.i - 1] as string;
      assert.deepEqual(new Set(row.tokens), new Set(searchTokens(text)), JSON.stringify(text));
      assert.equal(row.tokens.length, searchTokens(text).length, JSON.stringify(text));
    }
  });

  it("gk_search_grams equals searchGrams on fixed and random texts", async () => {
    const next = seededRandom(20261204);
    const texts = [
      "",
      " ",
      "社",
      "社保",
      "险种 a\tb",
      "😀😀𠀀x",
      "2019",
      "人社发〔２０２６〕12号 20190 1 22 333",
      ...Array.from({ length: 300 }, () => randomText(next, 40)),
      ...Array.from({ length: 200 }, () => randomText(next, 30, DIGITS)),
    ];
    const { rows } = await sql<{ i: number; codes: number[] }>`
      SELECT t.i::int AS i, gk_search_grams(t.s) AS codes
      FROM unnest(${texts}::text[]) WITH ORDINALITY AS t(s, i)`.execute(db);
    assert.equal(rows.length, texts.length);
    for (const row of rows) {
      const text = texts[row.i - 1] as string;
      assert.deepEqual([...row.codes].sort(), [...searchGrams(text)].sort(), JSON.stringify(text));
    }
  });

  it("a term's codes are contained (@>) in the SQL codes of every text containing it", async () => {
    const next = seededRandom(7);
    for (let n = 0; n < 160; n++) {
      const doc = (n % 2 ? randomText(next, 30, DIGITS) : randomText(next, 30)) || "社保";
      const start = Math.floor(next() * doc.length);
      const sub = Array.from(doc)
        .slice(start, start + 1 + Math.floor(next() * 8))
        .join("");
      const { codes } = termGrams(sub);
      if (!codes.length) continue;
      const { rows } = await sql<{ hit: boolean }>`
        SELECT gk_search_grams(${doc}) @> ${codes}::int4[] AS hit`.execute(db);
      assert.equal(rows[0]?.hit, true, `${JSON.stringify(doc)} ⊇ ${JSON.stringify(sub)}`);
    }
  });
});

describe("search columns computed in TypeScript equal the trigger's", async () => {
  const { db } = await createTestDatabase();
  it("for records with 索引号, 文号, keywords, odd characters and an overflowing body", async () => {
    const agency = await createAgency(db);
    const next = seededRandom(99);
    const cases = [
      { title: "关于做好２０２４年度社保工作的通知", body: "社会保险　ABC\tdef", keywords: ["社保", "就业"] },
      { title: "'\\&|!", body: "", keywords: [] },
      { title: "长文", body: "社保就业".repeat(13_000), keywords: ["甲"] },
      ...Array.from({ length: 20 }, () => ({
        title: randomText(next, 30) || "题",
        body: randomText(next, 200),
        keywords: [randomText(next, 5), randomText(next, 5)].filter(Boolean),
      })),
    ];
    for (const c of cases) {
      const id = await insertTestRecord(db, agency.id, {
        title: c.title,
        body: c.body,
        summary: "摘要",
        docNumber: "人社发〔2026〕1号",
        keywords: c.keywords,
      });
      const row = await db
        .selectFrom("records")
        .select(["id", "title", "doc_number", "index_no", "keywords", "summary", "body_text", "agency_id"])
        .select(sql<string | null>`published_date::text`.as("published_date"))
        .select(sql<string>`search_text`.as("search_text"))
        .select(sql<string>`search_head`.as("search_head"))
        .select(sql<number[]>`search_grams`.as("grams"))
        .select(sql<boolean>`search_overflow`.as("overflow"))
        .select(sql<Buffer>`search_sig`.as("sig"))
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      const mine = recordSearchColumns({
        title: row.title,
        docNumber: row.doc_number,
        indexNo: row.index_no,
        keywords: row.keywords,
        summary: row.summary,
        bodyText: row.body_text,
        publishedDate: row.published_date,
        agencyId: row.agency_id,
        id: row.id,
      });
      assert.equal(mine.searchText, row.search_text, c.title);
      assert.equal(mine.searchOverflow, row.overflow, c.title);
      assert.equal(mine.searchHead, row.search_head, c.title);
      assert.deepEqual([...mine.searchGrams].sort(), [...row.grams].sort(), c.title);
      assert.deepEqual(mine.searchSig, row.sig, c.title);
    }
  });
});

describe("codes beyond the text: digit grams and the publication year", async () => {
  const { db } = await createTestDatabase();
  const codesOf = async (id: string) =>
    (
      await sql<{ grams: number[]; sig: Buffer }>`SELECT search_grams AS grams, search_sig AS sig
        FROM records WHERE id = ${id}`.execute(db)
    ).rows[0] as { grams: number[]; sig: Buffer };

  it("a record holds its year's code; changing the publication date alone replaces it", async () => {
    const agency = await createAgency(db);
    const id = await insertTestRecord(db, agency.id, {
      title: "通知",
      body: "正文",
      publishedDate: "2019-05-06",
    });
    let row = await codesOf(id);
    assert.ok(row.grams.includes(yearCode("2019-05-06")));
    await sql`UPDATE records SET published_date = '2024-01-02' WHERE id = ${id}`.execute(db);
    row = await codesOf(id);
    assert.ok(row.grams.includes(yearCode("2024-01-02")));
    assert.ok(!row.grams.includes(yearCode("2019-05-06")));
    assert.deepEqual(row.sig, searchSignature(row.grams), "the signature follows the codes");
    await sql`UPDATE records SET status = 'draft', published_date = NULL WHERE id = ${id}`.execute(db);
    assert.ok((await codesOf(id)).grams.includes(yearCode(null)));
    assert.notEqual(yearCode(null), yearCode("2024-01-02"));
  });

  it("a number of three or four digits is one exact code; longer runs are looked up by their four-digit grams", async () => {
    assert.deepEqual(termGrams("2019"), { codes: [digitGramCode("2019")], exact: true });
    assert.deepEqual(termGrams("２０１９"), { codes: [digitGramCode("2019")], exact: true });
    assert.deepEqual(termGrams("123"), { codes: [digitGramCode("123")], exact: true });
    const five = termGrams("45873");
    assert.equal(five.exact, false);
    for (const g of ["4587", "5873"]) assert.ok(five.codes.includes(digitGramCode(g)), g);
    // nor its three-digit grams: its four-digit grams imply them
    for (const g of ["458", "587", "873"]) assert.ok(!five.codes.includes(digitGramCode(g)), g);
    // no digit pair of the run (every record has them): the grams imply them
    assert.ok(!five.codes.includes(tokenCode("45")));
    const year = termGrams("〔2019〕");
    assert.ok(year.codes.includes(digitGramCode("2019")) && year.codes.includes(tokenCode("〔2")));
    assert.ok(!year.codes.includes(tokenCode("01")));
    // two digits stay a pair; codes of digits never collide with a character's or a pair's
    assert.deepEqual(termGrams("19").codes, [tokenCode("19")]);
    const { rows } = await sql<{ hit: boolean; miss: boolean }>`
      SELECT gk_search_grams('文号〔2019〕3号') @> ${termGrams("〔2019〕").codes}::int4[] AS hit,
             gk_search_grams('〔2018〕与2019〕') @> ${termGrams("〔2019〕").codes}::int4[] AS miss`.execute(
      db,
    );
    assert.deepEqual(rows[0], { hit: true, miss: true });
    // the edges of a number: 45号 is looked up by "4 5 号" too, which 145号 holds and 5号, 45 号 or 45号码's
    // neighbour 〔45〕 do not
    const n45 = termGrams("45号").codes;
    assert.ok(n45.includes(boundaryCode(0x34, 0x35, "号".charCodeAt(0))));
    const { rows: r45 } = await sql<{ text: string; hit: boolean }>`
      SELECT x AS text, gk_search_grams(x) @> ${n45}::int4[] AS hit
      FROM unnest(${["第145号", "人社发〔2019〕45号", "第5号", "45 号", "〔45〕号"]}::text[]) x`.execute(db);
    assert.deepEqual(
      r45.map((r) => r.hit),
      [true, true, false, false, false],
    );
    const { rows: r2 } = await sql<{ hit: boolean }>`
      SELECT gk_search_grams('文号〔2018〕3号，2017') @> ${termGrams("2019").codes}::int4[] AS hit`.execute(
      db,
    );
    assert.equal(r2[0]?.hit, false);
  });
});

describe("the agency's code", async () => {
  const { db } = await createTestDatabase();

  it("is the same in TypeScript and SQL, and apart from every code text can give", async () => {
    const { rows } = await sql<{ id: string; code: number }>`
      SELECT g.id::text AS id, gk_search_agency_code(g.id) AS code
      FROM (SELECT gen_random_uuid() AS id FROM generate_series(1, 300)) g`.execute(db);
    rows.push(
      ...(
        await sql<{ id: string; code: number }>`
          SELECT id, gk_search_agency_code(id::uuid) AS code FROM unnest(${[
            "00000000-0000-0000-0000-000000000000",
            "ffffffff-ffff-ffff-ffff-ffffffffffff",
            "019a0000-0000-7000-8000-0000ffffffff",
          ]}::text[]) id`.execute(db)
      ).rows,
    );
    const text = new Set(searchGrams(rows.map((r) => r.id).join(" ")));
    for (const r of rows) {
      assert.equal(agencyCode(r.id), r.code, r.id);
      assert.equal(text.has(r.code), false);
      assert.notEqual(r.code, yearCode("2024-01-01"));
    }
    assert.ok(new Set(rows.map((r) => r.code)).size > 250, "codes spread");
  });

  it("is one of a record's codes, and follows a move to another agency", async () => {
    const [a, b] = [await createAgency(db), await createAgency(db)];
    const id = await insertTestRecord(db, a.id, { title: "通知", body: "正文", publishedDate: "2024-03-01" });
    const codes = async () =>
      (await sql<{ grams: number[] }>`SELECT search_grams AS grams FROM records WHERE id = ${id}`.execute(db))
        .rows[0]?.grams ?? [];
    assert.ok((await codes()).includes(agencyCode(a.id)));
    await sql`UPDATE records SET agency_id = ${b.id} WHERE id = ${id}`.execute(db);
    const moved = await codes();
    assert.ok(moved.includes(agencyCode(b.id)));
    assert.ok(!moved.includes(agencyCode(a.id)) || agencyCode(a.id) === agencyCode(b.id));
  });
});

describe("the sampling bucket's code", async () => {
  const { db } = await createTestDatabase();

  it("is the same in TypeScript and SQL, one of 64, apart from every other code", async () => {
    const { rows } = await sql<{ id: string; code: number; agency: number }>`
      SELECT g.id::text AS id, gk_search_bucket_code(g.id) AS code, gk_search_agency_code(g.id) AS agency
      FROM (SELECT gen_random_uuid() AS id FROM generate_series(1, 2000)) g`.execute(db);
    const text = new Set(searchGrams(rows.map((r) => r.id).join(" ")));
    const agencies = new Set(rows.map((r) => r.agency));
    for (const r of rows) {
      assert.equal(bucketCode(r.id), r.code, r.id);
      assert.ok(r.code >= bucketCodeOf(0) && r.code <= bucketCodeOf(SAMPLE_BUCKETS - 1), r.id);
      assert.equal(text.has(r.code), false);
      assert.equal(agencies.has(r.code), false);
      assert.notEqual(r.code, yearCode("2024-01-01"));
    }
    // 2,000 random ids over 64 buckets: every bucket used, none with more than three times its share.
    const counts = new Map<number, number>();
    for (const r of rows) counts.set(r.code, (counts.get(r.code) ?? 0) + 1);
    assert.equal(counts.size, SAMPLE_BUCKETS);
    assert.ok(Math.max(...counts.values()) < (3 * rows.length) / SAMPLE_BUCKETS);
  });

  it("is one of a record's codes, written by the trigger", async () => {
    const a = await createAgency(db);
    const id = await insertTestRecord(db, a.id, { title: "通知", body: "正文", publishedDate: "2024-03-01" });
    const { rows } = await sql<{
      grams: number[];
    }>`SELECT search_grams AS grams FROM records WHERE id = ${id}`.execute(db);
    assert.ok(rows[0]?.grams.includes(bucketCode(id)));
  });
});

describe("migration 2026-12-05T0900 on records written before it", async () => {
  const { db } = await createTestDatabase();
  it("gives existing records the digit grams, boundaries and year codes the trigger computes", async () => {
    const agency = await createAgency(db);
    const next = seededRandom(5);
    for (let i = 0; i < 30; i++)
      await insertTestRecord(db, agency.id, {
        title: `人社发〔20${10 + (i % 17)}〕${i}号 ${randomText(next, 20, DIGITS)}`,
        body: randomText(next, 200, [...DIGITS, ...ALPHABET]),
        publishedDate: `20${10 + (i % 17)}-0${1 + (i % 9)}-1${i % 10}`,
      });
    // Back to the codes of before (the down migration recomputes them without digits or years), then up again.
    const names = (await migrationStatus(db)).map((m) => m.name);
    const at = names.indexOf("2026-12-05T0900-records-search-digits-year");
    assert.ok(at >= 0);
    for (let i = at; i < names.length; i++) await migrateDown(db);
    const { rows: old } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM records
      WHERE search_grams @> ARRAY[${yearCode("2010-01-01")}]::int4[]`.execute(db);
    assert.equal(old[0]?.n, 0, "before: no year codes");
    await migrateToLatest(db);
    const { rows } = await sql<{ n: number; differ: number; sig: number }>`
      SELECT count(*)::int AS n,
             (count(*) FILTER (WHERE search_grams <> gk_search_codes(search_text, published_date, agency_id, id)))::int AS differ,
             (count(*) FILTER (WHERE search_sig <> gk_search_sig(search_grams)))::int AS sig
      FROM records`.execute(db);
    assert.deepEqual(rows[0], { n: 30, differ: 0, sig: 0 });
  });
});

describe("a long number in a query", () => {
  it("is looked up by at most MAX_QUERY_TOKENS digit codes (a subset still only narrows)", () => {
    const digits = "31415926535897932384626433832795028841971693993751".repeat(4);
    const { codes, exact } = termGrams(digits);
    assert.equal(exact, false);
    assert.ok(codes.length <= 2 * MAX_QUERY_TOKENS, `${codes.length} codes`);
    const all = new Set(searchGrams(`x${digits}y`));
    for (const c of codes) assert.ok(all.has(c), "every code is one a text holding the number has");
  });
});
