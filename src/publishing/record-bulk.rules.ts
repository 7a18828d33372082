/**
 * @module When a bulk load of records drops and rebuilds the secondary indexes instead of maintaining them row by
 * row (pure). Measured on 20,000 generated records (docs/performance.md "Bulk loading"): maintaining the indexes
 * during COPY cost ~350 µs of PostgreSQL CPU per loaded row, rebuilding them ~200 µs per row of the whole table
 * (GIN over ~860 codes a row dominates both). Rebuilding therefore pays when the load is at least as large as
 * what the table already holds; below MIN_REBUILD_ROWS the difference is small and the table stays searchable
 * (a dropped index makes searches slow for everyone until it is rebuilt).
 */

export const MIN_REBUILD_ROWS = 20_000;

export function shouldRebuildIndexes(n: { loading: number; existing: number }): boolean {
  return n.loading >= MIN_REBUILD_ROWS && n.loading >= n.existing;
}
