/**
 * @module Row type of `rate_limits` (migration 2026-12-03T2200-create-rate-limits, UNLOGGED): one counter per
 * client key and route, shared by every app process on the database (src/http/rate-limit.repository.ts).
 */
import type { ColumnType } from "kysely";

export interface RateLimitTable {
  /** `<METHOD><route pattern>-<client key>`. */
  key: string;
  /** Requests counted in the current window. */
  hits: number;
  /** End of the current window (database clock, the same for every process). */
  expires_at: ColumnType<Date, Date | string, Date | string>;
}
