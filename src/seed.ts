/**
 * @module Demo data: the platform with the four seed agencies (and, as features land, their catalogs, records,
 * applications and reports). Idempotent: `npm start` runs it on every start when GONGKAI_SEED_DEMO is on.
 */
import { seedDemoAgencies } from "./agencies/agency.service.ts";
import type { Deps } from "./deps.ts";

export interface SeedReport {
  agencies: { created: string[]; existing: string[] };
}

export async function seedDemo(deps: Deps): Promise<SeedReport> {
  const agencies = await seedDemoAgencies(deps.db);
  return { agencies };
}
