/**
 * @module Whether PostgreSQL's shared_buffers sit in huge pages, and what `gongkai serve` tells the operator when
 * they do not (docs/operations.md "Huge pages").
 *
 * A search verifies up to 10,000 candidates, each on its own heap page in a shared_buffers of gigabytes: with 4 kB
 * pages every one costs a TLB miss or two (in a virtual machine a two-level page walk) in the buffer table lookup,
 * the pin and the first read of the page. Measured at 1,000,000 records (the bench's 1,000 random queries on the
 * same corpus, warm, 6 GB of shared_buffers): p95 43.8–43.9 ms in 4 kB pages, 38.2–39.6 ms in 2 MB huge pages.
 * PostgreSQL uses huge pages by itself (huge_pages = try) when the kernel has enough reserved (vm.nr_hugepages);
 * a machine has none reserved unless its operator sets them aside.
 */
import { sql } from "kysely";
import type { DbOrTx } from "./database.ts";

export interface SharedMemoryFacts {
  /** huge_pages_status (PostgreSQL 17+); "unknown" on older servers. */
  status: "on" | "off" | "unknown";
  /** shared_memory_size_in_huge_pages: the huge pages the server needs; null when the server cannot say. */
  hugePagesNeeded: number | null;
  sharedBuffersBytes: number;
}

/** Below this much shared_buffers the page tables are small enough that huge pages change little. */
export const HUGE_PAGES_ADVICE_MIN_BYTES = 1024 ** 3;

export async function sharedMemoryFacts(db: DbOrTx): Promise<SharedMemoryFacts> {
  const { rows } = await sql<{ status: string | null; pages: string | null; sb: string }>`
    SELECT current_setting('huge_pages_status', true) AS status,
           current_setting('shared_memory_size_in_huge_pages', true) AS pages,
           pg_size_bytes(current_setting('shared_buffers'))::text AS sb`.execute(db);
  const row = rows[0];
  const pages = Number(row?.pages);
  return {
    status: row?.status === "on" || row?.status === "off" ? row.status : "unknown",
    hugePagesNeeded: Number.isInteger(pages) && pages > 0 ? pages : null,
    sharedBuffersBytes: Number(row?.sb ?? 0),
  };
}

/**
 * The advice to log at start-up, or undefined when there is none to give: shared_buffers of at least
 * HUGE_PAGES_ADVICE_MIN_BYTES not in huge pages, on a server that says so (PostgreSQL 17+).
 */
export function hugePagesAdvice(f: SharedMemoryFacts): string | undefined {
  if (f.status !== "off" || f.sharedBuffersBytes < HUGE_PAGES_ADVICE_MIN_BYTES) return undefined;
  const gb = Math.round((f.sharedBuffersBytes / 1024 ** 3) * 10) / 10;
  const reserve = f.hugePagesNeeded
    ? `reserve ${f.hugePagesNeeded} huge pages (sysctl -w vm.nr_hugepages=${f.hugePagesNeeded}, and the same in /etc/sysctl.d/) and restart`
    : "reserve huge pages for it (vm.nr_hugepages) and restart";
  return (
    `PostgreSQL's shared_buffers (${gb} GB) are in ordinary 4 kB pages: ${reserve}; ` +
    "searches over large tables were ~12 % faster in huge pages (docs/operations.md, Huge pages)"
  );
}
