/**
 * @module The statutory check of a catalog version (default: the draft if any, else the published one), with the
 * agency's departments (from the agencies feature) to judge the responsible units.
 */
import { listDepartments } from "../agencies/agency.service.ts";
import type { DbOrTx } from "../db/database.ts";
import { AppError } from "../errors.ts";
import { type LintFinding, lintCatalog } from "./catalog-lint.rules.ts";
import {
  type CatalogVersionInfo,
  getCatalogVersion,
  getDraftCatalog,
  getPublishedCatalog,
} from "./catalog-tree.service.ts";

/** Lints a version (default: the draft if any, else the published one). */
export async function lintCatalogVersion(
  db: DbOrTx,
  input: { agencyId: string; agencyName: string; agencyShortName?: string; versionId?: string | undefined },
): Promise<{ version: CatalogVersionInfo; findings: LintFinding[] }> {
  const tree = input.versionId
    ? await getCatalogVersion(db, input.agencyId, input.versionId)
    : ((await getDraftCatalog(db, input.agencyId)) ?? (await getPublishedCatalog(db, input.agencyId)));
  if (!tree) throw new AppError("catalog_not_found");
  const departments = (await listDepartments(db, input.agencyId)).map((d) => d.name);
  const findings = lintCatalog({
    agencyName: input.agencyName,
    agencyShortName: input.agencyShortName,
    departments,
    items: tree.items,
  });
  return { version: tree.version, findings };
}
