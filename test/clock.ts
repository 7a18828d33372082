/**
 * A clock tests can move (session idle timeouts, lockouts, deadlines).
 *   const clock = movableClock("2026-03-16T10:00:00+08:00"); clock.advanceMinutes(31);
 */
import { type Clock, shanghaiDate } from "../src/shared/clock.ts";

export interface MovableClock extends Clock {
  advanceMinutes(n: number): void;
  set(at: string | Date): void;
}

export function movableClock(start: string | Date): MovableClock {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    today: () => shanghaiDate(new Date(t)),
    advanceMinutes(n: number) {
      t += n * 60_000;
    },
    set(at: string | Date) {
      t = new Date(at).getTime();
    },
  };
}
