/**
 * @module The catalog feature's public surface for comparisons (目录比对), used by supervision: compare an agency's
 * published catalog with a reference (with its 政务公开办's decisions on the 待确认 matches), the loaded standard
 * catalogs, and the read-only rendering of a comparison.
 */
export {
  type ComparisonWithDecisions,
  compareWithReference,
  REFERENCE,
} from "./catalog-compare.service.ts";
export { comparisonResult, referenceSelect } from "./catalog-compare.views.ts";
export { listStandardCatalogs, type StandardCatalogInfo } from "./standard-catalog.service.ts";
