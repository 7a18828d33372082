/**
 * @module Exporting a catalog version (default: the published one) as JSON, CSV, Excel or Word.
 */
import type { DbOrTx } from "../db/database.ts";
import { AppError } from "../errors.ts";
import { EXPORT_CONTENT_TYPES, type ExportFormat, toCsv, toDocx, toJson, toXlsx } from "./catalog-export.ts";
import { getCatalogVersion, getPublishedCatalog, treeToDoc } from "./catalog-tree.service.ts";

export interface ExportedCatalog {
  body: Buffer;
  contentType: string;
  fileName: string;
}

/** Exports a version (default: the published one). @throws catalog_not_found | catalog_version_not_found */
export async function exportCatalog(
  db: DbOrTx,
  input: {
    agencyId: string;
    agencySlug: string;
    agencyName: string;
    format: ExportFormat;
    versionId?: string | undefined;
  },
): Promise<ExportedCatalog> {
  const tree = input.versionId
    ? await getCatalogVersion(db, input.agencyId, input.versionId)
    : await getPublishedCatalog(db, input.agencyId);
  if (!tree) throw new AppError("catalog_not_found");
  const doc = treeToDoc(tree);
  const base = `${input.agencySlug}-catalog-v${tree.version.versionNo}`;
  let body: Buffer;
  switch (input.format) {
    case "json":
      body = Buffer.from(
        toJson(doc, {
          agency: { slug: input.agencySlug, name: input.agencyName },
          version: {
            versionNo: tree.version.versionNo,
            status: tree.version.status,
            publishedAt: tree.version.publishedAt,
          },
        }),
      );
      break;
    case "csv":
      body = Buffer.from(toCsv(doc));
      break;
    case "xlsx":
      body = await toXlsx(doc);
      break;
    case "docx":
      body = await toDocx(doc);
      break;
  }
  return { body, contentType: EXPORT_CONTENT_TYPES[input.format], fileName: `${base}.${input.format}` };
}
