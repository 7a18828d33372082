/**
 * @module What accounts registers with other features: which departments a role grant is limited to, so a
 * department is never removed while a grant names it. Registered by registerFeatures(deps).
 */
import type { Deps } from "../deps.ts";
import { departmentsWithGrants } from "./accounts.repository.ts";

export function registerAccounts(deps: Pick<Deps, "departmentUses">): void {
  deps.departmentUses.register("accounts", departmentsWithGrants);
}
