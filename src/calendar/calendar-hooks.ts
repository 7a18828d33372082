/**
 * @module The calendar's change hooks (deps.calendarHooks): what other features recompute inside the transaction
 * of every calendar change (a notice or a regional day added or removed), so the change and the recomputed
 * deadlines commit together. One registry per Deps, filled by registerFeatures(deps) (src/features.ts); never a
 * process global and never registered at import.
 */
import type { DbOrTx } from "../db/database.ts";
import type { CalendarCache } from "./calendar-cache.ts";

export interface CalendarChange {
  /** Years whose days changed (a deadline depends on the change when its counting range touches one). */
  years: number[];
  /** null = a national change (every agency); otherwise the region whose (and whose sub-regions') days changed. */
  regionId: string | null;
  /** Agencies whose calendar changed: null = all agencies (national change). */
  agencyIds: string[] | null;
  /** The transaction making the change: recompute in it, so the change and the recomputation commit together. */
  db: DbOrTx;
  /** The calendar cache (deps.calendarCache): with `db`, the change is a CalendarReader of the new calendar. */
  calendarCache: CalendarCache;
  /** Chinese one-line description of the change (for the listener's own audit/log). */
  summary: string;
}

/** Recomputes what depends on the calendar; returns how many deadlines it recomputed (or nothing). */
// biome-ignore lint/suspicious/noConfusingVoidType: listeners written as `async (change) => { … }` return Promise<void>.
export type CalendarChangeListener = (change: CalendarChange) => Promise<number | void>;

export class CalendarHooks {
  readonly #listeners = new Map<CalendarChangeListener, string>();

  /**
   * Registers a listener called inside the transaction of every calendar change. A listener that throws rolls the
   * change back. Returns an unsubscribe function.
   */
  onChanged(listener: CalendarChangeListener, name?: string): () => void {
    this.#listeners.set(listener, name ?? (listener.name || "listener"));
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** The listeners with their names, in registration order. */
  listeners(): [CalendarChangeListener, string][] {
    return [...this.#listeners];
  }
}
