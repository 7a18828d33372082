/**
 * @module Demo data of the annual report: the 2025 report of each seed agency, generated from its demo records and
 * applications, checked and published (idempotent). Runs last in `seedDemo` (src/seed.ts).
 */
import { DEMO_AGENCIES } from "../agencies/demo-agencies.ts";
import type { Deps } from "../deps.ts";
import { type ReportSeedResult, seedDemoReports } from "./report-demo.service.ts";

/** The year of the demo reports (statistics period 2025-01-01 – 2025-12-31). */
export const DEMO_REPORT_YEAR = 2025;

export async function seedDemoReportsFor(
  deps: Pick<Deps, "db" | "clock" | "events" | "audit">,
  year: number,
): Promise<ReportSeedResult> {
  const today = deps.clock.today();
  // The statistics year must have ended before a report can be published.
  if (today <= `${year}-12-31`) return { published: [], existing: [], failed: [] };
  // A demo report is published as a diligent agency would: by 20 January (条例第49条: by 31 January), not on the
  // day the demo happens to start — otherwise every demo report is flagged 逾期发布.
  const onTime = `${year + 1}-01-20`;
  const publishOn = today < onTime ? today : onTime;
  return seedDemoReports(deps, {
    slugs: DEMO_AGENCIES.map((a) => a.slug),
    year,
    today: publishOn,
    now: publishOn === today ? deps.clock.now() : new Date(`${publishOn}T10:00:00+08:00`),
  });
}
