/**
 * The index condition of a query of several words (record-search.sql.ts codeChoices): one containment holding the
 * codes of every word (and of the year or agency the search is narrowed to), so that the GIN index intersects the
 * words itself. The regression, at 1,000,000 records: 就有 各级 永和 filtered to 2025 put one word's codes in the
 * index condition and tested the others' on each of 3,294 candidate rows, reading their codes from TOAST (84 ms);
 * 基本养老 ，推进 老服 within one agency reached the 5 s statement timeout.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { sql } from "kysely";
import { createAgency } from "../../test/factories.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { bulkTestRecord } from "./publishing.fixtures.ts";
import { bulkLoadPublishedRecords } from "./record-bulk.ts";
import { termGrams } from "./record-search.rules.ts";
import {
  codeChoices,
  indexCodes,
  MAX_CODE_CHOICES,
  matchCodes,
  matchIndex,
  type RecordSearchFilter,
  scoreSql,
} from "./record-search.sql.ts";

const codes = (t: string) => termGrams(t).codes;
const union = (...sets: number[][]) => [...new Set(sets.flat())].sort((a, b) => a - b);

describe("codeChoices: one code set per choice of a term in every group", () => {
  it("one word: its codes", () => {
    assert.deepEqual(codeChoices({ terms: ["就业补贴"] }), [union(codes("就业补贴"))]);
  });

  it("several words: the union of their codes; a word's expansions each give a set of their own", () => {
    const f: RecordSearchFilter = {
      terms: ["社保", "社会保险", "就业"],
      groups: [["社保", "社会保险"], ["就业"]],
    };
    assert.deepEqual(codeChoices(f), [
      union(codes("社保"), codes("就业")),
      union(codes("社会保险"), codes("就业")),
    ]);
  });

  it("the same set twice is given once", () => {
    const f: RecordSearchFilter = { terms: ["就业", "就业"], groups: [["就业"], ["就业"]] };
    assert.deepEqual(codeChoices(f), [union(codes("就业"))]);
  });

  it("more choices than MAX_CODE_CHOICES, or a term without codes: none (one condition a group instead)", () => {
    const words = ["社保", "医保", "就业", "养老", "失业"];
    const groups = [words, words];
    assert.equal(words.length ** 2 > MAX_CODE_CHOICES, true);
    assert.equal(codeChoices({ terms: [...words, ...words], groups }), undefined);
    assert.equal(codes(" ").length, 0);
    assert.equal(codeChoices({ terms: ["就业", " "], groups: [["就业"], [" "]] }), undefined);
  });
});

describe("the index condition of several words, in PostgreSQL", async () => {
  const { db } = await createTestDatabase();
  const ids: Record<string, string> = {};

  before(async () => {
    const agency = await createAgency(db);
    const texts: Record<string, string> = {
      all: "就有关事项通知如下：各级单位在永和镇开展工作。",
      two: "就有关事项通知如下：各级单位开展工作。",
      none: "请按规定办理。",
    };
    const records = Object.entries(texts).map(([key, bodyText], i) => {
      const r = bulkTestRecord(agency.id, { indexNo: `SQL/${i + 1}`, title: `通知${i + 1}`, bodyText });
      ids[r.id as string] = key;
      return r;
    });
    await bulkLoadPublishedRecords(db, [records], { lanes: 1 });
    await sql`ANALYZE records`.execute(db);
  });

  const f: RecordSearchFilter = { terms: ["就有", "各级", "永和"], groups: [["就有"], ["各级"], ["永和"]] };

  it("finds the records holding every word, and only them", async () => {
    const { rows } = await sql<{ id: string }>`
      SELECT r.id FROM records r WHERE r.status = 'published' AND ${matchIndex(f)}`.execute(db);
    assert.deepEqual(
      rows.map((r) => ids[r.id]),
      ["all"],
    );
    const cand = await sql<{ id: string }>`
      SELECT r.id FROM records r WHERE r.status = 'published' AND ${matchCodes(f, [])}`.execute(db);
    assert.deepEqual(
      cand.rows.map((r) => ids[r.id]),
      ["all"],
    );
  });

  it("exact words are decided by the codes; a record with text beyond the indexed prefix is checked", async () => {
    const two = Object.keys(ids).find((id) => ids[id] === "two") as string;
    const found = async () =>
      (
        await sql<{ id: string }>`
          SELECT r.id FROM records r WHERE r.status = 'published' AND ${matchIndex(f)} ORDER BY r.index_no`.execute(
          db,
        )
      ).rows.map((r) => ids[r.id]);
    // "two" lacks 永和; given its code, the index says it holds all three (exact words: no text check).
    await sql`UPDATE records SET search_grams = search_grams || ${codes("永和")}::int4[] WHERE id = ${two}`.execute(
      db,
    );
    try {
      assert.deepEqual(await found(), ["all", "two"]);
      await sql`UPDATE records SET search_overflow = true WHERE id = ${two}`.execute(db);
      assert.deepEqual(await found(), ["all"]);
    } finally {
      await sql`UPDATE records SET search_overflow = false,
        search_grams = gk_search_codes(search_text, published_date, agency_id, id) WHERE id = ${two}`.execute(
        db,
      );
    }
    // A phrase is always checked: 就有关 is not in "none", whatever its codes.
    const none = Object.keys(ids).find((id) => ids[id] === "none") as string;
    const phrase: RecordSearchFilter = { terms: ["就有关"] };
    await sql`UPDATE records SET search_grams = search_grams || ${codes("就有关")}::int4[] WHERE id = ${none}`.execute(
      db,
    );
    try {
      const { rows } = await sql<{ id: string }>`
        SELECT r.id FROM records r WHERE r.status = 'published' AND ${matchIndex(phrase)} ORDER BY r.index_no`.execute(
        db,
      );
      assert.deepEqual(
        rows.map((r) => ids[r.id]),
        ["all", "two"],
      );
    } finally {
      await sql`UPDATE records SET search_grams = gk_search_codes(search_text, published_date, agency_id, id)
        WHERE id = ${none}`.execute(db);
    }
  });

  it("one containment holds every word's codes (a single index condition, no per-row code test)", () => {
    const compiled = sql`SELECT 1 FROM records r WHERE ${matchIndex(f)}`.compile(db);
    const contained = compiled.sql.match(/search_grams @>/g) ?? [];
    assert.equal(contained.length, 1, compiled.sql);
    assert.ok(
      compiled.parameters.some(
        (p) =>
          Array.isArray(p) &&
          JSON.stringify(p) === JSON.stringify(union(codes("就有"), codes("各级"), codes("永和"))),
      ),
    );
  });

  it("with the statistics' shares, a phrase's common codes are left out of the index condition; same matches", async () => {
    const phrase = "就有关事项通知";
    const all = codes(phrase);
    assert.ok(all.length > 2);
    // Every code held by 90 % of the records, all twins (one boilerplate phrase): only the first is asked for.
    const shares = new Map(all.map((c) => [c, 0.9]));
    const picked: RecordSearchFilter = { terms: [phrase], codeShares: shares };
    assert.deepEqual(indexCodes(picked, phrase), all.slice(0, 1));
    const compiled = sql`SELECT 1 FROM records r WHERE ${matchIndex(picked)}`.compile(db);
    assert.ok(compiled.parameters.some((p) => JSON.stringify(p) === JSON.stringify(all.slice(0, 1))));
    const found = async (f: RecordSearchFilter) =>
      (
        await sql<{ id: string }>`
          SELECT r.id FROM records r WHERE r.status = 'published' AND ${matchIndex(f)} ORDER BY r.index_no`.execute(
          db,
        )
      ).rows.map((r) => ids[r.id]);
    assert.deepEqual(await found(picked), ["all", "two"]);
    assert.deepEqual(await found({ terms: [phrase] }), ["all", "two"]);
    // An exact word keeps every code whatever the shares (the codes decide its matches, no text check).
    const exact: RecordSearchFilter = {
      terms: ["永和"],
      codeShares: new Map(codes("永和").map((c) => [c, 0.9])),
    };
    assert.deepEqual(indexCodes(exact, "永和"), codes("永和"));
    assert.deepEqual(await found(exact), ["all"]);
  });

  it("codes every candidate must hold (a year's, an agency's) are a containment of their own", () => {
    const compiled = sql`SELECT 1 FROM records r WHERE ${matchIndex(f, [7, 3])}`.compile(db);
    assert.equal((compiled.sql.match(/search_grams @>/g) ?? []).length, 2, compiled.sql);
    assert.ok(compiled.parameters.some((p) => JSON.stringify(p) === JSON.stringify([7, 3])));
    assert.ok(
      compiled.parameters.some(
        (p) => JSON.stringify(p) === JSON.stringify(union(codes("就有"), codes("各级"), codes("永和"))),
      ),
    );
  });
});

describe("scoreSql: the relevance score of each field", async () => {
  const { db } = await createTestDatabase();
  const keys: Record<string, string> = {};

  before(async () => {
    const agency = await createAgency(db);
    type Fields = {
      title: string;
      bodyText: string;
      docNumber?: string;
      keywords?: string[];
      summary?: string;
    };
    const records: [string, Fields][] = [
      ["title", { title: "关于就业补贴的通知", bodyText: "正文。" }],
      ["docno", { title: "通知", docNumber: "人社发〔2020〕就业1号", bodyText: "正文。" }],
      ["keywords", { title: "通知", keywords: ["就业"], bodyText: "正文。" }],
      ["summary", { title: "通知", summary: "本通知涉及就业。", bodyText: "正文。" }],
      ["title+summary", { title: "就业通知", summary: "促进就业。", bodyText: "正文。" }],
      ["body", { title: "通知", bodyText: "做好就业工作。" }],
      ["none", { title: "通知", bodyText: "正文。" }],
      ["expansion in title", { title: "关于创业补贴的通知", bodyText: "正文。" }],
    ];
    const rows = records.map(([key, r], i) => {
      const x = bulkTestRecord(agency.id, { indexNo: `SCORE/${i + 1}`, validity: "有效", ...r });
      keys[x.id as string] = key;
      return x;
    });
    await bulkLoadPublishedRecords(db, [rows], { lanes: 1 });
  });

  const scores = async (f: RecordSearchFilter) => {
    const { rows } = await sql<{ id: string; score: number }>`
      SELECT r.id, ${scoreSql({ ...f, today: "2025-03-01" })} AS score FROM records r`.execute(db);
    return Object.fromEntries(rows.map((r) => [keys[r.id], r.score]));
  };

  it("title 110 (100 for a term, 10 more for the query itself), 文号 50, 关键词 40, summary 20; +10 valid, +20 new", async () => {
    assert.deepEqual(await scores({ terms: ["就业"] }), {
      title: 140,
      docno: 80,
      keywords: 70,
      summary: 50,
      "title+summary": 160,
      body: 30,
      none: 30,
      "expansion in title": 30,
    });
  });

  it("one term scores as the general form does (the query and an expansion that is the query again)", async () => {
    assert.deepEqual(await scores({ terms: ["就业"] }), await scores({ terms: ["就业", "就业"] }));
  });

  it("an expansion in the title gets the 100, not the query's 10", async () => {
    const s = await scores({ terms: ["就业", "创业"] });
    assert.equal(s["expansion in title"], 130);
    assert.equal(s.title, 140);
  });
});
