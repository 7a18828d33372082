/**
 * @module What applications register with other features: after a calendar change, the cached due dates of open
 * applications are recomputed in the change's transaction. Registered by registerFeatures(deps).
 */
import type { Deps } from "../deps.ts";
import { recomputeInfoRequestDueDates } from "./info-request.service.ts";

export function registerRequests(deps: Pick<Deps, "calendarHooks">): void {
  deps.calendarHooks.onChanged(recomputeInfoRequestDueDates, "info-requests");
}
