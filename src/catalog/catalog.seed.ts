/**
 * @module Demo data: the four curated seed catalogs (src/catalog/seeds/<slug>.json) loaded for the four seed
 * agencies as their first published version. Idempotent: an agency that has any catalog version is skipped.
 */
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { loadSeedCatalog, SEED_SLUGS, seedToDoc } from "./catalog-seed.ts";
import { seedCatalog } from "./catalog-store.service.ts";

export interface CatalogSeedResult {
  created: string[];
  existing: string[];
  /** Seed agencies not in the database, or without a seed file. */
  skipped: string[];
}

export async function seedDemoCatalogs(
  deps: Pick<Deps, "db" | "clock" | "audit">,
): Promise<CatalogSeedResult> {
  const result: CatalogSeedResult = { created: [], existing: [], skipped: [] };
  for (const slug of SEED_SLUGS) {
    const agency = await getAgencyBySlug(deps.db, slug).catch(() => undefined);
    const seed = loadSeedCatalog(slug);
    if (!agency || !seed) {
      result.skipped.push(slug);
      continue;
    }
    const created = await seedCatalog(
      deps,
      { agencyId: agency.id, slug, doc: seedToDoc(seed), file: seed.source.file },
      deps.clock.now(),
    );
    (created ? result.created : result.existing).push(slug);
  }
  return result;
}
