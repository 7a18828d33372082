/**
 * @module Database connection: the embedded PostgreSQL server by default, or an external PostgreSQL 15+ from
 * DATABASE_URL. Returns one Kysely instance over a pg pool.
 */
import { createHash } from "node:crypto";
import { Kysely, PostgresDialect, type RawBuilder, sql } from "kysely";
import pg from "pg";
import type { Config } from "../config.ts";
import { findRunningEmbedded } from "./attach.ts";
import type { Database, Db, DbOrTx } from "./database.ts";
import { type EmbeddedPostgres, type SuperviseOptions, startEmbeddedPostgres } from "./embedded.ts";

// Legal dates are `YYYY-MM-DD` strings: never let pg turn a `date` into a JS Date in the process time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);
// COUNT(*) and other int8 values: numbers (all our counts are far below 2^53).
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number.parseInt(value, 10));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value: string) => Number.parseFloat(value));

export const MIN_SERVER_VERSION = 150000;
export const EMBEDDED_DATABASE = "gongkai";

export interface DatabaseHandle {
  db: Db;
  /** Connection string of the database in use (contains a password: never log it). */
  url: string;
  embedded: EmbeddedPostgres | undefined;
  /** external (DATABASE_URL), attached (a running Gongkai's embedded server) or embedded (started by us). */
  mode: "external" | "attached" | "embedded";
  /**
   * The pool on DATABASE_READ_URL (a streaming replica) when configured; public reads go through deps.readPool
   * (src/db/read-pool.ts), which falls back to `db` when it is down or behind.
   */
  replicaDb: Db | undefined;
  /**
   * The public search lane's small pools (SEARCH_POOL_SIZE connections) on the primary and on the replica: searches
   * read through them (deps.readPool, `read(fn, "search")`), never through the pools pages render with.
   */
  searchDb: Db;
  searchReplicaDb: Db | undefined;
  /** Closes the pool, then stops the embedded server if we started it. */
  close(): Promise<void>;
}

/** A Kysely instance made by createKysely: it keeps its pool (pool-usage metrics, COPY streaming). */
class PooledKysely extends Kysely<Database> {
  readonly pool: pg.Pool;

  constructor(pool: pg.Pool) {
    super({ dialect: new PostgresDialect({ pool }) });
    this.pool = pool;
  }
}

function poolOf(db: Db): pg.Pool | undefined {
  return db instanceof PooledKysely ? db.pool : undefined;
}

export interface PoolStats {
  max: number;
  total: number;
  idle: number;
  waiting: number;
}

/** Connections of the pool behind `db` (undefined for a Kysely instance not made by createKysely). */
export function poolStats(db: Db): PoolStats | undefined {
  const pool = poolOf(db);
  if (!pool) return undefined;
  return { max: pool.options.max, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}

export function createKysely(
  connectionString: string,
  max = 10,
  options: {
    applicationName?: string;
    connectionTimeoutMillis?: number;
    lockTimeoutMs?: number | undefined;
  } = {},
): Db {
  const pool = new pg.Pool({
    connectionString,
    max,
    application_name: options.applicationName ?? "gongkai",
    // A statement waiting longer for a lock fails with SQLSTATE 55P03 (CLI commands: never hang on a busy table).
    ...(options.lockTimeoutMs ? { lock_timeout: options.lockTimeoutMs } : {}),
    // 0 (pg's default) waits for the operating system's TCP timeout.
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 0,
  });
  pool.on("error", () => {
    // An idle client lost its connection (server restart): the pool replaces it; queries report their own errors.
  });
  // A checked-out client between two statements (inside a transaction) that loses its server emits "error" with
  // no pool listener attached: without this the process would die of an uncaught exception when PostgreSQL
  // restarts. Its next query fails ("not queryable" → 503 database_unavailable) and the pool discards it.
  pool.on("connect", (client) => {
    client.on("error", () => {});
  });
  return new PooledKysely(pool);
}

/**
 * Runs `query` as a named prepared statement when `db` is a pool made by createKysely (not a transaction, not a
 * Kysely with plugins, where it runs as usual): PostgreSQL then parses it once per connection and, after five runs,
 * keeps a generic plan when that costs no more, instead of planning it at every run. For hot statements whose
 * planning costs more than their execution: the record page's first hit (0.9 ms planning against 0.2 ms execution
 * at 1,000,000 records) and the page store's look-up. The name is derived from the SQL text, so two statements
 * never share one. (A pooler in transaction mode must keep prepared statements: PgBouncer ≥ 1.21
 * max_prepared_statements.)
 */
export async function executePrepared<R>(db: DbOrTx, query: RawBuilder<R>): Promise<R[]> {
  if (!(db instanceof PooledKysely)) return (await query.execute(db)).rows;
  const compiled = query.compile(db);
  const name = `gk_${createHash("sha256").update(compiled.sql).digest("base64url").slice(0, 32)}`;
  const result = await db.pool.query<R & pg.QueryResultRow>({
    name,
    text: compiled.sql,
    values: [...compiled.parameters],
  });
  return result.rows;
}

/**
 * A raw pg client from the pool behind `db` (COPY streaming for backup and restore, which Kysely cannot do).
 * The caller must release it.
 */
export async function rawClient(db: Db): Promise<pg.PoolClient> {
  const pool = poolOf(db);
  if (!pool) throw new Error("this Kysely instance was not created by createKysely");
  return pool.connect();
}

/** Creates the database if it does not exist (embedded server and test runs). */
export async function ensureDatabaseExists(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

export async function assertServerVersion(db: Db): Promise<void> {
  const { rows } = await sql<{ server_version_num: string }>`SHOW server_version_num`.execute(db);
  const version = Number(rows[0]?.server_version_num ?? 0);
  if (version < MIN_SERVER_VERSION) {
    throw new Error(
      `PostgreSQL ${Math.floor(version / 10000)} is too old: Gongkai needs PostgreSQL 15 or newer.`,
    );
  }
}

export interface OpenDatabaseOptions {
  onLog?: (line: string) => void;
  /**
   * Connect to the embedded server a running Gongkai process started on the same data directory, instead of
   * refusing (CLI commands). The server itself never attaches: a second server on one directory is refused.
   */
  attach?: boolean;
  /** Called just before this process starts the embedded server (the CLI explains why and how to avoid it). */
  onStartEmbedded?: () => void;
  /** Restart the embedded server if it dies (the web server; see embedded.ts). */
  supervise?: SuperviseOptions | undefined;
  /** PostgreSQL's lock_timeout on the main pool's connections (CLI commands); unset or 0 = wait for locks. */
  lockTimeoutMs?: number | undefined;
}

/** A replica that does not answer within this time counts as down (public reads then use the primary). */
export const REPLICA_CONNECT_TIMEOUT_MS = 3000;

/**
 * Connections of the public search lane's pool (per server: primary, and replica when configured): the search gate
 * lets SEARCH_CONCURRENCY (3, src/deps.ts) searches run at once, plus one for the small reads beside them (an
 * agency's catalog items on its search page).
 */
export const SEARCH_POOL_SIZE = 4;

export async function openDatabase(
  config: Pick<Config, "databaseUrl" | "databaseReadUrl" | "pgDataDir" | "pgPort"> &
    Partial<Pick<Config, "pgSharedBuffersMb" | "pgIoWorkers">>,
  options: OpenDatabaseOptions = {},
): Promise<DatabaseHandle> {
  const { onLog } = options;
  let embedded: EmbeddedPostgres | undefined;
  let url: string;
  let mode: DatabaseHandle["mode"] = "external";
  const running =
    !config.databaseUrl && options.attach ? await findRunningEmbedded(config.pgDataDir) : undefined;
  if (config.databaseUrl) {
    url = config.databaseUrl;
  } else if (running) {
    url = running.url(EMBEDDED_DATABASE);
    mode = "attached";
  } else {
    mode = "embedded";
    options.onStartEmbedded?.();
    embedded = await startEmbeddedPostgres({
      dataDir: config.pgDataDir,
      port: config.pgPort,
      sharedBuffersMb: config.pgSharedBuffersMb,
      ioWorkers: config.pgIoWorkers,
      ...(onLog ? { onLog } : {}),
      supervise: options.supervise,
    });
    try {
      await ensureDatabaseExists(embedded.url("postgres"), EMBEDDED_DATABASE);
    } catch (e) {
      await embedded.stop();
      throw e;
    }
    url = embedded.url(EMBEDDED_DATABASE);
  }
  const db = createKysely(url, 10, { lockTimeoutMs: options.lockTimeoutMs });
  try {
    await assertServerVersion(db);
  } catch (e) {
    await db.destroy();
    await embedded?.stop();
    throw e;
  }
  // Not checked here: a replica that is down at start-up is not fatal (public reads use the primary meanwhile).
  const replicaDb = config.databaseReadUrl
    ? createKysely(config.databaseReadUrl, 10, {
        applicationName: "gongkai-read",
        connectionTimeoutMillis: REPLICA_CONNECT_TIMEOUT_MS,
      })
    : undefined;
  const searchDb = createKysely(url, SEARCH_POOL_SIZE, { applicationName: "gongkai-search" });
  const searchReplicaDb = config.databaseReadUrl
    ? createKysely(config.databaseReadUrl, SEARCH_POOL_SIZE, {
        applicationName: "gongkai-search-read",
        connectionTimeoutMillis: REPLICA_CONNECT_TIMEOUT_MS,
      })
    : undefined;
  let closed: Promise<void> | undefined;
  return {
    db,
    url,
    embedded,
    mode,
    replicaDb,
    searchDb,
    searchReplicaDb,
    close: () => {
      closed ??= (async () => {
        await searchReplicaDb?.destroy();
        await searchDb.destroy();
        await replicaDb?.destroy();
        await db.destroy();
        await embedded?.stop();
      })();
      return closed;
    },
  };
}

/**
 * A Kysely instance on one checked-out client (the caller keeps and releases it): a transaction opened through it
 * runs on that very connection, so raw COPY on the client and Kysely statements share the transaction (bulk
 * record import: COPY and its audit row commit together).
 */
export function kyselyOnClient(client: pg.PoolClient): Db {
  const shared = {
    query: client.query.bind(client),
    release: () => {},
  } as unknown as pg.PoolClient;
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool: { connect: async () => shared, end: async () => {} } }),
  });
}
