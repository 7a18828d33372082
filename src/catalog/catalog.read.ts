/**
 * @module The catalog feature's public surface for other features: the published catalog (portal: the tree and its
 * date; publishing: items to file records under), one published item by its stable key, a version by id, and the
 * types of a stored tree. Comparisons are in catalog-compare.read.ts.
 */
export type { CatalogDoc, CatalogDocItem, CatalogHeader } from "./catalog.model.ts";
export {
  type CatalogNode,
  type CatalogTree,
  type CatalogVersionInfo,
  type FlatCatalogItem,
  findPublishedItemByKey,
  flattenTree,
  getCatalogVersion,
  getPublishedCatalog,
  listPublishedItems,
} from "./catalog-tree.service.ts";
