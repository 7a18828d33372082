import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { createAgency } from "../../test/factories.ts";
import { createTestDatabase } from "../../test/test-db.ts";
import { seededRandom } from "../shared/random.ts";
import { MIN_REBUILD_ROWS, shouldRebuildIndexes } from "./record-bulk.rules.ts";
import {
  analyzeRecords,
  BULK_LOAD_LOCK,
  type BulkRecord,
  bulkLoadPublishedRecords,
  dropIndexesForLoad,
  droppedIndexes,
  restoreDroppedIndexes,
} from "./record-bulk.ts";
import { recordSearchColumns } from "./record-search.rules.ts";

const ALPHABET = [
  ..."社会保险就业补贴养老人力资源，。：；（）“”《》〔〕ＡＢＣ１２３ａｂｃ　",
  ..."abcXYZ019 \t\n\r\\'\"{},",
  "\u0001",
  "\u00a0",
  "😀",
  "𠀀",
  "é",
];

function text(next: () => number, max: number): string {
  const n = Math.floor(next() * max);
  let s = "";
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return s;
}

function records(agencyId: string, n: number, seed: number): BulkRecord[] {
  const next = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => ({
    agencyId,
    indexNo: `T-${seed}/2024-${String(i + 1).padStart(5, "0")}`,
    title: `标题${i}${text(next, 30)}`,
    summary: text(next, 40),
    issuingAgency: "测试局",
    docNumber: i % 3 ? `测发〔2024〕${i}号` : "",
    publishedDate: `20${String(12 + (i % 14)).padStart(2, "0")}-0${1 + (i % 9)}-1${i % 10}`,
    topic: "综合政务",
    genre: "通知",
    keywords: i % 4 === 0 ? [] : [text(next, 6), `词,"{${i}}"`],
    validity: i % 5 === 0 ? "有效" : null,
    itemId: null,
    itemStableKey: null,
    bodyHtml: `<p>${text(next, 200)}</p>`,
    // One record longer than INDEXED_CHARS (search_overflow, codes of the first 50,000 characters only).
    bodyText: i === 7 ? "社保ＡＢ😀\n".repeat(9_000) : text(next, 300),
  }));
}

interface Stored {
  id: string;
  title: string;
  keywords: string[];
  body_text: string;
  validity: string | null;
  published_date: string;
  first_published_at: string;
  search_text: string;
  search_head: string;
  search_grams: number[];
  search_overflow: boolean;
  search_sig: Buffer;
}

async function stored(
  db: Parameters<typeof bulkLoadPublishedRecords>[0],
  agencyId: string,
): Promise<Stored[]> {
  const { rows } = await sql<Stored>`
    SELECT id, title, keywords, body_text, validity, published_date::text AS published_date,
           to_char(first_published_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS first_published_at,
           search_text, search_head, search_grams, search_overflow, search_sig
    FROM records WHERE agency_id = ${agencyId} ORDER BY index_no`.execute(db);
  return rows;
}

describe("bulk loader (binary COPY)", async () => {
  const { db } = await createTestDatabase();

  for (const workers of [0, 1])
    it(`stores the records and the search columns the trigger would compute (${workers} workers)`, async () => {
      const agency = await createAgency(db, { slug: `bulk-${workers}` });
      const input = records(agency.id, 40, 20261204 + workers);
      const result = await bulkLoadPublishedRecords(db, [input.slice(0, 25), [], input.slice(25)], {
        workers,
        lanes: 2,
      });
      assert.equal(result.rows, 40);
      const rows = await stored(db, agency.id);
      assert.equal(rows.length, 40);
      const byIndex = [...input].sort((a, b) => a.indexNo.localeCompare(b.indexNo));
      for (const [i, row] of rows.entries()) {
        const r = byIndex[i] as BulkRecord;
        // The loader generated the ids: the sampling bucket's code comes from the stored one.
        const expected = recordSearchColumns({ ...r, id: row.id });
        assert.equal(row.title, r.title);
        assert.deepEqual(row.keywords, r.keywords);
        assert.equal(row.body_text, r.bodyText);
        assert.equal(row.validity, r.validity);
        assert.equal(row.published_date, r.publishedDate);
        assert.equal(row.first_published_at, `${r.publishedDate} 10:00`);
        assert.equal(row.search_text, expected.searchText, r.indexNo);
        assert.equal(row.search_head, expected.searchHead);
        // Stored in ascending order (what GIN sorts each row's keys into, and what gk_search_grams returns).
        assert.deepEqual(
          row.search_grams,
          [...expected.searchGrams].sort((a, b) => a - b),
        );
        assert.equal(row.search_grams.length, new Set(row.search_grams).size, "codes distinct");
        assert.equal(row.search_overflow, expected.searchOverflow);
        assert.deepEqual(row.search_sig, expected.searchSig, "signature");
      }
      assert.ok(rows.some((r) => r.search_overflow));
      // The trigger, made to recompute every column in SQL, arrives at the same values.
      await sql`UPDATE records SET search_text = NULL WHERE agency_id = ${agency.id}`.execute(db);
      const again = await stored(db, agency.id);
      for (const [i, row] of rows.entries()) {
        const sqlRow = again[i] as Stored;
        assert.equal(sqlRow.search_text, row.search_text);
        assert.equal(sqlRow.search_head, row.search_head);
        assert.deepEqual(sqlRow.search_grams, row.search_grams);
        assert.equal(sqlRow.search_overflow, row.search_overflow);
        assert.deepEqual(sqlRow.search_sig, row.search_sig, "signature (gk_search_sig)");
      }
    });

  it("writes the same rows over several COPY connections as over one", async () => {
    const serial = await createAgency(db, { slug: "bulk-lanes-1" });
    const parallel = await createAgency(db, { slug: "bulk-lanes-3" });
    const ids = Array.from(
      { length: 60 },
      (_, i) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, "0")}`,
    );
    const input = (agencyId: string) =>
      records(agencyId, 60, 77).map((r, i) => ({ ...r, id: ids[i] as string }));
    const batches = (agencyId: string) => {
      const all = input(agencyId);
      return [all.slice(0, 7), all.slice(7, 30), [], all.slice(30, 31), all.slice(31)];
    };
    const one = await bulkLoadPublishedRecords(db, batches(serial.id), { lanes: 1 });
    const three = await bulkLoadPublishedRecords(db, batches(parallel.id), { lanes: 3 });
    assert.equal(one.rows, 60);
    assert.equal(three.rows, 60);
    // Every column but agency_id (and the codes and signature, which hold the agency's code: the codes are
    // compared without it), as text, ordered by id.
    const dump = async (agencyId: string) =>
      (
        await sql<{ row: string }>`
          SELECT (to_jsonb(r) - 'agency_id' - 'created_at' - 'updated_at' - 'search_grams' - 'search_sig')::text
                 || array_remove(r.search_grams, gk_search_agency_code(r.agency_id))::text AS row
          FROM records r WHERE agency_id = ${agencyId} ORDER BY id`.execute(db)
      ).rows.map((r) => r.row);
    const a = await dump(serial.id);
    assert.equal(a.length, 60);
    assert.deepEqual(await dump(parallel.id), a);
  });

  it("refreshes the statistics search estimates from (analyzeRecords)", async () => {
    await analyzeRecords(db);
    const { rows } = await sql<{ attname: string; elems: boolean }>`
      SELECT attname, most_common_elems IS NOT NULL AS elems FROM pg_stats
      WHERE tablename = 'records' AND attname IN ('search_grams', 'agency_id', 'published_date', 'status')
      ORDER BY attname`.execute(db);
    assert.deepEqual(
      rows.map((r) => r.attname),
      ["agency_id", "published_date", "search_grams", "status"],
    );
    assert.ok(rows.find((r) => r.attname === "search_grams")?.elems, "most common elements of search_grams");
  });

  it("drops the GIN and expression indexes for the load and rebuilds them from their definitions", async () => {
    const defs = async () =>
      (
        await sql<{ def: string }>`SELECT indexdef AS def FROM pg_indexes WHERE tablename = 'records'
          ORDER BY indexname`.execute(db)
      ).rows.map((r) => r.def);
    const before = await defs();
    const agency = await createAgency(db, { slug: "bulk-rebuild" });
    const result = await bulkLoadPublishedRecords(db, [records(agency.id, 10, 7)], { rebuildIndexes: true });
    for (const name of ["records_search_grams_idx", "records_title_trgm_idx", "records_index_no_fold_idx"])
      assert.ok(result.rebuiltIndexes.includes(name), result.rebuiltIndexes.join());
    assert.ok(!result.rebuiltIndexes.includes("records_index_no_key"), "unique indexes stay");
    assert.ok(!result.rebuiltIndexes.includes("records_pkey"));
    assert.ok(!result.rebuiltIndexes.includes("records_public_idx"), "B-trees over columns are maintained");
    assert.deepEqual(await defs(), before);
  });

  it("rebuilds dropped indexes also when the load fails (duplicate 索引号)", async () => {
    const agency = await createAgency(db, { slug: "bulk-fail" });
    const batch = records(agency.id, 3, 9);
    const count = async () =>
      Number(
        (
          await sql<{
            n: number;
          }>`SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'records'`.execute(db)
        ).rows[0]?.n,
      );
    const before = await count();
    await assert.rejects(
      bulkLoadPublishedRecords(db, [batch, batch], { rebuildIndexes: true, lanes: 1 }),
      /records_index_no_key/,
    );
    assert.equal(await count(), before);
  });
});

describe("shouldRebuildIndexes", () => {
  const cases: [number, number, boolean][] = [
    [0, 0, false],
    [MIN_REBUILD_ROWS - 1, 0, false],
    [MIN_REBUILD_ROWS, 0, true],
    [100_000, 100_000, true],
    [100_000, 100_001, false],
    [1_000_000, 200_000, true],
  ];
  for (const [loading, existing, expected] of cases)
    it(`${loading} rows into ${existing}: ${expected}`, () => {
      assert.equal(shouldRebuildIndexes({ loading, existing }), expected);
    });
});

describe("a large load interrupted (its process killed) leaves no index dropped for good", async () => {
  const { db, url } = await createTestDatabase();
  const defs = async () =>
    (
      await sql<{ def: string }>`SELECT indexdef AS def FROM pg_indexes WHERE tablename = 'records'
        ORDER BY indexname`.execute(db)
    ).rows.map((r) => r.def);
  const lockHeld = async () =>
    (
      await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_locks
        WHERE locktype = 'advisory' AND granted
          AND ((classid::bigint << 32) | objid::bigint) = ${BULK_LOAD_LOCK}`.execute(db)
    ).rows[0]?.n === 1;

  it("rebuilds them from their saved definitions once the load's lock is gone, and not before", async () => {
    const before = await defs();
    const agency = await createAgency(db, { slug: "bulk-killed" });
    // A child process loads one batch with the indexes dropped, then hangs until killed (as a crash or kill -9).
    const child = spawn(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import { createKysely } from ${JSON.stringify(new URL("../db/connection.ts", import.meta.url).href)};
         import { bulkLoadPublishedRecords } from ${JSON.stringify(new URL("./record-bulk.ts", import.meta.url).href)};
         const db = createKysely(process.env.LOAD_URL, 4);
         const batch = JSON.parse(process.env.LOAD_BATCH);
         async function* batches() { yield batch; process.stdout.write("streaming\\n"); await new Promise(() => {}); }
         await bulkLoadPublishedRecords(db, batches(), { rebuildIndexes: true, lanes: 1 });`,
      ],
      {
        env: { ...process.env, LOAD_URL: url, LOAD_BATCH: JSON.stringify(records(agency.id, 5, 11)) },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const exited = once(child, "exit");
    try {
      let out = "";
      for await (const chunk of child.stdout) {
        out += String(chunk);
        if (out.includes("streaming")) break;
      }
      assert.match(out, /streaming/);
      const dropped = (await droppedIndexes(db)).map((i) => i.name);
      assert.ok(dropped.includes("records_search_grams_idx"), dropped.join());
      assert.ok(
        !(await defs()).some((d) => d.includes("records_search_grams_idx")),
        "dropped during the load",
      );
      assert.ok(await lockHeld(), "the load holds the lock");
      // While the load runs, nothing is rebuilt behind its back.
      assert.deepEqual(await restoreDroppedIndexes(db), {
        rebuilt: [],
        skipped: "批量导入正在进行，索引由它在结束时重建",
      });
    } finally {
      child.kill("SIGKILL");
      await exited;
    }
    // PostgreSQL ends the dead client's backends, and with them the lock.
    for (let i = 0; i < 100 && (await lockHeld()); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await lockHeld(), false);
    assert.ok(
      !(await defs()).some((d) => d.includes("records_search_grams_idx")),
      "still dropped after the kill",
    );
    const report = await restoreDroppedIndexes(db);
    assert.ok(report.rebuilt.includes("records_search_grams_idx"), report.rebuilt.join());
    assert.equal(report.skipped, undefined);
    assert.deepEqual(await defs(), before);
    assert.deepEqual(await droppedIndexes(db), []);
    assert.deepEqual(await restoreDroppedIndexes(db), { rebuilt: [] }, "nothing left to do");
  });

  it("the next large load builds an interrupted load's indexes with its own; an index made again meanwhile stays", async () => {
    const before = await defs();
    // What a killed load leaves: the rows and the indexes dropped (and a migration that made one of them again).
    await dropIndexesForLoad(db);
    const left = await droppedIndexes(db);
    assert.ok(left.length >= 3, left.map((i) => i.name).join());
    const remade = left.find((i) => i.name === "records_doc_number_fold_idx");
    assert.ok(remade);
    await sql.raw(remade.def).execute(db);
    const agency = await createAgency(db, { slug: "bulk-after-kill" });
    const result = await bulkLoadPublishedRecords(db, [records(agency.id, 4, 12)], {
      rebuildIndexes: true,
      lanes: 1,
    });
    assert.deepEqual([...result.rebuiltIndexes].sort(), left.map((i) => i.name).sort());
    assert.deepEqual(await defs(), before);
    assert.deepEqual(await droppedIndexes(db), []);
  });

  it("a small load (indexes kept) first builds again what an interrupted load left dropped", async () => {
    const before = await defs();
    await dropIndexesForLoad(db);
    const agency = await createAgency(db, { slug: "bulk-small-after-kill" });
    const result = await bulkLoadPublishedRecords(db, [records(agency.id, 3, 13)], {
      rebuildIndexes: false,
      lanes: 1,
    });
    assert.deepEqual(result.rebuiltIndexes, []);
    assert.deepEqual(await defs(), before);
    assert.deepEqual(await droppedIndexes(db), []);
  });
});
