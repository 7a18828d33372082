// Benchmark of the working-day index. Target: ≥ 1,000,000 addWorkingDays calls per second.
//
//   npx node src/calendar/calendar.bench.ts
//
// `runCalendarBench()` is exported so scripts/bench.ts (npm run bench) can call it and collect the figures.

import type { BenchFigure } from "../../test/bench.ts";

import { buildCalendar } from "./calendar.ts";
import { OFFICIAL_YEAR_FILES } from "./data/index.ts";
import { fromDayNumber, toDayNumber } from "./date.ts";

/** Moved to test/bench.ts; re-exported for benchmarks that still import it from here. */
export type { BenchFigure };

function measure(name: string, iterations: number, fn: (i: number) => void, target?: number): BenchFigure {
  for (let i = 0; i < Math.min(iterations, 200_000); i++) fn(i); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) fn(i);
  const seconds = (performance.now() - t0) / 1000;
  const figure: BenchFigure = { name, opsPerSecond: Math.round(iterations / seconds) };
  if (target !== undefined) figure.target = target;
  return figure;
}

export function runCalendarBench(iterations = 2_000_000): BenchFigure[] {
  const t0 = performance.now();
  const calendar = buildCalendar({ years: OFFICIAL_YEAR_FILES });
  const buildMs = performance.now() - t0;

  // Deterministic inputs: start dates spread over 2019–2026, N from 1 to 40.
  const size = 4096;
  const starts: string[] = [];
  const ns: number[] = [];
  const base = toDayNumber("2019-01-01");
  let seed = 7;
  for (let i = 0; i < size; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    starts.push(fromDayNumber(base + (seed % (365 * 8))));
    ns.push(1 + (seed % 40));
  }
  const mask = size - 1;
  let sink = 0;
  const figures = [
    measure(
      "addWorkingDays",
      iterations,
      (i) => {
        sink += calendar.addWorkingDays(starts[i & mask]!, ns[i & mask]!).date.length;
      },
      1_000_000,
    ),
    measure("countWorkingDays", iterations, (i) => {
      sink += calendar.countWorkingDays(starts[i & mask]!, starts[(i + 1) & mask]!).count;
    }),
    measure("isWorkingDay", iterations, (i) => {
      sink += calendar.isWorkingDay(starts[i & mask]!) ? 1 : 0;
    }),
    measure("addCalendarDays", iterations, (i) => {
      sink += calendar.addCalendarDays(starts[i & mask]!, ns[i & mask]!).date.length;
    }),
    { name: "buildCalendar (ms, one build)", opsPerSecond: Math.round(buildMs) },
  ];
  if (sink === -1) console.log(sink); // keep the work observable
  return figures;
}

if (import.meta.main) {
  let failed = false;
  for (const f of runCalendarBench()) {
    const ok = f.target === undefined || f.opsPerSecond >= f.target;
    if (!ok) failed = true;
    const unit = f.name.startsWith("buildCalendar") ? "" : " ops/s";
    const target =
      f.target === undefined
        ? ""
        : ` (target ≥ ${f.target.toLocaleString("en-US")}: ${ok ? "ok" : "MISSED"})`;
    console.log(`calendar ${f.name}: ${f.opsPerSecond.toLocaleString("en-US")}${unit}${target}`);
  }
  if (failed) process.exitCode = 1;
}
