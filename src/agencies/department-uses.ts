/**
 * @module Which departments (股室) other features still refer to. Departments belong to agencies, but the rows that
 * name one belong to their features (catalog item units, records, applications, role grants). Each owner registers
 * a check here from its wiring (registerFeatures), so agencies can tell an unused department without reading other
 * features' tables. One registry per Deps (`deps.departmentUses`).
 */
import type { DbOrTx } from "../db/database.ts";

/** The ids, among `departmentIds`, that the registering feature's rows still refer to. */
export type DepartmentUseCheck = (
  db: DbOrTx,
  agencyId: string,
  departmentIds: readonly string[],
) => Promise<readonly string[]>;

export class DepartmentUses {
  readonly #checks: [owner: string, check: DepartmentUseCheck][] = [];

  register(owner: string, check: DepartmentUseCheck): void {
    this.#checks.push([owner, check]);
  }

  /** The features that registered a check, in registration order. */
  owners(): string[] {
    return this.#checks.map(([owner]) => owner);
  }

  /** The ids, among `departmentIds`, that any registered feature still refers to. */
  async inUse(db: DbOrTx, agencyId: string, departmentIds: readonly string[]): Promise<Set<string>> {
    const used = new Set<string>();
    if (departmentIds.length === 0) return used;
    // One after another: they usually share one transaction (one connection).
    for (const [, check] of this.#checks)
      for (const id of await check(db, agencyId, departmentIds)) used.add(id);
    return used;
  }
}
