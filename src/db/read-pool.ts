/**
 * @module The read pool of public pages (`deps.readPool`): portal pages, public search and the open-data API read
 * through it; staff pages and everything that writes use `deps.db` (the primary).
 *
 * Without DATABASE_READ_URL it is the primary itself (`read(fn)` is `fn(primary)`). With it, reads go to the
 * streaming replica (hot standby), under two rules:
 *
 * - **No stale page after a change.** A change of public data is committed on the primary, then the page cache is
 *   invalidated (its generation grows: `changes()`). The first render after a new generation asks the primary for its
 *   WAL position (`pg_current_wal_lsn()`, ≥ the commit just made) and every render of that generation first waits,
 *   bounded (`maxWaitMs`), until the standby has replayed it (`pg_last_wal_replay_lsn()`); a standby still behind
 *   then is not used: the render reads the primary. So a page cached after an invalidation never misses the change
 *   that caused it, in this process. (A render that started before the invalidation is not cached: PageCache's
 *   generation check.) At start-up the first render takes the primary's position too.
 * - **A replica that is down is not an error.** A read that fails because the replica cannot serve it (connection
 *   refused or lost, shutting down, recovery conflict: replica.rules.ts) is done again on the primary, with a warning
 *   logged when the replica goes down and an info line when it is back; for `retryDownMs` after a failure reads go to
 *   the primary without trying the replica. A server that is not in recovery (a promoted or wrong DATABASE_READ_URL)
 *   is treated as down: its data may have diverged from the primary's.
 *
 * `status()` (for /healthz and /metrics) reports the replica's state and lag.
 *
 * Lanes: public search reads (`read(fn, "search")`) use their own small pools (`searchPrimary`, `searchReplica`:
 * SEARCH_POOL_SIZE connections each, src/db/connection.ts) on the server chosen as above, so however many searches
 * run or wait, page renders keep every connection of the main pools (issue 14, part 5). Without a search pool (tests,
 * tools) a search reads the page pool of the chosen server.
 */

import { sql } from "kysely";
import type { Logger } from "pino";
import type { Db } from "./database.ts";
import { lagBytes, parseLsn, replicaUnavailable } from "./replica.rules.ts";

/** Longest a render waits for the standby to replay a change before it reads the primary instead. */
export const REPLICA_MAX_WAIT_MS = 250;
/** Interval between two looks at the standby's replay position while waiting. */
export const REPLICA_POLL_MS = 5;
/** After a failure, reads use the primary for this long before the replica is tried again. */
export const REPLICA_RETRY_DOWN_MS = 5000;

export type ReplicaState = "none" | "streaming" | "down" | "not_standby";

export interface ReplicaStatus {
  /** none: no DATABASE_READ_URL; streaming: a standby that answers; down: unreachable; not_standby: not in recovery. */
  state: ReplicaState;
  /** WAL bytes the primary has written that the standby has not replayed yet. */
  lagBytes?: number;
  /** Age of the last transaction the standby replayed while it is behind (0 when it has replayed everything). */
  lagSeconds?: number;
}

/** Where reads went: the replica, or the primary and why. */
export interface ReadCounts {
  replica: number;
  /** No replica configured. */
  primary: number;
  /** The standby had not replayed the latest change within maxWaitMs. */
  lagging: number;
  /** The replica was down, refused the read, or is not a standby. */
  unavailable: number;
}

/** Which pool of the chosen server a read uses: pages (the main pool) or public search (its own small pool). */
export type ReadLane = "page" | "search";

export interface ReadPoolOptions {
  primary: Db;
  replica?: Db | undefined;
  /** The search lane's pool on the primary (absent: searches use `primary`). */
  searchPrimary?: Db | undefined;
  /** The search lane's pool on the replica (absent: searches use `replica`). */
  searchReplica?: Db | undefined;
  logger: Pick<Logger, "warn" | "info">;
  /** A number that grows at every change of public data (the page cache's generation). */
  changes: () => number;
  maxWaitMs?: number;
  pollMs?: number;
  retryDownMs?: number;
  /** Operational time in ms (not the legal clock). */
  now?: () => number;
}

type WaitResult = "replayed" | "lagging" | "down";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The primary's WAL write position (after a commit returned, at or beyond that commit). */
async function primaryPosition(db: Db): Promise<bigint> {
  const { rows } = await sql<{ lsn: string }>`SELECT pg_current_wal_lsn()::text AS lsn`.execute(db);
  return parseLsn(rows[0]?.lsn ?? "");
}

interface StandbyPosition {
  standby: boolean;
  replayed: bigint;
  /** Seconds since the last replayed transaction committed on the primary (null before any). */
  replayAge: number | null;
}

async function standbyPosition(db: Db): Promise<StandbyPosition> {
  const { rows } = await sql<{ standby: boolean; replayed: string | null; replay_age: number | null }>`
    SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS replayed,
           EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8 AS replay_age`.execute(db);
  const row = rows[0];
  return {
    standby: row?.standby === true && row.replayed !== null,
    replayed: row?.replayed ? parseLsn(row.replayed) : 0n,
    replayAge: row?.replay_age ?? null,
  };
}

export class ReadPool {
  readonly primary: Db;
  readonly replica: Db | undefined;
  readonly searchPrimary: Db | undefined;
  readonly searchReplica: Db | undefined;
  readonly counts: ReadCounts = { replica: 0, primary: 0, lagging: 0, unavailable: 0 };
  readonly #logger: ReadPoolOptions["logger"];
  readonly #changes: () => number;
  readonly #maxWaitMs: number;
  readonly #pollMs: number;
  readonly #retryDownMs: number;
  readonly #now: () => number;
  /** The primary's position at the latest change this process knows of: renders must see at least that. */
  #barrier: { change: number; position: Promise<bigint> } | undefined;
  /** The highest position the standby was seen to have replayed (replay only moves forward). */
  #replayed = -1n;
  readonly #waits = new Map<bigint, Promise<WaitResult>>();
  #downUntil = 0;
  #down = false;
  #lastLagWarning = Number.NEGATIVE_INFINITY;

  constructor(options: ReadPoolOptions) {
    this.primary = options.primary;
    this.replica = options.replica;
    this.searchPrimary = options.searchPrimary;
    this.searchReplica = options.searchReplica;
    this.#logger = options.logger;
    this.#changes = options.changes;
    this.#maxWaitMs = options.maxWaitMs ?? REPLICA_MAX_WAIT_MS;
    this.#pollMs = options.pollMs ?? REPLICA_POLL_MS;
    this.#retryDownMs = options.retryDownMs ?? REPLICA_RETRY_DOWN_MS;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Runs the read-only `fn` on the replica when it is up and has replayed the latest change, else on the primary;
   * when the replica fails the read (replica.rules.ts), runs it again on the primary. `lane` "search": on that
   * server's search pool.
   */
  async read<T>(fn: (db: Db) => Promise<T>, lane: ReadLane = "page"): Promise<T> {
    const db = await this.choose();
    if (db === this.primary) return fn(this.#onLane(db, lane));
    try {
      return await fn(this.#onLane(db, lane));
    } catch (err) {
      if (!replicaUnavailable(err)) throw err;
      this.#markDown(err);
      this.counts.replica--;
      this.counts.unavailable++;
      return fn(this.#onLane(this.primary, lane));
    }
  }

  /** The pool of the lane on the server `db` stands for. */
  #onLane(db: Db, lane: ReadLane): Db {
    if (lane === "page") return db;
    return db === this.primary ? (this.searchPrimary ?? db) : (this.searchReplica ?? db);
  }

  /** The database a public read should use now (see the module comment). */
  async choose(): Promise<Db> {
    const replica = this.replica;
    if (!replica) {
      this.counts.primary++;
      return this.primary;
    }
    if (this.#now() < this.#downUntil) {
      this.counts.unavailable++;
      return this.primary;
    }
    const target = await this.#barrierPosition();
    const result = target <= this.#replayed ? "replayed" : await this.#waitFor(replica, target);
    if (result === "replayed") {
      this.counts.replica++;
      return replica;
    }
    if (result === "lagging") {
      this.counts.lagging++;
      if (this.#now() - this.#lastLagWarning >= 60_000) {
        this.#lastLagWarning = this.#now();
        this.#logger.warn(
          { waitedMs: this.#maxWaitMs },
          "read replica has not replayed the latest change: public reads use the primary until it has",
        );
      }
    } else this.counts.unavailable++;
    return this.primary;
  }

  /** The replica's state and lag (for /healthz and /metrics); never throws. */
  async status(): Promise<ReplicaStatus> {
    if (!this.replica) return { state: "none" };
    let standby: StandbyPosition;
    try {
      standby = await standbyPosition(this.replica);
    } catch {
      return { state: "down" };
    }
    if (!standby.standby) return { state: "not_standby" };
    this.#noteReplayed(standby.replayed);
    const primary = await primaryPosition(this.primary).catch(() => undefined);
    const bytes = primary === undefined ? undefined : lagBytes(primary, standby.replayed);
    return {
      state: "streaming",
      ...(bytes === undefined ? {} : { lagBytes: bytes }),
      lagSeconds: bytes === 0 ? 0 : Math.max(0, standby.replayAge ?? 0),
    };
  }

  /** The primary's position at the current change (asked once per change; a failed ask is retried next time). */
  async #barrierPosition(): Promise<bigint> {
    const change = this.#changes();
    if (this.#barrier?.change !== change) {
      const barrier = { change, position: primaryPosition(this.primary) };
      this.#barrier = barrier;
      barrier.position.catch(() => {
        if (this.#barrier === barrier) this.#barrier = undefined;
      });
    }
    return this.#barrier.position;
  }

  /** Waits (bounded) until the standby has replayed `target`; renders waiting for one position share the wait. */
  #waitFor(replica: Db, target: bigint): Promise<WaitResult> {
    let wait = this.#waits.get(target);
    if (!wait) {
      wait = this.#poll(replica, target).finally(() => this.#waits.delete(target));
      this.#waits.set(target, wait);
    }
    return wait;
  }

  async #poll(replica: Db, target: bigint): Promise<WaitResult> {
    const deadline = this.#now() + this.#maxWaitMs;
    for (;;) {
      let position: StandbyPosition;
      try {
        position = await standbyPosition(replica);
      } catch (err) {
        this.#markDown(err);
        return "down";
      }
      if (!position.standby) {
        this.#markDown(new Error("DATABASE_READ_URL is not a standby (pg_is_in_recovery() is false)"));
        return "down";
      }
      this.#noteReplayed(position.replayed);
      if (position.replayed >= target) return "replayed";
      if (this.#now() >= deadline) return "lagging";
      await sleep(this.#pollMs);
    }
  }

  #noteReplayed(position: bigint): void {
    if (position > this.#replayed) this.#replayed = position;
    if (this.#down) {
      this.#down = false;
      this.#downUntil = 0;
      this.#logger.info("read replica is back: public reads use it again");
    }
  }

  #markDown(err: unknown): void {
    this.#downUntil = this.#now() + this.#retryDownMs;
    if (this.#down) return;
    this.#down = true;
    this.#logger.warn(
      { err, retryInMs: this.#retryDownMs },
      "read replica unavailable: public reads use the primary",
    );
  }
}
