/**
 * @module The curated seed catalogs (src/catalog/seeds/<slug>.json, see seed-catalog.types.ts) as `CatalogDoc`s.
 * Pure conversion: nothing is corrected; channels are normalized to the 13 standard ones or kept as free text.
 */
import fs from "node:fs";
import path from "node:path";
import { type CatalogDoc, type CatalogDocItem, type CatalogHeader, emptyItem } from "./catalog.model.ts";
import { normalizeChannel } from "./catalog-cells.rules.ts";
import type { SeedCatalog, SeedItem } from "./seeds/seed-catalog.types.ts";

export const SEED_SLUGS = ["qi-hrss", "zalantun-hrss", "liaocheng-hrss", "zhongwei-hrss"] as const;

const SEEDS_DIR = path.join(import.meta.dirname, "seeds");

export function seedFile(slug: string): string {
  return path.join(SEEDS_DIR, `${slug}.json`);
}

export function loadSeedCatalog(slug: string): SeedCatalog | undefined {
  const file = seedFile(slug);
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, "utf8")) as SeedCatalog;
}

function seedHeader(seed: SeedCatalog): CatalogHeader {
  const h = seed.header;
  const header: CatalogHeader = {};
  if (h.responsibleUnit) header.unit = h.responsibleUnit;
  if (h.compiledBy) header.compiledBy = h.compiledBy;
  if (h.reviewedBy) header.reviewedBy = h.reviewedBy;
  if (h.signedBy) header.signedBy = h.signedBy;
  if (h.dateText) header.compiledAt = h.dateText;
  if (h.statedTotals) {
    const t: Record<string, number> = { 一级事项: h.statedTotals.level1, 二级事项: h.statedTotals.level2 };
    if (h.statedTotals.onRequestLevel2 !== undefined) t.依申请公开二级事项 = h.statedTotals.onRequestLevel2;
    header.statedTotals = t;
  }
  if (h.statedTotalsText) header.notes = [h.statedTotalsText];
  return header;
}

/** Converts a curated seed into a catalog document (items in tree form, provenance = seed file and line). */
export function seedToDoc(seed: SeedCatalog): CatalogDoc {
  const byId = new Map<string, CatalogDocItem>();
  const roots: CatalogDocItem[] = [];
  for (const s of seed.items) {
    const item = seedItemToDoc(s, seed.source.file);
    // Deterministic keys, so demo data of other features can point at seed items: "<slug>:<seed id>".
    item.stableKey = `${seed.agency.slug}:${s.id}`;
    item.elements.forEach((e, i) => {
      e.stableKey = `${item.stableKey}#${i + 1}`;
    });
    byId.set(s.id, item);
    const parent = s.parentId ? byId.get(s.parentId) : undefined;
    if (s.parentId && !parent)
      throw new Error(`seed ${seed.agency.slug}: item ${s.id} comes before its parent ${s.parentId}`);
    if (parent) parent.children.push(item);
    else roots.push(item);
  }
  return { title: seed.source.title, header: seedHeader(seed), items: roots };
}

function seedItemToDoc(s: SeedItem, file: string): CatalogDocItem {
  const item = emptyItem(s.level, s.name);
  item.number = s.number ?? null;
  item.legalBasis = s.legalBasis ?? [];
  item.deadlineText = s.deadlineText ?? null;
  item.subject = s.subject ?? null;
  for (const label of s.channels ?? []) {
    const n = normalizeChannel(label);
    if (n.channel && !item.channels.includes(n.channel)) item.channels.push(n.channel);
    if (n.other && !item.channelsOther.includes(n.other)) item.channelsOther.push(n.other);
  }
  item.audience = s.audience && s.audience.length > 0 ? s.audience.join("、") : null;
  if (s.mode && s.mode.length > 0) {
    item.mode = s.mode.includes("主动") ? "主动" : "依申请";
    if (s.mode.length > 1) item.extra.公开方式 = s.mode.join("、");
  }
  item.form = s.form ?? null;
  item.adminLevel = s.publishingLevel && s.publishingLevel.length > 0 ? s.publishingLevel.join("、") : null;
  if (s.responsible) {
    item.responsibleText = s.responsible.text;
    for (const name of s.responsible.lead) item.units.push({ name, role: "lead" });
    for (const name of s.responsible.cooperating) item.units.push({ name, role: "cooperating" });
  }
  item.remarks = s.remarks ?? null;
  item.extra = { ...item.extra, ...(s.extra ?? {}) };
  item.provenance = { file, row: s.row, format: "seed" };
  item.elements = s.elements.map((e) => ({
    number: e.number ?? null,
    label: e.label ?? "",
    content: e.content,
    deadlineText: e.deadlineText,
  }));
  return item;
}
