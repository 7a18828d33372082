/**
 * @module Demo data: the platform with the four seed agencies (and, as features land, their catalogs, records,
 * applications and reports). Idempotent: `npm start` runs it on every start when GONGKAI_SEED_DEMO is on.
 */
import { seedDemoAgencies } from "./agencies/agency.service.ts";
import { type CatalogSeedResult, seedDemoCatalogs } from "./catalog/catalog.seed.ts";
import { seedDemoStandardCatalogs } from "./catalog/standard-catalog.service.ts";
import type { Deps } from "./deps.ts";
import { type RecordSeedResult, seedDemoRecords } from "./publishing/publishing.seed.ts";
import { DEMO_REPORT_YEAR, seedDemoReportsFor } from "./reports/report.seed.ts";
import type { ReportSeedResult } from "./reports/report-demo.service.ts";
import { type RequestSeedResult, seedDemoRequests } from "./requests/requests.seed.ts";

export interface SeedReport {
  agencies: { created: string[]; existing: string[] };
  /** The four seed catalogs, published as version 1 (src/catalog/seeds). */
  catalogs?: CatalogSeedResult;
  /** Demo records (政府信息) over the last 24 months, with obligations and attestations (src/publishing/publishing.seed.ts). */
  records?: RecordSeedResult;
  /** Demo applications (依申请公开) over the last 24 months (src/requests/requests.seed.ts). */
  requests?: RequestSeedResult;
  /** Annual reports generated and published from the demo data (last step: it reads every feature's data). */
  reports?: ReportSeedResult;
}

export async function seedDemo(deps: Deps): Promise<SeedReport> {
  const agencies = await seedDemoAgencies(deps.db);
  const catalogs = await seedDemoCatalogs(deps);
  await seedDemoStandardCatalogs(deps);
  const records = await seedDemoRecords(deps);
  const requests = await seedDemoRequests(deps);
  // Keep last: the 2025 annual report is generated from the applications and records seeded above.
  const reports = await seedDemoReportsFor(deps, DEMO_REPORT_YEAR);
  return { agencies, catalogs, records, requests, reports };
}
