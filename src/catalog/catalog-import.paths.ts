/** @module Where the catalog import pages live: under the agency, `/admin/agencies/:agency/catalog/import…`. */
import { staffAgencyPath } from "../http/agency-paths.ts";

/** `/admin/agencies/{slug}/catalog/import{rest}`. */
export function importPath(slug: string, rest = ""): string {
  return staffAgencyPath(slug, `/catalog/import${rest}`);
}
