/**
 * @module The whole-schema type, composed from each feature's *.table.ts.
 */
import type { Kysely, Transaction } from "kysely";
import type { AgencyTable, DepartmentTable, RegionTable } from "../agencies/agency.table.ts";

export interface Database {
  regions: RegionTable;
  agencies: AgencyTable;
  departments: DepartmentTable;
}

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the pool or an open transaction: repository functions take this first. */
export type DbOrTx = Kysely<Database>;
