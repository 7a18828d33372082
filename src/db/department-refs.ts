/**
 * @module The department check (`deps.departmentUses`, src/agencies/department-uses.ts) of a feature whose own
 * table names a department in `department_id`: the feature passes its table, this module knows none.
 */
import { sql } from "kysely";
import type { DbOrTx } from "./database.ts";

/**
 * Of the given departments, those a row of `table` names (rows of the agency in `agencyColumn`).
 * Example: `export const departmentsWithRecords = departmentRefs("records");`
 */
export function departmentRefs(table: string, agencyColumn = "agency_id") {
  return async (db: DbOrTx, agencyId: string, departmentIds: readonly string[]): Promise<string[]> => {
    const { rows } = await sql<{ department_id: string }>`
      SELECT DISTINCT department_id FROM ${sql.table(table)}
      WHERE ${sql.ref(agencyColumn)} = ${agencyId} AND department_id = ANY(${[...departmentIds]}::uuid[])`.execute(
      db,
    );
    return rows.map((r) => r.department_id);
  };
}
