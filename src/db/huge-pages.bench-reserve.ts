/**
 * @module For the benchmarks at 1,000,000 records: run PostgreSQL as docs/operations.md ("Huge pages") recommends at
 * that size, its shared_buffers in huge pages. A machine has none reserved unless its operator sets them aside; when
 * the bench runs as root it reserves what the server needs for the run (vm.nr_hugepages) and gives them back
 * afterwards. Otherwise (not root, SEARCH_SCALE_HUGE_PAGES=0, the kernel finding too few free 2 MB blocks) the
 * server runs in ordinary pages, and the bench reports which it was beside its figures.
 */
import fs from "node:fs";

const NR_HUGEPAGES = "/proc/sys/vm/nr_hugepages";

export interface HugePagesReservation {
  /** Huge pages this reservation added (0: none were needed, or none could be added). */
  added: number;
  /** Why none were added, when they were needed. */
  skipped?: string;
  /** Gives back what was added (sets vm.nr_hugepages to its value before). */
  release(): void;
}

/** Huge pages (2 MB) for `sharedBuffersMb` of shared_buffers and the rest of PostgreSQL's shared memory. */
export function hugePagesFor(sharedBuffersMb: number, hugePageKb = 2048): number {
  // The rest of the shared memory (buffer descriptors, locks, WAL buffers…): 204 MB beside 6,000 MB of
  // shared_buffers (shared_memory_size 6,204 MB, 3,102 huge pages; PostgreSQL 18); 4 % and 256 MB leave a margin.
  return Math.ceil(((sharedBuffersMb * 1.04 + 256) * 1024) / hugePageKb);
}

function meminfo(): { total: number; free: number; sizeKb: number } {
  const text = fs.readFileSync("/proc/meminfo", "utf8");
  const get = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(text)?.[1] ?? 0);
  return { total: get("HugePages_Total"), free: get("HugePages_Free"), sizeKb: get("Hugepagesize") };
}

export function reserveHugePages(sharedBuffersMb: number, env = process.env): HugePagesReservation {
  const none = (skipped?: string): HugePagesReservation => ({ added: 0, skipped, release: () => {} });
  if (env.SEARCH_SCALE_HUGE_PAGES === "0") return none("SEARCH_SCALE_HUGE_PAGES=0");
  let before: ReturnType<typeof meminfo>;
  try {
    before = meminfo();
  } catch {
    return none("no /proc/meminfo");
  }
  if (!before.sizeKb) return none("the kernel has no huge pages");
  const wanted = hugePagesFor(sharedBuffersMb, before.sizeKb);
  if (before.free >= wanted) return none();
  if (process.getuid?.() !== 0) return none(`not root: ${wanted - before.free} more huge pages needed`);
  const target = before.total + (wanted - before.free);
  try {
    fs.writeFileSync(NR_HUGEPAGES, String(target));
  } catch (e) {
    return none(`vm.nr_hugepages could not be set: ${(e as Error).message}`);
  }
  const after = meminfo();
  const release = () => {
    try {
      fs.writeFileSync(NR_HUGEPAGES, String(before.total));
    } catch {
      // the machine keeps the pages reserved; nothing else depends on it
    }
  };
  if (after.free < wanted) {
    release();
    return none(`the kernel found ${after.free} of ${wanted} free huge pages`);
  }
  return { added: after.total - before.total, release };
}
