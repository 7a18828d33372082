/**
 * @module Use cases for regions, agencies and departments, including the idempotent demo seed.
 */
import fs from "node:fs";
import path from "node:path";
import type { Db, DbOrTx } from "../db/database.ts";
import { AppError } from "../errors.ts";
import {
  deleteDepartments,
  ensureDepartments,
  findAgenciesByIds,
  findAgencyById,
  findAgencyBySlug,
  findRegionByParentAndName,
  insertAgency,
  insertRegion,
  listAgencies,
  listRegions,
  lockDepartmentsCreatedSince,
} from "./agency.repository.ts";
import type { AgencyRow, RegionLevel, RegionRow } from "./agency.table.ts";
import { DEMO_AGENCIES } from "./demo-agencies.ts";
import type { DepartmentUses } from "./department-uses.ts";

export interface Agency {
  id: string;
  slug: string;
  name: string;
  shortName: string;
  creditCode: string | null;
  orgCode: string | null;
  regionId: string;
}

export function agencyRowToAgency(row: AgencyRow): Agency {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    shortName: row.short_name,
    creditCode: row.credit_code,
    orgCode: row.org_code,
    regionId: row.region_id,
  };
}

/** @throws AppError agency_not_found */
export async function getAgencyBySlug(db: DbOrTx, slug: string): Promise<Agency> {
  const row = await findAgencyBySlug(db, slug);
  if (!row) throw new AppError("agency_not_found");
  return agencyRowToAgency(row);
}

/** The agencies of the given ids (unknown ids are left out), in no particular order. */
export async function getAgenciesByIds(db: DbOrTx, ids: readonly string[]): Promise<Agency[]> {
  return (await findAgenciesByIds(db, [...new Set(ids)])).map(agencyRowToAgency);
}

/** The agency with this id, or undefined. */
export async function findAgency(db: DbOrTx, id: string): Promise<Agency | undefined> {
  const row = await findAgencyById(db, id);
  return row ? agencyRowToAgency(row) : undefined;
}

/** Every agency, ordered by name (agency switchers, old-URL redirects). */
export async function listAgenciesByName(db: DbOrTx): Promise<Agency[]> {
  return (await listAgencies(db)).map(agencyRowToAgency);
}

/**
 * Departments (股室) of an agency, for other features (catalog units, lint): list them, add missing ones by name,
 * and remove those a discarded draft created when nothing refers to them any more.
 */
export { ensureDepartments, listDepartments } from "./agency.repository.ts";
export type { DepartmentUseCheck, DepartmentUses } from "./department-uses.ts";

/**
 * Removes departments an import created for a draft that was then discarded: only the given ids, only those created
 * at or after `since` (the draft's creation; older departments are never touched), and only when no feature refers
 * to them any more (`uses`: the checks catalog, publishing, requests and accounts register in deps.departmentUses).
 */
export async function removeUnusedDepartments(
  db: DbOrTx,
  uses: DepartmentUses,
  agencyId: string,
  ids: readonly string[],
  since: Date,
): Promise<number> {
  const candidates = await lockDepartmentsCreatedSince(db, agencyId, ids, since);
  if (candidates.length === 0) return 0;
  const used = await uses.inUse(db, agencyId, candidates);
  return deleteDepartments(
    db,
    agencyId,
    candidates.filter((id) => !used.has(id)),
  );
}
export type { DepartmentRow } from "./agency.table.ts";

export interface RegionNode {
  id: string;
  name: string;
  level: RegionLevel;
  children: RegionNode[];
  agencies: Agency[];
}

/** Regions as a tree with their agencies (platform home page, supervisors). Empty branches are pruned. */
export async function regionTree(db: DbOrTx): Promise<RegionNode[]> {
  const [regions, agencies] = await Promise.all([listRegions(db), listAgencies(db)]);
  const nodes = new Map<string, RegionNode>();
  for (const r of regions)
    nodes.set(r.id, { id: r.id, name: r.name, level: r.level, children: [], agencies: [] });
  for (const a of agencies) nodes.get(a.region_id)?.agencies.push(agencyRowToAgency(a));
  const roots: RegionNode[] = [];
  for (const r of regions as RegionRow[]) {
    const node = nodes.get(r.id) as RegionNode;
    const parent = r.parent_id ? nodes.get(r.parent_id) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const prune = (list: RegionNode[]): RegionNode[] =>
    list
      .map((n) => ({ ...n, children: prune(n.children) }))
      .filter((n) => n.agencies.length > 0 || n.children.length > 0);
  return prune(roots);
}

/** An agency found by `agenciesInRegions`, with the name of the region it belongs to. */
export interface RegionAgency {
  agency: Agency;
  regionName: string;
}

/**
 * The one walk of the region tree: every agency of the regions `roots` and of their sub-regions ("all": every
 * region), in tree order, each once. Supervisors' dashboards, catalog comparison and report audits all use it.
 */
export function agenciesInRegions(
  tree: readonly RegionNode[],
  roots: readonly string[] | "all",
): RegionAgency[] {
  const out: RegionAgency[] = [];
  const walk = (nodes: readonly RegionNode[], inside: boolean) => {
    for (const n of nodes) {
      const here = inside || roots === "all" || roots.includes(n.id);
      if (here) for (const agency of n.agencies) out.push({ agency, regionName: n.name });
      walk(n.children, here);
    }
  };
  walk(tree, false);
  return out;
}

/** The region `id` in the tree with its sub-regions, when present. */
export function findRegionNode(tree: readonly RegionNode[], id: string): RegionNode | undefined {
  for (const n of tree) {
    if (n.id === id) return n;
    const found = findRegionNode(n.children, id);
    if (found) return found;
  }
  return undefined;
}

/** Finds or creates a region path (province → city → county), returning the deepest region. */
export async function ensureRegionPath(
  db: DbOrTx,
  path: { name: string; level: RegionLevel; code?: string }[],
): Promise<RegionRow> {
  let parent: RegionRow | undefined;
  for (const step of path) {
    const existing: RegionRow | undefined = await findRegionByParentAndName(
      db,
      parent?.id ?? null,
      step.name,
    );
    parent =
      existing ??
      (await insertRegion(db, {
        parentId: parent?.id ?? null,
        name: step.name,
        level: step.level,
        code: step.code ?? null,
      }));
  }
  if (!parent) throw new Error("empty region path");
  return parent;
}

/** Departments named in a seed catalog's data file (src/catalog/seeds/<slug>.json), when present. */
function seedDepartments(slug: string): string[] {
  const file = path.join(import.meta.dirname, "..", "catalog", "seeds", `${slug}.json`);
  if (!fs.existsSync(file)) return [];
  const data = JSON.parse(fs.readFileSync(file, "utf8")) as { agency?: { departments?: unknown } };
  const list = data.agency?.departments;
  return Array.isArray(list) ? list.filter((d): d is string => typeof d === "string" && d.length > 0) : [];
}

export interface SeedResult {
  created: string[];
  existing: string[];
}

/** Creates the four seed agencies with their regions and departments. Idempotent: safe to run at every start. */
export async function seedDemoAgencies(db: Db): Promise<SeedResult> {
  const result: SeedResult = { created: [], existing: [] };
  for (const demo of DEMO_AGENCIES) {
    await db.transaction().execute(async (trx) => {
      let agency = await findAgencyBySlug(trx, demo.slug);
      if (agency) result.existing.push(demo.slug);
      else {
        const region = await ensureRegionPath(trx, demo.regions);
        agency = await insertAgency(trx, {
          slug: demo.slug,
          name: demo.name,
          shortName: demo.shortName,
          regionId: region.id,
        });
        result.created.push(demo.slug);
      }
      await ensureDepartments(trx, agency.id, seedDepartments(demo.slug));
    });
  }
  return result;
}
