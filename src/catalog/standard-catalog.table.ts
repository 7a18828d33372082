/**
 * @module Row type of `standard_catalogs` (migration 2026-12-03T1950-create-standard-catalogs): reference catalogs
 * (基层政务公开标准目录 of a field, or a province's own) that agencies' catalogs are compared with. Platform-level
 * reference data, not tied to an agency.
 */
import type { Generated, JSONColumnType, Selectable } from "kysely";
import type { CatalogDoc } from "./catalog.model.ts";

export interface StandardCatalogTable {
  id: Generated<string>;
  slug: string;
  name: string;
  /** The field (领域), e.g. 社会保险, 就业; "" when the catalog covers several. */
  field: string;
  /** Where it comes from (issuer, document, file name). */
  source: string;
  sha256: string;
  doc: JSONColumnType<CatalogDoc>;
  item_count: number;
  loaded_by: string | null;
  loaded_at: Generated<Date>;
}

export type StandardCatalogRow = Selectable<StandardCatalogTable>;
