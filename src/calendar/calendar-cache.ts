/**
 * @module The calendar's cache (deps.calendarCache): the calendar data of the newest few data versions
 * (calendar_state.version), each with the calendars built from it per region chain. One cache per Deps, created by
 * createDeps and passed explicitly (`getCalendarForAgency({ db, calendarCache }, agencyId)`); never a process
 * global. Reading the version on every lookup keeps it correct across processes; the cache only saves rebuilding.
 */
import type { DbOrTx } from "../db/database.ts";
import type { CalendarNoticeRow, CalendarOverrideRow } from "./calendar.table.ts";
import type { WorkCalendar } from "./calendar.ts";

/** The calendar data of one version, and the calendars built from it. */
export interface CalendarSnapshot {
  version: string;
  rows: CalendarOverrideRow[];
  notices: CalendarNoticeRow[];
  /** Calendars by region chain key ("" = national). */
  calendars: Map<string, WorkCalendar>;
}

/** What reading a calendar needs (a Deps fits; inside a transaction: `{ db: trx, calendarCache }`). */
export interface CalendarReader {
  db: DbOrTx;
  calendarCache: CalendarCache;
}

/** Snapshots by data version, least recently used first; at most `maxSnapshots` are kept. */
export class CalendarCache {
  readonly #snapshots = new Map<string, Promise<CalendarSnapshot>>();
  readonly maxSnapshots: number;

  constructor(maxSnapshots = 8) {
    this.maxSnapshots = maxSnapshots;
  }

  /** The snapshot of `version` (or its load in progress), marked as the most recently used. */
  get(version: string): Promise<CalendarSnapshot> | undefined {
    const cached = this.#snapshots.get(version);
    if (cached) {
      this.#snapshots.delete(version);
      this.#snapshots.set(version, cached);
    }
    return cached;
  }

  /** Keeps `snapshot` as the most recently used, dropping the least recently used beyond `maxSnapshots`. */
  set(version: string, snapshot: Promise<CalendarSnapshot>): void {
    this.#snapshots.delete(version);
    this.#snapshots.set(version, snapshot);
    while (this.#snapshots.size > this.maxSnapshots)
      this.#snapshots.delete(this.#snapshots.keys().next().value as string);
  }

  delete(version: string): void {
    this.#snapshots.delete(version);
  }

  /** Drops every snapshot (after a change; the version check makes it an optimisation only). */
  clear(): void {
    this.#snapshots.clear();
  }

  /** The cached versions, least recently used first. */
  versions(): string[] {
    return [...this.#snapshots.keys()];
  }
}
