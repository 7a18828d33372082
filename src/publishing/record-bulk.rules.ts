/**
 * @module When and how a bulk load of records drops and rebuilds its GIN index over search_grams instead of
 * maintaining it row by row (pure). Measured on 20,000 generated records (docs/performance.md "Bulk loading"),
 * with each row's codes sent in ascending order: maintaining the index during COPY cost ~190 µs of PostgreSQL CPU
 * per loaded row, rebuilding it ~120–140 µs per row of the whole table. Rebuilding therefore pays when the load is
 * at least as large as what the table already holds; below MIN_REBUILD_ROWS the difference is small and the
 * table stays searchable (a dropped index makes searches slow for everyone until it is rebuilt).
 */

export const MIN_REBUILD_ROWS = 20_000;

export function shouldRebuildIndexes(n: { loading: number; existing: number }): boolean {
  return n.loading >= MIN_REBUILD_ROWS && n.loading >= n.existing;
}

/** maintenance_work_mem of the session that rebuilds the index (PostgreSQL's default is 64 MB). */
export const REBUILD_MAINTENANCE_WORK_MEM = "512MB";

/**
 * max_parallel_maintenance_workers of that session: PostgreSQL 18 builds GIN with parallel workers besides the
 * leader (15–17 ignore it for GIN).
 */
export const REBUILD_PARALLEL_WORKERS = 2;
