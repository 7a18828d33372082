/**
 * @module Row types of the catalog tables (migration 2026-11-23T1700-create-catalog).
 */
import type { ColumnType, Generated, Insertable, JSONColumnType, Selectable, Updateable } from "kysely";

export type CatalogVersionStatus = "draft" | "published" | "superseded";
/** 公开方式 */
export type DisclosureMode = "主动" | "依申请";
export type UnitRole = "lead" | "cooperating";

/** Header data of a catalog table (表头/表尾), as the source states it. */
export interface CatalogHeader {
  /** 填报单位 / 单位名称 as written. */
  unit?: string;
  /** 填表人 */
  compiledBy?: string;
  /** 复核人 */
  reviewedBy?: string;
  /** 审签人 */
  signedBy?: string;
  /** 填表时间, as written (may be a partial date). */
  compiledAt?: string;
  /** Totals the source states (e.g. { 一级事项: 10, 二级事项: 40 }). */
  statedTotals?: Record<string, number>;
  /** Anything else found in header/footer lines. */
  notes?: string[];
}

export interface CatalogSource {
  /** seed | import | edit | copy */
  kind?: string;
  file?: string;
  format?: string;
  sha256?: string;
  slug?: string;
  importedAt?: string;
}

export interface ItemProvenance {
  file?: string;
  sheet?: string;
  /** 1-based row of the source table (or record number in JSON). */
  row?: number;
  format?: string;
}

/** Opaque JSON of a parsed deadline rule (src/calendar ParsedRule). */
export type StoredDeadlineRule = Record<string, unknown>;

/** 主动公开事项目录 of an agency. */
export interface CatalogTable {
  agency_id: string;
  id: Generated<string>;
  kind: Generated<string>;
  title: string;
  created_at: ColumnType<Date, never, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface CatalogVersionTable {
  agency_id: string;
  id: Generated<string>;
  catalog_id: string;
  version_no: number;
  status: CatalogVersionStatus;
  title: string;
  based_on_version_id: string | null;
  created_at: ColumnType<Date, never, never>;
  created_by: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  published_at: Date | null;
  published_by: string | null;
  superseded_at: Date | null;
  header: JSONColumnType<CatalogHeader, string | undefined, string>;
  source: JSONColumnType<CatalogSource, string | undefined, string>;
  change_reasons: JSONColumnType<Record<string, string>, string | undefined, string>;
  note: string | null;
}

/** 一级/二级/三级事项 */
export interface CatalogItemTable {
  agency_id: string;
  id: Generated<string>;
  version_id: string;
  parent_id: string | null;
  level: number;
  number: string | null;
  name: string;
  legal_basis: ColumnType<string[], string[] | undefined, string[]>;
  deadline_text: string | null;
  deadline_rules: JSONColumnType<StoredDeadlineRule[], string | undefined, string>;
  deadline_unparsed: ColumnType<string[], string[] | undefined, string[]>;
  subject: string | null;
  channels: ColumnType<string[], string[] | undefined, string[]>;
  channels_other: ColumnType<string[], string[] | undefined, string[]>;
  audience: string | null;
  mode: DisclosureMode | null;
  form: string | null;
  admin_level: string | null;
  responsible_text: string | null;
  remarks: string | null;
  extra: JSONColumnType<Record<string, string>, string | undefined, string>;
  provenance: JSONColumnType<ItemProvenance, string | undefined, string>;
  sort_order: number;
  stable_key: string;
}

/** 公开内容（要素） */
export interface CatalogElementTable {
  agency_id: string;
  id: Generated<string>;
  item_id: string;
  number: string | null;
  label: string;
  content: string;
  deadline_text: string | null;
  deadline_rules: JSONColumnType<StoredDeadlineRule[], string | undefined, string>;
  unparsed: ColumnType<string[], string[] | undefined, string[]>;
  extra: JSONColumnType<Record<string, string>, string | undefined, string>;
  sort_order: number;
  stable_key: string;
}

/** 责任单位 of an item: lead (牵头) or cooperating (配合). */
export interface CatalogItemUnitTable {
  agency_id: string;
  item_id: string;
  department_id: string;
  role: UnitRole;
  sort_order: number;
}

/** A parsed upload waiting between preview and commit. */
export interface CatalogImportTable {
  agency_id: string;
  id: Generated<string>;
  status: ColumnType<"pending" | "committed" | "discarded", "pending" | undefined, "committed" | "discarded">;
  file_name: string;
  format: string;
  sha256: string;
  size_bytes: number;
  doc: JSONColumnType<object, string, string>;
  preview: JSONColumnType<object, string, string>;
  created_at: ColumnType<Date, never, never>;
  created_by: string | null;
  committed_version_id: string | null;
}

export type CatalogRow = Selectable<CatalogTable>;
export type CatalogVersionRow = Selectable<CatalogVersionTable>;
export type NewCatalogVersionRow = Insertable<CatalogVersionTable>;
export type CatalogVersionUpdate = Updateable<CatalogVersionTable>;
export type CatalogItemRow = Selectable<CatalogItemTable>;
export type NewCatalogItemRow = Insertable<CatalogItemTable>;
export type CatalogElementRow = Selectable<CatalogElementTable>;
export type NewCatalogElementRow = Insertable<CatalogElementTable>;
export type CatalogItemUnitRow = Selectable<CatalogItemUnitTable>;
