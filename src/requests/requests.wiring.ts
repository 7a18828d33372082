/**
 * @module What applications register with other features: after a calendar change, the cached due dates of open
 * applications are recomputed in the change's transaction; a department an application is assigned to is never
 * removed. Registered by registerFeatures(deps).
 */
import type { Deps } from "../deps.ts";
import { departmentsWithRequests } from "./info-request.repository.ts";
import { recomputeInfoRequestDueDates } from "./info-request.service.ts";

export function registerRequests(deps: Pick<Deps, "calendarHooks" | "departmentUses">): void {
  deps.calendarHooks.onChanged(recomputeInfoRequestDueDates, "info-requests");
  deps.departmentUses.register("requests", departmentsWithRequests);
}
