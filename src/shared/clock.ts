/**
 * @module The clock. Code never reads the time ad hoc: it receives a `Clock`.
 * Legal dates are `YYYY-MM-DD` strings in Asia/Shanghai (UTC+8, no daylight saving since 1991).
 */

export interface Clock {
  /** The current instant. */
  now(): Date;
  /** Today's legal date in Asia/Shanghai, `YYYY-MM-DD`. */
  today(): string;
}

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The Asia/Shanghai calendar date of an instant. */
export function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Formats an instant as `YYYY-MM-DD HH:mm` in Asia/Shanghai (for display). */
export function shanghaiDateTime(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace("T", " ");
}

export const systemClock: Clock = {
  now: () => new Date(),
  today: () => shanghaiDate(new Date()),
};

/** A clock fixed at an instant (tests, CLI `--as-of`). Accepts `YYYY-MM-DD` (09:00 Shanghai) or an ISO instant. */
export function fixedClock(at: string | Date): Clock {
  const instant =
    at instanceof Date
      ? at
      : /^\d{4}-\d{2}-\d{2}$/.test(at)
        ? new Date(`${at}T09:00:00+08:00`)
        : new Date(at);
  if (Number.isNaN(instant.getTime())) throw new Error(`invalid clock instant: ${String(at)}`);
  return { now: () => new Date(instant.getTime()), today: () => shanghaiDate(instant) };
}
