/**
 * The SQL search functions (gk_search_fold / gk_search_tokens / gk_search_grams) and their TypeScript mirror must
 * agree exactly: single records are indexed in SQL (trigger), bulk loads and queries in TypeScript.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { createAgency } from "../../test/factories.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { insertTestRecord } from "../publishing/publishing.fixtures.ts";
import { recordSearchColumns, searchGrams, termGrams } from "../publishing/record-search.read.ts";
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

function randomText(next: () => number, max: number): string {
  const n = Math.floor(next() * max);
  let s = "";
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(next() * ALPHABET.length)];
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
      ...Array.from({ length: 300 }, () => randomText(next, 40)),
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
    for (let n = 0; n < 60; n++) {
      const doc = randomText(next, 30) || "社保";
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
        .select(["title", "doc_number", "index_no", "keywords", "summary", "body_text"])
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
      });
      assert.equal(mine.searchText, row.search_text, c.title);
      assert.equal(mine.searchOverflow, row.overflow, c.title);
      assert.equal(mine.searchHead, row.search_head, c.title);
      assert.deepEqual([...mine.searchGrams].sort(), [...row.grams].sort(), c.title);
      assert.deepEqual(mine.searchSig, row.sig, c.title);
    }
  });
});
