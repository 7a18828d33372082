/**
 * @module The portal's read models: what the public pages show of a catalog and of records, independent of how
 * the catalog and publishing features store them.
 */

/** One 公开内容（要素） of a catalog item. */
export interface PortalElement {
  label: string;
  content: string;
  deadlineText: string | null;
}

/** A catalog item (一级/二级/三级事项) as the portal shows it. */
export interface PortalItem {
  id: string;
  stableKey: string;
  level: number;
  number: string | null;
  name: string;
  legalBasis: string[];
  deadlineText: string | null;
  subject: string | null;
  /** 公开渠道和载体 (standard and free-text). */
  channels: string[];
  audience: string | null;
  mode: string | null;
  /** 责任单位 as shown (lead first). */
  responsible: string | null;
  elements: PortalElement[];
  children: PortalItem[];
  /** Published records filed under this item (not counting its children). */
  recordCount: number;
}

export interface PortalCatalog {
  title: string;
  versionNo: number;
  publishedAt: Date | null;
  /** 填表人/复核人/审签人/填表时间 of the published version (absent fields omitted). */
  header?: { compiledBy?: string; reviewedBy?: string; signedBy?: string; compiledAt?: string } | undefined;
  items: PortalItem[];
}

/** A published record in lists and feeds. */
export interface PortalRecordSummary {
  id: string;
  agencyId: string;
  kind: "document" | "interpretation";
  title: string;
  summary: string;
  indexNo: string | null;
  docNumber: string;
  issuingAgency: string;
  formedDate: string;
  publishedDate: string | null;
  revisedDate: string | null;
  validity: string | null;
  topic: string;
  genre: string;
  itemStableKey: string | null;
  /** First publication instant (null for rows published before it was recorded). */
  publishedAt: Date | null;
  updatedAt: Date;
}

export interface PortalAttachment {
  id: string;
  fileName: string;
  fileType: string;
  sizeBytes: number;
  /** Public download URL. */
  href: string;
}

/** A published record with everything its page shows. */
export interface PortalRecord extends PortalRecordSummary {
  keywords: string[];
  effectiveDate: string | null;
  repealDate: string | null;
  replacedBy: { id: string | null; title: string } | null;
  /** Sanitised HTML (the publishing feature sanitises on save). */
  bodyHtml: string;
  attachments: PortalAttachment[];
  /** 政策解读 of this record. */
  interpretations: { id: string; title: string }[];
  /** For an interpretation: the policies it interprets. */
  interprets: { id: string; title: string }[];
  item: { stableKey: string; name: string } | null;
}

/** Flattens an item tree (pre-order). */
export function flattenItems(items: PortalItem[]): PortalItem[] {
  const out: PortalItem[] = [];
  const walk = (list: PortalItem[]) => {
    for (const i of list) {
      out.push(i);
      walk(i.children);
    }
  };
  walk(items);
  return out;
}

/** Records under an item and all its descendants. */
export function totalRecords(item: PortalItem): number {
  return item.recordCount + item.children.reduce((s, c) => s + totalRecords(c), 0);
}

/** The path from the root to the item with this stable key (inclusive), or undefined. */
export function itemTrail(items: PortalItem[], stableKey: string): PortalItem[] | undefined {
  for (const i of items) {
    if (i.stableKey === stableKey) return [i];
    const sub = itemTrail(i.children, stableKey);
    if (sub) return [i, ...sub];
  }
  return undefined;
}
