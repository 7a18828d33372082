/**
 * @module Reading relations into shared_buffers after a bulk load (PostgreSQL's pg_prewarm), so that the first
 * searches after an import or a restore do not each read thousands of pages from the operating system's cache or
 * the disk (docs/operations.md "A large portal").
 *
 * A bulk load leaves shared_buffers nearly empty: COPY writes through a small ring of buffers and index builds write
 * past them. The loaded pages are then only in the operating system's cache, and where the host reclaims that cache
 * (this project's virtual machines page out what has not been touched for a few seconds) in none. Measured at
 * 1,000,000 records, 6 GB of shared_buffers in huge pages, the relations in the OS cache as after a load, the same
 * 1,000 random searches three times (docs/performance.md, session 15): p95 248 / 46 / 47 ms without, 41 / 43 / 46 ms
 * after reading the search's indexes and the newest heap pages in (6 s).
 *
 * The pg_prewarm extension ships with PostgreSQL (contrib); the embedded server loads it for autoprewarm, which also
 * writes the pages read here to its list at shutdown, so a server that stops after a CLI load starts with them.
 */
import { sql } from "kysely";
import type { DbOrTx } from "./database.ts";

/** A relation to read in: all of it, or (tail) its last blocks first — a heap's newest rows. */
export interface WarmTarget {
  relation: string;
  /** Read the relation's last blocks (the newest rows of an append-mostly heap) when not all of it fits. */
  tail?: boolean;
}

export interface WarmReport {
  /** Blocks read in, per relation, in order. */
  read: { relation: string; blocks: number; of: number }[];
  ms: number;
  /** Why nothing was read: pg_prewarm missing or not allowed. */
  skipped?: string;
}

/** Share of shared_buffers the warm-up may fill: the rest stays for the pages everything else reads. */
export const WARM_SHARE = 0.8;

/**
 * Plans how many blocks of each target to read within `budget` blocks, in order: a target gets all its blocks or
 * what is left of the budget. Pure.
 */
export function planWarm(
  targets: readonly { relation: string; blocks: number }[],
  budget: number,
): { relation: string; blocks: number; of: number }[] {
  let left = Math.max(0, Math.floor(budget));
  return targets.map((t) => {
    const blocks = Math.min(Math.max(0, t.blocks), left);
    left -= blocks;
    return { relation: t.relation, blocks, of: Math.max(0, t.blocks) };
  });
}

/**
 * Reads `targets` into shared_buffers, in order, up to WARM_SHARE of shared_buffers or `budgetBlocks` (the earlier
 * targets first, so list the most used first). Relations that do not exist are left out. Needs the pg_prewarm extension: it is created
 * when missing if the role may; otherwise nothing is read and `skipped` says why (a warm-up is never required).
 */
export async function warmRelations(
  db: DbOrTx,
  targets: readonly WarmTarget[],
  options: { budgetBlocks?: number } = {},
): Promise<WarmReport> {
  const t0 = performance.now();
  try {
    await sql`CREATE EXTENSION IF NOT EXISTS pg_prewarm`.execute(db);
  } catch (e) {
    return { read: [], ms: performance.now() - t0, skipped: `pg_prewarm: ${(e as Error).message}` };
  }
  const { rows } = await sql<{ relation: string; blocks: string; sb: string }>`
    SELECT t.relation, (pg_relation_size(to_regclass(t.relation)) / current_setting('block_size')::int)::text AS blocks,
           (pg_size_bytes(current_setting('shared_buffers')) / current_setting('block_size')::int)::text AS sb
    FROM unnest(${targets.map((t) => t.relation)}::text[]) WITH ORDINALITY AS t(relation, n)
    WHERE to_regclass(t.relation) IS NOT NULL ORDER BY t.n`.execute(db);
  const budget = options.budgetBlocks ?? Number(rows[0]?.sb ?? 0) * WARM_SHARE;
  const plan = planWarm(
    rows.map((r) => ({ relation: r.relation, blocks: Number(r.blocks) })),
    budget,
  );
  const tail = new Set(targets.filter((t) => t.tail).map((t) => t.relation));
  for (const p of plan) {
    if (p.blocks === 0) continue;
    const first = tail.has(p.relation) ? p.of - p.blocks : 0;
    await sql`SELECT pg_prewarm(${p.relation}::regclass, 'buffer', 'main', ${first}::bigint, ${first + p.blocks - 1}::bigint)`.execute(
      db,
    );
  }
  return { read: plan, ms: performance.now() - t0 };
}
