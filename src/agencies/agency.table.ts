import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

export type RegionLevel = "province" | "city" | "county" | "township";

/** 行政区划 */
export interface RegionTable {
  id: Generated<string>;
  parent_id: string | null;
  name: string;
  level: RegionLevel;
  /** 6-digit administrative division code, when known. */
  code: string | null;
  created_at: ColumnType<Date, never, never>;
}

/** 机关: the tenant. */
export interface AgencyTable {
  id: Generated<string>;
  slug: string;
  name: string;
  short_name: string;
  /** 统一社会信用代码 (18 characters, GB 32100-2015). */
  credit_code: string | null;
  /** Legacy 9-character organisation code (组织机构代码), used by old 索引号 schemes. */
  org_code: string | null;
  region_id: string;
  created_at: ColumnType<Date, never, never>;
  updated_at: ColumnType<Date, never, Date>;
}

/** 内设机构 / 股室 / 科室 / 下属单位 of an agency. */
export interface DepartmentTable {
  agency_id: string;
  id: Generated<string>;
  name: string;
  sort_order: Generated<number>;
  active: Generated<boolean>;
  created_at: ColumnType<Date, never, never>;
}

export type RegionRow = Selectable<RegionTable>;
export type AgencyRow = Selectable<AgencyTable>;
export type NewAgencyRow = Insertable<AgencyTable>;
export type DepartmentRow = Selectable<DepartmentTable>;
