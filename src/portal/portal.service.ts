/**
 * @module The portal's read models: composes other features' services (agencies, catalog, publishing, reports)
 * into what the public pages show. Read-only.
 */
import {
  type Agency,
  listAgenciesByName as listAllAgencies,
  type RegionNode,
  regionTree,
} from "../agencies/agency.service.ts";
import { type CatalogNode, getPublishedCatalog } from "../catalog/catalog.read.ts";
import type { DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { getGuideProfile } from "../guide/index.ts";
import {
  countPublishedByItem,
  listPublishedRecordDates,
  listPublishedRecordRows,
} from "../publishing/published.read.ts";
import {
  findAgencyRecordPage,
  findPublishedRecordAgencyId as findPublishedRecordAgency,
  findRecordPage,
} from "../publishing/record-page.read.ts";
import { listPublishedReports as listReportsOfAgency } from "../reports/published-reports.read.ts";
import type { PortalReport } from "./agency.views.ts";
import type { GuideInput } from "./guide.rules.ts";
import {
  flattenItems,
  type PortalCatalog,
  type PortalItem,
  type PortalRecord,
  type PortalRecordSummary,
} from "./portal.model.ts";
import { agencyPath } from "./portal.views.ts";

/** Every agency, in region-tree order. */
export async function listAgenciesByName(db: DbOrTx): Promise<Agency[]> {
  const out: Agency[] = [];
  const walk = (nodes: RegionNode[]) => {
    for (const n of nodes) {
      out.push(...n.agencies);
      walk(n.children);
    }
  };
  walk(await regionTree(db));
  return out;
}

/** The region path of an agency, from the province down ("内蒙古自治区 › 呼伦贝尔市 › 扎兰屯市"). */
export async function regionPathOf(db: DbOrTx, agency: Agency): Promise<string[]> {
  const find = (nodes: RegionNode[], trail: string[]): string[] | undefined => {
    for (const n of nodes) {
      const here = [...trail, n.name];
      if (n.agencies.some((a) => a.id === agency.id)) return here;
      const deeper = find(n.children, here);
      if (deeper) return deeper;
    }
    return undefined;
  };
  return find(await regionTree(db), []) ?? [];
}

/** Everything the guide is generated from. */
export async function guideInput(
  deps: Pick<Deps, "db">,
  agency: Agency,
): Promise<GuideInput & { updatedAt: Date | null }> {
  const profile = await getGuideProfile(deps.db, agency.id);
  const catalog = await publishedCatalogTree(deps, agency.id);
  return {
    agencyName: agency.name,
    paths: {
      catalog: agencyPath(agency, "catalog"),
      apply: agencyPath(agency, "apply"),
      reports: agencyPath(agency, "reports"),
      search: agencyPath(agency, "search"),
    },
    profile,
    categories: catalog ? catalog.items.map((i) => i.name) : [],
    hasCatalog: catalog !== null,
    updatedAt: profile.updatedAt,
  };
}

// ----- Catalog ------------------------------------------------------------------------------------------------

function toPortalItem(node: CatalogNode, counts: Map<string, number>): PortalItem {
  const lead = node.units.filter((u) => u.role === "lead").map((u) => u.name);
  const cooperating = node.units.filter((u) => u.role === "cooperating").map((u) => u.name);
  const responsible = node.units.length
    ? [lead.join("、"), cooperating.length ? `配合：${cooperating.join("、")}` : ""]
        .filter(Boolean)
        .join("；")
    : node.responsibleText;
  return {
    id: node.id,
    stableKey: node.stableKey,
    level: node.level,
    number: node.number,
    name: node.name,
    legalBasis: node.legalBasis,
    deadlineText: node.deadlineText,
    subject: node.subject,
    channels: [...node.channels, ...node.channelsOther],
    audience: node.audience,
    mode: node.mode,
    responsible: responsible || null,
    elements: node.elements.map((e) => ({
      label: e.label,
      content: e.content,
      deadlineText: e.deadlineText,
    })),
    children: node.children.map((c) => toPortalItem(c, counts)),
    recordCount: counts.get(node.stableKey) ?? 0,
  };
}

/** The agency's published catalog as a tree, with the number of published records per item; null if none. */
export async function publishedCatalogTree(
  deps: Pick<Deps, "db">,
  agencyId: string,
): Promise<PortalCatalog | null> {
  const [tree, counts] = await Promise.all([
    getPublishedCatalog(deps.db, agencyId),
    countPublishedByItem(deps.db, agencyId),
  ]);
  if (!tree) return null;
  return {
    title: tree.version.title,
    versionNo: tree.version.versionNo,
    publishedAt: tree.version.publishedAt ? new Date(tree.version.publishedAt) : null,
    header: tree.version.header,
    items: tree.items.map((i) => toPortalItem(i, counts)),
  };
}

/** Items of the published catalog for a filter select (indented by level). */
export async function catalogItemOptions(
  deps: Pick<Deps, "db">,
  agencyId: string,
): Promise<{ key: string; name: string }[]> {
  const catalog = await publishedCatalogTree(deps, agencyId);
  if (!catalog) return [];
  return flattenItems(catalog.items).map((i) => ({
    key: i.stableKey,
    name: `${"\u3000".repeat(i.level - 1)}${i.name}`,
  }));
}

// ----- Records ------------------------------------------------------------------------------------------------

type RecordRowLike = Awaited<ReturnType<typeof listPublishedRecordRows>>["rows"][number];

function toSummary(r: RecordRowLike): PortalRecordSummary {
  return {
    id: r.id,
    agencyId: r.agency_id,
    kind: r.kind,
    title: r.title,
    summary: r.summary,
    indexNo: r.index_no,
    docNumber: r.doc_number,
    issuingAgency: r.issuing_agency,
    formedDate: r.formed_date,
    publishedDate: r.published_date,
    revisedDate: r.revised_date,
    validity: r.validity,
    topic: r.topic,
    genre: r.genre,
    itemStableKey: r.item_stable_key,
    publishedAt: r.first_published_at,
    updatedAt: r.published_at ?? r.updated_at,
  };
}

/** Published records of an agency (optionally of some catalog items), newest first. */
export async function listPortalRecords(
  deps: Pick<Deps, "db">,
  f: { agencyId?: string; itemStableKeys?: string[]; limit: number; offset: number },
): Promise<{ records: PortalRecordSummary[]; total: number }> {
  const { rows, total } = await listPublishedRecordRows(deps.db, f);
  return { records: rows.map(toSummary), total };
}

/**
 * A published record with attachments, linked interpretations and its catalog item's name: one statement
 * (publishing/record-page.read.ts), no catalog tree.
 * @throws AppError record_not_found (also for drafts and withdrawn records)
 */
export async function getPortalRecord(
  deps: Pick<Deps, "db">,
  agency: Agency,
  id: string,
): Promise<PortalRecord> {
  const r = await findRecordPage(deps.db, agency, id);
  if (!r) throw new AppError("record_not_found");
  return r;
}

/**
 * The record page's first render: the agency of `slug` and its published record `id` (as getPortalRecord) in ONE
 * statement, so a page-cache miss costs the shared page store's look-up and this.
 * @throws AppError agency_not_found, record_not_found (also for drafts and withdrawn records)
 */
export async function getPortalRecordPage(
  deps: Pick<Deps, "db">,
  slug: string,
  id: string,
): Promise<{ agency: Agency; record: PortalRecord }> {
  const found = await findAgencyRecordPage(deps.db, slug, id);
  if (!found) throw new AppError("agency_not_found");
  if (!found.record) throw new AppError("record_not_found");
  return { agency: found.agency, record: found.record };
}

// ----- Annual reports -----------------------------------------------------------------------------------------

/** Published annual reports of an agency, newest first. */
export async function listPublishedReports(deps: Pick<Deps, "db">, agency: Agency): Promise<PortalReport[]> {
  return (await listReportsOfAgency(deps.db, agency.id, agency.slug)).map((r) => ({
    year: r.year,
    title: r.title,
    publishedOn: r.publishedOn,
    href: r.path,
  }));
}

/** Record URLs for the sitemap, newest first. */
export async function sitemapRecords(
  deps: Pick<Deps, "db">,
  limit: number,
): Promise<{ agencySlug: string; id: string; lastmod: string | null }[]> {
  if (limit <= 0) return [];
  const [records, agencies] = await Promise.all([
    listPublishedRecordDates(deps.db, limit),
    listAllAgencies(deps.db),
  ]);
  const slugs = new Map(agencies.map((a) => [a.id, a.slug]));
  return records.map((r) => ({
    agencySlug: slugs.get(r.agencyId) ?? "",
    id: r.id,
    lastmod: r.revisedDate ?? r.publishedDate,
  }));
}

/** The agency id of a published record (open-data API addresses records by id alone). */
export async function findPublishedRecordAgencyId(
  deps: Pick<Deps, "db">,
  id: string,
): Promise<string | undefined> {
  return findPublishedRecordAgency(deps.db, id);
}
