/**
 * @module Guards of expensive public reads (the portal search): a concurrency gate so that searches never hold
 * more than a few of the pool's connections (record and catalog pages keep theirs), and a per-client limit on
 * searches that miss the page cache (hits cost nothing and are never limited). Both per app process.
 */
import { AppError } from "../errors.ts";

/** A counting semaphore with a bounded queue: `run` waits for a slot, or refuses when too many already wait. */
export class ReadGate {
  readonly #limit: number;
  readonly #maxQueue: number;
  #active = 0;
  readonly #queue: (() => void)[] = [];
  /** Highest number of tasks that ran at once (tests, metrics). */
  highWater = 0;
  /** Tasks refused because the queue was full. */
  refused = 0;

  constructor(limit: number, maxQueue = 64) {
    this.#limit = Math.max(1, limit);
    this.#maxQueue = maxQueue;
  }

  get active(): number {
    return this.#active;
  }

  get waiting(): number {
    return this.#queue.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#active >= this.#limit) {
      if (this.#queue.length >= this.#maxQueue) {
        this.refused++;
        throw new AppError("search_busy");
      }
      await new Promise<void>((resolve) => this.#queue.push(resolve));
    } else this.#active++;
    this.highWater = Math.max(this.highWater, this.#active);
    try {
      return await task();
    } finally {
      const next = this.#queue.shift();
      if (next) next();
      else this.#active--;
    }
  }
}

/** Sliding one-minute window of events per client key; bounded memory (oldest clients dropped). */
export class ClientLimiter {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #hits = new Map<string, number[]>();

  constructor(max: number, windowMs = 60_000, now: () => number = Date.now) {
    this.#max = max;
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /** Counts one event for the client; throws rate_limited (429) beyond the limit. */
  take(key: string): void {
    const now = this.#now();
    const list = (this.#hits.get(key) ?? []).filter((t) => t > now - this.#windowMs);
    if (list.length >= this.#max) {
      this.#hits.set(key, list);
      throw new AppError("rate_limited");
    }
    list.push(now);
    this.#hits.delete(key);
    this.#hits.set(key, list);
    if (this.#hits.size > 10_000) {
      const oldest = this.#hits.keys().next().value;
      if (oldest !== undefined) this.#hits.delete(oldest);
    }
  }
}
