/**
 * @module Bulk loading of published records (gongkai dev generate, gongkai records import): batches encoded as
 * binary COPY (record-bulk.encode.ts: search columns computed in TypeScript in the same pass, so PostgreSQL's
 * trigger keeps them) in worker threads sized to the cores, streamed over one or more connections.
 *
 * Measured on 20,000 generated records (docs/performance.md "Bulk loading"): PostgreSQL spends most of a row's
 * cost storing ~10 KB of text and codes (TOAST: body_html and body_text pglz-compressed, search_text and
 * search_grams stored uncompressed; WAL) and building the GIN index (~860 codes a row);
 * the trigger's early return costs < 1 µs a row, so it stays for ordinary inserts and bulk rows pass through it.
 * Secondary indexes are dropped and rebuilt around a load when that is cheaper (shouldRebuildIndexes).
 *
 * Records are inserted as published revision 1 (workflow_status 'published'), as record.service.ts leaves a
 * published record, with first_published_at / published_at at 10:00 Beijing time of the published date.
 */
import os from "node:os";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Worker } from "node:worker_threads";
import { sql } from "kysely";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { rawClient } from "../db/connection.ts";
import type { Db } from "../db/database.ts";
import { type BulkRecord, COPY_COLUMNS, encodeRecords } from "./record-bulk.encode.ts";
import {
  REBUILD_MAINTENANCE_WORK_MEM,
  REBUILD_PARALLEL_WORKERS,
  shouldRebuildIndexes,
} from "./record-bulk.rules.ts";

export type { BulkRecord } from "./record-bulk.encode.ts";

export interface BulkLoadOptions {
  /** Parallel COPY connections (default: the cores, os.availableParallelism()). */
  lanes?: number;
  /**
   * Encoding worker threads (0 encodes on this thread, the default: measured on 20,000 records, cloning the
   * records into workers cost more CPU (~170 µs a record) than encoding them here (~150 µs), and on a busy 2-core
   * machine no core is idle for the workers to use).
   */
  workers?: number;
  /**
   * Drop the records table's secondary indexes (all but unique ones and those of constraints) during the load and
   * rebuild them afterwards from their own definitions. Default: decided by shouldRebuildIndexes from
   * `expectedRows` and the table's size.
   */
  rebuildIndexes?: boolean;
  /** How many rows the batches hold (for the automatic index and worker decisions). */
  expectedRows?: number;
  onProgress?: (rows: number) => void;
  /** Called when the rows are streamed, before the dropped indexes are rebuilt (benches read CPU counters here). */
  onStreamed?: () => void;
}

export interface BulkLoadResult {
  rows: number;
  /** Milliseconds spent streaming rows. */
  loadMs: number;
  /** Milliseconds spent rebuilding dropped indexes (0 when none were dropped). */
  indexMs: number;
  /** Indexes dropped and rebuilt. */
  rebuiltIndexes: string[];
}

type Batches = Iterable<BulkRecord[]> | AsyncIterable<BulkRecord[]>;

const COPY_SQL = `COPY records (${COPY_COLUMNS.join(", ")}) FROM STDIN (FORMAT binary)`;

/** Streams one encoded batch into records over `client` (in its transaction, if it has one). */
export async function copyEncoded(client: pg.PoolClient | pg.Client, encoded: Buffer): Promise<void> {
  await pipeline(Readable.from([encoded]), client.query(copyFrom(COPY_SQL)));
}

/** The estimated row count of records (planner statistics; 0 when never analysed). */
async function estimatedRows(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT greatest(reltuples, 0)::float8 AS n FROM pg_class WHERE oid = 'records'::regclass`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Indexes of records that a large load drops and rebuilds (see record-bulk.rules.ts): the GIN indexes (search_grams:
 * ~860 keys a row; the title trigram index) and the indexes over expressions (gk_search_fold of 索引号 and 文号,
 * which a row insert would compute in PL/pgSQL), neither unique nor backing a constraint. B-tree indexes over plain
 * columns are kept and maintained row by row. Measured on 100,000 generated records (PostgreSQL CPU a record):
 * maintaining the plain B-trees costs ~3 µs during COPY against ~60 µs to rebuild them (every CREATE INDEX scans
 * the whole heap); maintaining the expression and trigram indexes ~38 µs against ~20 µs to rebuild them.
 */
async function droppableIndexes(db: Db): Promise<{ name: string; def: string }[]> {
  const { rows } = await sql<{ name: string; def: string }>`
    SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
    WHERE i.indrelid = 'records'::regclass AND NOT i.indisunique AND NOT i.indisprimary
      AND (am.amname = 'gin' OR i.indexprs IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
    ORDER BY c.relname`.execute(db);
  return rows;
}

/**
 * The session advisory lock a large load holds from before it drops indexes until they are built again. PostgreSQL
 * releases it when the load's connection ends, also when its process dies: rows left in record_bulk_dropped_indexes
 * while the lock is free are those of a load that was interrupted.
 */
export const BULK_LOAD_LOCK = 7_405_201_160_051;

/**
 * Drops the droppable indexes, in one transaction with the rows that remember their definitions (an interrupted load
 * leaves them to restoreDroppedIndexes). Call it holding BULK_LOAD_LOCK.
 */
export async function dropIndexesForLoad(db: Db): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const i of await droppableIndexes(trx)) {
      await trx
        .insertInto("record_bulk_dropped_indexes")
        .values({ name: i.name, definition: i.def })
        .onConflict((oc) => oc.column("name").doNothing())
        .execute();
      await sql`DROP INDEX ${sql.id(i.name)}`.execute(trx);
    }
  });
}

/** The indexes dropped by a load and not built again yet (a running load's, or an interrupted one's). */
export async function droppedIndexes(db: Db): Promise<{ name: string; def: string }[]> {
  return db
    .selectFrom("record_bulk_dropped_indexes")
    .select(["name", "definition as def"])
    .orderBy("name")
    .execute();
}

/** A connection holding BULK_LOAD_LOCK (waiting while another load holds it), or undefined if `wait` is false and it is held. */
async function lockLoads(db: Db, wait: boolean): Promise<pg.PoolClient | undefined> {
  const client = await rawClient(db);
  try {
    const { rows } = await client.query<{ ok: boolean }>(
      wait ? "SELECT pg_advisory_lock($1), true AS ok" : "SELECT pg_try_advisory_lock($1) AS ok",
      [BULK_LOAD_LOCK],
    );
    if (rows[0]?.ok) return client;
    client.release();
    return undefined;
  } catch (e) {
    client.release(true);
    throw e;
  }
}

async function unlockLoads(client: pg.PoolClient): Promise<void> {
  try {
    await client.query("SELECT pg_advisory_unlock($1)", [BULK_LOAD_LOCK]);
    client.release();
  } catch {
    client.release(true); // closing the connection releases the lock
  }
}

export interface RestoreReport {
  /** The indexes built again. */
  rebuilt: string[];
  /** Why nothing was done although indexes are missing (a load is running and builds them at its end). */
  skipped?: string;
}

/**
 * Builds again the indexes that an interrupted load left dropped (their rows in record_bulk_dropped_indexes), unless a
 * load is running (it holds BULK_LOAD_LOCK and builds them at its end). An index whose name exists again (a migration
 * made it meanwhile) is left as it is. Run by every load that keeps its indexes and by the job
 * publishing.restore-indexes.
 */
export async function restoreDroppedIndexes(db: Db): Promise<RestoreReport> {
  // The usual case (nothing left dropped) costs one read and no lock; the list is read again under the lock.
  if (!(await droppedIndexes(db)).length) return { rebuilt: [] };
  const lock = await lockLoads(db, false);
  if (!lock) return { rebuilt: [], skipped: "批量导入正在进行，索引由它在结束时重建" };
  try {
    const pending = await droppedIndexes(db);
    await rebuildIndexes(db, pending);
    return { rebuilt: pending.map((i) => i.name) };
  } finally {
    await unlockLoads(lock);
  }
}

/**
 * Rebuilds indexes from their definitions, one at a time (the GIN over search_grams first), each with parallel
 * maintenance workers (PostgreSQL 18 builds GIN in parallel, 15–17 serially) and a large maintenance_work_mem, set
 * for this session only. Measured on 100,000 records (sorted codes): the search_grams GIN without workers 132 µs
 * of CPU a record, with 2 workers 150 µs in 37 % less time (load ~9). Each index is built in one transaction with
 * the deletion of its row in record_bulk_dropped_indexes.
 */
async function rebuildIndexes(db: Db, indexes: { name: string; def: string }[]): Promise<void> {
  const client = await rawClient(db);
  try {
    await client.query(`SET maintenance_work_mem = '${REBUILD_MAINTENANCE_WORK_MEM}'`);
    await client.query(`SET max_parallel_maintenance_workers = ${REBUILD_PARALLEL_WORKERS}`);
    const queue = [...indexes].sort(
      (a, b) => Number(/\(search_grams\)/.test(b.def)) - Number(/\(search_grams\)/.test(a.def)),
    );
    for (const i of queue) {
      await client.query("BEGIN");
      try {
        const { rowCount } = await client.query(
          "SELECT 1 FROM pg_class WHERE relname = $1 AND relnamespace = current_schema()::regnamespace",
          [i.name],
        );
        if (!rowCount) await client.query(i.def);
        await client.query("DELETE FROM record_bulk_dropped_indexes WHERE name = $1", [i.name]);
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK").catch(() => {});
        throw e;
      }
    }
  } finally {
    await client.query("RESET maintenance_work_mem; RESET max_parallel_maintenance_workers").catch(() => {});
    client.release();
  }
}

/**
 * Refreshes the planner statistics of records after a load, in two passes: search_grams (statistics target 300,
 * so ANALYZE samples 90,000 rows: its most-common-elements list is what search estimates from) and then every
 * other column at the default sample of 30,000 rows. One plain `ANALYZE records` samples 90,000 rows for every
 * column, wide texts included: measured on 100,000 records 82 µs of PostgreSQL CPU a record, the two passes 48.
 * (A column list leaves the statistics of index expressions and the table's change counter to autovacuum, which
 * analyzes the whole table again later, in the background.)
 */
export async function analyzeRecords(db: Db): Promise<void> {
  const { rows } = await sql<{ name: string }>`
    SELECT attname AS name FROM pg_attribute
    WHERE attrelid = 'records'::regclass AND attnum > 0 AND NOT attisdropped AND attname <> 'search_grams'
    ORDER BY attnum`.execute(db);
  await sql`ANALYZE records (search_grams)`.execute(db);
  await sql`ANALYZE records (${sql.join(rows.map((r) => sql.id(r.name)))})`.execute(db);
}

/**
 * Loads batches of records (an iterable, possibly generated lazily) with binary COPY over `lanes` connections;
 * each lane commits its own COPY per batch (for all-or-nothing use copyEncoded in a transaction). Indexes dropped
 * for the load are rebuilt also when the load fails.
 */
export async function bulkLoadPublishedRecords(
  db: Db,
  batches: Batches,
  options: BulkLoadOptions = {},
): Promise<BulkLoadResult> {
  const lanes = Math.max(1, options.lanes ?? os.availableParallelism());
  const expected = options.expectedRows ?? 0;
  const rebuild =
    options.rebuildIndexes ?? shouldRebuildIndexes({ loading: expected, existing: await estimatedRows(db) });
  // A large load holds BULK_LOAD_LOCK while indexes are dropped (one such load at a time); a small one first builds
  // again what an interrupted load left dropped.
  const lock = rebuild ? await lockLoads(db, true) : undefined;
  let dropped: { name: string; def: string }[] = [];
  const workerCount = Math.min(options.workers ?? 0, os.availableParallelism());
  let pool: EncoderPool | undefined;
  const t0 = performance.now();
  let rows = 0;
  let loadMs = 0;
  let indexMs = 0;
  try {
    if (lock) await dropIndexesForLoad(db);
    else await restoreDroppedIndexes(db);
    pool = workerCount > 0 ? createEncoderPool(workerCount) : undefined;
    const encoded = pool ? pool.encodeAll(batches, workerCount * 2) : encodeHere(batches);
    const it = encoded[Symbol.asyncIterator]();
    const lane = async () => {
      const client = await rawClient(db);
      try {
        for (;;) {
          const next = await it.next();
          if (next.done) break;
          await copyEncoded(client, next.value.buffer);
          rows += next.value.rows;
          options.onProgress?.(rows);
        }
      } finally {
        client.release();
      }
    };
    await Promise.all(Array.from({ length: lanes }, lane));
    loadMs = performance.now() - t0;
    options.onStreamed?.();
  } finally {
    await pool?.close();
    if (lock) {
      try {
        const t1 = performance.now();
        dropped = await droppedIndexes(db);
        if (dropped.length) await rebuildIndexes(db, dropped);
        indexMs = dropped.length ? performance.now() - t1 : 0;
      } finally {
        await unlockLoads(lock);
      }
    }
  }
  return { rows, loadMs, indexMs, rebuiltIndexes: dropped.map((i) => i.name) };
}

interface Encoded {
  buffer: Buffer;
  rows: number;
}

async function* encodeHere(batches: Batches): AsyncGenerator<Encoded> {
  for await (const batch of batches)
    if (batch.length) yield { buffer: encodeRecords(batch), rows: batch.length };
}

interface EncoderPool {
  /** Encodes the batches in the workers, `inFlight` at a time, yielding them in order. */
  encodeAll(batches: Batches, inFlight: number): AsyncGenerator<Encoded>;
  close(): Promise<void>;
}

/** Worker threads running record-bulk.worker.ts, each encoding one batch at a time. */
function createEncoderPool(size: number): EncoderPool {
  const url = new URL("./record-bulk.worker.ts", import.meta.url);
  const workers = Array.from({ length: size }, () => new Worker(url));
  const idle = [...workers];
  const waiting: ((w: Worker) => void)[] = [];
  let nextId = 0;
  const acquire = (): Promise<Worker> =>
    idle.length ? Promise.resolve(idle.pop() as Worker) : new Promise((resolve) => waiting.push(resolve));
  const release = (w: Worker) => {
    const next = waiting.shift();
    if (next) next(w);
    else idle.push(w);
  };
  const encode = async (batch: BulkRecord[]): Promise<Encoded> => {
    const w = await acquire();
    const id = nextId++;
    try {
      return await new Promise<Encoded>((resolve, reject) => {
        const onMessage = (m: { id: number; buffer?: ArrayBuffer; length?: number; error?: string }) => {
          if (m.id !== id) return;
          w.off("message", onMessage);
          w.off("error", onError);
          if (m.error !== undefined) reject(new Error(m.error));
          else resolve({ buffer: Buffer.from(m.buffer as ArrayBuffer, 0, m.length), rows: batch.length });
        };
        const onError = (e: Error) => {
          w.off("message", onMessage);
          reject(e);
        };
        w.on("message", onMessage);
        w.once("error", onError);
        w.postMessage({ id, records: batch });
      });
    } finally {
      release(w);
    }
  };
  return {
    async *encodeAll(batches, inFlight) {
      const queue: Promise<Encoded>[] = [];
      for await (const batch of batches) {
        if (!batch.length) continue;
        const p = encode(batch);
        p.catch(() => {}); // awaited below, in order
        queue.push(p);
        if (queue.length >= inFlight) yield await (queue.shift() as Promise<Encoded>);
      }
      while (queue.length) yield await (queue.shift() as Promise<Encoded>);
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
