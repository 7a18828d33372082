/**
 * @module What the catalog registers with other features: which departments its items still name as responsible,
 * so a department is never removed while an item names it. Registered by registerFeatures(deps).
 */
import type { Deps } from "../deps.ts";
import { departmentsNamedByItems } from "./catalog.repository.ts";

export function registerCatalog(deps: Pick<Deps, "departmentUses">): void {
  deps.departmentUses.register("catalog", departmentsNamedByItems);
}
