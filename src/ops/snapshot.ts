/**
 * @module The table-level pieces shared by backup and restore: which tables exist (public schema, without
 * Kysely's migration bookkeeping), in which order they can be loaded (foreign keys), and COPY in PostgreSQL's
 * text format with fixed session settings and a deterministic row order, so that the same data always gives the
 * same bytes and the same SHA-256 — on the server that was backed up and on the one restored into.
 */
import { createHash } from "node:crypto";
import { Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";

/** Kysely's own tables: written by the migrator on the target, never copied. */
export const MIGRATION_TABLES = ["kysely_migration", "kysely_migration_lock"] as const;

/**
 * Session settings under which every dump and load runs (SET LOCAL inside the transaction): text output of
 * timestamps, floats and bytea does not depend on the server's or client's defaults.
 */
export const COPY_SETTINGS: Readonly<Record<string, string>> = Object.freeze({
  TimeZone: "UTC",
  DateStyle: "ISO, YMD",
  IntervalStyle: "postgres",
  extra_float_digits: "1",
  bytea_output: "hex",
  client_encoding: "UTF8",
  standard_conforming_strings: "on",
});

export async function applyCopySettings(client: pg.ClientBase): Promise<void> {
  for (const [name, value] of Object.entries(COPY_SETTINGS)) {
    await client.query("SELECT set_config($1, $2, true)", [name, value]);
  }
}

export interface TableInfo {
  name: string;
  /** Stored (non-generated) columns in attribute order: what COPY writes and reads. */
  columns: string[];
  /** ORDER BY expressions giving one fixed row order (primary key, text in the "C" collation). */
  orderBy: string[];
}

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** The public schema's tables in an order that satisfies foreign keys (parents before children). */
export async function listTables(client: pg.ClientBase): Promise<TableInfo[]> {
  const { rows: tables } = await client.query<{ oid: string; name: string }>(
    `SELECT c.oid::text AS oid, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND c.relpersistence = 'p' -- UNLOGGED tables (rate-limit counters) are transient, never backed up
       AND c.relname <> ALL($1::text[])
     ORDER BY c.relname`,
    [MIGRATION_TABLES],
  );
  const { rows: cols } = await client.query<{ table: string; name: string; collatable: boolean; pk: number }>(
    `SELECT a.attrelid::text AS table, a.attname AS name, a.attcollation <> 0 AS collatable,
            coalesce(array_position(i.indkey::int2[], a.attnum), 0) AS pk
     FROM pg_attribute a
     LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
     WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
     ORDER BY a.attrelid, a.attnum`,
    [tables.map((t) => t.oid)],
  );
  const { rows: fks } = await client.query<{ child: string; parent: string }>(
    `SELECT c1.relname AS child, c2.relname AS parent FROM pg_constraint k
     JOIN pg_class c1 ON c1.oid = k.conrelid JOIN pg_class c2 ON c2.oid = k.confrelid
     JOIN pg_namespace n ON n.oid = c1.relnamespace
     WHERE k.contype = 'f' AND n.nspname = 'public'`,
  );
  const infos = new Map<string, TableInfo>();
  for (const t of tables) {
    const mine = cols.filter((c) => c.table === t.oid);
    const pk = mine.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
    const orderBy =
      pk.length > 0
        ? pk.map((c) => (c.collatable ? `${quoteIdent(c.name)} COLLATE "C"` : quoteIdent(c.name)))
        : mine.map((c) => `${quoteIdent(c.name)}::text COLLATE "C"`);
    infos.set(t.name, { name: t.name, columns: mine.map((c) => c.name), orderBy });
  }
  return dependencyOrder([...infos.keys()], fks).map((name) => infos.get(name) as TableInfo);
}

/**
 * Parents before children (Kahn's algorithm, ties by name). Self-references need no order (COPY checks them at the
 * end of the statement); tables left in a cycle are appended by name (their load then fails loudly).
 */
export function dependencyOrder(
  names: string[],
  fks: readonly { child: string; parent: string }[],
): string[] {
  const parents = new Map(names.map((n) => [n, new Set<string>()]));
  for (const { child, parent } of fks)
    if (child !== parent && parents.has(parent)) parents.get(child)?.add(parent);
  const done: string[] = [];
  const left = new Set(names);
  while (left.size > 0) {
    const ready = [...left].filter((n) => [...(parents.get(n) ?? [])].every((p) => !left.has(p))).sort();
    if (ready.length === 0) {
      done.push(...[...left].sort());
      break;
    }
    for (const n of ready) {
      done.push(n);
      left.delete(n);
    }
  }
  return done;
}

export function copyOutSql(table: TableInfo): string {
  const cols = table.columns.map(quoteIdent).join(", ");
  return `COPY (SELECT ${cols} FROM ${quoteIdent(table.name)} ORDER BY ${table.orderBy.join(", ")}) TO STDOUT`;
}

export function copyInSql(table: TableInfo): string {
  return `COPY ${quoteIdent(table.name)} (${table.columns.map(quoteIdent).join(", ")}) FROM STDIN`;
}

/** Counts rows (one line each in COPY text format) and hashes the bytes passing through. */
export class HashCounter extends Transform {
  readonly hash = createHash("sha256");
  rows = 0;
  override _transform(
    chunk: Buffer,
    _enc: BufferEncoding,
    done: (e?: Error | null, data?: Buffer) => void,
  ): void {
    this.hash.update(chunk);
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.rows++;
    done(null, chunk);
  }
}

/** Dumps one table (deterministic order) into `sink`; returns its row count and SHA-256. */
export async function dumpTable(
  client: pg.ClientBase,
  table: TableInfo,
  sink: Writable,
): Promise<{ rows: number; sha256: string }> {
  const counter = new HashCounter();
  await pipeline(client.query(copyTo(copyOutSql(table))), counter, sink);
  return { rows: counter.rows, sha256: counter.hash.digest("hex") };
}

/** Loads one table from a COPY text stream; returns the row count and SHA-256 of the bytes loaded. */
export async function loadTable(
  client: pg.ClientBase,
  table: TableInfo,
  source: NodeJS.ReadableStream,
): Promise<{ rows: number; sha256: string }> {
  const counter = new HashCounter();
  await pipeline(source, counter, client.query(copyFrom(copyInSql(table))));
  return { rows: counter.rows, sha256: counter.hash.digest("hex") };
}

/** A sink that only discards (re-dumping to compare checksums). */
export function nullSink(): Writable {
  return new Writable({
    write(_chunk, _enc, done) {
      done();
    },
  });
}
