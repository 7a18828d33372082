/**
 * @module Supervision across a region (区域监督): each agency's inspection checks, the regional dashboard (every
 * agency of the region and its sub-regions), and the figures behind them. It reads other features only through
 * their exported functions: publishing's compliance report and inspection counts, applications' open/overdue
 * counts, the annual report's status, and the agencies' region tree.
 */
import {
  type Agency,
  agenciesInRegions,
  findRegionNode,
  type RegionNode,
  regionTree,
} from "../agencies/agency.service.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { complianceReport, type TrendPoint } from "../publishing/compliance.read.ts";
import { externalLinkFigures, recordInspectionFigures } from "../publishing/inspection.read.ts";
import { listReports, publicationDeadline } from "../reports/index.ts";
import { applicationInspectionFigures } from "../requests/inspection.read.ts";
import { type CheckResult, type InspectionFigures, inspect, summarize } from "./inspection.rules.ts";

export interface AgencyInspection {
  agency: Agency;
  /** The region the agency belongs to (its name) under the dashboard's region. */
  regionName: string;
  asOf: string;
  onTimeRate: number | null;
  figures: InspectionFigures;
  checks: CheckResult[];
  summary: ReturnType<typeof summarize>;
  trend: TrendPoint[];
}

export interface RegionDashboard {
  region: { id: string; name: string } | null;
  /** Direct sub-regions (for the filter). */
  subRegions: { id: string; name: string }[];
  asOf: string;
  rows: AgencyInspection[];
}

/** The year whose annual report is due on `asOf`: the previous calendar year. */
export function dueReportYear(asOf: string): number {
  return Number(asOf.slice(0, 4)) - 1;
}

export async function inspectAgency(
  deps: Pick<Deps, "db" | "calendarCache" | "config">,
  agency: Agency,
  regionName: string,
  asOf: string,
  probe?: (path: string) => Promise<number>,
): Promise<AgencyInspection> {
  const year = dueReportYear(asOf);
  const [compliance, records, external, applications, reports] = await Promise.all([
    complianceReport(deps, { agencyId: agency.id, asOf, probe }),
    recordInspectionFigures(deps.db, agency.id),
    externalLinkFigures(deps.db, agency.id),
    applicationInspectionFigures(deps, agency.id, asOf),
    listReports(deps.db, [agency.id], asOf),
  ]);
  const report = reports.find((r) => r.year === year);
  const figures: InspectionFigures = {
    asOf,
    blankColumns: compliance.blankItems.length,
    attestedColumns: compliance.attestedBlankItems.length,
    staleColumns: compliance.staleItems.length,
    brokenLinks: compliance.brokenLinks.length,
    checkedLinks: compliance.checkedLinks,
    externalLinks: {
      checked: external.checked,
      lapsedDomains: external.lapsedDomains,
      lapsedLinks: external.lapsedLinks,
    },
    lateRecords: compliance.onTime.late,
    publishedRecords: compliance.onTime.published,
    overdueRecords: compliance.overdue.filter((d) => d.kind === "record").length,
    missing: records.missing,
    normative: records.normative,
    applications,
    annualReport: {
      year,
      status: !report ? "missing" : report.status === "published" ? "published" : "draft",
      publishedOn: report?.publishedOn ?? null,
      deadline: publicationDeadline(year),
    },
  };
  const checks = inspect(figures);
  return {
    agency,
    regionName,
    asOf,
    onTimeRate: compliance.onTime.rate,
    figures,
    checks,
    summary: summarize(checks),
    trend: compliance.trend,
  };
}

/**
 * Every agency of `regionId` and its sub-regions (all regions — or those `within` — when null), inspected on `asOf`, in the order of the
 * region tree. `subRegion` narrows to one direct sub-region.
 * @throws AppError region_not_found
 */
export async function regionDashboard(
  deps: Pick<Deps, "db" | "calendarCache" | "config">,
  options: {
    regionId: string | null;
    /** With regionId null: only these regions (a supervisor's roots); absent: every region. */
    within?: readonly string[] | undefined;
    asOf: string;
    probe?: (path: string) => Promise<number>;
  },
): Promise<RegionDashboard> {
  const tree = await regionTree(deps.db);
  let scope: RegionNode[];
  let region: RegionDashboard["region"] = null;
  if (options.regionId) {
    const node = findRegionNode(tree, options.regionId);
    if (!node) throw new AppError("region_not_found");
    scope = [node];
    region = { id: node.id, name: node.name };
  } else if (options.within)
    scope = options.within.flatMap((id) => {
      const node = findRegionNode(tree, id);
      return node ? [node] : [];
    });
  else scope = tree;
  const subRegions = (region ? (scope[0] as RegionNode).children : scope).map((n) => ({
    id: n.id,
    name: n.name,
  }));
  const list = agenciesInRegions(scope, "all");
  const rows: AgencyInspection[] = [];
  // One agency at a time: each compliance report runs several queries; a region of dozens stays within the pool.
  for (const { agency, regionName } of list)
    rows.push(await inspectAgency(deps, agency, regionName, options.asOf, options.probe));
  return { region, subRegions, asOf: options.asOf, rows };
}

/** Regions a supervisor may open: their supervised regions' roots (platform roles: null = every region). */
export async function supervisedRoots(
  deps: Pick<Deps, "db">,
  supervisedRegionIds: readonly string[] | "all",
): Promise<{ id: string; name: string }[]> {
  const tree = await regionTree(deps.db);
  const out: { id: string; name: string }[] = [];
  const walk = (nodes: RegionNode[], parentIncluded: boolean) => {
    for (const n of nodes) {
      const included = supervisedRegionIds === "all" || supervisedRegionIds.includes(n.id);
      if (included && !parentIncluded) out.push({ id: n.id, name: n.name });
      walk(n.children, parentIncluded || included);
    }
  };
  walk(tree, false);
  return out;
}
